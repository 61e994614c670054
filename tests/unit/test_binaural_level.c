/* SPDX-License-Identifier: BSD-3-Clause */
/* The binaural render's level against the 2.0 render of the same scene (BS.1770-4 integrated
 * loudness, both ears weighted 1 as the two stereo channels are): frontal point sources, a
 * 7.1.4 bed with its LFE, and diffuse objects, each within 1 LU with the diffuse-field
 * equaliser on and off; and the headroom that follows. */
#include "common/adm_xml.h"
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"

#define FS 48000
#define SECONDS 8
#define SKIP FS /* the first second: filters and reverb filling */
#define MAX_IN 16

/* Pink noise (-3 dB/octave, Kellet's three-pole approximation, within 0.5 dB from 10 Hz to
 * 20 kHz) at about -24 dBFS RMS: a music-like long-term spectrum. */
static void pink(objr_test_rng *g, float *x, size_t n) {
    double b0 = 0, b1 = 0, b2 = 0;
    for (size_t i = 0; i < n; i++) {
        double w = objr_test_rng_range(g, -1.0, 1.0);
        b0 = 0.99765 * b0 + w * 0.0990460;
        b1 = 0.96300 * b1 + w * 0.2965164;
        b2 = 0.57000 * b2 + w * 1.0526913;
        x[i] = (float)(0.03 * (b0 + b1 + b2 + w * 0.1848));
    }
}

typedef struct levels {
    double stereo_lufs, binaural_lufs, binaural_dbtp;
} levels;

static double lufs(float *const *ch, size_t n, double *tp) {
    objr_loudness_config c = objr_loudness_config_default();
    c.rate_hz = FS;
    c.n_channels = 2;
    objr_loudness_meter *m = NULL;
    ck_assert_int_eq(objr_loudness_meter_create(&c, &m), OBJR_OK);
    const float *p[2] = {ch[0] + SKIP, ch[1] + SKIP};
    ck_assert_int_eq(objr_loudness_meter_add_f32(m, p, n - SKIP), OBJR_OK);
    objr_loudness_result r;
    ck_assert_int_eq(objr_loudness_meter_get(m, &r), OBJR_OK);
    objr_loudness_meter_destroy(m);
    if (tp)
        *tp = r.true_peak_dbtp;
    return r.integrated_lufs;
}

/* The scene rendered to 2.0 and binaural by one renderer (outputs 0-1: 2.0, 2-3: ears). */
static levels render_levels(const objr_test_xml *x, int n_tracks, int eq, int mode) {
    static const char *const lay[2] = {"2.0", "binaural"};
    objr_renderer_config cfg = objr_renderer_config_default();
    cfg.binaural_diffuse_eq = eq;
    cfg.binaural_mode = mode;
    objr_renderer *r = objr_test_xml_renderer(x, &cfg, n_tracks, lay, 2);
    size_t n = (size_t)SECONDS * FS, ni = objr_renderer_input_count(r);
    ck_assert_uint_eq(objr_renderer_output_count(r), 4);
    ck_assert(ni <= MAX_IN);
    float *in[MAX_IN], *out[4];
    objr_test_rng g;
    objr_test_rng_init(&g);
    for (size_t i = 0; i < ni; i++) {
        in[i] = malloc(n * sizeof(float));
        pink(&g, in[i], n);
    }
    for (size_t c = 0; c < 4; c++)
        out[c] = calloc(n, sizeof(float));
    ck_assert_int_eq(objr_renderer_process(r, (const float *const *)in, out, n), OBJR_OK);
    levels lv;
    lv.stereo_lufs = lufs(out, n, NULL);
    lv.binaural_lufs = lufs(out + 2, n, &lv.binaural_dbtp);
    for (size_t i = 0; i < ni; i++)
        free(in[i]);
    for (size_t c = 0; c < 4; c++)
        free(out[c]);
    objr_renderer_destroy(r);
    return lv;
}

/* scene 0: three frontal point sources; 1: a 7.1.4 bed with LFE; 2: diffuse objects all round */
static int build_scene(int scene, objr_test_xml *x) {
    objr_test_xml_head(x);
    int n = 0;
    if (scene == 0) {
        static const double az[3] = {0.0, 15.0, -15.0};
        for (n = 0; n < 3; n++)
            objr_test_xml_object(x, n + 1, az[n], 0.0, 0.0);
    } else if (scene == 1) {
        objr_test_xml_bed_714(x, 1);
        n = 12;
    } else {
        static const double pos[6][2] = {{30, 0},   {-30, 0}, {110, 0},
                                         {-110, 0}, {0, 45},  {180, 30}};
        for (n = 0; n < 6; n++)
            objr_test_xml_object(x, n + 1, pos[n][0], pos[n][1], 1.0);
    }
    objr_test_xml_tail(x);
    return n;
}

static const char *const scene_name[3] = {"frontal point sources", "7.1.4 bed with LFE",
                                          "diffuse objects"};

/* Within 1 LU of the 2.0 render: default room (mid) and anechoic, equaliser on and off. */
START_TEST(binaural_loudness_matches_stereo) {
    int scene = _i / 4, eq = (_i / 2) % 2, dry = _i % 2;
    objr_test_xml x;
    int nt = build_scene(scene, &x);
    levels lv = render_levels(&x, nt, eq, dry ? OBJR_BINAURAL_MODE_DRY : 0);
    double d = lv.binaural_lufs - lv.stereo_lufs;
    fprintf(stderr,
            "%-22s eq %-3s %-4s: 2.0 %6.2f LUFS, binaural %6.2f LUFS (%+5.2f LU), %5.2f dBTP\n",
            scene_name[scene], eq ? "on" : "off", dry ? "dry" : "mid", lv.stereo_lufs,
            lv.binaural_lufs, d, lv.binaural_dbtp);
    ck_assert_msg(fabs(d) <= 1.0, "%s, eq %d, %s: binaural %+.2f LU against 2.0", scene_name[scene],
                  eq, dry ? "dry" : "mid", d);
}
END_TEST

static Suite *binaural_level_suite(void) {
    Suite *s = suite_create("binaural_level");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, binaural_loudness_matches_stereo, 0, 12);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(binaural_level_suite)
