/* SPDX-License-Identifier: BSD-3-Clause */
/* BWF reader on the real ADM BWF files of ../shared/adm-corpus (skipped when absent): chunk
 * order, fmt, chna entries, axml presence and first bytes, frame counts as MANIFEST.md lists
 * them, and decoded samples identical to libsndfile's decode of the same file. */
#include "common/test_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "formats/bwf_internal.h"
#include "objrender/objr.h"

typedef struct corpus_wav {
    const char *name;
    const char *chunks; /* ids joined by '|' */
    unsigned n_channels, bits;
    unsigned long data_bytes;
    unsigned n_tracks_declared, n_uids;
    const char *first_uid, *first_track_ref, *first_pack_ref;
    size_t axml_bytes;
    const char *axml_prefix;
} corpus_wav;

/* Values from ../shared/adm-corpus/MANIFEST.md (and a byte dump of the same files). */
static const corpus_wav corpus[] = {
    {"ebu-ear__test_bwf.wav", "JUNK|fmt |chna|axml|data", 4, 24, 144000, 4, 5, "ATU_00000001",
     "AT_00031001_01", "AP_00031001", 9590, "<ebuCoreMain xmlns="},
    {"ebu-eps__hoa_4ch_bwf_1stOrderAmbix.wav", "JUNK|fmt |chna|axml|data", 4, 16, 8192, 4, 4,
     "ATU_00000001", "AT_00011001_01", "AP_00041001", 5709, "<ebuCoreMain"},
    {"ebu-eps__hoa_4ch_1stOrderAmbix_commondef.wav", "JUNK|fmt |chna|axml|data", 4, 24, 1728000, 4,
     4, "ATU_00000001", "AT_00040001_01", "AP_00040001", 1786, "<?xml"},
    {"bbc-eps__channels_mono_adm.wav", "JUNK|fmt |data|chna|axml", 1, 24, 432000, 1, 1,
     "ATU_00000001", "AT_00010003_01", "AP_00010001", 1168, "<?xml"},
    {"ebu-eps__two_prog.wav", "JUNK|fmt |chna|axml|data", 1, 24, 393216, 1, 1, "ATU_00000001",
     "AT_00010003_01", "AP_00010001", 1177, "<?xml"},
    {"ebu-eps__three_ao-one_atu.wav", "JUNK|fmt |chna|axml|data", 1, 24, 432000, 1, 1,
     "ATU_00000001", "AT_00031001_01", "AP_00031001", 3769, "<?xml"},
    {"ebu-eps__ds-all-tfs-not-in-pf.wav", "JUNK|fmt |chna|axml|data", 1, 24, 2044527, 1, 1,
     "ATU_00000001", "AT_0001000d_01", "AP_00010001", 1051, "<?xml"},
    {"bbc-bmx__adm_1.wav", "JUNK|fmt |chna|axml|data", 4, 24, 23040, 4, 4, "ATU_00000001",
     "AT_00010001_01", "AP_00010002", 1758, "<?xml"},
};
#define N_CORPUS (int)(sizeof corpus / sizeof *corpus)

START_TEST(corpus_structure) {
    const corpus_wav *c = &corpus[_i];
    const char *path = objr_test_corpus_path(c->name);
    if (!path)
        return; /* corpus absent: skip cleanly */
    objr_diag dg;
    objr_diag_clear(&dg);
    objr_bwf *f;
    ck_assert_msg(objr_bwf_open_file(path, NULL, &dg, &f) == OBJR_OK, "%s", dg.message);
    char ids[128] = "";
    for (size_t i = 0; i < objr_bwf_chunk_count(f); i++) {
        objr_bwf_chunk ch;
        objr_bwf_get_chunk(f, i, &ch);
        if (i)
            strcat(ids, "|");
        strcat(ids, ch.id);
    }
    ck_assert_str_eq(ids, c->chunks);
    objr_bwf_format fm;
    objr_bwf_get_format(f, &fm);
    ck_assert_int_eq(fm.container, OBJR_BWF_CONTAINER_RIFF);
    ck_assert_uint_eq(fm.format_tag, 1);
    ck_assert_uint_eq(fm.n_channels, c->n_channels);
    ck_assert_uint_eq(fm.sample_rate_hz, 48000);
    ck_assert_uint_eq(fm.bits_per_sample, c->bits);
    ck_assert_uint_eq(fm.data_bytes, c->data_bytes);
    ck_assert_uint_eq(fm.n_frames, c->data_bytes / (c->n_channels * c->bits / 8));
    const objr__chna *cn = objr__bwf_chna(f);
    ck_assert_ptr_nonnull(cn);
    ck_assert_uint_eq(cn->n_tracks_declared, c->n_tracks_declared);
    ck_assert_uint_eq(cn->n_entries, c->n_uids);
    ck_assert_uint_eq(cn->entries[0].track_index, 1);
    ck_assert_str_eq(cn->entries[0].uid, c->first_uid);
    ck_assert_str_eq(cn->entries[0].track_ref, c->first_track_ref);
    ck_assert_str_eq(cn->entries[0].pack_ref, c->first_pack_ref);
    for (size_t i = 0; i < cn->n_entries; i++) /* every track index names a real channel */
        ck_assert(cn->entries[i].track_index >= 1 && cn->entries[i].track_index <= c->n_channels);
    const uint8_t *ax;
    size_t axn;
    objr_bwf_get_axml(f, &ax, &axn);
    ck_assert_ptr_nonnull(ax);
    ck_assert_uint_eq(axn, c->axml_bytes);
    ck_assert(memcmp(ax, c->axml_prefix, strlen(c->axml_prefix)) == 0);
    objr_bwf_close(f);
}
END_TEST

/* EAR's test file: 4 tracks, 5 UIDs, the two on track 3 time-multiplexed. */
START_TEST(ear_shared_track) {
    const char *path = objr_test_corpus_path("ebu-ear__test_bwf.wav");
    if (!path)
        return;
    objr_bwf *f;
    ck_assert_int_eq(objr_bwf_open_file(path, NULL, NULL, &f), OBJR_OK);
    ck_assert_uint_eq(objr_bwf_chna_count(f), 5);
    const unsigned tracks[] = {1, 2, 3, 3, 4};
    for (size_t i = 0; i < 5; i++) {
        objr_bwf_chna_entry e;
        ck_assert_int_eq(objr_bwf_get_chna_entry(f, i, &e), OBJR_OK);
        ck_assert_uint_eq(e.track_index, tracks[i]);
    }
    objr_bwf_chna_entry e;
    objr_bwf_get_chna_entry(f, 3, &e);
    ck_assert_str_eq(e.uid, "ATU_00000004");
    ck_assert_str_eq(e.track_ref, "AT_00011004_01");
    objr_bwf_close(f);
}
END_TEST

/* Our decode equals libsndfile's, sample for sample, for every corpus WAV. */
START_TEST(corpus_samples_match_libsndfile) {
    const corpus_wav *c = &corpus[_i];
    const char *path = objr_test_corpus_path(c->name);
    if (!path)
        return;
    objr_bwf *f;
    ck_assert_int_eq(objr_bwf_open_file(path, NULL, NULL, &f), OBJR_OK);
    objr_bwf_format fm;
    objr_bwf_get_format(f, &fm);
    SF_INFO si;
    memset(&si, 0, sizeof si);
    SNDFILE *sf = sf_open(path, SFM_READ, &si);
    ck_assert_ptr_nonnull(sf);
    ck_assert_int_eq(si.channels, (int)fm.n_channels);
    ck_assert_int_eq(si.frames, (sf_count_t)fm.n_frames);
    enum { BLOCK = 4096 };
    size_t nch = fm.n_channels;
    float *il = malloc(BLOCK * nch * sizeof(float));
    float *pl[8];
    for (size_t ch = 0; ch < nch; ch++)
        pl[ch] = malloc(BLOCK * sizeof(float));
    uint64_t total = 0;
    for (;;) {
        size_t got;
        ck_assert_int_eq(objr_bwf_read_f32(f, pl, BLOCK, &got), OBJR_OK);
        sf_count_t sgot = sf_readf_float(sf, il, BLOCK);
        ck_assert_int_eq((sf_count_t)got, sgot);
        /* (plain loop: a Check assert per sample would cost a syscall each) */
        size_t bad = (size_t)-1;
        for (size_t i = 0; i < got && bad == (size_t)-1; i++)
            for (size_t ch = 0; ch < nch; ch++)
                if (pl[ch][i] != il[i * nch + ch])
                    bad = i;
        ck_assert_msg(bad == (size_t)-1, "%s: frame %llu differs", c->name,
                      (unsigned long long)(total + bad));
        total += got;
        if (got < BLOCK)
            break;
    }
    ck_assert_uint_eq(total, fm.n_frames);
    for (size_t ch = 0; ch < nch; ch++)
        free(pl[ch]);
    free(il);
    sf_close(sf);
    objr_bwf_close(f);
}
END_TEST

static Suite *bwf_corpus_suite(void) {
    Suite *s = suite_create("bwf_corpus");
    TCase *t = tcase_create("corpus");
    tcase_set_timeout(t, 60);
    tcase_add_loop_test(t, corpus_structure, 0, N_CORPUS);
    tcase_add_test(t, ear_shared_track);
    tcase_add_loop_test(t, corpus_samples_match_libsndfile, 0, N_CORPUS);
    suite_add_tcase(s, t);
    return s;
}

OBJR_TEST_MAIN(bwf_corpus_suite)
