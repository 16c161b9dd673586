# Writes viewer/dicom-keywords.json, the viewer's table of tag -> keyword,
# from the reader's own dictionary, src/dicom_dict.c (whose comments carry
# DCMTK's keywords), so that the page names exactly the tags the reader knows:
#   awk -f tools/dicom_keywords.awk src/dicom_dict.c > viewer/dicom-keywords.json
# (the Makefile runs it at build time). One "GGGGEEEE": "Keyword" pair a line,
# in the table's order; retired tags keep DCMTK's RETIRED_ prefix, which the
# page shows as "(retired)". The repeating groups (50xx, 60xx, 7Fxx) are
# given under their first group, as the reader holds them; the page folds
# them the same way. A line of the table that does not read as expected
# stops the build rather than drop a tag.

BEGIN {
    print "{"
    n = 0
}

/^    \{0x[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F], DF_DICOM_/ {
    if (!match($0, /\/\* [A-Za-z0-9_]+ \*\/$/))
        fail("no keyword comment")
    keyword = substr($0, RSTART + 3, RLENGTH - 6)
    tag = substr($0, 8, 8)
    if (n++ > 0)
        printf ",\n"
    printf "\"%s\":\"%s\"", tag, keyword
    next
}

# Any other line naming a tag is a line this script does not understand.
/0x[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]/ {
    fail("not a table line")
}

function fail(why) {
    printf "dicom_keywords.awk: %s:%d: %s: %s\n", FILENAME, FNR, why, $0 | "cat 1>&2"
    failed = 1
    exit 1
}

END {
    if (failed)
        exit 1
    if (n < 4500) {
        printf "dicom_keywords.awk: only %d tags in %s\n", n, FILENAME | "cat 1>&2"
        exit 1
    }
    print "\n}"
}
