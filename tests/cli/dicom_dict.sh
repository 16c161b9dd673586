#!/bin/bash
# The committed src/dicom_dict.c is what tools/gen_dicom_dict.py writes from
# the DCMTK dictionary it names: regenerated here from the installed
# dicom.dic and compared line by line (the package line aside, as another
# build of the same file may say another version). Skips (77) without
# Debian's python3 or DCMTK's dicom.dic, or when the installed dicom.dic is
# not the one the table was made from (its sha256 differs: run
# `make dicom-dict` to take the new one).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/lib.sh"
src=$top_srcdir
dict=${DCMTK_DICT:-/usr/share/libdcmtk17/dicom.dic}
table=$src/src/dicom_dict.c

[ -x /usr/bin/python3 ] || skip_all "/usr/bin/python3 is missing"
[ -r "$dict" ] || skip_all "$dict is missing (apt-get install dcmtk)"
recorded=$(sed -n 's/^ \*   sha256: \([0-9a-f]*\)$/\1/p' "$table")
check "src/dicom_dict.c names the sha256 of its source" [ ${#recorded} -eq 64 ]
installed=$(sha256sum "$dict" | cut -d' ' -f1)
[ "$installed" = "$recorded" ] ||
    skip_all "$dict (sha256 $installed) is not the file src/dicom_dict.c was made from ($recorded)"

/usr/bin/python3 "$src/tools/gen_dicom_dict.py" "$dict" >"$test_dir/dicom_dict.c"
drop_package() { grep -v '^ \*   package: ' "$1"; }
if diff <(drop_package "$table") <(drop_package "$test_dir/dicom_dict.c") >"$test_dir/diff"; then
    ok "src/dicom_dict.c is the generator's output for $dict"
else
    head -n 20 "$test_dir/diff"
    not_ok "src/dicom_dict.c differs from the generator's output for $dict (make dicom-dict)"
fi
/usr/bin/python3 "$src/tools/gen_dicom_dict.py" --keywords "$dict" >"$test_dir/dicom_keywords.c"
if diff <(drop_package "$src/src/dicom_keywords.c") <(drop_package "$test_dir/dicom_keywords.c") >"$test_dir/diff"; then
    ok "src/dicom_keywords.c is the generator's output for $dict"
else
    head -n 20 "$test_dir/diff"
    not_ok "src/dicom_keywords.c differs from the generator's output for $dict (make dicom-dict)"
fi
entries=$(grep -c '^    {0x[0-9A-F]\{8\}, DF_DICOM_' "$table")
check "the table holds the standard's ~5,000 tags ($entries)" [ "$entries" -gt 4500 ]

# The generator refuses what it cannot map rather than dropping it.
printf '# Generated automatically from DICOM PS 3.6-2099a.\n(0010,0010)\tPN\tPatientName\t1\tDICOM\n(0010,0010)\tLO\tPatientName\t1\tDICOM\n' \
    >"$test_dir/twice.dic"
check "two VRs for one tag are refused" \
    bash -c '! /usr/bin/python3 "$1" "$2" >/dev/null 2>"$3" && grep -q "(0010,0010) given two VRs" "$3"' \
    _ "$src/tools/gen_dicom_dict.py" "$test_dir/twice.dic" "$test_dir/err"
printf '# Generated automatically from DICOM PS 3.6-2099a.\n(7000-70FF,0010)\tUS\tNewRepeater\t1\tDICOM\n' \
    >"$test_dir/range.dic"
check "a repeating group the reader does not fold is refused" \
    bash -c '! /usr/bin/python3 "$1" "$2" >/dev/null 2>"$3" && grep -q "is not one dicom.c folds" "$3"' \
    _ "$src/tools/gen_dicom_dict.py" "$test_dir/range.dic" "$test_dir/err"
finish
