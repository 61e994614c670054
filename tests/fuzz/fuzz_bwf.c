/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness for the BWF reader (RIFF/RF64/BW64 + ds64, fmt, chna, axml, bext):
 * objr_bwf_open_io on a memory buffer, every accessor, decoding all frames in blocks, and the
 * chna/bext parsers directly on the raw input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/bwf_internal.h"
#include "objrender/objr.h"

#define FUZZ_BLOCK_FRAMES 173 /* odd on purpose: exercises partial tiles */
#define FUZZ_MAX_CHANNELS 64

typedef struct mem {
    const uint8_t *p;
    size_t n, pos;
} mem;

static size_t mem_read(void *u, void *buf, size_t n) {
    mem *m = u;
    size_t k = m->pos < m->n ? m->n - m->pos : 0;
    if (k > n)
        k = n;
    if (k)
        memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return k;
}
static int mem_seek(void *u, int64_t off, int whence) {
    mem *m = u;
    int64_t base = whence == 2 ? (int64_t)m->n : 0;
    if (off < 0 || base + off < 0)
        return -1;
    m->pos = (size_t)(base + off);
    return 0;
}
static int64_t mem_tell(void *u) {
    return (int64_t)((mem *)u)->pos;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const objr_bwf_io io = {mem_read, mem_seek, mem_tell};
    mem m = {data, size, 0};
    objr_bwf_read_config cfg = objr_bwf_read_config_default();
    cfg.max_channels = FUZZ_MAX_CHANNELS;
    cfg.max_axml_bytes = 1u << 20;
    cfg.max_chunk_bytes = 1u << 20;
    objr_diag dg;
    objr_diag_clear(&dg);
    objr_bwf *f = NULL;
    if (objr_bwf_open_io(&io, &m, &cfg, &dg, &f) == OBJR_OK) {
        objr_bwf_format fm;
        (void)objr_bwf_get_format(f, &fm);
        const uint8_t *ax;
        size_t axn;
        (void)objr_bwf_get_axml(f, &ax, &axn);
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < axn; i++)
            sink ^= ax[i];
        for (size_t i = 0; i < objr_bwf_chna_count(f); i++) {
            objr_bwf_chna_entry e;
            (void)objr_bwf_get_chna_entry(f, i, &e);
            sink ^= (uint8_t)strlen(e.uid);
        }
        const objr_bwf_bext *bx;
        (void)objr_bwf_get_bext(f, &bx);
        if (bx)
            sink ^= (uint8_t)strlen(bx->coding_history);
        for (size_t i = 0; i < objr_bwf_chunk_count(f); i++) {
            objr_bwf_chunk c;
            (void)objr_bwf_get_chunk(f, i, &c);
            if (c.data && c.size)
                sink ^= c.data[c.size - 1];
        }
        float *pl[FUZZ_MAX_CHANNELS];
        float *store = malloc(sizeof(float) * FUZZ_BLOCK_FRAMES * fm.n_channels);
        if (store) {
            for (size_t c = 0; c < fm.n_channels; c++)
                pl[c] = store + c * FUZZ_BLOCK_FRAMES;
            size_t got;
            do {
                if (objr_bwf_read_f32(f, pl, FUZZ_BLOCK_FRAMES, &got) != OBJR_OK)
                    break;
            } while (got == FUZZ_BLOCK_FRAMES);
            if (fm.n_frames > 0 && objr_bwf_seek_frame(f, fm.n_frames / 2) == OBJR_OK)
                if (objr_bwf_read_f32(f, pl, 1, &got) != OBJR_OK)
                    got = 0;
            free(store);
        }
        (void)sink;
        objr_bwf_close(f);
    }
    /* The chunk payload parsers on the raw bytes. */
    objr__chna c;
    if (objr__chna_parse(data, size, 0, NULL, &c) == OBJR_OK) {
        uint8_t *out;
        size_t n;
        if (objr__chna_serialize(c.entries, c.n_entries, &out, &n) == OBJR_OK)
            free(out);
    }
    objr__chna_free(&c);
    objr_bwf_bext b;
    char *hist = NULL;
    (void)objr__bext_parse(data, size, 0, NULL, &b, &hist);
    free(hist);
    return 0;
}
