/* SPDX-License-Identifier: BSD-3-Clause */
/* Benchmark of ADM XML parse + resolve (BS.2076-2 documents generated in memory): a 128-object
 * mix with 100,000 block formats (blocks/s, MB/s), and scaling checks: time for N and 2N
 * blocks and for N and 2N elements (the ratio should be ~2, not ~4). Printed, not asserted.
 * `--smoke` runs a small size. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "objrender/objr.h"
#include "tests/common/xml_builder.h"

/* n_objects objects, each with one Objects channel of blocks_per_object moving blocks, the
 * full AO -> AP -> AC -> AS -> AT -> ATU chain, one programme and content. */
static char *make_mix(size_t n_objects, size_t blocks_per_object, size_t *len) {
    objr_test_xml b;
    objr_test_xml_reset(&b);
    objr_test_xml_ap(
        &b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ebuCoreMain xmlns=\"urn:ebu:metadata-"
            "schema:ebuCore_2016\"><coreMetadata><format><audioFormatExtended>\n");
    objr_test_xml_ap(&b,
                     "<audioProgramme audioProgrammeID=\"APR_1001\" audioProgrammeName=\"bench\">"
                     "<audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>\n");
    objr_test_xml_ap(&b, "<audioContent audioContentID=\"ACO_1001\" audioContentName=\"all\">");
    for (size_t o = 0; o < n_objects; o++)
        objr_test_xml_ap(&b, "<audioObjectIDRef>AO_%04zx</audioObjectIDRef>", 0x1001 + o);
    objr_test_xml_ap(&b, "</audioContent>\n");
    for (size_t o = 0; o < n_objects; o++) {
        size_t id = 0x1001 + o;
        objr_test_xml_ap(&b,
                         "<audioObject audioObjectID=\"AO_%04zx\" audioObjectName=\"obj%zu\">"
                         "<audioPackFormatIDRef>AP_0003%04zx</audioPackFormatIDRef>"
                         "<audioTrackUIDRef>ATU_%08zx</audioTrackUIDRef></audioObject>\n",
                         id, o, id, o + 1);
        objr_test_xml_ap(&b,
                         "<audioPackFormat audioPackFormatID=\"AP_0003%04zx\" typeLabel=\"0003\" "
                         "typeDefinition=\"Objects\"><audioChannelFormatIDRef>AC_0003%04zx"
                         "</audioChannelFormatIDRef></audioPackFormat>\n",
                         id, id);
        objr_test_xml_ap(
            &b,
            "<audioChannelFormat audioChannelFormatID=\"AC_0003%04zx\" typeLabel=\"0003\" "
            "typeDefinition=\"Objects\">\n",
            id);
        for (size_t k = 0; k < blocks_per_object; k++) {
            double az = (double)((k * 7 + o * 13) % 360) - 180.0;
            objr_test_xml_ap(
                &b,
                "<audioBlockFormat audioBlockFormatID=\"AB_0003%04zx_%08zx\" "
                "rtime=\"%02zu:%02zu:%02zu.%05zu\" duration=\"00:00:00.02000\">"
                "<position coordinate=\"azimuth\">%.2f</position><position "
                "coordinate=\"elevation\">%.2f</position><position coordinate=\"distance\">1"
                "</position><width>%.1f</width><gain>0.9</gain></audioBlockFormat>\n",
                id, k + 1, k / 50 / 3600, k / 50 / 60 % 60, k / 50 % 60, (k % 50) * 2000, az,
                (double)(k % 60) - 30.0, (double)(k % 10));
        }
        objr_test_xml_ap(&b, "</audioChannelFormat>\n");
        objr_test_xml_ap(
            &b,
            "<audioStreamFormat audioStreamFormatID=\"AS_0003%04zx\" formatLabel=\"0001\" "
            "formatDefinition=\"PCM\"><audioChannelFormatIDRef>AC_0003%04zx"
            "</audioChannelFormatIDRef><audioTrackFormatIDRef>AT_0003%04zx_01"
            "</audioTrackFormatIDRef></audioStreamFormat>\n",
            id, id, id);
        objr_test_xml_ap(
            &b,
            "<audioTrackFormat audioTrackFormatID=\"AT_0003%04zx_01\" formatLabel=\"0001\" "
            "formatDefinition=\"PCM\"><audioStreamFormatIDRef>AS_0003%04zx"
            "</audioStreamFormatIDRef></audioTrackFormat>\n",
            id, id);
        objr_test_xml_ap(
            &b,
            "<audioTrackUID UID=\"ATU_%08zx\" sampleRate=\"48000\" bitDepth=\"24\">"
            "<audioTrackFormatIDRef>AT_0003%04zx_01</audioTrackFormatIDRef>"
            "<audioPackFormatIDRef>AP_0003%04zx</audioPackFormatIDRef></audioTrackUID>\n",
            o + 1, id, id);
    }
    objr_test_xml_ap(&b, "</audioFormatExtended></format></coreMetadata></ebuCoreMain>\n");
    return objr_test_xml_take(&b, len);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Best of @p reps parse+resolve times. */
static double time_parse(const char *xml, size_t len, int reps) {
    double best = 1e30;
    objr_adm_config cfg = objr_adm_config_default();
    for (int r = 0; r < reps; r++) {
        objr_adm *a = NULL;
        objr_diag d;
        double t0 = now_s();
        objr_status st = objr_adm_parse_mem(xml, len, &cfg, &a, &d);
        double t = now_s() - t0;
        if (st != OBJR_OK) {
            fprintf(stderr, "bench_adm_parse: parse failed: %s\n", d.message);
            exit(1);
        }
        objr_adm_destroy(a);
        if (t < best)
            best = t;
    }
    return best;
}

int main(int argc, char **argv) {
    int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
    size_t n_obj = smoke ? 16 : 128;
    size_t n_blocks = smoke ? 2000 : 100000;
    int reps = smoke ? 2 : 3;
    size_t len;
    char *xml = make_mix(n_obj, n_blocks / n_obj, &len);
    size_t total_blocks = n_obj * (n_blocks / n_obj);
    double t = time_parse(xml, len, reps);
    printf("ADM parse+resolve: %zu objects, %zu blocks, %.1f MB: %.3f s  ->  %.0f blocks/s, "
           "%.1f MB/s\n",
           n_obj, total_blocks, (double)len / 1e6, t, (double)total_blocks / t,
           (double)len / 1e6 / t);
    free(xml);

    /* scaling in blocks: same objects, N and 2N blocks each */
    size_t bpo = smoke ? 50 : 400;
    char *x1 = make_mix(n_obj, bpo, &len);
    double t1 = time_parse(x1, len, reps);
    free(x1);
    char *x2 = make_mix(n_obj, 2 * bpo, &len);
    double t2 = time_parse(x2, len, reps);
    free(x2);
    printf("scaling, blocks   %6zu -> %6zu: %.4f s -> %.4f s, ratio %.2f (linear = 2)\n",
           n_obj * bpo, 2 * n_obj * bpo, t1, t2, t2 / t1);

    /* scaling in elements (resolution): N and 2N objects with few blocks each */
    size_t n_el = smoke ? 500 : 8000;
    x1 = make_mix(n_el, 2, &len);
    t1 = time_parse(x1, len, reps);
    free(x1);
    x2 = make_mix(2 * n_el, 2, &len);
    t2 = time_parse(x2, len, reps);
    free(x2);
    printf("scaling, objects  %6zu -> %6zu: %.4f s -> %.4f s, ratio %.2f (linear = 2, "
           "quadratic = 4)\n",
           n_el, 2 * n_el, t1, t2, t2 / t1);
    return 0;
}
