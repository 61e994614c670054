/* SPDX-License-Identifier: BSD-3-Clause */
/* Test builders for ADM as real exporters write it: the Pro Tools / Dolby Atmos master
 * profile (512-sample blocks with times rounded to 10 us, RC_* beds, cartesian objects with Z
 * omitted when 0, jumpPosition with interpolationLength 0.005208 s) and the Dolby Atmos
 * Renderer's XML export (programme at 01:00:00, text after the root element); each also in
 * an exact-time twin (the same scene with sample-exact fractional times). */
#ifndef OBJR_TESTS_COMMON_ADM_EXPORTS_H
#define OBJR_TESTS_COMMON_ADM_EXPORTS_H

#include <stddef.h>

/** Export styles. */
typedef enum objr_test_export_style {
    OBJR_TEST_EXACT = 0,      /**< sample-exact fractional times, Z written, nothing extra */
    OBJR_TEST_PROTOOLS,       /**< times rounded to 10 us, Z omitted when 0 */
    OBJR_TEST_DOLBY_RENDERER, /**< as Pro Tools, programme at 01:00:00, trailing text */
} objr_test_export_style;

/** Scene: a 7.1 RC_* bed on tracks 1..8, then n_objects moving cartesian objects, each with
 *  n_blocks blocks of block_frames samples at 48 kHz. */
typedef struct objr_test_export_scene {
    unsigned n_objects;
    unsigned n_blocks;
    unsigned block_frames; /**< 512 in Pro Tools exports */
    /** NULL: an ADM document for a BWF's axml; else every audioTrackUID points at channel
     *  t + 1 of this stem file (objr:file / objr:channel, objrender's mix.xml). */
    const char *stem_file;
} objr_test_export_scene;

/** Tracks of the scene (bed + objects). */
unsigned objr_test_export_tracks(const objr_test_export_scene *s);
/** The ADM XML (malloc'd, NUL-terminated; *len its length) in @p style. */
char *objr_test_export_xml(const objr_test_export_scene *s, objr_test_export_style style,
                           size_t *len);
/** Number of blocks that overlap their successor after rounding to 10 us (derived from the
 *  rounding alone, with integer arithmetic), over the whole scene. */
unsigned objr_test_export_rounding_overlaps(const objr_test_export_scene *s);
/** The audioBlockFormatID of the first block that overlaps its successor after rounding
 *  (objects in document order, blocks in time order) into @p id; 0 when none does. */
int objr_test_export_first_overlap(const objr_test_export_scene *s, char *id, size_t size);

#endif /* OBJR_TESTS_COMMON_ADM_EXPORTS_H */
