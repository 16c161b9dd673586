/* Loads libpq at run time for store_pg.c (pq.h says why it is not linked). */
#ifdef HAVE_CONFIG_H
#include "config.h" /* HAVE_LIBPQ */
#endif
#include "pq.h"

#ifdef HAVE_LIBPQ

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>

/* libpq's soname has been libpq.so.5 since PostgreSQL 8.0 (2005). */
#define LIBPQ_SONAME "libpq.so.5"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static df_pq table;
static bool loaded; /* under lock; once true, table is never written again */

/* Fills table from a loaded libpq, or says which function it lacks. */
static int lookup(void *lib, df_error *err)
{
    const char *missing = NULL;
#define DF_PQ_LOOKUP(name)                                                                         \
    if (missing == NULL && (table.name = (__typeof__(table.name))dlsym(lib, #name)) == NULL)       \
        missing = #name;
    DF_PQ_FUNCTIONS(DF_PQ_LOOKUP)
#undef DF_PQ_LOOKUP
    if (missing != NULL)
        return df_error_set(err, DF_EDB, "cannot use " LIBPQ_SONAME ": it has no %s", missing);
    return 0;
}

/* A failure is not remembered: a responder that answered 503 because libpq5
 * was missing works once it is installed, without a restart. */
int df_pq_load(const df_pq **out, df_error *err)
{
    *out = NULL;
    int rc = 0;
    pthread_mutex_lock(&lock);
    if (!loaded) {
        /* RTLD_LOCAL: libpq's symbols stay out of the global scope, where
         * they could shadow another library's. A usable one is never closed. */
        void *lib = dlopen(LIBPQ_SONAME, RTLD_NOW | RTLD_LOCAL);
        if (lib == NULL) {
            const char *why = dlerror();
            rc = df_error_set(err, DF_EDB,
                              "cannot load " LIBPQ_SONAME ", the PostgreSQL client library (on "
                              "Debian: apt-get install libpq5): %s",
                              why != NULL ? why : "unknown reason");
        } else {
            rc = lookup(lib, err);
            if (rc != 0)
                dlclose(lib);
            loaded = rc == 0;
        }
    }
    pthread_mutex_unlock(&lock);
    if (rc == 0)
        *out = &table;
    return rc;
}

#endif
