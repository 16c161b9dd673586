#!/bin/bash
# Writes sample DICOM JSON datasets for the demo and the tests:
#   make_sample.sh DIR COUNT [STUDY_NUMBER [FIRST]]
# COUNT instances, 5 per series, in one study, numbered from FIRST (1 by
# default: a later call with a higher FIRST adds instances to the study); the
# patients are invented.
set -eu
dir=$1
count=$2
study_no=${3:-1}
first=${4:-1}
mkdir -p "$dir"
study="1.2.826.0.1.3680043.10.543.$study_no"
names=("Doe^Jane" "Müller^Jörg" "Smith^John^^Dr." "Yamada^Tarou" "O'Brien^Siobhán")
name=${names[$(((study_no - 1) % ${#names[@]}))]}
for i in $(seq "$first" $((first + count - 1))); do
    series_no=$(((i - 1) / 5 + 1))
    series="$study.$series_no"
    sop="$series.$i"
    cat >"$dir/$(printf "instance-%d-%03d.json" "$study_no" "$i")" <<JSON
{
  "00080016": { "vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"] },
  "00080018": { "vr": "UI", "Value": ["$sop"] },
  "00080020": { "vr": "DA", "Value": ["20261127"] },
  "00080060": { "vr": "CS", "Value": ["CT"] },
  "00081030": { "vr": "LO", "Value": ["CT THORAX \"LOW DOSE\""] },
  "00100010": { "vr": "PN", "Value": [{ "Alphabetic": "$name" }] },
  "00100020": { "vr": "LO", "Value": ["PAT$study_no"] },
  "0020000D": { "vr": "UI", "Value": ["$study"] },
  "0020000E": { "vr": "UI", "Value": ["$series"] },
  "00200013": { "vr": "IS", "Value": [$i] },
  "00280030": { "vr": "DS", "Value": [0.703125, 0.703125] },
  "00081115": { "vr": "SQ", "Value": [{ "0020000E": { "vr": "UI", "Value": ["$series"] } }] }
}
JSON
done
