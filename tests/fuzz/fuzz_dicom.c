/* libFuzzer target for the DICOM Part 10 reader: parses the input from memory
 * and touches every byte of every value it is handed, so that a value pointer
 * or length that runs past the buffer shows up under AddressSanitizer. Each
 * input is read three ways: with its size known, as a stream of unknown size
 * (the pipe path: no seeks, lengths checked as bytes arrive), and with a
 * callback that stops early; the outcomes must agree. */
#include "dicom.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static df_dicom_reader *reader;

struct sink {
    unsigned sum;
    int depth;
    int events;
    int stop_after; /* 0: never stop */
};

static bool next(struct sink *s)
{
    s->events++;
    return s->stop_after == 0 || s->events < s->stop_after;
}

static bool meta(void *ctx, const df_dicom_meta *m)
{
    struct sink *s = ctx;
    for (const char *p = m->transfer_syntax; *p; p++)
        s->sum += (unsigned char)*p;
    return true; /* not counted: it comes once, before the dataset */
}

static bool element(void *ctx, uint32_t tag, df_dicom_vr vr, const void *value, uint32_t length)
{
    struct sink *s = ctx;
    const unsigned char *v = value;
    if ((length == 0) != (value == NULL))
        abort();
    for (uint32_t i = 0; i < length; i++)
        s->sum += v[i];
    s->sum += tag + (unsigned)vr;
    return next(s);
}

static bool bulk(void *ctx, uint32_t tag, df_dicom_vr vr, uint32_t length)
{
    struct sink *s = ctx;
    s->sum += tag + (unsigned)vr + length;
    return next(s);
}

static bool sequence_begin(void *ctx, uint32_t tag, df_dicom_vr vr)
{
    struct sink *s = ctx;
    if (++s->depth > DF_DICOM_MAX_DEPTH)
        abort();
    s->sum += tag + (unsigned)vr;
    return next(s);
}

static bool item(void *ctx)
{
    struct sink *s = ctx;
    s->sum++;
    return next(s);
}

static bool sequence_end(void *ctx)
{
    struct sink *s = ctx;
    if (--s->depth < 0)
        abort();
    return next(s);
}

/* A warning is one line: non-empty, shorter than an error message. */
static bool warning(void *ctx, const char *message)
{
    struct sink *s = ctx;
    size_t n = strnlen(message, DF_ERROR_MESSAGE_MAX);
    if (n == 0 || n == DF_ERROR_MESSAGE_MAX || strchr(message, '\n') != NULL)
        abort();
    s->sum += (unsigned)n;
    return next(s);
}

static const df_dicom_handler handler = {meta, element, bulk,         sequence_begin,
                                         item, item,    sequence_end, warning};

/* Parses data with io of known (or unknown) size, stopping after stop_after
 * events (0: never); checks the error contract and returns the result. */
static int run(const uint8_t *data, size_t size, bool size_known, int stop_after, int *events)
{
    df_dicom_memio m;
    df_error err = {0};
    struct sink s = {0, 0, 0, stop_after};
    df_dicom_meta info;
    df_dicom_memio_init(&m, data, size);
    if (!size_known) {
        m.io.size = -1;
        m.io.skip = NULL;
    }
    int rc = df_dicom_parse(reader, &m.io, &handler, &s, &info, &err);
    /* A code and a message together, or neither. */
    if (rc != err.code || (rc != 0 && err.message[0] == '\0'))
        abort();
    if (rc == 0 && stop_after == 0 && s.depth != 0)
        abort();
    *events = s.events;
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (reader == NULL && (reader = df_dicom_reader_new()) == NULL)
        abort();
    int events, stream_events, stopped_events;
    int rc = run(data, size, true, 0, &events);
    int stream_rc = run(data, size, false, 0, &stream_events);
    if ((rc == 0) != (stream_rc == 0) || (rc == 0 && events != stream_events))
        abort();
    if (rc == 0 && events > 1) {
        int stop_after = 1 + (int)(data[size - 1] % (unsigned)events);
        if (run(data, size, true, stop_after, &stopped_events) != 0 || stopped_events != stop_after)
            abort();
    }
    return 0;
}
