/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM XML text builder for tests and benchmarks (see xml_builder.h), and the benchmarks'
 * session scene (a DirectSpeakers bed and many moving objects). */
#include "tests/common/xml_builder.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void objr_test_xml_reset(objr_test_xml *b) {
    b->s = b->inline_buf;
    b->cap = sizeof b->inline_buf;
    b->n = 0;
    b->s[0] = '\0';
}

static void grow(objr_test_xml *b, size_t need) {
    size_t cap = b->cap;
    while (cap - b->n <= need)
        cap = cap * 2;
    char *s = b->s == b->inline_buf ? malloc(cap) : realloc(b->s, cap);
    if (!s) {
        fprintf(stderr, "xml_builder: out of memory (%zu bytes)\n", cap);
        abort();
    }
    if (b->s == b->inline_buf)
        memcpy(s, b->inline_buf, b->n + 1);
    b->s = s;
    b->cap = cap;
}

void objr_test_xml_ap(objr_test_xml *b, const char *fmt, ...) {
    if (!b->s || b->cap == 0)
        objr_test_xml_reset(b);
    va_list va;
    va_start(va, fmt);
    int k = vsnprintf(b->s + b->n, b->cap - b->n, fmt, va);
    va_end(va);
    if (k < 0) {
        fprintf(stderr, "xml_builder: bad format '%s'\n", fmt);
        abort();
    }
    if ((size_t)k >= b->cap - b->n) {
        grow(b, (size_t)k + 1);
        va_start(va, fmt);
        vsnprintf(b->s + b->n, b->cap - b->n, fmt, va);
        va_end(va);
    }
    b->n += (size_t)k;
}

void objr_test_xml_head(objr_test_xml *b) {
    objr_test_xml_reset(b);
    objr_test_xml_ap(b, "<?xml version=\"1.0\"?>\n<ebuCoreMain "
                        "xmlns=\"urn:ebu:metadata-schema:ebuCore_2016\"><coreMetadata><format>"
                        "<audioFormatExtended version=\"ITU-R_BS.2076-2\">\n");
}

void objr_test_xml_tail(objr_test_xml *b) {
    objr_test_xml_ap(b, "</audioFormatExtended></format></coreMetadata></ebuCoreMain>\n");
}

void objr_test_xml_track_uid(objr_test_xml *b, int n, const char *ac, const char *pack) {
    objr_test_xml_ap(b,
                     "<audioTrackUID UID=\"ATU_%08X\"><audioChannelFormatIDRef>%s"
                     "</audioChannelFormatIDRef><audioPackFormatIDRef>%s</audioPackFormatIDRef>"
                     "</audioTrackUID>\n",
                     n, ac, pack);
}

void objr_test_xml_free(objr_test_xml *b) {
    if (b->s && b->s != b->inline_buf)
        free(b->s);
    objr_test_xml_reset(b);
}

char *objr_test_xml_take(objr_test_xml *b, size_t *len) {
    char *s = b->s;
    if (s == b->inline_buf) {
        s = malloc(b->n + 1);
        if (!s) {
            fprintf(stderr, "xml_builder: out of memory (%zu bytes)\n", b->n + 1);
            abort();
        }
        memcpy(s, b->inline_buf, b->n + 1);
    }
    if (len)
        *len = b->n;
    objr_test_xml_reset(b);
    return s;
}

/* "hh:mm:ss.fffffS<rate>": a BS.2076 time in samples of @p rate_hz. */
static void session_time(char *out, size_t size, long samples, unsigned rate_hz) {
    long sec = samples / (long)rate_hz, frac = samples % (long)rate_hz;
    snprintf(out, size, "%02ld:%02ld:%02ld.%05ldS%u", sec / 3600, sec / 60 % 60, sec % 60, frac,
             rate_hz);
}

/* The bed: one DirectSpeakers object, pack, its channels (the LFE low-passed at 120 Hz) and
 * their track UIDs ATU_1 ... */
static void session_bed(objr_test_xml *b, const objr_test_session *s) {
    objr_test_xml_ap(b, "<audioObject audioObjectID=\"AO_1001\" audioObjectName=\"bed\">"
                        "<audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef>");
    for (size_t k = 0; k < s->n_bed; k++)
        objr_test_xml_ap(b, "<audioTrackUIDRef>ATU_%08zX</audioTrackUIDRef>", k + 1);
    objr_test_xml_ap(b, "</audioObject>\n<audioPackFormat audioPackFormatID=\"AP_00011001\" "
                        "audioPackFormatName=\"bed\" typeLabel=\"0001\" "
                        "typeDefinition=\"DirectSpeakers\">");
    for (size_t k = 0; k < s->n_bed; k++)
        objr_test_xml_ap(b, "<audioChannelFormatIDRef>AC_000110%02zX</audioChannelFormatIDRef>",
                         k + 1);
    objr_test_xml_ap(b, "</audioPackFormat>\n");
    for (size_t k = 0; k < s->n_bed; k++) {
        int lfe = strncmp(s->bed_labels[k], "LFE", 3) == 0;
        objr_test_xml_ap(
            b,
            "<audioChannelFormat audioChannelFormatID=\"AC_000110%02zX\" "
            "audioChannelFormatName=\"%s\" typeLabel=\"0001\" typeDefinition=\"DirectSpeakers\">%s"
            "<audioBlockFormat audioBlockFormatID=\"AB_000110%02zX_00000001\"><speakerLabel>%s"
            "</speakerLabel><position coordinate=\"azimuth\">%g</position><position "
            "coordinate=\"elevation\">%g</position></audioBlockFormat></audioChannelFormat>\n",
            k + 1, s->bed_labels[k],
            lfe ? "<frequency typeDefinition=\"lowPass\">120</frequency>" : "", k + 1,
            s->bed_labels[k], s->bed_az_deg[k], s->bed_el_deg[k]);
        objr_test_xml_ap(
            b,
            "<audioTrackUID UID=\"ATU_%08zX\"><audioChannelFormatIDRef>AC_000110%02zX"
            "</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef>"
            "</audioTrackUID>\n",
            k + 1, k + 1);
    }
}

/* Object o: circling at 10 + 3 (o mod 17) deg/s from azimuth 37 o, at one of five heights. */
static void session_object(objr_test_xml *b, const objr_test_session *s, int o) {
    char t1[64], t2[64];
    int id = 0x1002 + o, ch = 0x1001 + o, uid = (int)s->n_bed + 1 + o;
    objr_test_xml_ap(b,
                     "<audioObject audioObjectID=\"AO_%04X\" audioObjectName=\"obj%d\">"
                     "<audioPackFormatIDRef>AP_0003%04X</audioPackFormatIDRef>"
                     "<audioTrackUIDRef>ATU_%08X</audioTrackUIDRef></audioObject>\n"
                     "<audioPackFormat audioPackFormatID=\"AP_0003%04X\" typeLabel=\"0003\" "
                     "typeDefinition=\"Objects\"><audioChannelFormatIDRef>AC_0003%04X"
                     "</audioChannelFormatIDRef></audioPackFormat>\n"
                     "<audioChannelFormat audioChannelFormatID=\"AC_0003%04X\" "
                     "audioChannelFormatName=\"o%d\" "
                     "typeLabel=\"0003\" typeDefinition=\"Objects\">\n",
                     id, o, ch, uid, ch, ch, ch, o);
    const long block = (long)(s->block_s * s->rate_hz), total = (long)(s->seconds * s->rate_hz);
    double speed_deg_s = 10.0 + 3.0 * (o % 17), el = (double)(o % 5) * 12.0 - 6.0;
    int k = 0;
    for (long t = 0; t < total; t += block, k++) {
        long d = total - t < block ? total - t : block;
        session_time(t1, sizeof t1, t, s->rate_hz);
        session_time(t2, sizeof t2, d, s->rate_hz);
        double az = fmod(o * 37.0 + speed_deg_s * (double)(t + d) / s->rate_hz, 360.0) - 180.0;
        objr_test_xml_ap(
            b,
            "<audioBlockFormat audioBlockFormatID=\"AB_0003%04X_%08X\" rtime=\"%s\" "
            "duration=\"%s\"><position coordinate=\"azimuth\">%.3f</position><position "
            "coordinate=\"elevation\">%.1f</position></audioBlockFormat>\n",
            ch, k + 1, t1, t2, az, el);
    }
    objr_test_xml_ap(
        b,
        "</audioChannelFormat>\n<audioTrackUID UID=\"ATU_%08X\"><audioChannelFormatIDRef>"
        "AC_0003%04X</audioChannelFormatIDRef><audioPackFormatIDRef>AP_0003%04X"
        "</audioPackFormatIDRef></audioTrackUID>\n",
        uid, ch, ch);
}

char *objr_test_xml_session(const objr_test_session *s, size_t *len) {
    objr_test_xml b;
    objr_test_xml_reset(&b);
    objr_test_xml_ap(&b,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ebuCoreMain "
                     "xmlns=\"urn:ebu:metadata-schema:ebuCore_2016\"><coreMetadata><format>"
                     "<audioFormatExtended version=\"ITU-R_BS.2076-2\">\n"
                     "<audioProgramme audioProgrammeID=\"APR_1001\" audioProgrammeName=\"bench\">"
                     "<audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>\n"
                     "<audioContent audioContentID=\"ACO_1001\" audioContentName=\"all\">");
    for (int o = 0; o <= (int)s->n_objects; o++)
        objr_test_xml_ap(&b, "<audioObjectIDRef>AO_%04X</audioObjectIDRef>", 0x1001 + o);
    objr_test_xml_ap(&b, "</audioContent>\n");
    session_bed(&b, s);
    for (int o = 0; o < (int)s->n_objects; o++)
        session_object(&b, s, o);
    objr_test_xml_ap(&b, "</audioFormatExtended></format></coreMetadata></ebuCoreMain>\n");
    return objr_test_xml_take(&b, len);
}
