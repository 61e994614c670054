/* SPDX-License-Identifier: BSD-3-Clause */
/* Layouts: BS.2051-3 tables, names and aliases, WAVE_FORMAT_EXTENSIBLE order, custom layout
 * files and their errors (file:line), the public objr_layout API. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layouts/registry.h"
#include "objrender/objr.h"
#include "renderers/loudspeaker/psp.h"

static const char *labels_in_file_order(const objr__layout *l, char *buf, size_t n) {
    buf[0] = '\0';
    for (size_t i = 0; i < l->n_speakers; i++) {
        strncat(buf, l->speakers[l->file_order[i]].label, n - strlen(buf) - 1);
        if (i + 1 < l->n_speakers)
            strncat(buf, " ", n - strlen(buf) - 1);
    }
    return buf;
}

/* BS.2051 channel orders (ITU-R BS.2051-3 Table 1 / the common-definition packs). */
START_TEST(bs2051_orders) {
    static const struct {
        const char *name, *order;
    } want[] = {
        {"0+2+0", "M+030 M-030"},
        {"0+5+0", "M+030 M-030 M+000 LFE1 M+110 M-110"},
        {"2+5+0", "M+030 M-030 M+000 LFE1 M+110 M-110 U+030 U-030"},
        {"4+5+0", "M+030 M-030 M+000 LFE1 M+110 M-110 U+030 U-030 U+110 U-110"},
        {"4+5+1", "M+030 M-030 M+000 LFE1 M+110 M-110 U+030 U-030 U+110 U-110 B+000"},
        {"3+7+0", "M+000 M+030 M-030 U+045 U-045 M+090 M-090 M+135 M-135 UH+180 LFE1 LFE2"},
        {"9+10+3", "M+060 M-060 M+000 LFE1 M+135 M-135 M+030 M-030 M+180 LFE2 M+090 M-090 "
                   "U+045 U-045 U+000 T+000 U+135 U-135 U+090 U-090 U+180 B+000 B+045 B-045"},
        {"9.1.6", "M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135 M+060 M-060 U+045 U-045 "
                  "U+090 U-090 U+135 U-135"},
    };
    char buf[512];
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        objr__layout l;
        ck_assert_int_eq(objr__layout_lookup(want[i].name, &l), OBJR_OK);
        ck_assert_str_eq(labels_in_file_order(&l, buf, sizeof(buf)), want[i].order);
    }
}
END_TEST

/* DESIGN.md contract: 7.1.4 is written FL FR FC LFE BL BR SL SR TFL TFR TBL TBR. */
START_TEST(wav_mask_orders) {
    char buf[512];
    objr__layout l;
    ck_assert_int_eq(objr__layout_lookup("7.1.4", &l), OBJR_OK);
    ck_assert_str_eq(l.name, "4+7+0");
    ck_assert_str_eq(labels_in_file_order(&l, buf, sizeof(buf)),
                     "M+030 M-030 M+000 LFE1 M+135 M-135 M+090 M-090 U+045 U-045 U+135 U-135");
    ck_assert_uint_eq(l.channel_mask, 0x2D63Fu);
    ck_assert_int_eq(objr__layout_lookup("7.1", &l), OBJR_OK);
    ck_assert_str_eq(labels_in_file_order(&l, buf, sizeof(buf)),
                     "M+030 M-030 M+000 LFE1 M+135 M-135 M+090 M-090");
    ck_assert_uint_eq(l.channel_mask, 0x63Fu);
    ck_assert_int_eq(objr__layout_lookup("5.1", &l), OBJR_OK);
    ck_assert_uint_eq(l.channel_mask, 0x60Fu); /* 5.1(side) */
    ck_assert_int_eq(objr__layout_lookup("5.1.4", &l), OBJR_OK);
    ck_assert_uint_eq(l.channel_mask, 0x60Fu | 0x1000u | 0x4000u | 0x8000u | 0x20000u);
    ck_assert_int_eq(objr__layout_lookup("stereo", &l), OBJR_OK);
    ck_assert_uint_eq(l.channel_mask, 0x3u);
    ck_assert_int_eq(objr__layout_lookup("7.1.2", &l), OBJR_OK);
    ck_assert_str_eq(labels_in_file_order(&l, buf, sizeof(buf)),
                     "M+030 M-030 M+000 LFE1 M+135 M-135 M+090 M-090 U+090 U-090");
    /* not describable: two LFEs, bottom speakers, wides */
    static const char *no_mask[] = {"3+7+0", "9+10+3", "4+5+1", "9.1.6"};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(objr__layout_lookup(no_mask[i], &l), OBJR_OK);
        ck_assert_uint_eq(l.channel_mask, 0);
        for (size_t k = 0; k < l.n_speakers; k++)
            ck_assert_int_eq(l.file_order[k], (int)k);
    }
}
END_TEST

START_TEST(names_and_aliases) {
    static const struct {
        const char *alias, *name;
    } m[] = {{"2.0", "0+2+0"},   {"STEREO", "0+2+0"}, {"5.1", "0+5+0"},   {"5.1.2", "2+5+0"},
             {"5.1.4", "4+5+0"}, {"7.1", "0+7+0"},    {"7.1.4", "4+7+0"}, {"4+7+0", "4+7+0"},
             {"22.2", "9+10+3"}, {"j", "4+7+0"},      {"7.1.2", "7.1.2"}, {"9.1.6", "9.1.6"}};
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        objr__layout l;
        ck_assert_int_eq(objr__layout_lookup(m[i].alias, &l), OBJR_OK);
        ck_assert_str_eq(l.name, m[i].name);
    }
    objr__layout l;
    ck_assert_int_eq(objr__layout_lookup("7.1.5", &l), OBJR_ERR_LAYOUT);
    ck_assert_int_eq(objr__layout_lookup("", &l), OBJR_ERR_LAYOUT);
}
END_TEST

/* Every built-in table is self-consistent: nominal positions lie in their ranges (the check
 * EAR runs on its own BS.2051 data), labels are unique and carry their direction. */
START_TEST(tables_consistent) {
    for (size_t k = 0; k < objr__layout_builtin_count(); k++) {
        objr__layout l;
        objr__layout_from_def(objr__layout_builtin_def(k), &l);
        ck_assert_uint_eq(objr__layout_check_ranges(&l, NULL, 0), 0);
        for (size_t i = 0; i < l.n_speakers; i++) {
            ck_assert_int_eq(objr__layout_find_label(&l, l.speakers[i].label), (int)i);
            double az, el;
            if (l.speakers[i].is_lfe || strstr(l.speakers[i].label, "SC"))
                continue;
            ck_assert(objr__layout_label_direction(l.speakers[i].label, &az, &el));
            ck_assert_double_eq_tol(az, l.speakers[i].nominal_azimuth_deg, 1e-12);
            ck_assert_double_eq_tol(el, l.speakers[i].nominal_elevation_deg, 1e-12);
        }
    }
}
END_TEST

START_TEST(angle_ranges) {
    ck_assert(objr__angle_in_range(110, 100, 120, 0));
    ck_assert(!objr__angle_in_range(99, 100, 120, 0));
    ck_assert(objr__angle_in_range(-179, 170, -170, 0)); /* wraps through 180 */
    ck_assert(objr__angle_in_range(180, 180, 180, 0));
    ck_assert(objr__angle_in_range(-180, 180, 180, 0));
    ck_assert(objr__angle_in_range(37, -180, 180, 0));
    ck_assert(!objr__angle_in_range(NAN, 0, 10, 0));
}
END_TEST

static objr_status parse(const char *text, objr__layout *l, objr_diag *d) {
    objr_diag_clear(d);
    objr__layout tmp;
    objr_status st = objr__layout_parse(text, strlen(text), "room.txt", &tmp, d);
    if (st == OBJR_OK)
        st = objr__layout_check_pannable(&tmp, "room.txt", d);
    if (st == OBJR_OK)
        *l = tmp;
    return st;
}

START_TEST(custom_ok) {
    objr__layout l;
    objr_diag d;
    const char *quad = "# four around, two up\nname = quad\n"
                       "FL 45 0\nFR -45 0\nRL 135 0\nRR -135 0 1.5\nSub 0 0 lfe\n"
                       "TL 90 45\nTR -90,45\n";
    ck_assert_int_eq(parse(quad, &l, &d), OBJR_OK);
    ck_assert_str_eq(l.name, "quad");
    ck_assert_uint_eq(l.n_speakers, 7);
    ck_assert(l.speakers[4].is_lfe);
    ck_assert_double_eq_tol(l.speakers[3].distance_m, 1.5, 1e-12);
    ck_assert_double_eq_tol(l.speakers[6].elevation_deg, 45, 1e-12);
    ck_assert_uint_eq(l.channel_mask, 0);

    /* a speaker straight overhead with a non-BS.2051 label (no virtual zenith is added) */
    ck_assert_int_eq(parse("L 30 0\nR -30 0\nLs 110 0\nRs -110 0\nTop 0 90\n", &l, &d), OBJR_OK);

    /* a UTF-8 byte-order mark and CRLF line ends are accepted */
    ck_assert_int_eq(parse("\xEF\xBB\xBFL 30 0\r\nR -30 0\r\nC 0 0\r\nS 180 0\r\n", &l, &d),
                     OBJR_OK);
    ck_assert_uint_eq(l.n_speakers, 4);
    ck_assert_str_eq(l.speakers[0].label, "L");

    /* real positions for a BS.2051 layout: the U+045 of this room is at 40/35 */
    ck_assert_int_eq(parse("base = 7.1.4\nU+045 40 35\nU-045 -40 35\n", &l, &d), OBJR_OK);
    ck_assert_str_eq(l.name, "4+7+0");
    int u = objr__layout_find_label(&l, "U+045");
    ck_assert_double_eq_tol(l.speakers[u].azimuth_deg, 40, 1e-12);
    ck_assert_double_eq_tol(l.speakers[u].nominal_azimuth_deg, 45, 1e-12);
    ck_assert_uint_eq(l.channel_mask, 0x2D63Fu);
    ck_assert_str_eq(l.warning, "");
    /* outside the BS.2051 range (U+045 allows azimuth 30..45): rendered, with a warning */
    ck_assert_int_eq(parse("base = 7.1.4\nU+045 50 30\n", &l, &d), OBJR_OK);
    ck_assert_ptr_nonnull(strstr(l.warning, "U+045"));
}
END_TEST

static void expect_error(const char *text, objr_status st, long line, const char *needle) {
    objr__layout l;
    objr_diag d;
    memset(&l, 0x5a, sizeof(l));
    unsigned char before = ((unsigned char *)&l)[0];
    ck_assert_int_eq(parse(text, &l, &d), st);
    ck_assert_int_eq(((unsigned char *)&l)[0], before); /* untouched on error */
    ck_assert_int_eq(d.line, line);
    if (strstr(d.message, needle) == NULL || strncmp(d.message, "room.txt", 8) != 0)
        ck_abort_msg("message '%s' lacks '%s'", d.message, needle);
}

START_TEST(custom_errors) {
    expect_error("A 0 0\nB 0.5 0.5\nC 120 0\nD -120 0\n", OBJR_ERR_LAYOUT, 2, "one place");
    expect_error("A 0 0\nB abc 0\n", OBJR_ERR_FORMAT, 2, "not a number");
    expect_error("A 0 nan\n", OBJR_ERR_RANGE, 1, "not finite");
    expect_error("A inf 0\n", OBJR_ERR_RANGE, 1, "not finite");
    expect_error("A 190 0\n", OBJR_ERR_RANGE, 1, "azimuth");
    expect_error("A 10 91\n", OBJR_ERR_RANGE, 1, "elevation");
    expect_error("A 10 0 -1\n", OBJR_ERR_RANGE, 1, "distance");
    expect_error("A 0 0\n\nA 90 0\n", OBJR_ERR_DUPLICATE, 3, "twice");
    expect_error("A 0\n", OBJR_ERR_FORMAT, 1, "expected");
    expect_error("speed = 3\n", OBJR_ERR_FORMAT, 1, "unknown key");
    expect_error("base = 7.1.5\n", OBJR_ERR_LAYOUT, 1, "unknown base");
    expect_error("base = 5.1\nU+045 40 30\n", OBJR_ERR_LAYOUT, 2, "not a speaker");
    expect_error("Sub 0 0 lfe\n", OBJR_ERR_LAYOUT, 0, "no speakers other than LFE");
    expect_error("# nothing\n", OBJR_ERR_LAYOUT, 0, "no speakers");
    expect_error("A 0 0\nB 20 0\nC -20 0\n", OBJR_ERR_LAYOUT, 0, "cannot be panned");
    expect_error("A 0 0\nB$ 20 0\n", OBJR_ERR_FORMAT, 2, "bad speaker label");
    /* more than 64 speakers, on a spiral so none coincide */
    char big[8192] = "";
    for (int i = 0; i < 65; i++) {
        char line[64];
        snprintf(line, sizeof(line), "S%d %.1f %.1f\n", i, -175.0 + 5.3 * i, -80.0 + 2.4 * i);
        strcat(big, line);
    }
    expect_error(big, OBJR_ERR_LIMIT, 65, "more than 64");
}
END_TEST

START_TEST(public_api) {
    objr_layout *h = NULL;
    ck_assert_int_eq(objr_layout_from_name("7.1.4", &h), OBJR_OK);
    ck_assert_str_eq(objr_layout_name(h), "4+7+0");
    ck_assert_str_eq(objr_layout_common_name(h), "7.1.4");
    ck_assert_uint_eq(objr_layout_n_channels(h), 12);
    ck_assert_uint_eq(objr_layout_channel_mask(h), 0x2D63Fu);
    objr_speaker_info si;
    ck_assert_int_eq(objr_layout_channel_info(h, 4, &si), OBJR_OK);
    ck_assert_str_eq(si.label, "M+135");
    ck_assert_double_eq_tol(si.azimuth_deg, 135, 1e-12);
    ck_assert_int_eq(objr_layout_channel_info(h, 3, &si), OBJR_OK);
    ck_assert(si.is_lfe);
    ck_assert_int_eq(objr_layout_channel_info(h, 12, &si), OBJR_ERR_INVALID_ARG);
    objr_layout_destroy(h);
    objr_layout_destroy(NULL);

    h = (objr_layout *)&si;
    ck_assert_int_eq(objr_layout_from_name("nope", &h), OBJR_ERR_LAYOUT);
    ck_assert_ptr_null(h);

    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_int_eq(objr_layout_load_file("/nonexistent/room.txt", &h, &d), OBJR_ERR_IO);
    ck_assert_ptr_nonnull(strstr(d.message, "/nonexistent/room.txt"));
    const char *txt = "name = r\nL 30 0\nR -30 0\nC 0 0\nLs 110 0\nRs -110 0\n";
    ck_assert_int_eq(objr_layout_load_mem(txt, strlen(txt), "r.txt", &h, &d), OBJR_OK);
    ck_assert_uint_eq(objr_layout_n_channels(h), 5);
    objr_layout_destroy(h);

    size_t n = objr_layout_known_count();
    ck_assert_uint_ge(n, 12);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(objr_layout_from_name(objr_layout_known_name(i), &h), OBJR_OK);
        objr_layout_destroy(h);
        ck_assert_ptr_nonnull(objr_layout_known_aliases(i));
    }
    ck_assert_ptr_null(objr_layout_known_name(n));
}
END_TEST

/* Layout names as engineers type them (objr_layout_resolve_name / objr__layout_lookup): the
 * spellings of issue 10, and what each resolves to (built-in layout or the headphone render). */
START_TEST(typed_names) {
    static const struct {
        const char *typed, *use, *layout; /* layout: primary name, or NULL for binaural */
    } m[] = {
        {"7.1.4", "7.1.4", "4+7+0"},
        {"714", "7.1.4", "4+7+0"},
        {"7.1.4.0", "7.1.4", "4+7+0"},
        {"4+7+0", "4+7+0", "4+7+0"},
        {" 7.1.4 ", "7.1.4", "4+7+0"},
        {"\t5.1\t", "5.1", "0+5+0"},
        {"stereo", "stereo", "0+2+0"},
        {"2.0", "2.0", "0+2+0"},
        {"LoRo", "LoRo", "0+2+0"},
        {"loro", "loro", "0+2+0"},
        {"mono", "mono", "1.0"},
        {"1.0", "1.0", "1.0"},
        {"9.1.6", "9.1.6", "9.1.6"},
        {"916", "9.1.6", "9.1.6"},
        {"5.1.2", "5.1.2", "2+5+0"},
        {"512", "5.1.2", "2+5+0"},
        {"5.1.2-dolby", "5.1.2-dolby", "5.1.2-dolby"},
        {"51", "5.1", "0+5+0"},
        {"5.1.0", "5.1", "0+5+0"},
        {"7.1.2.0", "7.1.2", "7.1.2"},
        {"headphones", "binaural", NULL},
        {"binaural", "binaural", NULL},
        {"Headphones ", "binaural", NULL},
    };
    for (size_t i = 0; i < sizeof m / sizeof *m; i++) {
        char use[64];
        ck_assert_msg(objr_layout_resolve_name(m[i].typed, use, sizeof use) == OBJR_OK, "'%s'",
                      m[i].typed);
        ck_assert_msg(strcmp(use, m[i].use) == 0, "'%s' -> '%s'", m[i].typed, use);
        objr__layout l;
        if (m[i].layout) {
            ck_assert_int_eq(objr__layout_lookup(m[i].typed, &l), OBJR_OK);
            ck_assert_str_eq(l.name, m[i].layout);
        } else {
            ck_assert_int_eq(objr__layout_lookup(m[i].typed, &l), OBJR_ERR_LAYOUT);
        }
    }
    static const char *const bad[] = {"7.1.5", "",     "  ",      "71.4",        "7.1.4.1",
                                      "0",     "1234", "./7.1.4", "binaural.txt"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char use[64] = "untouched";
        ck_assert_msg(objr_layout_resolve_name(bad[i], use, sizeof use) == OBJR_ERR_LAYOUT, "'%s'",
                      bad[i]);
        ck_assert_str_eq(use, "untouched");
    }
}
END_TEST

/* Paths are recognised by their form only; names are never paths. */
START_TEST(paths_by_form) {
    ck_assert_int_eq(objr_layout_name_is_path("./binaural"), 1);
    ck_assert_int_eq(objr_layout_name_is_path("rooms/studio"), 1);
    ck_assert_int_eq(objr_layout_name_is_path("studio.txt"), 1);
    ck_assert_int_eq(objr_layout_name_is_path("studio.LAYOUT"), 1);
    ck_assert_int_eq(objr_layout_name_is_path("binaural"), 0);
    ck_assert_int_eq(objr_layout_name_is_path("7.1.4"), 0);
    ck_assert_int_eq(objr_layout_name_is_path(".txt"), 0);
}
END_TEST

/* "Did you mean": the nearest names by edit distance (one substitution, one transposition,
 * one missing character), nothing for a name far from all of them. */
START_TEST(did_you_mean) {
    static const struct {
        const char *typed, *first;
    } m[] = {{"7.1.5", "7.1.4"},       {"sterio", "stereo"},
             {"binarual", "binaural"}, {"headfones", "headphones"},
             {"9.1.7", "9.1.6"},       {"5.1.2dolby", "5.1.2-dolby"},
             {"mnoo", "mono"}};
    for (size_t i = 0; i < sizeof m / sizeof *m; i++) {
        char near[192];
        ck_assert_msg(objr_layout_suggest(m[i].typed, near, sizeof near) >= 1, "'%s'", m[i].typed);
        ck_assert_msg(strncmp(near, m[i].first, strlen(m[i].first)) == 0 &&
                          (near[strlen(m[i].first)] == 0 || near[strlen(m[i].first)] == ','),
                      "'%s' -> '%s'", m[i].typed, near);
    }
    char near[192];
    ck_assert_uint_eq(objr_layout_suggest("xyzzy-room-b", near, sizeof near), 0);
    ck_assert_str_eq(near, "");
    /* at most three, each layout once */
    size_t n = objr_layout_suggest("7.1.x", near, sizeof near);
    ck_assert(n >= 1 && n <= 3);
    ck_assert_ptr_null(strstr(strstr(near, "7.1.4") + 1, "7.1.4"));
}
END_TEST

/* x.y.2 heights: BS.2051's 5.1.2 (System C) at U+-030, Dolby's 5.1.2 and 7.1.2 at the
 * top-middle pair U+-090; the two 5.1.2 share their ear layer. */
START_TEST(x_y_2_heights) {
    objr__layout bs, dl, s712;
    ck_assert_int_eq(objr__layout_lookup("5.1.2", &bs), OBJR_OK);
    ck_assert_int_eq(objr__layout_lookup("5.1.2-dolby", &dl), OBJR_OK);
    ck_assert_int_eq(objr__layout_lookup("7.1.2", &s712), OBJR_OK);
    ck_assert_int_ge(objr__layout_find_label(&bs, "U+030"), 0);
    ck_assert_int_ge(objr__layout_find_label(&bs, "U-030"), 0);
    ck_assert_int_ge(objr__layout_find_label(&dl, "U+090"), 0);
    ck_assert_int_ge(objr__layout_find_label(&dl, "U-090"), 0);
    ck_assert_int_ge(objr__layout_find_label(&s712, "U+090"), 0);
    ck_assert_int_lt(objr__layout_find_label(&dl, "U+030"), 0);
    ck_assert_uint_eq(bs.n_speakers, 8);
    ck_assert_uint_eq(dl.n_speakers, 8);
    for (size_t i = 0; i < 6; i++)
        ck_assert_str_eq(bs.speakers[i].label, dl.speakers[i].label);
    /* Dolby's 5.1.2 in the mask: FL FR FC LFE SL SR TFL TFR (U+-090 written as TFL/TFR) */
    ck_assert_uint_eq(dl.channel_mask, 0x1 | 0x2 | 0x4 | 0x8 | 0x200 | 0x400 | 0x1000 | 0x4000);
    ck_assert_uint_eq(objr__layout_check_ranges(&dl, NULL, 0), 0);
}
END_TEST

/* Mono (1.0): the one speaker gets the power of the BS.2127 0+2+0 gains, for every
 * direction: 1 in front (stereo: 0 dB front), 1/sqrt(2) behind (stereo: -3 dB rear). */
START_TEST(mono_power) {
    objr__layout mono, st;
    ck_assert_int_eq(objr__layout_lookup("mono", &mono), OBJR_OK);
    ck_assert_int_eq(objr__layout_lookup("2.0", &st), OBJR_OK);
    ck_assert_uint_eq(mono.n_speakers, 1);
    ck_assert_uint_eq(mono.channel_mask, 0x4);
    objr__psp *pm = NULL, *ps = NULL;
    ck_assert_int_eq(objr__psp_create(&mono, &pm), OBJR_OK);
    ck_assert_int_eq(objr__psp_create(&st, &ps), OBJR_OK);
    for (int az = -180; az <= 180; az += 15)
        for (int el = -30; el <= 90; el += 30) {
            double dir[3], gm[1], gs[2];
            objr__geom_cart(az, el, 1.0, dir);
            objr__psp_gains(pm, dir, gm);
            objr__psp_gains(ps, dir, gs);
            ck_assert_double_eq_tol(gm[0], sqrt(gs[0] * gs[0] + gs[1] * gs[1]), 1e-12);
        }
    double front[3], back[3], g[1];
    objr__geom_cart(0, 0, 1.0, front);
    objr__geom_cart(180, 0, 1.0, back);
    objr__psp_gains(pm, front, g);
    ck_assert_double_eq_tol(g[0], 1.0, 1e-9);
    objr__psp_gains(pm, back, g);
    ck_assert_double_eq_tol(g[0], sqrt(0.5), 1e-9);
    objr__psp_destroy(pm);
    objr__psp_destroy(ps);
}
END_TEST

static Suite *layouts_suite(void) {
    Suite *s = suite_create("layouts");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, bs2051_orders);
    tcase_add_test(tc, wav_mask_orders);
    tcase_add_test(tc, names_and_aliases);
    tcase_add_test(tc, tables_consistent);
    tcase_add_test(tc, angle_ranges);
    tcase_add_test(tc, custom_ok);
    tcase_add_test(tc, custom_errors);
    tcase_add_test(tc, public_api);
    tcase_add_test(tc, typed_names);
    tcase_add_test(tc, paths_by_form);
    tcase_add_test(tc, did_you_mean);
    tcase_add_test(tc, x_y_2_heights);
    tcase_add_test(tc, mono_power);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(layouts_suite)
