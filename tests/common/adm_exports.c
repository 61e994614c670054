/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM as Pro Tools and the Dolby Atmos Renderer export it, and exact-time twins. */
#include "common/adm_exports.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000u
#define BED_CHANNELS 8
/** 10 us units per second (Dolby's five decimals). */
#define UNITS_PER_S 100000ull

typedef struct sb {
    char *s;
    size_t n, cap;
} sb;

static void ap(sb *b, const char *fmt, ...) {
    va_list ap1, ap2;
    va_start(ap1, fmt);
    va_copy(ap2, ap1);
    int need = vsnprintf(NULL, 0, fmt, ap1);
    va_end(ap1);
    if (need < 0)
        abort();
    if (b->n + (size_t)need + 1 > b->cap) {
        b->cap = (b->n + (size_t)need + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s)
            abort();
    }
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap2);
    va_end(ap2);
    b->n += (size_t)need;
}

unsigned objr_test_export_tracks(const objr_test_export_scene *s) {
    return BED_CHANNELS + s->n_objects;
}

/* A sample position rounded to 10 us, in 10 us units (round half up). */
static unsigned long long units(unsigned long long frames) {
    return (2 * frames * UNITS_PER_S + RATE) / (2 * RATE);
}

/* Time text: exact fractional "hh:mm:ss.fffffS48000" or Dolby's "hh:mm:ss.fffff". */
static void time_text(char *buf, size_t size, unsigned long long frames, int exact,
                      unsigned hours) {
    if (exact) {
        unsigned long long s = frames / RATE, r = frames % RATE;
        snprintf(buf, size, "%02u:%02llu:%02llu.%lluS%u", hours, s / 60, s % 60, r, RATE);
    } else {
        unsigned long long u = units(frames), s = u / UNITS_PER_S;
        snprintf(buf, size, "%02u:%02llu:%02llu.%05llu", hours, s / 60, s % 60, u % UNITS_PER_S);
    }
}

static const struct {
    const char *label, *name;
    int x, y, z;
} bed[BED_CHANNELS] = {{"RC_L", "RoomCentricLeft", -1, 1, 0},
                       {"RC_R", "RoomCentricRight", 1, 1, 0},
                       {"RC_C", "RoomCentricCenter", 0, 1, 0},
                       {"RC_LFE", "RoomCentricLFE", -1, 1, -1},
                       {"RC_Lss", "RoomCentricLeftSideSurround", -1, 0, 0},
                       {"RC_Rss", "RoomCentricRightSideSurround", 1, 0, 0},
                       {"RC_Lrs", "RoomCentricLeftRearSurround", -1, -1, 0},
                       {"RC_Rrs", "RoomCentricRightRearSurround", 1, -1, 0}};

/* Object o, block k: a circle in the horizontal plane for even objects, rising for odd ones
 * (Z = 0 on the first block of every object, so Pro Tools omits it there). */
static void position(unsigned o, unsigned k, double *x, double *y, double *z) {
    double a = 0.35 * k + 0.9 * o;
    *x = round(1e4 * 0.8 * sin(a)) / 1e4;
    *y = round(1e4 * 0.8 * cos(a)) / 1e4;
    *z = (o % 2 && k > 0) ? round(1e4 * (0.1 * (k % 10))) / 1e4 : 0.0;
}

static void write_bed(sb *b, const objr_test_export_scene *s) {
    (void)s;
    ap(b, "<audioPackFormat audioPackFormatID=\"AP_00011001\" "
          "audioPackFormatName=\"AtmosCustomPackFormat1\" "
          "typeLabel=\"0001\" typeDefinition=\"DirectSpeakers\">\n");
    for (unsigned c = 0; c < BED_CHANNELS; c++)
        ap(b, "<audioChannelFormatIDRef>AC_0001100%u</audioChannelFormatIDRef>\n", c + 1);
    ap(b, "</audioPackFormat>\n");
    for (unsigned c = 0; c < BED_CHANNELS; c++) {
        ap(b,
           "<audioChannelFormat audioChannelFormatID=\"AC_0001100%u\" "
           "audioChannelFormatName=\"%s\" "
           "typeLabel=\"0001\" typeDefinition=\"DirectSpeakers\">\n"
           "<audioBlockFormat audioBlockFormatID=\"AB_0001100%u_00000001\">"
           "<speakerLabel>%s</speakerLabel><cartesian>1</cartesian>"
           "<position coordinate=\"X\">%d.000000</position>"
           "<position coordinate=\"Y\">%d.000000</position>"
           "<position coordinate=\"Z\">%d.000000</position></audioBlockFormat>\n"
           "</audioChannelFormat>\n",
           c + 1, bed[c].name, c + 1, bed[c].label, bed[c].x, bed[c].y, bed[c].z);
    }
}

static void write_object_channel(sb *b, const objr_test_export_scene *s, unsigned o, int exact) {
    unsigned id = 0x1001 + o;
    ap(b,
       "<audioChannelFormat audioChannelFormatID=\"AC_0003%04x\" audioChannelFormatName=\"Object "
       "%u\" typeLabel=\"0003\" typeDefinition=\"Objects\">\n",
       id, o + 1);
    for (unsigned k = 0; k < s->n_blocks; k++) {
        char rt[48], du[48];
        unsigned long long f0 = (unsigned long long)k * s->block_frames;
        time_text(rt, sizeof rt, f0, exact, 0);
        if (exact)
            time_text(du, sizeof du, s->block_frames, 1, 0);
        else /* Dolby writes the rounded block length, not the difference of rounded starts */
            time_text(du, sizeof du, s->block_frames, 0, 0);
        double x, y, z;
        position(o, k, &x, &y, &z);
        ap(b,
           "<audioBlockFormat audioBlockFormatID=\"AB_0003%04x_%08x\" rtime=\"%s\" "
           "duration=\"%s\"><cartesian>1</cartesian>"
           "<position coordinate=\"X\">%.6f</position><position coordinate=\"Y\">%.6f</position>",
           id, k + 1, rt, du, x, y);
        if (exact || z != 0.0)
            ap(b, "<position coordinate=\"Z\">%.6f</position>", z);
        ap(b, "<jumpPosition interpolationLength=\"%s\">1</jumpPosition></audioBlockFormat>\n",
           k == 0 ? "0.000000" : "0.005208");
    }
    ap(b, "</audioChannelFormat>\n");
}

char *objr_test_export_xml(const objr_test_export_scene *s, objr_test_export_style style,
                           size_t *len) {
    sb b = {0};
    int exact = style == OBJR_TEST_EXACT;
    unsigned hours = style == OBJR_TEST_DOLBY_RENDERER ? 1 : 0;
    unsigned long long total = (unsigned long long)s->n_blocks * s->block_frames;
    char start[48], end[48], zero[48], dur[48];
    time_text(start, sizeof start, 0, exact, hours);
    time_text(end, sizeof end, total, exact, hours);
    time_text(zero, sizeof zero, 0, exact, 0);
    time_text(dur, sizeof dur, total, exact, 0);
    ap(&b,
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       "<ebuCoreMain xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
       "xmlns=\"urn:ebu:metadata-schema:ebuCore_2016\"%s>\n"
       "<coreMetadata><format><audioFormatExtended>\n",
       s->stem_file ? " xmlns:objr=\"urn:objrender:mix:1\"" : "");
    ap(&b,
       "<audioProgramme audioProgrammeID=\"APR_1001\" audioProgrammeName=\"Atmos_Master\" "
       "start=\"%s\" end=\"%s\">\n"
       "<audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>\n"
       "<audioContent audioContentID=\"ACO_1001\" audioContentName=\"Atmos_Master\">\n"
       "<audioObjectIDRef>AO_1001</audioObjectIDRef>\n",
       start, end);
    for (unsigned o = 0; o < s->n_objects; o++)
        ap(&b, "<audioObjectIDRef>AO_%04x</audioObjectIDRef>\n", 0x100b + o);
    ap(&b, "<dialogue mixedContentKind=\"0\">2</dialogue></audioContent>\n");
    ap(&b,
       "<audioObject audioObjectID=\"AO_1001\" audioObjectName=\"Bed\" start=\"%s\" "
       "duration=\"%s\">\n<audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef>\n",
       zero, dur);
    for (unsigned c = 0; c < BED_CHANNELS; c++)
        ap(&b, "<audioTrackUIDRef>ATU_%08x</audioTrackUIDRef>\n", c + 1);
    ap(&b, "</audioObject>\n");
    for (unsigned o = 0; o < s->n_objects; o++)
        ap(&b,
           "<audioObject audioObjectID=\"AO_%04x\" audioObjectName=\"Object %u\" start=\"%s\" "
           "duration=\"%s\">\n<audioPackFormatIDRef>AP_0003%04x</audioPackFormatIDRef>\n"
           "<audioTrackUIDRef>ATU_%08x</audioTrackUIDRef></audioObject>\n",
           0x100b + o, o + 1, zero, dur, 0x1001 + o, BED_CHANNELS + o + 1);
    write_bed(&b, s);
    for (unsigned o = 0; o < s->n_objects; o++) {
        ap(&b,
           "<audioPackFormat audioPackFormatID=\"AP_0003%04x\" audioPackFormatName=\"Object %u\" "
           "typeLabel=\"0003\" typeDefinition=\"Objects\">"
           "<audioChannelFormatIDRef>AC_0003%04x</audioChannelFormatIDRef></audioPackFormat>\n",
           0x1001 + o, o + 1, 0x1001 + o);
        write_object_channel(&b, s, o, exact);
    }
    /* streams and tracks: the Dolby profile refers to both channel and pack from the stream */
    unsigned n = objr_test_export_tracks(s);
    for (unsigned t = 0; t < n; t++) {
        int is_bed = t < BED_CHANNELS;
        unsigned ty = is_bed ? 1 : 3, cid = is_bed ? 0x1001 + t : 0x1001 + t - BED_CHANNELS;
        unsigned pid = is_bed ? 0x1001 : cid;
        char stem[320] = "";
        if (s->stem_file)
            snprintf(stem, sizeof stem, " objr:file=\"%s\" objr:channel=\"%u\"", s->stem_file,
                     t + 1);
        ap(&b,
           "<audioStreamFormat audioStreamFormatID=\"AS_%04x%04x\" "
           "audioStreamFormatName=\"PCM_%u\" "
           "formatLabel=\"0001\" formatDefinition=\"PCM\">"
           "<audioChannelFormatIDRef>AC_%04x%04x</audioChannelFormatIDRef>"
           "<audioPackFormatIDRef>AP_%04x%04x</audioPackFormatIDRef>"
           "<audioTrackFormatIDRef>AT_%04x%04x_01</audioTrackFormatIDRef></audioStreamFormat>\n"
           "<audioTrackFormat audioTrackFormatID=\"AT_%04x%04x_01\" "
           "audioTrackFormatName=\"PCM_%u\" "
           "formatLabel=\"0001\" formatDefinition=\"PCM\">"
           "<audioStreamFormatIDRef>AS_%04x%04x</audioStreamFormatIDRef></audioTrackFormat>\n"
           "<audioTrackUID UID=\"ATU_%08x\" sampleRate=\"48000\" bitDepth=\"24\"%s>"
           "<audioTrackFormatIDRef>AT_%04x%04x_01</audioTrackFormatIDRef>"
           "<audioPackFormatIDRef>AP_%04x%04x</audioPackFormatIDRef></audioTrackUID>\n",
           ty, cid, t + 1, ty, cid, ty, pid, ty, cid, ty, cid, t + 1, ty, cid, t + 1, stem, ty, cid,
           ty, pid);
    }
    ap(&b, "</audioFormatExtended></format></coreMetadata></ebuCoreMain>\n");
    if (style == OBJR_TEST_DOLBY_RENDERER)
        ap(&b, "Title: Atmos_Master\nCreator: Dolby Atmos Renderer\n");
    *len = b.n;
    return b.s;
}

unsigned objr_test_export_rounding_overlaps(const objr_test_export_scene *s) {
    /* a block of rounded start r(k) lasts units(block) and the next starts at r(k+1): it
     * overlaps when r(k+1) - r(k) < units(block) */
    unsigned n = 0;
    unsigned long long d = units(s->block_frames);
    for (unsigned k = 0; k + 1 < s->n_blocks; k++) {
        unsigned long long a = units((unsigned long long)k * s->block_frames),
                           c = units((unsigned long long)(k + 1) * s->block_frames);
        n += c - a < d;
    }
    return n * s->n_objects;
}

int objr_test_export_first_overlap(const objr_test_export_scene *s, char *id, size_t size) {
    unsigned long long d = units(s->block_frames);
    for (unsigned k = 0; s->n_objects && k + 1 < s->n_blocks; k++)
        if (units((unsigned long long)(k + 1) * s->block_frames) -
                units((unsigned long long)k * s->block_frames) <
            d) {
            snprintf(id, size, "AB_0003%04x_%08x", 0x1001u, k + 1);
            return 1;
        }
    return 0;
}
