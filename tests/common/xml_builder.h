/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM XML text builder shared by the unit tests and the benchmarks: printf-style appends into
 * a buffer that starts inline (64 KiB, no allocation: what every unit test needs) and moves
 * to the heap when a benchmark's scene outgrows it. Not Check-dependent: a failed allocation
 * aborts the test program with a message. */
#ifndef OBJR_TESTS_COMMON_XML_BUILDER_H
#define OBJR_TESTS_COMMON_XML_BUILDER_H

#include <stddef.h>

#define OBJR_TEST_XML_INLINE 65536

typedef struct objr_test_xml {
    char *s;  /**< the text, NUL-terminated; inline or heap */
    size_t n; /**< bytes written */
    size_t cap;
    char inline_buf[OBJR_TEST_XML_INLINE];
} objr_test_xml;

#if defined(__GNUC__)
#define OBJR_TEST_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define OBJR_TEST_PRINTF(f, a)
#endif

/** Empty the buffer (any prior state, initialised or not, is discarded without freeing: call
 *  objr_test_xml_free first for a buffer that may be on the heap). */
void objr_test_xml_reset(objr_test_xml *b);
/** Append printf-style text, growing the buffer as needed. */
void objr_test_xml_ap(objr_test_xml *b, const char *fmt, ...) OBJR_TEST_PRINTF(2, 3);
/** Reset, then write the XML declaration and ebuCoreMain/coreMetadata/format/
 *  audioFormatExtended (BS.2076-2) openings. */
void objr_test_xml_head(objr_test_xml *b);
/** Close what objr_test_xml_head opened. */
void objr_test_xml_tail(objr_test_xml *b);
/** audioTrackUID ATU_<n as 8 hex digits> referring to channel format @p ac and pack @p pack. */
void objr_test_xml_track_uid(objr_test_xml *b, int n, const char *ac, const char *pack);
/** Hand the text over as a malloc'd string (the caller frees it); the builder is empty
 *  afterwards. Aborts when out of memory. */
char *objr_test_xml_take(objr_test_xml *b, size_t *len);
/** Release a heap buffer (no-op for an inline one); the builder is empty afterwards. */
void objr_test_xml_free(objr_test_xml *b);

/** A session scene for the benchmarks: one programme and content, a DirectSpeakers bed object
 *  (AO_1001, tracks ATU_1..n_bed; an "LFE..." label is low-passed at 120 Hz) and n_objects
 *  Objects (AO_1002.., tracks after the bed's) circling at 10 + 3 (o mod 17) deg/s from
 *  azimuth 37 o, at elevation -6, 6, 18, 30 or 42 deg, in blocks of block_s seconds. */
typedef struct objr_test_session {
    double seconds, block_s;
    unsigned rate_hz;
    size_t n_bed;
    const char *const *bed_labels;
    const double *bed_az_deg, *bed_el_deg;
    size_t n_objects;
} objr_test_session;

/** The session's ADM XML as a malloc'd string (the caller frees it). */
char *objr_test_xml_session(const objr_test_session *s, size_t *len);

#endif /* OBJR_TESTS_COMMON_XML_BUILDER_H */
