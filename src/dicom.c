/* The DICOM Part 10 reader (see dicom.h for what it accepts). Every byte goes
 * through take()/skip_value(), which compare the length with what is left of the
 * input and of the enclosing defined-length items before reading, so a hostile
 * length is an error with an offset, never a large allocation or a long read.
 * The built-in dictionary for Implicit VR is a sorted table at the end. */
#include "dicom.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

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

/* "US or SS" in the dictionary: resolved by Pixel Representation. */
#define VR_XS DF_DICOM_VR_COUNT

static const char vr_names[DF_DICOM_VR_COUNT][3] = {
    "UN", "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO",
    "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS",
    "ST", "SV", "TM", "UC", "UI", "UL", "UR", "US", "UT", "UV",
};

static uint8_t dict_lookup(uint32_t tag);

const char *df_dicom_vr_name(df_dicom_vr vr)
{
    if ((unsigned)vr >= DF_DICOM_VR_COUNT)
        return "UN";
    return vr_names[vr];
}

/* The dictionary's VR for tag, with VR_XS kept (see df_dicom_dict_vr). */
static int dict_code(uint32_t tag)
{
    uint16_t group = DF_DICOM_TAG_GROUP(tag), element = DF_DICOM_TAG_ELEMENT(tag);
    if (element == 0)
        return DF_DICOM_VR_UL;
    if (group & 1)
        return element >= 0x0010 && element <= 0x00FF ? DF_DICOM_VR_LO : DF_DICOM_VR_UN;
    /* Curves (50xx) and overlays (60xx) repeat over the even groups up to 1E. */
    if (((group & 0xFF00) == 0x5000 || (group & 0xFF00) == 0x6000) && (group & 0x00FF) <= 0x1E)
        tag = DF_DICOM_TAG(group & 0xFF00, element);
    return dict_lookup(tag);
}

df_dicom_vr df_dicom_dict_vr(uint32_t tag)
{
    int vr = dict_code(tag);
    return vr == VR_XS ? DF_DICOM_VR_US : (df_dicom_vr)vr;
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
    if (vr_code == VR_XS)
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
        if (top && left(p) == NO_LIMIT) {
            /* A deflated dataset ends where the stream ends. */
            size_t got;
            if ((rc = ds_read(p, hdr, 4, &got)) != 0)
                return rc;
            if (got == 0)
                return 0;
            if (got < 4)
                return df_error_set(p->err, DF_EINVAL,
                                    "truncated element header at inflated offset %llu: the "
                                    "stream ends at %llu",
                                    (unsigned long long)at, (unsigned long long)p->pos);
        } else if ((rc = take_header(p, hdr, 4, at)) != 0) {
            return rc;
        }
        uint32_t tag = (uint32_t)get16(hdr, sx.big) << 16 | get16(hdr + 2, sx.big);
        if (DF_DICOM_TAG_GROUP(tag) == 0xFFFE) {
            if ((rc = take_header(p, hdr + 4, 4, at)) != 0)
                return rc;
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
            if ((rc = take_header(p, hdr + 4, 4, at)) != 0)
                return rc;
            vr = dict_code(tag);
            length = get32(hdr + 4, false);
        } else {
            if ((rc = take_header(p, hdr + 4, 4, at)) != 0)
                return rc;
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

/* Copies a UI value without its padding into dst[65]. */
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

/* ---- the dictionary ----
 * Tag → VR for Implicit VR datasets: every tag of the DICOM standard's data
 * dictionary (PS3.6, as pydicom 2.3 ships it) outside groups 0000, 0002 and
 * FFFE, with the repeating groups 50xx and 60xx stored as 5000 and 6000. VRs
 * given as alternatives are stored as OW ("OB or OW", "US or OW") or XS ("US or
 * SS"). Made with:
 *   from pydicom._dicom_dict import DicomDictionary as D, RepeatersDictionary as R
 *   for each tag outside 0000/0002/FFFE, and each 50xx/60xx repeater with xx=00,
 *   print E(0xggggeeee, VR), sorted by tag. */
static const struct dict_entry {
    uint32_t tag;
    uint8_t vr;
} dict[] = {
/* clang-format off */
#define DF_DICOM_VR_XS VR_XS
#define E(t, v) {t, DF_DICOM_VR_##v}
    E(0x00041130, CS), E(0x00041141, CS), E(0x00041142, CS), E(0x00041200, UL), E(0x00041202, UL),
    E(0x00041212, US), E(0x00041220, SQ), E(0x00041400, UL), E(0x00041410, US), E(0x00041420, UL),
    E(0x00041430, CS), E(0x00041432, UI), E(0x00041500, CS), E(0x00041504, UL), E(0x00041510, UI),
    E(0x00041511, UI), E(0x00041512, UI), E(0x0004151A, UI), E(0x00041600, UL), E(0x00080001, UL),
    E(0x00080005, CS), E(0x00080006, SQ), E(0x00080008, CS), E(0x00080010, SH), E(0x00080012, DA),
    E(0x00080013, TM), E(0x00080014, UI), E(0x00080015, DT), E(0x00080016, UI), E(0x00080018, UI),
    E(0x0008001A, UI), E(0x0008001B, UI), E(0x00080020, DA), E(0x00080021, DA), E(0x00080022, DA),
    E(0x00080023, DA), E(0x00080024, DA), E(0x00080025, DA), E(0x0008002A, DT), E(0x00080030, TM),
    E(0x00080031, TM), E(0x00080032, TM), E(0x00080033, TM), E(0x00080034, TM), E(0x00080035, TM),
    E(0x00080040, US), E(0x00080041, LO), E(0x00080042, CS), E(0x00080050, SH), E(0x00080051, SQ),
    E(0x00080052, CS), E(0x00080053, CS), E(0x00080054, AE), E(0x00080055, AE), E(0x00080056, CS),
    E(0x00080058, UI), E(0x00080060, CS), E(0x00080061, CS), E(0x00080062, UI), E(0x00080063, SQ),
    E(0x00080064, CS), E(0x00080068, CS), E(0x00080070, LO), E(0x00080080, LO), E(0x00080081, ST),
    E(0x00080082, SQ), E(0x00080090, PN), E(0x00080092, ST), E(0x00080094, SH), E(0x00080096, SQ),
    E(0x0008009C, PN), E(0x0008009D, SQ), E(0x00080100, SH), E(0x00080101, LO), E(0x00080102, SH),
    E(0x00080103, SH), E(0x00080104, LO), E(0x00080105, CS), E(0x00080106, DT), E(0x00080107, DT),
    E(0x00080108, LT), E(0x00080109, SQ), E(0x0008010A, CS), E(0x0008010B, CS), E(0x0008010C, UI),
    E(0x0008010D, UI), E(0x0008010E, UR), E(0x0008010F, CS), E(0x00080110, SQ), E(0x00080112, LO),
    E(0x00080114, ST), E(0x00080115, ST), E(0x00080116, ST), E(0x00080117, UI), E(0x00080118, UI),
    E(0x00080119, UC), E(0x00080120, UR), E(0x00080121, SQ), E(0x00080122, LO), E(0x00080123, SQ),
    E(0x00080124, SQ), E(0x00080201, SH), E(0x00080202, OB), E(0x00080220, SQ), E(0x00080221, CS),
    E(0x00080222, LO), E(0x00080300, SQ), E(0x00080301, US), E(0x00080302, LO), E(0x00080303, CS),
    E(0x00080304, US), E(0x00080305, SQ), E(0x00080306, US), E(0x00080307, CS), E(0x00080308, US),
    E(0x00080309, UL), E(0x0008030A, CS), E(0x0008030B, UL), E(0x0008030C, UC), E(0x0008030D, UC),
    E(0x0008030E, UT), E(0x0008030F, UT), E(0x00080310, SQ), E(0x00081000, AE), E(0x00081010, SH),
    E(0x00081030, LO), E(0x00081032, SQ), E(0x0008103E, LO), E(0x0008103F, SQ), E(0x00081040, LO),
    E(0x00081041, SQ), E(0x00081048, PN), E(0x00081049, SQ), E(0x00081050, PN), E(0x00081052, SQ),
    E(0x00081060, PN), E(0x00081062, SQ), E(0x00081070, PN), E(0x00081072, SQ), E(0x00081080, LO),
    E(0x00081084, SQ), E(0x00081090, LO), E(0x00081100, SQ), E(0x00081110, SQ), E(0x00081111, SQ),
    E(0x00081115, SQ), E(0x00081120, SQ), E(0x00081125, SQ), E(0x00081130, SQ), E(0x00081134, SQ),
    E(0x0008113A, SQ), E(0x00081140, SQ), E(0x00081145, SQ), E(0x0008114A, SQ), E(0x0008114B, SQ),
    E(0x00081150, UI), E(0x00081155, UI), E(0x00081156, SQ), E(0x0008115A, UI), E(0x00081160, IS),
    E(0x00081161, UL), E(0x00081162, UL), E(0x00081163, FD), E(0x00081164, SQ), E(0x00081167, UI),
    E(0x00081190, UR), E(0x00081195, UI), E(0x00081196, US), E(0x00081197, US), E(0x00081198, SQ),
    E(0x00081199, SQ), E(0x0008119A, SQ), E(0x00081200, SQ), E(0x00081250, SQ), E(0x00082110, CS),
    E(0x00082111, ST), E(0x00082112, SQ), E(0x00082120, SH), E(0x00082122, IS), E(0x00082124, IS),
    E(0x00082127, SH), E(0x00082128, IS), E(0x00082129, IS), E(0x0008212A, IS), E(0x00082130, DS),
    E(0x00082132, LO), E(0x00082133, SQ), E(0x00082134, FD), E(0x00082135, SQ), E(0x00082142, IS),
    E(0x00082143, IS), E(0x00082144, IS), E(0x00082200, CS), E(0x00082204, CS), E(0x00082208, CS),
    E(0x00082218, SQ), E(0x00082220, SQ), E(0x00082228, SQ), E(0x00082229, SQ), E(0x00082230, SQ),
    E(0x00082240, SQ), E(0x00082242, SQ), E(0x00082244, SQ), E(0x00082246, SQ), E(0x00082251, SQ),
    E(0x00082253, SQ), E(0x00082255, SQ), E(0x00082256, ST), E(0x00082257, SQ), E(0x00082258, ST),
    E(0x00082259, SQ), E(0x0008225A, SQ), E(0x0008225C, SQ), E(0x00083001, SQ), E(0x00083002, UI),
    E(0x00083010, UI), E(0x00083011, SQ), E(0x00083012, UI), E(0x00084000, LT), E(0x00089007, CS),
    E(0x00089092, SQ), E(0x00089121, SQ), E(0x00089123, UI), E(0x00089124, SQ), E(0x00089154, SQ),
    E(0x00089205, CS), E(0x00089206, CS), E(0x00089207, CS), E(0x00089208, CS), E(0x00089209, CS),
    E(0x00089215, SQ), E(0x00089237, SQ), E(0x00089410, SQ), E(0x00089458, SQ), E(0x00089459, FL),
    E(0x00089460, CS), E(0x00100010, PN), E(0x00100020, LO), E(0x00100021, LO), E(0x00100022, CS),
    E(0x00100024, SQ), E(0x00100026, SQ), E(0x00100027, SQ), E(0x00100028, US), E(0x00100030, DA),
    E(0x00100032, TM), E(0x00100033, LO), E(0x00100034, LO), E(0x00100035, CS), E(0x00100040, CS),
    E(0x00100050, SQ), E(0x00100101, SQ), E(0x00100102, SQ), E(0x00100200, CS), E(0x00100201, SQ),
    E(0x00100212, UC), E(0x00100213, LO), E(0x00100214, LO), E(0x00100215, SQ), E(0x00100216, SQ),
    E(0x00100217, LO), E(0x00100218, UT), E(0x00100219, SQ), E(0x00100221, SQ), E(0x00100222, UC),
    E(0x00100223, LO), E(0x00100229, SQ), E(0x00101000, LO), E(0x00101001, PN), E(0x00101002, SQ),
    E(0x00101005, PN), E(0x00101010, AS), E(0x00101020, DS), E(0x00101021, SQ), E(0x00101022, DS),
    E(0x00101023, DS), E(0x00101024, DS), E(0x00101030, DS), E(0x00101040, LO), E(0x00101050, LO),
    E(0x00101060, PN), E(0x00101080, LO), E(0x00101081, LO), E(0x00101090, LO), E(0x00101100, SQ),
    E(0x00102000, LO), E(0x00102110, LO), E(0x00102150, LO), E(0x00102152, LO), E(0x00102154, SH),
    E(0x00102155, LT), E(0x00102160, SH), E(0x00102180, SH), E(0x001021A0, CS), E(0x001021B0, LT),
    E(0x001021C0, US), E(0x001021D0, DA), E(0x001021F0, LO), E(0x00102201, LO), E(0x00102202, SQ),
    E(0x00102203, CS), E(0x00102210, CS), E(0x00102292, LO), E(0x00102293, SQ), E(0x00102294, SQ),
    E(0x00102295, LO), E(0x00102296, SQ), E(0x00102297, PN), E(0x00102298, CS), E(0x00102299, LO),
    E(0x00104000, LT), E(0x00109431, FL), E(0x00120010, LO), E(0x00120020, LO), E(0x00120021, LO),
    E(0x00120030, LO), E(0x00120031, LO), E(0x00120040, LO), E(0x00120042, LO), E(0x00120050, LO),
    E(0x00120051, ST), E(0x00120052, FD), E(0x00120053, CS), E(0x00120060, LO), E(0x00120062, CS),
    E(0x00120063, LO), E(0x00120064, SQ), E(0x00120071, LO), E(0x00120072, LO), E(0x00120081, LO),
    E(0x00120082, LO), E(0x00120083, SQ), E(0x00120084, CS), E(0x00120085, CS), E(0x00120086, DA),
    E(0x00120087, DA), E(0x00140023, ST), E(0x00140024, ST), E(0x00140025, ST), E(0x00140028, ST),
    E(0x00140030, DS), E(0x00140032, DS), E(0x00140034, DS), E(0x00140042, ST), E(0x00140044, ST),
    E(0x00140045, ST), E(0x00140046, LT), E(0x00140050, CS), E(0x00140052, CS), E(0x00140054, DS),
    E(0x00140056, DS), E(0x00140100, LO), E(0x00140101, CS), E(0x00140102, DA), E(0x00140103, TM),
    E(0x00140104, PN), E(0x00140105, ST), E(0x00140106, SQ), E(0x00140107, CS), E(0x00140108, CS),
    E(0x00141010, ST), E(0x00141020, DA), E(0x00141040, ST), E(0x00142002, SQ), E(0x00142004, IS),
    E(0x00142006, PN), E(0x00142008, IS), E(0x00142012, SQ), E(0x00142014, IS), E(0x00142016, SH),
    E(0x00142018, ST), E(0x0014201A, CS), E(0x0014201C, CS), E(0x0014201E, SQ), E(0x00142030, SQ),
    E(0x00142032, SH), E(0x00142202, IS), E(0x00142204, SQ), E(0x00142206, ST), E(0x00142208, CS),
    E(0x0014220A, IS), E(0x0014220C, CS), E(0x0014220E, CS), E(0x00142210, OB), E(0x00142220, SQ),
    E(0x00142222, ST), E(0x00142224, IS), E(0x00142226, IS), E(0x00142228, CS), E(0x0014222A, DS),
    E(0x0014222C, DS), E(0x00143011, DS), E(0x00143012, DS), E(0x00143020, SQ), E(0x00143022, ST),
    E(0x00143024, DS), E(0x00143026, DS), E(0x00143028, DS), E(0x00143040, SQ), E(0x00143050, OW),
    E(0x00143060, SQ), E(0x00143070, OW), E(0x00143071, DS), E(0x00143072, DS), E(0x00143073, DS),
    E(0x00143074, LO), E(0x00143075, DS), E(0x00143076, DA), E(0x00143077, TM), E(0x00143080, OB),
    E(0x00143099, LT), E(0x00143100, LT), E(0x00143101, LT), E(0x00144002, SQ), E(0x00144004, CS),
    E(0x00144006, LT), E(0x00144008, SQ), E(0x0014400A, CS), E(0x0014400C, LT), E(0x0014400E, SQ),
    E(0x0014400F, LT), E(0x00144010, SQ), E(0x00144011, SQ), E(0x00144012, US), E(0x00144013, CS),
    E(0x00144014, DS), E(0x00144015, DS), E(0x00144016, DS), E(0x00144017, DS), E(0x00144018, DS),
    E(0x00144019, DS), E(0x0014401A, DS), E(0x0014401B, DS), E(0x0014401C, DS), E(0x0014401D, DS),
    E(0x00144020, SQ), E(0x00144022, DS), E(0x00144024, DS), E(0x00144026, CS), E(0x00144028, DS),
    E(0x00144030, SQ), E(0x00144031, DS), E(0x00144032, CS), E(0x00144033, IS), E(0x00144034, DS),
    E(0x00144035, SQ), E(0x00144036, CS), E(0x00144038, DS), E(0x0014403A, DS), E(0x0014403C, DS),
    E(0x00144040, SQ), E(0x00144050, SQ), E(0x00144051, SQ), E(0x00144052, DS), E(0x00144054, ST),
    E(0x00144056, ST), E(0x00144057, DS), E(0x00144058, DS), E(0x00144059, DS), E(0x0014405A, DS),
    E(0x0014405C, ST), E(0x00144060, SQ), E(0x00144062, DS), E(0x00144064, DS), E(0x00144070, SQ),
    E(0x00144072, ST), E(0x00144074, SH), E(0x00144076, DA), E(0x00144078, DA), E(0x0014407A, DA),
    E(0x0014407C, TM), E(0x0014407E, DA), E(0x00144080, SQ), E(0x00144081, CS), E(0x00144082, LT),
    E(0x00144083, SQ), E(0x00144084, DS), E(0x00144085, DS), E(0x00144086, SQ), E(0x00144087, SQ),
    E(0x00144088, DS), E(0x00144089, DS), E(0x0014408B, DS), E(0x0014408C, DS), E(0x0014408D, DS),
    E(0x0014408E, DS), E(0x00144091, SQ), E(0x00144092, DS), E(0x0014409A, SQ), E(0x0014409B, ST),
    E(0x0014409C, DS), E(0x0014409D, DS), E(0x0014409F, DS), E(0x001440A0, LO), E(0x001440A1, LO),
    E(0x001440A2, LO), E(0x00145002, IS), E(0x00145004, IS), E(0x00145100, US), E(0x00145101, DS),
    E(0x00145102, DS), E(0x00145103, DS), E(0x00145104, DS), E(0x00145105, CS), E(0x00145106, SH),
    E(0x00145107, DS), E(0x00145108, DS), E(0x00145109, CS), E(0x0014510A, DS), E(0x0014510B, SH),
    E(0x0014510C, DS), E(0x0014510D, DS), E(0x0014510E, DS), E(0x0014510F, SH), E(0x00145110, SH),
    E(0x00145111, LO), E(0x00145112, DS), E(0x00145113, DS), E(0x00145114, DS), E(0x00145115, DS),
    E(0x00145116, DS), E(0x00145117, DS), E(0x00145118, DS), E(0x00145119, DS), E(0x0014511A, DS),
    E(0x0014511B, DS), E(0x0014511C, DS), E(0x0014511D, DS), E(0x0014511E, CS), E(0x0014511F, DS),
    E(0x00160001, DS), E(0x00160002, DS), E(0x00160003, UT), E(0x00160004, DS), E(0x00160005, DS),
    E(0x00160006, IS), E(0x00160007, IS), E(0x00160008, UC), E(0x00160009, DS), E(0x0016000A, IS),
    E(0x0016000B, IS), E(0x0016000C, UC), E(0x0016000D, DS), E(0x0016000E, IS), E(0x0016000F, IS),
    E(0x00160010, DS), E(0x00160011, US), E(0x00160012, US), E(0x00160013, US), E(0x00160014, US),
    E(0x00160015, US), E(0x00160016, US), E(0x00160017, UT), E(0x00160018, IS), E(0x00160019, IS),
    E(0x0016001A, US), E(0x0016001B, IS), E(0x0016001C, IS), E(0x0016001D, IS), E(0x0016001E, IS),
    E(0x0016001F, IS), E(0x00160020, UT), E(0x00160021, DS), E(0x00160022, DS), E(0x00160023, DS),
    E(0x00160024, DS), E(0x00160025, DS), E(0x00160026, DS), E(0x00160027, US), E(0x00160028, US),
    E(0x00160029, DS), E(0x0016002A, IS), E(0x0016002B, OB), E(0x00160030, DS), E(0x00160031, DS),
    E(0x00160032, DS), E(0x00160033, DS), E(0x00160034, DS), E(0x00160035, DS), E(0x00160036, DS),
    E(0x00160037, IS), E(0x00160038, DS), E(0x00160039, US), E(0x0016003A, US), E(0x0016003B, US),
    E(0x00160041, US), E(0x00160042, US), E(0x00160043, US), E(0x00160044, DS), E(0x00160045, IS),
    E(0x00160046, US), E(0x00160047, US), E(0x00160048, US), E(0x00160049, US), E(0x0016004A, US),
    E(0x0016004B, OB), E(0x0016004C, US), E(0x0016004D, UT), E(0x0016004E, DS), E(0x0016004F, UT),
    E(0x00160050, UT), E(0x00160051, UT), E(0x00160061, CS), E(0x00160062, OB), E(0x00160070, OB),
    E(0x00160071, CS), E(0x00160072, DS), E(0x00160073, CS), E(0x00160074, DS), E(0x00160075, US),
    E(0x00160076, DS), E(0x00160077, DT), E(0x00160078, UT), E(0x00160079, CS), E(0x0016007A, CS),
    E(0x0016007B, DS), E(0x0016007C, CS), E(0x0016007D, DS), E(0x0016007E, CS), E(0x0016007F, DS),
    E(0x00160080, CS), E(0x00160081, DS), E(0x00160082, UT), E(0x00160083, CS), E(0x00160084, DS),
    E(0x00160085, CS), E(0x00160086, DS), E(0x00160087, CS), E(0x00160088, DS), E(0x00160089, CS),
    E(0x0016008A, DS), E(0x0016008B, OB), E(0x0016008C, OB), E(0x0016008D, DT), E(0x0016008E, IS),
    E(0x00161001, CS), E(0x00161002, DS), E(0x00161003, CS), E(0x00161004, CS), E(0x00161005, DS),
    E(0x00180010, LO), E(0x00180012, SQ), E(0x00180013, FL), E(0x00180014, SQ), E(0x00180015, CS),
    E(0x00180020, CS), E(0x00180021, CS), E(0x00180022, CS), E(0x00180023, CS), E(0x00180024, SH),
    E(0x00180025, CS), E(0x00180026, SQ), E(0x00180027, TM), E(0x00180028, DS), E(0x00180029, SQ),
    E(0x0018002A, SQ), E(0x00180030, LO), E(0x00180031, LO), E(0x00180032, DS), E(0x00180033, DS),
    E(0x00180034, LO), E(0x00180035, TM), E(0x00180036, SQ), E(0x00180037, CS), E(0x00180038, CS),
    E(0x00180039, CS), E(0x0018003A, ST), E(0x00180040, IS), E(0x00180042, CS), E(0x00180050, DS),
    E(0x00180060, DS), E(0x00180061, DS), E(0x00180070, IS), E(0x00180071, CS), E(0x00180072, DS),
    E(0x00180073, CS), E(0x00180074, IS), E(0x00180075, IS), E(0x00180080, DS), E(0x00180081, DS),
    E(0x00180082, DS), E(0x00180083, DS), E(0x00180084, DS), E(0x00180085, SH), E(0x00180086, IS),
    E(0x00180087, DS), E(0x00180088, DS), E(0x00180089, IS), E(0x00180090, DS), E(0x00180091, IS),
    E(0x00180093, DS), E(0x00180094, DS), E(0x00180095, DS), E(0x00181000, LO), E(0x00181002, UI),
    E(0x00181003, LO), E(0x00181004, LO), E(0x00181005, LO), E(0x00181006, LO), E(0x00181007, LO),
    E(0x00181008, LO), E(0x00181009, UT), E(0x0018100A, SQ), E(0x0018100B, UI), E(0x00181010, LO),
    E(0x00181011, LO), E(0x00181012, DA), E(0x00181014, TM), E(0x00181016, LO), E(0x00181017, LO),
    E(0x00181018, LO), E(0x00181019, LO), E(0x0018101A, LO), E(0x0018101B, LO), E(0x00181020, LO),
    E(0x00181022, SH), E(0x00181023, LO), E(0x00181030, LO), E(0x00181040, LO), E(0x00181041, DS),
    E(0x00181042, TM), E(0x00181043, TM), E(0x00181044, DS), E(0x00181045, IS), E(0x00181046, DS),
    E(0x00181047, DS), E(0x00181048, CS), E(0x00181049, DS), E(0x00181050, DS), E(0x00181060, DS),
    E(0x00181061, LO), E(0x00181062, IS), E(0x00181063, DS), E(0x00181064, LO), E(0x00181065, DS),
    E(0x00181066, DS), E(0x00181067, DS), E(0x00181068, DS), E(0x00181069, DS), E(0x0018106A, CS),
    E(0x0018106C, US), E(0x0018106E, UL), E(0x00181070, LO), E(0x00181071, DS), E(0x00181072, TM),
    E(0x00181073, TM), E(0x00181074, DS), E(0x00181075, DS), E(0x00181076, DS), E(0x00181077, DS),
    E(0x00181078, DT), E(0x00181079, DT), E(0x00181080, CS), E(0x00181081, IS), E(0x00181082, IS),
    E(0x00181083, IS), E(0x00181084, IS), E(0x00181085, LO), E(0x00181086, IS), E(0x00181088, IS),
    E(0x00181090, IS), E(0x00181094, IS), E(0x00181100, DS), E(0x00181110, DS), E(0x00181111, DS),
    E(0x00181114, DS), E(0x00181120, DS), E(0x00181121, DS), E(0x00181130, DS), E(0x00181131, DS),
    E(0x00181134, CS), E(0x00181135, DS), E(0x00181136, DS), E(0x00181137, DS), E(0x00181138, DS),
    E(0x0018113A, CS), E(0x00181140, CS), E(0x00181141, DS), E(0x00181142, DS), E(0x00181143, DS),
    E(0x00181144, DS), E(0x00181145, DS), E(0x00181146, DS), E(0x00181147, CS), E(0x00181149, IS),
    E(0x00181150, IS), E(0x00181151, IS), E(0x00181152, IS), E(0x00181153, IS), E(0x00181154, DS),
    E(0x00181155, CS), E(0x00181156, CS), E(0x0018115A, CS), E(0x0018115E, DS), E(0x00181160, SH),
    E(0x00181161, LO), E(0x00181162, DS), E(0x00181164, DS), E(0x00181166, CS), E(0x00181170, IS),
    E(0x00181180, SH), E(0x00181181, CS), E(0x00181182, IS), E(0x00181183, DS), E(0x00181184, DS),
    E(0x00181190, DS), E(0x00181191, CS), E(0x001811A0, DS), E(0x001811A2, DS), E(0x001811A3, DS),
    E(0x001811A4, LO), E(0x001811A5, DS), E(0x001811B0, LO), E(0x001811B1, LO), E(0x001811B2, CS),
    E(0x001811B3, CS), E(0x001811B4, CS), E(0x001811B5, IS), E(0x001811B6, CS), E(0x001811B7, FD),
    E(0x001811B8, SQ), E(0x001811B9, FD), E(0x001811BA, SQ), E(0x001811BB, LO), E(0x001811BC, SQ),
    E(0x001811BD, FD), E(0x001811BE, CS), E(0x001811BF, SQ), E(0x001811C0, CS), E(0x001811C1, SQ),
    E(0x00181200, DA), E(0x00181201, TM), E(0x00181202, DT), E(0x00181203, DT), E(0x00181210, SH),
    E(0x00181240, IS), E(0x00181242, IS), E(0x00181243, IS), E(0x00181244, US), E(0x00181250, SH),
    E(0x00181251, SH), E(0x00181260, SH), E(0x00181261, LO), E(0x00181271, FD), E(0x00181272, SQ),
    E(0x00181300, DS), E(0x00181301, CS), E(0x00181302, IS), E(0x00181310, US), E(0x00181312, CS),
    E(0x00181314, DS), E(0x00181315, CS), E(0x00181316, DS), E(0x00181318, DS), E(0x00181320, FL),
    E(0x00181400, LO), E(0x00181401, LO), E(0x00181402, CS), E(0x00181403, CS), E(0x00181404, US),
    E(0x00181405, IS), E(0x00181411, DS), E(0x00181412, DS), E(0x00181413, DS), E(0x00181450, DS),
    E(0x00181460, DS), E(0x00181470, DS), E(0x00181480, DS), E(0x00181490, CS), E(0x00181491, CS),
    E(0x00181495, IS), E(0x00181500, CS), E(0x00181508, CS), E(0x00181510, DS), E(0x00181511, DS),
    E(0x00181520, DS), E(0x00181521, DS), E(0x00181530, DS), E(0x00181531, DS), E(0x00181600, CS),
    E(0x00181602, IS), E(0x00181604, IS), E(0x00181606, IS), E(0x00181608, IS), E(0x00181610, IS),
    E(0x00181612, IS), E(0x00181620, IS), E(0x00181622, US), E(0x00181623, US), E(0x00181624, US),
    E(0x00181630, CS), E(0x00181631, FD), E(0x00181632, FD), E(0x00181633, FD), E(0x00181634, FD),
    E(0x00181635, FD), E(0x00181636, FD), E(0x00181637, UL), E(0x00181638, OF), E(0x00181700, CS),
    E(0x00181702, IS), E(0x00181704, IS), E(0x00181706, IS), E(0x00181708, IS), E(0x00181710, IS),
    E(0x00181712, IS), E(0x00181720, IS), E(0x00181800, CS), E(0x00181801, SH), E(0x00181802, CS),
    E(0x00181803, LO), E(0x00182001, IS), E(0x00182002, SH), E(0x00182003, DS), E(0x00182004, DS),
    E(0x00182005, DS), E(0x00182006, SH), E(0x00182010, DS), E(0x00182020, CS), E(0x00182030, DS),
    E(0x00182041, SQ), E(0x00182042, UI), E(0x00182043, FL), E(0x00182044, FL), E(0x00182045, SH),
    E(0x00182046, FL), E(0x00183100, CS), E(0x00183101, DS), E(0x00183102, DS), E(0x00183103, IS),
    E(0x00183104, IS), E(0x00183105, IS), E(0x00184000, LT), E(0x00185000, SH), E(0x00185010, LO),
    E(0x00185011, SQ), E(0x00185012, DS), E(0x00185020, LO), E(0x00185021, LO), E(0x00185022, DS),
    E(0x00185024, DS), E(0x00185026, DS), E(0x00185027, DS), E(0x00185028, DS), E(0x00185029, DS),
    E(0x00185030, DS), E(0x00185040, DS), E(0x00185050, IS), E(0x00185100, CS), E(0x00185101, CS),
    E(0x00185104, SQ), E(0x00185210, DS), E(0x00185212, DS), E(0x00186000, DS), E(0x00186011, SQ),
    E(0x00186012, US), E(0x00186014, US), E(0x00186016, UL), E(0x00186018, UL), E(0x0018601A, UL),
    E(0x0018601C, UL), E(0x0018601E, UL), E(0x00186020, SL), E(0x00186022, SL), E(0x00186024, US),
    E(0x00186026, US), E(0x00186028, FD), E(0x0018602A, FD), E(0x0018602C, FD), E(0x0018602E, FD),
    E(0x00186030, UL), E(0x00186031, CS), E(0x00186032, UL), E(0x00186034, FD), E(0x00186036, FD),
    E(0x00186038, UL), E(0x00186039, SL), E(0x0018603A, UL), E(0x0018603B, SL), E(0x0018603C, UL),
    E(0x0018603D, SL), E(0x0018603E, UL), E(0x0018603F, SL), E(0x00186040, UL), E(0x00186041, SL),
    E(0x00186042, UL), E(0x00186043, SL), E(0x00186044, US), E(0x00186046, UL), E(0x00186048, UL),
    E(0x0018604A, UL), E(0x0018604C, US), E(0x0018604E, US), E(0x00186050, UL), E(0x00186052, UL),
    E(0x00186054, FD), E(0x00186056, UL), E(0x00186058, UL), E(0x0018605A, FL), E(0x00186060, FL),
    E(0x00186070, US), E(0x00187000, CS), E(0x00187001, DS), E(0x00187004, CS), E(0x00187005, CS),
    E(0x00187006, LT), E(0x00187008, LT), E(0x0018700A, SH), E(0x0018700C, DA), E(0x0018700E, TM),
    E(0x00187010, IS), E(0x00187011, IS), E(0x00187012, DS), E(0x00187014, DS), E(0x00187016, DS),
    E(0x0018701A, DS), E(0x00187020, DS), E(0x00187022, DS), E(0x00187024, CS), E(0x00187026, DS),
    E(0x00187028, DS), E(0x0018702A, LO), E(0x0018702B, LO), E(0x00187030, DS), E(0x00187032, DS),
    E(0x00187034, CS), E(0x00187036, FL), E(0x00187038, FL), E(0x00187040, LT), E(0x00187041, LT),
    E(0x00187042, DS), E(0x00187044, DS), E(0x00187046, IS), E(0x00187048, DS), E(0x0018704C, DS),
    E(0x00187050, CS), E(0x00187052, DS), E(0x00187054, DS), E(0x00187056, FL), E(0x00187058, FL),
    E(0x00187060, CS), E(0x00187062, LT), E(0x00187064, CS), E(0x00187065, DS), E(0x00188150, DS),
    E(0x00188151, DS), E(0x00189004, CS), E(0x00189005, SH), E(0x00189006, SQ), E(0x00189008, CS),
    E(0x00189009, CS), E(0x00189010, CS), E(0x00189011, CS), E(0x00189012, CS), E(0x00189014, CS),
    E(0x00189015, CS), E(0x00189016, CS), E(0x00189017, CS), E(0x00189018, CS), E(0x00189019, FD),
    E(0x00189020, CS), E(0x00189021, CS), E(0x00189022, CS), E(0x00189024, CS), E(0x00189025, CS),
    E(0x00189026, CS), E(0x00189027, CS), E(0x00189028, CS), E(0x00189029, CS), E(0x00189030, FD),
    E(0x00189032, CS), E(0x00189033, CS), E(0x00189034, CS), E(0x00189035, FD), E(0x00189036, CS),
    E(0x00189037, CS), E(0x00189041, LO), E(0x00189042, SQ), E(0x00189043, CS), E(0x00189044, CS),
    E(0x00189045, SQ), E(0x00189046, LO), E(0x00189047, SH), E(0x00189048, CS), E(0x00189049, SQ),
    E(0x00189050, LO), E(0x00189051, CS), E(0x00189052, FD), E(0x00189053, FD), E(0x00189054, CS),
    E(0x00189058, US), E(0x00189059, CS), E(0x00189060, CS), E(0x00189061, FD), E(0x00189062, CS),
    E(0x00189063, FD), E(0x00189064, CS), E(0x00189065, CS), E(0x00189066, US), E(0x00189067, CS),
    E(0x00189069, FD), E(0x00189070, FD), E(0x00189073, FD), E(0x00189074, DT), E(0x00189075, CS),
    E(0x00189076, SQ), E(0x00189077, CS), E(0x00189078, CS), E(0x00189079, FD), E(0x00189080, ST),
    E(0x00189081, CS), E(0x00189082, FD), E(0x00189083, SQ), E(0x00189084, SQ), E(0x00189085, CS),
    E(0x00189087, FD), E(0x00189089, FD), E(0x00189090, FD), E(0x00189091, FD), E(0x00189092, SQ),
    E(0x00189093, US), E(0x00189094, CS), E(0x00189095, UL), E(0x00189096, FD), E(0x00189098, FD),
    E(0x00189100, CS), E(0x00189101, CS), E(0x00189103, SQ), E(0x00189104, FD), E(0x00189105, FD),
    E(0x00189106, FD), E(0x00189107, SQ), E(0x00189112, SQ), E(0x00189114, SQ), E(0x00189115, SQ),
    E(0x00189117, SQ), E(0x00189118, SQ), E(0x00189119, SQ), E(0x00189125, SQ), E(0x00189126, SQ),
    E(0x00189127, UL), E(0x00189147, CS), E(0x00189151, DT), E(0x00189152, SQ), E(0x00189155, FD),
    E(0x00189159, UL), E(0x00189166, CS), E(0x00189168, FD), E(0x00189169, CS), E(0x00189170, CS),
    E(0x00189171, CS), E(0x00189172, CS), E(0x00189173, CS), E(0x00189174, CS), E(0x00189175, LO),
    E(0x00189176, SQ), E(0x00189177, CS), E(0x00189178, CS), E(0x00189179, CS), E(0x00189180, CS),
    E(0x00189181, FD), E(0x00189182, FD), E(0x00189183, CS), E(0x00189184, FD), E(0x00189185, ST),
    E(0x00189186, SH), E(0x00189195, FD), E(0x00189196, FD), E(0x00189197, SQ), E(0x00189198, CS),
    E(0x00189199, CS), E(0x00189200, CS), E(0x00189214, CS), E(0x00189217, FD), E(0x00189218, FD),
    E(0x00189219, SS), E(0x00189220, FD), E(0x00189226, SQ), E(0x00189227, SQ), E(0x00189231, US),
    E(0x00189232, US), E(0x00189234, UL), E(0x00189236, CS), E(0x00189239, SQ), E(0x00189240, US),
    E(0x00189241, US), E(0x00189250, CS), E(0x00189251, SQ), E(0x00189252, LO), E(0x00189253, US),
    E(0x00189254, FD), E(0x00189255, FD), E(0x00189256, FD), E(0x00189257, CS), E(0x00189258, UL),
    E(0x00189259, CS), E(0x0018925A, FD), E(0x0018925B, LO), E(0x0018925C, CS), E(0x0018925D, SQ),
    E(0x0018925E, LO), E(0x0018925F, UL), E(0x00189260, SQ), E(0x00189295, FD), E(0x00189296, FD),
    E(0x00189297, CS), E(0x00189298, IS), E(0x00189301, SQ), E(0x00189302, CS), E(0x00189303, FD),
    E(0x00189304, SQ), E(0x00189305, FD), E(0x00189306, FD), E(0x00189307, FD), E(0x00189308, SQ),
    E(0x00189309, FD), E(0x00189310, FD), E(0x00189311, FD), E(0x00189312, SQ), E(0x00189313, FD),
    E(0x00189314, SQ), E(0x00189315, CS), E(0x00189316, CS), E(0x00189317, FD), E(0x00189318, FD),
    E(0x00189319, FD), E(0x00189320, SH), E(0x00189321, SQ), E(0x00189322, FD), E(0x00189323, CS),
    E(0x00189324, FD), E(0x00189325, SQ), E(0x00189326, SQ), E(0x00189327, FD), E(0x00189328, FD),
    E(0x00189329, SQ), E(0x00189330, FD), E(0x00189332, FD), E(0x00189333, CS), E(0x00189334, CS),
    E(0x00189335, FD), E(0x00189337, US), E(0x00189338, SQ), E(0x00189340, SQ), E(0x00189341, SQ),
    E(0x00189342, CS), E(0x00189343, CS), E(0x00189344, CS), E(0x00189345, FD), E(0x00189346, SQ),
    E(0x00189351, FL), E(0x00189352, FL), E(0x00189353, FL), E(0x00189360, SQ), E(0x00189361, CS),
    E(0x00189362, SQ), E(0x00189363, SQ), E(0x00189364, SQ), E(0x00189365, SQ), E(0x00189366, US),
    E(0x00189367, UC), E(0x00189368, CS), E(0x00189369, DT), E(0x0018936A, DT), E(0x0018936B, US),
    E(0x0018936C, DS), E(0x0018936D, DS), E(0x0018936E, DS), E(0x0018936F, SQ), E(0x00189370, US),
    E(0x00189371, UC), E(0x00189372, CS), E(0x00189373, ST), E(0x00189374, DS), E(0x00189375, DS),
    E(0x00189376, US), E(0x00189377, US), E(0x00189378, US), E(0x00189379, SQ), E(0x0018937A, US),
    E(0x0018937B, UT), E(0x0018937C, FD), E(0x0018937D, SQ), E(0x0018937E, CS), E(0x0018937F, UT),
    E(0x00189380, SQ), E(0x00189381, SQ), E(0x00189382, SQ), E(0x00189383, DS), E(0x00189384, DS),
    E(0x00189401, SQ), E(0x00189402, FL), E(0x00189403, FL), E(0x00189404, FL), E(0x00189405, SQ),
    E(0x00189406, SQ), E(0x00189407, SQ), E(0x00189410, CS), E(0x00189412, SQ), E(0x00189417, SQ),
    E(0x00189420, CS), E(0x00189423, LO), E(0x00189424, LT), E(0x00189425, CS), E(0x00189426, FL),
    E(0x00189427, CS), E(0x00189428, FL), E(0x00189429, FL), E(0x00189430, FL), E(0x00189432, SQ),
    E(0x00189433, LO), E(0x00189434, SQ), E(0x00189435, CS), E(0x00189436, SS), E(0x00189437, SS),
    E(0x00189438, SS), E(0x00189439, SS), E(0x00189440, SS), E(0x00189441, US), E(0x00189442, SS),
    E(0x00189445, OB), E(0x00189447, FL), E(0x00189449, FL), E(0x00189451, SQ), E(0x00189452, FL),
    E(0x00189455, SQ), E(0x00189456, SQ), E(0x00189457, CS), E(0x00189461, FL), E(0x00189462, SQ),
    E(0x00189463, FL), E(0x00189464, FL), E(0x00189465, FL), E(0x00189466, FL), E(0x00189467, FL),
    E(0x00189468, FL), E(0x00189469, FL), E(0x00189470, FL), E(0x00189471, FL), E(0x00189472, SQ),
    E(0x00189473, FL), E(0x00189474, CS), E(0x00189476, SQ), E(0x00189477, SQ), E(0x00189504, SQ),
    E(0x00189506, SQ), E(0x00189507, SQ), E(0x00189508, FL), E(0x00189509, FL), E(0x00189510, FL),
    E(0x00189511, FL), E(0x00189514, FL), E(0x00189515, FL), E(0x00189516, DT), E(0x00189517, DT),
    E(0x00189518, SS), E(0x00189519, SS), E(0x00189524, LO), E(0x00189525, LO), E(0x00189526, LO),
    E(0x00189527, CS), E(0x00189528, LO), E(0x00189530, SQ), E(0x00189531, LO), E(0x00189538, SQ),
    E(0x00189541, SQ), E(0x00189542, SQ), E(0x00189543, FD), E(0x00189544, FD), E(0x00189545, FD),
    E(0x00189546, FD), E(0x00189547, FD), E(0x00189548, FD), E(0x00189549, FD), E(0x00189550, FD),
    E(0x00189551, FD), E(0x00189552, FD), E(0x00189553, FD), E(0x00189554, FD), E(0x00189555, SQ),
    E(0x00189556, SQ), E(0x00189557, FD), E(0x00189558, FD), E(0x00189559, CS), E(0x00189601, SQ),
    E(0x00189602, FD), E(0x00189603, FD), E(0x00189604, FD), E(0x00189605, FD), E(0x00189606, FD),
    E(0x00189607, FD), E(0x00189621, SQ), E(0x00189622, CS), E(0x00189623, DT), E(0x00189624, CS),
    E(0x00189701, DT), E(0x00189715, FD), E(0x00189716, FD), E(0x00189717, FD), E(0x00189718, FD),
    E(0x00189719, FD), E(0x00189720, FD), E(0x00189721, FD), E(0x00189722, FD), E(0x00189723, FD),
    E(0x00189724, FD), E(0x00189725, CS), E(0x00189726, FD), E(0x00189727, FD), E(0x00189729, US),
    E(0x00189732, SQ), E(0x00189733, SQ), E(0x00189734, SQ), E(0x00189735, SQ), E(0x00189736, SQ),
    E(0x00189737, SQ), E(0x00189738, CS), E(0x00189739, US), E(0x00189740, US), E(0x00189749, SQ),
    E(0x00189751, SQ), E(0x00189755, CS), E(0x00189756, CS), E(0x00189758, CS), E(0x00189759, CS),
    E(0x00189760, CS), E(0x00189761, CS), E(0x00189762, CS), E(0x00189763, CS), E(0x00189764, CS),
    E(0x00189765, CS), E(0x00189766, CS), E(0x00189767, CS), E(0x00189768, CS), E(0x00189769, CS),
    E(0x00189770, CS), E(0x00189771, SQ), E(0x00189772, SQ), E(0x00189801, FD), E(0x00189803, SQ),
    E(0x00189804, DT), E(0x00189805, FD), E(0x00189806, SQ), E(0x00189807, SQ), E(0x00189808, CS),
    E(0x00189809, SQ), E(0x0018980B, CS), E(0x0018980C, CS), E(0x0018980D, SQ), E(0x0018980E, SQ),
    E(0x0018980F, SQ), E(0x00189810, XS), E(0x00189900, LO), E(0x00189901, UT), E(0x00189902, SQ),
    E(0x00189903, SQ), E(0x00189904, DS), E(0x00189905, CS), E(0x00189906, SQ), E(0x00189907, SQ),
    E(0x00189908, UC), E(0x00189909, SQ), E(0x0018990A, UC), E(0x0018990B, SQ), E(0x0018990C, SQ),
    E(0x0018990D, SQ), E(0x0018990E, SQ), E(0x0018990F, UT), E(0x00189910, UT), E(0x00189911, SQ),
    E(0x00189912, SQ), E(0x00189913, SQ), E(0x00189914, SQ), E(0x00189915, US), E(0x00189916, LO),
    E(0x00189917, UT), E(0x00189918, CS), E(0x00189919, DT), E(0x0018991A, UT), E(0x0018991B, SQ),
    E(0x0018991C, SQ), E(0x0018991D, SQ), E(0x0018991E, UI), E(0x0018991F, SQ), E(0x00189920, SQ),
    E(0x00189921, US), E(0x00189922, LO), E(0x00189923, UT), E(0x00189924, UT), E(0x00189930, CS),
    E(0x00189931, SQ), E(0x00189932, SQ), E(0x00189933, SQ), E(0x00189934, SQ), E(0x00189935, SQ),
    E(0x00189936, SQ), E(0x00189937, LO), E(0x00189938, US), E(0x00189939, US), E(0x0018993A, US),
    E(0x0018993B, SQ), E(0x0018993C, SQ), E(0x0018993D, SQ), E(0x0018993E, SQ), E(0x00189941, UT),
    E(0x00189942, FD), E(0x00189943, FD), E(0x00189944, CS), E(0x00189945, FD), E(0x00189946, FD),
    E(0x00189947, CS), E(0x0018A001, SQ), E(0x0018A002, DT), E(0x0018A003, ST), E(0x0020000D, UI),
    E(0x0020000E, UI), E(0x00200010, SH), E(0x00200011, IS), E(0x00200012, IS), E(0x00200013, IS),
    E(0x00200014, IS), E(0x00200015, IS), E(0x00200016, IS), E(0x00200017, IS), E(0x00200018, IS),
    E(0x00200019, IS), E(0x00200020, CS), E(0x00200022, IS), E(0x00200024, IS), E(0x00200026, IS),
    E(0x00200030, DS), E(0x00200032, DS), E(0x00200035, DS), E(0x00200037, DS), E(0x00200050, DS),
    E(0x00200052, UI), E(0x00200060, CS), E(0x00200062, CS), E(0x00200070, LO), E(0x00200080, CS),
    E(0x002000AA, IS), E(0x00200100, IS), E(0x00200105, IS), E(0x00200110, DS), E(0x00200200, UI),
    E(0x00200242, UI), E(0x00201000, IS), E(0x00201001, IS), E(0x00201002, IS), E(0x00201003, IS),
    E(0x00201004, IS), E(0x00201005, IS), E(0x00201020, LO), E(0x0020103F, LO), E(0x00201040, LO),
    E(0x00201041, DS), E(0x00201070, IS), E(0x00201200, IS), E(0x00201202, IS), E(0x00201204, IS),
    E(0x00201206, IS), E(0x00201208, IS), E(0x00201209, IS), E(0x00203401, CS), E(0x00203402, CS),
    E(0x00203403, DA), E(0x00203404, LO), E(0x00203405, TM), E(0x00203406, LO), E(0x00204000, LT),
    E(0x00205000, AT), E(0x00205002, LO), E(0x00209056, SH), E(0x00209057, UL), E(0x00209071, SQ),
    E(0x00209072, CS), E(0x00209111, SQ), E(0x00209113, SQ), E(0x00209116, SQ), E(0x00209128, UL),
    E(0x00209153, FD), E(0x00209154, FL), E(0x00209155, FL), E(0x00209156, US), E(0x00209157, UL),
    E(0x00209158, LT), E(0x00209161, UI), E(0x00209162, US), E(0x00209163, US), E(0x00209164, UI),
    E(0x00209165, AT), E(0x00209167, AT), E(0x00209170, SQ), E(0x00209171, SQ), E(0x00209172, SQ),
    E(0x00209213, LO), E(0x00209221, SQ), E(0x00209222, SQ), E(0x00209228, UL), E(0x00209238, LO),
    E(0x00209241, FL), E(0x00209245, FL), E(0x00209246, FL), E(0x00209247, CS), E(0x00209248, FL),
    E(0x00209249, CS), E(0x00209250, CS), E(0x00209251, FD), E(0x00209252, FD), E(0x00209253, SQ),
    E(0x00209254, FD), E(0x00209255, FD), E(0x00209256, FD), E(0x00209257, FD), E(0x00209301, FD),
    E(0x00209302, FD), E(0x00209307, CS), E(0x00209308, FD), E(0x00209309, FD), E(0x0020930A, FD),
    E(0x0020930B, CS), E(0x0020930C, CS), E(0x0020930D, FD), E(0x0020930E, SQ), E(0x0020930F, SQ),
    E(0x00209310, SQ), E(0x00209311, CS), E(0x00209312, UI), E(0x00209313, UI), E(0x00209421, LO),
    E(0x00209450, SQ), E(0x00209453, LO), E(0x00209518, US), E(0x00209529, SQ), E(0x00209536, US),
    E(0x00220001, US), E(0x00220002, US), E(0x00220003, US), E(0x00220004, US), E(0x00220005, CS),
    E(0x00220006, SQ), E(0x00220007, FL), E(0x00220008, FL), E(0x00220009, FL), E(0x0022000A, FL),
    E(0x0022000B, FL), E(0x0022000C, FL), E(0x0022000D, CS), E(0x0022000E, FL), E(0x00220010, FL),
    E(0x00220011, FL), E(0x00220012, FL), E(0x00220013, FL), E(0x00220014, FL), E(0x00220015, SQ),
    E(0x00220016, SQ), E(0x00220017, SQ), E(0x00220018, SQ), E(0x00220019, SQ), E(0x0022001A, SQ),
    E(0x0022001B, SQ), E(0x0022001C, SQ), E(0x0022001D, SQ), E(0x0022001E, FL), E(0x00220020, SQ),
    E(0x00220021, SQ), E(0x00220022, SQ), E(0x00220028, CS), E(0x00220030, FL), E(0x00220031, SQ),
    E(0x00220032, FL), E(0x00220035, FL), E(0x00220036, FL), E(0x00220037, FL), E(0x00220038, FL),
    E(0x00220039, CS), E(0x00220041, FL), E(0x00220042, SQ), E(0x00220048, FL), E(0x00220049, FL),
    E(0x0022004E, DS), E(0x00220055, FL), E(0x00220056, FL), E(0x00220057, FL), E(0x00220058, SQ),
    E(0x00221007, SQ), E(0x00221008, SQ), E(0x00221009, CS), E(0x00221010, CS), E(0x00221012, SQ),
    E(0x00221019, FL), E(0x00221024, SQ), E(0x00221025, SQ), E(0x00221028, SQ), E(0x00221029, LO),
    E(0x00221033, FL), E(0x00221035, SQ), E(0x00221036, SQ), E(0x00221037, FL), E(0x00221039, CS),
    E(0x00221040, SQ), E(0x00221044, SQ), E(0x00221045, SQ), E(0x00221046, CS), E(0x00221047, SQ),
    E(0x00221048, SQ), E(0x00221049, CS), E(0x0022104A, SQ), E(0x0022104B, SQ), E(0x00221050, SQ),
    E(0x00221053, FL), E(0x00221054, FL), E(0x00221059, FL), E(0x00221065, LO), E(0x00221066, LO),
    E(0x00221090, SQ), E(0x00221092, SQ), E(0x00221093, LO), E(0x00221094, LO), E(0x00221095, LO),
    E(0x00221096, SQ), E(0x00221097, LO), E(0x00221100, SQ), E(0x00221101, SQ), E(0x00221103, SQ),
    E(0x00221121, FL), E(0x00221122, FL), E(0x00221125, SQ), E(0x00221127, SQ), E(0x00221128, SQ),
    E(0x0022112A, SQ), E(0x0022112B, CS), E(0x0022112C, LT), E(0x00221130, FL), E(0x00221131, FL),
    E(0x00221132, SQ), E(0x00221133, SQ), E(0x00221134, SQ), E(0x00221135, SQ), E(0x00221140, CS),
    E(0x00221150, SQ), E(0x00221153, SQ), E(0x00221155, FL), E(0x00221159, LO), E(0x00221210, SQ),
    E(0x00221211, SQ), E(0x00221212, SQ), E(0x00221220, SQ), E(0x00221225, SQ), E(0x00221230, SQ),
    E(0x00221250, SQ), E(0x00221255, SQ), E(0x00221257, SQ), E(0x00221260, SQ), E(0x00221262, SQ),
    E(0x00221265, SQ), E(0x00221273, LO), E(0x00221300, SQ), E(0x00221310, SQ), E(0x00221330, SQ),
    E(0x00221415, CS), E(0x00221420, SQ), E(0x00221423, SQ), E(0x00221436, SQ), E(0x00221443, SQ),
    E(0x00221445, SQ), E(0x00221450, SQ), E(0x00221452, XS), E(0x00221454, LO), E(0x00221458, SQ),
    E(0x00221460, FL), E(0x00221463, FL), E(0x00221465, SQ), E(0x00221466, CS), E(0x00221467, FL),
    E(0x00221468, FL), E(0x00221470, SQ), E(0x00221472, SQ), E(0x00221512, SQ), E(0x00221513, SQ),
    E(0x00221515, CS), E(0x00221517, FL), E(0x00221518, SQ), E(0x00221525, SQ), E(0x00221526, SQ),
    E(0x00221527, FL), E(0x00221528, FL), E(0x00221529, FL), E(0x00221530, UL), E(0x00221531, OF),
    E(0x00221612, SQ), E(0x00221615, SQ), E(0x00221616, LO), E(0x00221618, SQ), E(0x00221620, SQ),
    E(0x00221622, CS), E(0x00221624, FL), E(0x00221626, FL), E(0x00221628, SQ), E(0x00221630, DS),
    E(0x00221640, SQ), E(0x00221642, UL), E(0x00221643, FL), E(0x00221644, FL), E(0x00221645, FL),
    E(0x00221646, FL), E(0x00221649, FL), E(0x00221650, FL), E(0x00221658, UL), E(0x00240010, FL),
    E(0x00240011, FL), E(0x00240012, CS), E(0x00240016, SQ), E(0x00240018, FL), E(0x00240020, FL),
    E(0x00240021, SQ), E(0x00240024, SQ), E(0x00240025, FL), E(0x00240028, FL), E(0x00240032, SQ),
    E(0x00240033, SQ), E(0x00240034, SQ), E(0x00240035, US), E(0x00240036, US), E(0x00240037, CS),
    E(0x00240038, US), E(0x00240039, CS), E(0x00240040, CS), E(0x00240042, US), E(0x00240044, LT),
    E(0x00240045, CS), E(0x00240046, FL), E(0x00240048, US), E(0x00240050, US), E(0x00240051, CS),
    E(0x00240052, CS), E(0x00240053, CS), E(0x00240054, FL), E(0x00240055, CS), E(0x00240056, US),
    E(0x00240057, CS), E(0x00240058, SQ), E(0x00240059, CS), E(0x00240060, US), E(0x00240061, CS),
    E(0x00240062, CS), E(0x00240063, CS), E(0x00240064, SQ), E(0x00240065, SQ), E(0x00240066, FL),
    E(0x00240067, SQ), E(0x00240068, FL), E(0x00240069, LO), E(0x00240070, FL), E(0x00240071, FL),
    E(0x00240072, CS), E(0x00240073, FL), E(0x00240074, CS), E(0x00240075, FL), E(0x00240076, CS),
    E(0x00240077, FL), E(0x00240078, CS), E(0x00240079, FL), E(0x00240080, CS), E(0x00240081, FL),
    E(0x00240083, SQ), E(0x00240085, SQ), E(0x00240086, CS), E(0x00240087, FL), E(0x00240088, FL),
    E(0x00240089, SQ), E(0x00240090, FL), E(0x00240091, FL), E(0x00240092, FL), E(0x00240093, CS),
    E(0x00240094, FL), E(0x00240095, CS), E(0x00240096, FL), E(0x00240097, SQ), E(0x00240098, FL),
    E(0x00240100, FL), E(0x00240102, CS), E(0x00240103, FL), E(0x00240104, FL), E(0x00240105, FL),
    E(0x00240106, CS), E(0x00240107, FL), E(0x00240108, FL), E(0x00240110, SQ), E(0x00240112, SQ),
    E(0x00240113, CS), E(0x00240114, SQ), E(0x00240115, SQ), E(0x00240117, CS), E(0x00240118, FL),
    E(0x00240120, CS), E(0x00240122, SQ), E(0x00240124, CS), E(0x00240126, FL), E(0x00240202, LO),
    E(0x00240306, LO), E(0x00240307, LO), E(0x00240308, LO), E(0x00240309, LO), E(0x00240317, SQ),
    E(0x00240320, SQ), E(0x00240325, SQ), E(0x00240338, CS), E(0x00240341, FL), E(0x00240344, SQ),
    E(0x00280002, US), E(0x00280003, US), E(0x00280004, CS), E(0x00280005, US), E(0x00280006, US),
    E(0x00280008, IS), E(0x00280009, AT), E(0x0028000A, AT), E(0x00280010, US), E(0x00280011, US),
    E(0x00280012, US), E(0x00280014, US), E(0x00280020, OB), E(0x00280030, DS), E(0x00280031, DS),
    E(0x00280032, DS), E(0x00280034, IS), E(0x00280040, CS), E(0x00280050, LO), E(0x00280051, CS),
    E(0x0028005F, LO), E(0x00280060, CS), E(0x00280061, SH), E(0x00280062, LO), E(0x00280063, SH),
    E(0x00280065, CS), E(0x00280066, AT), E(0x00280068, US), E(0x00280069, US), E(0x00280070, US),
    E(0x00280071, XS), E(0x00280080, US), E(0x00280081, US), E(0x00280082, US), E(0x00280090, CS),
    E(0x00280091, US), E(0x00280092, US), E(0x00280093, US), E(0x00280094, US), E(0x00280100, US),
    E(0x00280101, US), E(0x00280102, US), E(0x00280103, US), E(0x00280104, XS), E(0x00280105, XS),
    E(0x00280106, XS), E(0x00280107, XS), E(0x00280108, XS), E(0x00280109, XS), E(0x00280110, XS),
    E(0x00280111, XS), E(0x00280120, XS), E(0x00280121, XS), E(0x00280122, FL), E(0x00280123, FD),
    E(0x00280124, FL), E(0x00280125, FD), E(0x00280200, US), E(0x00280300, CS), E(0x00280301, CS),
    E(0x00280302, CS), E(0x00280303, CS), E(0x00280304, UI), E(0x00280400, LO), E(0x00280401, LO),
    E(0x00280402, US), E(0x00280403, LO), E(0x00280404, AT), E(0x00280700, LO), E(0x00280701, CS),
    E(0x00280702, AT), E(0x00280710, US), E(0x00280720, US), E(0x00280721, AT), E(0x00280722, US),
    E(0x00280730, US), E(0x00280740, US), E(0x00280A02, CS), E(0x00280A04, LO), E(0x00281040, CS),
    E(0x00281041, SS), E(0x00281050, DS), E(0x00281051, DS), E(0x00281052, DS), E(0x00281053, DS),
    E(0x00281054, LO), E(0x00281055, LO), E(0x00281056, CS), E(0x00281080, CS), E(0x00281090, CS),
    E(0x00281100, XS), E(0x00281101, XS), E(0x00281102, XS), E(0x00281103, XS), E(0x00281104, US),
    E(0x00281111, XS), E(0x00281112, XS), E(0x00281113, XS), E(0x00281199, UI), E(0x00281200, OW),
    E(0x00281201, OW), E(0x00281202, OW), E(0x00281203, OW), E(0x00281204, OW), E(0x00281211, OW),
    E(0x00281212, OW), E(0x00281213, OW), E(0x00281214, UI), E(0x00281221, OW), E(0x00281222, OW),
    E(0x00281223, OW), E(0x00281224, OW), E(0x00281230, SQ), E(0x00281231, FD), E(0x00281232, FD),
    E(0x00281300, CS), E(0x00281350, CS), E(0x00281351, ST), E(0x00281352, SQ), E(0x0028135A, CS),
    E(0x00281401, SQ), E(0x00281402, CS), E(0x00281403, US), E(0x00281404, SQ), E(0x00281405, CS),
    E(0x00281406, FD), E(0x00281407, US), E(0x00281408, OW), E(0x0028140B, SQ), E(0x0028140C, SQ),
    E(0x0028140D, CS), E(0x0028140E, CS), E(0x0028140F, CS), E(0x00281410, CS), E(0x00282000, OB),
    E(0x00282002, CS), E(0x00282110, CS), E(0x00282112, DS), E(0x00282114, CS), E(0x00283000, SQ),
    E(0x00283002, XS), E(0x00283003, LO), E(0x00283004, LO), E(0x00283006, OW), E(0x00283010, SQ),
    E(0x00283110, SQ), E(0x00284000, LT), E(0x00285000, SQ), E(0x00286010, US), E(0x00286020, US),
    E(0x00286022, LO), E(0x00286023, CS), E(0x00286030, US), E(0x00286040, US), E(0x00286100, SQ),
    E(0x00286101, CS), E(0x00286102, US), E(0x00286110, US), E(0x00286112, US), E(0x00286114, FL),
    E(0x00286120, SS), E(0x00286190, ST), E(0x00287000, SQ), E(0x00287001, US), E(0x00287002, US),
    E(0x00287003, US), E(0x00287004, SH), E(0x00287005, LO), E(0x00287006, CS), E(0x00287007, LO),
    E(0x00287008, SQ), E(0x00287009, US), E(0x0028700A, SQ), E(0x0028700B, US), E(0x0028700C, SH),
    E(0x0028700D, LO), E(0x0028700E, US), E(0x0028700F, SQ), E(0x00287010, SQ), E(0x00287011, SQ),
    E(0x00287012, SQ), E(0x00287013, CS), E(0x00287014, CS), E(0x00287015, SQ), E(0x00287016, SQ),
    E(0x00287017, US), E(0x00287018, FL), E(0x00287019, CS), E(0x0028701A, FL), E(0x0028701B, US),
    E(0x0028701C, SQ), E(0x0028701D, FL), E(0x0028701E, FL), E(0x0028701F, FL), E(0x00287020, LO),
    E(0x00287021, CS), E(0x00287022, SQ), E(0x00287023, SQ), E(0x00287024, SQ), E(0x00287025, CS),
    E(0x00287026, CS), E(0x00287027, SQ), E(0x00287028, SQ), E(0x00287029, CS), E(0x0028702A, LO),
    E(0x0028702B, CS), E(0x0028702C, SQ), E(0x0028702D, SQ), E(0x0028702E, SQ), E(0x00287FE0, UR),
    E(0x00289001, UL), E(0x00289002, UL), E(0x00289003, CS), E(0x00289099, US), E(0x00289108, CS),
    E(0x00289110, SQ), E(0x00289132, SQ), E(0x00289145, SQ), E(0x00289235, CS), E(0x00289411, FL),
    E(0x00289415, SQ), E(0x00289416, US), E(0x00289422, SQ), E(0x00289443, SQ), E(0x00289444, CS),
    E(0x00289445, FL), E(0x00289446, CS), E(0x00289454, CS), E(0x00289474, CS), E(0x00289478, FL),
    E(0x00289501, SQ), E(0x00289502, SQ), E(0x00289503, SS), E(0x00289505, SQ), E(0x00289506, US),
    E(0x00289507, US), E(0x00289520, DS), E(0x00289537, CS), E(0x0032000A, CS), E(0x0032000C, CS),
    E(0x00320012, LO), E(0x00320032, DA), E(0x00320033, TM), E(0x00320034, DA), E(0x00320035, TM),
    E(0x00321000, DA), E(0x00321001, TM), E(0x00321010, DA), E(0x00321011, TM), E(0x00321020, LO),
    E(0x00321021, AE), E(0x00321030, LO), E(0x00321031, SQ), E(0x00321032, PN), E(0x00321033, LO),
    E(0x00321034, SQ), E(0x00321040, DA), E(0x00321041, TM), E(0x00321050, DA), E(0x00321051, TM),
    E(0x00321055, CS), E(0x00321060, LO), E(0x00321064, SQ), E(0x00321065, SQ), E(0x00321066, UT),
    E(0x00321067, SQ), E(0x00321070, LO), E(0x00324000, LT), E(0x00340001, SQ), E(0x00340002, OB),
    E(0x00340003, UI), E(0x00340004, UL), E(0x00340005, OB), E(0x00340007, OB), E(0x00340008, CS),
    E(0x00340009, SQ), E(0x0034000A, SQ), E(0x0034000B, SQ), E(0x0034000C, CS), E(0x0034000D, SQ),
    E(0x00380004, SQ), E(0x00380008, CS), E(0x00380010, LO), E(0x00380011, LO), E(0x00380014, SQ),
    E(0x00380016, LO), E(0x0038001A, DA), E(0x0038001B, TM), E(0x0038001C, DA), E(0x0038001D, TM),
    E(0x0038001E, LO), E(0x00380020, DA), E(0x00380021, TM), E(0x00380030, DA), E(0x00380032, TM),
    E(0x00380040, LO), E(0x00380044, SQ), E(0x00380050, LO), E(0x00380060, LO), E(0x00380061, LO),
    E(0x00380062, LO), E(0x00380064, SQ), E(0x00380100, SQ), E(0x00380101, SQ), E(0x00380102, LO),
    E(0x00380300, LO), E(0x00380400, LO), E(0x00380500, LO), E(0x00380502, SQ), E(0x00384000, LT),
    E(0x003A0004, CS), E(0x003A0005, US), E(0x003A0010, UL), E(0x003A001A, DS), E(0x003A0020, SH),
    E(0x003A0200, SQ), E(0x003A0202, IS), E(0x003A0203, SH), E(0x003A0205, CS), E(0x003A0208, SQ),
    E(0x003A0209, SQ), E(0x003A020A, SQ), E(0x003A020C, LO), E(0x003A0210, DS), E(0x003A0211, SQ),
    E(0x003A0212, DS), E(0x003A0213, DS), E(0x003A0214, DS), E(0x003A0215, DS), E(0x003A0218, DS),
    E(0x003A021A, US), E(0x003A0220, DS), E(0x003A0221, DS), E(0x003A0222, DS), E(0x003A0223, DS),
    E(0x003A0230, FL), E(0x003A0231, US), E(0x003A0240, SQ), E(0x003A0241, US), E(0x003A0242, SQ),
    E(0x003A0244, US), E(0x003A0245, FL), E(0x003A0246, CS), E(0x003A0247, FL), E(0x003A0248, FL),
    E(0x003A0300, SQ), E(0x003A0301, IS), E(0x003A0302, CS), E(0x003A0310, UI), E(0x003A0311, DS),
    E(0x003A0312, SQ), E(0x003A0313, DS), E(0x003A0314, DT), E(0x003A0315, DS), E(0x003A0316, CS),
    E(0x00400001, AE), E(0x00400002, DA), E(0x00400003, TM), E(0x00400004, DA), E(0x00400005, TM),
    E(0x00400006, PN), E(0x00400007, LO), E(0x00400008, SQ), E(0x00400009, SH), E(0x0040000A, SQ),
    E(0x0040000B, SQ), E(0x00400010, SH), E(0x00400011, SH), E(0x00400012, LO), E(0x00400020, CS),
    E(0x00400026, SQ), E(0x00400027, SQ), E(0x00400031, UT), E(0x00400032, UT), E(0x00400033, CS),
    E(0x00400035, CS), E(0x00400036, SQ), E(0x00400039, SQ), E(0x0040003A, SQ), E(0x00400100, SQ),
    E(0x00400220, SQ), E(0x00400241, AE), E(0x00400242, SH), E(0x00400243, SH), E(0x00400244, DA),
    E(0x00400245, TM), E(0x00400250, DA), E(0x00400251, TM), E(0x00400252, CS), E(0x00400253, SH),
    E(0x00400254, LO), E(0x00400255, LO), E(0x00400260, SQ), E(0x00400261, CS), E(0x00400270, SQ),
    E(0x00400275, SQ), E(0x00400280, ST), E(0x00400281, SQ), E(0x00400293, SQ), E(0x00400294, DS),
    E(0x00400295, SQ), E(0x00400296, SQ), E(0x00400300, US), E(0x00400301, US), E(0x00400302, US),
    E(0x00400303, US), E(0x00400306, DS), E(0x00400307, DS), E(0x0040030E, SQ), E(0x00400310, ST),
    E(0x00400312, DS), E(0x00400314, DS), E(0x00400316, DS), E(0x00400318, CS), E(0x00400320, SQ),
    E(0x00400321, SQ), E(0x00400324, SQ), E(0x00400330, SQ), E(0x00400340, SQ), E(0x00400400, LT),
    E(0x00400440, SQ), E(0x00400441, SQ), E(0x00400500, SQ), E(0x0040050A, LO), E(0x00400512, LO),
    E(0x00400513, SQ), E(0x00400515, SQ), E(0x00400518, SQ), E(0x0040051A, LO), E(0x00400520, SQ),
    E(0x00400550, SQ), E(0x00400551, LO), E(0x00400552, SQ), E(0x00400553, ST), E(0x00400554, UI),
    E(0x00400555, SQ), E(0x00400556, ST), E(0x00400560, SQ), E(0x00400562, SQ), E(0x0040059A, SQ),
    E(0x00400600, LO), E(0x00400602, UT), E(0x00400610, SQ), E(0x00400612, SQ), E(0x00400620, SQ),
    E(0x004006FA, LO), E(0x00400710, SQ), E(0x0040071A, SQ), E(0x0040072A, DS), E(0x0040073A, DS),
    E(0x0040074A, DS), E(0x004008D8, SQ), E(0x004008DA, SQ), E(0x004008EA, SQ), E(0x004009F8, SQ),
    E(0x00401001, SH), E(0x00401002, LO), E(0x00401003, SH), E(0x00401004, LO), E(0x00401005, LO),
    E(0x00401006, SH), E(0x00401007, SH), E(0x00401008, LO), E(0x00401009, SH), E(0x0040100A, SQ),
    E(0x00401010, PN), E(0x00401011, SQ), E(0x00401012, SQ), E(0x00401060, LO), E(0x00401101, SQ),
    E(0x00401102, ST), E(0x00401103, LO), E(0x00401104, LT), E(0x00401400, LT), E(0x00402001, LO),
    E(0x00402004, DA), E(0x00402005, TM), E(0x00402006, SH), E(0x00402007, SH), E(0x00402008, PN),
    E(0x00402009, SH), E(0x00402010, SH), E(0x00402011, LT), E(0x00402016, LO), E(0x00402017, LO),
    E(0x00402400, LT), E(0x00403001, LO), E(0x00404001, CS), E(0x00404002, CS), E(0x00404003, CS),
    E(0x00404004, SQ), E(0x00404005, DT), E(0x00404006, CS), E(0x00404007, SQ), E(0x00404008, DT),
    E(0x00404009, SQ), E(0x00404010, DT), E(0x00404011, DT), E(0x00404015, SQ), E(0x00404016, SQ),
    E(0x00404018, SQ), E(0x00404019, SQ), E(0x00404020, CS), E(0x00404021, SQ), E(0x00404022, SQ),
    E(0x00404023, UI), E(0x00404025, SQ), E(0x00404026, SQ), E(0x00404027, SQ), E(0x00404028, SQ),
    E(0x00404029, SQ), E(0x00404030, SQ), E(0x00404031, SQ), E(0x00404032, SQ), E(0x00404033, SQ),
    E(0x00404034, SQ), E(0x00404035, SQ), E(0x00404036, LO), E(0x00404037, PN), E(0x00404040, CS),
    E(0x00404041, CS), E(0x00404050, DT), E(0x00404051, DT), E(0x00404052, DT), E(0x00404070, SQ),
    E(0x00404071, SQ), E(0x00404072, SQ), E(0x00404073, UR), E(0x00404074, SQ), E(0x00408302, DS),
    E(0x00408303, CS), E(0x00409092, SQ), E(0x00409094, SQ), E(0x00409096, SQ), E(0x00409098, SQ),
    E(0x00409210, SH), E(0x00409211, XS), E(0x00409212, FD), E(0x00409213, FD), E(0x00409214, FD),
    E(0x00409216, XS), E(0x00409220, SQ), E(0x00409224, FD), E(0x00409225, FD), E(0x0040A007, CS),
    E(0x0040A010, CS), E(0x0040A020, SQ), E(0x0040A021, UI), E(0x0040A022, UI), E(0x0040A023, DA),
    E(0x0040A024, TM), E(0x0040A026, SQ), E(0x0040A027, LO), E(0x0040A028, SQ), E(0x0040A030, DT),
    E(0x0040A032, DT), E(0x0040A033, DT), E(0x0040A040, CS), E(0x0040A043, SQ), E(0x0040A047, LO),
    E(0x0040A050, CS), E(0x0040A057, CS), E(0x0040A060, LO), E(0x0040A066, SQ), E(0x0040A067, PN),
    E(0x0040A068, SQ), E(0x0040A070, SQ), E(0x0040A073, SQ), E(0x0040A074, OB), E(0x0040A075, PN),
    E(0x0040A076, SQ), E(0x0040A078, SQ), E(0x0040A07A, SQ), E(0x0040A07C, SQ), E(0x0040A080, CS),
    E(0x0040A082, DT), E(0x0040A084, CS), E(0x0040A085, SQ), E(0x0040A088, SQ), E(0x0040A089, OB),
    E(0x0040A090, SQ), E(0x0040A0B0, US), E(0x0040A110, DA), E(0x0040A112, TM), E(0x0040A120, DT),
    E(0x0040A121, DA), E(0x0040A122, TM), E(0x0040A123, PN), E(0x0040A124, UI), E(0x0040A125, CS),
    E(0x0040A130, CS), E(0x0040A132, UL), E(0x0040A136, US), E(0x0040A138, DS), E(0x0040A13A, DT),
    E(0x0040A160, UT), E(0x0040A161, FD), E(0x0040A162, SL), E(0x0040A163, UL), E(0x0040A167, SQ),
    E(0x0040A168, SQ), E(0x0040A16A, ST), E(0x0040A170, SQ), E(0x0040A171, UI), E(0x0040A172, UI),
    E(0x0040A173, CS), E(0x0040A174, CS), E(0x0040A180, US), E(0x0040A192, DA), E(0x0040A193, TM),
    E(0x0040A194, CS), E(0x0040A195, SQ), E(0x0040A224, ST), E(0x0040A290, CS), E(0x0040A296, SQ),
    E(0x0040A297, ST), E(0x0040A29A, SL), E(0x0040A300, SQ), E(0x0040A301, SQ), E(0x0040A307, PN),
    E(0x0040A30A, DS), E(0x0040A313, SQ), E(0x0040A33A, ST), E(0x0040A340, SQ), E(0x0040A352, PN),
    E(0x0040A353, ST), E(0x0040A354, LO), E(0x0040A358, SQ), E(0x0040A360, SQ), E(0x0040A370, SQ),
    E(0x0040A372, SQ), E(0x0040A375, SQ), E(0x0040A380, SQ), E(0x0040A385, SQ), E(0x0040A390, SQ),
    E(0x0040A402, UI), E(0x0040A403, CS), E(0x0040A404, SQ), E(0x0040A491, CS), E(0x0040A492, LO),
    E(0x0040A493, CS), E(0x0040A494, CS), E(0x0040A496, CS), E(0x0040A504, SQ), E(0x0040A525, SQ),
    E(0x0040A600, CS), E(0x0040A601, CS), E(0x0040A603, CS), E(0x0040A730, SQ), E(0x0040A731, SQ),
    E(0x0040A732, SQ), E(0x0040A744, SQ), E(0x0040A801, SQ), E(0x0040A802, UL), E(0x0040A803, UL),
    E(0x0040A804, UL), E(0x0040A805, UL), E(0x0040A806, SQ), E(0x0040A807, SQ), E(0x0040A808, SQ),
    E(0x0040A992, ST), E(0x0040B020, SQ), E(0x0040DB00, CS), E(0x0040DB06, DT), E(0x0040DB07, DT),
    E(0x0040DB0B, CS), E(0x0040DB0C, UI), E(0x0040DB0D, UI), E(0x0040DB73, UL), E(0x0040E001, ST),
    E(0x0040E004, DT), E(0x0040E006, SQ), E(0x0040E008, SQ), E(0x0040E010, UR), E(0x0040E011, UI),
    E(0x0040E020, CS), E(0x0040E021, SQ), E(0x0040E022, SQ), E(0x0040E023, SQ), E(0x0040E024, SQ),
    E(0x0040E025, SQ), E(0x0040E030, UI), E(0x0040E031, UI), E(0x00420010, ST), E(0x00420011, OB),
    E(0x00420012, LO), E(0x00420013, SQ), E(0x00420014, LO), E(0x00420015, UL), E(0x00440001, ST),
    E(0x00440002, CS), E(0x00440003, LT), E(0x00440004, DT), E(0x00440007, SQ), E(0x00440008, LO),
    E(0x00440009, LT), E(0x0044000A, LO), E(0x0044000B, DT), E(0x00440010, DT), E(0x00440011, LO),
    E(0x00440012, LO), E(0x00440013, SQ), E(0x00440019, SQ), E(0x00440100, SQ), E(0x00440101, SQ),
    E(0x00440102, UI), E(0x00440103, SQ), E(0x00440104, DT), E(0x00440105, DT), E(0x00440106, UT),
    E(0x00440107, SQ), E(0x00440108, UI), E(0x00440109, SQ), E(0x0044010A, SQ), E(0x00460012, LO),
    E(0x00460014, SQ), E(0x00460015, SQ), E(0x00460016, SQ), E(0x00460018, SQ), E(0x00460028, SQ),
    E(0x00460030, FD), E(0x00460032, CS), E(0x00460034, FD), E(0x00460036, CS), E(0x00460038, CS),
    E(0x00460040, FD), E(0x00460042, FD), E(0x00460044, FD), E(0x00460046, FD), E(0x00460047, SQ),
    E(0x00460050, SQ), E(0x00460052, SQ), E(0x00460060, FD), E(0x00460062, FD), E(0x00460063, FD),
    E(0x00460064, FD), E(0x00460070, SQ), E(0x00460071, SQ), E(0x00460074, SQ), E(0x00460075, FD),
    E(0x00460076, FD), E(0x00460077, FD), E(0x00460080, SQ), E(0x00460092, CS), E(0x00460094, CS),
    E(0x00460095, CS), E(0x00460097, SQ), E(0x00460098, SQ), E(0x00460100, SQ), E(0x00460101, SQ),
    E(0x00460102, SQ), E(0x00460104, FD), E(0x00460106, FD), E(0x00460110, SQ), E(0x00460111, SQ),
    E(0x00460112, SQ), E(0x00460113, SQ), E(0x00460114, FD), E(0x00460115, FD), E(0x00460116, SQ),
    E(0x00460117, FL), E(0x00460118, FL), E(0x00460121, SQ), E(0x00460122, SQ), E(0x00460123, SQ),
    E(0x00460124, SQ), E(0x00460125, CS), E(0x00460135, SS), E(0x00460137, FD), E(0x00460139, LO),
    E(0x00460145, SQ), E(0x00460146, FD), E(0x00460147, FD), E(0x00460201, CS), E(0x00460202, FL),
    E(0x00460203, FL), E(0x00460204, FL), E(0x00460205, FL), E(0x00460207, SQ), E(0x00460208, IS),
    E(0x00460210, SQ), E(0x00460211, SQ), E(0x00460212, FL), E(0x00460213, FL), E(0x00460215, SQ),
    E(0x00460218, SQ), E(0x00460220, FL), E(0x00460224, FL), E(0x00460227, FL), E(0x00460230, FL),
    E(0x00460232, FL), E(0x00460234, FL), E(0x00460236, FL), E(0x00460238, FL), E(0x00460242, CS),
    E(0x00460244, SQ), E(0x00460247, FL), E(0x00460248, CS), E(0x00460249, FL), E(0x00460250, FL),
    E(0x00460251, FL), E(0x00460252, FL), E(0x00460253, FL), E(0x00480001, FL), E(0x00480002, FL),
    E(0x00480003, FL), E(0x00480006, UL), E(0x00480007, UL), E(0x00480008, SQ), E(0x00480010, CS),
    E(0x00480011, CS), E(0x00480012, CS), E(0x00480013, US), E(0x00480014, FL), E(0x00480015, US),
    E(0x00480100, SQ), E(0x00480102, DS), E(0x00480105, SQ), E(0x00480106, SH), E(0x00480107, ST),
    E(0x00480108, SQ), E(0x00480110, SQ), E(0x00480111, DS), E(0x00480112, DS), E(0x00480113, DS),
    E(0x00480120, SQ), E(0x00480200, SQ), E(0x00480201, US), E(0x00480202, US), E(0x00480207, SQ),
    E(0x0048021A, SQ), E(0x0048021E, SL), E(0x0048021F, SL), E(0x00480301, CS), E(0x00480302, UL),
    E(0x00480303, UL), E(0x00500004, CS), E(0x00500010, SQ), E(0x00500012, SQ), E(0x00500013, FD),
    E(0x00500014, DS), E(0x00500015, FD), E(0x00500016, DS), E(0x00500017, CS), E(0x00500018, DS),
    E(0x00500019, DS), E(0x0050001A, CS), E(0x0050001B, LO), E(0x0050001C, FD), E(0x0050001D, FD),
    E(0x0050001E, LO), E(0x00500020, LO), E(0x00500021, ST), E(0x00520001, FL), E(0x00520002, FD),
    E(0x00520003, FD), E(0x00520004, FD), E(0x00520006, CS), E(0x00520007, FD), E(0x00520008, FD),
    E(0x00520009, FD), E(0x00520011, FD), E(0x00520012, US), E(0x00520013, FD), E(0x00520014, FD),
    E(0x00520016, SQ), E(0x00520025, SQ), E(0x00520026, CS), E(0x00520027, SQ), E(0x00520028, FD),
    E(0x00520029, SQ), E(0x00520030, SS), E(0x00520031, CS), E(0x00520033, FD), E(0x00520034, FD),
    E(0x00520036, US), E(0x00520038, US), E(0x00520039, CS), E(0x0052003A, CS), E(0x00540010, US),
    E(0x00540011, US), E(0x00540012, SQ), E(0x00540013, SQ), E(0x00540014, DS), E(0x00540015, DS),
    E(0x00540016, SQ), E(0x00540017, IS), E(0x00540018, SH), E(0x00540020, US), E(0x00540021, US),
    E(0x00540022, SQ), E(0x00540030, US), E(0x00540031, US), E(0x00540032, SQ), E(0x00540033, US),
    E(0x00540036, IS), E(0x00540038, IS), E(0x00540039, CS), E(0x00540050, US), E(0x00540051, US),
    E(0x00540052, SQ), E(0x00540053, US), E(0x00540060, US), E(0x00540061, US), E(0x00540062, SQ),
    E(0x00540063, SQ), E(0x00540070, US), E(0x00540071, US), E(0x00540072, SQ), E(0x00540073, DS),
    E(0x00540080, US), E(0x00540081, US), E(0x00540090, US), E(0x00540100, US), E(0x00540101, US),
    E(0x00540200, DS), E(0x00540202, CS), E(0x00540210, IS), E(0x00540211, US), E(0x00540220, SQ),
    E(0x00540222, SQ), E(0x00540300, SQ), E(0x00540302, SQ), E(0x00540304, SQ), E(0x00540306, SQ),
    E(0x00540308, US), E(0x00540400, SH), E(0x00540410, SQ), E(0x00540412, SQ), E(0x00540414, SQ),
    E(0x00540500, CS), E(0x00540501, CS), E(0x00541000, CS), E(0x00541001, CS), E(0x00541002, CS),
    E(0x00541004, CS), E(0x00541006, CS), E(0x00541100, CS), E(0x00541101, LO), E(0x00541102, CS),
    E(0x00541103, LO), E(0x00541104, LO), E(0x00541105, LO), E(0x00541200, DS), E(0x00541201, IS),
    E(0x00541202, IS), E(0x00541203, DS), E(0x00541210, DS), E(0x00541220, CS), E(0x00541300, DS),
    E(0x00541310, IS), E(0x00541311, IS), E(0x00541320, DS), E(0x00541321, DS), E(0x00541322, DS),
    E(0x00541323, DS), E(0x00541324, DS), E(0x00541330, US), E(0x00541400, CS), E(0x00541401, CS),
    E(0x00603000, SQ), E(0x00603002, US), E(0x00603004, XS), E(0x00603006, XS), E(0x00603008, US),
    E(0x00603010, LO), E(0x00603020, UL), E(0x00620001, CS), E(0x00620002, SQ), E(0x00620003, SQ),
    E(0x00620004, US), E(0x00620005, LO), E(0x00620006, ST), E(0x00620007, SQ), E(0x00620008, CS),
    E(0x00620009, LO), E(0x0062000A, SQ), E(0x0062000B, US), E(0x0062000C, US), E(0x0062000D, US),
    E(0x0062000E, US), E(0x0062000F, SQ), E(0x00620010, CS), E(0x00620011, SQ), E(0x00620012, SQ),
    E(0x00620013, CS), E(0x00620020, UT), E(0x00620021, UI), E(0x00640002, SQ), E(0x00640003, UI),
    E(0x00640005, SQ), E(0x00640007, UL), E(0x00640008, FD), E(0x00640009, OF), E(0x0064000F, SQ),
    E(0x00640010, SQ), E(0x00660001, UL), E(0x00660002, SQ), E(0x00660003, UL), E(0x00660004, LT),
    E(0x00660009, CS), E(0x0066000A, FL), E(0x0066000B, LO), E(0x0066000C, FL), E(0x0066000D, CS),
    E(0x0066000E, CS), E(0x00660010, CS), E(0x00660011, SQ), E(0x00660012, SQ), E(0x00660013, SQ),
    E(0x00660015, UL), E(0x00660016, OF), E(0x00660017, FL), E(0x00660018, FL), E(0x00660019, FL),
    E(0x0066001A, FL), E(0x0066001B, FL), E(0x0066001C, FL), E(0x0066001E, UL), E(0x0066001F, US),
    E(0x00660020, FL), E(0x00660021, OF), E(0x00660022, OD), E(0x00660023, OW), E(0x00660024, OW),
    E(0x00660025, OW), E(0x00660026, SQ), E(0x00660027, SQ), E(0x00660028, SQ), E(0x00660029, OW),
    E(0x0066002A, UL), E(0x0066002B, SQ), E(0x0066002C, UL), E(0x0066002D, SQ), E(0x0066002E, SQ),
    E(0x0066002F, SQ), E(0x00660030, SQ), E(0x00660031, LO), E(0x00660032, LT), E(0x00660034, SQ),
    E(0x00660035, SQ), E(0x00660036, LO), E(0x00660037, FL), E(0x00660038, FL), E(0x00660040, OL),
    E(0x00660041, OL), E(0x00660042, OL), E(0x00660043, OL), E(0x00660101, SQ), E(0x00660102, SQ),
    E(0x00660103, OW), E(0x00660104, SQ), E(0x00660105, UL), E(0x00660106, LO), E(0x00660107, UT),
    E(0x00660108, SQ), E(0x00660121, SQ), E(0x00660124, SQ), E(0x00660125, OF), E(0x00660129, OL),
    E(0x00660130, SQ), E(0x00660132, SQ), E(0x00660133, SQ), E(0x00660134, SQ), E(0x00686210, LO),
    E(0x00686221, LO), E(0x00686222, SQ), E(0x00686223, CS), E(0x00686224, SQ), E(0x00686225, SQ),
    E(0x00686226, DT), E(0x00686230, SQ), E(0x00686260, SQ), E(0x00686265, SQ), E(0x00686270, DT),
    E(0x00686280, ST), E(0x006862A0, SQ), E(0x006862A5, FD), E(0x006862C0, SQ), E(0x006862D0, US),
    E(0x006862D5, LO), E(0x006862E0, SQ), E(0x006862F0, SQ), E(0x006862F2, FD), E(0x00686300, OB),
    E(0x00686310, US), E(0x00686320, SQ), E(0x00686330, US), E(0x00686340, LO), E(0x00686345, ST),
    E(0x00686346, FD), E(0x00686347, FD), E(0x00686350, US), E(0x00686360, SQ), E(0x00686380, LO),
    E(0x00686390, FD), E(0x006863A0, SQ), E(0x006863A4, SQ), E(0x006863A8, SQ), E(0x006863AC, SQ),
    E(0x006863B0, SQ), E(0x006863C0, US), E(0x006863D0, LO), E(0x006863E0, SQ), E(0x006863F0, US),
    E(0x00686400, SQ), E(0x00686410, US), E(0x00686420, CS), E(0x00686430, SQ), E(0x00686440, US),
    E(0x00686450, FD), E(0x00686460, FD), E(0x00686470, SQ), E(0x00686490, FD), E(0x006864A0, FD),
    E(0x006864C0, FD), E(0x006864D0, FD), E(0x006864F0, FD), E(0x00686500, SQ), E(0x00686510, SQ),
    E(0x00686520, SQ), E(0x00686530, US), E(0x00686540, LO), E(0x00686545, SQ), E(0x00686550, SQ),
    E(0x00686560, FD), E(0x00686590, FD), E(0x006865A0, SQ), E(0x006865B0, FD), E(0x006865D0, FD),
    E(0x006865E0, SQ), E(0x006865F0, FD), E(0x00686610, FD), E(0x00686620, FD), E(0x00687001, CS),
    E(0x00687002, CS), E(0x00687003, SQ), E(0x00687004, UI), E(0x00687005, UR), E(0x006A0001, CS),
    E(0x006A0002, SQ), E(0x006A0003, UI), E(0x006A0005, LO), E(0x006A0006, UT), E(0x006A0007, CS),
    E(0x006A0008, SQ), E(0x006A0009, SQ), E(0x006A000A, SQ), E(0x006A000B, SQ), E(0x006A000C, UL),
    E(0x006A000D, CS), E(0x006A000E, SH), E(0x006A000F, CS), E(0x006A0010, FD), E(0x006A0011, OL),
    E(0x00700001, SQ), E(0x00700002, CS), E(0x00700003, CS), E(0x00700004, CS), E(0x00700005, CS),
    E(0x00700006, ST), E(0x00700008, SQ), E(0x00700009, SQ), E(0x00700010, FL), E(0x00700011, FL),
    E(0x00700012, CS), E(0x00700014, FL), E(0x00700015, CS), E(0x00700020, US), E(0x00700021, US),
    E(0x00700022, FL), E(0x00700023, CS), E(0x00700024, CS), E(0x00700040, IS), E(0x00700041, CS),
    E(0x00700042, US), E(0x00700050, US), E(0x00700051, US), E(0x00700052, SL), E(0x00700053, SL),
    E(0x0070005A, SQ), E(0x00700060, SQ), E(0x00700062, IS), E(0x00700066, US), E(0x00700067, US),
    E(0x00700068, LO), E(0x00700080, CS), E(0x00700081, LO), E(0x00700082, DA), E(0x00700083, TM),
    E(0x00700084, PN), E(0x00700086, SQ), E(0x00700087, SQ), E(0x00700100, CS), E(0x00700101, DS),
    E(0x00700102, IS), E(0x00700103, FL), E(0x00700207, LO), E(0x00700208, ST), E(0x00700209, SQ),
    E(0x00700226, UL), E(0x00700227, LO), E(0x00700228, CS), E(0x00700229, LO), E(0x00700230, FD),
    E(0x00700231, SQ), E(0x00700232, SQ), E(0x00700233, SQ), E(0x00700234, SQ), E(0x00700241, US),
    E(0x00700242, CS), E(0x00700243, CS), E(0x00700244, CS), E(0x00700245, FL), E(0x00700246, FL),
    E(0x00700247, US), E(0x00700248, CS), E(0x00700249, CS), E(0x00700250, CS), E(0x00700251, US),
    E(0x00700252, US), E(0x00700253, FL), E(0x00700254, CS), E(0x00700255, UL), E(0x00700256, OB),
    E(0x00700257, CS), E(0x00700258, FL), E(0x00700261, FL), E(0x00700262, FL), E(0x00700273, FL),
    E(0x00700274, CS), E(0x00700278, CS), E(0x00700279, CS), E(0x00700282, CS), E(0x00700284, FL),
    E(0x00700285, FL), E(0x00700287, SQ), E(0x00700288, FL), E(0x00700289, SH), E(0x00700294, CS),
    E(0x00700295, UL), E(0x00700306, CS), E(0x00700308, SQ), E(0x00700309, SQ), E(0x0070030A, SQ),
    E(0x0070030B, FD), E(0x0070030C, CS), E(0x0070030D, SQ), E(0x0070030F, ST), E(0x00700310, SH),
    E(0x00700311, SQ), E(0x00700312, FD), E(0x00700314, SQ), E(0x00700318, SQ), E(0x0070031A, UI),
    E(0x0070031B, UI), E(0x0070031C, SQ), E(0x0070031E, SQ), E(0x0070031F, SQ), E(0x00700401, US),
    E(0x00700402, SQ), E(0x00700403, FL), E(0x00700404, SQ), E(0x00700405, CS), E(0x00701101, UI),
    E(0x00701102, UI), E(0x00701103, US), E(0x00701104, SQ), E(0x00701201, SQ), E(0x00701202, CS),
    E(0x00701203, US), E(0x00701204, CS), E(0x00701205, US), E(0x00701206, CS), E(0x00701207, US),
    E(0x00701208, CS), E(0x00701209, UI), E(0x0070120A, SQ), E(0x0070120B, CS), E(0x0070120C, US),
    E(0x0070120D, CS), E(0x00701301, SQ), E(0x00701302, CS), E(0x00701303, FD), E(0x00701304, SQ),
    E(0x00701305, FD), E(0x00701306, FD), E(0x00701309, US), E(0x00701501, CS), E(0x00701502, CS),
    E(0x00701503, FD), E(0x00701505, FD), E(0x00701507, FD), E(0x00701508, FD), E(0x0070150C, UL),
    E(0x0070150D, OD), E(0x00701511, FD), E(0x00701512, FD), E(0x00701602, CS), E(0x00701603, FD),
    E(0x00701604, FD), E(0x00701605, FD), E(0x00701606, FD), E(0x00701607, FD), E(0x00701701, CS),
    E(0x00701702, FD), E(0x00701703, FD), E(0x00701704, FD), E(0x00701705, FD), E(0x00701706, FD),
    E(0x00701801, SQ), E(0x00701802, CS), E(0x00701803, SQ), E(0x00701804, US), E(0x00701805, SQ),
    E(0x00701806, SQ), E(0x00701807, US), E(0x00701808, OB), E(0x00701901, SQ), E(0x00701903, SQ),
    E(0x00701904, UI), E(0x00701905, SQ), E(0x00701907, CS), E(0x00701A01, CS), E(0x00701A03, FD),
    E(0x00701A04, SQ), E(0x00701A05, FD), E(0x00701A06, FD), E(0x00701A07, OD), E(0x00701A08, SQ),
    E(0x00701A09, LO), E(0x00701B01, SQ), E(0x00701B02, US), E(0x00701B03, SQ), E(0x00701B04, SQ),
    E(0x00701B06, CS), E(0x00701B07, CS), E(0x00701B08, CS), E(0x00701B11, SQ), E(0x00701B12, SQ),
    E(0x00701B13, CS), E(0x00701B14, FD), E(0x00720002, SH), E(0x00720004, LO), E(0x00720006, CS),
    E(0x00720008, LO), E(0x0072000A, DT), E(0x0072000C, SQ), E(0x0072000E, SQ), E(0x00720010, LO),
    E(0x00720012, SQ), E(0x00720014, US), E(0x00720020, SQ), E(0x00720022, SQ), E(0x00720024, CS),
    E(0x00720026, AT), E(0x00720028, US), E(0x00720030, SQ), E(0x00720032, US), E(0x00720034, CS),
    E(0x00720038, US), E(0x0072003A, CS), E(0x0072003C, SS), E(0x0072003E, SQ), E(0x00720040, LO),
    E(0x00720050, CS), E(0x00720052, AT), E(0x00720054, LO), E(0x00720056, LO), E(0x0072005E, AE),
    E(0x0072005F, AS), E(0x00720060, AT), E(0x00720061, DA), E(0x00720062, CS), E(0x00720063, DT),
    E(0x00720064, IS), E(0x00720065, OB), E(0x00720066, LO), E(0x00720067, OF), E(0x00720068, LT),
    E(0x00720069, OW), E(0x0072006A, PN), E(0x0072006B, TM), E(0x0072006C, SH), E(0x0072006D, UN),
    E(0x0072006E, ST), E(0x0072006F, UC), E(0x00720070, UT), E(0x00720071, UR), E(0x00720072, DS),
    E(0x00720073, OD), E(0x00720074, FD), E(0x00720075, OL), E(0x00720076, FL), E(0x00720078, UL),
    E(0x0072007A, US), E(0x0072007C, SL), E(0x0072007E, SS), E(0x0072007F, UI), E(0x00720080, SQ),
    E(0x00720081, OV), E(0x00720082, SV), E(0x00720083, UV), E(0x00720100, US), E(0x00720102, SQ),
    E(0x00720104, US), E(0x00720106, US), E(0x00720108, FD), E(0x0072010A, US), E(0x0072010C, US),
    E(0x0072010E, US), E(0x00720200, SQ), E(0x00720202, US), E(0x00720203, LO), E(0x00720204, US),
    E(0x00720206, LO), E(0x00720208, CS), E(0x00720210, SQ), E(0x00720212, US), E(0x00720214, SQ),
    E(0x00720216, US), E(0x00720218, US), E(0x00720300, SQ), E(0x00720302, US), E(0x00720304, CS),
    E(0x00720306, US), E(0x00720308, US), E(0x00720310, CS), E(0x00720312, CS), E(0x00720314, US),
    E(0x00720316, CS), E(0x00720318, US), E(0x00720320, US), E(0x00720330, FD), E(0x00720400, SQ),
    E(0x00720402, CS), E(0x00720404, CS), E(0x00720406, CS), E(0x00720420, US), E(0x00720421, US),
    E(0x00720422, SQ), E(0x00720424, SQ), E(0x00720427, SQ), E(0x00720430, SQ), E(0x00720432, US),
    E(0x00720434, CS), E(0x00720500, CS), E(0x00720510, CS), E(0x00720512, FD), E(0x00720514, FD),
    E(0x00720516, CS), E(0x00720520, CS), E(0x00720600, SQ), E(0x00720602, CS), E(0x00720604, CS),
    E(0x00720700, CS), E(0x00720702, CS), E(0x00720704, CS), E(0x00720705, SQ), E(0x00720706, CS),
    E(0x00720710, CS), E(0x00720712, CS), E(0x00720714, CS), E(0x00720716, CS), E(0x00720717, CS),
    E(0x00720718, CS), E(0x00740120, FD), E(0x00740121, FD), E(0x00741000, CS), E(0x00741002, SQ),
    E(0x00741004, DS), E(0x00741006, ST), E(0x00741007, SQ), E(0x00741008, SQ), E(0x0074100A, UR),
    E(0x0074100C, LO), E(0x0074100E, SQ), E(0x00741020, SQ), E(0x00741022, CS), E(0x00741024, IS),
    E(0x00741025, CS), E(0x00741026, FD), E(0x00741027, FD), E(0x00741028, FD), E(0x0074102A, FD),
    E(0x0074102B, FD), E(0x0074102C, FD), E(0x0074102D, FD), E(0x00741030, SQ), E(0x00741032, CS),
    E(0x00741034, CS), E(0x00741036, CS), E(0x00741038, DS), E(0x0074103A, DS), E(0x00741040, SQ),
    E(0x00741042, SQ), E(0x00741044, SQ), E(0x00741046, SQ), E(0x00741048, SQ), E(0x0074104A, SQ),
    E(0x0074104C, SQ), E(0x0074104E, SQ), E(0x00741050, SQ), E(0x00741052, AT), E(0x00741054, UL),
    E(0x00741056, LO), E(0x00741057, IS), E(0x00741200, CS), E(0x00741202, LO), E(0x00741204, LO),
    E(0x00741210, SQ), E(0x00741212, SQ), E(0x00741216, SQ), E(0x00741220, SQ), E(0x00741222, LO),
    E(0x00741224, SQ), E(0x00741230, LO), E(0x00741234, AE), E(0x00741236, AE), E(0x00741238, LT),
    E(0x00741242, CS), E(0x00741244, CS), E(0x00741246, CS), E(0x00741324, UL), E(0x00741338, FD),
    E(0x0074133A, FD), E(0x00741401, SQ), E(0x00741402, DS), E(0x00741403, DS), E(0x00741404, IS),
    E(0x00741405, SQ), E(0x00741406, IS), E(0x00741407, DS), E(0x00741408, DS), E(0x00741409, SQ),
    E(0x0074140A, CS), E(0x0074140B, LO), E(0x0074140C, IS), E(0x0074140D, SQ), E(0x0074140E, SQ),
    E(0x00760001, LO), E(0x00760003, LO), E(0x00760006, LO), E(0x00760008, SQ), E(0x0076000A, CS),
    E(0x0076000C, SQ), E(0x0076000E, SQ), E(0x00760010, SQ), E(0x00760020, SQ), E(0x00760030, LO),
    E(0x00760032, SQ), E(0x00760034, SQ), E(0x00760036, CS), E(0x00760038, CS), E(0x00760040, SQ),
    E(0x00760055, US), E(0x00760060, SQ), E(0x00760070, US), E(0x00760080, US), E(0x00760090, US),
    E(0x007600A0, US), E(0x007600B0, US), E(0x007600C0, US), E(0x00780001, LO), E(0x00780010, ST),
    E(0x00780020, LO), E(0x00780024, LO), E(0x00780026, SQ), E(0x00780028, SQ), E(0x0078002A, SQ),
    E(0x0078002E, US), E(0x00780050, FD), E(0x00780060, FD), E(0x00780070, SQ), E(0x00780090, FD),
    E(0x007800A0, FD), E(0x007800B0, SQ), E(0x007800B2, LO), E(0x007800B4, SQ), E(0x007800B6, US),
    E(0x007800B8, US), E(0x00800001, SQ), E(0x00800002, SQ), E(0x00800003, SQ), E(0x00800004, FD),
    E(0x00800005, FD), E(0x00800006, US), E(0x00800007, US), E(0x00800008, SQ), E(0x00800009, SH),
    E(0x00800010, OF), E(0x00800011, OF), E(0x00800012, SQ), E(0x00800013, SQ), E(0x00820001, CS),
    E(0x00820003, UT), E(0x00820004, SQ), E(0x00820005, SQ), E(0x00820006, UL), E(0x00820007, SQ),
    E(0x00820008, CS), E(0x0082000A, UT), E(0x0082000C, SQ), E(0x00820010, SQ), E(0x00820016, LO),
    E(0x00820017, SQ), E(0x00820018, LO), E(0x00820019, LO), E(0x00820021, SQ), E(0x00820022, SQ),
    E(0x00820023, LO), E(0x00820032, CS), E(0x00820033, UT), E(0x00820034, SQ), E(0x00820035, SQ),
    E(0x00820036, CS), E(0x00820037, UT), E(0x00820038, CS), E(0x00880130, SH), E(0x00880140, UI),
    E(0x00880200, SQ), E(0x00880904, LO), E(0x00880906, ST), E(0x00880910, LO), E(0x00880912, LO),
    E(0x01000410, CS), E(0x01000420, DT), E(0x01000424, LT), E(0x01000426, LO), E(0x04000005, US),
    E(0x04000010, UI), E(0x04000015, CS), E(0x04000020, AT), E(0x04000100, UI), E(0x04000105, DT),
    E(0x04000110, CS), E(0x04000115, OB), E(0x04000120, OB), E(0x04000305, CS), E(0x04000310, OB),
    E(0x04000315, FL), E(0x04000401, SQ), E(0x04000402, SQ), E(0x04000403, SQ), E(0x04000404, OB),
    E(0x04000500, SQ), E(0x04000510, UI), E(0x04000520, OB), E(0x04000550, SQ), E(0x04000551, SQ),
    E(0x04000552, OB), E(0x04000561, SQ), E(0x04000562, DT), E(0x04000563, LO), E(0x04000564, LO),
    E(0x04000565, CS), E(0x04000600, CS), E(0x20000010, IS), E(0x2000001E, SQ), E(0x20000020, CS),
    E(0x20000030, CS), E(0x20000040, CS), E(0x20000050, LO), E(0x20000060, IS), E(0x20000061, IS),
    E(0x20000062, CS), E(0x20000063, CS), E(0x20000065, CS), E(0x20000067, CS), E(0x20000069, CS),
    E(0x2000006A, CS), E(0x200000A0, US), E(0x200000A1, US), E(0x200000A2, SQ), E(0x200000A4, SQ),
    E(0x200000A8, SQ), E(0x20000500, SQ), E(0x20000510, SQ), E(0x20100010, ST), E(0x20100030, CS),
    E(0x20100040, CS), E(0x20100050, CS), E(0x20100052, CS), E(0x20100054, CS), E(0x20100060, CS),
    E(0x20100080, CS), E(0x201000A6, CS), E(0x201000A7, CS), E(0x201000A8, CS), E(0x201000A9, CS),
    E(0x20100100, CS), E(0x20100110, CS), E(0x20100120, US), E(0x20100130, US), E(0x20100140, CS),
    E(0x20100150, ST), E(0x20100152, LT), E(0x20100154, IS), E(0x2010015E, US), E(0x20100160, US),
    E(0x20100376, DS), E(0x20100500, SQ), E(0x20100510, SQ), E(0x20100520, SQ), E(0x20200010, US),
    E(0x20200020, CS), E(0x20200030, DS), E(0x20200040, CS), E(0x20200050, CS), E(0x202000A0, CS),
    E(0x202000A2, CS), E(0x20200110, SQ), E(0x20200111, SQ), E(0x20200130, SQ), E(0x20200140, SQ),
    E(0x20300010, US), E(0x20300020, LO), E(0x20400010, SQ), E(0x20400011, US), E(0x20400020, SQ),
    E(0x20400060, CS), E(0x20400070, CS), E(0x20400072, CS), E(0x20400074, US), E(0x20400080, CS),
    E(0x20400082, CS), E(0x20400090, CS), E(0x20400100, CS), E(0x20400500, SQ), E(0x20500010, SQ),
    E(0x20500020, CS), E(0x20500500, SQ), E(0x21000010, SH), E(0x21000020, CS), E(0x21000030, CS),
    E(0x21000040, DA), E(0x21000050, TM), E(0x21000070, AE), E(0x21000140, AE), E(0x21000160, SH),
    E(0x21000170, IS), E(0x21000500, SQ), E(0x21100010, CS), E(0x21100020, CS), E(0x21100030, LO),
    E(0x21100099, SH), E(0x21200010, CS), E(0x21200050, SQ), E(0x21200070, SQ), E(0x21300010, SQ),
    E(0x21300015, SQ), E(0x21300030, SQ), E(0x21300040, SQ), E(0x21300050, SQ), E(0x21300060, SQ),
    E(0x21300080, SQ), E(0x213000A0, SQ), E(0x213000C0, SQ), E(0x22000001, CS), E(0x22000002, UT),
    E(0x22000003, CS), E(0x22000004, LT), E(0x22000005, LT), E(0x22000006, CS), E(0x22000007, CS),
    E(0x22000008, CS), E(0x22000009, CS), E(0x2200000A, CS), E(0x2200000B, US), E(0x2200000C, LO),
    E(0x2200000D, SQ), E(0x2200000E, AT), E(0x2200000F, CS), E(0x22000020, CS), E(0x30020002, SH),
    E(0x30020003, LO), E(0x30020004, ST), E(0x3002000A, CS), E(0x3002000C, CS), E(0x3002000D, DS),
    E(0x3002000E, DS), E(0x30020010, DS), E(0x30020011, DS), E(0x30020012, DS), E(0x30020020, SH),
    E(0x30020022, DS), E(0x30020024, DS), E(0x30020026, DS), E(0x30020028, DS), E(0x30020029, IS),
    E(0x30020030, SQ), E(0x30020032, DS), E(0x30020034, DS), E(0x30020040, SQ), E(0x30020041, CS),
    E(0x30020042, DS), E(0x30020050, SQ), E(0x30020051, CS), E(0x30020052, SH), E(0x30040001, CS),
    E(0x30040002, CS), E(0x30040004, CS), E(0x30040005, CS), E(0x30040006, LO), E(0x30040008, DS),
    E(0x3004000A, CS), E(0x3004000C, DS), E(0x3004000E, DS), E(0x30040010, SQ), E(0x30040012, DS),
    E(0x30040014, CS), E(0x30040040, DS), E(0x30040042, DS), E(0x30040050, SQ), E(0x30040052, DS),
    E(0x30040054, CS), E(0x30040056, IS), E(0x30040058, DS), E(0x30040060, SQ), E(0x30040062, CS),
    E(0x30040070, DS), E(0x30040072, DS), E(0x30040074, DS), E(0x30060002, SH), E(0x30060004, LO),
    E(0x30060006, ST), E(0x30060008, DA), E(0x30060009, TM), E(0x30060010, SQ), E(0x30060012, SQ),
    E(0x30060014, SQ), E(0x30060016, SQ), E(0x30060018, SQ), E(0x30060020, SQ), E(0x30060022, IS),
    E(0x30060024, UI), E(0x30060026, LO), E(0x30060028, ST), E(0x3006002A, IS), E(0x3006002C, DS),
    E(0x30060030, SQ), E(0x30060033, CS), E(0x30060036, CS), E(0x30060037, SQ), E(0x30060038, LO),
    E(0x30060039, SQ), E(0x30060040, SQ), E(0x30060042, CS), E(0x30060044, DS), E(0x30060045, DS),
    E(0x30060046, IS), E(0x30060048, IS), E(0x30060049, IS), E(0x3006004A, SQ), E(0x30060050, DS),
    E(0x30060080, SQ), E(0x30060082, IS), E(0x30060084, IS), E(0x30060085, SH), E(0x30060086, SQ),
    E(0x30060088, ST), E(0x300600A0, SQ), E(0x300600A4, CS), E(0x300600A6, PN), E(0x300600B0, SQ),
    E(0x300600B2, CS), E(0x300600B4, DS), E(0x300600B6, SQ), E(0x300600B7, US), E(0x300600B8, FL),
    E(0x300600B9, SQ), E(0x300600C0, SQ), E(0x300600C2, UI), E(0x300600C4, CS), E(0x300600C6, DS),
    E(0x300600C8, LO), E(0x300600C9, SQ), E(0x300600CA, SQ), E(0x300600CB, SQ), E(0x30080010, SQ),
    E(0x30080012, ST), E(0x30080014, CS), E(0x30080016, DS), E(0x30080020, SQ), E(0x30080021, SQ),
    E(0x30080022, IS), E(0x30080024, DA), E(0x30080025, TM), E(0x3008002A, CS), E(0x3008002B, SH),
    E(0x3008002C, CS), E(0x30080030, SQ), E(0x30080032, DS), E(0x30080033, DS), E(0x30080036, DS),
    E(0x30080037, DS), E(0x3008003A, DS), E(0x3008003B, DS), E(0x30080040, SQ), E(0x30080041, SQ),
    E(0x30080042, DS), E(0x30080044, DS), E(0x30080045, FL), E(0x30080046, FL), E(0x30080047, FL),
    E(0x30080048, DS), E(0x30080050, SQ), E(0x30080052, DS), E(0x30080054, DA), E(0x30080056, DA),
    E(0x3008005A, IS), E(0x30080060, SQ), E(0x30080061, AT), E(0x30080062, AT), E(0x30080063, IS),
    E(0x30080064, IS), E(0x30080065, AT), E(0x30080066, ST), E(0x30080067, US), E(0x30080068, SQ),
    E(0x3008006A, FL), E(0x30080070, SQ), E(0x30080072, IS), E(0x30080074, ST), E(0x30080076, DS),
    E(0x30080078, DS), E(0x3008007A, DS), E(0x30080080, SQ), E(0x30080082, IS), E(0x30080090, SQ),
    E(0x30080092, IS), E(0x300800A0, SQ), E(0x300800B0, SQ), E(0x300800C0, SQ), E(0x300800D0, SQ),
    E(0x300800D1, SQ), E(0x300800E0, SQ), E(0x300800F0, SQ), E(0x300800F2, SQ), E(0x300800F4, SQ),
    E(0x300800F6, SQ), E(0x30080100, SQ), E(0x30080105, LO), E(0x30080110, SQ), E(0x30080116, CS),
    E(0x30080120, SQ), E(0x30080122, IS), E(0x30080130, SQ), E(0x30080132, DS), E(0x30080134, DS),
    E(0x30080136, IS), E(0x30080138, IS), E(0x3008013A, DS), E(0x3008013C, DS), E(0x30080140, SQ),
    E(0x30080142, IS), E(0x30080150, SQ), E(0x30080152, IS), E(0x30080160, SQ), E(0x30080162, DA),
    E(0x30080164, TM), E(0x30080166, DA), E(0x30080168, TM), E(0x30080171, SQ), E(0x30080172, US),
    E(0x30080173, SQ), E(0x30080200, CS), E(0x30080202, ST), E(0x30080220, SQ), E(0x30080223, IS),
    E(0x30080224, CS), E(0x30080230, CS), E(0x30080240, SQ), E(0x30080250, DA), E(0x30080251, TM),
    E(0x300A0002, SH), E(0x300A0003, LO), E(0x300A0004, ST), E(0x300A0006, DA), E(0x300A0007, TM),
    E(0x300A0009, LO), E(0x300A000A, CS), E(0x300A000B, LO), E(0x300A000C, CS), E(0x300A000E, ST),
    E(0x300A0010, SQ), E(0x300A0012, IS), E(0x300A0013, UI), E(0x300A0014, CS), E(0x300A0015, CS),
    E(0x300A0016, LO), E(0x300A0018, DS), E(0x300A001A, DS), E(0x300A0020, CS), E(0x300A0021, DS),
    E(0x300A0022, DS), E(0x300A0023, DS), E(0x300A0025, DS), E(0x300A0026, DS), E(0x300A0027, DS),
    E(0x300A0028, DS), E(0x300A002A, DS), E(0x300A002B, DS), E(0x300A002C, DS), E(0x300A002D, DS),
    E(0x300A0040, SQ), E(0x300A0042, IS), E(0x300A0043, SH), E(0x300A0044, DS), E(0x300A0046, DS),
    E(0x300A0048, SQ), E(0x300A004A, DS), E(0x300A004B, FL), E(0x300A004C, DS), E(0x300A004E, DS),
    E(0x300A004F, FL), E(0x300A0050, FL), E(0x300A0051, DS), E(0x300A0052, DS), E(0x300A0053, DS),
    E(0x300A0055, CS), E(0x300A0070, SQ), E(0x300A0071, IS), E(0x300A0072, LO), E(0x300A0078, IS),
    E(0x300A0079, IS), E(0x300A007A, IS), E(0x300A007B, LT), E(0x300A0080, IS), E(0x300A0082, DS),
    E(0x300A0083, UI), E(0x300A0084, DS), E(0x300A0086, DS), E(0x300A0088, FL), E(0x300A0089, FL),
    E(0x300A008A, FL), E(0x300A008B, CS), E(0x300A008C, SQ), E(0x300A008D, FL), E(0x300A008E, FL),
    E(0x300A008F, FL), E(0x300A0090, CS), E(0x300A0091, DS), E(0x300A0092, CS), E(0x300A0093, CS),
    E(0x300A0094, DS), E(0x300A00A0, IS), E(0x300A00A2, DS), E(0x300A00A4, DS), E(0x300A00B0, SQ),
    E(0x300A00B2, SH), E(0x300A00B3, CS), E(0x300A00B4, DS), E(0x300A00B6, SQ), E(0x300A00B8, CS),
    E(0x300A00BA, DS), E(0x300A00BB, FL), E(0x300A00BC, IS), E(0x300A00BE, DS), E(0x300A00C0, IS),
    E(0x300A00C2, LO), E(0x300A00C3, ST), E(0x300A00C4, CS), E(0x300A00C5, FD), E(0x300A00C6, CS),
    E(0x300A00C7, CS), E(0x300A00C8, IS), E(0x300A00CA, SQ), E(0x300A00CC, LO), E(0x300A00CE, CS),
    E(0x300A00D0, IS), E(0x300A00D1, SQ), E(0x300A00D2, IS), E(0x300A00D3, CS), E(0x300A00D4, SH),
    E(0x300A00D5, IS), E(0x300A00D6, DS), E(0x300A00D7, FL), E(0x300A00D8, DS), E(0x300A00D9, FL),
    E(0x300A00DA, DS), E(0x300A00DB, FL), E(0x300A00DC, SH), E(0x300A00DD, ST), E(0x300A00DE, DS),
    E(0x300A00E0, IS), E(0x300A00E1, SH), E(0x300A00E2, DS), E(0x300A00E3, SQ), E(0x300A00E4, IS),
    E(0x300A00E5, SH), E(0x300A00E6, DS), E(0x300A00E7, IS), E(0x300A00E8, IS), E(0x300A00E9, DS),
    E(0x300A00EA, DS), E(0x300A00EB, DS), E(0x300A00EC, DS), E(0x300A00ED, IS), E(0x300A00EE, CS),
    E(0x300A00EF, SH), E(0x300A00F0, IS), E(0x300A00F2, DS), E(0x300A00F3, FL), E(0x300A00F4, SQ),
    E(0x300A00F5, SH), E(0x300A00F6, DS), E(0x300A00F7, FL), E(0x300A00F8, CS), E(0x300A00F9, LO),
    E(0x300A00FA, CS), E(0x300A00FB, CS), E(0x300A00FC, IS), E(0x300A00FE, LO), E(0x300A0100, DS),
    E(0x300A0102, DS), E(0x300A0104, IS), E(0x300A0106, DS), E(0x300A0107, SQ), E(0x300A0108, SH),
    E(0x300A0109, CS), E(0x300A010A, LO), E(0x300A010C, DS), E(0x300A010E, DS), E(0x300A0110, IS),
    E(0x300A0111, SQ), E(0x300A0112, IS), E(0x300A0114, DS), E(0x300A0115, DS), E(0x300A0116, SQ),
    E(0x300A0118, CS), E(0x300A011A, SQ), E(0x300A011C, DS), E(0x300A011E, DS), E(0x300A011F, CS),
    E(0x300A0120, DS), E(0x300A0121, CS), E(0x300A0122, DS), E(0x300A0123, CS), E(0x300A0124, DS),
    E(0x300A0125, DS), E(0x300A0126, CS), E(0x300A0128, DS), E(0x300A0129, DS), E(0x300A012A, DS),
    E(0x300A012C, DS), E(0x300A012E, DS), E(0x300A0130, DS), E(0x300A0131, FL), E(0x300A0132, FL),
    E(0x300A0133, FL), E(0x300A0134, DS), E(0x300A0140, FL), E(0x300A0142, CS), E(0x300A0144, FL),
    E(0x300A0146, CS), E(0x300A0148, FL), E(0x300A014A, FL), E(0x300A014C, CS), E(0x300A014E, FL),
    E(0x300A0150, CS), E(0x300A0151, DS), E(0x300A0152, DS), E(0x300A0153, DS), E(0x300A0154, DS),
    E(0x300A0155, DS), E(0x300A0180, SQ), E(0x300A0182, IS), E(0x300A0183, LO), E(0x300A0184, LO),
    E(0x300A0190, SQ), E(0x300A0192, CS), E(0x300A0194, SH), E(0x300A0196, ST), E(0x300A0198, SH),
    E(0x300A0199, FL), E(0x300A019A, FL), E(0x300A01A0, SQ), E(0x300A01A2, CS), E(0x300A01A4, SH),
    E(0x300A01A6, ST), E(0x300A01A8, SH), E(0x300A01B0, CS), E(0x300A01B2, ST), E(0x300A01B4, SQ),
    E(0x300A01B6, CS), E(0x300A01B8, SH), E(0x300A01BA, ST), E(0x300A01BC, DS), E(0x300A01D0, ST),
    E(0x300A01D2, DS), E(0x300A01D4, DS), E(0x300A01D6, DS), E(0x300A0200, CS), E(0x300A0202, CS),
    E(0x300A0206, SQ), E(0x300A0210, SQ), E(0x300A0212, IS), E(0x300A0214, CS), E(0x300A0216, LO),
    E(0x300A0218, DS), E(0x300A021A, DS), E(0x300A021B, SH), E(0x300A021C, LO), E(0x300A0222, DS),
    E(0x300A0224, DS), E(0x300A0226, LO), E(0x300A0228, DS), E(0x300A0229, CS), E(0x300A022A, DS),
    E(0x300A022B, DS), E(0x300A022C, DA), E(0x300A022E, TM), E(0x300A0230, SQ), E(0x300A0232, CS),
    E(0x300A0234, IS), E(0x300A0236, LO), E(0x300A0238, LO), E(0x300A0240, IS), E(0x300A0242, SH),
    E(0x300A0244, LO), E(0x300A0250, DS), E(0x300A0260, SQ), E(0x300A0262, IS), E(0x300A0263, SH),
    E(0x300A0264, CS), E(0x300A0266, LO), E(0x300A026A, DS), E(0x300A026C, DS), E(0x300A0271, DS),
    E(0x300A0272, DS), E(0x300A0273, SH), E(0x300A0274, DS), E(0x300A0280, SQ), E(0x300A0282, IS),
    E(0x300A0284, DS), E(0x300A0286, DS), E(0x300A0288, CS), E(0x300A028A, IS), E(0x300A028C, DS),
    E(0x300A0290, IS), E(0x300A0291, SH), E(0x300A0292, CS), E(0x300A0294, LO), E(0x300A0296, DS),
    E(0x300A0298, LO), E(0x300A029C, DS), E(0x300A029E, DS), E(0x300A02A0, DS), E(0x300A02A1, IS),
    E(0x300A02A2, IS), E(0x300A02A4, DS), E(0x300A02B0, SQ), E(0x300A02B2, IS), E(0x300A02B3, SH),
    E(0x300A02B4, LO), E(0x300A02B8, DS), E(0x300A02BA, DS), E(0x300A02C8, DS), E(0x300A02D0, SQ),
    E(0x300A02D2, DS), E(0x300A02D4, DS), E(0x300A02D6, DS), E(0x300A02E0, CS), E(0x300A02E1, CS),
    E(0x300A02E2, DS), E(0x300A02E3, FL), E(0x300A02E4, FL), E(0x300A02E5, FL), E(0x300A02E6, FL),
    E(0x300A02E7, FL), E(0x300A02E8, FL), E(0x300A02EA, SQ), E(0x300A02EB, LT), E(0x300A0302, IS),
    E(0x300A0304, IS), E(0x300A0306, SS), E(0x300A0308, CS), E(0x300A0309, CS), E(0x300A030A, FL),
    E(0x300A030C, SQ), E(0x300A030D, FL), E(0x300A030F, SH), E(0x300A0312, IS), E(0x300A0314, SQ),
    E(0x300A0316, IS), E(0x300A0318, SH), E(0x300A0320, CS), E(0x300A0322, LO), E(0x300A0330, IS),
    E(0x300A0332, SQ), E(0x300A0334, IS), E(0x300A0336, SH), E(0x300A0338, CS), E(0x300A033A, LO),
    E(0x300A033C, FL), E(0x300A0340, IS), E(0x300A0342, SQ), E(0x300A0344, IS), E(0x300A0346, SH),
    E(0x300A0348, CS), E(0x300A034A, LO), E(0x300A034C, SH), E(0x300A0350, CS), E(0x300A0352, SH),
    E(0x300A0354, LO), E(0x300A0355, LO), E(0x300A0356, FL), E(0x300A0358, FL), E(0x300A035A, FL),
    E(0x300A0360, SQ), E(0x300A0362, LO), E(0x300A0364, FL), E(0x300A0366, FL), E(0x300A0370, SQ),
    E(0x300A0372, LO), E(0x300A0374, FL), E(0x300A0380, SQ), E(0x300A0382, FL), E(0x300A0384, FL),
    E(0x300A0386, FL), E(0x300A0388, FL), E(0x300A038A, FL), E(0x300A038F, FL), E(0x300A0390, SH),
    E(0x300A0391, IS), E(0x300A0392, IS), E(0x300A0393, CS), E(0x300A0394, FL), E(0x300A0395, CS),
    E(0x300A0396, FL), E(0x300A0398, FL), E(0x300A0399, FL), E(0x300A039A, IS), E(0x300A03A0, SQ),
    E(0x300A03A2, SQ), E(0x300A03A4, SQ), E(0x300A03A6, SQ), E(0x300A03A8, SQ), E(0x300A03AA, SQ),
    E(0x300A03AC, SQ), E(0x300A0401, SQ), E(0x300A0402, ST), E(0x300A0410, SQ), E(0x300A0412, FL),
    E(0x300A0420, SQ), E(0x300A0421, SH), E(0x300A0422, ST), E(0x300A0423, CS), E(0x300A0424, IS),
    E(0x300A0425, FL), E(0x300A0426, DS), E(0x300A0431, SQ), E(0x300A0432, CS), E(0x300A0433, FL),
    E(0x300A0434, FL), E(0x300A0435, FL), E(0x300A0436, FL), E(0x300A0440, IS), E(0x300A0441, SQ),
    E(0x300A0442, DS), E(0x300A0443, US), E(0x300A0450, SQ), E(0x300A0451, CS), E(0x300A0452, CS),
    E(0x300A0453, SQ), E(0x300A0501, FL), E(0x300A0502, FL), E(0x300A0503, FL), E(0x300A0504, FL),
    E(0x300A0505, SQ), E(0x300A0506, SQ), E(0x300A0507, FL), E(0x300A0508, FL), E(0x300A0509, FL),
    E(0x300A0510, FL), E(0x300A0511, CS), E(0x300A0512, CS), E(0x300A0600, US), E(0x300A0601, US),
    E(0x300A0602, US), E(0x300A0603, US), E(0x300A0604, US), E(0x300A0605, US), E(0x300A0606, US),
    E(0x300A0607, US), E(0x300A0608, LO), E(0x300A0609, UI), E(0x300A060A, SQ), E(0x300A060B, US),
    E(0x300A060C, US), E(0x300A060D, FD), E(0x300A060E, US), E(0x300A060F, CS), E(0x300A0610, SQ),
    E(0x300A0611, LO), E(0x300A0612, FD), E(0x300A0613, FD), E(0x300A0614, SQ), E(0x300A0615, LO),
    E(0x300A0616, SQ), E(0x300A0617, SQ), E(0x300A0618, SQ), E(0x300A0619, LO), E(0x300A061A, CS),
    E(0x300A061B, CS), E(0x300A061C, SQ), E(0x300A061D, CS), E(0x300A061E, FD), E(0x300A061F, SQ),
    E(0x300A0620, SQ), E(0x300A0621, SQ), E(0x300A0622, US), E(0x300A0623, LO), E(0x300A0624, FD),
    E(0x300A0625, FD), E(0x300A0626, FD), E(0x300A0627, FD), E(0x300A0628, FD), E(0x300A0629, SQ),
    E(0x300A062A, LO), E(0x300A062B, SQ), E(0x300A062C, FD), E(0x300A062D, SQ), E(0x300A062E, FD),
    E(0x300A062F, SQ), E(0x300A0630, SQ), E(0x300A0631, SQ), E(0x300A0632, SQ), E(0x300A0634, FD),
    E(0x300A0635, SQ), E(0x300A0636, US), E(0x300A0637, CS), E(0x300A0638, CS), E(0x300A0639, CS),
    E(0x300A063A, SQ), E(0x300A063B, SQ), E(0x300A063C, FD), E(0x300A063D, FD), E(0x300A063E, SQ),
    E(0x300A063F, SQ), E(0x300A0640, FD), E(0x300A0641, US), E(0x300A0642, FD), E(0x300A0643, FD),
    E(0x300A0644, SQ), E(0x300A0645, FD), E(0x300A0646, SQ), E(0x300A0647, SQ), E(0x300A0648, US),
    E(0x300A0649, FD), E(0x300A064A, FD), E(0x300A064B, FD), E(0x300A064C, SQ), E(0x300A064D, SQ),
    E(0x300A064E, CS), E(0x300A064F, CS), E(0x300A0650, UI), E(0x300A0651, SQ), E(0x300A0652, FD),
    E(0x300A0653, FD), E(0x300A0654, FD), E(0x300A0655, US), E(0x300A0656, SQ), E(0x300A0657, US),
    E(0x300A0658, SQ), E(0x300A0659, SQ), E(0x300A065A, SQ), E(0x300A065B, SQ), E(0x300A065C, CS),
    E(0x300A065D, SQ), E(0x300A065E, US), E(0x300A065F, US), E(0x300A0660, SQ), E(0x300A0661, US),
    E(0x300A0662, SQ), E(0x300A0663, CS), E(0x300A0664, OF), E(0x300A0665, OF), E(0x300A0666, FD),
    E(0x300A0667, SQ), E(0x300A0668, SQ), E(0x300A0669, FD), E(0x300A066A, SQ), E(0x300A066B, OF),
    E(0x300A066C, CS), E(0x300A066D, FD), E(0x300A066E, FD), E(0x300A066F, SQ), E(0x300A0670, US),
    E(0x300A0671, SQ), E(0x300A0672, US), E(0x300A0673, SQ), E(0x300A0674, US), E(0x300A0675, UI),
    E(0x300A0676, ST), E(0x300A0677, SQ), E(0x300A0678, SQ), E(0x300A0679, FD), E(0x300A067A, FD),
    E(0x300A067B, SQ), E(0x300A067C, SH), E(0x300A067D, ST), E(0x300A067E, SQ), E(0x300A067F, SQ),
    E(0x300A0680, DS), E(0x300A0681, DS), E(0x300A0682, DS), E(0x300A0683, SQ), E(0x300A0684, SQ),
    E(0x300A0685, US), E(0x300A0686, SQ), E(0x300A0687, US), E(0x300A0688, FD), E(0x300A0689, SQ),
    E(0x300A068A, SQ), E(0x300A0700, UI), E(0x300A0701, CS), E(0x300A0702, SQ), E(0x300A0703, SQ),
    E(0x300A0704, US), E(0x300A0705, US), E(0x300A0706, CS), E(0x300A0707, CS), E(0x300A0708, CS),
    E(0x300A0709, CS), E(0x300A0714, CS), E(0x300A0715, SQ), E(0x300A0716, SQ), E(0x300A0722, SQ),
    E(0x300A0723, CS), E(0x300A0730, ST), E(0x300A0731, SQ), E(0x300A0732, CS), E(0x300A0733, SQ),
    E(0x300A0734, ST), E(0x300A0735, ST), E(0x300A0736, DT), E(0x300A073A, DT), E(0x300A073B, US),
    E(0x300A073E, SQ), E(0x300A073F, SQ), E(0x300A0740, SQ), E(0x300A0741, DT), E(0x300A0742, ST),
    E(0x300A0743, SQ), E(0x300A0744, SQ), E(0x300A0745, SQ), E(0x300A0746, SQ), E(0x300A0760, DT),
    E(0x300A0761, SQ), E(0x300A0762, SQ), E(0x300A0772, SQ), E(0x300A0773, US), E(0x300A0774, SQ),
    E(0x300A0780, SQ), E(0x300A0782, US), E(0x300A0783, ST), E(0x300A0784, SQ), E(0x300A0785, UI),
    E(0x300A0786, US), E(0x300A0787, SQ), E(0x300A0788, SQ), E(0x300A0789, SQ), E(0x300A078A, SQ),
    E(0x300A078B, SQ), E(0x300A078C, SQ), E(0x300A078D, SQ), E(0x300A078E, LT), E(0x300A078F, SQ),
    E(0x300A0790, SQ), E(0x300A0791, SQ), E(0x300A0792, LT), E(0x300A0793, SQ), E(0x300A0794, LT),
    E(0x300A0795, US), E(0x300A0796, US), E(0x300A0797, SQ), E(0x300A0798, SQ), E(0x300A0799, SQ),
    E(0x300A079A, LO), E(0x300A079B, FD), E(0x300A079C, SQ), E(0x300A079D, SQ), E(0x300A079E, CS),
    E(0x300C0002, SQ), E(0x300C0004, SQ), E(0x300C0006, IS), E(0x300C0007, IS), E(0x300C0008, DS),
    E(0x300C0009, DS), E(0x300C000A, SQ), E(0x300C000C, IS), E(0x300C000E, IS), E(0x300C0020, SQ),
    E(0x300C0022, IS), E(0x300C0040, SQ), E(0x300C0042, SQ), E(0x300C0050, SQ), E(0x300C0051, IS),
    E(0x300C0055, SQ), E(0x300C0060, SQ), E(0x300C006A, IS), E(0x300C0080, SQ), E(0x300C00A0, IS),
    E(0x300C00B0, SQ), E(0x300C00C0, IS), E(0x300C00D0, IS), E(0x300C00E0, IS), E(0x300C00F0, IS),
    E(0x300C00F2, SQ), E(0x300C00F4, IS), E(0x300C00F6, IS), E(0x300C0100, IS), E(0x300C0102, IS),
    E(0x300C0104, IS), E(0x300C0111, SQ), E(0x300C0112, CS), E(0x300C0113, LO), E(0x300C0114, SQ),
    E(0x300C0115, FL), E(0x300C0116, SQ), E(0x300C0117, US), E(0x300C0118, US), E(0x300C0119, US),
    E(0x300C0120, SQ), E(0x300C0121, FD), E(0x300C0122, FD), E(0x300C0123, CS), E(0x300C0124, FD),
    E(0x300C0125, SQ), E(0x300C0126, CS), E(0x300C0127, DT), E(0x300C0128, SQ), E(0x300E0002, CS),
    E(0x300E0004, DA), E(0x300E0005, TM), E(0x300E0008, PN), E(0x30100001, SQ), E(0x30100002, CS),
    E(0x30100003, SQ), E(0x30100004, SQ), E(0x30100005, LO), E(0x30100006, UI), E(0x30100007, SQ),
    E(0x30100008, SQ), E(0x30100009, SQ), E(0x3010000A, SQ), E(0x3010000B, UI), E(0x3010000C, UT),
    E(0x3010000D, US), E(0x3010000E, CS), E(0x3010000F, ST), E(0x30100010, CS), E(0x30100011, SQ),
    E(0x30100012, SQ), E(0x30100013, UI), E(0x30100014, SQ), E(0x30100015, UI), E(0x30100016, SQ),
    E(0x30100017, ST), E(0x30100018, SQ), E(0x30100019, SQ), E(0x3010001A, LO), E(0x3010001B, UC),
    E(0x3010001C, CS), E(0x3010001D, LT), E(0x3010001E, LO), E(0x3010001F, UI), E(0x30100020, US),
    E(0x30100021, SQ), E(0x30100022, US), E(0x30100023, SQ), E(0x30100024, SQ), E(0x30100025, SQ),
    E(0x30100026, SQ), E(0x30100027, SQ), E(0x30100028, SQ), E(0x30100029, US), E(0x3010002A, SQ),
    E(0x3010002B, SQ), E(0x3010002C, SQ), E(0x3010002D, LO), E(0x3010002E, SQ), E(0x3010002F, SQ),
    E(0x30100030, SQ), E(0x30100031, UI), E(0x30100032, SQ), E(0x30100033, SH), E(0x30100034, LO),
    E(0x30100035, SH), E(0x30100036, LO), E(0x30100037, ST), E(0x30100038, LO), E(0x30100039, US),
    E(0x3010003A, US), E(0x3010003B, UI), E(0x3010003C, US), E(0x3010003D, US), E(0x3010003E, US),
    E(0x3010003F, US), E(0x30100040, US), E(0x30100041, US), E(0x30100042, US), E(0x30100043, ST),
    E(0x30100044, SQ), E(0x30100045, CS), E(0x30100046, CS), E(0x30100047, CS), E(0x30100048, CS),
    E(0x30100049, SQ), E(0x3010004A, SQ), E(0x3010004B, SQ), E(0x3010004C, DA), E(0x3010004D, DA),
    E(0x3010004E, SQ), E(0x3010004F, CS), E(0x30100050, FD), E(0x30100051, FD), E(0x30100052, UI),
    E(0x30100053, UI), E(0x30100054, LO), E(0x30100055, SQ), E(0x30100056, LO), E(0x30100057, SQ),
    E(0x30100058, US), E(0x30100059, CS), E(0x3010005A, UT), E(0x3010005B, SQ), E(0x3010005C, ST),
    E(0x3010005D, SQ), E(0x3010005E, US), E(0x3010005F, SQ), E(0x30100060, SQ), E(0x30100061, UT),
    E(0x30100062, SQ), E(0x30100063, CS), E(0x30100064, SQ), E(0x30100065, SQ), E(0x30100066, US),
    E(0x30100067, SQ), E(0x30100068, CS), E(0x30100069, SQ), E(0x3010006A, SQ), E(0x3010006B, SQ),
    E(0x3010006C, SQ), E(0x3010006D, SQ), E(0x3010006E, UI), E(0x3010006F, UI), E(0x30100070, SQ),
    E(0x30100071, SQ), E(0x30100073, CS), E(0x30100074, FD), E(0x30100075, CS), E(0x30100076, SQ),
    E(0x30100077, LO), E(0x30100078, SQ), E(0x30100079, SQ), E(0x3010007A, UT), E(0x3010007B, UT),
    E(0x3010007C, IS), E(0x3010007D, US), E(0x3010007E, US), E(0x3010007F, UT), E(0x30100080, SQ),
    E(0x30100081, SQ), E(0x30100082, SQ), E(0x30100083, CS), E(0x30100084, FD), E(0x30100085, TM),
    E(0x30100086, LT), E(0x30100087, SQ), E(0x30100088, SQ), E(0x30100089, SQ), E(0x30100090, CS),
    E(0x30100091, SQ), E(0x30100092, UL), E(0x30100093, FD), E(0x30100094, FD), E(0x30100095, FD),
    E(0x30100096, FD), E(0x30100097, SQ), E(0x30100098, SQ), E(0x30100099, FD), E(0x3010009A, FD),
    E(0x40000010, LT), E(0x40004000, LT), E(0x40080040, SH), E(0x40080042, LO), E(0x40080050, SQ),
    E(0x400800FF, CS), E(0x40080100, DA), E(0x40080101, TM), E(0x40080102, PN), E(0x40080103, LO),
    E(0x40080108, DA), E(0x40080109, TM), E(0x4008010A, PN), E(0x4008010B, ST), E(0x4008010C, PN),
    E(0x40080111, SQ), E(0x40080112, DA), E(0x40080113, TM), E(0x40080114, PN), E(0x40080115, LT),
    E(0x40080117, SQ), E(0x40080118, SQ), E(0x40080119, PN), E(0x4008011A, LO), E(0x40080200, SH),
    E(0x40080202, LO), E(0x40080210, CS), E(0x40080212, CS), E(0x40080300, ST), E(0x40084000, ST),
    E(0x40100001, CS), E(0x40100002, CS), E(0x40100004, SQ), E(0x40101001, SQ), E(0x40101004, FL),
    E(0x40101005, FL), E(0x40101006, OB), E(0x40101007, SH), E(0x40101008, CS), E(0x40101009, CS),
    E(0x4010100A, SQ), E(0x40101010, US), E(0x40101011, SQ), E(0x40101012, CS), E(0x40101013, LT),
    E(0x40101014, CS), E(0x40101015, CS), E(0x40101016, FL), E(0x40101017, FL), E(0x40101018, FL),
    E(0x40101019, FL), E(0x4010101A, SH), E(0x4010101B, FL), E(0x4010101C, FL), E(0x4010101D, FL),
    E(0x4010101E, SH), E(0x4010101F, SH), E(0x40101020, CS), E(0x40101021, CS), E(0x40101023, FL),
    E(0x40101024, CS), E(0x40101025, DT), E(0x40101026, DT), E(0x40101027, CS), E(0x40101028, CS),
    E(0x40101029, LO), E(0x4010102A, SH), E(0x4010102B, DT), E(0x40101031, CS), E(0x40101033, US),
    E(0x40101034, US), E(0x40101037, SQ), E(0x40101038, SQ), E(0x40101039, CS), E(0x4010103A, CS),
    E(0x40101041, DT), E(0x40101042, CS), E(0x40101043, FL), E(0x40101044, CS), E(0x40101045, SQ),
    E(0x40101046, CS), E(0x40101047, SQ), E(0x40101048, CS), E(0x40101051, LO), E(0x40101052, SH),
    E(0x40101053, LO), E(0x40101054, SH), E(0x40101055, SH), E(0x40101056, CS), E(0x40101058, SH),
    E(0x40101059, CS), E(0x40101060, FL), E(0x40101061, FL), E(0x40101062, FL), E(0x40101064, SQ),
    E(0x40101067, CS), E(0x40101068, LT), E(0x40101069, FL), E(0x4010106C, OB), E(0x4010106D, CS),
    E(0x4010106E, CS), E(0x4010106F, SQ), E(0x40101070, CS), E(0x40101071, SQ), E(0x40101072, SQ),
    E(0x40101073, FD), E(0x40101075, DS), E(0x40101076, SQ), E(0x40101077, SQ), E(0x40101078, ST),
    E(0x40101079, SQ), E(0x4010107A, FL), E(0x4010107B, SQ), E(0x4010107C, CS), E(0x4010107D, SQ),
    E(0x4010107E, DS), E(0x4FFE0001, SQ), E(0x50000005, US), E(0x50000010, US), E(0x50000020, CS),
    E(0x50000022, LO), E(0x50000030, SH), E(0x50000040, SH), E(0x50000103, US), E(0x50000104, US),
    E(0x50000105, US), E(0x50000106, SH), E(0x50000110, US), E(0x50000112, US), E(0x50000114, US),
    E(0x50001001, CS), E(0x50002000, US), E(0x50002002, US), E(0x50002004, US), E(0x50002006, UL),
    E(0x50002008, UL), E(0x5000200A, UL), E(0x5000200C, OW), E(0x5000200E, LT), E(0x50002500, LO),
    E(0x50002600, SQ), E(0x50002610, US), E(0x50003000, OW), E(0x52009229, SQ), E(0x52009230, SQ),
    E(0x54000100, SQ), E(0x54000110, OW), E(0x54000112, OW), E(0x54001004, US), E(0x54001006, CS),
    E(0x5400100A, OW), E(0x54001010, OW), E(0x56000010, OF), E(0x56000020, OF), E(0x60000010, US),
    E(0x60000011, US), E(0x60000012, US), E(0x60000015, IS), E(0x60000022, LO), E(0x60000040, CS),
    E(0x60000045, LO), E(0x60000050, SS), E(0x60000051, US), E(0x60000052, US), E(0x60000060, CS),
    E(0x60000061, SH), E(0x60000062, SH), E(0x60000063, CS), E(0x60000066, AT), E(0x60000068, US),
    E(0x60000069, US), E(0x60000100, US), E(0x60000102, US), E(0x60000110, CS), E(0x60000200, US),
    E(0x60000800, CS), E(0x60000802, US), E(0x60000803, AT), E(0x60000804, US), E(0x60001001, CS),
    E(0x60001100, US), E(0x60001101, US), E(0x60001102, US), E(0x60001103, US), E(0x60001200, US),
    E(0x60001201, US), E(0x60001202, US), E(0x60001203, US), E(0x60001301, IS), E(0x60001302, DS),
    E(0x60001303, DS), E(0x60001500, LO), E(0x60003000, OW), E(0x60004000, LT), E(0x7FE00001, OV),
    E(0x7FE00002, OV), E(0x7FE00008, OF), E(0x7FE00009, OD), E(0x7FE00010, OW), E(0x7FE00020, OW),
    E(0x7FE00030, OW), E(0x7FE00040, OW), E(0xFFFAFFFA, SQ), E(0xFFFCFFFC, OB),
#undef E
#undef DF_DICOM_VR_XS
    /* clang-format on */
};

static uint8_t dict_lookup(uint32_t tag)
{
    size_t lo = 0, hi = sizeof dict / sizeof dict[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dict[mid].tag < tag)
            lo = mid + 1;
        else if (dict[mid].tag > tag)
            hi = mid;
        else
            return dict[mid].vr;
    }
    return DF_DICOM_VR_UN;
}
