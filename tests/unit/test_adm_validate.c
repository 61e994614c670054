/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM validation and the chna merge: overlapping / unordered blocks, out-of-range values,
 * pack/channel type mismatches, chna filling missing links, chna conflicts, track indices
 * beyond the file, problem lists with element IDs. */
#include "common/test_common.h"

#include <stdio.h>
#include <string.h>

#include "formats/adm_model.h"
#include "formats/adm_resolve.h"
#include "objrender/objr.h"

static objr_adm *parse(const char *xml) {
    objr_adm *a = NULL;
    objr_diag d;
    ck_assert_msg(objr_adm_parse_mem(xml, strlen(xml), NULL, &a, &d) == OBJR_OK, "%s", d.message);
    return a;
}

static const objr_adm_problem *find_problem(const objr_adm_problem *p, size_t n, const char *id,
                                            const char *text) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].element_id, id) == 0 && strstr(p[i].message, text))
            return &p[i];
    return NULL;
}

#define BLOCK(n, rt, du, az)                                                                       \
    "<audioBlockFormat audioBlockFormatID=\"AB_00031001_0000000" n "\" rtime=\"" rt                \
    "\" duration=\"" du "\"><position coordinate=\"azimuth\">" az "</position></audioBlockFormat>"

START_TEST(block_times) {
    objr_adm *a =
        parse("<audioFormatExtended><audioChannelFormat audioChannelFormatID=\"AC_00031001\" "
              "typeLabel=\"0003\">" BLOCK("1", "00:00:00.00000", "00:00:01.00000", "0")
                  BLOCK("2", "00:00:00.50000", "00:00:01.00000", "10")
                      BLOCK("3", "00:00:00.20000", "00:00:01.00000",
                            "20") "</audioChannelFormat></audioFormatExtended>");
    const objr_adm_problem *p;
    size_t n;
    ck_assert_int_eq(objr_adm_validate(a, 0, &p, &n), OBJR_ERR_ADM);
    /* block 1 (0..1 s) overlaps block 2 (from 0.5 s) by 0.5 s: fixed, block 1 ends at 0.5 s
     * (BS.2127 7.2: blocks abut) */
    const objr_adm_problem *q = find_problem(p, n, "AB_00031001_00000001", "overlaps");
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(q->severity, OBJR_ADM_FIXED);
    ck_assert_int_eq(q->line, 1);
    const objr__adm_model *mm = objr__adm_get_model(a);
    ck_assert_double_eq_tol(objr__adm_time_seconds(mm->channels[0].objects[0].c.duration), 0.5,
                            1e-12);
    /* block 3 starts before block 2: no sensible reading, an error */
    q = find_problem(p, n, "AB_00031001_00000003", "before the previous");
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(q->severity, OBJR_ADM_ERROR);
    /* validating twice gives the same list */
    size_t n1 = n;
    ck_assert_int_eq(objr_adm_validate(a, 0, &p, &n), OBJR_ERR_ADM);
    ck_assert_uint_eq(n, n1);
    objr_adm_destroy(a);
    /* abutting blocks (fractional and timecode forms mixed) are fine */
    a = parse("<audioFormatExtended><audioChannelFormat audioChannelFormatID=\"AC_00031001\" "
              "typeLabel=\"0003\">" BLOCK("1", "00:00:00.00000", "00:00:00.1S3", "0")
                  BLOCK("2", "00:00:00.1S3", "00:00:01.00000",
                        "10") "</audioChannelFormat></audioFormatExtended>");
    ck_assert_int_eq(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
    objr_adm_destroy(a);
}
END_TEST

START_TEST(ranges_and_types) {
    objr_adm *a = parse(
        "<audioFormatExtended>"
        "<audioPackFormat audioPackFormatID=\"AP_00031001\" typeLabel=\"0003\">"
        "<audioChannelFormatIDRef>AC_00011001</audioChannelFormatIDRef></audioPackFormat>"
        "<audioChannelFormat audioChannelFormatID=\"AC_00011001\" typeLabel=\"0001\">"
        "<audioBlockFormat audioBlockFormatID=\"AB_00011001_00000001\"><speakerLabel>M+030"
        "</speakerLabel><position coordinate=\"azimuth\">30</position>"
        "<position coordinate=\"elevation\">0</position></audioBlockFormat></audioChannelFormat>"
        "<audioChannelFormat audioChannelFormatID=\"AC_00031002\" typeLabel=\"0003\">"
        "<audioBlockFormat audioBlockFormatID=\"AB_00031002_00000001\">"
        "<position coordinate=\"azimuth\">200</position><position coordinate=\"elevation\">95"
        "</position><diffuse>1.5</diffuse><width>-1</width></audioBlockFormat>"
        "<audioBlockFormat audioBlockFormatID=\"AB_00031002_00000002\"><cartesian>1</cartesian>"
        "<position coordinate=\"X\">1.5</position><position coordinate=\"Y\">0</position>"
        "</audioBlockFormat></audioChannelFormat></audioFormatExtended>");
    const objr_adm_problem *p;
    size_t n;
    ck_assert_int_ne(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
    ck_assert_ptr_nonnull(find_problem(p, n, "AP_00031001", "AC_00011001"));
    /* out-of-range values are clamped to the BS.2076 range (fixed, not errors); an azimuth
     * is an angle: wrapped by 360 degrees (200 is -160) */
    const objr_adm_problem *q = find_problem(p, n, "AB_00031002_00000001",
                                             "azimuth 200 outside [-180, 180]: wrapped to -160");
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(q->severity, OBJR_ADM_FIXED);
    ck_assert_ptr_nonnull(find_problem(p, n, "AB_00031002_00000001", "first value 95"));
    ck_assert_ptr_nonnull(find_problem(p, n, "AB_00031002_00000001", "diffuse"));
    ck_assert_ptr_nonnull(find_problem(p, n, "AB_00031002_00000001", "width"));
    ck_assert_ptr_nonnull(find_problem(p, n, "AB_00031002_00000002", "cartesian X"));
    const objr__adm_model *mm = objr__adm_get_model(a);
    ck_assert_double_eq(mm->channels[1].objects[0].pos.azimuth_deg, -160.0);
    ck_assert_double_eq(mm->channels[1].objects[0].pos.elevation_deg, 90.0);
    ck_assert_double_eq(mm->channels[1].objects[0].diffuse, 1.0);
    ck_assert_double_eq(mm->channels[1].objects[0].width, 0.0);
    ck_assert_double_eq(mm->channels[1].objects[1].pos.x, 1.0);
    ck_assert_ptr_null(find_problem(p, n, "AB_00011001_00000001", ""));
    objr_adm_destroy(a);
}
END_TEST

START_TEST(unknown_elements_warned) {
    objr_adm *a = parse("<audioFormatExtended><audioObject audioObjectID=\"AO_1\">"
                        "<audioPackFormatIDRef>AP_00010001</audioPackFormatIDRef>"
                        "<fancyThing/></audioObject><mysteryElement/></audioFormatExtended>");
    const objr_adm_problem *p;
    size_t n;
    ck_assert_int_eq(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
    const objr_adm_problem *q = find_problem(p, n, "AO_1", "fancyThing");
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(q->severity, OBJR_ADM_NOTE);
    ck_assert_ptr_nonnull(find_problem(p, n, "", "mysteryElement"));
    objr_adm_destroy(a);
}
END_TEST

static const char *const chna_doc =
    "<audioFormatExtended><audioObject audioObjectID=\"AO_1\">"
    "<audioPackFormatIDRef>AP_00010002</audioPackFormatIDRef>"
    "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef>"
    "<audioTrackUIDRef>ATU_00000002</audioTrackUIDRef></audioObject>"
    "<audioTrackUID UID=\"ATU_00000001\" sampleRate=\"48000\" bitDepth=\"24\"/>"
    "<audioTrackUID UID=\"ATU_00000002\"><audioTrackFormatIDRef>AT_00010002_01"
    "</audioTrackFormatIDRef></audioTrackUID></audioFormatExtended>";

START_TEST(chna_fills_links) {
    /* bmx style: the XML UIDs carry no references; chna has them */
    objr_adm *a = parse(chna_doc);
    objr_bwf_chna_entry e[] = {{1, "ATU_00000001", "AT_00010001_01", "AP_00010002"},
                               {2, "ATU_00000002", "AT_00010002_01", "AP_00010002"}};
    objr_diag d;
    ck_assert_int_eq(objr_adm_apply_chna(a, e, 2, &d), OBJR_OK);
    objr_adm_track_uid_info u;
    ck_assert_int_eq(objr_adm_get_track_uid(a, 0, &u), OBJR_OK);
    ck_assert_uint_eq(u.track_index, 1);
    ck_assert_str_eq(u.channel_id, "AC_00010001");
    ck_assert_str_eq(u.pack_id, "AP_00010002");
    ck_assert_int_eq(objr_adm_get_track_uid(a, 1, &u), OBJR_OK);
    ck_assert_uint_eq(u.track_index, 2);
    const objr_adm_problem *p;
    size_t n;
    ck_assert_int_eq(objr_adm_validate(a, 2, &p, &n), OBJR_OK);
    /* the same file claims only one channel: track 2 is beyond it */
    ck_assert_int_eq(objr_adm_validate(a, 1, &p, &n), OBJR_ERR_RANGE);
    ck_assert_ptr_nonnull(find_problem(p, n, "ATU_00000002", "beyond"));
    objr_adm_destroy(a);
}
END_TEST

START_TEST(chna_conflicts) {
    objr_adm *a = parse(chna_doc);
    objr_bwf_chna_entry e[] = {{1, "ATU_00000001", "AT_00010001_01", "AP_00010002"},
                               {2, "ATU_00000002", "AT_00010003_01", ""},
                               {3, "ATU_00000009", "AT_00010003_01", "AP_00010001"}};
    objr_diag d;
    ck_assert_int_eq(objr_adm_apply_chna(a, e, 3, &d), OBJR_OK);
    const objr_adm_problem *p;
    size_t n;
    ck_assert_int_eq(objr_adm_validate(a, 3, &p, &n), OBJR_ERR_CONFLICT);
    const objr_adm_problem *q = find_problem(p, n, "ATU_00000002", "AT_00010003_01");
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(q->code, OBJR_ERR_CONFLICT);
    /* a UID only in chna is created and linked */
    ck_assert_uint_eq(objr_adm_count(a, OBJR_ADM_TRACK_UID), 3);
    objr_adm_track_uid_info u;
    ck_assert_int_eq(objr_adm_get_track_uid(a, 2, &u), OBJR_OK);
    ck_assert_str_eq(u.id, "ATU_00000009");
    ck_assert_str_eq(u.channel_id, "AC_00010003");
    /* a chna reference that resolves nowhere is an error naming the UID */
    objr_bwf_chna_entry bad = {4, "ATU_0000000a", "AT_00031999_01", ""};
    ck_assert_int_eq(objr_adm_apply_chna(a, &bad, 1, &d), OBJR_ERR_REFERENCE);
    ck_assert_str_eq(d.element_id, "ATU_0000000a");
    objr_bwf_chna_entry zero = {0, "ATU_1", "", ""};
    ck_assert_int_eq(objr_adm_apply_chna(a, &zero, 1, &d), OBJR_ERR_INVALID_ARG);
    objr_adm_destroy(a);
}
END_TEST

START_TEST(chna_direct_channel_ref_forms) {
    /* BS.2076-2 files link audioTrackUID -> audioChannelFormat directly; chna then carries the
     * channel ID padded to its 14-character field as "AC_yyyyxxxx_00", and hex digits may be
     * in either case. Both name the same channel format as the XML: no conflict. */
    const char *xml =
        "<audioFormatExtended>"
        "<audioObject audioObjectID=\"AO_1001\"><audioPackFormatIDRef>AP_00031001"
        "</audioPackFormatIDRef><audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>"
        "<audioPackFormat audioPackFormatID=\"AP_00031001\" typeDefinition=\"Objects\">"
        "<audioChannelFormatIDRef>AC_0003100a</audioChannelFormatIDRef></audioPackFormat>"
        "<audioChannelFormat audioChannelFormatID=\"AC_0003100a\" typeDefinition=\"Objects\">"
        "<audioBlockFormat audioBlockFormatID=\"AB_0003100a_00000001\">"
        "<position coordinate=\"azimuth\">0</position></audioBlockFormat></audioChannelFormat>"
        "<audioTrackUID UID=\"ATU_00000001\"><audioChannelFormatIDRef>AC_0003100a"
        "</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
        "</audioTrackUID></audioFormatExtended>";
    objr_adm *a = parse(xml);
    objr_bwf_chna_entry e[] = {{1, "ATU_00000001", "AC_0003100A_00", "AP_00031001"}};
    objr_diag d;
    ck_assert_int_eq(objr_adm_apply_chna(a, e, 1, &d), OBJR_OK);
    const objr_adm_problem *p;
    size_t n;
    ck_assert_int_eq(objr_adm_validate(a, 1, &p, &n), OBJR_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(p[i].code != OBJR_ERR_CONFLICT, "%s", p[i].message);
    objr_adm_track_uid_info u;
    ck_assert_int_eq(objr_adm_get_track_uid(a, 0, &u), OBJR_OK);
    ck_assert_uint_eq(u.track_index, 1);
    ck_assert_str_eq(u.channel_id, "AC_0003100a");
    /* A different channel is still a conflict. */
    objr_bwf_chna_entry other[] = {{1, "ATU_00000001", "AC_0003100b_00", ""}};
    ck_assert_int_eq(objr_adm_apply_chna(a, other, 1, &d), OBJR_OK);
    ck_assert_int_eq(objr_adm_validate(a, 1, &p, &n), OBJR_ERR_CONFLICT);
    objr_adm_destroy(a);
}
END_TEST

START_TEST(internal_merge_from_chna_struct) {
    objr_adm *a = parse(chna_doc);
    objr__adm_model *m = objr__adm_get_model_mut(a);
    objr__chna_entry entries[2];
    memset(entries, 0, sizeof entries);
    entries[0].track_index = 4;
    snprintf(entries[0].uid, sizeof entries[0].uid, "ATU_00000001");
    snprintf(entries[0].track_ref, sizeof entries[0].track_ref, "AT_00010001_01");
    entries[1].track_index = 7;
    snprintf(entries[1].uid, sizeof entries[1].uid, "ATU_00000001");
    objr__chna c = {2, entries, 2};
    objr_diag d;
    objr_diag_clear(&d);
    const objr_adm_problem *p0;
    size_t n0;
    /* before the merge the played UID has no track of the 8-track file: not renderable */
    ck_assert_int_eq(objr_adm_validate(a, 8, &p0, &n0), OBJR_ERR_REFERENCE);
    ck_assert_int_eq(objr__adm_merge_chna(m, &c, &d), OBJR_OK);
    ck_assert_uint_eq(m->uids[0].track_index, 4);
    const objr_adm_problem *p;
    size_t n;
    ck_assert_int_eq(objr_adm_validate(a, 8, &p, &n), OBJR_ERR_CONFLICT);
    ck_assert_ptr_nonnull(find_problem(p, n, "ATU_00000001", "track 7"));
    objr_adm_destroy(a);
}
END_TEST

static Suite *adm_validate_suite(void) {
    Suite *s = suite_create("adm_validate");
    TCase *tc = tcase_create("validate");
    tcase_add_test(tc, block_times);
    tcase_add_test(tc, ranges_and_types);
    tcase_add_test(tc, unknown_elements_warned);
    tcase_add_test(tc, chna_direct_channel_ref_forms);
    tcase_add_test(tc, chna_fills_links);
    tcase_add_test(tc, chna_conflicts);
    tcase_add_test(tc, internal_merge_from_chna_struct);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(adm_validate_suite)
