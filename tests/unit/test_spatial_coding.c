/* SPDX-License-Identifier: BSD-3-Clause */
/* Spatial coding emulation (renderers/spatial_coding): with at least as many elements as active
 * sources the scene is reproduced exactly (every source its own element, at its own position,
 * also while it moves); the position error never grows as elements are added; sources are
 * never joined across a gap while closer sources stay apart (single linkage); the LFE keeps an
 * element of its own; an element whose sources regroup glides at most max_step per block. */
#include "common/test_common.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "renderers/spatial_coding.h"

#define N_RANDOM 40

static uint32_t lcg(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return *s;
}

static double uniform(uint32_t *s) {
    return (double)(lcg(s) >> 8) / 16777216.0;
}

/* N_RANDOM sources spread over the cube, powers over 40 dB. */
static void random_scene(objr__sc_source *src, uint32_t seed) {
    for (size_t s = 0; s < N_RANDOM; s++) {
        for (int i = 0; i < 3; i++)
            src[s].pos[i] = 2.0 * uniform(&seed) - 1.0;
        src[s].power = pow(10.0, -4.0 * uniform(&seed));
        src[s].lfe = 0;
    }
}

static objr__spatial_coding *make(size_t n_elements, size_t max_sources) {
    objr__sc_config c = objr__sc_config_default();
    c.n_elements = n_elements;
    objr__spatial_coding *sc = NULL;
    ck_assert_int_eq(objr__sc_create(&c, max_sources, &sc), OBJR_OK);
    return sc;
}

static double d3(const double *a, const double *b) {
    return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                (a[2] - b[2]) * (a[2] - b[2]));
}

START_TEST(enough_elements_reproduce_the_scene) {
    /* 4 objects, one LFE, one silent source: 5 active sources in 5 elements */
    objr__sc_source src[6] = {{{-1, 1, 0}, 0.1, 0},   {{1, 1, 0}, 0.01, 0},  {{0, -1, 1}, 0.5, 0},
                              {{-0.9, 1, 0}, 0.2, 0}, {{0, 1, -1}, 0.05, 1}, {{1, -1, 0}, 0.0, 0}};
    objr__spatial_coding *sc = make(5, 6);
    for (int block = 0; block < 20; block++) {
        /* the objects move faster than max_step per block: their own motion is reproduced */
        for (int s = 0; s < 4; s++)
            src[s].pos[0] = sin(0.9 * block + s);
        ck_assert_int_eq(objr__sc_block(sc, src, 6), OBJR_OK);
        int seen[5] = {0};
        for (size_t s = 0; s < 5; s++) {
            int e = objr__sc_assignment(sc, s);
            ck_assert_int_ge(e, 0);
            ck_assert_int_eq(seen[e], 0); /* one source per element */
            seen[e] = 1;
            double p[3];
            int lfe = -1;
            ck_assert(objr__sc_element(sc, (size_t)e, p, &lfe));
            ck_assert_double_eq(d3(p, src[s].pos), 0.0);
            ck_assert_int_eq(lfe, src[s].lfe);
        }
        ck_assert_int_eq(objr__sc_assignment(sc, 5), -1); /* silent: no element */
        ck_assert_double_eq(objr__sc_error(sc, src, 6), 0.0);
    }
    objr__sc_destroy(sc);
}
END_TEST

START_TEST(error_falls_as_elements_grow) {
    objr__sc_source src[N_RANDOM];
    for (uint32_t seed = 1; seed <= 5; seed++) {
        random_scene(src, seed);
        double prev = HUGE_VAL;
        for (size_t n = 1; n <= 32; n++) {
            objr__spatial_coding *sc = make(n, N_RANDOM);
            ck_assert_int_eq(objr__sc_block(sc, src, N_RANDOM), OBJR_OK);
            double err = objr__sc_error(sc, src, N_RANDOM);
            /* nested partitions with weighted centroids: splitting a cluster never adds error */
            ck_assert_msg(err <= prev + 1e-12, "seed %u: %zu elements err %g > %g with %zu", seed,
                          n, err, prev, n - 1);
            if (n == 1)
                ck_assert(err > 0.1); /* one element for sources all over the cube */
            prev = err;
            objr__sc_destroy(sc);
        }
    }
}
END_TEST

/* 1 when source @p a reaches @p b through sources of its own element, with steps of at most
 * @p max_d: the element is a connected component of the scene at that distance. */
static int connected(const objr__spatial_coding *sc, const objr__sc_source *src, size_t n, size_t a,
                     size_t b, double max_d) {
    int reach[N_RANDOM] = {0}, e = objr__sc_assignment(sc, a);
    reach[a] = 1;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n && reach[i]; j++)
                if (!reach[j] && objr__sc_assignment(sc, j) == e &&
                    d3(src[i].pos, src[j].pos) <= max_d) {
                    reach[j] = 1;
                    changed = 1;
                }
    }
    return reach[b];
}

START_TEST(far_sources_never_join_while_closer_ones_stay_apart) {
    /* two tight groups far apart: two elements keep them apart, whatever the powers */
    objr__sc_source g[6] = {{{-1, 1, 0}, 1.0, 0},    {{-0.95, 1, 0}, 1e-4, 0},
                            {{-1, 0.95, 0}, 0.5, 0}, {{1, -1, 0}, 1e-4, 0},
                            {{0.95, -1, 0}, 1.0, 0}, {{1, -0.95, 0.05}, 0.2, 0}};
    objr__spatial_coding *sc = make(2, 6);
    ck_assert_int_eq(objr__sc_block(sc, g, 6), OBJR_OK);
    for (size_t s = 1; s < 3; s++) {
        ck_assert_int_eq(objr__sc_assignment(sc, s), objr__sc_assignment(sc, 0));
        ck_assert_int_eq(objr__sc_assignment(sc, s + 3), objr__sc_assignment(sc, 3));
    }
    ck_assert_int_ne(objr__sc_assignment(sc, 0), objr__sc_assignment(sc, 3));
    objr__sc_destroy(sc);
    /* random scenes: the nearest two sources in different elements are at least as far apart
     * as any step inside an element (each element is connected through steps no longer) */
    objr__sc_source src[N_RANDOM];
    for (uint32_t seed = 11; seed <= 13; seed++) {
        random_scene(src, seed);
        for (size_t n = 2; n <= 16; n += 7) {
            sc = make(n, N_RANDOM);
            ck_assert_int_eq(objr__sc_block(sc, src, N_RANDOM), OBJR_OK);
            double gap = HUGE_VAL;
            for (size_t a = 0; a < N_RANDOM; a++)
                for (size_t b = a + 1; b < N_RANDOM; b++)
                    if (objr__sc_assignment(sc, a) != objr__sc_assignment(sc, b) &&
                        d3(src[a].pos, src[b].pos) < gap)
                        gap = d3(src[a].pos, src[b].pos);
            for (size_t a = 0; a < N_RANDOM; a++)
                for (size_t b = a + 1; b < N_RANDOM; b++)
                    if (objr__sc_assignment(sc, a) == objr__sc_assignment(sc, b))
                        ck_assert_msg(connected(sc, src, N_RANDOM, a, b, gap),
                                      "seed %u, %zu elements: %zu and %zu joined across a gap "
                                      "wider than %g",
                                      seed, n, a, b, gap);
            objr__sc_destroy(sc);
        }
    }
}
END_TEST

START_TEST(lfe_keeps_its_own_element) {
    /* the LFE at the same place as an object: still its own element, flagged */
    objr__sc_source src[4] = {
        {{0, 1, 0}, 0.1, 1}, {{0, 1, 0}, 0.1, 0}, {{0.1, 1, 0}, 0.1, 0}, {{-1, -1, 0}, 0.1, 0}};
    objr__spatial_coding *sc = make(2, 4);
    ck_assert_int_eq(objr__sc_block(sc, src, 4), OBJR_OK);
    int e = objr__sc_assignment(sc, 0);
    for (size_t s = 1; s < 4; s++)
        ck_assert_int_ne(objr__sc_assignment(sc, s), e);
    double p[3];
    int lfe = 0;
    ck_assert(objr__sc_element(sc, (size_t)e, p, &lfe));
    ck_assert_int_eq(lfe, 1);
    objr__sc_destroy(sc);
}
END_TEST

START_TEST(regrouped_element_glides) {
    objr__sc_source src[3] = {{{-1, 1, 0}, 0.1, 0}, {{1, 1, 0}, 0.1, 0}, {{1, -1, 0}, 0.0, 0}};
    objr__sc_config c = objr__sc_config_default();
    c.n_elements = 2;
    objr__spatial_coding *sc = NULL;
    ck_assert_int_eq(objr__sc_create(&c, 3, &sc), OBJR_OK);
    ck_assert_int_eq(objr__sc_block(sc, src, 3), OBJR_OK);
    int ea = objr__sc_assignment(sc, 0);
    double before[3], now[3];
    ck_assert(objr__sc_element(sc, (size_t)ea, before, NULL));
    /* a third source enters: the two front sources share one element, whose centroid (0, 1, 0)
     * is 1 away from where the element was; it gets there in steps of max_step */
    src[2].power = 0.1;
    for (int block = 0; block < 8; block++) {
        ck_assert_int_eq(objr__sc_block(sc, src, 3), OBJR_OK);
        ck_assert_int_eq(objr__sc_assignment(sc, 0), objr__sc_assignment(sc, 1));
        ck_assert(objr__sc_element(sc, (size_t)objr__sc_assignment(sc, 0), now, NULL));
        ck_assert(d3(now, before) <= c.max_step + 1e-12);
        memcpy(before, now, sizeof now);
    }
    const double centroid[3] = {0, 1, 0};
    ck_assert_double_eq_tol(d3(now, centroid), 0.0, 1e-12);
    objr__sc_destroy(sc);
}
END_TEST

START_TEST(bad_arguments) {
    objr__sc_config c = objr__sc_config_default();
    objr__spatial_coding *sc = NULL;
    c.n_elements = 0;
    ck_assert_int_eq(objr__sc_create(&c, 4, &sc), OBJR_ERR_INVALID_ARG);
    c.n_elements = OBJR__SC_MAX_ELEMENTS + 1;
    ck_assert_int_eq(objr__sc_create(&c, 4, &sc), OBJR_ERR_INVALID_ARG);
    c = objr__sc_config_default();
    c.max_step = NAN;
    ck_assert_int_eq(objr__sc_create(&c, 4, &sc), OBJR_ERR_INVALID_ARG);
    ck_assert_ptr_null(sc);
    c = objr__sc_config_default();
    ck_assert_int_eq(objr__sc_create(&c, 2, &sc), OBJR_OK);
    objr__sc_source src[3] = {{{NAN, 0, 0}, 1, 0}, {{0, 0, 0}, 1, 0}, {{0, 0, 0}, 1, 0}};
    ck_assert_int_eq(objr__sc_block(sc, src, 2), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr__sc_block(sc, src + 1, 3), OBJR_ERR_INVALID_ARG);
    objr__sc_destroy(sc);
}
END_TEST

static Suite *spatial_coding_suite(void) {
    Suite *s = suite_create("spatial_coding");
    TCase *tc = tcase_create("spatial_coding");
    tcase_add_test(tc, enough_elements_reproduce_the_scene);
    tcase_add_test(tc, error_falls_as_elements_grow);
    tcase_add_test(tc, far_sources_never_join_while_closer_ones_stay_apart);
    tcase_add_test(tc, lfe_keeps_its_own_element);
    tcase_add_test(tc, regrouped_element_glides);
    tcase_add_test(tc, bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(spatial_coding_suite)
