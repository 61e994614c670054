/* SPDX-License-Identifier: BSD-3-Clause */
/* Core: every status code has a text, diagnostics keep the first error, overflow checks,
 * allocation-failure injection and the CPU mask. */
#include "common/test_common.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"
#include "src/core/core.h"

START_TEST(every_status_has_text) {
    for (int st = OBJR_OK; st >= OBJR_ERR_INTERNAL; st--) {
        const char *t = objr_strerror((objr_status)st);
        ck_assert_ptr_nonnull(t);
        ck_assert_str_ne(t, "unknown status code");
    }
    ck_assert_str_eq(objr_strerror((objr_status)-9999), "unknown status code");
}
END_TEST

START_TEST(diag_keeps_first_error) {
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_uint_eq(d.byte_offset, (size_t)-1);
    objr_status st = objr__diag_set(&d, OBJR_ERR_ADM, "AO_1001", 12, 99, "first %d", 1);
    ck_assert_int_eq(st, OBJR_ERR_ADM);
    objr__diag_set(&d, OBJR_ERR_XML, "AO_1002", 13, 100, "second");
    ck_assert_str_eq(d.message, "first 1");
    ck_assert_str_eq(d.element_id, "AO_1001");
    ck_assert_int_eq(d.line, 12);
    ck_assert_uint_eq(d.byte_offset, 99);
    ck_assert_int_eq(objr__diag_set(NULL, OBJR_ERR_IO, NULL, 0, 0, "x"), OBJR_ERR_IO);
}
END_TEST

START_TEST(mul_size_detects_overflow) {
    size_t out = 7;
    ck_assert(objr__mul_size(3, 5, &out));
    ck_assert_uint_eq(out, 15);
    ck_assert(!objr__mul_size(SIZE_MAX / 2 + 1, 2, &out));
    ck_assert_uint_eq(out, 15); /* untouched on overflow */
    ck_assert(objr__calloc(SIZE_MAX / 4, 8) == NULL);
}
END_TEST

START_TEST(alloc_failure_injection) {
    objr__alloc_fail_after(2);
    void *a = objr__malloc(8);
    void *b = objr__malloc(8);
    void *c = objr__malloc(8);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_null(b);
    ck_assert_ptr_nonnull(c);
    objr__freep(&a);
    objr__freep(&c);
    ck_assert_ptr_null(a);
    ck_assert_ptr_null(c);
}
END_TEST

START_TEST(cpu_mask_restricts_features) {
    objr_set_cpu_mask(~0u);
    unsigned all = objr_cpu_features();
    objr_set_cpu_mask(0);
    ck_assert_uint_eq(objr_cpu_features(), 0);
    objr_set_cpu_mask(OBJR_CPU_SSE2);
    ck_assert_uint_eq(objr_cpu_features(), all & OBJR_CPU_SSE2);
    objr_set_cpu_mask(~0u);
    ck_assert_uint_eq(objr_cpu_features(), all);
#if defined(__x86_64__) && defined(OBJR_HAVE_SIMD)
    ck_assert(all & OBJR_CPU_SSE2); /* SSE2 is part of x86-64 */
#endif
}
END_TEST

/* RFC 8259 §7: quotation mark, reverse solidus and U+0000..U+001F must be escaped; every other
 * byte (UTF-8 included) may stand as it is. Non-finite numbers have no JSON form: null. */
START_TEST(json_text_escapes_what_rfc8259_requires) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    objr_json_write_string(f, "a\"b\\c\n\x01\xc3\xa9");
    fputc(' ', f);
    objr_json_write_string(f, NULL);
    fputc(' ', f);
    objr_json_write_number(f, -1.26, 1);
    fputc(' ', f);
    objr_json_write_number(f, NAN, 3);
    fputc(' ', f);
    objr_json_write_number(f, INFINITY, 3);
    fclose(f);
    ck_assert_str_eq(buf, "\"a\\\"b\\\\c\\u000a\\u0001\xc3\xa9\" null -1.3 null null");
    free(buf);
}
END_TEST

/* A message quotes IDs from the input, and XML text may hold a newline (a CR reads as one):
 * the message stays one line (found by fuzz_mix_pack). */
START_TEST(diag_message_is_one_line) {
    objr_diag d;
    objr_diag_clear(&d);
    objr__diag_set(&d, OBJR_ERR_REFERENCE, "AO_1\n2", 5, (size_t)-1, "ref \"%s\"\tnot\rdefined",
                   "AO_1\n2");
    ck_assert_str_eq(d.message, "ref \"AO_1?2\"?not?defined");
    ck_assert_str_eq(d.element_id, "AO_1?2");
}
END_TEST

START_TEST(version_matches_build) {
    ck_assert_str_eq(objr_version_string(), OBJR_VERSION_STRING_FOR_TEST);
}
END_TEST

static Suite *core_suite(void) {
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_status_has_text);
    tcase_add_test(tc, diag_keeps_first_error);
    tcase_add_test(tc, mul_size_detects_overflow);
    tcase_add_test(tc, alloc_failure_injection);
    tcase_add_test(tc, cpu_mask_restricts_features);
    tcase_add_test(tc, version_matches_build);
    tcase_add_test(tc, diag_message_is_one_line);
    tcase_add_test(tc, json_text_escapes_what_rfc8259_requires);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(core_suite)
