/* SPDX-License-Identifier: BSD-3-Clause */
/* Report writers: report.json carries the verdict, every render with its figures and every
 * finding, with no NaN/inf tokens (JSON has none: they are written as null) and balanced
 * brackets; report.html is one self-contained page (no external resources) with the seven
 * inline SVG plots, each holding drawn geometry; the text summary names the failing object. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"
#include "unit/check_scenes.h"

static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

START_TEST(json_html_and_summary) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Overhead &lt;FX&gt;", "fx.wav", 135, 30, 0.5, SIG_NOISE, 0}};
    objr_check_config cfg = objr_check_config_default();
    cfg.folddown.height_trim_db = OBJR_FOLDDOWN_OFF_DB;
    objr_check_report *r = NULL;
    objr_diag d;
    ck_assert_int_eq(objr_check_run(make_scene("report", o, 2), &cfg, &r, &d), OBJR_OK);
    char jp[512], hp[512];
    snprintf(jp, sizeof jp, "%s/report.json", objr_test_tmpdir());
    snprintf(hp, sizeof hp, "%s/report.html", objr_test_tmpdir());
    ck_assert_int_eq(objr_check_report_write_json(r, jp, &d), OBJR_OK);
    ck_assert_int_eq(objr_check_report_write_html(r, hp, &d), OBJR_OK);

    size_t n;
    char *js = (char *)objr_test_read_file(jp, &n);
    ck_assert_ptr_nonnull(js);
    ck_assert_ptr_nonnull(strstr(js, "\"verdict\": \"fail\""));
    ck_assert_ptr_nonnull(strstr(js, "\"lfe_policy\": \"drop\""));
    ck_assert_ptr_nonnull(strstr(js, "\"name\": \"2.0 Lo/Ro fold-down\""));
    ck_assert_ptr_nonnull(strstr(js, "AO_1002 'Overhead <FX>' vanishes from 2.0 Lo/Ro fold-down"));
    /* no bare NaN/inf number tokens (inside message strings they are text) */
    static const char *const bad[] = {": nan", ": -nan", ": inf", ": -inf", "[nan",
                                      "[-inf", ",nan",   ",-inf", ",inf",   "[inf"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(count(js, bad[i]) == 0, "JSON has '%s'", bad[i]);
    ck_assert_uint_eq(count(js, "{"), count(js, "}"));
    ck_assert_uint_eq(count(js, "["), count(js, "]"));
    free(js);

    char *h = (char *)objr_test_read_file(hp, &n);
    ck_assert_ptr_nonnull(h);
    ck_assert_uint_eq(count(h, "<svg class=\"plot\""), 8);
    ck_assert_uint_eq(count(h, "</svg>"), 8);
    /* self-contained: the only URL is the SVG namespace */
    ck_assert_uint_eq(count(h, "http://") + count(h, "https://"),
                      count(h, "xmlns=\"http://www.w3.org/2000/svg\""));
    ck_assert_uint_eq(count(h, " src="), 0);
    /* object names are escaped, drawn series have geometry */
    ck_assert_ptr_nonnull(strstr(h, "Overhead &lt;FX&gt;"));
    ck_assert_ptr_null(strstr(h, "Overhead <FX>"));
    ck_assert_uint_ge(count(h, "<path class=\"series\""), 6);
    ck_assert_uint_ge(count(h, "<circle class=\"object\""), 2);
    ck_assert_uint_eq(count(h, "<rect class=\"speaker\""), 22); /* 11 speakers, two views */
    free(h);

    char *s = objr_check_report_summary(r);
    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_nonnull(strstr(s, "verdict: fail"));
    ck_assert_ptr_nonnull(strstr(s, "FAIL object_audibility"));
    free(s);
    /* A missing folder is created; a file where a folder should be is an output error. */
    char under_file[1024];
    snprintf(under_file, sizeof under_file, "%s/report-plain-file", objr_test_tmpdir());
    FILE *pf = fopen(under_file, "wb");
    ck_assert_ptr_nonnull(pf);
    fclose(pf);
    strcat(under_file, "/x.json");
    ck_assert_int_eq(objr_check_report_write_json(r, under_file, &d), OBJR_ERR_IO);
    ck_assert_ptr_nonnull(strstr(d.message, under_file));
    objr_check_report_destroy(r);
}
END_TEST

static Suite *report_suite(void) {
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, json_html_and_summary);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(report_suite)
