/* SPDX-License-Identifier: BSD-3-Clause */
/* Render engine (renderers/engine.c) from first principles, with small analytic gain
 * calculators so that every expected sample is known exactly: fixed gains, BS.2127-1 §7.2
 * gain ramps between blocks (never a step, except jumpPosition with interpolationLength 0),
 * gaps, object start/duration, LFE only to LFE, block importance, several layouts in one
 * pass, split calls, output length, SIMD vs reference and the delay-compensated diffuse path. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"
#include "renderers/engine.h"

#define FS 48000.0

/* Test panner over speakers 0 and 1 (and 2 = LFE): azimuth 0 -> all in speaker 0, azimuth
 * 90 -> all in speaker 1, a constant-power sine/cosine law between; diffuse = block diffuse
 * value into speaker 0. */
static objr_status pan_objects(void *ctx, const objr__render_item *it,
                               const objr__adm_block_objects *b, double *direct, double *diffuse,
                               objr_diag *diag) {
    (void)ctx;
    (void)it;
    (void)diag;
    double p = b->pos.azimuth_deg / 90.0 * (OBJR_PI / 2);
    direct[0] = cos(p) * sqrt(1 - b->diffuse);
    direct[1] = sin(p) * sqrt(1 - b->diffuse);
    direct[2] = 0.7; /* a misbehaving calculator: the engine must keep objects off the LFE */
    diffuse[0] = sqrt(b->diffuse);
    return OBJR_OK;
}

/* DirectSpeakers: everything to every speaker (the engine must apply the LFE rule). */
static objr_status pan_ds(void *ctx, const objr__render_item *it,
                          const objr__adm_block_direct_speakers *b, double *gains,
                          objr_diag *diag) {
    (void)ctx;
    (void)b;
    (void)it;
    (void)diag;
    gains[0] = gains[1] = gains[2] = 1.0;
    return OBJR_OK;
}

static objr_status delta_decorr(void *ctx, size_t layout, size_t speaker, float *taps,
                                size_t n_taps) {
    (void)ctx;
    (void)layout;
    (void)speaker;
    memset(taps, 0, n_taps * sizeof(float));
    taps[10] = 1.0f; /* pure delay of 10 samples */
    return OBJR_OK;
}

static objr__adm_time secs(double s) {
    objr__adm_time t = {(int64_t)llround(s * 48000.0), 48000, OBJR__TIME_FRACTIONAL, 0};
    return t;
}

static void obj_block(objr__adm_block_objects *b, double rtime, double dur, double az) {
    memset(b, 0, sizeof *b);
    snprintf(b->c.id, sizeof b->c.id, "AB_00031001_%08d", (int)(rtime * 1000) + 1);
    b->c.rtime = secs(rtime);
    b->c.duration = secs(dur);
    b->c.has_rtime = b->c.has_duration = 1;
    b->c.gain = 1.0;
    b->c.importance = 10;
    b->pos.azimuth_deg = az;
    b->pos.distance = 1.0;
}

static objr__render_item obj_item(const objr__adm_block_objects *b, size_t n) {
    objr__render_item it;
    memset(&it, 0, sizeof it);
    it.type = OBJR__TYPE_OBJECTS;
    it.obj_blocks = b;
    it.n_blocks = n;
    it.gain = 1.0;
    it.importance = 10;
    it.channel_id = "AC_00031001";
    return it;
}

static objr__engine_layout test_layout(size_t first_out) {
    objr__engine_layout L;
    memset(&L, 0, sizeof L);
    L.n_speakers = 3;
    for (size_t s = 0; s < 3; s++)
        L.out_channel[s] = first_out + s;
    L.is_lfe[2] = 1;
    L.gc.objects = pan_objects;
    L.gc.direct_speakers = pan_ds;
    return L;
}

static objr__engine_config base_config(const objr__render_item *items, size_t n_items,
                                       const objr__engine_layout *layouts, size_t n_layouts) {
    objr__engine_config c;
    memset(&c, 0, sizeof c);
    c.sample_rate_hz = FS;
    c.n_inputs = 1;
    c.items = items;
    c.n_items = n_items;
    c.layouts = layouts;
    c.n_layouts = n_layouts;
    c.n_outputs = 3 * n_layouts;
    c.max_frames = 1024;
    c.cpu = objr_cpu_features();
    return c;
}

/* Render n frames of a constant 1.0 input in calls of `chunk` frames into out[ch][n]. */
static void render_const(objr__engine *e, size_t n_out, size_t n, size_t chunk, float **out) {
    float *in = malloc(chunk * sizeof(float));
    ck_assert_ptr_nonnull(in);
    for (size_t i = 0; i < chunk; i++)
        in[i] = 1.0f;
    const float *ins[1] = {in};
    for (size_t pos = 0; pos < n; pos += chunk) {
        size_t m = n - pos < chunk ? n - pos : chunk;
        float *outs[8];
        for (size_t c = 0; c < n_out; c++)
            outs[c] = out[c] + pos;
        ck_assert_int_eq(objr__engine_process(e, ins, outs, m), OBJR_OK);
    }
    free(in);
}

static float **alloc_out(size_t n_out, size_t n) {
    float **o = calloc(n_out, sizeof(float *));
    for (size_t c = 0; c < n_out; c++)
        o[c] = calloc(n, sizeof(float));
    return o;
}

static void free_out(float **o, size_t n_out) {
    for (size_t c = 0; c < n_out; c++)
        free(o[c]);
    free(o);
}

/* An object at a speaker plays only from that speaker, at unit gain; objects never reach the
 * LFE even if a calculator asks for it. */
START_TEST(fixed_block_single_speaker) {
    objr__adm_block_objects b;
    obj_block(&b, 0, 1.0, 90.0);
    objr__render_item it = obj_item(&b, 1);
    objr__engine_layout L = test_layout(0);
    objr__engine_config c = base_config(&it, 1, &L, 1);
    objr__engine *e;
    ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
    ck_assert_uint_eq(objr__engine_latency(e), 0);
    float **o = alloc_out(3, 48000);
    render_const(e, 3, 48000, 1000, o);
    for (size_t i = 0; i < 48000; i++) {
        ck_assert_float_eq_tol(o[0][i], 0.0f, 1e-7f);
        ck_assert_float_eq(o[1][i], 1.0f);
        ck_assert_float_eq(o[2][i], 0.0f);
    }
    free_out(o, 3);
    objr__engine_destroy(e);
}
END_TEST

/* Two contiguous blocks, jumpPosition off: the gains move linearly over the whole second
 * block from block 1's gains to block 2's (BS.2127-1 §7.2), so a constant input gives a
 * straight line: sample-to-sample differences bounded by the ramp slope, no step anywhere. */
START_TEST(ramp_between_blocks_no_click) {
    objr__adm_block_objects b[2];
    obj_block(&b[0], 0.0, 0.5, 0.0);
    obj_block(&b[1], 0.5, 0.5, 90.0);
    objr__render_item it = obj_item(b, 2);
    objr__engine_layout L = test_layout(0);
    objr__engine_config c = base_config(&it, 1, &L, 1);
    objr__engine *e;
    ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
    float **o = alloc_out(3, 48000);
    render_const(e, 3, 48000, 700, o);  /* calls straddle the block boundary */
    const double slope = 1.0 / 24000.0; /* gain 0 -> 1 (or 1 -> 0) over 24000 samples */
    for (size_t i = 1; i < 48000; i++) {
        ck_assert(fabs((double)o[0][i] - o[0][i - 1]) <= slope + 1e-6);
        ck_assert(fabs((double)o[1][i] - o[1][i - 1]) <= slope + 1e-6);
    }
    ck_assert_float_eq(o[0][23999], 1.0f);
    ck_assert_float_eq(o[1][23999], 0.0f);
    /* Middle of the ramp: linear in GAIN (0.5 each), not in position (which would be
     * cos/sin(45 deg) = 0.707). */
    ck_assert_double_eq_tol(o[0][36000], 0.5, 1e-5);
    ck_assert_double_eq_tol(o[1][36000], 0.5, 1e-5);
    ck_assert_double_eq_tol(o[1][24000 + 6000], 0.25, 1e-5);
    ck_assert_double_eq_tol(o[1][47999], 1.0, 1e-4);
    free_out(o, 3);
    objr__engine_destroy(e);
}
END_TEST

/* jumpPosition with interpolationLength 0 steps exactly at the block start; with a length,
 * it ramps over that length and then holds. */
START_TEST(jump_position) {
    for (int with_len = 0; with_len < 2; with_len++) {
        objr__adm_block_objects b[2];
        obj_block(&b[0], 0.0, 0.5, 0.0);
        obj_block(&b[1], 0.5, 0.5, 90.0);
        b[1].jump_position = 1;
        if (with_len) {
            b[1].has_interpolation_length = 1;
            b[1].interpolation_length_s = 0.01; /* 480 samples */
        }
        objr__render_item it = obj_item(b, 2);
        objr__engine_layout L = test_layout(0);
        objr__engine_config c = base_config(&it, 1, &L, 1);
        objr__engine *e;
        ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
        float **o = alloc_out(3, 48000);
        render_const(e, 3, 48000, 512, o);
        ck_assert_float_eq(o[1][23999], 0.0f);
        if (!with_len) {
            ck_assert_float_eq(o[1][24000], 1.0f);
            ck_assert_float_eq_tol(o[0][24000], 0.0f, 1e-7f);
        } else {
            ck_assert_float_eq(o[1][24000], 0.0f);
            ck_assert_double_eq_tol(o[1][24240], 0.5, 1e-5);
            ck_assert_double_eq_tol(o[1][24480], 1.0, 1e-6);
            for (size_t i = 24001; i < 24480; i++)
                ck_assert(o[1][i] - o[1][i - 1] <= 1.0 / 480 + 1e-6);
        }
        ck_assert_float_eq(o[1][47999], 1.0f);
        free_out(o, 3);
        objr__engine_destroy(e);
    }
}
END_TEST

/* A gap between blocks is silent and the block after it starts at its own gains; nothing
 * plays before the object's start or after its duration. */
START_TEST(gap_and_object_timing) {
    objr__adm_block_objects b[2];
    obj_block(&b[0], 0.0, 0.25, 0.0);
    obj_block(&b[1], 0.5, 0.25, 90.0);
    objr__render_item it = obj_item(b, 2);
    it.start_s = 0.125;
    it.duration_s = 0.75; /* ends at 0.875 s: cuts block 2 at 0.875 - 0.625 = 0.25 s */
    it.has_duration = 1;
    it.duration_s = 0.7; /* ends at 0.825 s */
    objr__engine_layout L = test_layout(0);
    objr__engine_config c = base_config(&it, 1, &L, 1);
    objr__engine *e;
    ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
    ck_assert_int_eq(objr__engine_end_frame(e), 39600);
    float **o = alloc_out(3, 48000);
    render_const(e, 3, 48000, 1024, o);
    for (size_t i = 0; i < 48000; i++) {
        double t = (double)i / FS;
        int in_b0 = t >= 0.125 && t < 0.375;
        int in_b1 = t >= 0.625 && t < 0.825;
        ck_assert_float_eq_tol(o[0][i], in_b0 ? 1.0f : 0.0f, 1e-7f);
        if (in_b1)
            ck_assert_float_eq(o[1][i], 1.0f); /* after a gap: no ramp from block 0 */
        else
            ck_assert_float_eq(o[1][i], 0.0f);
    }
    free_out(o, 3);
    objr__engine_destroy(e);
}
END_TEST

/* LFE only to LFE: an LFE DirectSpeakers channel reaches the LFE speaker and nothing else; a
 * full-range channel never reaches it. Block gain, object gain and global gain multiply. */
START_TEST(lfe_only_to_lfe) {
    objr__adm_block_direct_speakers ds;
    memset(&ds, 0, sizeof ds);
    strcpy(ds.c.id, "AB_00011004_00000001");
    ds.c.gain = 0.5;
    ds.c.importance = 10;
    objr__render_item it[2];
    memset(it, 0, sizeof it);
    for (int k = 0; k < 2; k++) {
        it[k].type = OBJR__TYPE_DIRECT_SPEAKERS;
        it[k].ds_blocks = &ds;
        it[k].n_blocks = 1;
        it[k].gain = 0.5;
        it[k].input = (size_t)k;
    }
    it[1].is_lfe = 1;
    objr__engine_layout L = test_layout(0);
    objr__engine_config c = base_config(it, 2, &L, 1);
    c.n_inputs = 2;
    c.gain_db = 20.0 * log10(2.0);
    objr__engine *e;
    ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
    float a[64], lfe[64], o0[64], o1[64], o2[64];
    for (int i = 0; i < 64; i++) {
        a[i] = 1.0f;
        lfe[i] = 4.0f;
    }
    const float *ins[2] = {a, lfe};
    float *outs[3] = {o0, o1, o2};
    ck_assert_int_eq(objr__engine_process(e, ins, outs, 64), OBJR_OK);
    for (int i = 0; i < 64; i++) {
        ck_assert_double_eq_tol(o0[i], 0.5, 1e-6); /* 1 * 0.5 * 0.5 * 2 */
        ck_assert_double_eq_tol(o1[i], 0.5, 1e-6);
        ck_assert_double_eq_tol(o2[i], 2.0, 1e-6); /* only the LFE input */
    }
    objr__engine_destroy(e);
}
END_TEST

/* Blocks below the importance threshold are muted. */
START_TEST(block_importance_mutes) {
    objr__adm_block_objects b[2];
    obj_block(&b[0], 0.0, 0.01, 90.0);
    obj_block(&b[1], 0.01, 0.01, 90.0);
    b[1].c.importance = 3;
    b[1].jump_position = 1; /* step, so the muted block is silent from its first sample */
    objr__render_item it = obj_item(b, 2);
    objr__engine_layout L = test_layout(0);
    objr__engine_config c = base_config(&it, 1, &L, 1);
    c.importance_threshold = 5;
    objr__engine *e;
    ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
    float **o = alloc_out(3, 960);
    render_const(e, 3, 960, 960, o);
    ck_assert_float_eq(o[1][479], 1.0f);
    ck_assert_float_eq(o[1][480], 0.0f);
    ck_assert_float_eq(o[1][959], 0.0f);
    free_out(o, 3);
    objr__engine_destroy(e);
}
END_TEST

/* Two layouts in one pass get the same signal in their own channels; the result does not
 * depend on how the input is split into calls (up to float rounding of ramp endpoints), and
 * the SIMD kernels agree with the C reference. */
START_TEST(layouts_split_calls_and_isa) {
    objr__adm_block_objects b[3];
    obj_block(&b[0], 0.0, 0.1, 10.0);
    obj_block(&b[1], 0.1, 0.1, 70.0);
    obj_block(&b[2], 0.2, 0.1, 30.0);
    objr__render_item it = obj_item(b, 3);
    objr__engine_layout L[2] = {test_layout(0), test_layout(3)};
    const size_t n = 14400;
    float *in = malloc(n * sizeof(float));
    objr_test_rng r;
    objr_test_rng_init(&r);
    objr_test_noise(&r, in, n, 1.0);
    float **ref = alloc_out(6, n), **got = alloc_out(6, n);
    for (int pass = 0; pass < 2; pass++) {
        objr__engine_config c = base_config(&it, 1, L, 2);
        c.cpu = pass == 0 ? 0 : objr_cpu_features();
        objr__engine *e;
        ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
        float **o = pass == 0 ? ref : got;
        size_t pos = 0, step = pass == 0 ? 1024 : 1;
        while (pos < n) {
            size_t m = n - pos < step ? n - pos : step;
            const float *ins[1] = {in + pos};
            float *outs[6];
            for (int ch = 0; ch < 6; ch++)
                outs[ch] = o[ch] + pos;
            ck_assert_int_eq(objr__engine_process(e, ins, outs, m), OBJR_OK);
            pos += m;
            step = step * 3 % 1021 + 1; /* irregular call sizes */
        }
        objr__engine_destroy(e);
    }
    for (int ch = 0; ch < 3; ch++)
        ck_assert(memcmp(ref[ch], ref[ch + 3], n * sizeof(float)) == 0);
    for (int ch = 0; ch < 6; ch++)
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(fabsf(ref[ch][i] - got[ch][i]) <= 1e-5f * (1.0f + fabsf(in[i])),
                          "ch %d i %zu: %g vs %g", ch, i, (double)ref[ch][i], (double)got[ch][i]);
    free(in);
    free_out(ref, 6);
    free_out(got, 6);
}
END_TEST

/* The diffuse path: with a delta decorrelator the diffuse and direct parts must arrive
 * together, both delayed by exactly objr__engine_latency() frames. */
START_TEST(diffuse_path_time_aligned) {
    objr__adm_block_objects b;
    obj_block(&b, 0, 1.0, 0.0);
    b.diffuse = 0.36; /* direct 0.8, diffuse 0.6 into speaker 0 */
    objr__render_item it = obj_item(&b, 1);
    objr__engine_layout L = test_layout(0);
    objr__engine_config c = base_config(&it, 1, &L, 1);
    objr__engine *e;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_int_eq(objr__engine_create(&c, &d, &e), OBJR_ERR_UNSUPPORTED);
    ck_assert_ptr_null(e);
    ck_assert(strstr(d.message, "decorrelation") != NULL);
    c.decorr = delta_decorr;
    c.decorr_taps = 64;
    c.decorr_delay = 10;
    ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
    const size_t lat = objr__engine_latency(e);
    ck_assert_uint_eq(lat, 10); /* the filters' own delay: the FIR bank adds none */
    const size_t n = 5000;
    float *in = malloc(n * sizeof(float));
    objr_test_rng r;
    objr_test_rng_init(&r);
    objr_test_noise(&r, in, n, 1.0);
    float **o = alloc_out(3, n);
    size_t pos = 0, step = 100;
    while (pos < n) {
        size_t m = n - pos < step ? n - pos : step;
        const float *ins[1] = {in + pos};
        float *outs[3] = {o[0] + pos, o[1] + pos, o[2] + pos};
        ck_assert_int_eq(objr__engine_process(e, ins, outs, m), OBJR_OK);
        pos += m;
        step = step * 7 % 1000 + 1;
    }
    for (size_t i = 0; i < n; i++) {
        double want = i < lat ? 0.0 : 1.4 * in[i - lat];
        ck_assert_msg(fabs(o[0][i] - want) <= 1e-5, "i %zu: %g vs %g", i, (double)o[0][i], want);
        ck_assert_float_eq_tol(o[1][i], 0.0f, 1e-7f);
        ck_assert_float_eq(o[2][i], 0.0f);
    }
    free(in);
    free_out(o, 3);
    objr__engine_destroy(e);
}
END_TEST

/* Every layout of a multi-layout pass renders exactly what it renders alone, whatever the
 * items' block counts (regression: per-layout gain offsets once depended on the last item). */
START_TEST(each_layout_as_if_alone) {
    objr__adm_block_objects b1[3], b2[1];
    obj_block(&b1[0], 0.0, 0.01, 10.0);
    obj_block(&b1[1], 0.01, 0.01, 80.0);
    obj_block(&b1[2], 0.02, 0.01, 40.0);
    obj_block(&b2[0], 0.0, 0.03, 60.0);
    objr__render_item it[2] = {obj_item(b1, 3), obj_item(b2, 1)};
    it[1].input = 1;
    objr__engine_layout two[2] = {test_layout(0), test_layout(3)};
    objr__engine_layout one = test_layout(0);
    const size_t n = 1440;
    float in0[1440], in1[1440];
    objr_test_rng r;
    objr_test_rng_init(&r);
    objr_test_noise(&r, in0, n, 1.0);
    objr_test_noise(&r, in1, n, 1.0);
    const float *ins[2] = {in0, in1};
    float **a = alloc_out(6, n), **b = alloc_out(3, n);
    objr__engine_config c = base_config(it, 2, two, 2);
    c.n_inputs = 2;
    c.max_frames = n;
    objr__engine *e;
    ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
    ck_assert_int_eq(objr__engine_process(e, ins, a, n), OBJR_OK);
    objr__engine_destroy(e);
    c = base_config(it, 2, &one, 1);
    c.n_inputs = 2;
    c.max_frames = n;
    ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
    ck_assert_int_eq(objr__engine_process(e, ins, b, n), OBJR_OK);
    objr__engine_destroy(e);
    for (int ch = 0; ch < 3; ch++) {
        ck_assert(memcmp(a[ch], b[ch], n * sizeof(float)) == 0);
        ck_assert(memcmp(a[ch + 3], b[ch], n * sizeof(float)) == 0);
    }
    free_out(a, 6);
    free_out(b, 3);
}
END_TEST

/* Block boundaries between samples follow BS.2127/EAR timing: a block starting at time t
 * affects samples from ceil(t * fs), and the ramp parameter of sample s is (s - t * fs) /
 * (interpolation length in samples), at the exact (fractional) times. */
START_TEST(fractional_block_times) {
    objr__adm_block_objects b[2];
    obj_block(&b[0], 0.0, 0.0, 0.0);
    obj_block(&b[1], 0.0, 0.0, 90.0);
    objr__adm_time t0 = {0, 96000, OBJR__TIME_FRACTIONAL, 0},
                   d0 = {201, 96000, OBJR__TIME_FRACTIONAL, 0};
    objr__adm_time t1 = {201, 96000, OBJR__TIME_FRACTIONAL, 0},
                   d1 = {400, 96000, OBJR__TIME_FRACTIONAL, 0};
    b[0].c.rtime = t0;
    b[0].c.duration = d0; /* samples [0, 100.5) */
    b[1].c.rtime = t1;
    b[1].c.duration = d1; /* samples [100.5, 300.5), ramp over 200 samples */
    objr__render_item it = obj_item(b, 2);
    objr__engine_layout L = test_layout(0);
    objr__engine_config c = base_config(&it, 1, &L, 1);
    objr__engine *e;
    ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
    float **o = alloc_out(3, 400);
    render_const(e, 3, 400, 64, o);
    ck_assert_float_eq(o[1][100], 0.0f);                 /* still block 0 (sample 100 < 100.5) */
    ck_assert_double_eq_tol(o[1][101], 0.5 / 200, 1e-6); /* (101 - 100.5) / 200 */
    ck_assert_double_eq_tol(o[1][200], 99.5 / 200, 1e-6);
    ck_assert_double_eq_tol(o[1][300], 199.5 / 200, 1e-6);
    ck_assert_float_eq(o[1][301], 0.0f); /* after the last block (300.5): silence */
    free_out(o, 3);
    objr__engine_destroy(e);
}
END_TEST

/* A long automation (2000 blocks of 1 ms, each ramping from the previous block's gains,
 * BS.2127-1 §7.2) renders with gains computed as the render reaches each block: every sample
 * is the analytic ramp between the two blocks' panning gains; the gains read ahead of the
 * clock are the ones the render later applies, and reading them changes nothing. */
#define LAZY_BLOCKS 2000
#define LAZY_BLOCK_FRAMES 48
static double lazy_az(size_t k) {
    return (double)((k * 37) % 91); /* 0 .. 90 degrees, jumping around */
}

START_TEST(lazy_gains_many_blocks) {
    objr__adm_block_objects *b = calloc(LAZY_BLOCKS, sizeof *b);
    ck_assert_ptr_nonnull(b);
    for (size_t k = 0; k < LAZY_BLOCKS; k++) {
        obj_block(&b[k], 0, 0, lazy_az(k));
        b[k].c.rtime.num = (int64_t)(k * LAZY_BLOCK_FRAMES);
        b[k].c.duration.num = LAZY_BLOCK_FRAMES;
    }
    objr__render_item it = obj_item(b, LAZY_BLOCKS);
    objr__engine_layout L = test_layout(0);
    objr__engine_config c = base_config(&it, 1, &L, 1);
    objr__engine *e;
    ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
    const size_t n = LAZY_BLOCKS * LAZY_BLOCK_FRAMES;
    /* ahead of the clock: the middle of block 1500 */
    const int64_t probe = 1500 * LAZY_BLOCK_FRAMES + LAZY_BLOCK_FRAMES / 2;
    float dir[3], dif[3];
    ck_assert_int_eq(objr__engine_gains_at(e, probe, dir, dif), OBJR_OK);
    float **o = alloc_out(3, n);
    render_const(e, 3, n, 333, o);
    for (size_t k = 0; k < LAZY_BLOCKS; k++)
        for (size_t j = 0; j < LAZY_BLOCK_FRAMES; j++) {
            const size_t s = k * LAZY_BLOCK_FRAMES + j;
            const double p = k ? (double)j / LAZY_BLOCK_FRAMES : 1.0;
            const double a0 = (k ? lazy_az(k - 1) : lazy_az(k)) / 90.0 * (OBJR_PI / 2);
            const double a1 = lazy_az(k) / 90.0 * (OBJR_PI / 2);
            const double want0 = cos(a0) + (cos(a1) - cos(a0)) * p;
            const double want1 = sin(a0) + (sin(a1) - sin(a0)) * p;
            ck_assert_msg(fabs(o[0][s] - want0) < 1e-5 && fabs(o[1][s] - want1) < 1e-5,
                          "sample %zu: %g %g vs %g %g", s, (double)o[0][s], (double)o[1][s], want0,
                          want1);
            ck_assert_float_eq(o[2][s], 0.0f);
        }
    ck_assert_float_eq_tol(dir[0], o[0][probe], 1e-6f);
    ck_assert_float_eq_tol(dir[1], o[1][probe], 1e-6f);
    /* back to the start: the same output again (same call sizes: ramp pieces round alike) */
    float **o2 = alloc_out(3, n);
    objr__engine_seek(e, 0);
    render_const(e, 3, n, 333, o2);
    for (size_t ch = 0; ch < 3; ch++)
        ck_assert_mem_eq(o[ch], o2[ch], n * sizeof(float));
    free_out(o, 3);
    free_out(o2, 3);
    objr__engine_destroy(e);
    free(b);
}
END_TEST

/* A calculator that refuses azimuth 77 (a stand-in for any per-block error). */
static objr_status pan_refuse_77(void *ctx, const objr__render_item *it,
                                 const objr__adm_block_objects *b, double *direct, double *diffuse,
                                 objr_diag *diag) {
    if (b->pos.azimuth_deg == 77.0)
        return objr__diag_set(diag, OBJR_ERR_RANGE, b->c.id, 0, (size_t)-1, "azimuth 77 refused");
    return pan_objects(ctx, it, b, direct, diffuse, diag);
}

/* An error of the gain calculator in a block the render reaches late surfaces from process
 * (and gains_at) with the calculator's message, not as silence. */
START_TEST(calculator_error_mid_render) {
    objr__adm_block_objects b[2];
    obj_block(&b[0], 0, 1, 0);
    obj_block(&b[1], 1, 1, 77);
    objr__render_item it = obj_item(b, 2);
    objr__engine_layout L = test_layout(0);
    L.gc.objects = pan_refuse_77;
    objr__engine_config c = base_config(&it, 1, &L, 1);
    c.max_frames = 48000;
    objr__engine *e;
    ck_assert_int_eq(objr__engine_create(&c, NULL, &e), OBJR_OK);
    float dir[3], dif[3];
    ck_assert_int_eq(objr__engine_gains_at(e, 60000, dir, dif), OBJR_ERR_RANGE);
    float *in = calloc(48000, sizeof(float)), **o = alloc_out(3, 48000);
    const float *ins[1] = {in};
    ck_assert_int_eq(objr__engine_process(e, ins, o, 48000), OBJR_OK); /* block 0 only */
    ck_assert_int_eq(objr__engine_process(e, ins, o, 48000), OBJR_ERR_RANGE);
    ck_assert_str_eq(objr__engine_diag(e)->message, "azimuth 77 refused");
    free(in);
    free_out(o, 3);
    objr__engine_destroy(e);
}
END_TEST

static Suite *engine_suite(void) {
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("engine");
    tcase_add_test(tc, fixed_block_single_speaker);
    tcase_add_test(tc, ramp_between_blocks_no_click);
    tcase_add_test(tc, jump_position);
    tcase_add_test(tc, gap_and_object_timing);
    tcase_add_test(tc, lfe_only_to_lfe);
    tcase_add_test(tc, block_importance_mutes);
    tcase_add_test(tc, layouts_split_calls_and_isa);
    tcase_add_test(tc, diffuse_path_time_aligned);
    tcase_add_test(tc, each_layout_as_if_alone);
    tcase_add_test(tc, fractional_block_times);
    tcase_add_test(tc, lazy_gains_many_blocks);
    tcase_add_test(tc, calculator_error_mid_render);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(engine_suite)
