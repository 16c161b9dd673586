#!/usr/bin/python3
"""Writes src/dicom_dict.c, the reader's data dictionary (tag -> VR), from
DCMTK's data dictionary file (dicom.dic, shipped by Debian's libdcmtk17 at
/usr/share/libdcmtk17/dicom.dic), which DCMTK generates from the standard's
PS3.6 and PS3.7 and names the edition of in its header.

    /usr/bin/python3 tools/gen_dicom_dict.py /usr/share/libdcmtk17/dicom.dic > src/dicom_dict.c

(`make dicom-dict` runs exactly that.) Only what the Implicit VR reader needs is
kept: every tag of the standard (retired ones too: old Implicit VR files use
them) outside groups 0000 (commands), 0002 (always Explicit VR) and FFFE
(items), with its VR. Keywords are comments there, for a person reading a diff.

    /usr/bin/python3 tools/gen_dicom_dict.py --keywords dicom.dic > src/dicom_keywords.c

writes the same tags by keyword instead (PS3.6's keywords; DCMTK's RETIRED_
prefix dropped), sorted in byte order for a binary search: the responder's
allow-lists (profile.h) name attributes by keyword. A keyword of a range of
tags or of a repeating group names its first tag.

How DCMTK's notation is mapped:
- VRs given as alternatives: "ox" (OB or OW), "lt" (US, SS or OW), "px" (Pixel
  Data) become OW; "xs" (US or SS) becomes DF_DICOM_DICT_US_OR_SS, resolved by
  Pixel Representation in the reader; "up" (a file offset) is UL.
- Repeating groups (5000-50FF, 6000-60FF, 7F00-7FFF) are stored under their
  first group; the reader folds 50xx, 60xx and 7Fxx onto it (dicom.c,
  dict_code). Any other group range is an error here, so a new one cannot be
  dropped without dicom.c learning it.
- Element ranges ((0020,3100-31FF)) are written out, even elements only unless
  marked -u- (both) or -o- (odd), as DCMTK reads them.
- The GENERIC, PRIVATE and ILLEGAL entries (group lengths, private creators) are
  rules the reader applies itself; they are left out.
Two entries for one tag with different VRs are an error.
"""
import argparse
import hashlib
import re
import subprocess
import sys

REPEATING_GROUPS = {(0x5000, 0x50FF), (0x6000, 0x60FF), (0x7F00, 0x7FFF)}
SKIPPED_GROUPS = {0x0000, 0x0002, 0xFFFE}
RULES = {"GENERIC", "PRIVATE", "ILLEGAL"}
VR_MAP = {"ox": "OW", "lt": "OW", "px": "OW", "up": "UL", "xs": "XS"}
VRS = set(
    "AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN "
    "UR US UT UV".split()
)
TAG_RE = re.compile(
    r"\((?P<g1>[0-9A-F]{4})(?:-(?P<gk>[ou]-)?(?P<g2>[0-9A-F]{4}))?,"
    r"(?P<e1>[0-9A-F]{4})(?:-(?P<ek>[ou]-)?(?P<e2>[0-9A-F]{4}))?\)$"
)


def fail(path, lineno, message):
    sys.exit(f"{path}:{lineno}: {message}")


def step_range(first, last, kind):
    """The values of a DCMTK range: even ones, odd ones ("o-") or all ("u-")."""
    if kind == "u-":
        return range(first, last + 1)
    start = first | 1 if kind == "o-" else first & ~1
    return range(start, last + 1, 2)


def read_dictionary(path):
    """Returns ({tag: (vr, keyword)}, edition line) from a dicom.dic file."""
    entries = {}
    edition = None
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                m = re.search(r"Generated automatically from (.*?)\.?$", line)
                if m:
                    edition = m[1]
                continue
            if not line.strip():
                continue
            fields = line.split("\t")
            fields = [x for x in fields if x != ""]
            if len(fields) != 5:
                fail(path, lineno, f"expected 5 tab-separated fields, found {len(fields)}")
            tag, vr, keyword, _vm, version = fields
            if version in RULES:
                continue
            m = TAG_RE.match(tag)
            if m is None:
                fail(path, lineno, f"cannot read the tag {tag!r}")
            vr = VR_MAP.get(vr, vr)
            if vr == "na":  # the item tags of group FFFE
                continue
            if vr not in VRS and vr != "XS":
                fail(path, lineno, f"unknown VR {vr!r}")
            g1 = int(m["g1"], 16)
            if m["g2"] is not None:
                span = (g1, int(m["g2"], 16))
                if span not in REPEATING_GROUPS or m["gk"] is not None:
                    fail(path, lineno, f"group range {tag} is not one dicom.c folds")
            if g1 in SKIPPED_GROUPS:
                continue
            e1 = int(m["e1"], 16)
            elements = [e1]
            if m["e2"] is not None:
                elements = step_range(e1, int(m["e2"], 16), m["ek"])
            for e in elements:
                t = g1 << 16 | e
                if t in entries and entries[t][0] != vr:
                    fail(path, lineno, f"({t >> 16:04X},{t & 0xFFFF:04X}) given two VRs")
                entries[t] = (vr, keyword)
    if edition is None:
        sys.exit(f"{path}: no 'Generated automatically from' line naming the standard's edition")
    return entries, edition


def package_of(path):
    """The Debian package that installed path, with its version, when dpkg knows."""
    try:
        owner = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True, check=True)
        name = owner.stdout.split(":")[0].strip()
        version = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True, check=True
        )
        return f"Debian package {name} {version.stdout.strip()}"
    except (OSError, subprocess.CalledProcessError):
        return "not from a Debian package"


def write_keywords(out, args, entries, edition, digest):
    """src/dicom_keywords.c: every keyword with its (first) tag, in byte order."""
    by_keyword = {}
    for tag in sorted(entries):
        keyword = entries[tag][1]
        if keyword.startswith("RETIRED_"):
            keyword = keyword[len("RETIRED_"):]
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", keyword):
            sys.exit(f"{args.dictionary}: ({tag >> 16:04X},{tag & 0xFFFF:04X}): keyword {keyword!r}")
        by_keyword.setdefault(keyword, tag)
    out.write(
        f"""/* GENERATED FILE, do not edit: `make dicom-dict` writes it again.
 * The keywords of the data dictionary (dicom_dict.h), made by
 * tools/gen_dicom_dict.py --keywords from DCMTK's data dictionary:
 *   source: {args.dictionary}
 *   package: {package_of(args.dictionary)}
 *   edition: {edition}
 *   sha256: {digest}
 * {len(by_keyword)} keywords, in strictly increasing byte order (the lookup is a
 * binary search; tests/unit/check_profile.c checks the order). */
#include "dicom_dict.h"

/* clang-format off */
const df_dicom_keyword df_dicom_keywords[] = {{
"""
    )
    for keyword in sorted(by_keyword, key=lambda k: k.encode()):
        out.write(f"    {{\"{keyword}\", 0x{by_keyword[keyword]:08X}}},\n")
    out.write(
        """};
/* clang-format on */

const size_t df_dicom_keyword_count = sizeof df_dicom_keywords / sizeof df_dicom_keywords[0];
"""
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keywords", action="store_true", help="write src/dicom_keywords.c")
    ap.add_argument("dictionary", help="DCMTK's dicom.dic")
    args = ap.parse_args()
    entries, edition = read_dictionary(args.dictionary)
    with open(args.dictionary, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    out = sys.stdout
    if args.keywords:
        write_keywords(out, args, entries, edition, digest)
        return
    out.write(
        f"""/* GENERATED FILE, do not edit: `make dicom-dict` writes it again.
 * The reader's data dictionary (dicom_dict.h), made by tools/gen_dicom_dict.py
 * from DCMTK's data dictionary:
 *   source: {args.dictionary}
 *   package: {package_of(args.dictionary)}
 *   edition: {edition}
 *   sha256: {digest}
 * {len(entries)} tags, in strictly increasing order (the lookup is a binary
 * search; tests/unit/check_dicom.c checks the order). */
#include "dicom_dict.h"

/* clang-format off */
const df_dicom_dict_entry df_dicom_dict[] = {{
"""
    )
    for tag in sorted(entries):
        vr, keyword = entries[tag]
        code = "DF_DICOM_DICT_US_OR_SS" if vr == "XS" else f"DF_DICOM_VR_{vr}"
        out.write(f"    {{0x{tag:08X}, {code}}}, /* {keyword} */\n")
    out.write(
        """};
/* clang-format on */

const size_t df_dicom_dict_count = sizeof df_dicom_dict / sizeof df_dicom_dict[0];
"""
    )


if __name__ == "__main__":
    main()
