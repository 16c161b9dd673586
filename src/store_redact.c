/* The log's address as it may be written to a log file (store.h,
 * df_store_address_for_log): a PostgreSQL address may carry a password,
 * which never reaches a log. Apart from the backends because it reads
 * addresses that no backend may be able to open (a malformed conninfo is
 * logged too), and small enough for a fuzz target
 * (tests/fuzz/fuzz_redact.c). */
#include "store.h"

#include <string.h>

/* The secret spans of an address, as byte ranges [from, to). When more are
 * found than there are slots, the last one stretches to the end of the
 * address: hiding too much is the safe side. */
#define SECRETS_MAX 8

struct secrets {
    size_t from[SECRETS_MAX], to[SECRETS_MAX];
    int n;
};

static void add_secret(struct secrets *sc, size_t from, size_t to, size_t len)
{
    if (from >= to)
        return;
    if (sc->n == SECRETS_MAX) {
        if (from < sc->from[SECRETS_MAX - 1])
            sc->from[SECRETS_MAX - 1] = from;
        sc->to[SECRETS_MAX - 1] = len;
        return;
    }
    sc->from[sc->n] = from;
    sc->to[sc->n] = to;
    sc->n++;
}

/* The value a[v..v_end) of keyword a[key..key_end) is secret when the keyword
 * ends in "password" (any case), is percent-encoded (a URI parameter's name
 * may be), or is a dbname holding a connection string of its own (libpq
 * expands one, password included). */
static bool check_value(struct secrets *sc, const char *a, size_t key, size_t key_end, size_t v,
                        size_t v_end, size_t len)
{
    static const char word[] = "password";
    const size_t n = sizeof word - 1;
    bool secret = memchr(a + key, '%', key_end - key) != NULL;
    if (key_end - key >= n) {
        bool ends_in_word = true;
        for (size_t i = 0; i < n; i++) {
            char c = a[key_end - n + i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            ends_in_word = ends_in_word && c == word[i];
        }
        secret = secret || ends_in_word;
    }
    if (key_end - key == 6 && memcmp(a + key, "dbname", 6) == 0)
        for (size_t i = v; i < v_end; i++)
            secret = secret || a[i] == '=' || a[i] == ':' || a[i] == '%';
    if (secret)
        add_secret(sc, v, v_end, len);
    return secret;
}

static bool conninfo_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* libpq's conninfo: keyword = value pairs, a value unquoted up to a space or
 * in single quotes, with backslash escapes in both. A word without '=' (a
 * SQLite path) is skipped. */
static void conninfo_secrets(const char *a, size_t len, struct secrets *sc)
{
    size_t i = 0;
    /* Words without '=' after a secret value ("password=my s3cret", which
     * libpq refuses) are taken for the rest of that value. */
    bool in_secret = false;
    while (i < len) {
        while (i < len && conninfo_space(a[i]))
            i++;
        size_t key = i;
        while (i < len && !conninfo_space(a[i]) && a[i] != '=')
            i++;
        size_t key_end = i;
        while (i < len && conninfo_space(a[i]))
            i++;
        if (i >= len || a[i] != '=') {
            if (in_secret && key_end > key)
                add_secret(sc, key, key_end, len);
            continue;
        }
        i++;
        while (i < len && conninfo_space(a[i]))
            i++;
        size_t v = i;
        bool quoted = i < len && a[i] == '\'';
        if (quoted)
            i++;
        while (i < len && (quoted ? a[i] != '\'' : !conninfo_space(a[i]))) {
            if (a[i] == '\\' && i + 1 < len)
                i++;
            i++;
        }
        if (quoted && i < len)
            i++;
        in_secret = check_value(sc, a, key, key_end, v, i, len);
    }
}

/* A URI: the user information ends at the last '@' (libpq takes the first,
 * but a password with an unescaped '@' or '/' must not show its tail), the
 * password is what follows its first ':'. Parameters are split at '&' and at
 * every '?', in case a '?' sits in the password. */
static void uri_secrets(const char *a, size_t len, size_t start, struct secrets *sc)
{
    const char *at = strrchr(a + start, '@');
    if (at != NULL) {
        const char *colon = memchr(a + start, ':', (size_t)(at - (a + start)));
        if (colon != NULL)
            add_secret(sc, (size_t)(colon + 1 - a), (size_t)(at - a), len);
    }
    const char *q = strchr(a + start, '?');
    for (size_t i = q != NULL ? (size_t)(q - a) + 1 : len; i < len;) {
        size_t end = i + strcspn(a + i, "&?");
        const char *eq = memchr(a + i, '=', end - i);
        if (eq != NULL)
            check_value(sc, a, i, (size_t)(eq - a), (size_t)(eq - a) + 1, end, len);
        i = end + 1;
    }
}

const char *df_store_address_for_log(const char *address, char *out, size_t size)
{
    if (size == 0)
        return out;
    size_t len = strlen(address);
    struct secrets sc = {.n = 0};
    size_t start = strncmp(address, "postgresql://", 13) == 0 ? 13
                   : strncmp(address, "postgres://", 11) == 0 ? 11
                                                              : 0;
    if (start > 0)
        uri_secrets(address, len, start, &sc);
    else
        conninfo_secrets(address, len, &sc);
    size_t o = 0;
    bool in_secret = false;
    for (size_t i = 0; i < len && o + 1 < size; i++) {
        bool secret = false;
        for (int k = 0; k < sc.n; k++)
            secret = secret || (i >= sc.from[k] && i < sc.to[k]);
        if (secret && !in_secret)
            for (const char *m = "***"; *m != '\0' && o + 1 < size; m++)
                out[o++] = *m;
        else if (!secret)
            out[o++] = address[i];
        in_secret = secret;
    }
    out[o] = '\0';
    return out;
}
