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
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(layouts_suite)
