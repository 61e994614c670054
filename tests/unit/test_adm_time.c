/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM time values (BS.2076-2): timecode with 1..9 fractional digits, short forms, the
 * fractional "S" form, exact rationals, round-trip formatting and rejection of bad text. */
#include "common/test_common.h"

#include <string.h>

#include "formats/adm_model.h"

static objr__adm_time parse_ok(const char *s) {
    objr__adm_time t;
    char e[128];
    ck_assert_msg(objr__adm_time_parse(s, &t, e, sizeof e) == OBJR_OK, "%s: %s", s, e);
    return t;
}

START_TEST(timecode_forms) {
    objr__adm_time t = parse_ok("00:00:01.50000");
    ck_assert_int_eq(t.num, 150000);
    ck_assert_int_eq(t.den, 100000);
    ck_assert_int_eq(t.form, OBJR__TIME_TIMECODE);
    t = parse_ok("00:00:00.25"); /* EAR short form */
    ck_assert_int_eq(t.num, 25);
    ck_assert_int_eq(t.den, 100);
    t = parse_ok("01:02:03.000000001"); /* 9 digits: nanoseconds */
    ck_assert_int_eq(t.den, 1000000000);
    ck_assert_int_eq(t.num, (int64_t)3723 * 1000000000 + 1);
    t = parse_ok("17:30:00.00000");
    ck_assert_double_eq_tol(objr__adm_time_seconds(t), 63000.0, 1e-9);
}
END_TEST

START_TEST(fractional_form) {
    objr__adm_time t = parse_ok("00:00:00.1S48000");
    ck_assert_int_eq(t.form, OBJR__TIME_FRACTIONAL);
    ck_assert_int_eq(t.num, 1);
    ck_assert_int_eq(t.den, 48000);
    t = parse_ok("00:00:02.01920S48000");
    ck_assert_int_eq(t.num, 2 * 48000 + 1920);
    /* 1920/48000 = 0.04 s exactly */
    objr__adm_time u = parse_ok("00:00:02.04000");
    ck_assert_int_eq(objr__adm_time_cmp(t, u), 0);
}
END_TEST

START_TEST(format_round_trip) {
    static const char *const forms[] = {"00:00:01.50000",     "00:00:00.25",
                                        "10:59:59.123456789", "00:00:02.01920S48000",
                                        "00:00:00.1S48000",   "00:00:05"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char buf[OBJR__ADM_TIME_TEXT_SIZE];
        objr__adm_time_format(parse_ok(forms[i]), buf, sizeof buf);
        ck_assert_str_eq(buf, forms[i]);
    }
}
END_TEST

START_TEST(rejects_garbage) {
    static const char *const bad[] = {"",
                                      "abc",
                                      "-00:00:01.0",
                                      "00:60:00.0",
                                      "00:00:61.0",
                                      "00:00:00.",
                                      "00:00:00.1234567890",
                                      "00:00:00.5S0",
                                      "00:00:00.5S3",
                                      "9999999:00:00.0",
                                      "00:00:00.1x",
                                      "1:2",
                                      "00:00:00.1S99999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        objr__adm_time t = {7, 1, 0, 0};
        char e[128] = "";
        ck_assert_msg(objr__adm_time_parse(bad[i], &t, e, sizeof e) == OBJR_ERR_RANGE, "%s",
                      bad[i]);
        ck_assert_msg(strstr(e, "invalid time") != NULL, "%s: %s", bad[i], e);
        ck_assert_int_eq(t.num, 7); /* untouched */
    }
}
END_TEST

START_TEST(add_and_compare) {
    objr__adm_time a = parse_ok("00:00:01.00000"), b = parse_ok("00:00:00.1S3"), s;
    ck_assert(objr__adm_time_add(a, b, &s));
    ck_assert_double_eq_tol(objr__adm_time_seconds(s), 1.0 + 1.0 / 3.0, 1e-12);
    ck_assert_int_eq(objr__adm_time_cmp(a, s), -1);
    ck_assert_int_eq(objr__adm_time_cmp(s, a), 1);
}
END_TEST

static Suite *adm_time_suite(void) {
    Suite *s = suite_create("adm_time");
    TCase *tc = tcase_create("time");
    tcase_add_test(tc, timecode_forms);
    tcase_add_test(tc, fractional_form);
    tcase_add_test(tc, format_round_trip);
    tcase_add_test(tc, rejects_garbage);
    tcase_add_test(tc, add_and_compare);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(adm_time_suite)
