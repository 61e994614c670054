/* SPDX-License-Identifier: BSD-3-Clause */
/* Long sessions in bounded memory (formats/adm_spill.c, src/core/filemap.c): a document's
 * block arrays in an unlinked temporary file hold exactly what memory would, survive their pages
 * being given back, leave no file behind, and stay out of memory while a renderer is set up and
 * plays; a large mix.xml read through its mapping gives the model a copy would. Memory is
 * measured as the resident size of the temporary file's mapping (/proc/self/smaps), which is
 * the file's whole size when nothing is given back. */
#include "common/test_common.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "common/adm_model_eq.h"
#include "common/xml_builder.h"
#include "formats/adm_model.h"
#include "formats/mix_source.h"
#include "objrender/objr.h"
#include "src/core/filemap.h"

#define RATE 48000u
/* 512 samples (+ half a sample: the builder truncates to whole samples), Pro Tools density */
#define DENSE_BLOCK_S (512.5 / RATE)

static char *session(double seconds, size_t n_objects, size_t *len) {
    objr_test_session s = {seconds, DENSE_BLOCK_S, RATE, 0, NULL, NULL, NULL, n_objects};
    char *xml = objr_test_xml_session(&s, len);
    ck_assert_ptr_nonnull(xml);
    return xml;
}

static objr__adm_model *read_doc(const char *xml, size_t len) {
    objr__adm_read_opts o;
    memset(&o, 0, sizeof o);
    o.file_name = "session.xml";
    objr__adm_model *m = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_msg(objr__adm_xml_read(xml, len, &o, &m, &d) == OBJR_OK, "%s", d.message);
    return m;
}

/* A fresh folder for the temporary files, set as TMPDIR. */
static const char *spill_dir(const char *name) {
    static char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", objr_test_tmpdir(), name);
    ck_assert(mkdir(dir, 0700) == 0 || errno == EEXIST);
    setenv("TMPDIR", dir, 1);
    return dir;
}

/* Resident kB of the mappings of files in @p dir (the spill files, named or unlinked). */
static long resident_kb_in(const char *dir) {
    FILE *f = fopen("/proc/self/smaps", "r");
    ck_assert_ptr_nonnull(f);
    char line[1024];
    int in_dir = 0;
    long kb = 0;
    size_t dl = strlen(dir);
    while (fgets(line, sizeof line, f)) {
        unsigned long a, b;
        char perms[8];
        int off = 0;
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s%n", &a, &b, perms, &off) == 3 && off > 0) {
            const char *path = line + off;
            while (*path == ' ')
                path++;
            in_dir = strncmp(path, dir, dl) == 0 && path[dl] == '/';
            continue;
        }
        long v;
        if (in_dir && sscanf(line, "Rss: %ld kB", &v) == 1)
            kb += v;
    }
    fclose(f);
    return kb;
}

START_TEST(spill_holds_what_memory_holds) {
    const char *dir = spill_dir("spill_equal");
    size_t len;
    char *xml = session(4.0, 6, &len);
    setenv("OBJR_ADM_SPILL_BYTES", "0", 1); /* never */
    objr__adm_model *mem = read_doc(xml, len);
    ck_assert_uint_eq(objr__adm_spill_bytes(mem), 0);
    setenv("OBJR_ADM_SPILL_BYTES", "1", 1); /* every document */
    objr__adm_model *sp = read_doc(xml, len);
    /* every Objects block is in the file: 6 objects x 4 s x 93.75 blocks per second */
    ck_assert_uint_ge(objr__adm_spill_bytes(sp), 6u * 375u * sizeof(objr__adm_block_objects));
    char why[256];
    ck_assert_msg(test_adm_model_equal(mem, sp, why, sizeof why), "%s", why);
    /* pages given back come back from the file with the same contents */
    ck_assert_int_gt(resident_kb_in(dir), -1);
    objr__adm_release_blocks();
    ck_assert_int_le(resident_kb_in(dir), 4);
    ck_assert_msg(test_adm_model_equal(mem, sp, why, sizeof why), "%s", why);
    /* the fix pass writes through the mapping like memory */
    objr__adm_validate(mem, 0);
    objr__adm_validate(sp, 0);
    ck_assert_msg(test_adm_model_equal(mem, sp, why, sizeof why), "%s", why);
    objr__adm_model_destroy(sp);
    objr__adm_model_destroy(mem);
    ck_assert_uint_eq(objr_test_dir_entries(dir), 0); /* nothing left behind */
    unsetenv("OBJR_ADM_SPILL_BYTES");
    unsetenv("TMPDIR");
    free(xml);
}
END_TEST

/* A renderer of a spilled session: set-up reads every block once (timing, diffuse), playing
 * reads them in order; either would leave the whole file resident without the releases. */
START_TEST(render_keeps_blocks_out_of_memory) {
    const char *dir = spill_dir("spill_render");
    enum { N_OBJ = 16, SECONDS = 60, CHUNK = 1024 };
    size_t len;
    char *xml = session(SECONDS, N_OBJ, &len);
    setenv("OBJR_ADM_SPILL_BYTES", "1", 1);
    objr_bwf_chna_entry chna[N_OBJ];
    memset(chna, 0, sizeof chna);
    for (int i = 0; i < N_OBJ; i++) {
        chna[i].track_index = (uint16_t)(i + 1);
        snprintf(chna[i].uid, sizeof chna[i].uid, "ATU_%08X", i + 1);
    }
    const char *layouts[] = {"7.1.4"};
    objr_renderer *r = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_msg(objr_renderer_create(NULL, xml, len, chna, N_OBJ, N_OBJ, RATE, layouts, 1, &d,
                                       &r) == OBJR_OK,
                  "%s", d.message);
    /* the file's size: 16 objects x 60 s x 93.75 blocks x one block struct */
    const long file_kb = (long)(N_OBJ * SECONDS * 93.75 * sizeof(objr__adm_block_objects) / 1024);
    ck_assert_int_gt(file_kb, 30000);
    long after_create = resident_kb_in(dir);
    ck_assert_msg(after_create < 2048, "%ld kB resident after create", after_create);
    /* while playing: at most a few seconds of blocks (1 s between releases, plus the kernel's
     * fault-around of 64 kB per object) */
    const long bound_kb = (long)(N_OBJ * 3.0 * 93.75 * sizeof(objr__adm_block_objects) / 1024) +
                          N_OBJ * 2 * 64 + 1024;
    ck_assert_int_lt(bound_kb * 4, file_kb);
    static float in_buf[N_OBJ][CHUNK], out_buf[12][CHUNK];
    const float *in[N_OBJ];
    float *out[12];
    for (int i = 0; i < N_OBJ; i++)
        in[i] = in_buf[i];
    for (int c = 0; c < 12; c++)
        out[c] = out_buf[c];
    long peak = 0;
    for (size_t done = 0, k = 0; done < (size_t)SECONDS * RATE; done += CHUNK, k++) {
        for (int i = 0; i < N_OBJ; i++)
            for (int j = 0; j < CHUNK; j++)
                in_buf[i][j] = (j & 1) ? 0.1f : -0.1f;
        ck_assert_int_eq(objr_renderer_process(r, in, out, CHUNK), OBJR_OK);
        if (k % 40 == 0) {
            long kb = resident_kb_in(dir);
            peak = kb > peak ? kb : peak;
        }
    }
    ck_assert_msg(peak < bound_kb, "%ld kB resident while playing (bound %ld, file %ld)", peak,
                  bound_kb, file_kb);
    ck_assert_int_gt(peak, 0); /* the measure sees the mapping at all */
    objr_renderer_destroy(r);
    ck_assert_uint_eq(objr_test_dir_entries(dir), 0);
    unsetenv("OBJR_ADM_SPILL_BYTES");
    unsetenv("TMPDIR");
    free(xml);
}
END_TEST

/* A mix.xml over the mapping threshold is read through its mapping into a spilled model: the
 * same model as a copy of its text read into memory gives. */
START_TEST(large_mix_xml_mapped) {
    const char *dir = spill_dir("spill_mapped");
    size_t len;
    char *xml = session(60.0, 16, &len);
    ck_assert_uint_ge(len, OBJR__FILEMAP_MIN_BYTES);
    char path[600];
    snprintf(path, sizeof path, "%s/mix.xml", dir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(xml, 1, len, f), len);
    fclose(f);
    setenv("OBJR_ADM_SPILL_BYTES", "0", 1);
    objr__adm_model *copy = read_doc(xml, len);
    setenv("OBJR_ADM_SPILL_BYTES", "1", 1);
    objr__mix_source_config mc = objr__mix_source_config_default();
    mc.validate = 0;
    objr__mix_source *ms = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_msg(objr__mix_source_open(path, &mc, &d, &ms) == OBJR_OK, "%s", d.message);
    const objr__adm_model *m = objr__mix_source_model(ms);
    ck_assert_uint_gt(objr__adm_spill_bytes(m), 0);
    char why[256];
    ck_assert_msg(test_adm_model_equal(copy, m, why, sizeof why), "%s", why);
    objr__mix_source_destroy(ms);
    objr__adm_model_destroy(copy);
    remove(path);
    ck_assert_uint_eq(objr_test_dir_entries(dir), 0);
    unsetenv("OBJR_ADM_SPILL_BYTES");
    unsetenv("TMPDIR");
    free(xml);
}
END_TEST

/* A temporary file that cannot grow (here a file-size limit; a full disk alike) is one clear
 * error naming the folder, not a crash when a page is first written. */
START_TEST(spill_without_room_is_an_error) {
    const char *dir = spill_dir("spill_full");
    size_t len;
    char *xml = session(20.0, 16, &len); /* about 11 MB of blocks */
    setenv("OBJR_ADM_SPILL_BYTES", "1", 1);
    struct rlimit old;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    struct rlimit lim = old;
    lim.rlim_cur = (rlim_t)4 << 20;
    signal(SIGXFSZ, SIG_IGN); /* the limit is then an error, EFBIG */
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    objr__adm_read_opts o;
    memset(&o, 0, sizeof o);
    o.file_name = "long.xml";
    objr__adm_model *m = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr__adm_xml_read(xml, len, &o, &m, &d);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    ck_assert_int_eq(st, OBJR_ERR_IO);
    ck_assert_ptr_null(m);
    ck_assert_msg(
        strstr(d.message, "long.xml: cannot grow the temporary file of block formats in ") &&
            strstr(d.message, dir) && strstr(d.message, "TMPDIR"),
        "%s", d.message);
    ck_assert_uint_eq(objr_test_dir_entries(dir), 0);
    unsetenv("OBJR_ADM_SPILL_BYTES");
    unsetenv("TMPDIR");
    free(xml);
}
END_TEST

static Suite *spill_suite(void) {
    Suite *s = suite_create("adm_spill");
    TCase *t = tcase_create("spill");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, spill_holds_what_memory_holds);
    tcase_add_test(t, render_keeps_blocks_out_of_memory);
    tcase_add_test(t, large_mix_xml_mapped);
    tcase_add_test(t, spill_without_room_is_an_error);
    suite_add_tcase(s, t);
    return s;
}

OBJR_TEST_MAIN(spill_suite)
