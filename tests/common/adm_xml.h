/* SPDX-License-Identifier: BSD-3-Clause */
/* Test scenes on the shared ADM XML builder (xml_builder.h): single-block objects, a 7.1.4
 * DirectSpeakers bed, and a renderer made from the text with track i+1 on input i. */
#ifndef OBJR_TESTS_COMMON_ADM_XML_H
#define OBJR_TESTS_COMMON_ADM_XML_H

#include <stddef.h>

#include "objrender/objr.h"
#include "tests/common/xml_builder.h"

/** Objects object n (1-based; track n) with one static block at (az, el), diffuseness
 *  @p diffuse (0..1). */
void objr_test_xml_object(objr_test_xml *b, int n, double az_deg, double el_deg, double diffuse);
/** A 7.1.4 DirectSpeakers bed (M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135 U+045 U-045
 *  U+135 U-135) on tracks first .. first + 11. */
void objr_test_xml_bed_714(objr_test_xml *b, int first);
/** A renderer for @p b with tracks 1..n_tracks on inputs 0..n_tracks-1 at 48 kHz (asserts
 *  success). */
objr_renderer *objr_test_xml_renderer(const objr_test_xml *b, const objr_renderer_config *cfg,
                                      int n_tracks, const char *const *layouts, size_t n_layouts);

#endif /* OBJR_TESTS_COMMON_ADM_XML_H */
