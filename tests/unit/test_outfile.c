/* SPDX-License-Identifier: BSD-3-Clause */
/* Output transaction (src/core/outfile.c): all outputs in place or none, with rename failures
 * injected at every position; previous files kept; temporaries and created folders removed;
 * modes from the umask; the run's inputs by device and inode; devices, symlinks, folders,
 * FIFOs and stdout; allocation failure at every step. */
#include "common/test_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "objrender/objr.h"
#include "src/core/outfile.h"

/* A fresh folder under the test tmpdir. */
static const char *fresh_dir(const char *name) {
    static char d[4][1024];
    static int k;
    char *p = d[k++ & 3];
    snprintf(p, 1024, "%s/outfile-%s-%ld", objr_test_tmpdir(), name, (long)getpid());
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", p);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_eq(mkdir(p, 0777), 0);
    return p;
}

static void put_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* The file's contents ("" when missing), in a static buffer. */
static const char *text_of(const char *path) {
    static char buf[256];
    buf[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return "<missing>";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static void join(char *out, const char *dir, const char *name) {
    snprintf(out, 1100, "%s/%s", dir, name);
}

/* Three outputs: a and b exist (old contents), c is new. Write new contents. */
static objr_status write_three(const char *dir, objr_outset **set) {
    char p[3][1100];
    join(p[0], dir, "a.txt");
    join(p[1], dir, "b.txt");
    join(p[2], dir, "c.txt");
    objr_status st = objr_outset_create(set);
    for (int i = 0; i < 3 && st == OBJR_OK; i++) {
        FILE *f;
        st = objr_outset_open(*set, p[i], NULL, &f);
        if (st == OBJR_OK)
            fprintf(f, "new%d", i);
    }
    return st;
}

START_TEST(commit_puts_all_in_place) {
    const char *dir = fresh_dir("all");
    char a[1100], b[1100], c[1100];
    join(a, dir, "a.txt");
    join(b, dir, "b.txt");
    join(c, dir, "c.txt");
    put_text(a, "old0");
    put_text(b, "old1");
    mode_t old_mask = umask(027);
    objr_outset *set;
    ck_assert_int_eq(write_three(dir, &set), OBJR_OK);
    ck_assert_str_eq(text_of(a), "old0");             /* untouched before commit */
    ck_assert_uint_eq(objr_test_dir_entries(dir), 5); /* a, b and three temporaries */
    ck_assert_int_eq(objr_outset_commit(set, NULL), OBJR_OK);
    ck_assert_int_eq(objr_outset_commit(set, NULL), OBJR_ERR_STATE);
    objr_outset_destroy(set);
    umask(old_mask);
    ck_assert_str_eq(text_of(a), "new0");
    ck_assert_str_eq(text_of(b), "new1");
    ck_assert_str_eq(text_of(c), "new2");
    ck_assert_uint_eq(objr_test_dir_entries(dir), 3); /* no temporary, no kept previous file */
    struct stat st;
    ck_assert_int_eq(stat(c, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0640); /* 0666 & ~027, not mkstemp's 0600 */
    ck_assert_int_eq(stat(a, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0640);
}
END_TEST

/* The k-th rename fails (k = 1..3): every target as before the run, nothing else left. */
START_TEST(rename_failure_rolls_back) {
    const int k = _i + 1;
    const char *dir = fresh_dir("rollback");
    char a[1100], b[1100], c[1100];
    join(a, dir, "a.txt");
    join(b, dir, "b.txt");
    join(c, dir, "c.txt");
    put_text(a, "old0");
    put_text(b, "old1");
    objr_outset *set;
    ck_assert_int_eq(write_three(dir, &set), OBJR_OK);
    objr__outset_fail_rename_after(k);
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_int_eq(objr_outset_commit(set, &d), OBJR_ERR_IO);
    objr__outset_fail_rename_after(0);
    objr_outset_destroy(set);
    const char *failed = k == 1 ? a : k == 2 ? b : c;
    ck_assert_msg(strstr(d.message, failed) && !strstr(d.message, ".tmp-"),
                  "message names the output, not a temporary: %s", d.message);
    ck_assert_str_eq(text_of(a), "old0");
    ck_assert_str_eq(text_of(b), "old1");
    ck_assert_str_eq(text_of(c), "<missing>");
    ck_assert_uint_eq(objr_test_dir_entries(dir), 2);
}
END_TEST

START_TEST(destroy_without_commit_changes_nothing) {
    const char *dir = fresh_dir("abort");
    char a[1100], deep[1100];
    join(a, dir, "a.txt");
    join(deep, dir, "x/y/z.txt");
    put_text(a, "old0");
    objr_outset *set;
    FILE *f;
    ck_assert_int_eq(objr_outset_create(&set), OBJR_OK);
    ck_assert_int_eq(objr_outset_open(set, a, NULL, &f), OBJR_OK);
    fputs("new", f);
    ck_assert_int_eq(objr_outset_open(set, deep, NULL, &f), OBJR_OK); /* folders created */
    char x[1100];
    join(x, dir, "x/y");
    struct stat st;
    ck_assert_int_eq(stat(x, &st), 0);
    objr_outset_destroy(set);
    ck_assert_str_eq(text_of(a), "old0");
    ck_assert_uint_eq(objr_test_dir_entries(dir), 1); /* the folders it made are gone too */
}
END_TEST

START_TEST(inputs_by_device_and_inode) {
    const char *dir = fresh_dir("inputs");
    char in[1100], other[1100], link_[1100], hard[1100], out[1100];
    join(in, dir, "in.wav");
    join(other, dir, "sub/../in.wav");
    join(link_, dir, "link.wav");
    join(hard, dir, "hard.wav");
    join(out, dir, "out.wav");
    put_text(in, "input");
    char sub[1100];
    join(sub, dir, "sub");
    ck_assert_int_eq(mkdir(sub, 0777), 0);
    ck_assert_int_eq(symlink("in.wav", link_), 0);
    ck_assert_int_eq(link(in, hard), 0);
    objr_outset *set;
    FILE *f;
    ck_assert_int_eq(objr_outset_create(&set), OBJR_OK);
    ck_assert_int_eq(objr_outset_add_input(set, in, NULL), OBJR_OK);
    ck_assert_int_eq(objr_outset_add_input(set, "-", NULL), OBJR_OK);
    ck_assert_int_eq(objr_outset_add_input(set, "/nonexistent/x", NULL), OBJR_OK);
    const char *same[] = {in, other, link_, hard};
    for (size_t i = 0; i < 4; i++) {
        objr_diag d;
        objr_diag_clear(&d);
        ck_assert_int_eq(objr_outset_open(set, same[i], &d, &f), OBJR_ERR_CONFLICT);
        ck_assert(strstr(d.message, same[i]) != NULL);
        ck_assert_int_eq(objr_outset_check(set, same[i], NULL), OBJR_ERR_CONFLICT);
    }
    /* An output first, then an input found to be the same file. */
    put_text(out, "previous");
    ck_assert_int_eq(objr_outset_open(set, out, NULL, &f), OBJR_OK);
    ck_assert_int_eq(objr_outset_add_input(set, out, NULL), OBJR_ERR_CONFLICT);
    /* The same output twice. */
    ck_assert_int_eq(objr_outset_open(set, out, NULL, &f), OBJR_ERR_CONFLICT);
    objr_outset_destroy(set);
    ck_assert_str_eq(text_of(in), "input");
    ck_assert_str_eq(text_of(out), "previous");
}
END_TEST

START_TEST(kinds_of_output) {
    const char *dir = fresh_dir("kinds");
    char folder[1100], fifo[1100], real[1100], link_[1100], dangling[1100], under[1100];
    join(folder, dir, "folder");
    join(fifo, dir, "fifo");
    join(real, dir, "real.txt");
    join(link_, dir, "link.txt");
    join(dangling, dir, "dangling.txt");
    join(under, dir, "real.txt/x.txt");
    ck_assert_int_eq(mkdir(folder, 0777), 0);
    ck_assert_int_eq(mkfifo(fifo, 0666), 0);
    put_text(real, "old");
    ck_assert_int_eq(symlink("real.txt", link_), 0);
    ck_assert_int_eq(symlink("missing.txt", dangling), 0);
    objr_outset *set;
    FILE *f;
    ck_assert_int_eq(objr_outset_create(&set), OBJR_OK);
    ck_assert_int_eq(objr_outset_open(set, folder, NULL, &f), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_outset_open(set, fifo, NULL, &f), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_outset_open(set, dangling, NULL, &f), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_outset_open(set, under, NULL, &f), OBJR_ERR_IO);
    ck_assert_int_eq(objr_outset_open(set, "/dev/null", NULL, &f), OBJR_OK);
    fputs("discarded", f);
    ck_assert_int_eq(objr_outset_open(set, link_, NULL, &f), OBJR_OK);
    fputs("new", f);
    ck_assert_int_eq(objr_outset_open(set, "-", NULL, &f), OBJR_ERR_INVALID_ARG); /* not alone */
    ck_assert_int_eq(objr_outset_commit(set, NULL), OBJR_OK);
    objr_outset_destroy(set);
    struct stat st;
    ck_assert_int_eq(lstat(link_, &st), 0);
    ck_assert(S_ISLNK(st.st_mode)); /* written through, the link stays */
    ck_assert_str_eq(text_of(real), "new");
    ck_assert_int_eq(stat("/dev/null", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));
    ck_assert_uint_eq(objr_test_dir_entries(dir), 5);
}
END_TEST

START_TEST(input_kinds) {
    const char *dir = fresh_dir("inkinds");
    char fifo[1100], file[1100];
    join(fifo, dir, "fifo");
    join(file, dir, "f.txt");
    ck_assert_int_eq(mkfifo(fifo, 0666), 0);
    put_text(file, "x");
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_int_eq(objr_input_check(fifo, &d), OBJR_ERR_INVALID_ARG); /* and no hang */
    ck_assert(strstr(d.message, "FIFO") && strstr(d.message, fifo));
    ck_assert_int_eq(objr_input_check(dir, NULL), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_input_check("/dev/null", NULL), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_input_check(file, NULL), OBJR_OK);
    objr_diag_clear(&d);
    ck_assert_int_eq(objr_input_check("/nonexistent/x", &d), OBJR_ERR_IO);
    ck_assert(strstr(d.message, "/nonexistent/x") != NULL);
}
END_TEST

/* Fail the Nth allocation for every N: either success or a clean NOMEM, and never a target
 * changed on failure or a temporary left. */
START_TEST(allocation_failures) {
    const char *dir = fresh_dir("nomem");
    char a[1100];
    join(a, dir, "a.txt");
    for (long n = 1; n < 64; n++) {
        put_text(a, "old0");
        objr__alloc_fail_after(n);
        objr_outset *set = NULL;
        FILE *f;
        objr_status st = objr_outset_create(&set);
        if (st == OBJR_OK)
            st = objr_outset_add_input(set, "/dev/null", NULL);
        if (st == OBJR_OK && (st = objr_outset_open(set, a, NULL, &f)) == OBJR_OK)
            fputs("new", f);
        if (st == OBJR_OK)
            st = objr_outset_commit(set, NULL);
        objr__alloc_fail_after(0);
        objr_outset_destroy(set);
        ck_assert(st == OBJR_OK || st == OBJR_ERR_NOMEM);
        ck_assert_str_eq(text_of(a), st == OBJR_OK ? "new" : "old0");
        ck_assert_uint_eq(objr_test_dir_entries(dir), 1);
    }
}
END_TEST

static Suite *outfile_suite(void) {
    Suite *s = suite_create("outfile");
    TCase *tc = tcase_create("transaction");
    tcase_add_test(tc, commit_puts_all_in_place);
    tcase_add_loop_test(tc, rename_failure_rolls_back, 0, 3);
    tcase_add_test(tc, destroy_without_commit_changes_nothing);
    tcase_add_test(tc, inputs_by_device_and_inode);
    tcase_add_test(tc, kinds_of_output);
    tcase_add_test(tc, input_kinds);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(outfile_suite)
