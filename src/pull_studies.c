/* Pending studies, hand-over records and their state file: see
 * pull_studies.h. Every study known (pending, or remembered as handed over)
 * is one struct in an open-addressing table keyed by its UID, and on up to
 * three lists: pending studies in order of their last entry read (the head's
 * deadline comes first), pending studies in order of their first pending
 * Sequence (the head holds the resume point), and remembered studies in
 * order of hand-over (the head is forgotten first). */
#include "pull_studies.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "num.h"
#include "pull_state.h"

/* Largest state file read: DF_STUDIES_REMEMBER records are about 10 MB. */
#define STATE_FILE_MAX (512u * 1024u * 1024u)

typedef struct study study;
typedef struct list {
    study *head, *tail;
    size_t count;
} list;
typedef struct links {
    study *prev, *next;
} links;

struct study {
    char uid[DF_STUDIES_UID_MAX + 1];
    uint64_t hash;
    int64_t revision;    /* hand-overs so far, 0 when none is remembered */
    int64_t handed_last; /* the last Sequence handed over, 0 when none */
    bool remembered;     /* on s->handed */
    int64_t *seqs;       /* pending Sequences, ascending; n == 0: not pending */
    size_t n, cap;
    double last_read;
    bool all_deleted; /* every pending entry was read with State "deleted" */
    bool last_delete; /* the last pending entry is a delete */
    bool ready;       /* complete by deletion */
    links by_read, by_first, by_hand;
};

struct df_studies {
    study **table; /* open addressing, linear probing; NULL: empty */
    size_t table_cap;
    size_t table_used;
    list by_read;  /* pending, by the time their last entry was read */
    list by_first; /* pending, by their first pending Sequence */
    list handed;   /* remembered, in order of hand-over */
    study *last_added;
    size_t ready; /* pending studies complete by deletion */
    int64_t resume;
    char feed_id[17];
    bool feed_id_written;
    char *path;
    int fd;       /* the state file open for appends, -1 when not */
    size_t lines; /* lines in the file */
    size_t bytes; /* allocated for seqs */
};

/* --- lists ---------------------------------------------------------------------- */

#define LIST_UNLINK(l, st, f)                                                                      \
    do {                                                                                           \
        if ((st)->f.prev != NULL)                                                                  \
            (st)->f.prev->f.next = (st)->f.next;                                                   \
        else                                                                                       \
            (l)->head = (st)->f.next;                                                              \
        if ((st)->f.next != NULL)                                                                  \
            (st)->f.next->f.prev = (st)->f.prev;                                                   \
        else                                                                                       \
            (l)->tail = (st)->f.prev;                                                              \
        (st)->f.prev = (st)->f.next = NULL;                                                        \
        (l)->count--;                                                                              \
    } while (0)

#define LIST_APPEND(l, st, f)                                                                      \
    do {                                                                                           \
        (st)->f.prev = (l)->tail;                                                                  \
        (st)->f.next = NULL;                                                                       \
        if ((l)->tail != NULL)                                                                     \
            (l)->tail->f.next = (st);                                                              \
        else                                                                                       \
            (l)->head = (st);                                                                      \
        (l)->tail = (st);                                                                          \
        (l)->count++;                                                                              \
    } while (0)

/* --- the table ------------------------------------------------------------------ */

static uint64_t hash_uid(const char *uid, size_t len)
{
    return df_fnv1a(DF_FNV_START, uid, len);
}

static size_t slot_of(const df_studies *s, const char *uid, uint64_t h)
{
    size_t mask = s->table_cap - 1;
    size_t i = (size_t)h & mask;
    while (s->table[i] != NULL && (s->table[i]->hash != h || strcmp(s->table[i]->uid, uid) != 0))
        i = (i + 1) & mask;
    return i;
}

static study *find(const df_studies *s, const char *uid)
{
    if (s->table_cap == 0)
        return NULL;
    return s->table[slot_of(s, uid, hash_uid(uid, strlen(uid)))];
}

static bool grow_table(df_studies *s)
{
    size_t cap = s->table_cap ? s->table_cap * 2 : 1024;
    study **t = calloc(cap, sizeof *t);
    if (t == NULL)
        return false;
    study **old = s->table;
    size_t old_cap = s->table_cap;
    s->table = t;
    s->table_cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] != NULL)
            t[slot_of(s, old[i]->uid, old[i]->hash)] = old[i];
    free(old);
    return true;
}

/* The study uid (checked by the caller), created when unknown; NULL when
 * out of memory. */
static study *find_or_add(df_studies *s, const char *uid, size_t len)
{
    if ((s->table_used + 1) * 2 > s->table_cap && !grow_table(s))
        return NULL;
    uint64_t h = hash_uid(uid, len);
    size_t i = slot_of(s, uid, h);
    if (s->table[i] != NULL)
        return s->table[i];
    study *st = calloc(1, sizeof *st);
    if (st == NULL)
        return NULL;
    memcpy(st->uid, uid, len);
    st->hash = h;
    s->table[i] = st;
    s->table_used++;
    return st;
}

/* Removes st from the table (backward-shift deletion keeps every probe
 * sequence whole) and frees it; st is on no list. */
static void forget(df_studies *s, study *st)
{
    size_t mask = s->table_cap - 1;
    size_t i = slot_of(s, st->uid, st->hash);
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (s->table[j] == NULL)
            break;
        size_t home = (size_t)s->table[j]->hash & mask;
        /* Move table[j] into the hole at i unless its home lies cyclically
         * in (i, j]. */
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!stays) {
            s->table[i] = s->table[j];
            i = j;
        }
    }
    s->table[i] = NULL;
    s->table_used--;
    free(st->seqs);
    free(st);
}

df_studies *df_studies_new(void)
{
    df_studies *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->resume = 1;
    s->fd = -1;
    return s;
}

void df_studies_free(df_studies *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->table_cap; i++) {
        if (s->table[i] != NULL) {
            free(s->table[i]->seqs);
            free(s->table[i]);
        }
    }
    free(s->table);
    if (s->fd >= 0)
        close(s->fd);
    free(s->path);
    free(s);
}

int64_t df_studies_resume(const df_studies *s)
{
    return s->resume;
}

void df_studies_set_resume(df_studies *s, int64_t resume)
{
    s->resume = resume;
}

const char *df_studies_feed_id(const df_studies *s)
{
    return s->feed_id;
}

void df_studies_set_feed_id(df_studies *s, const char *feed_id)
{
    if (s->feed_id[0] != '\0')
        return;
    snprintf(s->feed_id, sizeof s->feed_id, "%s", feed_id);
    s->feed_id_written = false;
}

size_t df_studies_pending_count(const df_studies *s)
{
    return s->by_first.count;
}

size_t df_studies_bytes(const df_studies *s)
{
    return sizeof *s + s->table_cap * sizeof *s->table + s->table_used * sizeof(study) + s->bytes;
}

/* --- reading ---------------------------------------------------------------------- */

/* A study whose pending entries are all deletes of instances deleted now,
 * the last of them a delete, is complete at once: everything that happened
 * to it since its last hand-over is undone. */
static void settle(df_studies *s, study *st)
{
    if (st != NULL && st->n > 0 && st->all_deleted && st->last_delete && !st->ready) {
        st->ready = true;
        s->ready++;
    }
}

static void unready(df_studies *s, study *st)
{
    if (st->ready) {
        st->ready = false;
        s->ready--;
    }
}

void df_studies_settle(df_studies *s)
{
    settle(s, s->last_added);
}

static bool is(const char *value, const char *want)
{
    return value != NULL && strcmp(value, want) == 0;
}

int df_studies_add(df_studies *s, int64_t sequence, const char *uid, const char *action,
                   const char *state, double now, df_studies_taken *taken, df_error *err)
{
    size_t len = uid != NULL ? strlen(uid) : 0;
    if (len == 0 || len > DF_STUDIES_UID_MAX)
        return df_error_set(err, DF_EINVAL,
                            "entry %lld has %s StudyInstanceUid: it cannot be grouped by study",
                            (long long)sequence, len == 0 ? "no" : "an overlong");
    study *st = find_or_add(s, uid, len);
    if (st == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory grouping entries by study");
    /* The reading moved on to another study: the one before may be complete
     * by deletion (a deletion is one commit, its entries consecutive). */
    if (s->last_added != NULL && s->last_added != st)
        settle(s, s->last_added);
    s->last_added = st;
    if (st->handed_last >= sequence) {
        *taken = DF_STUDIES_SKIPPED;
        return 0;
    }
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 8;
        int64_t *grown = realloc(st->seqs, cap * sizeof *grown);
        if (grown == NULL)
            return df_error_set(err, DF_ENOMEM, "out of memory grouping entries by study");
        s->bytes += (cap - st->cap) * sizeof *grown;
        st->seqs = grown;
        st->cap = cap;
    }
    if (st->n == 0) {
        st->all_deleted = true;
        LIST_APPEND(&s->by_first, st, by_first);
    } else {
        LIST_UNLINK(&s->by_read, st, by_read);
    }
    LIST_APPEND(&s->by_read, st, by_read);
    st->seqs[st->n++] = sequence;
    st->last_read = now;
    st->all_deleted = st->all_deleted && is(state, "deleted");
    st->last_delete = is(action, "delete");
    /* News for a study complete by deletion (a new create) makes it wait again. */
    unready(s, st);
    *taken = DF_STUDIES_PENDING;
    return 0;
}

static void view(const study *st, df_studies_pending *out)
{
    out->uid = st->uid;
    out->sequences = st->seqs;
    out->count = st->n;
    out->revision = st->revision + 1;
    out->deleted = st->ready;
}

bool df_studies_next(df_studies *s, double now, double stable_age, df_studies_pending *out,
                     double *wait)
{
    *wait = -1;
    for (study *st = s->ready > 0 ? s->by_first.head : NULL; st != NULL; st = st->by_first.next) {
        if (st->ready) {
            view(st, out);
            return true;
        }
    }
    study *oldest = s->by_read.head;
    if (oldest == NULL)
        return false;
    double due = oldest->last_read + stable_age;
    if (due <= now) {
        view(oldest, out);
        return true;
    }
    *wait = due - now;
    return false;
}

/* --- the state file ------------------------------------------------------------------ */

static void append_record(df_buf *b, const char *kind, const study *st)
{
    df_buf_append_str(b, kind);
    df_buf_append_char(b, ' ');
    df_buf_append_i64(b, st->revision);
    df_buf_append_char(b, ' ');
    df_buf_append_i64(b, st->handed_last);
    df_buf_append_char(b, ' ');
}

/* Forgets the oldest records that nothing needs: not pending, and handed
 * over before the resume point (no re-read can meet them). A few per call,
 * so that a hand-over stays cheap; a record still needed moves to the tail. */
static void prune(df_studies *s)
{
    for (int i = 0; i < 8 && s->handed.count > DF_STUDIES_REMEMBER; i++) {
        study *st = s->handed.head;
        LIST_UNLINK(&s->handed, st, by_hand);
        if (st->n > 0 || st->handed_last >= s->resume) {
            LIST_APPEND(&s->handed, st, by_hand);
            continue;
        }
        st->remembered = false;
        if (s->last_added == st)
            s->last_added = NULL;
        s->bytes -= st->cap * sizeof *st->seqs;
        forget(s, st);
    }
}

static int set_record(df_studies *s, const char *uid, size_t len, int64_t revision, int64_t last,
                      df_error *err)
{
    study *st = find_or_add(s, uid, len);
    if (st == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory reading the state");
    st->revision = revision;
    st->handed_last = last;
    if (st->remembered)
        LIST_UNLINK(&s->handed, st, by_hand);
    LIST_APPEND(&s->handed, st, by_hand);
    st->remembered = true;
    return 0;
}

/* The next space-separated field of line[*i..n) as an integer from 0 (1 for
 * a Sequence) to INT64_MAX. */
static bool field_i64(const char *line, size_t n, size_t *i, int64_t min, int64_t *out)
{
    size_t start = *i;
    while (*i < n && line[*i] != ' ')
        (*i)++;
    if (df_parse_i64(line + start, *i - start, min, INT64_MAX, out) != DF_NUM_OK)
        return false;
    if (*i < n)
        (*i)++; /* the space */
    return true;
}

static bool valid_uid(const char *p, size_t n)
{
    if (n == 0 || n > DF_STUDIES_UID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] <= ' ' || (unsigned char)p[i] == 0x7f)
            return false;
    return true;
}

static int parse_line(df_studies *s, const char *line, size_t n, size_t number, df_error *err)
{
    size_t i = 0;
    int64_t revision = 0, last = 0, resume = 0;
#define STARTS(word) (n > sizeof word && memcmp(line, word " ", sizeof word) == 0)
    if (STARTS("feed")) {
        i = 5;
        if (n - i != 16 || strspn(line + i, "0123456789abcdef") < 16)
            goto bad;
        memcpy(s->feed_id, line + i, 16);
        s->feed_id[16] = '\0';
        s->feed_id_written = true;
        return 0;
    }
    if (STARTS("resume")) {
        i = 7;
        if (!field_i64(line, n, &i, 1, &resume) || i != n)
            goto bad;
        s->resume = resume;
        return 0;
    }
    if (STARTS("study") || STARTS("handed")) {
        bool handed = line[0] == 'h';
        i = handed ? 7 : 6;
        if (!field_i64(line, n, &i, 1, &revision) || !field_i64(line, n, &i, 1, &last))
            goto bad;
        if (handed && !field_i64(line, n, &i, 1, &resume))
            goto bad;
        if (!valid_uid(line + i, n - i))
            goto bad;
        char uid[DF_STUDIES_UID_MAX + 1];
        memcpy(uid, line + i, n - i);
        uid[n - i] = '\0';
        if (handed)
            s->resume = resume;
        return set_record(s, uid, n - i, revision, last, err);
    }
#undef STARTS
bad:
    return df_error_set(err, DF_EINVAL, "line %zu is not a line of a --per-study state", number);
}

int df_studies_parse(df_studies *s, const char *text, size_t len, df_error *err)
{
    size_t magic = strlen(DF_STUDIES_MAGIC);
    if (len < magic + 1 || memcmp(text, DF_STUDIES_MAGIC "\n", magic + 1) != 0) {
        int64_t seq;
        if (len > 0 && df_pull_state_parse(text, len, &seq, NULL) == 0)
            return df_error_set(err, DF_EINVAL,
                                "holds a Sequence of a run without --per-study, not a "
                                "--per-study state");
        return df_error_set(err, DF_EINVAL, "does not start with '%s'", DF_STUDIES_MAGIC);
    }
    size_t i = magic + 1, number = 1;
    s->lines = 1;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        if (nl == NULL)
            break; /* a line being appended at a crash: that hand-over happens again */
        size_t n = (size_t)(nl - (text + i));
        number++;
        int rc = parse_line(s, text + i, n, number, err);
        if (rc != 0)
            return rc;
        s->lines++;
        i += n + 1;
    }
    return 0;
}

int df_studies_load(df_studies *s, const char *path, bool *found, df_error *err)
{
    *found = false;
    free(s->path);
    s->path = strdup(path);
    if (s->path == NULL)
        return df_error_set(err, DF_ENOMEM, "out of memory");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        return df_error_set(err, DF_EIO, "cannot open the state file %s: %s", path,
                            strerror(errno));
    }
    df_buf text;
    df_buf_init(&text, STATE_FILE_MAX);
    char chunk[65536];
    int rc = 0;
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = df_error_set(err, DF_EIO, "cannot read the state file %s: %s", path,
                              strerror(errno));
            goto out;
        }
        if (got == 0)
            break;
        df_buf_append(&text, chunk, (size_t)got);
        if (df_buf_failed(&text)) {
            rc = df_error_set(err, DF_EINVAL, "the state file %s is corrupt: it is too long", path);
            goto out;
        }
    }
    df_error why = {0};
    if (df_studies_parse(s, text.data != NULL ? text.data : "", text.len, &why) != 0) {
        rc = df_error_set(err, why.code == DF_ENOMEM ? DF_ENOMEM : DF_EINVAL,
                          "the state file %s is not usable: it %s; fix or remove it (removing it "
                          "starts over from --from-start or --from-latest)",
                          path, why.message);
        goto out;
    }
    *found = true;
out:
    close(fd);
    df_buf_free(&text);
    return rc;
}

static void append_feed(df_studies *s, df_buf *b)
{
    if (s->feed_id[0] == '\0')
        return;
    df_buf_append_str(b, "feed ");
    df_buf_append_str(b, s->feed_id);
    df_buf_append_char(b, '\n');
}

static int open_for_appends(df_studies *s, df_error *err)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = open(s->path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (s->fd < 0)
        return df_error_set(err, DF_EIO, "cannot open the state file %s: %s", s->path,
                            strerror(errno));
    return 0;
}

int df_studies_save(df_studies *s, df_error *err)
{
    if (s->path == NULL)
        return 0;
    df_buf text;
    df_buf_init(&text, STATE_FILE_MAX);
    df_buf_append_str(&text, DF_STUDIES_MAGIC "\n");
    append_feed(s, &text);
    size_t lines = s->feed_id[0] != '\0' ? 2u : 1u;
    for (study *st = s->handed.head; st != NULL; st = st->by_hand.next) {
        append_record(&text, "study", st);
        df_buf_append_str(&text, st->uid);
        df_buf_append_char(&text, '\n');
        lines++;
    }
    df_buf_append_str(&text, "resume ");
    df_buf_append_i64(&text, s->resume);
    df_buf_append_char(&text, '\n');
    lines++;
    int rc = df_buf_failed(&text) ? df_error_set(err, DF_ENOMEM, "out of memory saving the state")
                                  : df_pull_replace_file(s->path, text.data, text.len, err);
    if (rc != 0)
        goto out;
    s->lines = lines;
    s->feed_id_written = s->feed_id[0] != '\0';
    rc = open_for_appends(s, err);
out:
    df_buf_free(&text);
    return rc;
}

int df_studies_handed(df_studies *s, const char *uid, int64_t read, df_error *err)
{
    study *st = find(s, uid);
    if (st == NULL || st->n == 0)
        return df_error_set(err, DF_EINVAL, "study %s is not pending", uid);
    /* The new record and resume point, as they will be once written. */
    int64_t last = st->seqs[st->n - 1];
    int64_t resume = read + 1;
    for (study *p = s->by_first.head; p != NULL; p = p->by_first.next) {
        if (p != st) {
            resume = p->seqs[0];
            break;
        }
    }
    int rc = 0;
    if (s->path != NULL) {
        if (s->fd < 0) {
            /* The first write of a new state: the whole file. */
            int64_t revision = st->revision, handed_last = st->handed_last, old = s->resume;
            bool was = st->remembered;
            st->revision++;
            st->handed_last = last;
            s->resume = resume;
            if (!was) {
                LIST_APPEND(&s->handed, st, by_hand);
                st->remembered = true;
            }
            rc = df_studies_save(s, err);
            st->revision = revision;
            st->handed_last = handed_last;
            s->resume = old;
            if (!was) {
                LIST_UNLINK(&s->handed, st, by_hand);
                st->remembered = false;
            }
        } else {
            df_buf line;
            df_buf_init(&line, 256);
            if (!s->feed_id_written)
                append_feed(s, &line);
            df_buf_append_str(&line, "handed ");
            df_buf_append_i64(&line, st->revision + 1);
            df_buf_append_char(&line, ' ');
            df_buf_append_i64(&line, last);
            df_buf_append_char(&line, ' ');
            df_buf_append_i64(&line, resume);
            df_buf_append_char(&line, ' ');
            df_buf_append_str(&line, st->uid);
            df_buf_append_char(&line, '\n');
            if (df_buf_failed(&line))
                rc = df_error_set(err, DF_ENOMEM, "out of memory saving the state");
            else if (df_pull_write_all(s->fd, line.data, line.len) != 0 || fdatasync(s->fd) != 0)
                rc = df_error_set(err, DF_EIO, "cannot append to the state file %s: %s", s->path,
                                  strerror(errno));
            df_buf_free(&line);
            if (rc == 0) {
                s->lines += (!s->feed_id_written && s->feed_id[0] != '\0') ? 2u : 1u;
                s->feed_id_written = s->feed_id[0] != '\0';
            }
        }
        if (rc != 0)
            return rc;
    }
    /* Written: now it is so. */
    st->revision++;
    st->handed_last = last;
    s->resume = resume;
    LIST_UNLINK(&s->by_read, st, by_read);
    LIST_UNLINK(&s->by_first, st, by_first);
    st->n = 0;
    unready(s, st);
    /* A study of many entries gives its list back; one of a few keeps it. */
    if (st->cap > 64) {
        s->bytes -= st->cap * sizeof *st->seqs;
        free(st->seqs);
        st->seqs = NULL;
        st->cap = 0;
    }
    if (st->remembered)
        LIST_UNLINK(&s->handed, st, by_hand);
    LIST_APPEND(&s->handed, st, by_hand);
    st->remembered = true;
    prune(s);
    /* Rewritten whole once appends have doubled what it must hold. */
    if (s->path != NULL && s->lines > 1024 && s->lines > 2 * (s->handed.count + 3))
        return df_studies_save(s, err);
    return 0;
}
