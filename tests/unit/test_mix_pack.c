/* SPDX-License-Identifier: BSD-3-Clause */
/* objr_mix_pack / objr_mix_unpack (include/objrender/objr_pack.h): a mix.xml with stems packed
 * into an ADM BWF (chna rows from the audioTrackUIDs, tracks in order of first (file, channel),
 * samples copied exactly, axml = the document without the urn:objrender:mix:1 extension as
 * libxml2 serialises the parsed document), unpacked and packed again to the same file; errors
 * (missing stem, stem at another rate, output onto an input) as one line naming the file, with
 * nothing written. */
#include "common/test_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common/adm_model_eq.h"
#include "formats/adm_model.h"
#include "objrender/objr.h"

#define RATE 48000u
#define N_FRAMES 5000 /* more than one copy block (4096) */

static char g_dir[512];

static const char *tmp(const char *name) {
    static char p[6][768];
    static int k;
    k = (k + 1) % 6;
    snprintf(p[k], sizeof p[k], "%s/%s", g_dir, name);
    return p[k];
}

static void setup(void) {
    snprintf(g_dir, sizeof g_dir, "%s/mix_pack_%ld", objr_test_tmpdir(), (long)getpid());
    mkdir(g_dir, 0755);
    mkdir(tmp("stems"), 0755);
}

/* Sample i of channel c of stem s: distinct per stem and channel, exact in float32. */
static float sample_at(unsigned s, unsigned c, size_t i) {
    return (float)((double)(s * 8 + c + 1) / 64.0 * (double)((i % 97) + 1) / 128.0);
}

static void write_stem(const char *path, unsigned s, unsigned n_ch, uint32_t rate) {
    objr_bwf_writer_config wc = objr_bwf_writer_config_default();
    wc.n_channels = n_ch;
    wc.sample_rate_hz = rate;
    wc.sample_format = OBJR_BWF_SAMPLE_FLOAT32;
    objr_bwf_writer *w = NULL;
    objr_diag d;
    ck_assert_int_eq(objr_bwf_writer_create(path, &wc, &d, &w), OBJR_OK);
    float *buf[4];
    for (unsigned c = 0; c < n_ch; c++) {
        buf[c] = malloc(N_FRAMES * sizeof(float));
        for (size_t i = 0; i < N_FRAMES; i++)
            buf[c][i] = sample_at(s, c, i);
    }
    ck_assert_int_eq(objr_bwf_writer_write_f32(w, (const float *const *)buf, N_FRAMES), OBJR_OK);
    ck_assert_int_eq(objr_bwf_writer_close(w, &d), OBJR_OK);
    for (unsigned c = 0; c < n_ch; c++)
        free(buf[c]);
}

/* Two objects: ATU 1 on channel 2 of the stereo stem a.wav, ATU 2 on the mono stem b.wav.
 * Comments, a processing instruction, CDATA, escaped characters in text and attributes,
 * tabs and a newline in an attribute, single quotes, "<x></x>", non-ASCII text and an objr
 * declaration on an inner element exercise the serialisation. */
static const char *mix_xml(const char *b_file) {
    static char xml[8192];
    snprintf(
        xml, sizeof xml,
        "<?xml version='1.0' encoding='UTF-8'?>\n<!-- made by a test -->\n"
        "<ebuCoreMain xmlns=\"urn:ebu:metadata-schema:ebuCore_2016\" "
        "xmlns:objr=\"urn:objrender:mix:1\" note='a \"q\" &amp; &lt;b&gt; \t "
        "tab&#9;x&#10;nl&#13;cr'>"
        "<?objr-test keep me?><coreMetadata><format>\n"
        "<audioFormatExtended version=\"ITU-R_BS.2076-2\">\n"
        "<audioProgramme audioProgrammeID=\"APR_1001\" audioProgrammeName=\"Caf\xc3\xa9 &amp; co\">"
        "<audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>\n"
        "<audioContent audioContentID=\"ACO_1001\" audioContentName=\"c\">"
        "<audioObjectIDRef>AO_1001</audioObjectIDRef>"
        "<audioObjectIDRef>AO_1002</audioObjectIDRef></audioContent>\n"
        "<audioObject audioObjectID=\"AO_1001\" audioObjectName=\"a &gt; b\"><!-- c "
        "--><audioObjectLabel>x&#13;y &lt; \"z\"</audioObjectLabel>"
        "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
        "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n"
        "<audioObject audioObjectID=\"AO_1002\" audioObjectName=\"o2\">"
        "<audioPackFormatIDRef>AP_00031002</audioPackFormatIDRef>"
        "<audioTrackUIDRef>ATU_00000002</audioTrackUIDRef></audioObject>\n"
        "<audioPackFormat audioPackFormatID=\"AP_00031001\" audioPackFormatName=\"p1\" "
        "typeLabel=\"0003\" typeDefinition=\"Objects\">"
        "<audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef></audioPackFormat>\n"
        "<audioPackFormat audioPackFormatID=\"AP_00031002\" audioPackFormatName=\"p2\" "
        "typeLabel=\"0003\" typeDefinition=\"Objects\">"
        "<audioChannelFormatIDRef>AC_00031002</audioChannelFormatIDRef></audioPackFormat>\n"
        "<audioChannelFormat audioChannelFormatID=\"AC_00031001\" audioChannelFormatName=\"c1\" "
        "typeLabel=\"0003\" typeDefinition=\"Objects\">"
        "<audioBlockFormat audioBlockFormatID=\"AB_00031001_00000001\">"
        "<position coordinate=\"azimuth\">30</position>"
        "<position coordinate=\"elevation\">0</position></audioBlockFormat>"
        "</audioChannelFormat>\n"
        "<audioChannelFormat audioChannelFormatID=\"AC_00031002\" audioChannelFormatName=\"c2\" "
        "typeLabel=\"0003\" typeDefinition=\"Objects\">"
        "<audioBlockFormat audioBlockFormatID=\"AB_00031002_00000001\">"
        "<position coordinate=\"azimuth\">-30</position>"
        "<position coordinate=\"elevation\">0</position></audioBlockFormat>"
        "</audioChannelFormat>\n"
        "<audioTrackUID UID=\"ATU_00000001\" objr:file=\"stems/a.wav\" objr:channel=\"2\">"
        "<audioChannelFormatIDRef> AC_00031001\n</audioChannelFormatIDRef>"
        "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef></audioTrackUID>\n"
        "<audioTrackUID xmlns:m=\"urn:objrender:mix:1\" UID=\"ATU_00000002\" m:file=\"%s\">"
        "<audioChannelFormatIDRef><![CDATA[AC_00031002]]></audioChannelFormatIDRef>"
        "<audioPackFormatIDRef>AP_00031002</audioPackFormatIDRef><x></x></audioTrackUID>\r\n"
        "</audioFormatExtended></format></coreMetadata></ebuCoreMain>\n<!-- after -->\n",
        b_file);
    return xml;
}

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static int exists(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* The oracle for the axml: libxml2's DOM of the document with the extension removed. */
static void strip(xmlNodePtr n) {
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        strip(n->children);
        for (xmlAttrPtr a = n->properties, next; a; a = next) {
            next = a->next;
            if (a->ns && !strcmp((const char *)a->ns->href, OBJR_MIX_XML_NS))
                xmlRemoveProp(a);
        }
        for (xmlNsPtr *pp = &n->nsDef; *pp;) {
            xmlNsPtr ns = *pp;
            if (!strcmp((const char *)ns->href, OBJR_MIX_XML_NS)) {
                *pp = ns->next;
                ns->next = NULL;
                xmlFreeNs(ns);
            } else {
                pp = &ns->next;
            }
        }
    }
}

static char *oracle_axml(const char *xml, int *len) {
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    strip(xmlDocGetRootElement(doc));
    xmlChar *out = NULL;
    xmlDocDumpMemoryEnc(doc, &out, len, "UTF-8");
    xmlFreeDoc(doc);
    char *copy = malloc((size_t)*len + 1);
    memcpy(copy, out, (size_t)*len + 1);
    xmlFree(out);
    return copy;
}

static objr_status pack(const char *in, const char *out, objr_mix_pack_result *r, objr_diag *d) {
    objr_mix_pack_config c = objr_mix_pack_config_default();
    return objr_mix_pack(in, out, &c, r, d);
}

static unsigned char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(*n ? *n : 1);
    ck_assert_uint_eq(fread(p, 1, *n, f), *n);
    fclose(f);
    return p;
}

/* The two tracks of packed file @p f hold, sample for sample, stem s0's channel c0 and stem
 * s1's channel c1 (0-based). */
static void check_tracks(objr_bwf *f, unsigned s0, unsigned c0, unsigned s1, unsigned c1) {
    float *ch[2] = {malloc(N_FRAMES * sizeof(float)), malloc(N_FRAMES * sizeof(float))};
    size_t got = 0;
    ck_assert_int_eq(objr_bwf_read_f32(f, ch, N_FRAMES, &got), OBJR_OK);
    ck_assert_uint_eq(got, N_FRAMES);
    for (size_t i = 0; i < N_FRAMES; i++) {
        ck_assert_float_eq(ch[0][i], sample_at(s0, c0, i));
        ck_assert_float_eq(ch[1][i], sample_at(s1, c1, i));
    }
    free(ch[0]);
    free(ch[1]);
}

/* Pack: chna rows, tracks, samples and axml as specified; unpack then pack: the same file. */
START_TEST(pack_unpack_round_trip) {
    write_stem(tmp("stems/a.wav"), 0, 2, RATE);
    write_stem(tmp("stems/b.wav"), 1, 1, RATE);
    const char *xml = mix_xml("stems/b.wav");
    write_text(tmp("mix.xml"), xml);
    objr_mix_pack_result r;
    objr_diag d;
    objr_status st = pack(tmp("mix.xml"), tmp("packed.wav"), &r, &d);
    ck_assert_msg(st == OBJR_OK, "pack: %d %s", st, d.message);
    ck_assert_uint_eq(r.n_tracks, 2);
    ck_assert_uint_eq(r.n_stems, 2);
    ck_assert_uint_eq(r.n_track_uids, 2);
    ck_assert_uint_eq(r.n_frames, N_FRAMES);

    objr_bwf *f = NULL;
    ck_assert_int_eq(objr_bwf_open_file(tmp("packed.wav"), NULL, &d, &f), OBJR_OK);
    objr_bwf_format fmt;
    ck_assert_int_eq(objr_bwf_get_format(f, &fmt), OBJR_OK);
    ck_assert_uint_eq(fmt.n_channels, 2);
    ck_assert_int_eq(fmt.sample_format, OBJR_BWF_SAMPLE_FLOAT32); /* the stems' own */
    ck_assert_uint_eq(objr_bwf_chna_count(f), 2);
    objr_bwf_chna_entry e;
    ck_assert_int_eq(objr_bwf_get_chna_entry(f, 0, &e), OBJR_OK);
    ck_assert_uint_eq(e.track_index, 1);
    ck_assert_str_eq(e.uid, "ATU_00000001");
    ck_assert_str_eq(e.track_ref, "AC_00031001_00"); /* trimmed; channel ref as BS.2076-2 */
    ck_assert_str_eq(e.pack_ref, "AP_00031001");
    ck_assert_int_eq(objr_bwf_get_chna_entry(f, 1, &e), OBJR_OK);
    ck_assert_uint_eq(e.track_index, 2);
    ck_assert_str_eq(e.track_ref, "AC_00031002_00"); /* from CDATA */
    /* track 1 = a.wav channel 2, track 2 = b.wav channel 1, sample for sample */
    check_tracks(f, 0, 1, 1, 0);
    const uint8_t *axml = NULL;
    size_t axml_len = 0;
    ck_assert_int_eq(objr_bwf_get_axml(f, &axml, &axml_len), OBJR_OK);
    int olen = 0;
    char *want = oracle_axml(xml, &olen);
    ck_assert_uint_eq(axml_len, (size_t)olen);
    ck_assert_msg(!memcmp(axml, want, axml_len), "axml differs from libxml2's:\n%.*s\n--\n%s",
                  (int)axml_len, (const char *)axml, want);
    ck_assert_ptr_null(strstr(want, "urn:objrender:mix:1"));
    free(want);
    objr_bwf_close(f);

    /* unpack: stems and mix.xml; the unpacked mix.xml holds the same scene */
    st = objr_mix_unpack(tmp("packed.wav"), tmp("up"), NULL, &r, &d);
    ck_assert_msg(st == OBJR_OK, "unpack: %d %s", st, d.message);
    ck_assert_uint_eq(r.n_stems, 2);
    ck_assert(exists(tmp("up/stems/track_001.wav")) && exists(tmp("up/stems/track_002.wav")));
    objr_adm *a = NULL, *b = NULL;
    objr_adm_config ac = objr_adm_config_default();
    ck_assert_int_eq(objr_adm_load_file(tmp("mix.xml"), &ac, &a, &d), OBJR_OK);
    ck_assert_int_eq(objr_adm_load_file(tmp("up/mix.xml"), &ac, &b, &d), OBJR_OK);
    /* the stems are named differently by design (track_NNN.wav, channel 1): compare the rest */
    objr__adm_model *ma = objr__adm_get_model_mut(a), *mb = objr__adm_get_model_mut(b);
    ck_assert_uint_eq(ma->n_uids, 2);
    ck_assert_uint_eq(mb->n_uids, 2);
    ck_assert_str_eq(mb->uids[0].stem_file, "stems/track_001.wav");
    ck_assert_str_eq(mb->uids[1].stem_file, "stems/track_002.wav");
    for (size_t i = 0; i < 2; i++) {
        ma->uids[i].stem_file = mb->uids[i].stem_file = NULL; /* owned by the model's arena */
        ma->uids[i].stem_channel = mb->uids[i].stem_channel = 0;
    }
    char why[512];
    ck_assert_msg(test_adm_model_equal(ma, mb, why, sizeof why), "%s", why);
    objr_adm_destroy(a);
    objr_adm_destroy(b);
    /* pack again: the same file, byte for byte */
    st = pack(tmp("up/mix.xml"), tmp("again.wav"), &r, &d);
    ck_assert_msg(st == OBJR_OK, "pack again: %d %s", st, d.message);
    size_t n1, n2;
    unsigned char *p1 = slurp(tmp("packed.wav"), &n1), *p2 = slurp(tmp("again.wav"), &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_msg(!memcmp(p1, p2, n1), "pack(unpack(x)) differs from x");
    free(p1);
    free(p2);
}
END_TEST

/* One stem spelt two ways ("stems/a.wav", "./stems/../stems/a.wav") is one stem: its channels
 * become tracks once each, and the file is read once. */
START_TEST(one_stem_under_two_spellings) {
    write_stem(tmp("stems/a.wav"), 0, 2, RATE);
    write_text(tmp("mix.xml"), mix_xml("./stems/../stems/a.wav"));
    objr_mix_pack_result r;
    objr_diag d;
    objr_status st = pack(tmp("mix.xml"), tmp("packed.wav"), &r, &d);
    ck_assert_msg(st == OBJR_OK, "pack: %d %s", st, d.message);
    ck_assert_uint_eq(r.n_stems, 1);
    ck_assert_uint_eq(r.n_tracks, 2);
    objr_bwf *f = NULL;
    ck_assert_int_eq(objr_bwf_open_file(tmp("packed.wav"), NULL, &d, &f), OBJR_OK);
    check_tracks(f, 0, 1, 0, 0); /* track 1 = channel 2, track 2 = channel 1 */
    objr_bwf_close(f);
}
END_TEST

/* A missing stem: one line naming it, the input side, no output. */
START_TEST(missing_stem_is_one_line) {
    write_stem(tmp("stems/a.wav"), 0, 2, RATE);
    write_text(tmp("miss.xml"), mix_xml("stems/nothere.wav"));
    objr_mix_pack_result r;
    objr_diag d;
    objr_status st = pack(tmp("miss.xml"), tmp("miss.wav"), &r, &d);
    ck_assert_int_ne(st, OBJR_OK);
    ck_assert_int_eq(r.failed, OBJR_MIX_FAILED_INPUT);
    ck_assert_msg(strstr(d.message, "nothere.wav") && !strchr(d.message, '\n'), "%s", d.message);
    ck_assert(!exists(tmp("miss.wav")));
}
END_TEST

/* A stem at another rate: refused, naming both stems and rates. */
START_TEST(stem_of_another_rate_is_refused) {
    write_stem(tmp("stems/a.wav"), 0, 2, RATE);
    write_stem(tmp("stems/b44.wav"), 1, 1, 44100);
    write_text(tmp("rate.xml"), mix_xml("stems/b44.wav"));
    objr_mix_pack_result r;
    objr_diag d;
    objr_status st = pack(tmp("rate.xml"), tmp("rate.wav"), &r, &d);
    ck_assert_int_eq(st, OBJR_ERR_FORMAT);
    ck_assert_int_eq(r.failed, OBJR_MIX_FAILED_INPUT);
    ck_assert_msg(strstr(d.message, "b44.wav") && strstr(d.message, "44100 Hz") &&
                      strstr(d.message, "48000 Hz"),
                  "%s", d.message);
    ck_assert(!exists(tmp("rate.wav")));
}
END_TEST

/* The output onto a stem: a conflict on the output side; the stem is untouched. */
START_TEST(output_onto_a_stem_is_refused) {
    write_stem(tmp("stems/a.wav"), 0, 2, RATE);
    write_stem(tmp("stems/b.wav"), 1, 1, RATE);
    write_text(tmp("mix.xml"), mix_xml("stems/b.wav"));
    size_t n1, n2;
    unsigned char *before = slurp(tmp("stems/b.wav"), &n1);
    objr_mix_pack_result r;
    objr_diag d;
    objr_status st = pack(tmp("mix.xml"), tmp("stems/b.wav"), &r, &d);
    ck_assert_int_eq(st, OBJR_ERR_CONFLICT);
    ck_assert_int_eq(r.failed, OBJR_MIX_FAILED_OUTPUT);
    unsigned char *after = slurp(tmp("stems/b.wav"), &n2);
    ck_assert(n1 == n2 && !memcmp(before, after, n1));
    free(before);
    free(after);
}
END_TEST

static Suite *mix_pack_suite(void) {
    Suite *s = suite_create("mix_pack");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, pack_unpack_round_trip);
    tcase_add_test(tc, one_stem_under_two_spellings);
    tcase_add_test(tc, missing_stem_is_one_line);
    tcase_add_test(tc, stem_of_another_rate_is_refused);
    tcase_add_test(tc, output_onto_a_stem_is_refused);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(mix_pack_suite)
