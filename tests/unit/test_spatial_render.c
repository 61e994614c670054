/* SPDX-License-Identifier: BSD-3-Clause */
/* Spatial coding through the public renderer (objr_renderer_config.spatial_coding_elements):
 * with as many elements as sources the output is bit-identical to the plain render (objects
 * with extent included); with fewer, a far source keeps its speaker while a close pair merges,
 * the output power of uncorrelated sources stays that of the plain render, and nothing clicks
 * at frame boundaries. */
#include "common/test_common.h"
#include "common/xml_builder.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"

#define RATE 48000
#define N_FRAMES 48000 /* 1 s: 47 analysis frames */

typedef struct obj {
    double az0, az1; /* azimuth at the start and end (8 blocks of 125 ms) */
    double width_deg;
} obj;

/* One Objects object per track. */
static void scene(objr_test_xml *b, const obj *o, int n) {
    objr_test_xml_head(b);
    for (int i = 1; i <= n; i++) {
        objr_test_xml_ap(b,
                         "<audioObject audioObjectID=\"AO_%04X\">"
                         "<audioPackFormatIDRef>AP_0003%04X</audioPackFormatIDRef>"
                         "<audioTrackUIDRef>ATU_%08X</audioTrackUIDRef></audioObject>\n"
                         "<audioPackFormat audioPackFormatID=\"AP_0003%04X\" typeLabel=\"0003\" "
                         "typeDefinition=\"Objects\"><audioChannelFormatIDRef>AC_0003%04X"
                         "</audioChannelFormatIDRef></audioPackFormat>\n"
                         "<audioChannelFormat audioChannelFormatID=\"AC_0003%04X\" "
                         "typeLabel=\"0003\" typeDefinition=\"Objects\">\n",
                         0x1000 + i, 0x1000 + i, i, 0x1000 + i, 0x1000 + i, 0x1000 + i);
        for (int k = 0; k < 8; k++) {
            double az = o[i - 1].az0 + (o[i - 1].az1 - o[i - 1].az0) * k / 7.0;
            objr_test_xml_ap(b,
                             "<audioBlockFormat audioBlockFormatID=\"AB_0003%04X_%08X\" "
                             "rtime=\"00:00:00.%05dS48000\" duration=\"00:00:00.06000S48000\">"
                             "<position coordinate=\"azimuth\">%.9g</position>"
                             "<position coordinate=\"elevation\">0</position>"
                             "<width>%g</width></audioBlockFormat>\n",
                             0x1000 + i, k + 1, k * 6000, az, o[i - 1].width_deg);
        }
        objr_test_xml_ap(b, "</audioChannelFormat>\n");
        char ac[32], ap[32];
        snprintf(ac, sizeof ac, "AC_0003%04X", 0x1000 + i);
        snprintf(ap, sizeof ap, "AP_0003%04X", 0x1000 + i);
        objr_test_xml_track_uid(b, i, ac, ap);
    }
    objr_test_xml_tail(b);
}

/* Render the scene's n tracks of noise (seeded; one independent stream per track) with
 * spatial coding of `ne` elements (0 = off) to 7.1.4; returns out[12][N_FRAMES]. */
static float **render(const objr_test_xml *b, int n, size_t ne, float *const *in) {
    objr_bwf_chna_entry e[16];
    memset(e, 0, sizeof e);
    for (int i = 0; i < n; i++) {
        e[i].track_index = (uint16_t)(i + 1);
        snprintf(e[i].uid, sizeof e[i].uid, "ATU_%08X", i + 1);
    }
    objr_renderer_config c = objr_renderer_config_default();
    c.spatial_coding_elements = ne;
    c.max_block_frames = 700; /* not a divisor of the 1024-sample frame: pieces get split */
    const char *l714[] = {"7.1.4"};
    objr_renderer *r = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st =
        objr_renderer_create(&c, b->s, b->n, e, (size_t)n, (uint32_t)n, RATE, l714, 1, &d, &r);
    ck_assert_msg(st == OBJR_OK, "create: %s", d.message);
    float **out = calloc(12, sizeof *out);
    for (int ch = 0; ch < 12; ch++)
        out[ch] = calloc(N_FRAMES, sizeof(float));
    ck_assert_int_eq(objr_renderer_process(r, (const float *const *)in, out, N_FRAMES), OBJR_OK);
    objr_renderer_destroy(r);
    return out;
}

static float **noise_inputs(int n) {
    objr_test_rng g;
    objr_test_rng_init(&g);
    float **in = calloc((size_t)n, sizeof *in);
    for (int i = 0; i < n; i++) {
        in[i] = malloc(N_FRAMES * sizeof(float));
        objr_test_noise(&g, in[i], N_FRAMES, 0.1);
    }
    return in;
}

static void free_chans(float **x, int n) {
    for (int i = 0; i < n; i++)
        free(x[i]);
    free(x);
}

static double power(float **o, int ch, size_t from) {
    double s = 0;
    for (size_t i = from; i < N_FRAMES; i++)
        s += (double)o[ch][i] * o[ch][i];
    return s / (double)(N_FRAMES - from);
}

START_TEST(enough_elements_bit_identical) {
    /* moving objects, one with extent: the engine renders each as itself */
    const obj o[5] = {{30, 60, 0}, {-30, -90, 0}, {0, 0, 40}, {110, 150, 0}, {-135, -135, 0}};
    objr_test_xml b;
    scene(&b, o, 5);
    float **in = noise_inputs(5);
    float **plain = render(&b, 5, 0, in);
    const size_t ns[] = {5, 16, 64};
    for (size_t t = 0; t < 3; t++) {
        float **sc = render(&b, 5, ns[t], in);
        for (int ch = 0; ch < 12; ch++)
            ck_assert_msg(memcmp(plain[ch], sc[ch], N_FRAMES * sizeof(float)) == 0,
                          "N=%zu: channel %d differs", ns[t], ch);
        free_chans(sc, 12);
    }
    free_chans(plain, 12);
    free_chans(in, 5);
    objr_test_xml_free(&b);
}
END_TEST

START_TEST(clustered_far_source_kept_power_kept_no_clicks) {
    /* two close objects near M+030 and one at M-135 (BR, file channel 5), 2 elements: the
     * close pair shares one, the far one keeps its own and plays on BR alone */
    const obj o[3] = {{30, 30, 0}, {40, 40, 0}, {-135, -135, 0}};
    objr_test_xml b;
    scene(&b, o, 3);
    float **in = noise_inputs(3);
    float **plain = render(&b, 3, 0, in);
    float **sc = render(&b, 3, 2, in);
    const size_t settle = 4096; /* after the first frames' onset */
    for (size_t i = settle; i < N_FRAMES; i++)
        ck_assert_msg(sc[5][i] == plain[5][i], "BR differs at %zu", i);
    double p_plain = 0, p_sc = 0;
    for (int ch = 0; ch < 12; ch++) {
        p_plain += power(plain, ch, settle);
        p_sc += power(sc, ch, settle);
    }
    /* uncorrelated sources: the energy-preserving matrix keeps the power (noise: +-0.2 dB) */
    ck_assert_msg(fabs(10 * log10(p_sc / p_plain)) < 0.2, "power %+.2f dB",
                  10 * log10(p_sc / p_plain));
    /* the pair really merged: FL now carries the object at 40 deg partly, so it differs */
    int fl_differs = 0;
    for (size_t i = settle; i < N_FRAMES && !fl_differs; i++)
        fl_differs = sc[0][i] != plain[0][i];
    ck_assert(fl_differs);
    free_chans(sc, 12);
    free_chans(plain, 12);
    /* no clicks: constant inputs give outputs whose sample-to-sample change stays small */
    for (int i = 0; i < 3; i++)
        for (size_t k = 0; k < N_FRAMES; k++)
            in[i][k] = 0.1f * (float)(i + 1);
    sc = render(&b, 3, 2, in);
    double max_step = 0;
    for (int ch = 0; ch < 12; ch++)
        for (size_t k = 1; k < N_FRAMES; k++) {
            double dlt = fabs((double)sc[ch][k] - sc[ch][k - 1]);
            max_step = dlt > max_step ? dlt : max_step;
        }
    /* a jump of a whole gain (0.3) would be a click; ramps over >= 1024 samples keep each step
     * below 0.3 / 1024 x a few */
    ck_assert_msg(max_step < 1e-3, "largest step %g", max_step);
    free_chans(sc, 12);
    free_chans(in, 3);
    objr_test_xml_free(&b);
}
END_TEST

START_TEST(refused_with_binaural_and_bad_counts) {
    const obj o[1] = {{0, 0, 0}};
    objr_test_xml b;
    scene(&b, o, 1);
    objr_bwf_chna_entry e[1];
    memset(e, 0, sizeof e);
    e[0].track_index = 1;
    snprintf(e[0].uid, sizeof e[0].uid, "ATU_%08X", 1);
    objr_renderer_config c = objr_renderer_config_default();
    objr_renderer *r = NULL;
    objr_diag d;
    const char *bin[] = {"binaural"}, *l714[] = {"7.1.4"};
    c.spatial_coding_elements = 12;
    ck_assert_int_eq(objr_renderer_create(&c, b.s, b.n, e, 1, 1, RATE, bin, 1, &d, &r),
                     OBJR_ERR_UNSUPPORTED);
    ck_assert_ptr_null(r);
    c.spatial_coding_elements = 65;
    ck_assert_int_eq(objr_renderer_create(&c, b.s, b.n, e, 1, 1, RATE, l714, 1, &d, &r),
                     OBJR_ERR_INVALID_ARG);
    ck_assert_ptr_null(r);
    objr_test_xml_free(&b);
}
END_TEST

static Suite *spatial_render_suite(void) {
    Suite *s = suite_create("spatial_render");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, enough_elements_bit_identical);
    tcase_add_test(tc, clustered_far_source_kept_power_kept_no_clicks);
    tcase_add_test(tc, refused_with_binaural_and_bad_counts);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(spatial_render_suite)
