#!/usr/bin/python3
"""Writes COUNT DICOM JSON datasets of about SIZE bytes of metadata each into
DIR (one study, one series), for the tests of large answers:
    make_big.py DIR COUNT SIZE
The bulk is a long LT text and a DS array, kinds of values a real dataset
carries in the hundreds of kilobytes (an RT structure set's contours)."""
import json
import os
import sys

out, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
study = "1.2.826.0.1.3680043.10.998.1"
# The DS values are written as "1.5" and a comma: 4 bytes each.
text = size // 2
values = max(1, (size - text) // 4)
for i in range(1, count + 1):
    ds = {
        "00080016": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.481.3"]},
        "00080018": {"vr": "UI", "Value": [f"{study}.1.{i}"]},
        "00080060": {"vr": "CS", "Value": ["RTSTRUCT"]},
        "0020000D": {"vr": "UI", "Value": [study]},
        "0020000E": {"vr": "UI", "Value": [study + ".1"]},
        "00204000": {"vr": "LT", "Value": ["x" * text]},
        "30060050": {"vr": "DS", "Value": [1.5] * values},
    }
    with open(os.path.join(out, f"big-{i:04d}.json"), "w") as f:
        json.dump(ds, f)
