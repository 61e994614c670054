/* SPDX-License-Identifier: BSD-3-Clause */
/* Real-world intake: ADM as Pro Tools and the Dolby Atmos Renderer export it (times rounded
 * to 10 us, Z omitted, programme at 01:00:00, text after the root) renders exactly as the
 * same scene written with exact times, with one finding per fixed kind and the counts the
 * rounding implies; --strict refuses it. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/adm_exports.h"
#include "formats/adm_model.h"
#include "objrender/objr.h"

#define RATE 48000u
#define MAX_KINDS 32

typedef struct findings {
    size_t n;
    char kind[MAX_KINDS][48];
    size_t count[MAX_KINDS];
    double max_value[MAX_KINDS];
    int severity[MAX_KINDS];
} findings;

static void on_finding(void *user, const objr_adm_finding *f) {
    findings *fs = user;
    for (size_t i = 0; i < fs->n; i++)
        ck_assert_msg(strcmp(fs->kind[i], f->kind) != 0, "kind %s reported twice", f->kind);
    ck_assert_uint_lt(fs->n, MAX_KINDS);
    snprintf(fs->kind[fs->n], sizeof fs->kind[0], "%s", f->kind);
    fs->count[fs->n] = f->count;
    fs->max_value[fs->n] = f->max_value;
    fs->severity[fs->n] = f->severity;
    fs->n++;
}

static size_t count_of(const findings *fs, const char *kind, int severity) {
    for (size_t i = 0; i < fs->n; i++)
        if (!strcmp(fs->kind[i], kind) && fs->severity[i] == severity)
            return fs->count[i];
    return 0;
}

static size_t n_fixed(const findings *fs) {
    size_t n = 0;
    for (size_t i = 0; i < fs->n; i++)
        n += fs->severity[i] == OBJR_ADM_FIXED;
    return n;
}

static const objr_test_export_scene scene = {6, 40, 512, NULL};

/* Render the scene exported in @p style to @p layout; returns the planar outputs. */
static float **render(objr_test_export_style style, const char *layout, int strict, findings *fs,
                      size_t *n_out, size_t *n_frames, objr_status want) {
    size_t len = 0;
    char *xml = objr_test_export_xml(&scene, style, &len);
    unsigned nt = objr_test_export_tracks(&scene);
    objr_bwf_chna_entry e[64];
    memset(e, 0, sizeof e);
    for (unsigned i = 0; i < nt; i++) {
        e[i].track_index = (uint16_t)(i + 1);
        snprintf(e[i].uid, sizeof e[i].uid, "ATU_%08x", i + 1);
    }
    objr_renderer_config cfg = objr_renderer_config_default();
    cfg.strict = strict;
    cfg.on_finding = on_finding;
    cfg.finding_user = fs;
    memset(fs, 0, sizeof *fs);
    objr_renderer *r = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    const char *layouts[1] = {layout};
    objr_status st = objr_renderer_create(&cfg, xml, len, e, nt, nt, RATE, layouts, 1, &d, &r);
    free(xml);
    ck_assert_msg(st == want, "%s: %s", objr_strerror(st), d.message);
    if (st != OBJR_OK)
        return NULL;
    *n_frames = (size_t)scene.n_blocks * scene.block_frames + 1000;
    size_t ni = objr_renderer_input_count(r), no = objr_renderer_output_count(r);
    float **in = calloc(ni, sizeof *in), **out = calloc(no, sizeof *out);
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    for (size_t i = 0; i < ni; i++) {
        in[i] = malloc(*n_frames * sizeof(float));
        objr_test_noise(&rng, in[i], *n_frames, 0.25);
    }
    for (size_t c = 0; c < no; c++)
        out[c] = calloc(*n_frames, sizeof(float));
    ck_assert_int_eq(objr_renderer_process(r, (const float *const *)in, out, *n_frames), OBJR_OK);
    for (size_t i = 0; i < ni; i++)
        free(in[i]);
    free(in);
    objr_renderer_destroy(r);
    *n_out = no;
    return out;
}

static void free_out(float **o, size_t n) {
    for (size_t c = 0; o && c < n; c++)
        free(o[c]);
    free(o);
}

static const char *const layouts[] = {"7.1.4", "2.0", "binaural"};

START_TEST(exports_match_exact_twin) {
    findings fe, fp, fd;
    size_t ne, np, nd, fre, frp, frd;
    float **e = render(OBJR_TEST_EXACT, layouts[_i], 0, &fe, &ne, &fre, OBJR_OK);
    float **p = render(OBJR_TEST_PROTOOLS, layouts[_i], 0, &fp, &np, &frp, OBJR_OK);
    float **dr = render(OBJR_TEST_DOLBY_RENDERER, layouts[_i], 0, &fd, &nd, &frd, OBJR_OK);
    ck_assert_uint_eq(ne, np);
    ck_assert_uint_eq(ne, nd);
    double max_p = 0.0, max_d = 0.0, energy = 0.0;
    for (size_t c = 0; c < ne; c++)
        for (size_t k = 0; k < fre; k++) {
            max_p = fmax(max_p, fabs((double)e[c][k] - p[c][k]));
            max_d = fmax(max_d, fabs((double)e[c][k] - dr[c][k]));
            energy += (double)e[c][k] * e[c][k];
        }
    ck_assert_msg(energy > 1.0, "%s: the render is silent", layouts[_i]);
    ck_assert_msg(max_p < 1e-6, "%s: Pro Tools style differs by %g", layouts[_i], max_p);
    ck_assert_msg(max_d < 1e-6, "%s: Dolby renderer style differs by %g", layouts[_i], max_d);
    /* the exact twin needs no fix; the exports one line per kind with the counts the
     * rounding to 10 us implies (a 512-sample block is 10.6667 ms, written 0.01067 s) */
    ck_assert_uint_eq(n_fixed(&fe), 0);
    unsigned want = objr_test_export_rounding_overlaps(&scene);
    ck_assert_uint_gt(want, 0);
    ck_assert_uint_eq(count_of(&fp, "block_overlap", OBJR_ADM_FIXED), want);
    ck_assert_uint_eq(n_fixed(&fp), 1);
    for (size_t i = 0; i < fp.n; i++)
        if (!strcmp(fp.kind[i], "block_overlap"))
            ck_assert_double_eq_tol(fp.max_value[i], 10e-6, 1e-9);
    ck_assert_uint_eq(count_of(&fd, "block_overlap", OBJR_ADM_FIXED), want);
    ck_assert_uint_eq(count_of(&fd, "trailing_content", OBJR_ADM_FIXED), 1);
    ck_assert_uint_eq(n_fixed(&fd), 2);
    free_out(e, ne);
    free_out(p, np);
    free_out(dr, nd);
}
END_TEST

START_TEST(strict_refuses_exports) {
    findings f;
    size_t n, fr;
    ck_assert_ptr_null(render(OBJR_TEST_PROTOOLS, "2.0", 1, &f, &n, &fr, OBJR_ERR_ADM));
    ck_assert_uint_eq(count_of(&f, "block_overlap", OBJR_ADM_ERROR),
                      objr_test_export_rounding_overlaps(&scene));
    float **e = render(OBJR_TEST_EXACT, "2.0", 1, &f, &n, &fr, OBJR_OK);
    free_out(e, n);
}
END_TEST

/* The aggregated text names the count, the largest overlap, the fix and the first block. */
START_TEST(one_line_per_kind) {
    size_t len = 0;
    char *xml = objr_test_export_xml(&scene, OBJR_TEST_DOLBY_RENDERER, &len);
    objr_adm *a = NULL;
    objr_diag d;
    ck_assert_int_eq(objr_adm_parse_mem(xml, len, NULL, &a, &d), OBJR_OK);
    const objr_adm_problem *p;
    size_t n;
    ck_assert_int_eq(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
    char want[160];
    snprintf(want, sizeof want,
             "%u blocks overlap their successor by at most 10 us (exporter "
             "rounding); each block ends where the next starts (first: AB_",
             objr_test_export_rounding_overlaps(&scene));
    int seen = 0;
    for (size_t i = 0; i < objr_adm_finding_count(a); i++) {
        objr_adm_finding f;
        ck_assert_int_eq(objr_adm_get_finding(a, i, &f), OBJR_OK);
        if (!strcmp(f.kind, "block_overlap")) {
            ck_assert_msg(strncmp(f.text, want, strlen(want)) == 0, "%s", f.text);
            ck_assert_ptr_nonnull(strstr(f.text, ", line "));
            seen = 1;
        }
    }
    ck_assert(seen);
    /* strict: the same document is refused */
    objr_adm_destroy(a);
    objr_adm_config cfg = objr_adm_config_default();
    cfg.strict = 1;
    ck_assert_int_eq(objr_adm_parse_mem(xml, len, &cfg, &a, &d), OBJR_OK);
    ck_assert_int_ne(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
    objr_adm_destroy(a);
    free(xml);
}
END_TEST

/* Every fixed kind once, from a document that has each deviation exactly once. */
static const char *const deviations =
    "<audioFormatExtended>\n"
    "<audioProgramme audioProgrammeID=\"APR_1001\" start=\"00:00:02.00000\" "
    "end=\"00:00:01.00000\"><audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>\n"
    "<audioContent audioContentID=\"ACO_1001\"><audioObjectIDRef>AO_1001</audioObjectIDRef>"
    "</audioContent>\n"
    "<audioObject audioObjectID=\"AO_1001\"><audioPackFormatIDRef>AP_00051001"
    "</audioPackFormatIDRef><audioTrackUIDRef>ATU_0000000A</audioTrackUIDRef></audioObject>\n"
    "<audioPackFormat audioPackFormatID=\"AP_00051001\" typeLabel=\"0003\">"
    "<audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef></audioPackFormat>\n"
    "<audioChannelFormat audioChannelFormatID=\"AC_00031001\" typeDefinition=\"Objects\">\n"
    "<audioBlockFormat audioBlockFormatID=\"AB_00031001_00000001\" duration=\"00:00:00.10000\">"
    "<cartesian>1</cartesian><position coordinate=\"X\">2.0</position>"
    "<position coordinate=\"Y\">0</position></audioBlockFormat>\n"
    "<audioBlockFormat audioBlockFormatID=\"AB_00031001_00000002\" rtime=\"00:00:00.20000\">"
    "<position coordinate=\"azimuth\">0</position>"
    "<jumpPosition interpolationLength=\"0.5\">1</jumpPosition></audioBlockFormat>\n"
    "<audioBlockFormat audioBlockFormatID=\"AB_00031001_00000002\" rtime=\"00:00:00.30000\" "
    "duration=\"00:00:00.10000\"><position coordinate=\"azimuth\">0</position>"
    "</audioBlockFormat>\n"
    "</audioChannelFormat>\n"
    "<audioTrackUID UID=\"ATU_0000000a\"><audioChannelFormatIDRef>AC_00031001"
    "</audioChannelFormatIDRef></audioTrackUID>\n"
    "</audioFormatExtended>\nTitle: x\n";

START_TEST(each_fixed_kind) {
    objr_adm *a = NULL;
    objr_diag d;
    ck_assert_int_eq(objr_adm_parse_mem(deviations, strlen(deviations), NULL, &a, &d), OBJR_OK);
    const objr_adm_problem *p;
    size_t n;
    ck_assert_int_eq(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
    static const char *const want[] = {
        "type_definition_missing",    "id_type_mismatch",       "trailing_content", "id_hex_case",
        "programme_end_before_start", "block_id_duplicate",     "block_no_rtime",   "block_gap",
        "block_no_duration",          "interpolation_too_long", "range:X"};
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        size_t count = 0;
        for (size_t i = 0; i < objr_adm_finding_count(a); i++) {
            objr_adm_finding f;
            ck_assert_int_eq(objr_adm_get_finding(a, i, &f), OBJR_OK);
            if (!strcmp(f.kind, want[w])) {
                ck_assert_int_eq(f.severity, OBJR_ADM_FIXED);
                ck_assert_ptr_null(strchr(f.text, '\n'));
                count = f.count;
            }
        }
        ck_assert_msg(count == 1, "%s: %zu", want[w], count);
    }
    /* the repairs: block 1 starts at 0 and lasts to block 2 (0.2 s, a 0.1 s gap closed);
     * block 2 lasts to block 3 (0.1 s) and its interpolation is clamped to that; X at 1 */
    const objr__adm_model *m = objr__adm_get_model(a);
    const objr__adm_block_objects *b = m->channels[0].objects;
    ck_assert(b[0].c.has_rtime && objr__adm_time_seconds(b[0].c.rtime) == 0.0);
    ck_assert_double_eq_tol(objr__adm_time_seconds(b[0].c.duration), 0.2, 1e-12);
    ck_assert_double_eq_tol(objr__adm_time_seconds(b[1].c.duration), 0.1, 1e-12);
    ck_assert_double_eq_tol(b[1].interpolation_length_s, 0.1, 1e-12);
    ck_assert_double_eq(b[0].pos.x, 1.0);
    ck_assert_int_eq(m->packs[0].type, 3);
    ck_assert_int_eq(m->programmes[0].has_end, 0);
    objr_adm_destroy(a);
}
END_TEST

/* A pack and its channel whose typeDefinition is @p def (type code @p t in the IDs). */
static char *typed_doc(const char *def, unsigned t) {
    static const char *const block[] = {
        "", "<speakerLabel>M+000</speakerLabel><position coordinate=\"azimuth\">0</position>", "",
        "<position coordinate=\"azimuth\">30</position>"};
    char *x = malloc(2048);
    ck_assert_ptr_nonnull(x);
    snprintf(x, 2048,
             "<audioFormatExtended>\n"
             "<audioObject audioObjectID=\"AO_1001\"><audioPackFormatIDRef>AP_000%u1001"
             "</audioPackFormatIDRef></audioObject>\n"
             "<audioPackFormat audioPackFormatID=\"AP_000%u1001\" typeDefinition=\"%s\">"
             "<audioChannelFormatIDRef>AC_000%u1001</audioChannelFormatIDRef></audioPackFormat>\n"
             "<audioChannelFormat audioChannelFormatID=\"AC_000%u1001\" typeDefinition=\"%s\">"
             "<audioBlockFormat audioBlockFormatID=\"AB_000%u1001_00000001\">%s"
             "</audioBlockFormat></audioChannelFormat>\n</audioFormatExtended>\n",
             t, t, def, t, t, def, t, block[t]);
    return x;
}

/* A typeDefinition that differs from a BS.2076 type name only in case or a missing final
 * "s" has one reading (a fixed kind, one line); anything further from a name is refused. */
START_TEST(type_name_near_miss) {
    static const struct {
        const char *def;
        unsigned type;
    } near[] = {{"Object", 3},         {"objects", 3},       {"OBJECTS", 3},       {"object", 3},
                {"directspeakers", 1}, {"DirectSpeaker", 1}, {"DIRECTSPEAKERS", 1}};
    for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
        char *x = typed_doc(near[i].def, near[i].type);
        objr_adm *a = NULL;
        objr_diag d;
        ck_assert_msg(objr_adm_parse_mem(x, strlen(x), NULL, &a, &d) == OBJR_OK, "%s: %s",
                      near[i].def, d.message);
        const objr_adm_problem *p;
        size_t n, count = 0;
        ck_assert_int_eq(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
        for (size_t k = 0; k < objr_adm_finding_count(a); k++) {
            objr_adm_finding f;
            ck_assert_int_eq(objr_adm_get_finding(a, k, &f), OBJR_OK);
            if (!strcmp(f.kind, "type_definition_near_miss")) {
                ck_assert_int_eq(f.severity, OBJR_ADM_FIXED);
                ck_assert_int_eq(strncmp(f.first_id, "AP_000", 6), 0);
                count = f.count;
            }
        }
        ck_assert_msg(count == 2, "%s: %zu", near[i].def, count);
        const objr__adm_model *m = objr__adm_get_model(a);
        ck_assert_int_eq(m->packs[0].type, (int)near[i].type);
        ck_assert_int_eq(m->channels[0].type, (int)near[i].type);
        objr_adm_destroy(a);
        /* --strict: the same document is refused */
        objr_adm_config cfg = objr_adm_config_default();
        cfg.strict = 1;
        ck_assert_int_eq(objr_adm_parse_mem(x, strlen(x), &cfg, &a, &d), OBJR_OK);
        ck_assert_int_ne(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
        objr_adm_destroy(a);
        free(x);
    }
    static const char *const far[] = {"Objectz", "Obj", "Objectss", "Object ", "Speakers", ""};
    for (size_t i = 0; i < sizeof far / sizeof far[0]; i++) {
        char *x = typed_doc(far[i], 3);
        objr_adm *a = NULL;
        objr_diag d;
        objr_diag_clear(&d);
        ck_assert_msg(objr_adm_parse_mem(x, strlen(x), NULL, &a, &d) == OBJR_ERR_ADM, "%s", far[i]);
        ck_assert_msg(strstr(d.message, "unknown typeDefinition") != NULL, "%s", d.message);
        free(x);
    }
}
END_TEST

/* Pre-standard documents (type code 0000, no typeLabel or typeDefinition): the type comes
 * from the contents when they have one reading, else a clear refusal. */
static objr_status untyped(const char *blocks_a, const char *blocks_b, objr_adm **a, objr_diag *d) {
    char x[2048];
    snprintf(x, sizeof x,
             "<audioFormatExtended>\n"
             "<audioObject audioObjectID=\"AO_1001\"><audioPackFormatIDRef>AP_00001001"
             "</audioPackFormatIDRef></audioObject>\n"
             "<audioPackFormat audioPackFormatID=\"AP_00001001\">"
             "<audioChannelFormatIDRef>AC_00001001</audioChannelFormatIDRef>"
             "<audioChannelFormatIDRef>AC_00001002</audioChannelFormatIDRef></audioPackFormat>\n"
             "<audioChannelFormat audioChannelFormatID=\"AC_00001001\">%s</audioChannelFormat>\n"
             "<audioChannelFormat audioChannelFormatID=\"AC_00001002\">%s</audioChannelFormat>\n"
             "</audioFormatExtended>\n",
             blocks_a, blocks_b);
    *a = NULL;
    objr_diag_clear(d);
    return objr_adm_parse_mem(x, strlen(x), NULL, a, d);
}

START_TEST(type_from_content) {
    static const char obj[] = "<audioBlockFormat audioBlockFormatID=\"AB_00001001_00000001\">"
                              "<position coordinate=\"azimuth\">30</position>"
                              "<position coordinate=\"elevation\">0</position>"
                              "</audioBlockFormat>",
                      ds[] = "<audioBlockFormat audioBlockFormatID=\"AB_00001002_00000001\">"
                             "<speakerLabel>M+030</speakerLabel>"
                             "<position coordinate=\"azimuth\">30</position>"
                             "</audioBlockFormat>",
                      bare[] = "<audioBlockFormat audioBlockFormatID=\"AB_00001002_00000001\">"
                               "<gain>1</gain></audioBlockFormat>";
    objr_adm *a;
    objr_diag d;
    const objr_adm_problem *p;
    size_t n;
    /* two position-only channels: Objects, and the pack with them (3 fixes, one line) */
    ck_assert_msg(untyped(obj, obj, &a, &d) == OBJR_OK, "%s", d.message);
    ck_assert_int_eq(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
    const objr__adm_model *m = objr__adm_get_model(a);
    ck_assert_int_eq(m->channels[0].type, OBJR__TYPE_OBJECTS);
    ck_assert_int_eq(m->packs[0].type, OBJR__TYPE_OBJECTS);
    ck_assert_double_eq(m->channels[0].objects[0].pos.azimuth_deg, 30.0);
    size_t count = 0;
    for (size_t i = 0; i < objr_adm_finding_count(a); i++) {
        objr_adm_finding f;
        ck_assert_int_eq(objr_adm_get_finding(a, i, &f), OBJR_OK);
        if (!strcmp(f.kind, "type_from_content")) {
            ck_assert_int_eq(f.severity, OBJR_ADM_FIXED);
            count = f.count;
        }
    }
    ck_assert_uint_eq(count, 3);
    objr_adm_destroy(a);
    /* speakerLabel: DirectSpeakers */
    ck_assert_msg(untyped(ds, ds, &a, &d) == OBJR_OK, "%s", d.message);
    m = objr__adm_get_model(a);
    ck_assert_int_eq(m->channels[1].type, OBJR__TYPE_DIRECT_SPEAKERS);
    ck_assert_int_eq(m->packs[0].type, OBJR__TYPE_DIRECT_SPEAKERS);
    objr_adm_destroy(a);
    /* refused: a pack over channels of two types, a block that shows no type, no block */
    ck_assert_int_eq(untyped(obj, ds, &a, &d), OBJR_ERR_ADM);
    ck_assert_ptr_null(a);
    ck_assert_ptr_nonnull(strstr(d.message, "AP_00001001: neither typeLabel nor typeDefinition"));
    ck_assert_ptr_nonnull(strstr(d.message, "do not share one type"));
    ck_assert_int_eq(untyped(obj, bare, &a, &d), OBJR_ERR_ADM);
    ck_assert_ptr_nonnull(strstr(d.message, "AC_00001002: neither"));
    ck_assert_ptr_nonnull(strstr(d.message, "its blocks do not show the type"));
    ck_assert_int_eq(untyped(obj, "", &a, &d), OBJR_ERR_ADM);
    ck_assert_ptr_nonnull(strstr(d.message, "it has no block to show the type"));
    ck_assert_ptr_null(strchr(d.message, '\n'));
}
END_TEST

/* An azimuth beyond [-180, 180] is an angle: 200 reads as -160 and -190 as 170 (wrapped by
 * 360 degrees, not clamped to the end of the range). */
START_TEST(azimuth_wraps) {
    objr_adm *a;
    objr_diag d;
    const objr_adm_problem *p;
    size_t n;
    ck_assert_int_eq(untyped("<audioBlockFormat audioBlockFormatID=\"AB_00001001_00000001\">"
                             "<position coordinate=\"azimuth\">200</position></audioBlockFormat>",
                             "<audioBlockFormat audioBlockFormatID=\"AB_00001002_00000001\">"
                             "<position coordinate=\"azimuth\">-190</position></audioBlockFormat>",
                             &a, &d),
                     OBJR_OK);
    ck_assert_int_eq(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
    const objr__adm_model *m = objr__adm_get_model(a);
    ck_assert_double_eq_tol(m->channels[0].objects[0].pos.azimuth_deg, -160.0, 1e-12);
    ck_assert_double_eq_tol(m->channels[1].objects[0].pos.azimuth_deg, 170.0, 1e-12);
    size_t count = 0;
    for (size_t i = 0; i < objr_adm_finding_count(a); i++) {
        objr_adm_finding f;
        ck_assert_int_eq(objr_adm_get_finding(a, i, &f), OBJR_OK);
        ck_assert_str_ne(f.kind, "range:azimuth");
        if (!strcmp(f.kind, "azimuth_wrap"))
            count = f.count;
    }
    ck_assert_uint_eq(count, 2);
    objr_adm_destroy(a);
}
END_TEST

/* Values out of their BS.2076 ranges are clamped (and azimuths wrapped) in the text by
 * objr_adm_patch_mem: exactly the lines holding such a value change, to the value the fix pass
 * read (each value is on a line of its own; a commented-out copy of a block is left alone),
 * and the patched text reads back with no fix. */
START_TEST(patch_writes_fixed_values) {
    static const char doc[] =
        "<audioFormatExtended>\n"
        "<audioObject audioObjectID=\"AO_1001\"><audioPackFormatIDRef>AP_00031001"
        "</audioPackFormatIDRef></audioObject>\n"
        "<audioObject audioObjectID=\"AO_1002\"><audioPackFormatIDRef>AP_00011001"
        "</audioPackFormatIDRef></audioObject>\n"
        "<audioPackFormat audioPackFormatID=\"AP_00031001\" typeDefinition=\"Objects\">"
        "<audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef>"
        "<audioChannelFormatIDRef>AC_00031002</audioChannelFormatIDRef></audioPackFormat>\n"
        "<audioPackFormat audioPackFormatID=\"AP_00011001\" typeDefinition=\"DirectSpeakers\">"
        "<audioChannelFormatIDRef>AC_00011001</audioChannelFormatIDRef></audioPackFormat>\n"
        "<audioChannelFormat audioChannelFormatID=\"AC_00031001\" typeDefinition=\"Objects\">\n"
        "<audioBlockFormat audioBlockFormatID=\"AB_00031001_00000001\">\n"
        "<cartesian>1</cartesian>\n"
        "<position coordinate=\"X\">2.5</position>\n"      /* line 9: X 1 */
        "<position coordinate=\"Y\"> 0.5 </position>"      /* kept */
        "<position coordinate=\"azimuth\">30</position>\n" /* the unused set: kept */
        "<width>1.5</width>\n"                             /* line 11: 1 */
        "<diffuse>-0.25</diffuse>\n"                       /* line 12: 0 */
        "</audioBlockFormat></audioChannelFormat>\n"
        "<audioChannelFormat audioChannelFormatID=\"AC_00031002\" typeDefinition=\"Objects\">"
        "<!-- an old copy, kept: <audioBlockFormat audioBlockFormatID=\"AB_00031002_00000001\">"
        "<position coordinate=\"azimuth\">200</position></audioBlockFormat> -->\n"
        "<audioBlockFormat audioBlockFormatID=\"AB_00031002_00000001\">\n"
        "<position coordinate=\"azimuth\">200</position>\n"             /* line 16: -160 */
        "<position coordinate=\"elevation\">95</position>\n"            /* line 17: 90 */
        "<objectDivergence azimuthRange=\"200\">2</objectDivergence>\n" /* line 18: 180, 1 */
        "</audioBlockFormat></audioChannelFormat>\n"
        "<audioChannelFormat audioChannelFormatID=\"AC_00011001\" "
        "typeDefinition=\"DirectSpeakers\">\n"
        "<audioBlockFormat audioBlockFormatID=\"AB_00011001_00000001\">\n"
        "<speakerLabel>M+030</speakerLabel>\n"
        "<position coordinate=\"azimuth\">30</position>\n"                  /* kept */
        "<position coordinate=\"elevation\" bound=\"max\">120</position>\n" /* a bound: kept */
        "<position coordinate=\"elevation\">-100</position>\n"              /* line 25: -90 */
        "</audioBlockFormat></audioChannelFormat>\n"
        "</audioFormatExtended>\n";
    objr_adm *a = NULL;
    objr_diag d;
    const objr_adm_problem *p;
    size_t n, len = 0;
    ck_assert_int_eq(objr_adm_parse_mem(doc, strlen(doc), NULL, &a, &d), OBJR_OK);
    ck_assert_int_eq(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
    char *out = NULL;
    ck_assert_int_eq(objr_adm_patch_mem(a, doc, strlen(doc), &out, &len), OBJR_OK);
    static const struct {
        int line;
        const char *text;
    } want[] = {{9, "<position coordinate=\"X\">1</position>"},
                {11, "<width>1</width>"},
                {12, "<diffuse>0</diffuse>"},
                {16, "<position coordinate=\"azimuth\">-160</position>"},
                {17, "<position coordinate=\"elevation\">90</position>"},
                {18, "<objectDivergence azimuthRange=\"180\">1</objectDivergence>"},
                {25, "<position coordinate=\"elevation\">-90</position>"}};
    const char *x = doc, *y = out;
    size_t changed = 0;
    for (int line = 1; *x && *y; line++) {
        size_t nx = strcspn(x, "\n"), ny = strcspn(y, "\n");
        if (nx != ny || memcmp(x, y, nx)) {
            size_t w = 0;
            while (w < sizeof want / sizeof want[0] && want[w].line != line)
                w++;
            ck_assert_msg(w < sizeof want / sizeof want[0], "line %d changed: %.*s", line, (int)ny,
                          y);
            ck_assert_msg(ny == strlen(want[w].text) && !memcmp(y, want[w].text, ny),
                          "line %d: %.*s", line, (int)ny, y);
            changed++;
        }
        x += nx + (x[nx] == '\n');
        y += ny + (y[ny] == '\n');
    }
    ck_assert_uint_eq(changed, sizeof want / sizeof want[0]);
    ck_assert(!*x && !*y);
    objr_adm *b = NULL;
    ck_assert_int_eq(objr_adm_parse_mem(out, len, NULL, &b, &d), OBJR_OK);
    ck_assert_int_eq(objr_adm_validate(b, 0, &p, &n), OBJR_OK);
    for (size_t i = 0; i < objr_adm_finding_count(b); i++) {
        objr_adm_finding f;
        ck_assert_int_eq(objr_adm_get_finding(b, i, &f), OBJR_OK);
        ck_assert_msg(f.severity != OBJR_ADM_FIXED, "still fixed: %s", f.text);
    }
    free(out);
    objr_adm_destroy(b);
    objr_adm_destroy(a);
}
END_TEST

static Suite *adm_intake_suite(void) {
    Suite *s = suite_create("adm_intake");
    TCase *tc = tcase_create("intake");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, exports_match_exact_twin, 0, 3);
    tcase_add_test(tc, strict_refuses_exports);
    tcase_add_test(tc, one_line_per_kind);
    tcase_add_test(tc, each_fixed_kind);
    tcase_add_test(tc, type_name_near_miss);
    tcase_add_test(tc, type_from_content);
    tcase_add_test(tc, azimuth_wraps);
    tcase_add_test(tc, patch_writes_fixed_values);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(adm_intake_suite)
