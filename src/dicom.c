/* The DICOM Part 10 reader (see dicom.h for what it accepts). Every byte goes
 * through take()/skip_value(), which compare the length with what is left of the
 * input and of the enclosing defined-length items before reading, so a hostile
 * length is an error with an offset, never a large allocation or a long read.
 * The dictionary for Implicit VR is the generated table of dicom_dict.c. */
#include "dicom.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "dicom_dict.h"

#define TAG_ITEM          0xFFFEE000u
#define TAG_ITEM_DELIM    0xFFFEE00Du
#define TAG_SEQ_DELIM     0xFFFEE0DDu
#define TAG_PIXEL_DATA    0x7FE00010u
#define TAG_FLOAT_PIXELS  0x7FE00008u
#define TAG_DOUBLE_PIXELS 0x7FE00009u
#define TAG_PIXEL_REPR    0x00280103u

#define NO_LIMIT    UINT64_MAX
#define ZIN_SIZE    16384
#define LOOK_SIZE   256
#define SCRATCH     4096
#define VALUE_CHUNK (1024u * 1024u)
#define VALUE_KEEP  (256u * 1024u) /* value buffer kept between files */

static const char vr_names[DF_DICOM_VR_COUNT][3] = {
    "UN", "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO",
    "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS",
    "ST", "SV", "TM", "UC", "UI", "UL", "UR", "US", "UT", "UV",
};

const char *df_dicom_vr_name(df_dicom_vr vr)
{
    if ((unsigned)vr >= DF_DICOM_VR_COUNT)
        return "UN";
    return vr_names[vr];
}

static uint8_t dict_lookup(uint32_t tag)
{
    size_t lo = 0, hi = df_dicom_dict_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (df_dicom_dict[mid].tag < tag)
            lo = mid + 1;
        else if (df_dicom_dict[mid].tag > tag)
            hi = mid;
        else
            return df_dicom_dict[mid].vr;
    }
    return DF_DICOM_VR_UN;
}

/* The dictionary's VR for tag, with DF_DICOM_DICT_US_OR_SS kept (see
 * df_dicom_dict_vr). */
static int dict_code(uint32_t tag)
{
    uint16_t group = DF_DICOM_TAG_GROUP(tag), element = DF_DICOM_TAG_ELEMENT(tag);
    if (element == 0)
        return DF_DICOM_VR_UL;
    if (group & 1)
        return element >= 0x0010 && element <= 0x00FF ? DF_DICOM_VR_LO : DF_DICOM_VR_UN;
    /* Curves (50xx), overlays (60xx) and variable pixel data (7Fxx) repeat over
     * the even groups up to xx = 1E (PS3.5 7.6); the table holds xx = 00. */
    uint16_t base = group & 0xFF00;
    if ((base == 0x5000 || base == 0x6000 || base == 0x7F00) && (group & 0x00FF) <= 0x1E)
        tag = DF_DICOM_TAG(base, element);
    return dict_lookup(tag);
}

df_dicom_vr df_dicom_dict_vr(uint32_t tag)
{
    int vr = dict_code(tag);
    return vr == DF_DICOM_DICT_US_OR_SS ? DF_DICOM_VR_US : (df_dicom_vr)vr;
}

/* Explicit VRs with a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2). */
static bool vr_long_form(df_dicom_vr vr)
{
    switch (vr) {
    case DF_DICOM_VR_OB:
    case DF_DICOM_VR_OD:
    case DF_DICOM_VR_OF:
    case DF_DICOM_VR_OL:
    case DF_DICOM_VR_OV:
    case DF_DICOM_VR_OW:
    case DF_DICOM_VR_SQ:
    case DF_DICOM_VR_SV:
    case DF_DICOM_VR_UC:
    case DF_DICOM_VR_UN:
    case DF_DICOM_VR_UR:
    case DF_DICOM_VR_UT:
    case DF_DICOM_VR_UV:
        return true;
    default:
        return false;
    }
}

bool df_dicom_vr_is_binary(df_dicom_vr vr)
{
    switch (vr) {
    case DF_DICOM_VR_OB:
    case DF_DICOM_VR_OD:
    case DF_DICOM_VR_OF:
    case DF_DICOM_VR_OL:
    case DF_DICOM_VR_OV:
    case DF_DICOM_VR_OW:
    case DF_DICOM_VR_UN:
        return true;
    default:
        return false;
    }
}

/* The size of one binary number of vr (AT: one tag, two 16-bit halves), or 1. */
static unsigned vr_value_size(df_dicom_vr vr)
{
    switch (vr) {
    case DF_DICOM_VR_SS:
    case DF_DICOM_VR_US:
    case DF_DICOM_VR_OW:
        return 2;
    case DF_DICOM_VR_AT:
    case DF_DICOM_VR_FL:
    case DF_DICOM_VR_OF:
    case DF_DICOM_VR_OL:
    case DF_DICOM_VR_SL:
    case DF_DICOM_VR_UL:
        return 4;
    case DF_DICOM_VR_FD:
    case DF_DICOM_VR_OD:
    case DF_DICOM_VR_OV:
    case DF_DICOM_VR_SV:
    case DF_DICOM_VR_UV:
        return 8;
    default:
        return 1;
    }
}

/* Returns the VR named by two bytes of an explicit VR header: an unknown
 * upper-case pair is UN (future VRs all use the long form), anything else is
 * -1, an error. */
static int vr_from_bytes(const unsigned char b[2])
{
    for (int i = 0; i < DF_DICOM_VR_COUNT; i++)
        if (vr_names[i][0] == b[0] && vr_names[i][1] == b[1])
            return i;
    if (b[0] >= 'A' && b[0] <= 'Z' && b[1] >= 'A' && b[1] <= 'Z')
        return DF_DICOM_VR_UN;
    return -1;
}

/* ---- IO over memory and FILE* ---- */

static long long mem_read(void *handle, void *buf, size_t n)
{
    df_dicom_memio *m = handle;
    size_t left = m->len - m->pos;
    if (n > left)
        n = left;
    if (n > 0)
        memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (long long)n;
}

static int mem_skip(void *handle, uint64_t n)
{
    df_dicom_memio *m = handle;
    if (n > m->len - m->pos)
        return -1;
    m->pos += (size_t)n;
    return 0;
}

void df_dicom_memio_init(df_dicom_memio *m, const void *data, size_t len)
{
    m->data = data;
    m->len = data ? len : 0;
    m->pos = 0;
    m->io.read = mem_read;
    m->io.skip = mem_skip;
    m->io.handle = m;
    m->io.size = (long long)m->len;
}

static long long file_read(void *handle, void *buf, size_t n)
{
    df_dicom_fileio *f = handle;
    size_t got = fread(buf, 1, n, f->fp);
    if (got < n && ferror(f->fp))
        return -1;
    return (long long)got;
}

static int file_skip(void *handle, uint64_t n)
{
    df_dicom_fileio *f = handle;
    if (n > (uint64_t)INT64_MAX)
        return -1;
    return fseeko(f->fp, (off_t)n, SEEK_CUR) == 0 ? 0 : -1;
}

int df_dicom_fileio_init(df_dicom_fileio *f, FILE *fp, df_error *err)
{
    struct stat st;
    memset(f, 0, sizeof *f);
    f->fp = fp;
    f->io.read = file_read;
    f->io.handle = f;
    f->io.size = -1;
    if (fstat(fileno(fp), &st) != 0)
        return df_error_set(err, DF_EIO, "cannot stat the input file");
    if (S_ISREG(st.st_mode)) {
        off_t at = ftello(fp);
        if (at < 0 || at > st.st_size)
            return df_error_set(err, DF_EIO, "cannot tell the position in the input file");
        f->seekable = true;
        f->io.skip = file_skip;
        f->io.size = (long long)(st.st_size - at);
    }
    return 0;
}

/* ---- the reader ---- */

struct df_dicom_reader {
    unsigned char *value; /* the one value buffer, grown up to DF_DICOM_VALUE_MAX */
    size_t value_cap;
    unsigned char *zin; /* compressed input of a deflated dataset */
    z_stream z;
    bool z_ready; /* inflateInit2 done: later files use inflateReset */
};

df_dicom_reader *df_dicom_reader_new(void)
{
    return calloc(1, sizeof(df_dicom_reader));
}

void df_dicom_reader_free(df_dicom_reader *r)
{
    if (r == NULL)
        return;
    if (r->z_ready)
        inflateEnd(&r->z);
    free(r->value);
    free(r->zin);
    free(r);
}

/* How a dataset is encoded. */
struct syntax {
    bool implicit;
    bool big;
};

/* The state of one df_dicom_parse call. Two layers: the raw input (io plus a
 * small look-ahead used to sniff the preamble and the meta group), and the
 * dataset stream on top of it, which is the raw input itself or its inflation. */
struct parse {
    df_dicom_reader *r;
    df_dicom_io *io;
    const df_dicom_handler *h;
    void *ctx;
    df_error *err;

    unsigned char look[LOOK_SIZE];
    size_t look_pos, look_len;
    uint64_t raw_pos;  /* offset of the next raw byte not yet taken from io */
    uint64_t raw_size; /* input size, or NO_LIMIT when unknown */

    bool deflated;
    bool z_end;             /* the deflate stream has ended */
    uint64_t pos;           /* offset of the next dataset byte: file offset, or inflated offset */
    uint64_t end;           /* pos where the input ends, NO_LIMIT when unknown */
    uint64_t limit;         /* end of the innermost defined-length item or sequence */
    const char *limit_what; /* " in the enclosing item", or sequence */
    int depth;
    int pixel_repr; /* top-level Pixel Representation, -1 until seen */
    bool stopped;
};

static const char *where(const struct parse *p)
{
    return p->deflated ? "inflated offset" : "offset";
}

static int fail_io(struct parse *p)
{
    return df_error_set(p->err, DF_EIO, "read error at offset %llu",
                        (unsigned long long)(p->raw_pos));
}

/* Raw input: the look-ahead first, then io. Reads up to n bytes, fewer only at
 * the end of the input. */
static int raw_read(struct parse *p, unsigned char *buf, size_t n, size_t *got)
{
    size_t have = 0;
    if (p->look_pos < p->look_len) {
        size_t k = p->look_len - p->look_pos;
        if (k > n)
            k = n;
        memcpy(buf, p->look + p->look_pos, k);
        p->look_pos += k;
        have = k;
    }
    while (have < n) {
        long long k = p->io->read(p->io->handle, buf + have, n - have);
        if (k < 0 || (size_t)k > n - have)
            return fail_io(p);
        if (k == 0)
            break;
        have += (size_t)k;
        p->raw_pos += (uint64_t)k;
    }
    *got = have;
    return 0;
}

/* Makes at least n (<= LOOK_SIZE) bytes available in the look-ahead, fewer
 * at the end of the input; *avail says how many. */
static int raw_peek(struct parse *p, size_t n, size_t *avail)
{
    if (p->look_pos > 0) {
        memmove(p->look, p->look + p->look_pos, p->look_len - p->look_pos);
        p->look_len -= p->look_pos;
        p->look_pos = 0;
    }
    while (p->look_len < n) {
        long long k = p->io->read(p->io->handle, p->look + p->look_len, LOOK_SIZE - p->look_len);
        if (k < 0 || (size_t)k > LOOK_SIZE - p->look_len)
            return fail_io(p);
        if (k == 0)
            break;
        p->look_len += (size_t)k;
        p->raw_pos += (uint64_t)k;
    }
    *avail = p->look_len;
    return 0;
}

/* Skips n raw bytes that are known to be there when raw_size is known. */
static int raw_skip(struct parse *p, uint64_t n, bool *short_input)
{
    unsigned char scratch[SCRATCH];
    size_t k = p->look_len - p->look_pos;
    *short_input = false;
    if (k > n)
        k = (size_t)n;
    p->look_pos += k;
    n -= k;
    if (n == 0)
        return 0;
    if (p->io->skip != NULL && p->raw_size != NO_LIMIT) {
        if (p->io->skip(p->io->handle, n) != 0)
            return fail_io(p);
        p->raw_pos += n;
        return 0;
    }
    while (n > 0) {
        size_t got;
        int rc = raw_read(p, scratch, n < SCRATCH ? (size_t)n : SCRATCH, &got);
        if (rc != 0)
            return rc;
        if (got == 0) {
            *short_input = true;
            return 0;
        }
        n -= got;
    }
    return 0;
}

/* Inflates up to n bytes into buf, fewer only at the end of the stream. */
static int inflate_read(struct parse *p, unsigned char *buf, size_t n, size_t *got)
{
    z_stream *z = &p->r->z;
    z->next_out = buf;
    z->avail_out = (uInt)n;
    while (z->avail_out > 0 && !p->z_end) {
        if (z->avail_in == 0) {
            size_t k;
            int rc = raw_read(p, p->r->zin, ZIN_SIZE, &k);
            if (rc != 0)
                return rc;
            if (k == 0)
                break;
            z->next_in = p->r->zin;
            z->avail_in = (uInt)k;
        }
        int zr = inflate(z, Z_NO_FLUSH);
        if (zr == Z_STREAM_END)
            p->z_end = true;
        else if (zr != Z_OK && zr != Z_BUF_ERROR)
            return df_error_set(p->err, DF_EINVAL,
                                "corrupt deflate stream at inflated offset %llu: %s",
                                (unsigned long long)(p->pos + (n - z->avail_out)),
                                z->msg ? z->msg : "inflate failed");
    }
    *got = n - z->avail_out;
    return 0;
}

/* Dataset stream: up to n bytes, fewer only at its end. n <= VALUE_CHUNK. */
static int ds_read(struct parse *p, unsigned char *buf, size_t n, size_t *got)
{
    int rc = p->deflated ? inflate_read(p, buf, n, got) : raw_read(p, buf, n, got);
    if (rc == 0)
        p->pos += *got;
    return rc;
}

/* What is left before the input or the innermost defined-length item ends;
 * NO_LIMIT when neither is known (a deflated stream at top level). */
static uint64_t left(const struct parse *p)
{
    uint64_t bound = p->end < p->limit ? p->end : p->limit;
    return bound == NO_LIMIT ? NO_LIMIT : bound - p->pos;
}

static const char *left_what(const struct parse *p)
{
    return p->limit < p->end ? p->limit_what : "";
}

static int truncated(struct parse *p, const char *what, uint32_t tag, uint64_t at, uint64_t length,
                     uint64_t avail)
{
    return df_error_set(
        p->err, DF_EINVAL,
        "truncated %s (%04X,%04X) at %s %llu: length %llu exceeds the %llu bytes left%s", what,
        DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag), where(p), (unsigned long long)at,
        (unsigned long long)length, (unsigned long long)avail, left_what(p));
}

/* Checks that length bytes of tag's value (at offset at) may be there. */
static int check_length(struct parse *p, const char *what, uint32_t tag, uint64_t at,
                        uint64_t length)
{
    uint64_t avail = left(p);
    if (avail != NO_LIMIT && length > avail)
        return truncated(p, what, tag, at, length, avail);
    return 0;
}

/* Reads exactly n header bytes of the element starting at offset at. */
static int take_header(struct parse *p, unsigned char *buf, size_t n, uint64_t at)
{
    uint64_t avail = left(p);
    size_t got;
    if (avail != NO_LIMIT && n > avail)
        return df_error_set(p->err, DF_EINVAL,
                            "truncated element header at %s %llu: %zu bytes needed, %llu left%s",
                            where(p), (unsigned long long)at, n + (size_t)(p->pos - at),
                            (unsigned long long)avail + (p->pos - at), left_what(p));
    int rc = ds_read(p, buf, n, &got);
    if (rc != 0)
        return rc;
    if (got < n)
        return df_error_set(p->err, DF_EINVAL,
                            "truncated element header at %s %llu: the input ends at %llu", where(p),
                            (unsigned long long)at, (unsigned long long)p->pos);
    return 0;
}

/* Skips length bytes of tag's value without reading them into memory. */
static int skip_value(struct parse *p, uint32_t tag, uint64_t at, uint64_t length)
{
    int rc = check_length(p, "element", tag, at, length);
    if (rc != 0)
        return rc;
    if (!p->deflated) {
        bool short_input;
        rc = raw_skip(p, length, &short_input);
        if (rc != 0)
            return rc;
        if (short_input)
            return df_error_set(p->err, DF_EINVAL,
                                "truncated element (%04X,%04X) at offset %llu: the input ends "
                                "before its %llu bytes",
                                DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag),
                                (unsigned long long)at, (unsigned long long)length);
        p->pos += length;
        return 0;
    }
    unsigned char scratch[SCRATCH];
    while (length > 0) {
        size_t got, n = length < SCRATCH ? (size_t)length : SCRATCH;
        rc = ds_read(p, scratch, n, &got);
        if (rc != 0)
            return rc;
        if (got < n)
            return df_error_set(p->err, DF_EINVAL,
                                "truncated element (%04X,%04X) at inflated offset %llu: the "
                                "stream ends at %llu",
                                DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag),
                                (unsigned long long)at, (unsigned long long)p->pos);
        length -= n;
    }
    return 0;
}

static int grow_value(struct parse *p, size_t need)
{
    df_dicom_reader *r = p->r;
    if (need <= r->value_cap)
        return 0;
    size_t cap = r->value_cap ? r->value_cap : 256;
    while (cap < need)
        cap *= 2;
    if (cap > DF_DICOM_VALUE_MAX)
        cap = DF_DICOM_VALUE_MAX;
    unsigned char *v = realloc(r->value, cap);
    if (v == NULL)
        return df_error_set(p->err, DF_ENOMEM, "out of memory for a value of %zu bytes", need);
    r->value = v;
    r->value_cap = cap;
    return 0;
}

/* Reads tag's value into the value buffer. The buffer grows with what was
 * actually read, so a length that the input does not back up never turns
 * into an allocation of that size, even where the input's size is unknown. */
static int read_value(struct parse *p, uint32_t tag, uint64_t at, uint32_t length)
{
    int rc = check_length(p, "element", tag, at, length);
    if (rc != 0)
        return rc;
    if (length > DF_DICOM_VALUE_MAX)
        return df_error_set(p->err, DF_EINVAL,
                            "element (%04X,%04X) at %s %llu: length %lu exceeds the limit of "
                            "%u bytes for a value",
                            DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag), where(p),
                            (unsigned long long)at, (unsigned long)length, DF_DICOM_VALUE_MAX);
    size_t have = 0;
    while (have < length) {
        size_t n = length - have, got;
        if (n > VALUE_CHUNK)
            n = VALUE_CHUNK;
        if ((rc = grow_value(p, have + n)) != 0)
            return rc;
        if ((rc = ds_read(p, p->r->value + have, n, &got)) != 0)
            return rc;
        have += got;
        if (got < n)
            return df_error_set(p->err, DF_EINVAL,
                                "truncated element (%04X,%04X) at %s %llu: length %lu exceeds "
                                "the %zu bytes left",
                                DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag), where(p),
                                (unsigned long long)at, (unsigned long)length, have);
    }
    return 0;
}

static uint16_t get16(const unsigned char *b, bool big)
{
    unsigned v = big ? (unsigned)b[0] << 8 | b[1] : (unsigned)b[1] << 8 | b[0];
    return (uint16_t)v;
}

static uint32_t get32(const unsigned char *b, bool big)
{
    return big ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]
               : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

/* Big Endian numbers to little-endian order, unit bytes at a time. */
static void swap_units(unsigned char *v, size_t length, unsigned unit)
{
    for (size_t i = 0; i + unit <= length; i += unit)
        for (unsigned a = 0, b = unit - 1; a < b; a++, b--) {
            unsigned char t = v[i + a];
            v[i + a] = v[i + b];
            v[i + b] = t;
        }
}

/* A callback's answer: false stops the parse (cleanly). */
static bool go_on(struct parse *p, bool answer)
{
    if (!answer)
        p->stopped = true;
    return answer;
}

static int parse_dataset(struct parse *p, struct syntax sx, bool undefined_item);

/* Reads a sequence's items; pos is just past the sequence's header at at. */
static int parse_sequence(struct parse *p, struct syntax sx, uint32_t tag, df_dicom_vr vr,
                          uint32_t length, uint64_t at)
{
    bool undefined = length == DF_DICOM_UNDEFINED_LENGTH;
    int rc;
    if (p->depth >= DF_DICOM_MAX_DEPTH)
        return df_error_set(p->err, DF_EINVAL,
                            "sequence (%04X,%04X) at %s %llu is nested deeper than %d sequences",
                            DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag), where(p),
                            (unsigned long long)at, DF_DICOM_MAX_DEPTH);
    if (!undefined && (rc = check_length(p, "sequence", tag, at, length)) != 0)
        return rc;
    uint64_t saved_limit = p->limit;
    const char *saved_what = p->limit_what;
    if (!undefined) {
        p->limit = p->pos + length;
        p->limit_what = " in the enclosing sequence";
    }
    if (p->h->sequence_begin && !go_on(p, p->h->sequence_begin(p->ctx, tag, vr)))
        return 0;
    p->depth++;
    for (;;) {
        if (!undefined && p->pos == p->limit)
            break;
        uint64_t item_at = p->pos;
        unsigned char hdr[8];
        if ((rc = take_header(p, hdr, 8, item_at)) != 0)
            return rc;
        uint32_t item_tag = (uint32_t)get16(hdr, sx.big) << 16 | get16(hdr + 2, sx.big);
        uint32_t item_length = get32(hdr + 4, sx.big);
        if (item_tag == TAG_SEQ_DELIM && undefined)
            break;
        if (item_tag != TAG_ITEM)
            return df_error_set(p->err, DF_EINVAL,
                                "sequence (%04X,%04X) at %s %llu: expected an item at %llu, found "
                                "(%04X,%04X)",
                                DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag), where(p),
                                (unsigned long long)at, (unsigned long long)item_at,
                                DF_DICOM_TAG_GROUP(item_tag), DF_DICOM_TAG_ELEMENT(item_tag));
        bool item_undefined = item_length == DF_DICOM_UNDEFINED_LENGTH;
        if (!item_undefined && (rc = check_length(p, "item", item_tag, item_at, item_length)) != 0)
            return rc;
        uint64_t seq_limit = p->limit;
        const char *seq_what = p->limit_what;
        if (!item_undefined) {
            p->limit = p->pos + item_length;
            p->limit_what = " in the enclosing item";
        }
        if (p->h->item_begin && !go_on(p, p->h->item_begin(p->ctx)))
            return 0;
        if ((rc = parse_dataset(p, sx, item_undefined)) != 0 || p->stopped)
            return rc;
        if (p->h->item_end && !go_on(p, p->h->item_end(p->ctx)))
            return 0;
        p->limit = seq_limit;
        p->limit_what = seq_what;
    }
    p->depth--;
    p->limit = saved_limit;
    p->limit_what = saved_what;
    if (p->h->sequence_end && !go_on(p, p->h->sequence_end(p->ctx)))
        return 0;
    return 0;
}

/* Skips encapsulated Pixel Data: items of fragments up to a sequence delimiter. */
static int skip_fragments(struct parse *p, struct syntax sx, uint32_t tag, df_dicom_vr vr)
{
    int rc;
    if (p->h->bulk && !go_on(p, p->h->bulk(p->ctx, tag, vr, DF_DICOM_UNDEFINED_LENGTH)))
        return 0;
    for (;;) {
        uint64_t item_at = p->pos;
        unsigned char hdr[8];
        if ((rc = take_header(p, hdr, 8, item_at)) != 0)
            return rc;
        uint32_t item_tag = (uint32_t)get16(hdr, sx.big) << 16 | get16(hdr + 2, sx.big);
        uint32_t item_length = get32(hdr + 4, sx.big);
        if (item_tag == TAG_SEQ_DELIM)
            return 0;
        if (item_tag != TAG_ITEM || item_length == DF_DICOM_UNDEFINED_LENGTH)
            return df_error_set(p->err, DF_EINVAL,
                                "encapsulated pixel data (%04X,%04X): expected a fragment at %s "
                                "%llu, found (%04X,%04X) of length %lu",
                                DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag), where(p),
                                (unsigned long long)item_at, DF_DICOM_TAG_GROUP(item_tag),
                                DF_DICOM_TAG_ELEMENT(item_tag), (unsigned long)item_length);
        if ((rc = skip_value(p, item_tag, item_at, item_length)) != 0)
            return rc;
    }
}

bool df_dicom_is_bulk(uint32_t tag, df_dicom_vr vr, uint64_t length)
{
    if (tag == TAG_PIXEL_DATA || tag == TAG_FLOAT_PIXELS || tag == TAG_DOUBLE_PIXELS)
        return true;
    return df_dicom_vr_is_binary(vr) && length > DF_DICOM_BULK_THRESHOLD;
}

/* One element whose header (at offset at) has been read. vr is from the file,
 * or from the dictionary when sx.implicit. */
static int parse_element(struct parse *p, struct syntax sx, uint32_t tag, int vr_code,
                         uint32_t length, uint64_t at)
{
    int rc;
    if (vr_code == DF_DICOM_DICT_US_OR_SS)
        vr_code = p->pixel_repr == 1 ? DF_DICOM_VR_SS : DF_DICOM_VR_US;
    df_dicom_vr vr = (df_dicom_vr)vr_code;

    if (length == DF_DICOM_UNDEFINED_LENGTH) {
        if (tag == TAG_PIXEL_DATA && (sx.implicit || vr == DF_DICOM_VR_OB || vr == DF_DICOM_VR_OW))
            return skip_fragments(p, sx, tag, sx.implicit ? DF_DICOM_VR_OW : vr);
        if (vr == DF_DICOM_VR_SQ)
            return parse_sequence(p, sx, tag, vr, length, at);
        /* PS3.5 6.2.2: a UN of undefined length is a sequence in Implicit VR LE;
         * in an Implicit VR dataset an undefined length tells a sequence too. */
        if (vr == DF_DICOM_VR_UN || sx.implicit) {
            struct syntax inner = {true, false};
            return parse_sequence(p, inner, tag, DF_DICOM_VR_UN, length, at);
        }
        return df_error_set(p->err, DF_EINVAL,
                            "element (%04X,%04X) at %s %llu: undefined length is not allowed "
                            "for VR %s",
                            DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag), where(p),
                            (unsigned long long)at, vr_names[vr]);
    }
    if (vr == DF_DICOM_VR_SQ)
        return parse_sequence(p, sx, tag, vr, length, at);

    if (df_dicom_is_bulk(tag, vr, length)) {
        if ((rc = check_length(p, "element", tag, at, length)) != 0)
            return rc;
        if (p->h->bulk && !go_on(p, p->h->bulk(p->ctx, tag, vr, length)))
            return 0;
        return skip_value(p, tag, at, length);
    }

    unsigned size = vr_value_size(vr);
    if (size > 1 && length % size != 0) {
        /* In Implicit VR the dictionary's guess was wrong: hand the bytes over as
         * they are. In Explicit VR the file says a thing that cannot be. */
        if (!sx.implicit)
            return df_error_set(p->err, DF_EINVAL,
                                "element (%04X,%04X) at %s %llu: length %lu is not a multiple of "
                                "%u for VR %s",
                                DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag), where(p),
                                (unsigned long long)at, (unsigned long)length, size, vr_names[vr]);
        vr = DF_DICOM_VR_UN;
        size = 1;
    }
    if ((rc = read_value(p, tag, at, length)) != 0)
        return rc;
    unsigned char *value = length ? p->r->value : NULL;
    if (sx.big && size > 1)
        swap_units(value, length, vr == DF_DICOM_VR_AT ? 2 : size);
    if (tag == TAG_PIXEL_REPR && p->depth == 0 && length >= 2)
        p->pixel_repr = get16(value, false);
    if (p->h->element && !go_on(p, p->h->element(p->ctx, tag, vr, value, length)))
        return 0;
    return 0;
}

static bool all_zero(const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return false;
    return true;
}

/* Zero bytes where a top-level element starts (at): trailing padding when
 * every byte from there to the end of the input is zero (dicom.h), which is
 * read to make sure and reported through the warning callback; else an error.
 * Nothing is kept in memory, so any length of padding costs one pass. */
static int zero_padding(struct parse *p, uint64_t at)
{
    unsigned char scratch[SCRATCH];
    for (;;) {
        uint64_t avail = left(p);
        size_t n = avail < SCRATCH ? (size_t)avail : SCRATCH, got;
        if (n == 0)
            break;
        int rc = ds_read(p, scratch, n, &got);
        if (rc != 0)
            return rc;
        for (size_t i = 0; i < got; i++)
            if (scratch[i] != 0)
                return df_error_set(p->err, DF_EINVAL,
                                    "element (0000,0000) at %s %llu: %llu zero bytes, then "
                                    "0x%02X: neither an element nor trailing padding",
                                    where(p), (unsigned long long)at,
                                    (unsigned long long)(p->pos - got + i - at), scratch[i]);
        if (got < n)
            break; /* the end of the input */
    }
    if (p->h->warning) {
        char msg[DF_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg,
                 "%llu zero byte%s after the last element, from %s %llu to the end, ignored "
                 "(trailing padding)",
                 (unsigned long long)(p->pos - at), p->pos - at == 1 ? "" : "s", where(p),
                 (unsigned long long)at);
        go_on(p, p->h->warning(p->ctx, msg));
    }
    return 0;
}

/* The first 8 bytes of a top-level element (every header has at least 8) into
 * hdr, or *end at the end of the dataset: the end of the input, or trailing
 * zero padding. */
static int top_header(struct parse *p, unsigned char hdr[8], uint64_t at, bool *end)
{
    uint64_t avail = left(p);
    size_t n = avail < 8 ? (size_t)avail : 8, got;
    *end = false;
    int rc = ds_read(p, hdr, n, &got);
    if (rc != 0)
        return rc;
    if (got > 0 && all_zero(hdr, got)) {
        *end = true;
        return zero_padding(p, at);
    }
    if (got == 8)
        return 0;
    if (got == 0 && avail == NO_LIMIT) {
        *end = true; /* a stream of unknown length (deflated, a pipe) ends here */
        return 0;
    }
    if (got == n)
        return df_error_set(p->err, DF_EINVAL,
                            "truncated element header at %s %llu: 8 bytes needed, %llu left",
                            where(p), (unsigned long long)at, (unsigned long long)avail);
    return df_error_set(
        p->err, DF_EINVAL, "truncated element header at %s %llu: the %s ends at %llu", where(p),
        (unsigned long long)at, p->deflated ? "stream" : "input", (unsigned long long)p->pos);
}

/* Reads elements up to the end of the input (top level), of the innermost
 * defined-length item, or (undefined_item) up to an item delimiter. */
static int parse_dataset(struct parse *p, struct syntax sx, bool undefined_item)
{
    int rc;
    bool top = p->depth == 0;
    while (!p->stopped) {
        uint64_t at = p->pos;
        unsigned char hdr[12];
        if (!undefined_item && left(p) == 0)
            return 0;
        if (top) {
            bool end;
            if ((rc = top_header(p, hdr, at, &end)) != 0 || end)
                return rc;
        } else if ((rc = take_header(p, hdr, 8, at)) != 0) {
            return rc;
        }
        uint32_t tag = (uint32_t)get16(hdr, sx.big) << 16 | get16(hdr + 2, sx.big);
        if (DF_DICOM_TAG_GROUP(tag) == 0xFFFE) {
            if (tag == TAG_ITEM_DELIM && undefined_item)
                return 0;
            return df_error_set(p->err, DF_EINVAL,
                                "unexpected %s (%04X,%04X) at %s %llu where an element was "
                                "expected",
                                tag == TAG_ITEM         ? "item"
                                : tag == TAG_ITEM_DELIM ? "item delimiter"
                                : tag == TAG_SEQ_DELIM  ? "sequence delimiter"
                                                        : "tag",
                                DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag), where(p),
                                (unsigned long long)at);
        }
        int vr;
        uint32_t length;
        if (sx.implicit) {
            vr = dict_code(tag);
            length = get32(hdr + 4, false);
        } else {
            vr = vr_from_bytes(hdr + 4);
            if (vr < 0)
                return df_error_set(
                    p->err, DF_EINVAL,
                    "element (%04X,%04X) at %s %llu: invalid VR bytes 0x%02X 0x%02X",
                    DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag), where(p),
                    (unsigned long long)at, hdr[4], hdr[5]);
            bool long_form = vr_long_form((df_dicom_vr)vr) ||
                             (vr == DF_DICOM_VR_UN && memcmp(hdr + 4, "UN", 2) != 0);
            if (long_form) {
                if ((rc = take_header(p, hdr + 8, 4, at)) != 0)
                    return rc;
                length = get32(hdr + 8, sx.big);
            } else {
                length = get16(hdr + 6, sx.big);
            }
        }
        if ((rc = parse_element(p, sx, tag, vr, length, at)) != 0)
            return rc;
    }
    return 0;
}

/* ---- file meta information ---- */

static const char TS_IMPLICIT_LE[] = "1.2.840.10008.1.2";
static const char TS_EXPLICIT_LE[] = "1.2.840.10008.1.2.1";
static const char TS_EXPLICIT_BE[] = "1.2.840.10008.1.2.2";
static const char TS_DEFLATED[] = "1.2.840.10008.1.2.1.99";
static const char TS_JPIP_DEFLATED[] = "1.2.840.10008.1.2.4.95";
_Static_assert(sizeof TS_EXPLICIT_LE == sizeof TS_EXPLICIT_BE, "copied with one size");

/* Copies a UI value without its padding into dst[DF_UID_MAX + 1]. */
static int copy_uid(struct parse *p, char *dst, const unsigned char *v, uint32_t length,
                    uint32_t tag, uint64_t at)
{
    while (length > 0 && (v[length - 1] == '\0' || v[length - 1] == ' '))
        length--;
    if (length > 64)
        return df_error_set(p->err, DF_EINVAL,
                            "UID (%04X,%04X) at offset %llu is %lu characters long, more than 64",
                            DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag),
                            (unsigned long long)at, (unsigned long)length);
    if (length > 0)
        memcpy(dst, v, length);
    dst[length] = '\0';
    return 0;
}

static bool starts_with_group2(const unsigned char *b)
{
    return b[0] == 0x02 && b[1] == 0x00;
}

/* Reads group 0002 (Explicit VR LE) from the look-ahead position on. The group
 * length, when present and consistent with the elements, marks where the group
 * ends; that matters for a deflated dataset, whose first bytes could look like
 * a group 0002 tag. Otherwise the group ends before the first tag of another
 * group. */
static int read_meta(struct parse *p, df_dicom_meta *meta)
{
    uint64_t group_end = NO_LIMIT;
    int rc;
    for (;;) {
        size_t avail;
        if (p->pos == group_end) {
            if (strcmp(meta->transfer_syntax, TS_DEFLATED) == 0 ||
                strcmp(meta->transfer_syntax, TS_JPIP_DEFLATED) == 0)
                return 0;
        }
        if ((rc = raw_peek(p, 4, &avail)) != 0)
            return rc;
        if (avail < 4 || !starts_with_group2(p->look))
            return 0;
        uint64_t at = p->pos;
        unsigned char hdr[12];
        if ((rc = take_header(p, hdr, 8, at)) != 0)
            return rc;
        uint32_t tag = (uint32_t)get16(hdr, false) << 16 | get16(hdr + 2, false);
        int vr = vr_from_bytes(hdr + 4);
        uint32_t length;
        if (vr < 0)
            return df_error_set(p->err, DF_EINVAL,
                                "file meta element (%04X,%04X) at offset %llu: invalid VR bytes "
                                "0x%02X 0x%02X",
                                DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag),
                                (unsigned long long)at, hdr[4], hdr[5]);
        if (vr_long_form((df_dicom_vr)vr) || (vr == DF_DICOM_VR_UN && memcmp(hdr + 4, "UN", 2))) {
            if ((rc = take_header(p, hdr + 8, 4, at)) != 0)
                return rc;
            length = get32(hdr + 8, false);
        } else {
            length = get16(hdr + 6, false);
        }
        if (vr == DF_DICOM_VR_SQ || length == DF_DICOM_UNDEFINED_LENGTH)
            return df_error_set(p->err, DF_EINVAL,
                                "file meta element (%04X,%04X) at offset %llu: a sequence or an "
                                "undefined length is not allowed in group 0002",
                                DF_DICOM_TAG_GROUP(tag), DF_DICOM_TAG_ELEMENT(tag),
                                (unsigned long long)at);
        if (group_end != NO_LIMIT && p->pos + length > group_end)
            group_end = NO_LIMIT; /* the group length lied: ignore it */
        if ((rc = read_value(p, tag, at, length)) != 0)
            return rc;
        const unsigned char *v = p->r->value;
        switch (tag) {
        case 0x00020000:
            if (length == 4 && (p->end == NO_LIMIT || get32(v, false) <= p->end - p->pos))
                group_end = p->pos + get32(v, false);
            break;
        case 0x00020002:
            rc = copy_uid(p, meta->sop_class_uid, v, length, tag, at);
            break;
        case 0x00020003:
            rc = copy_uid(p, meta->sop_instance_uid, v, length, tag, at);
            break;
        case 0x00020010:
            rc = copy_uid(p, meta->transfer_syntax, v, length, tag, at);
            break;
        default:
            break;
        }
        if (rc != 0)
            return rc;
        meta->has_meta = true;
    }
}

/* No transfer syntax was given: guess it from the first element (see dicom.h).
 * A bare dataset must start with a tag of an even group below 0x0030; anything
 * else is taken for a file that is not DICOM. */
static int guess_syntax(struct parse *p, df_dicom_meta *meta)
{
    size_t avail;
    int rc = raw_peek(p, 8, &avail);
    if (rc != 0)
        return rc;
    if (avail == 0 && meta->has_meta) {
        memcpy(meta->transfer_syntax, TS_EXPLICIT_LE, sizeof TS_EXPLICIT_LE);
        return 0;
    }
    const unsigned char *b = p->look;
    if (avail < 8)
        return df_error_set(p->err, DF_EINVAL,
                            "not a DICOM file: %zu bytes, too short for a dataset", avail);
    bool big = b[0] == 0 && b[1] != 0;
    uint16_t group = get16(b, big);
    if ((group & 1) || group < 0x0002 || group >= 0x0030) {
        /* Say what was missing: a file with a preamble and a meta group that
         * lacks its Transfer Syntax UID is damaged, not "not DICOM". */
        const char *what = meta->has_meta ? "its file meta information has no Transfer Syntax "
                                            "UID (0002,0010)"
                           : meta->has_preamble ? "it has a preamble but no file meta information"
                                                : "not a DICOM file: no preamble";
        return df_error_set(p->err, DF_EINVAL,
                            "%s, and the first tag (%04X,%04X) of its dataset is not one a "
                            "dataset starts with",
                            what, group, get16(b + 2, big));
    }
    int vr = vr_from_bytes(b + 4);
    if (vr >= 0 && !(vr == DF_DICOM_VR_UN && memcmp(b + 4, "UN", 2)))
        memcpy(meta->transfer_syntax, big ? TS_EXPLICIT_BE : TS_EXPLICIT_LE,
               sizeof TS_EXPLICIT_LE); /* both are as long */
    else if (!big)
        memcpy(meta->transfer_syntax, TS_IMPLICIT_LE, sizeof TS_IMPLICIT_LE);
    else
        return df_error_set(p->err, DF_EINVAL,
                            "not a DICOM file: the first tag reads as big-endian without a VR");
    return 0;
}

static int start_inflate(struct parse *p)
{
    df_dicom_reader *r = p->r;
    if (r->zin == NULL && (r->zin = malloc(ZIN_SIZE)) == NULL)
        return df_error_set(p->err, DF_ENOMEM, "out of memory for the inflate buffer");
    int zr;
    if (!r->z_ready) {
        memset(&r->z, 0, sizeof r->z);
        zr = inflateInit2(&r->z, -15);
        if (zr == Z_OK)
            r->z_ready = true;
    } else {
        zr = inflateReset(&r->z);
    }
    if (zr != Z_OK)
        return df_error_set(p->err, zr == Z_MEM_ERROR ? DF_ENOMEM : DF_EINVAL,
                            "cannot start inflating the dataset");
    r->z.next_in = NULL;
    r->z.avail_in = 0;
    p->deflated = true;
    p->z_end = false;
    p->pos = 0;
    p->end = NO_LIMIT;
    return 0;
}

int df_dicom_parse(df_dicom_reader *r, df_dicom_io *io, const df_dicom_handler *h, void *ctx,
                   df_dicom_meta *meta_out, df_error *err)
{
    static const df_dicom_handler no_callbacks;
    struct parse p;
    df_dicom_meta meta;
    size_t avail;
    int rc;

    if (r == NULL || io == NULL || io->read == NULL)
        return df_error_set(err, DF_EINVAL, "df_dicom_parse: no reader or no input");
    memset(&p, 0, sizeof p);
    memset(&meta, 0, sizeof meta);
    p.r = r;
    p.io = io;
    p.h = h ? h : &no_callbacks;
    p.ctx = ctx;
    p.err = err;
    p.raw_size = io->size >= 0 ? (uint64_t)io->size : NO_LIMIT;
    p.end = p.raw_size;
    p.limit = NO_LIMIT;
    p.limit_what = "";
    p.pixel_repr = -1;

    if ((rc = raw_peek(&p, 132, &avail)) != 0)
        goto out;
    if (avail >= 132 && memcmp(p.look + 128, "DICM", 4) == 0) {
        meta.has_preamble = true;
        p.look_pos = 132;
        p.pos = 132;
    }
    if ((rc = read_meta(&p, &meta)) != 0)
        goto out;
    if (meta.transfer_syntax[0] == '\0' && (rc = guess_syntax(&p, &meta)) != 0)
        goto out;
    meta.dataset_offset = p.pos;

    struct syntax sx = {false, false};
    const char *ts = meta.transfer_syntax;
    if (strcmp(ts, TS_IMPLICIT_LE) == 0) {
        sx.implicit = true;
    } else if (strcmp(ts, TS_EXPLICIT_BE) == 0) {
        sx.big = true;
    } else if (strcmp(ts, TS_DEFLATED) == 0 || strcmp(ts, TS_JPIP_DEFLATED) == 0) {
        if ((rc = start_inflate(&p)) != 0)
            goto out;
    }
    meta.implicit_vr = sx.implicit;
    meta.big_endian = sx.big;
    meta.deflated = p.deflated;
    if (meta_out)
        *meta_out = meta;
    if (p.h->meta && !go_on(&p, p.h->meta(ctx, &meta)))
        goto out;
    rc = parse_dataset(&p, sx, false);
out:
    if (rc != 0 && meta_out)
        *meta_out = meta;
    /* One rare large value should not pin its buffer for the next thousand files. */
    if (r->value_cap > VALUE_KEEP) {
        free(r->value);
        r->value = NULL;
        r->value_cap = 0;
    }
    return rc;
}

int df_dicom_parse_path(df_dicom_reader *r, const char *path, const df_dicom_handler *h, void *ctx,
                        df_dicom_meta *meta, df_error *err)
{
    df_dicom_fileio f;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return df_error_set(err, DF_EIO, "cannot open %s: %s", path, strerror(errno));
    int rc = df_dicom_fileio_init(&f, fp, err);
    if (rc == 0)
        rc = df_dicom_parse(r, &f.io, h, ctx, meta, err);
    fclose(fp);
    return rc;
}
