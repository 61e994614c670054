/* SPDX-License-Identifier: BSD-3-Clause */
/* Test scenes for the translation checks: mix.xml + mono stems written with the project's BWF
 * writer (objects at given positions, or a DirectSpeakers LFE1 channel). Test-only. */
#ifndef OBJR_TESTS_UNIT_CHECK_SCENES_H
#define OBJR_TESTS_UNIT_CHECK_SCENES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/test_common.h"
#include "objrender/objr.h"

#define FS 48000
#define SECONDS 3.0
#define FADE 960

typedef enum {
    SIG_NOISE,
    SIG_NEG_OF_PREV,
    SIG_CLIPPED_NOISE,
    SIG_SINE40,
    SIG_SINE_CLICK,
    SIG_SINE3K, /* 3 kHz, amplitude 0.1 */
    SIG_CLICKS5 /* a 440 Hz tone with displaced samples at CLICK5_S */
} sig_kind;

/* The five clicks of SIG_CLICKS5 (s): three within 0.2 s, two more a second later. */
static const double CLICK5_S[5] = {0.5, 0.6, 0.7, 2.0, 2.5};

/* Length of the scenes make_scene writes (tests of short programmes change it). */
static double scene_seconds = SECONDS;

typedef struct obj_spec {
    const char *name, *stem;
    double az, el, gain;
    sig_kind sig;
    int lfe; /* a DirectSpeakers LFE1 channel instead of an object */
} obj_spec;

static void write_stem(const char *path, const float *x, size_t n) {
    objr_bwf_writer_config wc = objr_bwf_writer_config_default();
    wc.n_channels = 1;
    wc.sample_rate_hz = FS;
    wc.sample_format = OBJR_BWF_SAMPLE_FLOAT32;
    objr_bwf_writer *w = NULL;
    objr_diag d;
    ck_assert_int_eq(objr_bwf_writer_create(path, &wc, &d, &w), OBJR_OK);
    const float *p[1] = {x};
    ck_assert_int_eq(objr_bwf_writer_write_f32(w, p, n), OBJR_OK);
    ck_assert_int_eq(objr_bwf_writer_close(w, &d), OBJR_OK);
}

static void fade(float *x, size_t n) {
    for (size_t i = 0; i < FADE && i < n; i++) {
        float g = (float)i / FADE;
        x[i] *= g;
        x[n - 1 - i] *= g;
    }
}

/* Writes DIR/mix.xml and DIR/<stem> files; returns the mix.xml path (static buffer). */
static const char *make_scene(const char *name, const obj_spec *o, size_t n_obj) {
    static char xml_path[512];
    char dir[400];
    snprintf(dir, sizeof dir, "%s/%s", objr_test_tmpdir(), name);
    mkdir(dir, 0755);
    const size_t n = (size_t)(scene_seconds * FS);
    float *prev = calloc(n, sizeof(float)), *x = calloc(n, sizeof(float));
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    for (size_t k = 0; k < n_obj; k++) {
        switch (o[k].sig) {
        case SIG_NOISE:
            objr_test_noise(&rng, x, n, 0.2);
            fade(x, n);
            break;
        case SIG_NEG_OF_PREV:
            for (size_t i = 0; i < n; i++)
                x[i] = -prev[i];
            break;
        case SIG_CLIPPED_NOISE:
            objr_test_noise(&rng, x, n, 1.5);
            for (size_t i = 0; i < n; i++)
                x[i] = x[i] > 1.0f ? 1.0f : x[i] < -1.0f ? -1.0f : x[i];
            fade(x, n);
            break;
        case SIG_SINE_CLICK: /* a 440 Hz tone with one displaced sample in the middle */
            objr_test_sine(x, n, 0.2, 440.0, FS, 0.0);
            fade(x, n);
            x[n / 2] += 0.05f;
            break;
        case SIG_CLICKS5:
            objr_test_sine(x, n, 0.2, 440.0, FS, 0.0);
            fade(x, n);
            for (int c = 0; c < 5; c++)
                if ((size_t)(CLICK5_S[c] * FS) < n)
                    x[(size_t)(CLICK5_S[c] * FS)] += 0.05f;
            break;
        case SIG_SINE40:
            objr_test_sine(x, n, 0.3, 40.0, FS, 0.0);
            fade(x, n);
            break;
        case SIG_SINE3K:
            objr_test_sine(x, n, 0.1, 3000.0, FS, 0.0);
            fade(x, n);
            break;
        }
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, o[k].stem);
        write_stem(p, x, n);
        memcpy(prev, x, n * sizeof(float));
    }
    free(prev);
    free(x);
    snprintf(xml_path, sizeof xml_path, "%s/mix.xml", dir);
    FILE *f = fopen(xml_path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ebuCoreMain "
               "xmlns=\"urn:ebu:metadata-schema:ebuCore_2016\" xmlns:objr=\"urn:objrender:mix:1\">"
               "<coreMetadata><format><audioFormatExtended version=\"ITU-R_BS.2076-2\">\n");
    fprintf(f, "<audioProgramme audioProgrammeID=\"APR_1001\" audioProgrammeName=\"test\">"
               "<audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>\n"
               "<audioContent audioContentID=\"ACO_1001\" audioContentName=\"all\">");
    for (size_t k = 0; k < n_obj; k++)
        fprintf(f, "<audioObjectIDRef>AO_%04zX</audioObjectIDRef>", 0x1001 + k);
    fprintf(f, "</audioContent>\n");
    for (size_t k = 0; k < n_obj; k++) {
        unsigned id = (unsigned)(0x1001 + k), type = o[k].lfe ? 1 : 3;
        fprintf(f,
                "<audioObject audioObjectID=\"AO_%04X\" audioObjectName=\"%s\">"
                "<audioPackFormatIDRef>AP_000%u%04X</audioPackFormatIDRef>"
                "<audioTrackUIDRef>ATU_0000%04X</audioTrackUIDRef></audioObject>\n",
                id, o[k].name, type, id, id);
        fprintf(f,
                "<audioPackFormat audioPackFormatID=\"AP_000%u%04X\" audioPackFormatName=\"%s\" "
                "typeLabel=\"000%u\" typeDefinition=\"%s\"><audioChannelFormatIDRef>"
                "AC_000%u%04X</audioChannelFormatIDRef></audioPackFormat>\n",
                type, id, o[k].name, type, o[k].lfe ? "DirectSpeakers" : "Objects", type, id);
        fprintf(f,
                "<audioChannelFormat audioChannelFormatID=\"AC_000%u%04X\" "
                "audioChannelFormatName=\"%s\" typeLabel=\"000%u\" typeDefinition=\"%s\">",
                type, id, o[k].name, type, o[k].lfe ? "DirectSpeakers" : "Objects");
        if (o[k].lfe)
            fprintf(f,
                    "<frequency typeDefinition=\"lowPass\">120</frequency>"
                    "<audioBlockFormat audioBlockFormatID=\"AB_000%u%04X_00000001\">"
                    "<speakerLabel>LFE1</speakerLabel><position coordinate=\"azimuth\">0"
                    "</position><position coordinate=\"elevation\">-30</position>"
                    "</audioBlockFormat>",
                    type, id);
        else
            fprintf(f,
                    "<audioBlockFormat audioBlockFormatID=\"AB_000%u%04X_00000001\">"
                    "<position coordinate=\"azimuth\">%g</position><position "
                    "coordinate=\"elevation\">%g</position><gain>%g</gain></audioBlockFormat>",
                    type, id, o[k].az, o[k].el, o[k].gain);
        fprintf(f,
                "</audioChannelFormat>\n<audioTrackUID UID=\"ATU_0000%04X\" objr:file=\"%s\" "
                "objr:channel=\"1\"><audioChannelFormatIDRef>AC_000%u%04X"
                "</audioChannelFormatIDRef><audioPackFormatIDRef>AP_000%u%04X"
                "</audioPackFormatIDRef></audioTrackUID>\n",
                id, o[k].stem, type, id, type, id);
    }
    fprintf(f, "</audioFormatExtended></format></coreMetadata></ebuCoreMain>\n");
    fclose(f);
    return xml_path;
}

/* ---- running checks on the scenes ---- */

static inline objr_check_report *run(const char *xml, const objr_check_config *cfg) {
    objr_check_report *r = NULL;
    objr_diag d;
    memset(&d, 0, sizeof d);
    objr_status st = objr_check_run(xml, cfg, &r, &d);
    ck_assert_msg(st == OBJR_OK, "check failed: %s", d.message);
    return r;
}

static inline void dump(const objr_check_report *r) {
    char *s = objr_check_report_summary(r);
    fprintf(stderr, "%s", s ? s : "");
    free(s);
}

/* Number of warn/fail findings of @p check (all renders when @p render is NULL). */
static inline size_t count_flags(const objr_check_report *r, const char *check, const char *render,
                                 const char *subject) {
    size_t n = 0;
    for (size_t i = 0; i < objr_check_report_finding_count(r); i++) {
        objr_check_finding f;
        ck_assert_int_eq(objr_check_report_get_finding(r, i, &f), OBJR_OK);
        if (f.verdict == OBJR_CHECK_PASS || (check && strcmp(f.check, check) != 0) ||
            (render && strcmp(f.render, render) != 0) ||
            (subject && strcmp(f.subject, subject) != 0))
            continue;
        n++;
    }
    return n;
}

/* Value of the warn/fail finding (check, render, subject); 0 when there is none. */
static inline int flag_value(const objr_check_report *r, const char *check, const char *render,
                             const char *subject, double *v) {
    for (size_t i = 0; i < objr_check_report_finding_count(r); i++) {
        objr_check_finding f;
        ck_assert_int_eq(objr_check_report_get_finding(r, i, &f), OBJR_OK);
        if (f.verdict != OBJR_CHECK_PASS && strcmp(f.check, check) == 0 &&
            strcmp(f.render, render) == 0 && strcmp(f.subject, subject) == 0) {
            *v = f.value;
            return 1;
        }
    }
    return 0;
}

/* 1 when a finding (any verdict) of (check, render) has @p text in its message. */
static inline int has_message(const objr_check_report *r, const char *check, const char *render,
                              const char *text) {
    for (size_t i = 0; i < objr_check_report_finding_count(r); i++) {
        objr_check_finding f;
        ck_assert_int_eq(objr_check_report_get_finding(r, i, &f), OBJR_OK);
        if (strcmp(f.check, check) == 0 && (!render || strcmp(f.render, render) == 0) &&
            strstr(f.message, text))
            return 1;
    }
    return 0;
}

/* The default renders without the binaural one: its HRTF set-up (SOFA parse, resampling, FFTW
 * planning) costs about half a second per renderer (the render, the reference heard at the
 * ears, each object alone) and the scenes below are about other checks. clean_scene_passes
 * runs the full default; the binaural_* tests cover the binaural render. */
static const char *const speaker_renders[] = {"5.1", "2.0", "5.1-fold", "loro", "ltrt"};

static inline objr_check_config quick_config(void) {
    objr_check_config c = objr_check_config_default();
    c.renders = speaker_renders;
    c.n_renders = sizeof speaker_renders / sizeof speaker_renders[0];
    return c;
}

#endif /* OBJR_TESTS_UNIT_CHECK_SCENES_H */
