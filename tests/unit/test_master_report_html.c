/* SPDX-License-Identifier: BSD-3-Clause */
/* The HTML mastering report (objr_master_report_write_html): argument checks, never over an
 * input or a master, the page as an output of the masters' set (both or neither in place),
 * and what the page holds (one loudness and one gain-reduction plot per delivery, the album
 * line). The curves' values are checked end to end (tests/e2e/test_objmaster_html.sh). */
#include "common/test_common.h"

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "objrender/objr.h"
#include "src/core/core.h"

#define RATE 48000

static int exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

static char *tmp(const char *name) {
    static char buf[8][4096];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", objr_test_tmpdir(), name);
    return buf[k];
}

/* Stereo 1 kHz sine, -23 dBFS peak per channel (EBU Tech 3341 case 1: -23 LUFS). */
static void write_sine(const char *path, double seconds) {
    SF_INFO info = {0};
    info.samplerate = RATE;
    info.channels = 2;
    info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    ck_assert_ptr_nonnull(sf);
    size_t n = (size_t)(seconds * RATE);
    float *buf = malloc(2 * n * sizeof *buf);
    double a = pow(10.0, -23.0 / 20.0);
    for (size_t i = 0; i < n; i++)
        buf[2 * i] = buf[2 * i + 1] = (float)(a * sin(2 * OBJR_PI * 1000.0 * (double)i / RATE));
    ck_assert_int_eq(sf_writef_float(sf, buf, (sf_count_t)n), (sf_count_t)n);
    sf_close(sf);
    free(buf);
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc((size_t)n + 1, 1);
    ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return s;
}

START_TEST(bad_arguments_write_nothing) {
    const char *in = tmp("a_in.wav"), *out = tmp("a_out.wav"), *page = tmp("a.html");
    write_sine(in, 1.0);
    objr_master_config c = objr_master_config_default();
    objr_master_report r;
    memset(&r, 0, sizeof r);
    objr_master_delivery d = {NULL, in, out, &c, &r, NULL};
    ck_assert_int_eq(objr_master_report_write_html(NULL, NULL, &d, 1, NULL, NULL),
                     OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_master_report_write_html(NULL, page, &d, 0, NULL, NULL),
                     OBJR_ERR_INVALID_ARG);
    d.report = NULL;
    ck_assert_int_eq(objr_master_report_write_html(NULL, page, &d, 1, NULL, NULL),
                     OBJR_ERR_INVALID_ARG);
    ck_assert(!exists(page));
}
END_TEST

START_TEST(never_over_an_input_or_a_master) {
    const char *in = tmp("b_in.wav"), *out = tmp("b_out.wav");
    write_sine(in, 4.0);
    objr_master_config c = objr_master_config_default();
    objr_master_report r;
    objr_diag dg;
    ck_assert_msg(objr_master_file(&c, in, out, &r, &dg) == OBJR_OK, "%s", dg.message);
    struct stat before;
    ck_assert_int_eq(stat(in, &before), 0);
    objr_master_delivery d = {"b", in, out, &c, &r, NULL};
    objr_diag_clear(&dg);
    ck_assert_int_eq(objr_master_report_write_html(NULL, in, &d, 1, NULL, &dg), OBJR_ERR_CONFLICT);
    ck_assert_ptr_nonnull(strstr(dg.message, in));
    ck_assert_int_eq(objr_master_report_write_html(NULL, out, &d, 1, NULL, &dg), OBJR_ERR_CONFLICT);
    struct stat after;
    ck_assert_int_eq(stat(in, &after), 0);
    ck_assert_int_eq(after.st_size, before.st_size);
    ck_assert_int_eq(after.st_mtime, before.st_mtime);
}
END_TEST

/* The page in the masters' set: destroyed uncommitted, neither is left; committed, both. */
START_TEST(page_and_master_one_transaction) {
    const char *in = tmp("c_in.wav"), *out = tmp("c_out.wav"), *page = tmp("c.html");
    write_sine(in, 4.0);
    objr_master_config c = objr_master_config_default();
    objr_master_report r;
    objr_diag dg;
    for (int commit = 0; commit <= 1; commit++) {
        objr_outset *set = NULL;
        ck_assert_int_eq(objr_outset_create(&set), OBJR_OK);
        ck_assert_msg(objr_master_file_in(set, &c, in, out, &r, &dg) == OBJR_OK, "%s", dg.message);
        objr_master_delivery d = {NULL, in, out, &c, &r, NULL};
        ck_assert_msg(objr_master_report_write_html(set, page, &d, 1, NULL, &dg) == OBJR_OK, "%s",
                      dg.message);
        ck_assert(!exists(page)); /* not before the commit */
        if (commit)
            ck_assert_int_eq(objr_outset_commit(set, &dg), OBJR_OK);
        objr_outset_destroy(set);
        ck_assert_int_eq(exists(page), commit);
        ck_assert_int_eq(exists(out), commit);
    }
    /* the uncommitted master was read from its temporary file: both curves were drawn */
    char *s = slurp(page);
    ck_assert_ptr_nonnull(strstr(s, "data-name=\"master\""));
    ck_assert_ptr_nonnull(strstr(s, "data-name=\"input + gain\""));
    free(s);
}
END_TEST

START_TEST(one_section_per_delivery) {
    const char *in[2] = {tmp("d1.wav"), tmp("d2.wav")},
               *out[2] = {tmp("d1_m.wav"), tmp("d2_m.wav")};
    const char *page = tmp("sub/d.html"); /* a missing folder is created */
    write_sine(in[0], 4.0);
    write_sine(in[1], 3.0);
    objr_master_config c = objr_master_config_default();
    objr_master_report r[2];
    objr_master_album_report ar;
    objr_diag dg;
    ck_assert_msg(objr_master_album(&c, in, out, 2, r, &ar, &dg) == OBJR_OK, "%s", dg.message);
    objr_master_delivery d[2] = {{"one <&>", in[0], out[0], &c, &r[0], NULL},
                                 {NULL, in[1], out[1], &c, &r[1], "second input"}};
    ck_assert_msg(objr_master_report_write_html(NULL, page, d, 2, &ar, &dg) == OBJR_OK, "%s",
                  dg.message);
    char *s = slurp(page);
    const char *want[] = {
        "id=\"plot-loudness-0\"", "id=\"plot-gr-0\"",    "id=\"plot-loudness-1\"",
        "id=\"plot-gr-1\"",       "id=\"album\"",        "one &lt;&amp;&gt;",
        "d2_m.wav</a>",           "second input &rarr;", "objrender report: plots ok ("};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        ck_assert_msg(strstr(s, want[k]) != NULL, "page lacks %s", want[k]);
    free(s);
}
END_TEST

static Suite *master_report_html_suite(void) {
    Suite *s = suite_create("master_report_html");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, bad_arguments_write_nothing);
    tcase_add_test(tc, never_over_an_input_or_a_master);
    tcase_add_test(tc, page_and_master_one_transaction);
    tcase_add_test(tc, one_section_per_delivery);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(master_report_html_suite)
