/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness for packing a mix (formats/mix_pack.c: validation through the mix reader,
 * then the streaming pass that drops the mix extension and collects chna rows) and unpacking
 * what it wrote (formats/mix_unpack.c). The input is the mix.xml; one 10 ms mono stem,
 * stem.wav, sits beside it. Invariants: a refusal explains itself in one line and leaves no
 * output; a packed file reads back with one chna row per audioTrackUID, as many tracks as the
 * result says, and no trace of the mix namespace in its axml; unpacking it and packing the
 * unpacked mix.xml again succeeds with the same tracks and rows. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "objrender/objr.h"

#define FUZZ_MAX_BYTES (1u << 20)
#define STEM_FRAMES 480u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void put_le(FILE *f, uint32_t v, int n) {
    for (int i = 0; i < n; i++)
        fputc((int)((v >> (8 * i)) & 0xffu), f);
}

/* stem.wav: 48 kHz mono 16-bit PCM, a ramp. */
static void write_stem(const char *path) {
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite("RIFF", 1, 4, f);
    put_le(f, 36 + 2 * STEM_FRAMES, 4);
    fwrite("WAVEfmt ", 1, 8, f);
    put_le(f, 16, 4);
    put_le(f, 1, 2);     /* PCM */
    put_le(f, 1, 2);     /* mono */
    put_le(f, 48000, 4); /* rate */
    put_le(f, 96000, 4); /* bytes per second */
    put_le(f, 2, 2);     /* block align */
    put_le(f, 16, 2);    /* bits */
    fwrite("data", 1, 4, f);
    put_le(f, 2 * STEM_FRAMES, 4);
    for (uint32_t i = 0; i < STEM_FRAMES; i++)
        put_le(f, (i * 64u) & 0xffffu, 2);
    if (fclose(f) != 0)
        abort();
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void cleanup(void) {
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void setup(void) {
    if (dir[0])
        return;
    snprintf(dir, sizeof dir, "/tmp/fuzz_mix_pack.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    atexit(cleanup);
    char p[128];
    snprintf(p, sizeof p, "%s/stem.wav", dir);
    write_stem(p);
}

static int exists(const char *p) {
    return access(p, F_OK) == 0;
}

static void one_line(const objr_diag *d) {
    if (!d->message[0] || strchr(d->message, '\n'))
        abort();
}

/* A packed file: rows, tracks and an axml without the mix extension. */
static void check_packed(const char *path, const objr_mix_pack_result *r) {
    objr_bwf *f = NULL;
    objr_diag d;
    if (objr_bwf_open_file(path, NULL, &d, &f) != OBJR_OK)
        abort();
    objr_bwf_format fmt;
    const uint8_t *axml = NULL;
    size_t n = 0;
    if (objr_bwf_get_format(f, &fmt) != OBJR_OK || fmt.n_channels != r->n_tracks ||
        objr_bwf_chna_count(f) != r->n_track_uids || objr_bwf_get_axml(f, &axml, &n) != OBJR_OK ||
        !axml)
        abort();
    char *text = malloc(n + 1);
    if (!text)
        abort();
    memcpy(text, axml, n);
    text[n] = 0;
    if (strstr(text, OBJR_MIX_XML_NS))
        abort();
    free(text);
    objr_bwf_close(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > FUZZ_MAX_BYTES)
        return 0;
    setup();
    char xml[128], out[128], un[128], un_xml[160], out2[128];
    snprintf(xml, sizeof xml, "%s/mix.xml", dir);
    snprintf(out, sizeof out, "%s/out.wav", dir);
    snprintf(un, sizeof un, "%s/un", dir);
    snprintf(un_xml, sizeof un_xml, "%s/mix.xml", un);
    snprintf(out2, sizeof out2, "%s/out2.wav", dir);
    remove(out);
    remove(out2);
    nftw(un, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    FILE *f = fopen(xml, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();

    objr_mix_pack_result r;
    objr_diag d;
    if (objr_mix_pack(xml, out, NULL, &r, &d) != OBJR_OK) {
        one_line(&d);
        if (exists(out))
            abort(); /* no partial output */
        return 0;
    }
    check_packed(out, &r);
    objr_mix_pack_result u, r2;
    if (objr_mix_unpack(out, un, NULL, &u, &d) != OBJR_OK)
        abort(); /* what pack wrote must unpack */
    if (objr_mix_pack(un_xml, out2, NULL, &r2, &d) != OBJR_OK)
        abort(); /* and pack again */
    if (r2.n_tracks != r.n_tracks || r2.n_track_uids != r.n_track_uids || r2.n_frames != r.n_frames)
        abort();
    return 0;
}
