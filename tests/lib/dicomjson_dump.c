/* Prints the DICOM JSON metadata dcmfeed writes for each Part 10 file named on
 * the command line, one compact object per line (tests/cli/dcm2json_compare.sh
 * compares it with DCMTK's dcm2json). Exit status 1 when a file fails; its
 * error and any warning go to stderr. */
#include <stdio.h>

#include "dicomjson.h"

int main(int argc, char **argv)
{
    df_dicomjson *c = df_dicomjson_new();
    if (c == NULL) {
        fputs("dicomjson_dump: out of memory\n", stderr);
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        df_dicomjson_result res;
        df_error err = {0, ""};
        if (df_dicomjson_convert_path(c, argv[i], &res, &err) != 0) {
            fprintf(stderr, "error: %s\n", err.message);
            status = 1;
            continue;
        }
        if (res.warning[0] != '\0')
            fprintf(stderr, "warning: %s: %s\n", argv[i], res.warning);
        fwrite(res.metadata, 1, res.metadata_len, stdout);
        fputc('\n', stdout);
    }
    df_dicomjson_free(c);
    return status;
}
