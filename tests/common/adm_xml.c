/* SPDX-License-Identifier: BSD-3-Clause */
/* Test scenes on the shared ADM XML builder (xml_builder.h): single-block objects, a 7.1.4
 * DirectSpeakers bed with BS.2051 labels, and a renderer made from the text. */
#include "common/adm_xml.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/test_common.h"

void objr_test_xml_object(objr_test_xml *b, int n, double az_deg, double el_deg, double diffuse) {
    char ac[16], ap[16];
    snprintf(ac, sizeof ac, "AC_0003%04X", 0x1000 + n);
    snprintf(ap, sizeof ap, "AP_0003%04X", 0x1000 + n);
    objr_test_xml_ap(b,
                     "<audioObject audioObjectID=\"AO_%04X\"><audioPackFormatIDRef>%s"
                     "</audioPackFormatIDRef><audioTrackUIDRef>ATU_%08X</audioTrackUIDRef>"
                     "</audioObject>\n<audioPackFormat audioPackFormatID=\"%s\" "
                     "typeLabel=\"0003\" typeDefinition=\"Objects\"><audioChannelFormatIDRef>%s"
                     "</audioChannelFormatIDRef></audioPackFormat>\n<audioChannelFormat "
                     "audioChannelFormatID=\"%s\" typeLabel=\"0003\" typeDefinition=\"Objects\">"
                     "<audioBlockFormat audioBlockFormatID=\"AB_0003%04X_00000001\">"
                     "<position coordinate=\"azimuth\">%.9g</position>"
                     "<position coordinate=\"elevation\">%.9g</position>"
                     "<diffuse>%.9g</diffuse></audioBlockFormat></audioChannelFormat>\n",
                     0x1000 + n, ap, n, ap, ac, ac, 0x1000 + n, az_deg, el_deg, diffuse);
    objr_test_xml_track_uid(b, n, ac, ap);
}

void objr_test_xml_bed_714(objr_test_xml *b, int first) {
    static const char *const labels[12] = {"M+030", "M-030", "M+000", "LFE1",  "M+090", "M-090",
                                           "M+135", "M-135", "U+045", "U-045", "U+135", "U-135"};
    static const double pos[12][2] = {{30, 0},  {-30, 0},  {0, 0},    {0, -30},
                                      {90, 0},  {-90, 0},  {135, 0},  {-135, 0},
                                      {45, 30}, {-45, 30}, {135, 30}, {-135, 30}};
    objr_test_xml_ap(b, "<audioObject audioObjectID=\"AO_2001\">"
                        "<audioPackFormatIDRef>AP_00012001</audioPackFormatIDRef>");
    for (int i = 0; i < 12; i++)
        objr_test_xml_ap(b, "<audioTrackUIDRef>ATU_%08X</audioTrackUIDRef>", first + i);
    objr_test_xml_ap(b, "</audioObject>\n<audioPackFormat audioPackFormatID=\"AP_00012001\" "
                        "typeLabel=\"0001\" typeDefinition=\"DirectSpeakers\">");
    for (int i = 0; i < 12; i++)
        objr_test_xml_ap(b, "<audioChannelFormatIDRef>AC_000120%02X</audioChannelFormatIDRef>",
                         i + 1);
    objr_test_xml_ap(b, "</audioPackFormat>\n");
    for (int i = 0; i < 12; i++) {
        objr_test_xml_ap(b,
                         "<audioChannelFormat audioChannelFormatID=\"AC_000120%02X\" "
                         "typeLabel=\"0001\" typeDefinition=\"DirectSpeakers\">%s"
                         "<audioBlockFormat audioBlockFormatID=\"AB_000120%02X_00000001\">"
                         "<speakerLabel>urn:itu:bs:2051:0:speaker:%s</speakerLabel>"
                         "<position coordinate=\"azimuth\">%g</position>"
                         "<position coordinate=\"elevation\">%g</position></audioBlockFormat>"
                         "</audioChannelFormat>\n",
                         i + 1,
                         i == 3 ? "<frequency typeDefinition=\"lowPass\">120</frequency>" : "",
                         i + 1, labels[i], pos[i][0], pos[i][1]);
        char ac[16];
        snprintf(ac, sizeof ac, "AC_000120%02X", i + 1);
        objr_test_xml_track_uid(b, first + i, ac, "AP_00012001");
    }
}

objr_renderer *objr_test_xml_renderer(const objr_test_xml *b, const objr_renderer_config *cfg,
                                      int n_tracks, const char *const *layouts, size_t n_layouts) {
    objr_bwf_chna_entry e[64];
    memset(e, 0, sizeof e);
    ck_assert(n_tracks >= 0 && n_tracks <= 64);
    for (int i = 0; i < n_tracks; i++) {
        e[i].track_index = (uint16_t)(i + 1);
        snprintf(e[i].uid, sizeof e[i].uid, "ATU_%08X", i + 1);
    }
    objr_renderer *r = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_renderer_create(cfg, b->s, b->n, e, (size_t)n_tracks, (uint32_t)n_tracks,
                                          48000, layouts, n_layouts, &d, &r);
    ck_assert_msg(st == OBJR_OK, "create: %s: %s", objr_strerror(st), d.message);
    return r;
}
