/* libFuzzer target for the log address redactor (df_store_address_for_log,
 * src/store_redact.c): any bytes in, and no password may come out.
 *
 * Input layout: TEMPLATE [\0 SECRET]. The address is TEMPLATE with its first
 * \x01 byte replaced by SECRET. Checked for every input:
 * - the output is NUL-terminated, fits its buffer, and a shorter buffer
 *   gets a prefix of the same output;
 * - "password=SECRET" and "postgresql://u:SECRET@h/d" never show SECRET
 *   when it is plain (printable, no space, quote or backslash: a password
 *   as written, unquoted);
 * - with libpq (a build with PostgreSQL support): when libpq's own parser,
 *   PQconninfoParse, reads SECRET as the password or sslpassword of the
 *   address or of either form above, the output never holds SECRET.
 * SECRET is looked for only where it cannot occur by chance: not empty,
 * without '*' (the mask) and not part of the address's other text. */
#ifdef HAVE_CONFIG_H
#include "config.h" /* HAVE_LIBPQ */
#endif
#include "store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Masks can make the output longer than the address: three bytes for one,
 * at most eight spans (SECRETS_MAX) plus the words hidden after them. */
#define ROOM 64

static char *concat3(const char *a, size_t na, const char *b, size_t nb, const char *c, size_t nc)
{
    char *s = malloc(na + nb + nc + 1);
    if (s == NULL)
        abort();
    memcpy(s, a, na);
    memcpy(s + na, b, nb);
    memcpy(s + na + nb, c, nc);
    s[na + nb + nc] = '\0';
    return s;
}

/* Redacts address into a buffer large enough for all of it, checks the
 * buffer's promises, and a shorter buffer's; returns the output (free it). */
static char *redact(const char *address, size_t short_size)
{
    size_t size = strlen(address) * 3 + ROOM;
    char *out = malloc(size);
    if (out == NULL)
        abort();
    memset(out, 'Z', size);
    if (df_store_address_for_log(address, out, size) != out)
        abort();
    size_t n = strnlen(out, size);
    if (n == size)
        abort(); /* not NUL-terminated */
    /* A shorter buffer: the same text, cut. */
    if (short_size > 0 && short_size < size) {
        char *cut = malloc(short_size);
        if (cut == NULL)
            abort();
        df_store_address_for_log(address, cut, short_size);
        size_t m = strnlen(cut, short_size);
        if (m == short_size || m > n || memcmp(cut, out, m) != 0)
            abort();
        if (m < n && m != short_size - 1)
            abort(); /* cut short of the room it had */
        free(cut);
    }
    return out;
}

/* The secret must not show in the output when it cannot be there by chance:
 * it is not part of the address's other text. */
static void never_shows(const char *out, const char *secret, const char *before, size_t nb,
                        const char *after, size_t na)
{
    if (memmem(before, nb, secret, strlen(secret)) != NULL ||
        memmem(after, na, secret, strlen(secret)) != NULL)
        return;
    if (strstr(out, secret) != NULL)
        abort();
}

#ifdef HAVE_LIBPQ
/* True when libpq reads secret as the address's password or sslpassword. */
static bool libpq_reads_password(const char *address, const char *secret)
{
    char *error = NULL;
    PQconninfoOption *options = PQconninfoParse(address, &error);
    PQfreemem(error);
    if (options == NULL)
        return false;
    bool found = false;
    for (PQconninfoOption *o = options; o->keyword != NULL; o++)
        if ((strcmp(o->keyword, "password") == 0 || strcmp(o->keyword, "sslpassword") == 0) &&
            o->val != NULL && strcmp(o->val, secret) == 0)
            found = true;
    PQconninfoFree(options);
    return found;
}
#else
static bool libpq_reads_password(const char *address, const char *secret)
{
    (void)address;
    (void)secret;
    return false;
}
#endif

/* A password as one writes it unquoted: the redactor must hide it whole. */
static bool plain(const char *secret)
{
    for (const char *c = secret; *c != '\0'; c++)
        if (*c <= ' ' || *c > '~' || *c == '\'' || *c == '\\')
            return false;
    return true;
}

static void fixed_form(const char *prefix, const char *secret, const char *suffix,
                       size_t short_size)
{
    char *address = concat3(prefix, strlen(prefix), secret, strlen(secret), suffix, strlen(suffix));
    char *out = redact(address, short_size);
    if (plain(secret) || libpq_reads_password(address, secret))
        never_shows(out, secret, prefix, strlen(prefix), suffix, strlen(suffix));
    free(out);
    free(address);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t tlen = strnlen(text, size);
    size_t slen = tlen < size ? strnlen(text + tlen + 1, size - tlen - 1) : 0;
    char *template = concat3(text, tlen, "", 0, "", 0);
    char *secret = concat3(tlen < size ? text + tlen + 1 : "", slen, "", 0, "", 0);
    size_t short_size = size > 0 ? 1 + data[size - 1] % 40 : 0;
    bool usable = secret[0] != '\0' && strchr(secret, '*') == NULL;

    const char *hole = strchr(template, '\x01');
    char *address = hole == NULL ? concat3(template, tlen, "", 0, "", 0)
                                 : concat3(template, (size_t)(hole - template), secret, slen,
                                           hole + 1, strlen(hole + 1));
    char *out = redact(address, short_size);
    if (usable && hole != NULL && libpq_reads_password(address, secret))
        never_shows(out, secret, template, (size_t)(hole - template), hole + 1, strlen(hole + 1));
    free(out);
    free(address);

    if (usable) {
        fixed_form("password=", secret, "", short_size);
        fixed_form("postgresql://u:", secret, "@h/d", short_size);
    }
    free(template);
    free(secret);
    return 0;
}
