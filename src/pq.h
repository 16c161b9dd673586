/* libpq, loaded when the first PostgreSQL log is opened instead of linked.
 * Linked, libpq and the twenty libraries it pulls in (OpenSSL, GnuTLS,
 * Kerberos, LDAP, SASL…) cost every process that can open a log 5.4 MB of
 * memory and 3 ms of loading at each start, SQLite logs included: a CGI
 * request or a storescp hook runs a fresh process each time, and a FastCGI
 * responder's resident size doubled. Only store_pg.c uses this module. */
#ifndef DF_PQ_H
#define DF_PQ_H

#ifdef HAVE_LIBPQ

#include <libpq-fe.h>

#include "error.h"

/* The libpq functions dcmfeed calls, each a member of df_pq under its own
 * name, with the type libpq-fe.h declares for it. */
#define DF_PQ_FUNCTIONS(X)                                                                         \
    X(PQclear)                                                                                     \
    X(PQcmdStatus)                                                                                 \
    X(PQcmdTuples)                                                                                 \
    X(PQconnectdb)                                                                                 \
    X(PQconninfoFree)                                                                              \
    X(PQconninfoParse)                                                                             \
    X(PQconsumeInput)                                                                              \
    X(PQerrorMessage)                                                                              \
    X(PQexec)                                                                                      \
    X(PQexecParams)                                                                                \
    X(PQexecPrepared)                                                                              \
    X(PQfinish)                                                                                    \
    X(PQfreemem)                                                                                   \
    X(PQgetisnull)                                                                                 \
    X(PQgetlength)                                                                                 \
    X(PQgetvalue)                                                                                  \
    X(PQnotifies)                                                                                  \
    X(PQntuples)                                                                                   \
    X(PQprepare)                                                                                   \
    X(PQresultErrorField)                                                                          \
    X(PQresultErrorMessage)                                                                        \
    X(PQresultStatus)                                                                              \
    X(PQsocket)                                                                                    \
    X(PQstatus)

typedef struct df_pq {
#define DF_PQ_MEMBER(name) __typeof__(name) *name;
    DF_PQ_FUNCTIONS(DF_PQ_MEMBER)
#undef DF_PQ_MEMBER
} df_pq;

/* Loads libpq unless an earlier call did (thread-safe) and returns its
 * functions in *out, valid until the process exits. DF_EDB, with the
 * loader's reason and the Debian package to install, when libpq cannot be
 * loaded; the next call tries again. */
int df_pq_load(const df_pq **out, df_error *err);

#endif
#endif
