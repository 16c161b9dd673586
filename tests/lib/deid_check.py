#!/usr/bin/python3
"""Checks the answers of a de-identified route against the full route's and
the files they came from (tests/http/deid.sh):

    deid_check.py FULL.json DEID.json FILE...

FULL.json and DEID.json hold each route's entries (one JSON array, every page
joined, in Sequence order); FILE... are the Part 10 files that were ingested.
Prints one TAP-free line per finding on stderr and a summary on stdout
("files N values N entries N"); exits 1 when anything is wrong:
- a value of a patient-identifying attribute of any file (names, IDs, dates
  of birth, addresses, institution, physicians, accession number, at any
  depth, read with pydicom) shows anywhere in the de-identified answers: as a
  whole string, or inside one when it is 6 characters or more. Excused, and
  counted apart: the text inside a UID (the Retain UIDs Option keeps UIDs,
  into which some makers write a device's serial number) or as the whole or
  part of a Manufacturer, a Manufacturer's Model Name or a code's meaning
  (attributes the profile keeps: a test file whose Institution Name is its
  maker's name, an Image Comments word in "Uncompressed predecessor");
- an entry of the de-identified route differs from the full route's in
  anything but its Metadata, or its Metadata lost or changed a UID of the top
  level, a technical attribute (Rows, Columns, Pixel Spacing, Slice
  Thickness, Modality, SOP Class…) or the UIDs inside a kept sequence;
- a de-identified Metadata lacks Patient Identity Removed = YES, or holds a
  private attribute at any depth.
"""
import json
import sys
import warnings

import pydicom

PHI = {
    "PatientName", "PatientID", "IssuerOfPatientID", "OtherPatientIDs", "OtherPatientNames",
    "PatientBirthName", "PatientBirthDate", "PatientBirthTime", "PatientAddress",
    "PatientMotherBirthName", "PatientTelephoneNumbers", "MilitaryRank", "EthnicGroup",
    "InstitutionName", "InstitutionAddress", "InstitutionalDepartmentName",
    "ReferringPhysicianName", "ReferringPhysicianAddress", "ReferringPhysicianTelephoneNumbers",
    "PerformingPhysicianName", "NameOfPhysiciansReadingStudy", "PhysiciansOfRecord",
    "RequestingPhysician", "OperatorsName", "AccessionNumber", "StationName",
    "DeviceSerialNumber", "StudyID", "ContentCreatorName", "VerifyingObserverName",
    "PersonName", "ScheduledPerformingPhysicianName", "PerformedProcedureStepID",
    "RequestedProcedureID", "AdmissionID", "PatientComments", "ImageComments",
}
TECHNICAL = {
    "00080016": "SOP Class UID", "00080060": "Modality", "00280010": "Rows",
    "00280011": "Columns", "00280030": "Pixel Spacing", "00180050": "Slice Thickness",
    "00280100": "Bits Allocated", "00280101": "Bits Stored", "00280102": "High Bit",
    "00280103": "Pixel Representation", "00280002": "Samples per Pixel",
    "00280004": "Photometric Interpretation", "00280008": "Number of Frames",
    "00200037": "Image Orientation (Patient)", "00200032": "Image Position (Patient)",
    "00281052": "Rescale Intercept", "00281053": "Rescale Slope",
    "00181050": "Spatial Resolution", "00080008": "Image Type",
}
problems = []


def problem(text):
    problems.append(text)
    print(text, file=sys.stderr)


def phi_values(ds, out):
    """The values of the identifying attributes of ds, at every depth."""
    for elem in ds:
        if elem.VR == "SQ":
            for item in elem.value or []:
                phi_values(item, out)
            continue
        if elem.keyword not in PHI or elem.value in (None, "", b""):
            continue
        values = elem.value if isinstance(elem.value, pydicom.multival.MultiValue) else [elem.value]
        for v in values:
            text = str(v).strip()
            if text:
                out.add((elem.keyword, text))


# Kept attributes whose text may equal an identifying value by chance.
EXCUSED = {"00080070", "00081090", "00080104"}


def texts(node, tag=None, vr=None):
    """(tag, VR, text) of every string of a dataset, at every depth."""
    if isinstance(node, str):
        yield tag, vr, node
    elif isinstance(node, list):
        for x in node:
            yield from texts(x, tag, vr)
    elif isinstance(node, dict):
        for key, value in node.items():
            if len(key) == 8 and isinstance(value, dict):
                yield from texts(value.get("Value", []), key, value.get("vr"))
            elif key in ("Alphabetic", "Ideographic", "Phonetic"):
                yield from texts(value, tag, vr)
            elif key not in ("vr", "InlineBinary"):
                yield from texts(value, tag, vr)


def uids(node, out):
    """Every value of an attribute of VR UI, at every depth."""
    if isinstance(node, dict):
        for attr in node.values():
            if isinstance(attr, dict):
                if attr.get("vr") == "UI":
                    out.extend(attr.get("Value", []))
                for item in attr.get("Value", []) if attr.get("vr") == "SQ" else []:
                    uids(item, out)


def private_keys(node):
    found = []
    if isinstance(node, dict):
        for key, attr in node.items():
            if len(key) == 8 and int(key[3], 16) % 2 == 1:
                found.append(key)
            if isinstance(attr, dict) and attr.get("vr") == "SQ":
                for item in attr.get("Value", []):
                    found += private_keys(item)
    return found


def main():
    warnings.simplefilter("ignore")  # pydicom's about the test files' odd values
    full_path, deid_path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(full_path, encoding="utf-8") as f:
        full = json.load(f)
    with open(deid_path, encoding="utf-8") as f:
        deid_text = f.read()
    deid = json.loads(deid_text)
    found = [t for e in deid for t in texts(e.get("Metadata") or {})]

    values = set()
    for path in files:
        phi_values(pydicom.dcmread(path, force=True, stop_before_pixels=True), values)
    excused = 0
    for keyword, text in sorted(values):
        for tag, vr, s in found:
            if s != text and (len(text) < 6 or text not in s):
                continue
            if vr == "UI" or tag in EXCUSED:
                excused += 1
            else:
                problem(f"{keyword} value {text!r} shows in the de-identified answers ({tag})")

    if len(full) != len(deid):
        problem(f"{len(full)} entries in full, {len(deid)} de-identified")
    for a, b in zip(full, deid):
        seq = a["Sequence"]
        if {k: v for k, v in a.items() if k != "Metadata"} != \
                {k: v for k, v in b.items() if k != "Metadata"}:
            problem(f"entry {seq}: differs outside Metadata")
        ma, mb = a.get("Metadata"), b.get("Metadata")
        if ma is None or mb is None:
            if (ma is None) != (mb is None):
                problem(f"entry {seq}: Metadata null on one route only")
            continue
        if mb.get("00120062", {}).get("Value") != ["YES"]:
            problem(f"entry {seq}: no Patient Identity Removed = YES")
        if private_keys(mb):
            problem(f"entry {seq}: private attributes {private_keys(mb)[:3]}")
        for key, attr in ma.items():
            if int(key[3], 16) % 2 == 1:
                continue  # private: removed
            if attr.get("vr") == "UI" and mb.get(key) != attr:
                problem(f"entry {seq}: UID {key} changed or lost")
            if key in TECHNICAL and mb.get(key) != attr:
                problem(f"entry {seq}: {TECHNICAL[key]} ({key}) changed or lost")
            if attr.get("vr") == "SQ" and key in mb and mb[key].get("Value") not in (None, [{}]):
                before, after = [], []
                uids({key: attr}, before)
                uids({key: mb[key]}, after)
                if before != after:
                    problem(f"entry {seq}: UIDs inside the sequence {key} changed")
    print(f"files {len(files)}, values {len(values)}, entries {len(deid)}, excused {excused}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
