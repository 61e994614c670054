/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM render items through the binaural scene driver: block timing and position
 * interpolation (BS.2076-2), cartesian positions converted as BS.2127-1 §10 does, beds and
 * LFE, headphoneVirtualise, and refused item types. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "renderers/binaural/scene.h"
#include "renderers/engine.h"

static objr__adm_block_objects obj_block(double rtime_s, double dur_s, double az, double el) {
    objr__adm_block_objects b;
    memset(&b, 0, sizeof b);
    b.c.gain = 1.0;
    b.c.importance = 10;
    b.c.has_rtime = b.c.has_duration = 1;
    b.c.rtime.num = (int64_t)llround(rtime_s * 1000), b.c.rtime.den = 1000;
    b.c.duration.num = (int64_t)llround(dur_s * 1000), b.c.duration.den = 1000;
    b.pos.azimuth_deg = az, b.pos.elevation_deg = el, b.pos.distance = 1;
    return b;
}

static objr__render_item obj_item(const objr__adm_block_objects *b, size_t n) {
    objr__render_item it;
    memset(&it, 0, sizeof it);
    it.type = OBJR__TYPE_OBJECTS;
    it.obj_blocks = b, it.n_blocks = n;
    it.gain = 1.0;
    return it;
}

#define RATE 48000.0

/* The parameters of an item at time t_s (a whole sample at RATE), through its block timing,
 * with a mode that wins over headphoneVirtualise (0: none). */
static void params_mode(const objr__render_item *it, double t_s, int mode,
                        objr_binaural_source *p) {
    objr__interp_cursor cur;
    objr__interp_cursor_reset(&cur);
    ck_assert_int_eq(objr__interp_item(it, RATE, NULL, NULL), OBJR_OK);
    objr__binaural_item_params(it, &cur, RATE, (int64_t)llround(t_s * RATE), mode, p);
}

static void params(const objr__render_item *it, double t_s, objr_binaural_source *p) {
    params_mode(it, t_s, 0, p);
}

START_TEST(block_timing_and_interpolation) {
    objr__adm_block_objects b[2] = {obj_block(0, 1, 0, 0), obj_block(1, 1, 90, 0)};
    objr__render_item it = obj_item(b, 2);
    objr_binaural_source p;
    params(&it, 0.5, &p);
    ck_assert(p.active);
    ck_assert_double_eq_tol(p.azimuth_deg, 0, 1e-9);
    /* interpolated over the whole second block: half-way is 45 degrees */
    params(&it, 1.5, &p);
    ck_assert_double_eq_tol(p.azimuth_deg, 45, 1e-6);
    params(&it, 1.999, &p);
    ck_assert_double_eq_tol(p.azimuth_deg, 90, 0.2);
    /* after the last block: silent */
    params(&it, 2.5, &p);
    ck_assert(!p.active);
    /* jumpPosition without interpolationLength: at once */
    b[1].jump_position = 1;
    params(&it, 1.01, &p);
    ck_assert_double_eq_tol(p.azimuth_deg, 90, 1e-9);
    /* jumpPosition with a 0.2 s interpolation */
    b[1].has_interpolation_length = 1, b[1].interpolation_length_s = 0.2;
    params(&it, 1.1, &p);
    ck_assert_double_eq_tol(p.azimuth_deg, 45, 1e-6);
    /* object start offsets the block times; object duration ends it */
    it.start_s = 10;
    params(&it, 0.5, &p);
    ck_assert(!p.active);
    params(&it, 10.5, &p);
    ck_assert(p.active);
    it.has_duration = 1, it.duration_s = 1.2;
    params(&it, 11.5, &p);
    ck_assert(!p.active);
    /* block gain times object gain; headphoneVirtualise bypass = OFF; DRR = NEAR */
    it.start_s = 0, it.has_duration = 0, it.gain = 0.5;
    b[0].c.gain = 0.5;
    b[0].c.headphone_virtualise.present = 1;
    b[0].c.headphone_virtualise.bypass = 1;
    params(&it, 0.5, &p);
    ck_assert_double_eq_tol(p.gain, 0.25, 1e-12);
    ck_assert_int_eq(p.mode, OBJR_BINAURAL_MODE_OFF);
    b[0].c.headphone_virtualise.bypass = 0;
    b[0].c.headphone_virtualise.has_drr = 1, b[0].c.headphone_virtualise.drr_db = 25;
    params(&it, 0.5, &p);
    ck_assert_int_eq(p.mode, OBJR_BINAURAL_MODE_NEAR);
    /* a per-track mode (Dolby dbmd) wins over headphoneVirtualise, with or without it */
    params_mode(&it, 0.5, OBJR_BINAURAL_MODE_FAR, &p);
    ck_assert_int_eq(p.mode, OBJR_BINAURAL_MODE_FAR);
    b[0].c.headphone_virtualise.present = 0;
    params_mode(&it, 0.5, OBJR_BINAURAL_MODE_OFF, &p);
    ck_assert_int_eq(p.mode, OBJR_BINAURAL_MODE_OFF);
    params(&it, 0.5, &p); /* not given: the renderer's default */
    ck_assert_int_eq(p.mode, OBJR_BINAURAL_MODE_DEFAULT);
}
END_TEST

START_TEST(cartesian_directions) {
    /* BS.2127-1 §10 (Table of the conversion: corners at +-30 and +-110 degrees): X right,
     * Y front; the left wall's centre lies half-way between +30 and +110 (70 degrees), the
     * front-right corner maps to -30 degrees, straight up to elevation 90 */
    static const double cases[][5] = {
        {-1, 0, 0, 70, 0}, {1, 1, 0, -30, 0}, {0, 1, 0, 0, 0}, {-1, 1, 0, 30, 0}, {0, 0, 1, 0, 90}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        objr__adm_block_objects b = obj_block(0, 1, 0, 0);
        b.pos.cartesian = 1;
        b.pos.x = cases[i][0], b.pos.y = cases[i][1], b.pos.z = cases[i][2];
        objr__render_item it = obj_item(&b, 1);
        objr_binaural_source p;
        params(&it, 0.5, &p);
        ck_assert_double_eq_tol(p.elevation_deg, cases[i][4], 1e-6);
        if (fabs(cases[i][4]) < 89)
            ck_assert_double_eq_tol(p.azimuth_deg, cases[i][3], 1e-6);
    }
}
END_TEST

/* A gap between blocks (BS.2127-1 §7.2, as the loudspeaker engine renders it): silent during
 * the gap, and the block after it starts at its own position instead of moving from the
 * previous block's. The engine, given the same blocks and a panner whose speaker 1 gain is
 * sin(azimuth), plays exactly when the scene's source is active, at the gain of the scene's
 * direction, sample for sample. */
static objr_status pan_sin(void *ctx, const objr__render_item *it, const objr__adm_block_objects *b,
                           double *direct, double *diffuse, objr_diag *diag) {
    (void)ctx, (void)it, (void)diag, (void)diffuse;
    direct[0] = sin(b->pos.azimuth_deg * OBJR_PI / 180);
    return OBJR_OK;
}

START_TEST(gap_between_blocks_like_the_engine) {
    /* 0 .. 1 s at 0 degrees, gap, 1.5 .. 2.5 s at 90 degrees, 2.5 .. 3 s back to 30 degrees */
    objr__adm_block_objects b[3] = {obj_block(0, 1, 0, 0), obj_block(1.5, 1, 90, 0),
                                    obj_block(2.5, 0.5, 30, 0)};
    objr__render_item it = obj_item(b, 3);
    objr_binaural_source p;
    params(&it, 1.25, &p);
    ck_assert(!p.active); /* the gap is silent */
    params(&it, 1.5, &p);
    ck_assert(p.active);
    ck_assert_double_eq_tol(p.azimuth_deg, 90, 1e-9); /* no ramp across the gap */
    params(&it, 1.6, &p);
    ck_assert_double_eq_tol(p.azimuth_deg, 90, 1e-9);
    params(&it, 2.75, &p); /* contiguous: half-way from 90 to 30 degrees (unit vectors) */
    ck_assert_double_eq_tol(p.azimuth_deg, 60, 1e-6);

    objr__render_item ri;
    memset(&ri, 0, sizeof ri);
    ri.type = OBJR__TYPE_OBJECTS;
    ri.obj_blocks = b, ri.n_blocks = 3, ri.gain = 1.0, ri.importance = 10;
    for (int k = 0; k < 3; k++)
        b[k].c.importance = 10;
    objr__engine_layout L;
    memset(&L, 0, sizeof L);
    L.n_speakers = 1;
    L.gc.objects = pan_sin;
    objr__engine_config ec;
    memset(&ec, 0, sizeof ec);
    ec.sample_rate_hz = RATE, ec.n_inputs = 1, ec.items = &ri, ec.n_items = 1;
    ec.layouts = &L, ec.n_layouts = 1, ec.n_outputs = 1, ec.max_frames = 1024;
    objr__engine *e = NULL;
    ck_assert_int_eq(objr__engine_create(&ec, NULL, &e), OBJR_OK);
    objr__interp_cursor cur;
    objr__interp_cursor_reset(&cur);
    ck_assert_int_eq(objr__interp_item(&it, RATE, NULL, NULL), OBJR_OK);
    float one[1024], out[1024];
    for (size_t i = 0; i < 1024; i++)
        one[i] = 1.0f;
    const float *in[1] = {one};
    float *o[1] = {out};
    for (int64_t f0 = 0; f0 < 3 * (int64_t)RATE + 2048; f0 += 1024) {
        ck_assert_int_eq(objr__engine_process(e, in, o, 1024), OBJR_OK);
        for (int64_t j = 0; j < 1024; j += 7) {
            objr__binaural_item_params(&it, &cur, RATE, f0 + j, 0, &p);
            if (!p.active) {
                ck_assert_float_eq(out[j], 0.0f);
                continue;
            }
            /* the engine interpolates gains, the scene directions: equal at block starts and
             * where nothing moves */
            if (f0 + j < 2 * (int64_t)RATE + RATE / 2)
                ck_assert_double_eq_tol(out[j], sin(p.azimuth_deg * OBJR_PI / 180), 1e-6);
            else
                ck_assert(out[j] > 0.49f && out[j] <= 1.0f);
        }
    }
    objr__engine_destroy(e);
}
END_TEST

/* Thousands of 1 ms blocks (48 frames), each jumping to a new azimuth on the horizon; every
 * 5th block a jump with a 0.25 ms interpolation, the others a ramp over the whole block. */
#define SHORT_BLOCKS 4000
#define SHORT_FRAMES 48
#define SHORT_RAMP 12
static double short_az(size_t k) {
    return (double)((k * 37) % 91) - 45.0; /* -45 .. 45 degrees */
}

static objr__adm_block_objects *short_blocks(size_t n) {
    objr__adm_block_objects *b = calloc(n, sizeof *b);
    ck_assert_ptr_nonnull(b);
    for (size_t k = 0; k < n; k++) {
        b[k] = obj_block(0, 0.001, short_az(k), 0);
        b[k].c.rtime.num = (int64_t)k; /* k ms */
        if (k % 5 == 4)
            b[k].jump_position = 1, b[k].has_interpolation_length = 1,
            b[k].interpolation_length_s = (double)SHORT_RAMP / RATE;
    }
    return b;
}

/* The azimuth of the short-block item at @p frame, from first principles: the direction moves
 * along the chord between the two blocks' unit vectors, u + a (v - u) with a the ramp's
 * fraction, which seen from u's azimuth is atan2(a sin d, (1 - a) + a cos d). -1000: silent. */
static double short_az_at(int64_t frame) {
    if (frame < 0 || frame >= SHORT_BLOCKS * SHORT_FRAMES)
        return -1000.0;
    const size_t k = (size_t)(frame / SHORT_FRAMES);
    const int64_t j = frame % SHORT_FRAMES, ramp = k % 5 == 4 ? SHORT_RAMP : SHORT_FRAMES;
    if (k == 0 || j >= ramp)
        return short_az(k);
    const double a = (double)j / (double)ramp;
    const double d = (short_az(k) - short_az(k - 1)) * OBJR_PI / 180;
    return short_az(k - 1) + atan2(a * sin(d), (1 - a) + a * cos(d)) * 180 / OBJR_PI;
}

/* One item's cursor through the short blocks: every frame in order, then after a reset (a
 * seek) frames from random places on, and steps back without one, always the analytic
 * direction; nothing but the cursor is kept between calls. */
START_TEST(short_blocks_follow_their_ramps) {
    objr__adm_block_objects *b = short_blocks(SHORT_BLOCKS);
    objr__render_item it = obj_item(b, SHORT_BLOCKS);
    ck_assert_int_eq(objr__interp_item(&it, RATE, NULL, NULL), OBJR_OK);
    objr__interp_cursor cur;
    objr__interp_cursor_reset(&cur);
    const int64_t end = SHORT_BLOCKS * SHORT_FRAMES;
    uint32_t rng = 7;
    int64_t base = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int64_t q = -100; q < end + 100; q++) {
            int64_t f = q;
            if (pass == 1) { /* a seek every 16 frames, a step back in between */
                if (q % 16 == 0) {
                    rng = rng * 1664525u + 1013904223u;
                    base = (int64_t)(rng % (uint32_t)end) - q;
                    objr__interp_cursor_seek(&cur);
                }
                f = q % 16 == 9 ? (q + base) - 3 * SHORT_FRAMES : q + base;
            }
            objr_binaural_source p;
            objr__binaural_item_params(&it, &cur, RATE, f, 0, &p);
            const double want = short_az_at(f);
            if ((want > -1000.0) != (p.active != 0) ||
                (p.active && !(fabs(p.azimuth_deg - want) < 1e-9 && p.elevation_deg == 0.0)))
                ck_abort_msg("pass %d frame %lld: active %d azimuth %.12g, want %.12g", pass,
                             (long long)f, p.active, p.azimuth_deg, want);
        }
    free(b);
}
END_TEST

/* Blocks that overlap are refused at create, as the engine refuses them, naming the block and
 * the channel. */
START_TEST(overlapping_blocks_refused) {
    objr__adm_block_objects b[2] = {obj_block(0, 1, 0, 0), obj_block(0.5, 1, 90, 0)};
    snprintf(b[1].c.id, sizeof b[1].c.id, "AB_00031001_00000002");
    objr__render_item it = obj_item(b, 2);
    it.channel_id = "AC_00031001";
    objr_binaural_config c = objr_binaural_config_default();
    objr_diag d;
    memset(&d, 0, sizeof d);
    objr__binaural_scene *s = NULL;
    ck_assert_int_eq(objr__binaural_scene_create(&c, &it, NULL, 1, 1, 0.0, &d, &s), OBJR_ERR_ADM);
    ck_assert_ptr_null(s);
    ck_assert_ptr_nonnull(strstr(d.message, "AC_00031001"));
    ck_assert_str_eq(d.element_id, "AB_00031001_00000002");
}
END_TEST

static int have_sofa(void) {
    FILE *f = fopen("/usr/share/libmysofa/default.sofa", "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* a scene: an object on the left, a bed LFE channel, an object moving across blocks */
START_TEST(scene_renders) {
    if (!have_sofa())
        return;
    objr__adm_block_objects left = obj_block(0, 2, 90, 0);
    objr__adm_block_direct_speakers lfe;
    memset(&lfe, 0, sizeof lfe);
    lfe.c.gain = 1, lfe.c.importance = 10;
    objr__render_item items[2];
    items[0] = obj_item(&left, 1);
    memset(&items[1], 0, sizeof items[1]);
    items[1].type = OBJR__TYPE_DIRECT_SPEAKERS;
    items[1].ds_blocks = &lfe, items[1].n_blocks = 1, items[1].is_lfe = 1, items[1].gain = 1;
    items[1].input = 1;
    objr_binaural_config c = objr_binaural_config_default();
    c.default_mode = OBJR_BINAURAL_MODE_DRY;
    objr__binaural_scene *s = NULL;
    ck_assert_int_eq(objr__binaural_scene_create(&c, items, NULL, 2, 2, 0.0, NULL, &s), OBJR_OK);
    size_t n = 48000;
    float *x = malloc(n * 4), *l = malloc(n * 4), *r = malloc(n * 4);
    objr_test_rng g;
    objr_test_rng_init(&g);
    objr_test_noise(&g, x, n, 0.5);
    const float *in[2] = {x, NULL};
    ck_assert_int_eq(objr__binaural_scene_process(s, in, l, r, 1000), OBJR_OK); /* odd sizes */
    ck_assert_int_eq(objr__binaural_scene_process(s, in, l + 1000, r + 1000, n - 1000), OBJR_OK);
    double el = 0, er = 0;
    for (size_t i = n / 2; i < n; i++)
        el += (double)l[i] * l[i], er += (double)r[i] * r[i];
    ck_assert_double_gt(10 * log10(el / er), 6.0);
    /* the LFE alone: equal at both ears */
    objr__binaural_scene_seek(s, 0);
    const float *in2[2] = {NULL, x};
    ck_assert_int_eq(objr__binaural_scene_process(s, in2, l, r, n), OBJR_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_float_eq(l[i], r[i]);
    objr__binaural_scene_destroy(s);
    /* refused types: Matrix (and Binaural) are not rendered yet; an HOA channel without
     * order and degree is an ADM error */
    objr__render_item mat;
    memset(&mat, 0, sizeof mat);
    mat.type = OBJR__TYPE_MATRIX;
    mat.channel_id = "AC_00021005";
    objr_diag d;
    memset(&d, 0, sizeof d);
    ck_assert_int_eq(objr__binaural_scene_create(&c, &mat, NULL, 1, 1, 0.0, &d, &s),
                     OBJR_ERR_UNSUPPORTED);
    ck_assert_ptr_null(s);
    ck_assert_ptr_nonnull(strstr(d.message, "AC_00021005"));
    ck_assert_ptr_nonnull(strstr(d.message, "Matrix"));
    objr__render_item hoa;
    memset(&hoa, 0, sizeof hoa);
    hoa.type = OBJR__TYPE_HOA;
    hoa.channel_id = "AC_00041005";
    memset(&d, 0, sizeof d);
    ck_assert_int_eq(objr__binaural_scene_create(&c, &hoa, NULL, 1, 1, 0.0, &d, &s), OBJR_ERR_ADM);
    ck_assert_ptr_null(s);
    ck_assert_ptr_nonnull(strstr(d.message, "AC_00041005"));
    free(x), free(l), free(r);
}
END_TEST

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
/* Bytes of heap in use (glibc; 0 elsewhere and under sanitizers, which bypass it). */
static long heap_in_use(void) {
    struct mallinfo2 m = mallinfo2();
    return (long)(m.uordblks + m.hblkhd);
}
#else
static long heap_in_use(void) {
    return 0;
}
#endif

/* Heap a scene of one item of n short blocks holds after create. */
static long scene_heap(const objr__adm_block_objects *b, size_t n) {
    objr__render_item it = obj_item(b, n);
    objr_binaural_config c = objr_binaural_config_default();
    c.default_mode = OBJR_BINAURAL_MODE_DRY;
    objr__binaural_scene *s = NULL;
    const long h0 = heap_in_use();
    ck_assert_int_eq(objr__binaural_scene_create(&c, &it, NULL, 1, 1, 0.0, NULL, &s), OBJR_OK);
    const long h = heap_in_use() - h0;
    objr__binaural_scene_destroy(s);
    return h;
}

/* Render n frames of mono input x (from frame `at` of it) through scene s in odd chunks. */
static void render_scene(objr__binaural_scene *s, const float *x, size_t at, size_t n, float *l,
                         float *r) {
    for (size_t done = 0; done < n;) {
        size_t m = n - done < 1000 ? n - done : 1000;
        const float *in[1] = {x + at + done};
        ck_assert_int_eq(objr__binaural_scene_process(s, in, l + done, r + done, m), OBJR_OK);
        done += m;
    }
}

/* The scene keeps nothing per block: the heap it holds after create is the same for 400 and
 * 40000 blocks (block timing stored per block would add 48 bytes each, 1.9 MB). And its
 * render of 4000 1 ms blocks, straight through and after seeks forwards and back, is the
 * render of an item whose blocks are the renderer's (the scene takes the metadata at the
 * end of each renderer block), each at the analytic direction of the short blocks there and
 * holding it (jumpPosition without interpolation). */
START_TEST(short_blocks_scene_memory_and_seeks) {
    if (!have_sofa())
        return;
    objr__adm_block_objects *many = short_blocks(40000);
    (void)scene_heap(many, 4); /* first use: the HRTF set's and FFT plans' caches */
    const long h_few = scene_heap(many, 400), h_many = scene_heap(many, 40000);
    ck_assert_msg(labs(h_many - h_few) < 256 * 1024, "heap %ld for 400 blocks, %ld for 40000",
                  h_few, h_many);
    free(many);

    objr__adm_block_objects *sb = short_blocks(SHORT_BLOCKS);
    objr__render_item a = obj_item(sb, SHORT_BLOCKS);
    objr_binaural_config c = objr_binaural_config_default();
    c.default_mode = OBJR_BINAURAL_MODE_DRY;
    objr__binaural_scene *sa = NULL, *sr = NULL;
    ck_assert_int_eq(objr__binaural_scene_create(&c, &a, NULL, 1, 1, 0.0, NULL, &sa), OBJR_OK);
    const size_t B = objr__binaural_scene_latency(sa), end = SHORT_BLOCKS * SHORT_FRAMES;
    const size_t n_rb = (end + B - 1) / B;
    objr__adm_block_objects *rb = calloc(n_rb, sizeof *rb);
    ck_assert_ptr_nonnull(rb);
    for (size_t m = 0; m < n_rb; m++) {
        rb[m] = obj_block(0, 0, short_az_at((int64_t)(m * B)), 0);
        rb[m].c.rtime = (objr__adm_time){(int64_t)(m * B), (int64_t)RATE, OBJR__TIME_FRACTIONAL, 0};
        rb[m].c.duration = (objr__adm_time){(int64_t)B, (int64_t)RATE, OBJR__TIME_FRACTIONAL, 0};
        rb[m].jump_position = 1;
    }
    objr__render_item ref = obj_item(rb, n_rb);
    ck_assert_int_eq(objr__binaural_scene_create(&c, &ref, NULL, 1, 1, 0.0, NULL, &sr), OBJR_OK);
    const size_t n = end + 4 * B;
    float *x = calloc(n + end, sizeof *x), *o[4];
    for (int i = 0; i < 4; i++)
        ck_assert_ptr_nonnull(o[i] = calloc(n, sizeof(float)));
    objr_test_rng g;
    objr_test_rng_init(&g);
    objr_test_noise(&g, x, n + end, 0.5);
    /* straight through, then from 2.5 s on, then back to 0.75 s (renderer block starts) */
    const size_t from[3] = {0, (size_t)(2.5 * RATE) / B * B, (size_t)(0.75 * RATE) / B * B};
    for (int run = 0; run < 3; run++) {
        const size_t len = n - from[run];
        objr__binaural_scene_seek(sa, (int64_t)from[run]);
        objr__binaural_scene_seek(sr, (int64_t)from[run]);
        render_scene(sa, x, from[run], len, o[0], o[1]);
        render_scene(sr, x, from[run], len, o[2], o[3]);
        double e = 0.0, worst = 0.0, side = 0.0;
        for (size_t i = 0; i < len; i++) {
            e += (double)o[0][i] * o[0][i];
            side += fabs((double)o[0][i] - o[1][i]);
            worst = fmax(worst, fmax(fabs(o[0][i] - o[2][i]), fabs(o[1][i] - o[3][i])));
        }
        ck_assert_double_gt(e, 1.0);    /* not silent */
        ck_assert_double_gt(side, 1.0); /* and lateralised */
        ck_assert_msg(worst < 1e-5, "run %d: short blocks and renderer blocks differ by %g", run,
                      worst);
    }
    for (int i = 0; i < 4; i++)
        free(o[i]);
    free(x);
    objr__binaural_scene_destroy(sa);
    objr__binaural_scene_destroy(sr);
    free(rb);
    free(sb);
}
END_TEST

static Suite *binaural_scene_suite(void) {
    Suite *s = suite_create("binaural_scene");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, block_timing_and_interpolation);
    tcase_add_test(tc, cartesian_directions);
    tcase_add_test(tc, gap_between_blocks_like_the_engine);
    tcase_add_test(tc, overlapping_blocks_refused);
    tcase_add_test(tc, scene_renders);
    tcase_add_test(tc, short_blocks_follow_their_ramps);
    tcase_add_test(tc, short_blocks_scene_memory_and_seeks);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(binaural_scene_suite)
