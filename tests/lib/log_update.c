/* Appends an update entry to a log, as the ingest side's update command and
 * the archive plugins will (spec §4): the tests of dcmfeed-pull need the
 * third action in a feed before any program writes it.
 *     log_update DB STUDY SERIES SOP METADATA_JSON
 * prints the new entry's Sequence; exit status 1 with the store's message. */
#include <stdio.h>
#include <string.h>

#include "store.h"

int main(int argc, char **argv)
{
    if (argc != 6) {
        fputs("usage: log_update DB STUDY SERIES SOP METADATA_JSON\n", stderr);
        return 2;
    }
    df_store *s = NULL;
    df_error err = {0, ""};
    int64_t sequence = 0;
    int rc = df_store_open(argv[1], DF_STORE_READWRITE, &s, &err);
    if (rc == 0)
        rc = df_store_begin(s, &err);
    if (rc == 0)
        rc = df_store_update(s, argv[2], argv[3], argv[4], argv[5], strlen(argv[5]), &sequence,
                             &err);
    if (rc == 0)
        rc = df_store_commit(s, &err);
    df_store_close(s);
    if (rc != 0) {
        fprintf(stderr, "log_update: %s\n", err.message);
        return 1;
    }
    printf("%lld\n", (long long)sequence);
    return 0;
}
