/* SPDX-License-Identifier: BSD-3-Clause */
/* The public renderer (objr_render.h) on real layouts, from first principles: an object on a
 * speaker plays only from that speaker; gains are power-normalised and left/right symmetric;
 * each channel of a 7.1.4 bed lands on its own speaker in the WAV mask order; LFE only to
 * LFE; an object moving across a speaker pair has no discontinuity; HOA is refused, never
 * dropped; unknown layouts are errors. */
#include "common/test_common.h"
#include "common/xml_builder.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"
#include "src/core/core.h"

#define OBJR_TEST_PI 3.14159265358979323846

/* One Objects object on track 1 with n_blocks blocks of `block_s` seconds, azimuth from
 * az0 to az1 (linear over the blocks). */
static void moving_object(objr_test_xml *b, int n_blocks, double block_s, double az0, double az1) {
    objr_test_xml_ap(b,
                     "<audioObject audioObjectID=\"AO_1001\">"
                     "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
                     "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n"
                     "<audioPackFormat audioPackFormatID=\"AP_00031001\" typeLabel=\"0003\" "
                     "typeDefinition=\"Objects\"><audioChannelFormatIDRef>AC_00031001"
                     "</audioChannelFormatIDRef></audioPackFormat>\n"
                     "<audioChannelFormat audioChannelFormatID=\"AC_00031001\" typeLabel=\"0003\" "
                     "typeDefinition=\"Objects\">\n");
    for (int k = 0; k < n_blocks; k++) {
        double az = n_blocks > 1 ? az0 + (az1 - az0) * k / (n_blocks - 1) : az0;
        long r = lround(k * block_s * 48000.0), d = lround(block_s * 48000.0);
        objr_test_xml_ap(b,
                         "<audioBlockFormat audioBlockFormatID=\"AB_00031001_%08X\" "
                         "rtime=\"00:00:%02ld.%ldS48000\" duration=\"00:00:%02ld.%ldS48000\">"
                         "<position coordinate=\"azimuth\">%.9g</position>"
                         "<position coordinate=\"elevation\">0</position></audioBlockFormat>\n",
                         k + 1, r / 48000, r % 48000, d / 48000, d % 48000, az);
    }
    objr_test_xml_ap(b, "</audioChannelFormat>\n");
    objr_test_xml_track_uid(b, 1, "AC_00031001", "AP_00031001");
}

static objr_renderer *make(objr_test_xml *b, int n_tracks, const char *const *layouts,
                           size_t n_layouts, objr_status want, objr_diag *d) {
    objr_bwf_chna_entry e[16];
    memset(e, 0, sizeof e);
    for (int i = 0; i < n_tracks; i++) {
        e[i].track_index = (uint16_t)(i + 1);
        snprintf(e[i].uid, sizeof e[i].uid, "ATU_%08X", i + 1);
    }
    objr_renderer *r = NULL;
    objr_diag local;
    if (!d)
        d = &local;
    objr_diag_clear(d);
    objr_status st = objr_renderer_create(NULL, b->s, b->n, e, (size_t)n_tracks, (uint32_t)n_tracks,
                                          48000, layouts, n_layouts, d, &r);
    ck_assert_msg(st == want, "create: %s: %s", objr_strerror(st), d->message);
    return r;
}

/* Render n frames of constant inputs (value v[i] on input i) into out[c][n]. */
static float **render_const(objr_renderer *r, const float *v, size_t n) {
    size_t ni = objr_renderer_input_count(r), no = objr_renderer_output_count(r);
    float **in = calloc(ni, sizeof(float *)), **out = calloc(no, sizeof(float *));
    for (size_t i = 0; i < ni; i++) {
        in[i] = malloc(n * sizeof(float));
        for (size_t k = 0; k < n; k++)
            in[i][k] = v[i];
    }
    for (size_t c = 0; c < no; c++)
        out[c] = calloc(n, sizeof(float));
    ck_assert_int_eq(objr_renderer_process(r, (const float *const *)in, out, n), OBJR_OK);
    for (size_t i = 0; i < ni; i++)
        free(in[i]);
    free(in);
    return out;
}

static void free_out(float **o, size_t n) {
    for (size_t c = 0; c < n; c++)
        free(o[c]);
    free(o);
}

static const char *const l714[] = {"7.1.4"};

/* An object at a loudspeaker position plays from that loudspeaker alone at unit gain. */
START_TEST(object_on_speaker) {
    static const struct {
        double az, el;
        size_t ch; /* 7.1.4 file order */
    } cases[] = {{30, 0, 0},  {-30, 0, 1}, {0, 0, 2},     {135, 0, 4},
                 {-90, 0, 7}, {45, 30, 8}, {-135, 30, 11}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        objr_test_xml b;
        objr_test_xml_head(&b);
        moving_object(&b, 1, 1.0, cases[k].az, cases[k].az);
        /* elevation */
        char *p = strstr(b.s, "<position coordinate=\"elevation\">0</position>");
        ck_assert_ptr_nonnull(p);
        char tailbuf[65536];
        snprintf(tailbuf, sizeof tailbuf, "%s",
                 p + strlen("<position coordinate=\"elevation\">0</position>"));
        b.n = (size_t)(p - b.s);
        objr_test_xml_ap(&b, "<position coordinate=\"elevation\">%g</position>%s", cases[k].el,
                         tailbuf);
        objr_test_xml_tail(&b);
        objr_renderer *r = make(&b, 1, l714, 1, OBJR_OK, NULL);
        ck_assert_uint_eq(objr_renderer_output_count(r), 12);
        float one = 1.0f;
        float **o = render_const(r, &one, 256);
        for (size_t c = 0; c < 12; c++)
            for (size_t i = 0; i < 256; i++)
                ck_assert_msg(fabsf(o[c][i] - (c == cases[k].ch ? 1.0f : 0.0f)) < 1e-5f,
                              "az %g el %g: ch %zu = %g", cases[k].az, cases[k].el, c,
                              (double)o[c][i]);
        free_out(o, 12);
        objr_renderer_destroy(r);
    }
}
END_TEST

/* Anywhere on the sphere: power sums to 1 (BS.2127 point-source panner); mirrored azimuths give
 * mirrored gains (left/right symmetry of 7.1.4). */
START_TEST(power_and_symmetry) {
    static const size_t mirror[12] = {1, 0, 2, 3, 5, 4, 7, 6, 9, 8, 11, 10};
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    for (int k = 0; k < 12; k++) {
        double az = objr_test_rng_range(&rng, -180, 180);
        float g[2][12];
        for (int side = 0; side < 2; side++) {
            objr_test_xml b;
            objr_test_xml_head(&b);
            moving_object(&b, 1, 1.0, side ? -az : az, side ? -az : az);
            objr_test_xml_tail(&b);
            objr_renderer *r = make(&b, 1, l714, 1, OBJR_OK, NULL);
            float one = 1.0f;
            float **o = render_const(r, &one, 16);
            for (int c = 0; c < 12; c++)
                g[side][c] = o[c][8];
            free_out(o, 12);
            objr_renderer_destroy(r);
        }
        double p = 0;
        for (int c = 0; c < 12; c++)
            p += (double)g[0][c] * g[0][c];
        ck_assert_msg(fabs(p - 1.0) < 1e-4, "az %g: power %g", az, p);
        ck_assert_float_eq(g[0][3], 0.0f); /* never the LFE */
        for (int c = 0; c < 12; c++)
            ck_assert_msg(fabsf(g[0][c] - g[1][mirror[c]]) < 1e-5f, "az %g ch %d", az, c);
    }
}
END_TEST

/* The 7.1.4 bed in BS.2051 order, each channel on its own track. */
static const char *const bed_labels[12] = {"M+030", "M-030", "M+000", "LFE1",  "M+090", "M-090",
                                           "M+135", "M-135", "U+045", "U-045", "U+135", "U-135"};
static const double bed_pos[12][2] = {{30, 0},  {-30, 0},  {0, 0},    {0, -30},
                                      {90, 0},  {-90, 0},  {135, 0},  {-135, 0},
                                      {45, 30}, {-45, 30}, {135, 30}, {-135, 30}};

static void bed(objr_test_xml *b) {
    objr_test_xml_ap(b, "<audioObject audioObjectID=\"AO_1001\">"
                        "<audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef>");
    for (int i = 0; i < 12; i++)
        objr_test_xml_ap(b, "<audioTrackUIDRef>ATU_%08X</audioTrackUIDRef>", i + 1);
    objr_test_xml_ap(
        b, "</audioObject>\n<audioPackFormat audioPackFormatID=\"AP_00011001\" typeLabel=\"0001\" "
           "typeDefinition=\"DirectSpeakers\">");
    for (int i = 0; i < 12; i++)
        objr_test_xml_ap(b, "<audioChannelFormatIDRef>AC_000110%02X</audioChannelFormatIDRef>",
                         i + 1);
    objr_test_xml_ap(b, "</audioPackFormat>\n");
    for (int i = 0; i < 12; i++) {
        objr_test_xml_ap(
            b,
            "<audioChannelFormat audioChannelFormatID=\"AC_000110%02X\" typeLabel=\"0001\" "
            "typeDefinition=\"DirectSpeakers\">%s"
            "<audioBlockFormat audioBlockFormatID=\"AB_000110%02X_00000001\">"
            "<speakerLabel>urn:itu:bs:2051:0:speaker:%s</speakerLabel>"
            "<position coordinate=\"azimuth\">%g</position>"
            "<position coordinate=\"elevation\">%g</position></audioBlockFormat>"
            "</audioChannelFormat>\n",
            i + 1, i == 3 ? "<frequency typeDefinition=\"lowPass\">120</frequency>" : "", i + 1,
            bed_labels[i], bed_pos[i][0], bed_pos[i][1]);
        char ac[16];
        snprintf(ac, sizeof ac, "AC_000110%02X", i + 1);
        objr_test_xml_track_uid(b, i + 1, ac, "AP_00011001");
    }
}

/* Each bed channel lands on its own speaker, in the mask order FL FR FC LFE BL BR SL SR TFL
 * TFR TBL TBR; output labels say so. */
START_TEST(bed_714_lands_in_mask_order) {
    static const char *const file_order[12] = {"M+030", "M-030", "M+000", "LFE1",
                                               "M+135", "M-135", "M+090", "M-090",
                                               "U+045", "U-045", "U+135", "U-135"};
    objr_test_xml b;
    objr_test_xml_head(&b);
    bed(&b);
    objr_test_xml_tail(&b);
    objr_renderer *r = make(&b, 12, l714, 1, OBJR_OK, NULL);
    ck_assert_uint_eq(objr_renderer_input_count(r), 12);
    const char *name;
    size_t first, n;
    uint32_t mask;
    ck_assert_int_eq(objr_renderer_layout_info(r, 0, &name, &first, &n, &mask), OBJR_OK);
    ck_assert_uint_eq(n, 12);
    ck_assert_uint_eq(mask, 0x2D63F); /* FL FR FC LFE BL BR SL SR TFL TFR TBL TBR */
    float v[12];
    for (int i = 0; i < 12; i++)
        v[i] = (float)(i + 1);
    float **o = render_const(r, v, 64);
    for (int c = 0; c < 12; c++) {
        ck_assert_str_eq(objr_renderer_channel_label(r, (size_t)c), file_order[c]);
        int src = -1;
        for (int i = 0; i < 12; i++)
            if (strcmp(bed_labels[i], file_order[c]) == 0)
                src = i;
        ck_assert_msg(fabsf(o[c][10] - v[src]) < 1e-5f, "channel %s got %g, want %g", file_order[c],
                      (double)o[c][10], (double)v[src]);
    }
    free_out(o, 12);
    objr_renderer_destroy(r);
}
END_TEST

/* LFE only to LFE: with only the LFE track active, a 7.1.4 render has signal on its LFE alone
 * and a 2.0 render (no LFE speaker) stays silent; the full-range channels never reach the
 * LFE. */
START_TEST(lfe_only_to_lfe) {
    static const char *const two[] = {"7.1.4", "2.0", "5.1"};
    objr_test_xml b;
    objr_test_xml_head(&b);
    bed(&b);
    objr_test_xml_tail(&b);
    objr_renderer *r = make(&b, 12, two, 3, OBJR_OK, NULL);
    ck_assert_uint_eq(objr_renderer_output_count(r), 12 + 2 + 6);
    float v[12] = {0};
    v[3] = 1.0f;
    float **o = render_const(r, v, 64);
    for (size_t c = 0; c < 20; c++) {
        const char *lab = objr_renderer_channel_label(r, c);
        float want = strncmp(lab, "LFE", 3) == 0 ? 1.0f : 0.0f;
        ck_assert_msg(fabsf(o[c][5] - want) < 1e-6f, "out %zu (%s) = %g", c, lab, (double)o[c][5]);
    }
    free_out(o, 20);
    for (int i = 0; i < 12; i++)
        v[i] = i == 3 ? 0.0f : 1.0f;
    o = render_const(r, v, 64);
    ck_assert_float_eq(o[3][5], 0.0f);  /* 7.1.4 LFE */
    ck_assert_float_eq(o[17][5], 0.0f); /* 5.1 LFE */
    free_out(o, 20);
    objr_renderer_destroy(r);
}
END_TEST

/* An object moving from M+030 to M-030 in 10 ms blocks over 1 s: a constant input gives
 * outputs whose sample-to-sample change stays at the scale of one block's gain change spread
 * over the block (no click, no step at block boundaries). */
START_TEST(moving_object_no_discontinuity) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    moving_object(&b, 100, 0.01, 30.0, -30.0);
    objr_test_xml_tail(&b);
    objr_renderer *r = make(&b, 1, l714, 1, OBJR_OK, NULL);
    float one = 1.0f;
    float **o = render_const(r, &one, 48000);
    double max_step = 0, max_at_boundary = 0;
    for (int c = 0; c < 12; c++)
        for (size_t i = 1; i < 48000; i++) {
            double d = fabs((double)o[c][i] - o[c][i - 1]);
            if (d > max_step)
                max_step = d;
            if (i % 480 == 0 && d > max_at_boundary)
                max_at_boundary = d;
        }
    /* A step of a whole block's change would be ~0.03; ramps spread it over 480 samples. */
    ck_assert_msg(max_step < 2e-4, "largest sample-to-sample change %g", max_step);
    ck_assert(max_at_boundary < 2e-4);
    /* It really moved: starts at FL, ends (after the ramp into the last block) at FR. */
    ck_assert(o[0][100] > 0.99f && o[1][47999] > 0.99f);
    free_out(o, 12);
    objr_renderer_destroy(r);
}
END_TEST

/* A first-order (SN3D, ACN) HOA plane wave from M+030 is decoded (BS.2127-1 §9 AllRAD) with
 * its largest gain on M+030, mirrored from M-030, and nothing on the LFE. */
static void hoa_scene(objr_test_xml *b) {
    objr_test_xml_ap(b, "<audioObject audioObjectID=\"AO_1001\">"
                        "<audioPackFormatIDRef>AP_00041001</audioPackFormatIDRef>");
    for (int c = 0; c < 4; c++)
        objr_test_xml_ap(b, "<audioTrackUIDRef>ATU_%08X</audioTrackUIDRef>", c + 1);
    objr_test_xml_ap(
        b, "</audioObject>\n<audioPackFormat audioPackFormatID=\"AP_00041001\" typeLabel=\"0004\" "
           "typeDefinition=\"HOA\">");
    for (int c = 0; c < 4; c++)
        objr_test_xml_ap(b, "<audioChannelFormatIDRef>AC_0004100%d</audioChannelFormatIDRef>",
                         c + 1);
    objr_test_xml_ap(b, "</audioPackFormat>\n");
    static const int order[4] = {0, 1, 1, 1}, degree[4] = {0, -1, 0, 1};
    for (int c = 0; c < 4; c++) {
        objr_test_xml_ap(
            b,
            "<audioChannelFormat audioChannelFormatID=\"AC_0004100%d\" typeLabel=\"0004\" "
            "typeDefinition=\"HOA\"><audioBlockFormat audioBlockFormatID=\"AB_0004100%d_00000001\">"
            "<order>%d</order><degree>%d</degree><normalization>SN3D</normalization>"
            "</audioBlockFormat></audioChannelFormat>\n",
            c + 1, c + 1, order[c], degree[c]);
        char ac[16];
        snprintf(ac, sizeof ac, "AC_0004100%d", c + 1);
        objr_test_xml_track_uid(b, c + 1, ac, "AP_00041001");
    }
}

START_TEST(hoa_plane_wave) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    hoa_scene(&b);
    objr_test_xml_tail(&b);
    objr_renderer *r = make(&b, 4, l714, 1, OBJR_OK, NULL);
    float g[2][12];
    for (int side = 0; side < 2; side++) {
        double az = (side ? -30.0 : 30.0) * OBJR_TEST_PI / 180.0;
        /* ACN/SN3D: W, Y (left), Z, X (front). */
        float v[4] = {1.0f, (float)sin(az), 0.0f, (float)cos(az)};
        objr_renderer_seek(r, 0);
        float **o = render_const(r, v, 16);
        for (int c = 0; c < 12; c++)
            g[side][c] = o[c][8];
        free_out(o, 12);
    }
    int best = 0;
    for (int c = 1; c < 12; c++)
        if (g[0][c] > g[0][best])
            best = c;
    ck_assert_int_eq(best, 0); /* M+030 */
    ck_assert_float_eq(g[0][3], 0.0f);
    static const int mirror[12] = {1, 0, 2, 3, 5, 4, 7, 6, 9, 8, 11, 10};
    for (int c = 0; c < 12; c++)
        ck_assert_msg(fabsf(g[0][c] - g[1][mirror[c]]) < 1e-4f, "ch %d: %g vs %g", c,
                      (double)g[0][c], (double)g[1][mirror[c]]);
    objr_renderer_destroy(r);
}
END_TEST

/* Binaural content cannot be rendered to loudspeakers: refused with a message naming its
 * channel format, never dropped. */
START_TEST(binaural_refused) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    objr_test_xml_ap(&b,
                     "<audioObject audioObjectID=\"AO_1001\">"
                     "<audioPackFormatIDRef>AP_00050001</audioPackFormatIDRef>"
                     "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n"
                     "<audioPackFormat audioPackFormatID=\"AP_00050001\" typeLabel=\"0005\" "
                     "typeDefinition=\"Binaural\"><audioChannelFormatIDRef>AC_00050001"
                     "</audioChannelFormatIDRef></audioPackFormat>\n"
                     "<audioChannelFormat audioChannelFormatID=\"AC_00050001\" typeLabel=\"0005\" "
                     "typeDefinition=\"Binaural\"><audioBlockFormat "
                     "audioBlockFormatID=\"AB_00050001_00000001\"/>"
                     "</audioChannelFormat>\n");
    objr_test_xml_track_uid(&b, 1, "AC_00050001", "AP_00050001");
    objr_test_xml_tail(&b);
    objr_diag d;
    objr_renderer *r = make(&b, 1, l714, 1, OBJR_ERR_UNSUPPORTED, &d);
    ck_assert_ptr_null(r);
    ck_assert(strstr(d.message, "Binaural") != NULL);
    ck_assert(strstr(d.message, "AC_00050001") != NULL);
}
END_TEST

START_TEST(unknown_layout) {
    static const char *const bad[] = {"7.1.4", "11.3.7"};
    objr_test_xml b;
    objr_test_xml_head(&b);
    moving_object(&b, 1, 1.0, 0, 0);
    objr_test_xml_tail(&b);
    objr_diag d;
    objr_renderer *r = make(&b, 1, bad, 2, OBJR_ERR_LAYOUT, &d);
    ck_assert_ptr_null(r);
    ck_assert(strstr(d.message, "11.3.7") != NULL);
}
END_TEST

/* A half-diffuse object: the renderer reports the decorrelators' delay (BS.2127: 512 taps,
 * (512 - 1) / 2 = 255 samples), delays the direct path by exactly that, and splits the power
 * evenly between the direct and decorrelated parts, on the object's speaker only. */
START_TEST(diffuse_latency_reported) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    moving_object(&b, 1, 1.0, 30.0, 30.0);
    char *p = strstr(b.s, "<position coordinate=\"elevation\">0</position>");
    ck_assert_ptr_nonnull(p);
    static char rest[65536];
    snprintf(rest, sizeof rest, "%s", p);
    b.n = (size_t)(p - b.s);
    objr_test_xml_ap(&b, "<diffuse>0.5</diffuse>%s", rest);
    objr_test_xml_tail(&b);
    objr_renderer *r = make(&b, 1, l714, 1, OBJR_OK, NULL);
    ck_assert_uint_eq(objr_renderer_latency_frames(r), 255);
    static float in[1024], out[12][1024];
    in[0] = 1.0f;
    const float *ip[1] = {in};
    float *op[12];
    for (int c = 0; c < 12; c++)
        op[c] = out[c];
    ck_assert_int_eq(objr_renderer_process(r, ip, op, 1024), OBJR_OK);
    /* Take away the direct part, sqrt(1 - 0.5) at exactly sample 255: what is left is the
     * decorrelated half through unit-energy all-pass filters (energy 0.5). A direct part at
     * any other delay would leave 0.5 more. Nothing reaches the other speakers. */
    double e_rest = 0, e_other = 0;
    for (int c = 0; c < 12; c++)
        for (int i = 0; i < 1024; i++) {
            double v = out[c][i] - (c == 0 && i == 255 ? sqrt(0.5) : 0.0);
            if (c == 0)
                e_rest += v * v;
            else
                e_other += v * v;
        }
    ck_assert_msg(fabs(e_rest - 0.5) < 1e-3, "decorrelated energy %g", e_rest);
    ck_assert(e_other < 1e-12);
    objr_renderer_destroy(r);
}
END_TEST

/* A renderer made from a parsed objr_adm scene renders what one made from its XML renders. */
START_TEST(create_from_adm_handle) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    bed(&b);
    objr_test_xml_tail(&b);
    objr_renderer *r1 = make(&b, 12, l714, 1, OBJR_OK, NULL);
    objr_adm *adm = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_int_eq(objr_adm_parse_mem(b.s, b.n, NULL, &adm, &d), OBJR_OK);
    objr_bwf_chna_entry e[12];
    memset(e, 0, sizeof e);
    for (int i = 0; i < 12; i++) {
        snprintf(e[i].uid, sizeof e[i].uid, "ATU_%08X", i + 1);
        e[i].track_index = (uint16_t)(i + 1);
    }
    ck_assert_int_eq(objr_adm_apply_chna(adm, e, 12, &d), OBJR_OK);
    objr_renderer *r2 = NULL;
    ck_assert_int_eq(objr_renderer_create_adm(NULL, adm, 12, 48000, l714, 1, &d, &r2), OBJR_OK);
    objr_adm_destroy(adm);
    float v[12];
    for (int i = 0; i < 12; i++)
        v[i] = (float)(i + 1);
    float **o1 = render_const(r1, v, 32), **o2 = render_const(r2, v, 32);
    for (int c = 0; c < 12; c++)
        ck_assert(memcmp(o1[c], o2[c], 32 * sizeof(float)) == 0);
    free_out(o1, 12);
    free_out(o2, 12);
    objr_renderer_destroy(r1);
    objr_renderer_destroy(r2);
}
END_TEST

/* Every allocation of renderer creation may fail: creation then returns an error, leaves
 * *out NULL and leaks nothing (ASan checks the leaks); eventually it succeeds. */
START_TEST(allocation_failures) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    bed(&b);
    objr_test_xml_tail(&b);
    static const char *const two[] = {"7.1.4", "2.0"};
    objr_bwf_chna_entry e[12];
    memset(e, 0, sizeof e);
    for (int i = 0; i < 12; i++) {
        e[i].track_index = (uint16_t)(i + 1);
        snprintf(e[i].uid, sizeof e[i].uid, "ATU_%08X", (unsigned)(i + 1) & 0xFFu);
    }
    int ok = 0;
    for (long n = 1; n < 5000 && !ok; n++) {
        objr_renderer *r = (objr_renderer *)1;
        objr__alloc_fail_after(n);
        objr_status st = objr_renderer_create(NULL, b.s, b.n, e, 12, 12, 48000, two, 2, NULL, &r);
        objr__alloc_fail_after(0);
        if (st == OBJR_OK) {
            ok = 1;
            objr_renderer_destroy(r);
        } else {
            ck_assert_ptr_null(r);
        }
    }
    ck_assert(ok);
}
END_TEST

/* The process path allocates nothing: with every library allocation set to fail, processing
 * still succeeds (creation is where memory is taken). */
START_TEST(process_allocates_nothing) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    moving_object(&b, 20, 0.005, 30.0, -30.0);
    objr_test_xml_tail(&b);
    objr_renderer *r = make(&b, 1, l714, 1, OBJR_OK, NULL);
    static float in[4800], out[12][4800];
    for (int i = 0; i < 4800; i++)
        in[i] = 0.5f;
    const float *ip[1] = {in};
    float *op[12];
    for (int c = 0; c < 12; c++)
        op[c] = out[c];
    objr__alloc_fail_after(1);
    objr_status st = objr_renderer_process(r, ip, op, 4800);
    objr__alloc_fail_after(0);
    ck_assert_int_eq(st, OBJR_OK);
    objr_renderer_destroy(r);
}
END_TEST

/* Two renderers with diffuse objects created and run on two threads at once (FFTW planning
 * is serialised inside the library) give the same output as one made alone. */
typedef struct thread_job {
    const objr_test_xml *b;
    float out[12][2048];
    objr_status st;
} thread_job;

static void *thread_main(void *arg) {
    thread_job *j = arg;
    objr_bwf_chna_entry e;
    memset(&e, 0, sizeof e);
    e.track_index = 1;
    snprintf(e.uid, sizeof e.uid, "ATU_00000001");
    objr_renderer *r = NULL;
    j->st = objr_renderer_create(NULL, j->b->s, j->b->n, &e, 1, 1, 48000, l714, 1, NULL, &r);
    if (j->st != OBJR_OK)
        return NULL;
    static const float ones[2048] = {1.0f};
    const float *ip[1] = {ones};
    float *op[12];
    for (int c = 0; c < 12; c++)
        op[c] = j->out[c];
    j->st = objr_renderer_process(r, ip, op, 2048);
    objr_renderer_destroy(r);
    return NULL;
}

START_TEST(two_threads) {
    static objr_test_xml b;
    objr_test_xml_head(&b);
    moving_object(&b, 4, 0.01, 30.0, 100.0);
    char *p = strstr(b.s, "<position coordinate=\"elevation\">0</position>");
    ck_assert_ptr_nonnull(p);
    static char rest[65536];
    snprintf(rest, sizeof rest, "%s", p);
    b.n = (size_t)(p - b.s);
    objr_test_xml_ap(&b, "<diffuse>0.3</diffuse>%s", rest);
    objr_test_xml_tail(&b);
    static thread_job jobs[3];
    for (int k = 0; k < 3; k++)
        jobs[k].b = &b;
    thread_main(&jobs[2]); /* reference, alone */
    ck_assert_int_eq(jobs[2].st, OBJR_OK);
    pthread_t t[2];
    for (int k = 0; k < 2; k++)
        ck_assert_int_eq(pthread_create(&t[k], NULL, thread_main, &jobs[k]), 0);
    for (int k = 0; k < 2; k++)
        pthread_join(t[k], NULL);
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(jobs[k].st, OBJR_OK);
        ck_assert(memcmp(jobs[k].out, jobs[2].out, sizeof jobs[k].out) == 0);
    }
}
END_TEST

/* A BWF with only a chna chunk (no axml) whose tracks name the BS.2094 common definitions of
 * a 5.1 bed renders (BS.2127 "CHNA-only" mode): to 5.1 each track lands on its own
 * speaker. Written and read back through files with objr_render_file(). */
START_TEST(chna_only_file) {
    static const char *const tracks[6] = {"AT_00010001_01", "AT_00010002_01", "AT_00010003_01",
                                          "AT_00010004_01", "AT_00010005_01", "AT_00010006_01"};
    char in_path[512], out_path[512];
    snprintf(in_path, sizeof in_path, "%s/chna_only.wav", objr_test_tmpdir());
    snprintf(out_path, sizeof out_path, "%s/chna_only.5.1.wav", objr_test_tmpdir());
    objr_bwf_writer_config wc = objr_bwf_writer_config_default();
    wc.n_channels = 6;
    wc.sample_format = OBJR_BWF_SAMPLE_FLOAT32;
    objr_bwf_writer *w = NULL;
    ck_assert_int_eq(objr_bwf_writer_create(in_path, &wc, NULL, &w), OBJR_OK);
    objr_bwf_chna_entry e[6];
    memset(e, 0, sizeof e);
    for (int i = 0; i < 6; i++) {
        e[i].track_index = (uint16_t)(i + 1);
        snprintf(e[i].uid, sizeof e[i].uid, "ATU_%08X", (unsigned)(i + 1) & 0xFu);
        snprintf(e[i].track_ref, sizeof e[i].track_ref, "%s", tracks[i]);
        snprintf(e[i].pack_ref, sizeof e[i].pack_ref, "AP_00010003");
    }
    ck_assert_int_eq(objr_bwf_writer_set_chna(w, e, 6), OBJR_OK);
    static float buf[6][480];
    const float *ptr[6];
    for (int c = 0; c < 6; c++) {
        for (int i = 0; i < 480; i++)
            buf[c][i] = 0.1f * (float)(c + 1);
        ptr[c] = buf[c];
    }
    ck_assert_int_eq(objr_bwf_writer_write_f32(w, ptr, 480), OBJR_OK);
    ck_assert_int_eq(objr_bwf_writer_close(w, NULL), OBJR_OK);

    static const char *const l51[] = {"5.1"};
    const char *outs[1] = {out_path};
    objr_diag d;
    objr_diag_clear(&d);
    static objr_render_summary sum;
    objr_status st = objr_render_file(in_path, l51, 1, outs, NULL, &sum, &d);
    ck_assert_msg(st == OBJR_OK, "%s", d.message);
    ck_assert_uint_eq(sum.n_direct_speakers_items, 6);
    ck_assert_uint_eq(sum.n_frames, 480);
    objr_bwf *f = NULL;
    ck_assert_int_eq(objr_bwf_open_file(out_path, NULL, NULL, &f), OBJR_OK);
    static float got[6][480];
    float *gp[6];
    for (int c = 0; c < 6; c++)
        gp[c] = got[c];
    size_t n = 0;
    ck_assert_int_eq(objr_bwf_read_f32(f, gp, 480, &n), OBJR_OK);
    ck_assert_uint_eq(n, 480);
    for (int c = 0; c < 6; c++)
        ck_assert_msg(fabsf(got[c][100] - 0.1f * (float)(c + 1)) < 1e-6f, "ch %d: %g", c,
                      (double)got[c][100]);
    objr_bwf_close(f);
    remove(in_path);
    remove(out_path);
}
END_TEST

/* The defaults leave no field unset: the stack is filled with a pattern first, so a field the
 * defaults function forgets (a callback, say) shows up as that pattern, not as a lucky 0.
 * (An unset `warning` callback crashed objr_master_adm_file's re-renders.) */
static void __attribute__((noinline)) scribble_stack(void) {
    volatile unsigned char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = 0xA5;
}

START_TEST(file_options_defaults_complete) {
    scribble_stack();
    objr_render_file_options o = objr_render_file_options_default();
    ck_assert(o.warning == NULL);
    ck_assert_ptr_null(o.warning_user);
    ck_assert(o.on_progress == NULL);
    ck_assert(o.progress == NULL);
    ck_assert_int_eq(o.repair_nonfinite, 0);
    ck_assert_int_eq(o.allow_external_stems, 0);
    ck_assert_int_eq(o.fail_on_overload, 0);
    ck_assert_int_eq(o.apply_dbmd, 1);
    ck_assert_int_eq(o.renderer.strict, 0);
    ck_assert_ptr_null(o.renderer.track_binaural_modes);
}
END_TEST

static Suite *render_suite(void) {
    Suite *s = suite_create("render");
    TCase *tc = tcase_create("render");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, file_options_defaults_complete);
    tcase_add_test(tc, object_on_speaker);
    tcase_add_test(tc, power_and_symmetry);
    tcase_add_test(tc, bed_714_lands_in_mask_order);
    tcase_add_test(tc, lfe_only_to_lfe);
    tcase_add_test(tc, moving_object_no_discontinuity);
    tcase_add_test(tc, hoa_plane_wave);
    tcase_add_test(tc, binaural_refused);
    tcase_add_test(tc, unknown_layout);
    tcase_add_test(tc, diffuse_latency_reported);
    tcase_add_test(tc, create_from_adm_handle);
    tcase_add_test(tc, allocation_failures);
    tcase_add_test(tc, process_allocates_nothing);
    tcase_add_test(tc, two_threads);
    tcase_add_test(tc, chna_only_file);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(render_suite)
