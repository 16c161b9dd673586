#!/usr/bin/python3
"""Writes the DICOM test corpus for dcmfeed: Part 10 files in every transfer
syntax the reader supports (OUTDIR/*.dcm) and truncated or corrupted variants
(OUTDIR/bad/*.dcm). Deterministic: fixed UIDs, no clock, no randomness.

Usage: /usr/bin/python3 tests/lib/gen_corpus.py [--small] OUTDIR
  --small  pixel data of a few hundred bytes instead of a few MB (the fuzz seeds)

Needs Debian's python3-pydicom (2.x); run it with /usr/bin/python3.
"""
import io
import os
import struct
import sys

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.sequence import Sequence
from pydicom.tag import Tag
from pydicom import uid

ROOT = "1.2.826.0.1.3680043.10.1234"  # fixed test root: every UID is derived from it
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4"
US_IMAGE = "1.2.840.10008.5.1.4.1.1.6.1"
SR_COMPREHENSIVE = "1.2.840.10008.5.1.4.1.1.88.33"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"


def code_item(value, scheme, meaning):
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def undefined(seq_owner, keyword, items):
    """Sets a sequence that is written with undefined length and delimited items."""
    setattr(seq_owner, keyword, Sequence(items))
    seq_owner[keyword].is_undefined_length = True
    for item in items:
        item.is_undefined_length_sequence_item = True


def image_dataset(n, sop_class, modality, pixel_bytes, charset=None, name="Doe^Jane"):
    """A CT/MR/US-like header with the modules a real one has, sequences of
    defined and undefined length nested three deep, multi-valued elements,
    private tags and a short OB."""
    ds = Dataset()
    if charset:
        ds.SpecificCharacterSet = charset
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = f"{ROOT}.3.{n}"
    ds.StudyDate = "20240131"
    ds.SeriesDate = "20240131"
    ds.StudyTime = "101530.123456"
    ds.AccessionNumber = f"ACC{n:04d}"
    ds.Modality = modality
    ds.Manufacturer = "dcmfeed test"
    ds.InstitutionName = "Test Hospital"
    ds.ReferringPhysicianName = "Smith^John^^Dr."
    ds.StationName = "STATION1"
    ds.StudyDescription = "Corpus study"
    # Procedure code: defined length, one item.
    ds.ProcedureCodeSequence = Sequence([code_item("P1-001", "99TEST", "Test procedure")])
    ds.SeriesDescription = "Corpus series"
    ds.ManufacturerModelName = "Model 1"
    # Referenced image: undefined length with two items.
    refs = []
    for i in range(2):
        r = Dataset()
        r.ReferencedSOPClassUID = sop_class
        r.ReferencedSOPInstanceUID = f"{ROOT}.3.{n}.{i + 100}"
        refs.append(r)
    undefined(ds, "ReferencedImageSequence", refs)
    ds.PatientName = name
    ds.PatientID = f"PID{n:04d}"
    ds.PatientBirthDate = "19700101"
    ds.PatientSex = "F"
    ds.OtherPatientIDs = ["ALT1", "ALT2", "ALT3"]
    ds.PatientAge = "054Y"
    ds.PatientWeight = "61.5"
    ds.SliceThickness = "1.25"
    ds.KVP = "120"
    ds.DeviceSerialNumber = "SN-1"
    ds.SoftwareVersions = ["1.0", "2.0b"]
    ds.PatientPosition = "HFS"
    ds.StudyInstanceUID = f"{ROOT}.1.{n}"
    ds.SeriesInstanceUID = f"{ROOT}.2.{n}"
    ds.StudyID = "S1"
    ds.SeriesNumber = 3
    ds.InstanceNumber = n
    ds.ImagePositionPatient = ["-125.5", "-130", "42.25"]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.FrameOfReferenceUID = f"{ROOT}.4.{n}"
    ds.PositionReferenceIndicator = ""
    ds.SliceLocation = "42.25"
    # Request attributes: defined length, items holding an undefined-length
    # sequence that holds a defined-length one (three deep).
    req = Dataset()
    req.RequestedProcedureID = "RP1"
    req.ScheduledProcedureStepID = "SPS1"
    undefined(req, "ScheduledProtocolCodeSequence", [code_item("PROT1", "99TEST", "Protocol")])
    req.ScheduledProtocolCodeSequence[0].ProtocolContextSequence = Sequence(
        [code_item("CTX1", "99TEST", "Context")]
    )
    ds.RequestAttributesSequence = Sequence([req, Dataset()])  # second item empty
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    # Rows x Columns x 2 bytes = pixel_bytes (16 rows for the small ones).
    ds.Columns = 2048 if pixel_bytes >= 65536 else max(pixel_bytes // 32, 1)
    ds.Rows = max(pixel_bytes // (2 * ds.Columns), 1)
    ds.PixelSpacing = ["0.5", "0.5"]
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 1
    ds.SmallestImagePixelValue = -2000  # US or SS: SS because Pixel Representation is 1
    ds.WindowCenter = ["40", "400"]
    ds.WindowWidth = ["400", "2000"]
    ds.RescaleIntercept = "-1024"
    ds.RescaleSlope = "1"
    # Multi-valued binary numbers of every kind.
    ds.add_new(0x00181310, "US", [0, 256, 256, 0])  # AcquisitionMatrix, US VM 4
    ds.add_new(0x00209057, "UL", [1, 2, 3])  # InStackPositionNumber (UL)
    ds.add_new(0x00189219, "SS", [-5, 7])  # TagAngleSecondAxis (SS)
    ds.add_new(0x00189089, "FD", [0.0, 0.6, -0.8])  # DiffusionGradientOrientation
    ds.add_new(0x00186060, "FL", [1.5, -2.25])  # RWaveTimeVector
    ds.add_new(0x00181800, "CS", "N")
    ds.add_new(0x00209165, "AT", [0x00100010, 0x00200032])  # DimensionIndexPointer (AT)
    ds.add_new(0x00186020, "SL", [-70000, 70000])  # ReferencePixelX0 (SL)
    ds.add_new(0x00720064, "IS", ["1", "-2", "3"])  # SelectorISValue (IS)
    # Private block with its creator, a text, a number and a short OB.
    ds.add_new(0x00090010, "LO", "DCMFEED TEST")
    ds.add_new(0x00091001, "LO", "private text")
    ds.add_new(0x00091002, "US", [1, 2])
    ds.add_new(0x00091003, "OB", bytes(range(200)))
    ds.add_new(0x00091004, "SQ", Sequence([code_item("PRV", "99TEST", "Private item")]))
    # Short OB of the standard dictionary, kept inline (< 1024 bytes).
    ds.add_new(0x00420011, "OB", b"%PDF-1.4 tiny\n")  # EncapsulatedDocument, short
    ds.PixelData = bytes((i * 7) & 0xFF for i in range(pixel_bytes))
    return ds


def file_meta(ds, ts):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ts
    meta.ImplementationClassUID = f"{ROOT}.99"
    meta.ImplementationVersionName = "DCMFEED_TEST"
    return meta


def write(path, ds, ts, preamble=True, meta=True):
    """Writes ds in transfer syntax ts; without preamble and/or file meta when asked."""
    ds.file_meta = file_meta(ds, ts)
    ds.is_little_endian = ts != uid.ExplicitVRBigEndian
    ds.is_implicit_VR = ts == uid.ImplicitVRLittleEndian
    buf = io.BytesIO()
    ds.preamble = b"\0" * 128
    dcmwrite(buf, ds, write_like_original=False)
    data = buf.getvalue()
    if not meta:
        # The dataset alone: skip preamble, DICM and the whole group 0002.
        glen = struct.unpack_from("<I", data, 132 + 8)[0]
        data = data[132 + 12 + glen:]
    elif not preamble:
        data = data[132:]
    with open(path, "wb") as f:
        f.write(data)
    return data


def sr_dataset(n):
    """A Comprehensive SR with a content tree nested three deep, undefined length."""
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID = SR_COMPREHENSIVE
    ds.SOPInstanceUID = f"{ROOT}.3.{n}"
    ds.StudyDate = "20240131"
    ds.Modality = "SR"
    ds.PatientName = "Report^Sam"
    ds.PatientID = f"PID{n:04d}"
    ds.StudyInstanceUID = f"{ROOT}.1.{n}"
    ds.SeriesInstanceUID = f"{ROOT}.2.{n}"
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = Sequence([code_item("126000", "DCM", "Imaging Measurement Report")])
    ds.ContinuityOfContent = "SEPARATE"
    leaf = Dataset()
    leaf.RelationshipType = "CONTAINS"
    leaf.ValueType = "NUM"
    leaf.ConceptNameCodeSequence = Sequence([code_item("G-D705", "SRT", "Volume")])
    mv = Dataset()
    mv.NumericValue = "12.5"
    mv.MeasurementUnitsCodeSequence = Sequence([code_item("cm3", "UCUM", "cubic centimeter")])
    leaf.MeasuredValueSequence = Sequence([mv])
    text = Dataset()
    text.RelationshipType = "CONTAINS"
    text.ValueType = "TEXT"
    text.TextValue = "Größe unverändert — 変化なし"
    group = Dataset()
    group.RelationshipType = "CONTAINS"
    group.ValueType = "CONTAINER"
    group.ContinuityOfContent = "SEPARATE"
    undefined(group, "ContentSequence", [leaf, text])
    undefined(ds, "ContentSequence", [group])
    return ds


def patch(data, offset, new):
    return data[:offset] + new + data[offset + len(new):]


def find_element(data, tag, explicit=True, start=0):
    """Offset of tag's header (little-endian tag bytes) after start."""
    needle = struct.pack("<HH", tag >> 16, tag & 0xFFFF)
    at = data.find(needle, start)
    if at < 0:
        raise SystemExit(f"tag {tag:08X} not found")
    return at


def nested_sequence(depth):
    """An Explicit VR LE dataset with sequences nested depth deep, undefined length."""
    body = b""
    for _ in range(depth):
        inner = body
        body = (
            struct.pack("<HH2sHI", 0x0040, 0xA730, b"SQ", 0, 0xFFFFFFFF)
            + struct.pack("<HHI", 0xFFFE, 0xE000, 0xFFFFFFFF)
            + inner
            + struct.pack("<HHI", 0xFFFE, 0xE00D, 0)
            + struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)
        )
    return body


def meta_bytes(ts, sop_class, sop_instance):
    """Preamble, DICM and group 0002 built by hand (for the hand-made files)."""
    def elem(el, vr, value):
        if len(value) % 2:
            value += b"\0"
        return struct.pack("<HH2sH", 0x0002, el, vr, len(value)) + value

    body = (
        struct.pack("<HH2sHI", 0x0002, 0x0001, b"OB", 0, 2) + b"\0\1"
        + elem(0x0002, b"UI", sop_class.encode())
        + elem(0x0003, b"UI", sop_instance.encode())
        + elem(0x0010, b"UI", ts.encode())
        + elem(0x0012, b"UI", f"{ROOT}.99".encode())
    )
    return b"\0" * 128 + b"DICM" + struct.pack("<HH2sHI", 0x0002, 0x0000, b"UL", 4, len(body)) + body


def main():
    args = sys.argv[1:]
    small = "--small" in args
    args = [a for a in args if a != "--small"]
    if len(args) != 1:
        sys.exit(__doc__)
    out = args[0]
    bad = os.path.join(out, "bad")
    os.makedirs(bad, exist_ok=True)
    big = 256 if small else 4 * 1024 * 1024  # bytes of pixel data

    def path(name):
        return os.path.join(out, name)

    def badpath(name):
        return os.path.join(bad, name)

    explicit = write(path("ct_explicit_le.dcm"), image_dataset(1, CT_IMAGE, "CT", big),
                     uid.ExplicitVRLittleEndian)
    implicit = write(path("ct_implicit_le.dcm"), image_dataset(2, CT_IMAGE, "CT", big),
                     uid.ImplicitVRLittleEndian)
    bige = write(path("mr_explicit_be.dcm"), image_dataset(3, MR_IMAGE, "MR", big),
                 uid.ExplicitVRBigEndian)
    deflated = write(path("us_deflated.dcm"), image_dataset(4, US_IMAGE, "US", big),
                     uid.DeflatedExplicitVRLittleEndian)

    # JPEG Baseline label with encapsulated fragments: empty basic offset table,
    # two fragments (the bytes need not be a valid JPEG); pydicom writes the
    # sequence delimiter.
    jp = image_dataset(5, CT_IMAGE, "CT", 0)
    frag1 = b"\xFF\xD8" + bytes(range(256)) * (2 if small else 8192) + b"\xFF"
    frag2 = b"\x00" * 10 + b"\xFF\xD9"
    pixels = struct.pack("<HHI", 0xFFFE, 0xE000, 0)
    for frag in (frag1, frag2):
        if len(frag) % 2:
            frag += b"\0"
        pixels += struct.pack("<HHI", 0xFFFE, 0xE000, len(frag)) + frag
    jp.PixelData = pixels
    jp["PixelData"].VR = "OB"
    jp["PixelData"].is_undefined_length = True
    write(path("ct_jpeg_baseline.dcm"), jp, JPEG_BASELINE)

    write(path("mr_utf8_pn.dcm"),
          image_dataset(6, MR_IMAGE, "MR", 64, "ISO_IR 192",
                        "Yamada^Tarou=山田^太郎=やまだ^たろう"),
          uid.ExplicitVRLittleEndian)
    write(path("ct_latin1.dcm"),
          image_dataset(7, CT_IMAGE, "CT", 64, "ISO_IR 100", "Müller^Jörg"),
          uid.ExplicitVRLittleEndian)
    write(path("ct_no_preamble.dcm"), image_dataset(8, CT_IMAGE, "CT", 64),
          uid.ExplicitVRLittleEndian, preamble=False)
    write(path("ct_no_meta_implicit.dcm"), image_dataset(9, CT_IMAGE, "CT", 64),
          uid.ImplicitVRLittleEndian, meta=False)
    write(path("sr_undefined_lengths.dcm"), sr_dataset(10), uid.ExplicitVRLittleEndian)
    write(path("sr_implicit.dcm"), sr_dataset(11), uid.ImplicitVRLittleEndian)

    # Trailing zero padding after the last element (a file written in fixed-size
    # blocks): 4096 zero bytes, a multiple of 8, which DCMTK reads too (as empty
    # (0000,0000) elements), so that dcm2json_compare.sh can compare it.
    for name, n, ts in [("ct_trailing_zeros.dcm", 30, uid.ExplicitVRLittleEndian),
                        ("ct_trailing_zeros_implicit.dcm", 31, uid.ImplicitVRLittleEndian)]:
        data = write(path(name), image_dataset(n, CT_IMAGE, "CT", 64), ts)
        with open(path(name), "wb") as f:
            f.write(data + b"\0" * 4096)

    # A UN of undefined length holding an Implicit VR LE sequence (PS3.5 6.2.2),
    # inside an Explicit VR LE dataset, built by hand.
    un_items = (
        struct.pack("<HHI", 0xFFFE, 0xE000, 0xFFFFFFFF)
        + struct.pack("<HHI", 0x0008, 0x0100, 6) + b"CODE1 "
        + struct.pack("<HHI", 0xFFFE, 0xE00D, 0)
        + struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)
    )
    un_file = (
        meta_bytes(uid.ExplicitVRLittleEndian, CT_IMAGE, f"{ROOT}.3.12")
        + struct.pack("<HH2sH", 0x0008, 0x0016, b"UI", 26) + CT_IMAGE.encode() + b"\0"
        + struct.pack("<HH2sH", 0x0008, 0x0018, b"UI", 32) + f"{ROOT}.3.12".encode()
        + struct.pack("<HH2sH", 0x0010, 0x0010, b"PN", 8) + b"Un^Seq  "
        + struct.pack("<HH2sH", 0x0011, 0x0010, b"LO", 8) + b"DCMFEED "
        + struct.pack("<HH2sHI", 0x0011, 0x1010, b"UN", 0, 0xFFFFFFFF) + un_items
    )
    with open(path("un_undefined_length.dcm"), "wb") as f:
        f.write(un_file)

    # ---- bad variants ----
    small_ex = write(badpath("_tmp.dcm"), image_dataset(20, CT_IMAGE, "CT", 256),
                     uid.ExplicitVRLittleEndian)
    os.remove(badpath("_tmp.dcm"))
    pn_at = find_element(small_ex, 0x00100010)
    seq_at = find_element(small_ex, 0x00081140)  # ReferencedImageSequence
    px_at = find_element(small_ex, 0x7FE00010)
    for name, cut in [
        ("cut_preamble.dcm", 100),
        ("cut_meta.dcm", 150),
        ("cut_header.dcm", pn_at + 5),
        ("cut_value.dcm", pn_at + 10),
        ("cut_sequence.dcm", seq_at + 40),
        ("cut_pixels.dcm", px_at + 100),
    ]:
        with open(badpath(name), "wb") as f:
            f.write(small_ex[:cut])
    with open(badpath("cut_deflated.dcm"), "wb") as f:
        f.write(deflated[:len(deflated) // 2] if small else deflated[:4000])
    with open(badpath("cut_implicit.dcm"), "wb") as f:
        f.write(implicit[:find_element(implicit, 0x00100020) + 6])
    with open(badpath("cut_big_endian.dcm"), "wb") as f:
        f.write(bige[:1200])

    # Length fields set to 0xFFFFFFF0: an Implicit VR PN, an Explicit VR OB, a sequence.
    imp_small = write(badpath("_tmp.dcm"), image_dataset(21, CT_IMAGE, "CT", 256),
                      uid.ImplicitVRLittleEndian)
    os.remove(badpath("_tmp.dcm"))
    at = find_element(imp_small, 0x00100010, start=200)
    with open(badpath("huge_length_implicit_pn.dcm"), "wb") as f:
        f.write(patch(imp_small, at + 4, struct.pack("<I", 0xFFFFFFF0)))
    at = find_element(small_ex, 0x00091003)
    with open(badpath("huge_length_ob.dcm"), "wb") as f:
        f.write(patch(small_ex, at + 8, struct.pack("<I", 0xFFFFFFF0)))
    at = find_element(small_ex, 0x00081032)  # ProcedureCodeSequence, defined length
    with open(badpath("huge_length_sequence.dcm"), "wb") as f:
        f.write(patch(small_ex, at + 8, struct.pack("<I", 0xFFFFFFF0)))

    # Sequences nested 200 deep (past the reader's bound of 32).
    with open(badpath("nested_200.dcm"), "wb") as f:
        f.write(meta_bytes(uid.ExplicitVRLittleEndian, CT_IMAGE, f"{ROOT}.3.22")
                + nested_sequence(200))

    # An item tag where an element is expected: PatientName's tag overwritten.
    with open(badpath("item_instead_of_element.dcm"), "wb") as f:
        f.write(patch(small_ex, pn_at, struct.pack("<HH", 0xFFFE, 0xE000)))
    # A sequence whose content is an element instead of an item.
    at = find_element(small_ex, 0x00081032)
    with open(badpath("element_instead_of_item.dcm"), "wb") as f:
        f.write(patch(small_ex, at + 12, struct.pack("<HH", 0x0008, 0x0100)))
    # An invalid VR.
    with open(badpath("invalid_vr.dcm"), "wb") as f:
        f.write(patch(small_ex, pn_at + 4, b"\x01\x02"))
    # US with an odd length in Explicit VR.
    at = find_element(small_ex, 0x00280010)  # Rows
    with open(badpath("odd_length_us.dcm"), "wb") as f:
        f.write(patch(small_ex, at + 6, struct.pack("<H", 3)))
    # Undefined length on a UT, where it is not allowed.
    ut = (meta_bytes(uid.ExplicitVRLittleEndian, CT_IMAGE, f"{ROOT}.3.23")
          + struct.pack("<HH2sHI", 0x0040, 0xA160, b"UT", 0, 0xFFFFFFFF) + b"text")
    with open(badpath("undefined_length_ut.dcm"), "wb") as f:
        f.write(ut)
    # A corrupt deflate stream: bytes flipped just after the meta group.
    meta_end = 132 + 12 + struct.unpack_from("<I", deflated, 140)[0]
    with open(badpath("corrupt_deflate.dcm"), "wb") as f:
        f.write(patch(deflated, meta_end, b"\xFF\xFF\xFF\xFF")[:meta_end + 600])
    # Zero bytes after the last element, then a byte that is not zero: not padding.
    with open(badpath("trailing_zeros_then_byte.dcm"), "wb") as f:
        f.write(small_ex + b"\0" * 100 + b"\1" + b"\0" * 27)
    # Not DICOM at all.
    with open(badpath("not_dicom.dcm"), "wb") as f:
        f.write(b"%PDF-1.4\n" + b"x" * 300)
    # An item delimiter at the top level.
    with open(badpath("stray_delimiter.dcm"), "wb") as f:
        f.write(meta_bytes(uid.ExplicitVRLittleEndian, CT_IMAGE, f"{ROOT}.3.24")
                + struct.pack("<HHI", 0xFFFE, 0xE00D, 0))


if __name__ == "__main__":
    main()
