/* The UID table (uid_table.h): linear probing over slots that hold the index
 * of a key, grown to keep at most half of them in use. */
#include "uid_table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void df_uid_table_init(df_uid_table *t)
{
    memset(t, 0, sizeof *t);
}

void df_uid_table_free(df_uid_table *t)
{
    free(t->slots);
    free(t->offset);
    free(t->keys);
    df_uid_table_init(t);
}

void df_uid_table_clear(df_uid_table *t)
{
    if (t->slots != NULL)
        memset(t->slots, 0, t->nslots * sizeof *t->slots);
    t->count = 0;
    t->used = 0;
}

/* 64-bit FNV-1a. */
static uint64_t hash(const char *key)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (const unsigned char *p = (const unsigned char *)key; *p != '\0'; p++) {
        h ^= *p;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

const char *df_uid_table_key(const df_uid_table *t, size_t index)
{
    return t->keys + t->offset[index];
}

/* The slot that holds key, or the empty slot where it would go. */
static size_t probe(const df_uid_table *t, const char *key)
{
    size_t mask = t->nslots - 1;
    size_t i = (size_t)hash(key) & mask;
    while (t->slots[i] != 0 && strcmp(df_uid_table_key(t, t->slots[i] - 1), key) != 0)
        i = (i + 1) & mask;
    return i;
}

bool df_uid_table_find(const df_uid_table *t, const char *key, size_t *index)
{
    if (t->nslots == 0)
        return false;
    size_t i = probe(t, key);
    if (t->slots[i] == 0)
        return false;
    *index = t->slots[i] - 1;
    return true;
}

static bool grow_slots(df_uid_table *t)
{
    size_t n = t->nslots ? t->nslots * 2 : 64;
    size_t *slots = calloc(n, sizeof *slots);
    if (slots == NULL)
        return false;
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
    for (size_t k = 0; k < t->count; k++)
        t->slots[probe(t, df_uid_table_key(t, k))] = k + 1;
    return true;
}

bool df_uid_table_add(df_uid_table *t, const char *key, size_t *index, bool *added)
{
    if (added != NULL)
        *added = false;
    if (df_uid_table_find(t, key, index))
        return true;
    if ((t->count + 1) * 2 > t->nslots && !grow_slots(t))
        return false;
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        size_t *offset = realloc(t->offset, cap * sizeof *offset);
        if (offset == NULL)
            return false;
        t->offset = offset;
        t->cap = cap;
    }
    size_t len = strlen(key) + 1;
    if (len > t->keys_cap - t->used) {
        size_t cap = t->keys_cap ? t->keys_cap : 4096;
        while (cap - t->used < len)
            cap *= 2;
        char *keys = realloc(t->keys, cap);
        if (keys == NULL)
            return false;
        t->keys = keys;
        t->keys_cap = cap;
    }
    memcpy(t->keys + t->used, key, len);
    t->offset[t->count] = t->used;
    t->used += len;
    t->slots[probe(t, key)] = t->count + 1;
    *index = t->count++;
    if (added != NULL)
        *added = true;
    return true;
}
