/* SPDX-License-Identifier: BSD-3-Clause */
/* Block timing (ITU-R BS.2127-1 §7.2): exact sample ranges of the gain ramps and holds for
 * whole-block interpolation, jumpPosition with and without interpolationLength, gaps,
 * zero-length blocks, fractional times, object start offsets, blocks that never ramp
 * (DirectSpeakers / HOA), the repairs (blocks cut at the object's end, interpolation lengths
 * cut to the block) and the timing errors. */
#include "common/test_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "renderers/interp.h"
#include "renderers/render_items.h"

#define RATE 48000u

static objr__adm_time t_ms(int64_t ms) {
    objr__adm_time t = {ms, 1000, OBJR__TIME_TIMECODE, 3};
    return t;
}

static objr__adm_block_objects blk(int64_t rtime_ms, int64_t dur_ms) {
    objr__adm_block_objects b;
    memset(&b, 0, sizeof b);
    b.c.has_rtime = b.c.has_duration = 1;
    b.c.rtime = t_ms(rtime_ms);
    b.c.duration = t_ms(dur_ms);
    return b;
}

/* Next block on an object starting at start_s, of duration dur_s (< 0: none), at RATE. */
static objr_status next(objr__interp_state *st, const objr__adm_block_objects *b, double start_s,
                        double dur_s, objr__interp_seg *s) {
    objr__interp_timeline tl = {RATE, start_s, dur_s >= 0 ? dur_s : 0.0, dur_s >= 0};
    return objr__interp_next(st, &tl, &b->c, b, s);
}

static void seg_eq(const objr__interp_seg *s, int64_t first, int64_t ramp_end, int64_t last) {
    ck_assert_int_eq(s->first_sample, first);
    ck_assert_int_eq(s->ramp_end_sample, ramp_end);
    ck_assert_int_eq(s->last_sample, last);
    ck_assert_int_eq(s->ramp_from_previous, ramp_end > first);
}

START_TEST(whole_block_ramps_and_first_block_starts_at_its_gains) {
    objr__interp_state st;
    objr__interp_init(&st);
    objr__interp_seg s;
    objr__adm_block_objects b = blk(0, 500);
    ck_assert_int_eq(next(&st, &b, 0.0, -1, &s), OBJR_OK);
    seg_eq(&s, 0, 0, 24000); /* first block: no previous gains, hold its own */
    b = blk(500, 500);
    ck_assert_int_eq(next(&st, &b, 0.0, -1, &s), OBJR_OK);
    seg_eq(&s, 24000, 48000, 48000); /* ramps over the whole block */
    /* p runs 0 at the block start to (n-1)/n at its last sample: the target is reached at
     * the block end */
    ck_assert_double_eq_tol(objr__interp_weight(&s, 24000), 0.0, 1e-15);
    ck_assert_double_eq_tol(objr__interp_weight(&s, 36000), 0.5, 1e-15);
    ck_assert_double_eq_tol(objr__interp_weight(&s, 47999), 23999.0 / 24000.0, 1e-15);
}
END_TEST

START_TEST(jump_position) {
    objr__interp_state st;
    objr__interp_init(&st);
    objr__interp_seg s;
    objr__adm_block_objects b = blk(0, 500);
    ck_assert_int_eq(next(&st, &b, 0.0, -1, &s), OBJR_OK);
    /* jumpPosition with interpolationLength 100 ms: ramp 4800 samples, then hold */
    b = blk(500, 500);
    b.jump_position = 1;
    b.has_interpolation_length = 1;
    b.interpolation_length_s = 0.1;
    ck_assert_int_eq(next(&st, &b, 0.0, -1, &s), OBJR_OK);
    seg_eq(&s, 24000, 28800, 48000);
    ck_assert_double_eq_tol(objr__interp_weight(&s, 26400), 0.5, 1e-15);
    /* jumpPosition without interpolationLength: jump at once */
    b = blk(1000, 500);
    b.jump_position = 1;
    ck_assert_int_eq(next(&st, &b, 0.0, -1, &s), OBJR_OK);
    seg_eq(&s, 48000, 48000, 72000);
    /* interpolationLength equal to the block duration: a ramp over the block */
    b = blk(1500, 100);
    b.jump_position = 1;
    b.has_interpolation_length = 1;
    b.interpolation_length_s = 0.1;
    ck_assert_int_eq(next(&st, &b, 0.0, -1, &s), OBJR_OK);
    seg_eq(&s, 72000, 76800, 76800);
}
END_TEST

START_TEST(gaps_and_zero_length_blocks) {
    objr__interp_state st;
    objr__interp_init(&st);
    objr__interp_seg s;
    objr__adm_block_objects b = blk(0, 100);
    ck_assert_int_eq(next(&st, &b, 0.0, -1, &s), OBJR_OK);
    /* a gap: the next block starts at its own gains (silence in between) */
    b = blk(200, 100);
    ck_assert_int_eq(next(&st, &b, 0.0, -1, &s), OBJR_OK);
    seg_eq(&s, 9600, 9600, 14400);
    /* zero-length block: affects no sample, but the next block ramps from its gains */
    b = blk(300, 0);
    ck_assert_int_eq(next(&st, &b, 0.0, -1, &s), OBJR_OK);
    seg_eq(&s, 14400, 14400, 14400);
    b = blk(300, 100);
    ck_assert_int_eq(next(&st, &b, 0.0, -1, &s), OBJR_OK);
    seg_eq(&s, 14400, 19200, 19200);
}
END_TEST

START_TEST(fractional_times_and_object_start) {
    objr__interp_state st;
    objr__interp_init(&st);
    objr__interp_seg s;
    /* object starts at 2 s; blocks of 1/7 s: 48000/7 = 6857.14 samples */
    objr__adm_block_objects b;
    memset(&b, 0, sizeof b);
    b.c.has_rtime = b.c.has_duration = 1;
    b.c.rtime = (objr__adm_time){0, 7, OBJR__TIME_FRACTIONAL, 0};
    b.c.duration = (objr__adm_time){1, 7, OBJR__TIME_FRACTIONAL, 0};
    ck_assert_int_eq(next(&st, &b, 2.0, -1, &s), OBJR_OK);
    seg_eq(&s, 96000, 96000, 96000 + 6858); /* ceil(96000 + 6857.14) */
    b.c.rtime = (objr__adm_time){1, 7, OBJR__TIME_FRACTIONAL, 0};
    ck_assert_int_eq(next(&st, &b, 2.0, -1, &s), OBJR_OK);
    seg_eq(&s, 96000 + 6858, 96000 + 13715, 96000 + 13715); /* ceil(13714.29) = 13715 */
    ck_assert_double_eq_tol(s.ramp_origin, 96000 + 48000.0 / 7.0, 1e-6);
    ck_assert_double_eq_tol(s.ramp_length, 48000.0 / 7.0, 1e-6);
    /* the first sample of the ramp is just after the exact block start */
    double p0 = objr__interp_weight(&s, s.first_sample);
    ck_assert(p0 > 0.0 && p0 < 1.0 / 6857.0);
}
END_TEST

START_TEST(static_blocks) {
    objr__interp_state st;
    objr__interp_init(&st);
    objr__interp_seg s;
    objr__adm_block_objects b;
    memset(&b, 0, sizeof b);
    /* no rtime/duration: the whole object, open-ended when the object has no duration */
    ck_assert_int_eq(next(&st, &b, 1.5, -1, &s), OBJR_OK);
    seg_eq(&s, 72000, 72000, OBJR__INTERP_OPEN_END);
    /* a second block after an open-ended one overlaps it */
    ck_assert_int_eq(next(&st, &b, 1.5, -1, &s), OBJR_ERR_ADM);
    objr__interp_init(&st);
    ck_assert_int_eq(next(&st, &b, 1.5, 2.0, &s), OBJR_OK);
    seg_eq(&s, 72000, 72000, 168000);
}
END_TEST

/* The repairs of BS.2127's timing errors that the engine has always made (formats/adm_fix.c
 * reports them at intake): a block ending after its object is cut at the object's end, an
 * rtime without a duration lasts to the object's end, an interpolationLength longer than its
 * block ramps over the block. Overlaps are refused and leave the state untouched. */
START_TEST(timing_repairs_and_errors) {
    objr__interp_state st;
    objr__interp_init(&st);
    objr__interp_seg s;
    objr__adm_block_objects b = blk(800, 500); /* 0.8 .. 1.3 s, object ends at 1 s */
    ck_assert_int_eq(next(&st, &b, 0.0, 1.0, &s), OBJR_OK);
    seg_eq(&s, 38400, 38400, 48000);
    b = blk(1500, 100); /* after the object: affects nothing */
    ck_assert_int_eq(next(&st, &b, 0.0, 1.0, &s), OBJR_OK);
    seg_eq(&s, 72000, 72000, 72000);
    objr__interp_init(&st);
    b = blk(250, 0);
    b.c.has_duration = 0; /* rtime without duration: to the object's end */
    ck_assert_int_eq(next(&st, &b, 0.0, 1.0, &s), OBJR_OK);
    seg_eq(&s, 12000, 12000, 48000);
    ck_assert_int_eq(next(&st, &b, 0.0, -1, &s), OBJR_ERR_ADM); /* the first never ended */
    objr__interp_init(&st);
    b = blk(0, 500);
    ck_assert_int_eq(next(&st, &b, 0.0, 1.0, &s), OBJR_OK);
    b = blk(500, 100);
    b.jump_position = 1;
    b.has_interpolation_length = 1;
    b.interpolation_length_s = 0.3; /* longer than the 100 ms block: ramps over the block */
    ck_assert_int_eq(next(&st, &b, 0.0, 1.0, &s), OBJR_OK);
    seg_eq(&s, 24000, 28800, 28800);
    ck_assert_double_eq(s.ramp_length, 4800.0);
    b = blk(500, 100); /* overlaps the previous block */
    objr__interp_state keep = st;
    ck_assert_int_eq(next(&st, &b, 0.0, 1.0, &s), OBJR_ERR_ADM);
    ck_assert_mem_eq(&keep, &st, sizeof st);
    objr__interp_timeline tl = {0.0, 0.0, 0.0, 0}; /* no sample rate */
    ck_assert_int_eq(objr__interp_next(&st, &tl, &b.c, &b, &s), OBJR_ERR_INVALID_ARG);
    tl.rate_hz = RATE;
    tl.start_s = NAN;
    ck_assert_int_eq(objr__interp_next(&st, &tl, &b.c, &b, &s), OBJR_ERR_INVALID_ARG);
}
END_TEST

/* DirectSpeakers and HOA blocks (ramp NULL) hold their gains from their first sample, even
 * when contiguous; the timing is the same. */
START_TEST(blocks_without_ramps) {
    objr__interp_state st;
    objr__interp_init(&st);
    objr__interp_seg s;
    objr__interp_timeline tl = {RATE, 0.0, 0.0, 0};
    objr__adm_block_objects b = blk(0, 500);
    ck_assert_int_eq(objr__interp_next(&st, &tl, &b.c, NULL, &s), OBJR_OK);
    seg_eq(&s, 0, 0, 24000);
    b = blk(500, 500);
    ck_assert_int_eq(objr__interp_next(&st, &tl, &b.c, NULL, &s), OBJR_OK);
    seg_eq(&s, 24000, 24000, 48000);
}
END_TEST

/* Thousands of short blocks with fractional times (µs), gaps, zero-length blocks,
 * jumpPosition with fractional interpolation lengths, an object start off the sample grid and
 * an object end that cuts the last blocks (some after it out of order): the timing of each block
 * computed alone (objr__interp_block) is the one the walk over all blocks gives
 * (objr__interp_item), and a cursor finds for every frame, in order and after seeks to random
 * frames, the block whose sample range holds it (from a map of the walk's ranges, built frame by
 * frame); so does objr__interp_find from any hint. */
#define MANY_BLOCKS 3000
/* 1 when two timings are the same (field by field: padding may differ). */
static int same_seg(const objr__interp_seg *a, const objr__interp_seg *b) {
    return a->first_sample == b->first_sample && a->ramp_end_sample == b->ramp_end_sample &&
           a->last_sample == b->last_sample && a->ramp_from_previous == b->ramp_from_previous &&
           (!a->ramp_from_previous ||
            (a->ramp_origin == b->ramp_origin && a->ramp_length == b->ramp_length));
}

START_TEST(cursor_matches_walk) {
    objr__adm_block_objects *b = calloc(MANY_BLOCKS, sizeof *b);
    objr__interp_seg *walk = calloc(MANY_BLOCKS, sizeof *walk);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(walk);
    int64_t t_us = 0;
    for (size_t k = 0; k < MANY_BLOCKS; k++) {
        int64_t dur = 1000 + (int64_t)(k % 5) * 13; /* ~1 ms, off the 48 kHz grid */
        if (k % 11 == 10)
            dur = 0; /* affects no sample */
        b[k].c.has_rtime = b[k].c.has_duration = 1;
        b[k].c.rtime = (objr__adm_time){t_us, 1000000, OBJR__TIME_TIMECODE, 6};
        b[k].c.duration = (objr__adm_time){dur, 1000000, OBJR__TIME_TIMECODE, 6};
        if (k % 3 == 2) {
            b[k].jump_position = 1;
            b[k].has_interpolation_length = k % 6 == 2;
            b[k].interpolation_length_s = 0.000317;
        }
        t_us += dur + (k % 7 == 6 ? 211 : 0); /* a gap after every 7th */
    }
    objr__render_item it;
    memset(&it, 0, sizeof it);
    it.type = OBJR__TYPE_OBJECTS;
    it.obj_blocks = b, it.n_blocks = MANY_BLOCKS;
    it.start_s = 0.0100104; /* off the grid */
    /* the object ends before the last blocks; the last few, all after its end, even go back
     * in time (accepted: each starts after the previous one's end, cut to the object's) */
    const int64_t end_us = t_us * 98 / 100;
    it.has_duration = 1, it.duration_s = (double)end_us * 1e-6;
    for (size_t j = 0; j < 5; j++)
        b[MANY_BLOCKS - 5 + j].c.rtime.num = end_us + (int64_t)(5 - j) * 1000;
    ck_assert_int_eq(objr__interp_item(&it, RATE, walk, NULL), OBJR_OK);
    const int64_t n_frames = walk[MANY_BLOCKS - 1].last_sample + 100;
    long *owner = malloc((size_t)n_frames * sizeof *owner);
    ck_assert_ptr_nonnull(owner);
    for (int64_t f = 0; f < n_frames; f++)
        owner[f] = -1;
    size_t n_live = 0, n_ramps = 0;
    for (size_t k = 0; k < MANY_BLOCKS; k++) {
        objr__interp_seg g;
        const int live = objr__interp_block(&it, RATE, k, &g);
        ck_assert_msg(live == (walk[k].last_sample > walk[k].first_sample) &&
                          same_seg(&g, &walk[k]),
                      "block %zu", k);
        for (int64_t f = walk[k].first_sample; f < walk[k].last_sample; f++) {
            if (owner[f] != -1) /* blocks are disjoint */
                ck_abort_msg("frame %lld in blocks %ld and %zu", (long long)f, owner[f], k);
            owner[f] = (long)k;
        }
        n_live += walk[k].last_sample > walk[k].first_sample;
        n_ramps += (size_t)walk[k].ramp_from_previous;
    }
    ck_assert_uint_gt(n_live, MANY_BLOCKS / 2);
    ck_assert_uint_gt(n_ramps, MANY_BLOCKS / 2);
    ck_assert_int_eq(walk[MANY_BLOCKS - 1].last_sample, walk[MANY_BLOCKS - 1].first_sample);
    objr__interp_cursor cur;
    objr__interp_cursor_reset(&cur);
    uint32_t rng = 1;
    int64_t base = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int64_t q = 0; q < n_frames + 200; q++) {
            /* pass 0: every frame in order, from before the object; pass 1: a reset and a
             * random frame, the next frames in order, then one half as far without a reset */
            int64_t f = q - 200;
            if (pass == 1) {
                if (q % 8 == 0) {
                    rng = rng * 1664525u + 1013904223u;
                    base = (int64_t)(rng % (uint32_t)n_frames) - q;
                    if (q % 16)
                        objr__interp_cursor_seek(&cur); /* searches from where it was */
                    else
                        objr__interp_cursor_reset(&cur); /* from the first block */
                }
                f = q % 8 == 4 ? (q + base) / 2 : q + base;
            }
            size_t k = SIZE_MAX;
            const objr__interp_seg *g = NULL;
            const int found = objr__interp_cursor_at(&cur, &it, RATE, f, &k, &g);
            const long want = f >= 0 && f < n_frames ? owner[f] : -1;
            int ok = found == (want >= 0) && (!found || ((long)k == want && same_seg(g, &walk[k])));
            if (ok && q % 5 == 0) {
                objr__interp_seg h;
                /* from anywhere: no hint, the cursor's block, a random one */
                const size_t hint = q % 3 == 0 ? SIZE_MAX : q % 3 == 1 ? k : rng % MANY_BLOCKS;
                const size_t first_after = objr__interp_find(&it, RATE, f, hint, &h);
                ok = found == (first_after < MANY_BLOCKS && h.first_sample <= f) &&
                     (!found || first_after == k);
            }
            if (!ok)
                ck_abort_msg("pass %d frame %lld: block %ld, want %ld", pass, (long long)f,
                             found ? (long)k : -1L, want);
        }
    free(owner);
    free(walk);
    free(b);
}
END_TEST

static Suite *interp_suite(void) {
    Suite *s = suite_create("interp");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, whole_block_ramps_and_first_block_starts_at_its_gains);
    tcase_add_test(tc, jump_position);
    tcase_add_test(tc, gaps_and_zero_length_blocks);
    tcase_add_test(tc, fractional_times_and_object_start);
    tcase_add_test(tc, static_blocks);
    tcase_add_test(tc, timing_repairs_and_errors);
    tcase_add_test(tc, blocks_without_ramps);
    tcase_add_test(tc, cursor_matches_walk);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(interp_suite)
