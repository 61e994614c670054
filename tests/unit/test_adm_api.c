/* SPDX-License-Identifier: BSD-3-Clause */
/* The public ADM accessors a tool needs to walk a document without the internal model
 * (include/objrender/objr_adm.h): references by index (programme -> content -> object ->
 * packs, children, track UIDs), the document's version and block count, programme start/end
 * as written, loudnessMetadata, mix.xml stems and element lines. Every expected value is read
 * off the small document built here; out-of-range indices give OBJR_ERR_INVALID_ARG and leave
 * the output untouched. */
#include "common/test_common.h"
#include "common/xml_builder.h"

#include <string.h>

#include "objrender/objr.h"

/* Programme APR_1001 (start as a timecode, end as a BS.2076-2 fractional time, two
 * loudnessMetadata) -> contents ACO_1001 (one loudnessMetadata) and ACO_1002; ACO_1001 ->
 * AO_1001, a parent of AO_1002 (one Objects channel, two blocks, stem stems/a.wav:3);
 * ACO_1002 -> AO_1003 (two Objects channels of one block each; UIDs with an absolute stem
 * without objr:channel, and one with neither stem nor track). */
static void build_doc(objr_test_xml *b) {
    objr_test_xml_reset(b);
    objr_test_xml_ap(b,
                     "<?xml version=\"1.0\"?>\n<ebuCoreMain "
                     "xmlns=\"urn:ebu:metadata-schema:ebuCore_2016\" xmlns:objr=\"%s\">"
                     "<coreMetadata><format><audioFormatExtended version=\"ITU-R_BS.2076-2\">\n",
                     OBJR_MIX_XML_NS);
    objr_test_xml_ap(
        b, "<audioProgramme audioProgrammeID=\"APR_1001\" audioProgrammeName=\"Album\" "
           "audioProgrammeLanguage=\"en\" start=\"01:00:00.00000\" end=\"00:00:10.24000S48000\">\n"
           "<audioContentIDRef>ACO_1001</audioContentIDRef>"
           "<audioContentIDRef>ACO_1002</audioContentIDRef>\n"
           "<loudnessMetadata loudnessMethod=\"ITU-R BS.1770\" loudnessRecType=\"EBU R128\" "
           "loudnessCorrectionType=\"File-based\"><integratedLoudness>-23.5</integratedLoudness>"
           "<maxTruePeak>-1.25</maxTruePeak></loudnessMetadata>\n"
           "<loudnessMetadata><loudnessRange>7.5</loudnessRange><maxMomentary>-12.0"
           "</maxMomentary><maxShortTerm>-15.5</maxShortTerm><dialogueLoudness>-26.0"
           "</dialogueLoudness></loudnessMetadata>\n</audioProgramme>\n");
    objr_test_xml_ap(b, "<audioContent audioContentID=\"ACO_1001\" audioContentName=\"Music\">"
                        "<audioObjectIDRef>AO_1001</audioObjectIDRef>"
                        "<loudnessMetadata loudnessMethod=\"proprietary\"><integratedLoudness>"
                        "-20.0</integratedLoudness></loudnessMetadata></audioContent>\n"
                        "<audioContent audioContentID=\"ACO_1002\" audioContentName=\"Fx\">"
                        "<audioObjectIDRef>AO_1003</audioObjectIDRef></audioContent>\n");
    objr_test_xml_ap(b, "<audioObject audioObjectID=\"AO_1001\" audioObjectName=\"Group\">"
                        "<audioObjectIDRef>AO_1002</audioObjectIDRef></audioObject>\n"
                        "<audioObject audioObjectID=\"AO_1002\" audioObjectName=\"Lead\">"
                        "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
                        "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n"
                        "<audioObject audioObjectID=\"AO_1003\" audioObjectName=\"Pair\">"
                        "<audioPackFormatIDRef>AP_00031002</audioPackFormatIDRef>"
                        "<audioTrackUIDRef>ATU_00000002</audioTrackUIDRef>"
                        "<audioTrackUIDRef>ATU_00000003</audioTrackUIDRef></audioObject>\n");
    objr_test_xml_ap(b, "<audioPackFormat audioPackFormatID=\"AP_00031001\" typeLabel=\"0003\">"
                        "<audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef>"
                        "</audioPackFormat>\n"
                        "<audioPackFormat audioPackFormatID=\"AP_00031002\" typeLabel=\"0003\">"
                        "<audioChannelFormatIDRef>AC_00031002</audioChannelFormatIDRef>"
                        "<audioChannelFormatIDRef>AC_00031003</audioChannelFormatIDRef>"
                        "</audioPackFormat>\n");
    static const char *const ch[][2] = {
        {"AC_00031001", "2"}, {"AC_00031002", "1"}, {"AC_00031003", "1"}};
    for (size_t c = 0; c < 3; c++) {
        objr_test_xml_ap(b, "<audioChannelFormat audioChannelFormatID=\"%s\" typeLabel=\"0003\">",
                         ch[c][0]);
        int nb = ch[c][1][0] - '0';
        for (int k = 1; k <= nb; k++)
            objr_test_xml_ap(b,
                             "<audioBlockFormat audioBlockFormatID=\"AB_%s_%08x\" "
                             "rtime=\"00:00:0%d.00000\" duration=\"00:00:01.00000\">"
                             "<position coordinate=\"azimuth\">0</position>"
                             "<position coordinate=\"elevation\">0</position></audioBlockFormat>",
                             ch[c][0] + 3, (unsigned)k, k - 1);
        objr_test_xml_ap(b, "</audioChannelFormat>\n");
    }
    objr_test_xml_ap(b, "<audioTrackUID UID=\"ATU_00000001\" objr:file=\"stems/a.wav\" "
                        "objr:channel=\"3\"><audioChannelFormatIDRef>AC_00031001"
                        "</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00031001"
                        "</audioPackFormatIDRef></audioTrackUID>\n"
                        "<audioTrackUID UID=\"ATU_00000002\" objr:file=\"/abs/b.wav\">"
                        "<audioChannelFormatIDRef>AC_00031002</audioChannelFormatIDRef>"
                        "<audioPackFormatIDRef>AP_00031002</audioPackFormatIDRef>"
                        "</audioTrackUID>\n"
                        "<audioTrackUID UID=\"ATU_00000003\"><audioChannelFormatIDRef>"
                        "AC_00031003</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00031002"
                        "</audioPackFormatIDRef></audioTrackUID>\n");
    objr_test_xml_tail(b);
}

static objr_test_xml g_xml;

static objr_adm *parse_doc(void) {
    build_doc(&g_xml);
    objr_adm_config cfg = objr_adm_config_default();
    cfg.base_dir = "/mix";
    objr_adm *a = NULL;
    objr_diag d;
    objr_status st = objr_adm_parse_mem(g_xml.s, g_xml.n, &cfg, &a, &d);
    ck_assert_msg(st == OBJR_OK, "%s", d.message);
    return a;
}

/* 1-based line of the first occurrence of @p needle in the built text. */
static long line_of(const char *needle) {
    const char *p = strstr(g_xml.s, needle);
    ck_assert_ptr_nonnull(p);
    long line = 1;
    for (const char *q = g_xml.s; q < p; q++)
        line += *q == '\n';
    return line;
}

/* Index of the element of @p kind whose ID is @p id (through the info getters). */
static size_t index_of(const objr_adm *a, objr_adm_kind kind, const char *id) {
    for (size_t i = 0; i < objr_adm_count(a, kind); i++) {
        const char *got = NULL;
        objr_adm_programme_info p;
        objr_adm_content_info c;
        objr_adm_object_info o;
        objr_adm_pack_info k;
        objr_adm_track_uid_info u;
        if (kind == OBJR_ADM_PROGRAMME && objr_adm_get_programme(a, i, &p) == OBJR_OK)
            got = p.id;
        else if (kind == OBJR_ADM_CONTENT && objr_adm_get_content(a, i, &c) == OBJR_OK)
            got = c.id;
        else if (kind == OBJR_ADM_OBJECT && objr_adm_get_object(a, i, &o) == OBJR_OK)
            got = o.id;
        else if (kind == OBJR_ADM_PACK && objr_adm_get_pack(a, i, &k) == OBJR_OK)
            got = k.id;
        else if (kind == OBJR_ADM_TRACK_UID && objr_adm_get_track_uid(a, i, &u) == OBJR_OK)
            got = u.id;
        if (got && strcmp(got, id) == 0)
            return i;
    }
    ck_abort_msg("%s not found", id);
    return 0;
}

START_TEST(references_by_index) {
    objr_adm *a = parse_doc();
    size_t apr = index_of(a, OBJR_ADM_PROGRAMME, "APR_1001");
    objr_adm_ref r;
    /* programme -> its two contents, in document order */
    ck_assert_int_eq(objr_adm_get_programme_content(a, apr, 0, &r), OBJR_OK);
    ck_assert_str_eq(r.id, "ACO_1001");
    ck_assert_uint_eq(r.index, index_of(a, OBJR_ADM_CONTENT, "ACO_1001"));
    ck_assert_int_eq(objr_adm_get_programme_content(a, apr, 1, &r), OBJR_OK);
    ck_assert_str_eq(r.id, "ACO_1002");
    ck_assert_uint_eq(r.index, index_of(a, OBJR_ADM_CONTENT, "ACO_1002"));
    /* content -> object */
    size_t aco2 = index_of(a, OBJR_ADM_CONTENT, "ACO_1002");
    ck_assert_int_eq(objr_adm_get_content_object(a, aco2, 0, &r), OBJR_OK);
    ck_assert_str_eq(r.id, "AO_1003");
    ck_assert_uint_eq(r.index, index_of(a, OBJR_ADM_OBJECT, "AO_1003"));
    /* the parent object: no pack, one child */
    size_t ao1 = index_of(a, OBJR_ADM_OBJECT, "AO_1001");
    objr_adm_object_info oi;
    ck_assert_int_eq(objr_adm_get_object(a, ao1, &oi), OBJR_OK);
    ck_assert_uint_eq(oi.n_packs, 0);
    ck_assert_uint_eq(oi.n_children, 1);
    ck_assert_int_eq(objr_adm_get_object_child(a, ao1, 0, &r), OBJR_OK);
    ck_assert_str_eq(r.id, "AO_1002");
    ck_assert_uint_eq(r.index, index_of(a, OBJR_ADM_OBJECT, "AO_1002"));
    /* AO_1003: its pack and its two track UIDs */
    size_t ao3 = index_of(a, OBJR_ADM_OBJECT, "AO_1003");
    ck_assert_int_eq(objr_adm_get_object_pack(a, ao3, 0, &r), OBJR_OK);
    ck_assert_str_eq(r.id, "AP_00031002");
    ck_assert_uint_eq(r.index, index_of(a, OBJR_ADM_PACK, "AP_00031002"));
    ck_assert_int_eq(objr_adm_get_object_track_uid(a, ao3, 1, &r), OBJR_OK);
    ck_assert_str_eq(r.id, "ATU_00000003");
    ck_assert_uint_eq(r.index, index_of(a, OBJR_ADM_TRACK_UID, "ATU_00000003"));
    objr_adm_destroy(a);
}
END_TEST

START_TEST(references_out_of_range) {
    objr_adm *a = parse_doc();
    size_t n_prog = objr_adm_count(a, OBJR_ADM_PROGRAMME);
    size_t n_cont = objr_adm_count(a, OBJR_ADM_CONTENT);
    size_t n_obj = objr_adm_count(a, OBJR_ADM_OBJECT);
    size_t apr = index_of(a, OBJR_ADM_PROGRAMME, "APR_1001");
    size_t ao3 = index_of(a, OBJR_ADM_OBJECT, "AO_1003");
    size_t ao2 = index_of(a, OBJR_ADM_OBJECT, "AO_1002");
    objr_adm_ref r = {"sentinel", 12345};
    /* k one past the reference count (2 contents, 1 pack, 2 UIDs, 0 children) */
    ck_assert_int_eq(objr_adm_get_programme_content(a, apr, 2, &r), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_adm_get_object_pack(a, ao3, 1, &r), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_adm_get_object_track_uid(a, ao3, 2, &r), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_adm_get_object_child(a, ao2, 0, &r), OBJR_ERR_INVALID_ARG);
    /* the owner index one past its kind's count */
    ck_assert_int_eq(objr_adm_get_programme_content(a, n_prog, 0, &r), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_adm_get_content_object(a, n_cont, 0, &r), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_adm_get_object_pack(a, n_obj, 0, &r), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_adm_get_object_child(a, n_obj, 0, &r), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_adm_get_object_track_uid(a, n_obj, 0, &r), OBJR_ERR_INVALID_ARG);
    /* *out untouched */
    ck_assert_str_eq(r.id, "sentinel");
    ck_assert_uint_eq(r.index, 12345);
    /* NULL document or output */
    ck_assert_int_eq(objr_adm_get_content_object(NULL, 0, 0, &r), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_adm_get_object_pack(a, ao3, 0, NULL), OBJR_ERR_INVALID_ARG);
    objr_adm_destroy(a);
}
END_TEST

START_TEST(document_and_programme_times) {
    objr_adm *a = parse_doc();
    objr_adm_document_info d = {NULL, 0};
    ck_assert_int_eq(objr_adm_get_document(a, &d), OBJR_OK);
    ck_assert_str_eq(d.version, "ITU-R_BS.2076-2");
    ck_assert_uint_eq(d.n_blocks, 4); /* 2 + 1 + 1 audioBlockFormats written */
    ck_assert_int_eq(objr_adm_get_document(NULL, &d), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_adm_get_document(a, NULL), OBJR_ERR_INVALID_ARG);

    size_t apr = index_of(a, OBJR_ADM_PROGRAMME, "APR_1001");
    objr_adm_programme_times t;
    ck_assert_int_eq(objr_adm_get_programme_times(a, apr, &t), OBJR_OK);
    ck_assert_int_eq(t.has_start, 1);
    ck_assert_int_eq(t.has_end, 1);
    ck_assert_double_eq_tol(t.start_s, 3600.0, 1e-12);    /* 01:00:00 */
    ck_assert_double_eq_tol(t.end_s, 10.0 + 0.5, 1e-12);  /* 10 s + 24000/48000 */
    ck_assert_str_eq(t.start_text, "01:00:00.00000");     /* as written */
    ck_assert_str_eq(t.end_text, "00:00:10.24000S48000"); /* the fractional form kept */
    objr_adm_programme_times u;
    memset(&u, 0x5a, sizeof u);
    ck_assert_int_eq(objr_adm_get_programme_times(a, objr_adm_count(a, OBJR_ADM_PROGRAMME), &u),
                     OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(u.has_start, 0x5a5a5a5a);
    objr_adm_destroy(a);

    /* a programme without start and end */
    objr_adm *b = NULL;
    static const char xml[] = "<audioFormatExtended><audioProgramme audioProgrammeID=\"APR_1001\" "
                              "audioProgrammeName=\"P\"/></audioFormatExtended>";
    ck_assert_int_eq(objr_adm_parse_mem(xml, sizeof xml - 1, NULL, &b, NULL), OBJR_OK);
    ck_assert_int_eq(objr_adm_get_programme_times(b, 0, &t), OBJR_OK);
    ck_assert_int_eq(t.has_start, 0);
    ck_assert_int_eq(t.has_end, 0);
    ck_assert_str_eq(t.start_text, "");
    ck_assert_str_eq(t.end_text, "");
    ck_assert_int_eq(objr_adm_get_document(b, &d), OBJR_OK);
    ck_assert_ptr_null(d.version); /* no version attribute */
    ck_assert_uint_eq(d.n_blocks, 0);
    objr_adm_destroy(b);
}
END_TEST

START_TEST(loudness_metadata) {
    objr_adm *a = parse_doc();
    size_t apr = index_of(a, OBJR_ADM_PROGRAMME, "APR_1001");
    ck_assert_uint_eq(objr_adm_programme_loudness_count(a, apr), 2);
    objr_adm_loudness l;
    ck_assert_int_eq(objr_adm_get_programme_loudness(a, apr, 0, &l), OBJR_OK);
    ck_assert_str_eq(l.method, "ITU-R BS.1770");
    ck_assert_str_eq(l.rec_type, "EBU R128");
    ck_assert_str_eq(l.correction_type, "File-based");
    ck_assert_uint_eq(l.present, OBJR_ADM_LOUDNESS_INTEGRATED | OBJR_ADM_LOUDNESS_TRUE_PEAK);
    ck_assert_double_eq_tol(l.integrated_lufs, -23.5, 1e-12);
    ck_assert_double_eq_tol(l.max_true_peak_dbtp, -1.25, 1e-12);
    ck_assert_double_eq(l.range_lu, 0.0); /* absent: 0 */
    ck_assert_int_eq(objr_adm_get_programme_loudness(a, apr, 1, &l), OBJR_OK);
    ck_assert_ptr_null(l.method);
    ck_assert_uint_eq(l.present, OBJR_ADM_LOUDNESS_RANGE | OBJR_ADM_LOUDNESS_MOMENTARY |
                                     OBJR_ADM_LOUDNESS_SHORT_TERM | OBJR_ADM_LOUDNESS_DIALOGUE);
    ck_assert_double_eq_tol(l.range_lu, 7.5, 1e-12);
    ck_assert_double_eq_tol(l.max_momentary_lufs, -12.0, 1e-12);
    ck_assert_double_eq_tol(l.max_short_term_lufs, -15.5, 1e-12);
    ck_assert_double_eq_tol(l.dialogue_lufs, -26.0, 1e-12);

    size_t aco1 = index_of(a, OBJR_ADM_CONTENT, "ACO_1001");
    size_t aco2 = index_of(a, OBJR_ADM_CONTENT, "ACO_1002");
    ck_assert_uint_eq(objr_adm_content_loudness_count(a, aco1), 1);
    ck_assert_uint_eq(objr_adm_content_loudness_count(a, aco2), 0);
    ck_assert_int_eq(objr_adm_get_content_loudness(a, aco1, 0, &l), OBJR_OK);
    ck_assert_str_eq(l.method, "proprietary");
    ck_assert_uint_eq(l.present, OBJR_ADM_LOUDNESS_INTEGRATED);
    ck_assert_double_eq_tol(l.integrated_lufs, -20.0, 1e-12);

    /* out of range: counts 0, getters refuse and leave *out alone */
    size_t np = objr_adm_count(a, OBJR_ADM_PROGRAMME), nc = objr_adm_count(a, OBJR_ADM_CONTENT);
    ck_assert_uint_eq(objr_adm_programme_loudness_count(a, np), 0);
    ck_assert_uint_eq(objr_adm_content_loudness_count(a, nc), 0);
    ck_assert_uint_eq(objr_adm_programme_loudness_count(NULL, 0), 0);
    l.present = 0xdead;
    ck_assert_int_eq(objr_adm_get_programme_loudness(a, apr, 2, &l), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_adm_get_programme_loudness(a, np, 0, &l), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_adm_get_content_loudness(a, aco2, 0, &l), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_adm_get_content_loudness(a, nc, 0, &l), OBJR_ERR_INVALID_ARG);
    ck_assert_uint_eq(l.present, 0xdead);
    objr_adm_destroy(a);
}
END_TEST

START_TEST(track_uid_stems_and_lines) {
    objr_adm *a = parse_doc();
    objr_adm_track_uid_stem s;
    size_t u1 = index_of(a, OBJR_ADM_TRACK_UID, "ATU_00000001");
    ck_assert_int_eq(objr_adm_get_track_uid_stem(a, u1, &s), OBJR_OK);
    ck_assert_str_eq(s.file, "stems/a.wav");      /* as written */
    ck_assert_str_eq(s.path, "/mix/stems/a.wav"); /* against cfg.base_dir */
    ck_assert_uint_eq(s.channel, 3);
    size_t u2 = index_of(a, OBJR_ADM_TRACK_UID, "ATU_00000002");
    ck_assert_int_eq(objr_adm_get_track_uid_stem(a, u2, &s), OBJR_OK);
    ck_assert_str_eq(s.file, "/abs/b.wav");
    ck_assert_str_eq(s.path, "/abs/b.wav"); /* absolute: kept */
    ck_assert_uint_eq(s.channel, 1);        /* objr:channel absent: the first */
    size_t u3 = index_of(a, OBJR_ADM_TRACK_UID, "ATU_00000003");
    ck_assert_int_eq(objr_adm_get_track_uid_stem(a, u3, &s), OBJR_OK);
    ck_assert_ptr_null(s.file);
    ck_assert_ptr_null(s.path);
    ck_assert_uint_eq(s.channel, 0);
    size_t nu = objr_adm_count(a, OBJR_ADM_TRACK_UID);
    s.channel = 77;
    ck_assert_int_eq(objr_adm_get_track_uid_stem(a, nu, &s), OBJR_ERR_INVALID_ARG);
    ck_assert_uint_eq(s.channel, 77);

    /* lines: where each element starts in the text built above */
    ck_assert_int_eq(objr_adm_element_line(a, OBJR_ADM_TRACK_UID, u1),
                     line_of("<audioTrackUID UID=\"ATU_00000001\""));
    ck_assert_int_eq(objr_adm_element_line(a, OBJR_ADM_TRACK_UID, u3),
                     line_of("<audioTrackUID UID=\"ATU_00000003\""));
    ck_assert_int_eq(
        objr_adm_element_line(a, OBJR_ADM_OBJECT, index_of(a, OBJR_ADM_OBJECT, "AO_1003")),
        line_of("<audioObject audioObjectID=\"AO_1003\""));
    ck_assert_int_eq(objr_adm_element_line(a, OBJR_ADM_PROGRAMME, 0), line_of("<audioProgramme"));
    ck_assert_int_eq(objr_adm_element_line(a, OBJR_ADM_TRACK_UID, nu), 0);
    ck_assert_int_eq(objr_adm_element_line(a, (objr_adm_kind)99, 0), 0);
    ck_assert_int_eq(objr_adm_element_line(NULL, OBJR_ADM_OBJECT, 0), 0);
    objr_adm_destroy(a);
}
END_TEST

static Suite *adm_api_suite(void) {
    Suite *s = suite_create("adm_api");
    TCase *tc = tcase_create("accessors");
    tcase_add_test(tc, references_by_index);
    tcase_add_test(tc, references_out_of_range);
    tcase_add_test(tc, document_and_programme_times);
    tcase_add_test(tc, loudness_metadata);
    tcase_add_test(tc, track_uid_stems_and_lines);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(adm_api_suite)
