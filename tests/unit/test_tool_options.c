/* SPDX-License-Identifier: BSD-3-Clause */
/* The tools' shared option parser (tools/tool_options.c): value types and ranges, GNU syntax
 * (--name=value, -xVALUE, grouped short flags, "--", "-"), aliases and old spellings, repeated
 * options in order, "did you mean", and the output format from the extension. */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr_master.h"
#include "tools/tool_common.h"
#include "tools/tool_options.h"

enum { O_GAIN, O_N, O_MODE, O_START, O_NAME, O_SET, O_FLAG, O_OLD, O_FORMAT, O_SF, N_OPT };
static const char *const modes[] = {"alpha", "beta", "gamma", NULL};
static const tool_option opts[N_OPT] = {
    [O_GAIN] = {"gain", 'g', TOOL_NUMBER, "dB", "0", -12.0, 12.0, NULL, "dB", "gain", 0, 0, NULL, 0,
                NULL},
    [O_N] = {"count", 'n', TOOL_INT, "N", "1", 0, 10, NULL, NULL, "count", 0, 0, NULL, 0, NULL},
    [O_MODE] = {"mode", 0, TOOL_ENUM, "M", "alpha", 0, 0, modes, NULL, "mode", 0, 0, NULL, 0,
                "a=alpha,b=beta"},
    [O_START] = {"start", 0, TOOL_TIME, "T", "0", 0, 0, NULL, "s", "start", 0, 0, NULL, 0, NULL},
    [O_NAME] = {"name", 0, TOOL_STRING, "S", NULL, 0, 0, NULL, NULL, "name", 0, 0, NULL, 0, NULL},
    [O_SET] = {"set", 0, TOOL_STRING, "K=V", NULL, 0, 0, NULL, NULL, "set", 0, TOOL_OPT_REPEAT,
               NULL, 0, NULL},
    [O_FLAG] = {"flag", 'f', TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL, "flag", 0, 0, NULL, 0, NULL},
    [O_OLD] = {"old-name", 0, TOOL_ALIAS, NULL, NULL, 0, 0, NULL, NULL, NULL, O_NAME,
               TOOL_OPT_DEPRECATED, NULL, 0, NULL},
    [O_FORMAT] = TOOL_OPTION_FORMAT_LEGACY("f32,s24,s16", O_SF),
    [O_SF] = TOOL_OPTION_SAMPLE_FORMAT("f32"),
};
static const tool_cli cli = {"t", "Usage: t", NULL, opts, N_OPT, "OUT", "out", NULL, NULL};

/* Parses a NULL-terminated argument list (argv[0] added). */
static int run(tool_args *a, const char *first, ...) {
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"t";
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s && argc < 31; s = va_arg(ap, const char *))
        argv[argc++] = (char *)s;
    va_end(ap);
    argv[argc] = NULL;
    return tool_parse(&cli, argc, argv, a);
}

START_TEST(values_and_ranges) {
    tool_args a;
    ck_assert_int_eq(run(&a, "--gain", "-6.5", "-n", "3", "--start", "1:02:03.5", NULL), -1);
    ck_assert(tool_given(&a, O_GAIN) && a.v[O_GAIN].num == -6.5);
    ck_assert(a.v[O_N].num == 3);
    ck_assert_double_eq_tol(a.v[O_START].num, 3723.5, 1e-9);
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "--gain", "12.01", NULL), EXIT_USAGE); /* above the range */
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "--gain", "6dB", NULL), EXIT_USAGE);
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "--gain", "nan", NULL), EXIT_USAGE);
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "-n", "1.5", NULL), EXIT_USAGE); /* not an integer */
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "--start", "-1", NULL), EXIT_USAGE);
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "--gain", NULL), EXIT_USAGE); /* missing value */
    tool_args_free(&a);
}
END_TEST

START_TEST(syntax) {
    tool_args a;
    ck_assert_int_eq(run(&a, "--gain=3", "-g-2", "in.wav", "-qvv", "-", "--", "--flag", NULL), -1);
    ck_assert(a.v[O_GAIN].num == -2.0 && a.v[O_GAIN].count == 2); /* the last one wins */
    ck_assert(a.quiet == 1 && a.verbose == 2);
    ck_assert_uint_eq(a.n_pos, 3); /* in.wav, "-" and --flag after "--" */
    ck_assert_str_eq(a.pos[1], "-");
    ck_assert_str_eq(a.pos[2], "--flag");
    ck_assert(!tool_given(&a, O_FLAG));
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "-ofile.wav", "--json", NULL), -1);
    ck_assert_str_eq(a.output, "file.wav");
    ck_assert(a.json);
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "--flag=1", NULL), EXIT_USAGE);
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "--frobnicate", NULL), EXIT_USAGE);
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "-Z", NULL), EXIT_USAGE);
    tool_args_free(&a);
}
END_TEST

START_TEST(enums_aliases_legacy) {
    tool_args a;
    ck_assert_int_eq(run(&a, "--mode", "gamma", "--old-name", "x", NULL), -1);
    ck_assert_int_eq(a.v[O_MODE].choice, 2);
    ck_assert_str_eq(a.v[O_NAME].str, "x"); /* the alias sets the option it spells */
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "--mode", "b", NULL), -1); /* a deprecated spelling of a choice */
    ck_assert_str_eq(a.v[O_MODE].str, "beta");
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "--mode", "delta", NULL), EXIT_USAGE);
    tool_args_free(&a);
    /* --format with an old sample-format value moves to --sample-format */
    ck_assert_int_eq(run(&a, "--format", "s24", NULL), -1);
    ck_assert(!tool_given(&a, O_FORMAT));
    ck_assert(tool_given(&a, O_SF) && a.v[O_SF].choice == TOOL_SF_S24);
    tool_args_free(&a);
    ck_assert_int_eq(run(&a, "--format", "flac", NULL), -1);
    ck_assert_int_eq(a.v[O_FORMAT].choice, TOOL_FF_FLAC);
    tool_args_free(&a);
    /* repeated options in order */
    ck_assert_int_eq(run(&a, "--set", "a=1", "--flag", "--set", "b=2", NULL), -1);
    const char *seen[2];
    size_t n = 0;
    for (size_t k = 0; k < a.n_occ; k++)
        if (a.occ[k].opt == O_SET)
            seen[n++] = a.occ[k].value;
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(seen[0], "a=1");
    ck_assert_str_eq(seen[1], "b=2");
    tool_args_free(&a);
}
END_TEST

START_TEST(did_you_mean) {
    static const char *const names[] = {"layout", "loudness", "hrtf-eq", "quiet", NULL};
    ck_assert_str_eq(tool_closest("layot", names), "layout");
    ck_assert_str_eq(tool_closest("hrtf-e", names), "hrtf-eq"); /* a prefix */
    ck_assert_str_eq(tool_closest("quite", names), "quiet");
    ck_assert_ptr_null(tool_closest("frobnicate", names));
    ck_assert_ptr_null(tool_closest("x", names));
}
END_TEST

START_TEST(output_format) {
    unsigned wav_rf64 = TOOL_FF_BIT(TOOL_FF_WAV) | TOOL_FF_BIT(TOOL_FF_RF64);
    int f = -1;
    ck_assert_int_eq(tool_output_format(&cli, "dir.x/OUT.WAV", -1, wav_rf64, &f), EXIT_OK);
    ck_assert_int_eq(f, TOOL_FF_WAV);
    ck_assert_int_eq(tool_output_format(&cli, "a.bw64", -1, wav_rf64, &f), EXIT_OK);
    ck_assert_int_eq(f, TOOL_FF_RF64);
    ck_assert_int_eq(tool_output_format(&cli, "-", -1, wav_rf64, &f), EXIT_OK);
    ck_assert_int_eq(f, TOOL_FF_WAV);
    f = -1;
    ck_assert_int_eq(tool_output_format(&cli, "a.m4a", -1, wav_rf64, &f), EXIT_USAGE);
    ck_assert_int_eq(tool_output_format(&cli, "dir.x/noext", -1, wav_rf64, &f), EXIT_USAGE);
    ck_assert_int_eq(tool_output_format(&cli, "a.flac", -1, wav_rf64, &f), EXIT_USAGE);
    ck_assert_int_eq(f, -1); /* untouched on refusal */
    ck_assert_int_eq(tool_output_format(&cli, "a.m4a", TOOL_FF_WAV, wav_rf64, &f), EXIT_OK);
    ck_assert_int_eq(f, TOOL_FF_WAV); /* --format wins over the extension */
}
END_TEST

START_TEST(limiter_style_values_follow_the_library) {
    /* --limiter-style's choice index is cast to objr_limiter_style: same names, same order */
    int k = 0;
    for (; tool_limiter_style_values[k]; k++)
        ck_assert_str_eq(tool_limiter_style_values[k],
                         objr_limiter_style_name((objr_limiter_style)k));
    ck_assert_int_eq(k, OBJR_LIMITER_N_STYLES);
}
END_TEST

static Suite *tool_options_suite(void) {
    Suite *s = suite_create("tool_options");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, values_and_ranges);
    tcase_add_test(tc, syntax);
    tcase_add_test(tc, enums_aliases_legacy);
    tcase_add_test(tc, did_you_mean);
    tcase_add_test(tc, output_format);
    tcase_add_test(tc, limiter_style_values_follow_the_library);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(tool_options_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0;
}
