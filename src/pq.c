#include "pq.h"

#ifdef HAVE_LIBPQ

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* libpq's soname has been libpq.so.5 since PostgreSQL 8.0 (2005). */
#define LIBPQ_SONAME "libpq.so.5"

static df_pq table;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[DF_ERROR_MESSAGE_MAX]; /* "" when loaded */

static void load(void)
{
    /* RTLD_LOCAL: libpq's symbols stay out of the global scope, where they
     * could shadow another library's. The handle is never closed. */
    void *lib = dlopen(LIBPQ_SONAME, RTLD_NOW | RTLD_LOCAL);
    const char *missing = NULL;
    if (lib != NULL) {
#define DF_PQ_LOOKUP(name)                                                                         \
    if (missing == NULL && (table.name = (__typeof__(table.name))dlsym(lib, #name)) == NULL)       \
        missing = #name;
        DF_PQ_FUNCTIONS(DF_PQ_LOOKUP)
#undef DF_PQ_LOOKUP
    }
    if (lib == NULL) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error,
                 "cannot load " LIBPQ_SONAME ", the PostgreSQL client library (on Debian: "
                 "apt-get install libpq5): %s",
                 why != NULL ? why : "unknown reason");
    } else if (missing != NULL) {
        snprintf(load_error, sizeof load_error,
                 LIBPQ_SONAME " lacks %s: it is older than PostgreSQL 10's", missing);
    }
}

int df_pq_load(const df_pq **out, df_error *err)
{
    *out = NULL;
    pthread_once(&once, load);
    if (load_error[0] != '\0')
        return df_error_set(err, DF_EDB, "%s", load_error);
    *out = &table;
    return 0;
}

#endif
