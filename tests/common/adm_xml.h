/* SPDX-License-Identifier: BSD-3-Clause */
/* Test-only ADM XML builder (ITU-R BS.2076-2 elements written by hand into a fixed buffer):
 * document head and tail, audioTrackUIDs, single-block objects and a 7.1.4 DirectSpeakers bed,
 * and a renderer made from it with track i+1 on input i. */
#ifndef OBJR_TESTS_COMMON_ADM_XML_H
#define OBJR_TESTS_COMMON_ADM_XML_H

#include <stddef.h>

#include "objrender/objr.h"

typedef struct objr_test_admx {
    char s[65536];
    size_t n;
} objr_test_admx;

/** Append printf-style text (asserts that it fits). */
void objr_test_admx_ap(objr_test_admx *b, const char *fmt, ...);
/** Reset @p b and write the ebuCoreMain ... audioFormatExtended opening. */
void objr_test_admx_head(objr_test_admx *b);
/** Close what objr_test_admx_head opened. */
void objr_test_admx_tail(objr_test_admx *b);
/** Track UID n (1-based, ATU_%08X) carrying channel @p ac of pack @p pack. */
void objr_test_admx_uid(objr_test_admx *b, int n, const char *ac, const char *pack);
/** Objects object n (1-based; track n) with one static block at (az, el), diffuseness
 *  @p diffuse (0..1). */
void objr_test_admx_object(objr_test_admx *b, int n, double az_deg, double el_deg, double diffuse);
/** A 7.1.4 DirectSpeakers bed (M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135 U+045 U-045
 *  U+135 U-135) on tracks first .. first + 11. */
void objr_test_admx_bed_714(objr_test_admx *b, int first);
/** A renderer for @p b with tracks 1..n_tracks on inputs 0..n_tracks-1 at 48 kHz (asserts
 *  success). */
objr_renderer *objr_test_admx_renderer(const objr_test_admx *b, const objr_renderer_config *cfg,
                                       int n_tracks, const char *const *layouts, size_t n_layouts);

#endif /* OBJR_TESTS_COMMON_ADM_XML_H */
