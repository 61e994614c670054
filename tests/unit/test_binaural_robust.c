/* SPDX-License-Identifier: BSD-3-Clause */
/* The binaural renderer and the loudspeaker decorrelator against hostile samples and hostile
 * SOFA files, and their reproducibility: NaN and infinities in one source render exactly as
 * silence in their place (no state is poisoned); an overflowing finite input silences one
 * block and restarts every state from silence; two renders with fresh FFTW state are
 * bit-identical; the HDF5 superblock that makes libmysofa 1.3.1's memory reader copy a
 * negative size is refused with one message. */
#include "common/adm_xml.h"
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fftw3.h>

#include "objrender/objr.h"
#include "renderers/binaural/hrtf.h"
#include "renderers/loudspeaker/decorrelate.h"

#define FS 48000
#define NS 3
#define N_FRAMES (3 * FS)
#define HIT FS /* the poisoned sample: 1.0 s */

static int have_sofa(void) {
    FILE *f = fopen(objr__hrtf_default_path(), "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

static objr_binaural *make(void) {
    objr_binaural_config c = objr_binaural_config_default();
    c.max_sources = NS;
    objr_binaural *b = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_msg(objr_binaural_create(&c, &d, &b) == OBJR_OK, "%s", d.message);
    /* a point source, an extended half-diffuse one behind (diffuse bus, room) and an LFE */
    objr_binaural_source s = objr_binaural_source_default();
    s.azimuth_deg = 30;
    ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_OK);
    s.azimuth_deg = -110, s.elevation_deg = 20, s.width_deg = 30, s.diffuse = 0.5;
    ck_assert_int_eq(objr_binaural_set_source(b, 1, &s), OBJR_OK);
    s = objr_binaural_source_default();
    s.lfe = 1;
    ck_assert_int_eq(objr_binaural_set_source(b, 2, &s), OBJR_OK);
    return b;
}

/* Render in uneven chunks (whole blocks from the caller's buffers and partial ones through
 * the FIFO alike). */
static void render(objr_binaural *b, float *const *in, float *l, float *r, size_t n) {
    static const size_t chunk[] = {1000, 1456, 333, 4096, 7};
    size_t done = 0;
    for (size_t i = 0; done < n; i++) {
        size_t k = chunk[i % 5] < n - done ? chunk[i % 5] : n - done;
        const float *p[NS];
        for (size_t s = 0; s < NS; s++)
            p[s] = in[s] + done;
        ck_assert_int_eq(objr_binaural_process(b, p, l + done, r + done, k), OBJR_OK);
        done += k;
    }
}

static size_t count_nonfinite(const float *x, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += isfinite(x[i]) ? 0u : 1u;
    return c;
}

static float **noise_inputs(size_t ns, size_t n) {
    objr_test_rng g;
    objr_test_rng_init(&g);
    float **in = malloc(ns * sizeof *in);
    for (size_t s = 0; s < ns; s++) {
        in[s] = malloc(n * sizeof(float));
        objr_test_noise(&g, in[s], n, 0.25);
    }
    return in;
}

static void free_inputs(float **in, size_t ns) {
    for (size_t s = 0; s < ns; s++)
        free(in[s]);
    free(in);
}

/* NaN, +Inf and -Inf at 1.0 s render exactly as zeros there: the output is finite everywhere
 * and bit-identical to the render of the repaired input (no history, bus, reverb, LFE filter
 * or cross-fade statistic ever saw them). */
START_TEST(nonfinite_samples_render_as_silence) {
    if (!have_sofa())
        return;
    float **in = noise_inputs(NS, N_FRAMES), **rep = noise_inputs(NS, N_FRAMES);
    in[0][HIT] = NAN;
    in[1][HIT + 7] = INFINITY;
    in[2][HIT + 3000] = -INFINITY;
    for (size_t i = HIT; i < HIT + 50; i++) /* and a run of NaN across a block boundary */
        in[0][i + 1400] = NAN;
    for (size_t s = 0; s < NS; s++)
        for (size_t i = 0; i < N_FRAMES; i++)
            if (!isfinite(in[s][i]))
                rep[s][i] = 0.0f;
    float *l = malloc(N_FRAMES * sizeof *l), *r = malloc(N_FRAMES * sizeof *r);
    float *l0 = malloc(N_FRAMES * sizeof *l0), *r0 = malloc(N_FRAMES * sizeof *r0);
    objr_binaural *b = make(), *b0 = make();
    render(b, in, l, r, N_FRAMES);
    render(b0, rep, l0, r0, N_FRAMES);
    ck_assert_uint_eq(count_nonfinite(l, N_FRAMES) + count_nonfinite(r, N_FRAMES), 0);
    ck_assert(memcmp(l, l0, N_FRAMES * sizeof *l) == 0);
    ck_assert(memcmp(r, r0, N_FRAMES * sizeof *r) == 0);
    objr_binaural_destroy(b);
    objr_binaural_destroy(b0);
    free(l), free(r), free(l0), free(r0);
    free_inputs(in, NS);
    free_inputs(rep, NS);
}
END_TEST

/* A finite input so large that the sums overflow: the output stays finite, that block is
 * silent, and from the next block on the renderer is exactly a fresh one fed from there. */
START_TEST(overflow_restarts_from_silence) {
    if (!have_sofa())
        return;
    objr_binaural *b = make(), *f = make();
    size_t B = objr_binaural_block_frames(b), hit = (HIT / B) * B + 100;
    size_t next = (hit / B + 1) * B; /* the first block after the one with the overflow */
    float **in = noise_inputs(NS, N_FRAMES);
    for (size_t i = hit; i < hit + 64; i++)
        in[0][i] = 3.0e38f;
    float *l = malloc(N_FRAMES * sizeof *l), *r = malloc(N_FRAMES * sizeof *r);
    render(b, in, l, r, N_FRAMES);
    ck_assert_uint_eq(count_nonfinite(l, N_FRAMES) + count_nonfinite(r, N_FRAMES), 0);
    /* the fresh renderer from `next` on: outputs are one block late in both */
    size_t n = N_FRAMES - next;
    float *fl = malloc(n * sizeof *fl), *fr = malloc(n * sizeof *fr);
    float *p[NS];
    for (size_t s = 0; s < NS; s++)
        p[s] = in[s] + next;
    render(f, p, fl, fr, n);
    double worst = 0;
    for (size_t i = B; i < n; i++) {
        worst = fmax(worst, fabs((double)fl[i] - l[next + i]));
        worst = fmax(worst, fabs((double)fr[i] - r[next + i]));
    }
    ck_assert_msg(worst < 1e-6, "after the overflow the state differs from a fresh one: %g", worst);
    for (size_t i = next; i < next + B; i++) /* the overflowed block itself is silent */
        ck_assert(l[i] == 0.0f && r[i] == 0.0f);
    objr_binaural_destroy(b);
    objr_binaural_destroy(f);
    free(l), free(r), free(fl), free(fr);
    free_inputs(in, NS);
}
END_TEST

/* The decorrelator's FIR bank filters NaN and infinities as zeros: bit-identical to the
 * repaired input, finite everywhere. */
START_TEST(decorrelator_ignores_nonfinite) {
    enum { NCH = 2, TAPS = 512, N = 20000 };
    double *filt = malloc(NCH * TAPS * sizeof *filt);
    objr_test_rng g;
    objr_test_rng_init(&g);
    for (size_t i = 0; i < NCH * TAPS; i++)
        filt[i] = objr_test_rng_range(&g, -0.1, 0.1);
    objr__fir_bank *a = NULL, *c = NULL;
    ck_assert_int_eq(objr__fir_bank_create(filt, NCH, TAPS, 256, &a), OBJR_OK);
    ck_assert_int_eq(objr__fir_bank_create(filt, NCH, TAPS, 256, &c), OBJR_OK);
    float **in = noise_inputs(NCH, N), **rep = noise_inputs(NCH, N);
    float **oa = noise_inputs(NCH, N), **oc = noise_inputs(NCH, N);
    in[0][5000] = NAN, in[1][5001] = INFINITY, in[1][9000] = -INFINITY;
    rep[0][5000] = rep[1][5001] = rep[1][9000] = 0.0f;
    for (size_t done = 0, k = 0; done < N; done += k) {
        k = 700 < N - done ? 700 : N - done;
        const float *pi[NCH] = {in[0] + done, in[1] + done},
                    *pr[NCH] = {rep[0] + done, rep[1] + done};
        float *po[NCH] = {oa[0] + done, oa[1] + done}, *pc[NCH] = {oc[0] + done, oc[1] + done};
        objr__fir_bank_process(a, pi, po, k);
        objr__fir_bank_process(c, pr, pc, k);
    }
    for (size_t ch = 0; ch < NCH; ch++) {
        ck_assert_uint_eq(count_nonfinite(oa[ch], N), 0);
        ck_assert(memcmp(oa[ch], oc[ch], N * sizeof(float)) == 0);
    }
    objr__fir_bank_destroy(a);
    objr__fir_bank_destroy(c);
    free_inputs(in, NCH), free_inputs(rep, NCH), free_inputs(oa, NCH), free_inputs(oc, NCH);
    free(filt);
}
END_TEST

/* A scene through the public renderer to binaural and 5.1 (a diffuse object: the
 * decorrelators) with NaN in one track at 1.0 s: the binaural output is finite everywhere;
 * the 5.1 output is non-finite at most where the direct path carries the sample itself. */
START_TEST(renderer_outputs_stay_finite) {
    if (!have_sofa())
        return;
    objr_test_xml x;
    objr_test_xml_head(&x);
    objr_test_xml_object(&x, 1, 30, 0, 0.0);
    objr_test_xml_object(&x, 2, -100, 10, 0.7);
    objr_test_xml_tail(&x);
    static const char *const lay[2] = {"binaural", "5.1"};
    objr_renderer *r = objr_test_xml_renderer(&x, NULL, 2, lay, 2);
    size_t no = objr_renderer_output_count(r);
    ck_assert_uint_eq(no, 8);
    float **in = noise_inputs(2, N_FRAMES), **out = noise_inputs(no, N_FRAMES);
    in[0][HIT] = NAN;
    in[1][HIT] = INFINITY;
    ck_assert_int_eq(objr_renderer_process(r, (const float *const *)in, out, N_FRAMES), OBJR_OK);
    ck_assert_uint_eq(count_nonfinite(out[0], N_FRAMES) + count_nonfinite(out[1], N_FRAMES), 0);
    for (size_t c = 2; c < no; c++) {
        ck_assert_uint_le(count_nonfinite(out[c], N_FRAMES), 2);
        ck_assert_uint_eq(count_nonfinite(out[c] + HIT + 2048, N_FRAMES - HIT - 2048), 0);
    }
    objr_renderer_destroy(r);
    free_inputs(in, 2);
    free_inputs(out, no);
}
END_TEST

/* Two renders of one scene by two renderers, FFTW's wisdom forgotten in between (as in two
 * processes), are bit-identical. */
START_TEST(renders_are_bit_reproducible) {
    if (!have_sofa())
        return;
    objr_test_xml x;
    objr_test_xml_head(&x);
    objr_test_xml_object(&x, 1, 30, 0, 0.0);
    objr_test_xml_object(&x, 2, -100, 10, 0.5);
    objr_test_xml_bed_714(&x, 3);
    objr_test_xml_tail(&x);
    static const char *const lay[2] = {"binaural", "7.1.4"};
    size_t n = FS;
    float **in = noise_inputs(14, n), **out[2];
    for (int k = 0; k < 2; k++) {
        fftwf_forget_wisdom();
        objr_renderer *r = objr_test_xml_renderer(&x, NULL, 14, lay, 2);
        out[k] = noise_inputs(objr_renderer_output_count(r), n);
        ck_assert_int_eq(objr_renderer_process(r, (const float *const *)in, out[k], n), OBJR_OK);
        objr_renderer_destroy(r);
    }
    for (size_t c = 0; c < 14; c++)
        ck_assert_msg(memcmp(out[0][c], out[1][c], n * sizeof(float)) == 0, "channel %zu", c);
    free_inputs(in, 14), free_inputs(out[0], 14), free_inputs(out[1], 14);
}
END_TEST

/* HDF5 superblock version 2 (HDF5 File Format Specification 3.0 §II.A.2): signature, version,
 * sizes of offsets and lengths (8), flags, base address 0, no extension, end-of-file address
 * = the file's 48 bytes, the root group's object header at @p root, and 4 bytes libmysofa
 * reads as a "cache type" (the checksum's place) that must be 0, 1 or 2. */
static void superblock(unsigned char d[48], uint64_t root) {
    static const unsigned char head[12] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 2, 8, 8, 0};
    memset(d, 0, 48);
    memcpy(d, head, sizeof head);
    for (int i = 0; i < 8; i++) {
        d[20 + i] = 0xff;                                     /* superblock extension: undefined */
        d[28 + i] = (unsigned char)((uint64_t)48 >> (8 * i)); /* end of file */
        d[36 + i] = (unsigned char)(root >> (8 * i));
    }
}

/* libmysofa 1.3.1's memory reader seeks to the root object header without checking it
 * against the buffer and then copies "buffer length - position" bytes, a negative size; the
 * library reads through libmysofa's FILE reader instead, so these are refused cleanly. */
START_TEST(mysofa_seek_past_end_refused) {
    static const uint64_t roots[] = {48, 49, 0x1000, 0x7fffffff, 0xffffffffffffull};
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        unsigned char d[48];
        superblock(d, roots[i]);
        objr__hrtf *h = (objr__hrtf *)1;
        objr_diag dg;
        objr_diag_clear(&dg);
        ck_assert_int_eq(objr__hrtf_load_mem(d, sizeof d, "root.sofa", 48000.0, &dg, &h),
                         OBJR_ERR_HRTF);
        ck_assert_ptr_null(h);
        ck_assert_ptr_nonnull(strstr(dg.message, "root.sofa"));
    }
    /* the committed regression input (the same class), through the public API */
    char path[512];
    snprintf(path, sizeof path, "%s/regress/sofa_mysofa_root_address_past_end.bin",
             OBJR_TEST_DATA_DIR);
    size_t size = 0;
    unsigned char *data = objr_test_read_file(path, &size);
    ck_assert_ptr_nonnull(data);
    objr_binaural_config c = objr_binaural_config_default();
    c.hrtf_data = data, c.hrtf_size = size;
    objr_binaural *b = (objr_binaural *)1;
    objr_diag dg;
    objr_diag_clear(&dg);
    ck_assert_int_eq(objr_binaural_create(&c, &dg, &b), OBJR_ERR_HRTF);
    ck_assert_ptr_null(b);
    ck_assert(dg.message[0] != 0);
    free(data);
}
END_TEST

static Suite *binaural_robust_suite(void) {
    Suite *s = suite_create("binaural_robust");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, nonfinite_samples_render_as_silence);
    tcase_add_test(tc, overflow_restarts_from_silence);
    tcase_add_test(tc, decorrelator_ignores_nonfinite);
    tcase_add_test(tc, renderer_outputs_stay_finite);
    tcase_add_test(tc, renders_are_bit_reproducible);
    tcase_add_test(tc, mysofa_seek_past_end_refused);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(binaural_robust_suite)
