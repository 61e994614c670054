/* SPDX-License-Identifier: BSD-3-Clause */
/* objdemo: writes the offline demo mix (a 30 s musical scene, synthesised from a seed) as
 * stem WAVs + mix.xml (ADM BS.2076-2 with objrender's stem extension) and as one ADM BWF
 * (chna + axml, EBU Tech 3285 / ITU-R BS.2088). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "objrender/objr.h"
#include "tool_common.h"
#include "tool_json.h"
#include "tool_options.h"
#include "tools/demo/demo_synth.h"

#define PROG "objdemo"
#define DEFAULT_SEED 20261125u
#define BLOCK_FRAMES 4096
/** Objects get a block format every this many seconds (positions interpolate between). */
#define OBJECT_BLOCK_S 0.5
/** Namespace of the mix.xml stem extension (attributes on audioTrackUID). */
#define MIX_NS OBJR_MIX_XML_NS

/* ---------------------------------------------------------------------------------------- */
/* A growable text buffer                                                                    */

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int failed;
} sbuf;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void
sb_printf(sbuf *b, const char *fmt, ...) {
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? b->cap : 4096);
        while (cap <= b->len + (size_t)n)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->failed = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The scene's IDs                                                                           */

#define N_OBJ (OBJR__DEMO_N_TRACKS - OBJR__DEMO_N_BED)

static const char *const bed_channel_names[OBJR__DEMO_N_BED] = {
    "FrontLeft", "FrontRight", "FrontCentre", "LowFrequencyEffects", "SideLeft",
    "SideRight", "RearLeft",   "RearRight",   "TopSideLeft",         "TopSideRight"};

/* Channel-format number (the xxxx of AC_yyyyxxxx) of a track. */
static unsigned track_cf(int track) {
    return track < OBJR__DEMO_N_BED ? 0x1001u + (unsigned)track
                                    : 0x1001u + (unsigned)(track - OBJR__DEMO_N_BED);
}

static const char *track_type(int track) {
    return track < OBJR__DEMO_N_BED ? "0001" : "0003";
}

static void time_str(char *out, size_t n, double t_s) {
    long long cs = llround(t_s * 100000.0); /* 5 fractional digits */
    long long s = cs / 100000, f = cs % 100000;
    snprintf(out, n, "%02lld:%02lld:%02lld.%05lld", s / 3600, (s / 60) % 60, s % 60, f);
}

static void write_position(sbuf *b, const objr__demo_pos *p) {
    if (p->cartesian) {
        sb_printf(b,
                  "          <cartesian>1</cartesian>\n"
                  "          <position coordinate=\"X\">%.4f</position>\n"
                  "          <position coordinate=\"Y\">%.4f</position>\n"
                  "          <position coordinate=\"Z\">%.4f</position>\n",
                  p->x, p->y, p->z);
    } else {
        sb_printf(b,
                  "          <position coordinate=\"azimuth\">%.3f</position>\n"
                  "          <position coordinate=\"elevation\">%.3f</position>\n"
                  "          <position coordinate=\"distance\">%.3f</position>\n",
                  p->azimuth_deg, p->elevation_deg, p->distance);
    }
    if (p->width_deg > 0.0)
        sb_printf(b, "          <width>%.3f</width>\n", p->width_deg);
    if (p->height_deg > 0.0)
        sb_printf(b, "          <height>%.3f</height>\n", p->height_deg);
    if (p->diffuse > 0.0)
        sb_printf(b, "          <diffuse>%.3f</diffuse>\n", p->diffuse);
}

/* The document's opening, the programme and its three contents. */
static void xml_programme(sbuf *b, int stems, const char *dur) {
    sb_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<ebuCoreMain xmlns=\"urn:ebu:metadata-schema:ebuCore_2016\"");
    if (stems)
        sb_printf(b, " xmlns:" OBJR_MIX_XML_PREFIX "=\"" MIX_NS "\"");
    sb_printf(b, ">\n <coreMetadata>\n  <format>\n"
                 "   <audioFormatExtended version=\"ITU-R_BS.2076-2\">\n");
    sb_printf(b,
              "    <audioProgramme audioProgrammeID=\"APR_1001\" audioProgrammeName=\"objrender "
              "demo\" start=\"00:00:00.00000\" end=\"%s\">\n"
              "     <audioContentIDRef>ACO_1001</audioContentIDRef>\n"
              "     <audioContentIDRef>ACO_1002</audioContentIDRef>\n"
              "     <audioContentIDRef>ACO_1003</audioContentIDRef>\n"
              "    </audioProgramme>\n",
              dur);
    sb_printf(b, "    <audioContent audioContentID=\"ACO_1001\" audioContentName=\"Music bed\">\n"
                 "     <audioObjectIDRef>AO_1001</audioObjectIDRef>\n"
                 "     <dialogue nonDialogueContentKind=\"1\">0</dialogue>\n"
                 "    </audioContent>\n"
                 "    <audioContent audioContentID=\"ACO_1002\" audioContentName=\"Lead\">\n"
                 "     <audioObjectIDRef>AO_1002</audioObjectIDRef>\n"
                 "     <dialogue nonDialogueContentKind=\"1\">0</dialogue>\n"
                 "    </audioContent>\n"
                 "    <audioContent audioContentID=\"ACO_1003\" audioContentName=\"Effects\">\n");
    for (int k = 1; k < N_OBJ; k++)
        sb_printf(b, "     <audioObjectIDRef>AO_%04X</audioObjectIDRef>\n", 0x1002u + (unsigned)k);
    sb_printf(b, "     <dialogue nonDialogueContentKind=\"2\">0</dialogue>\n"
                 "    </audioContent>\n");
}

/* audioObjects: the 7.1.2 bed as one object, then one object per other track. */
static void xml_objects(sbuf *b, const char *dur) {
    sb_printf(
        b,
        "    <audioObject audioObjectID=\"AO_1001\" audioObjectName=\"Bed 7.1.2 (drums, bass, "
        "pad)\" start=\"00:00:00.00000\" duration=\"%s\">\n"
        "     <audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef>\n",
        dur);
    for (int t = 0; t < OBJR__DEMO_N_BED; t++)
        sb_printf(b, "     <audioTrackUIDRef>ATU_%08X</audioTrackUIDRef>\n", (unsigned)t + 1u);
    sb_printf(b, "    </audioObject>\n");
    for (int t = OBJR__DEMO_N_BED; t < OBJR__DEMO_N_TRACKS; t++)
        sb_printf(b,
                  "    <audioObject audioObjectID=\"AO_%04X\" audioObjectName=\"%s\" "
                  "start=\"00:00:00.00000\" duration=\"%s\">\n"
                  "     <audioPackFormatIDRef>AP_0003%04X</audioPackFormatIDRef>\n"
                  "     <audioTrackUIDRef>ATU_%08X</audioTrackUIDRef>\n"
                  "    </audioObject>\n",
                  0x1002u + (unsigned)(t - OBJR__DEMO_N_BED), objr__demo_track_title(t), dur,
                  track_cf(t), (unsigned)t + 1u);
}

/* audioPackFormats: the bed's DirectSpeakers pack and one Objects pack per track. */
static void xml_packs(sbuf *b) {
    sb_printf(b, "    <audioPackFormat audioPackFormatID=\"AP_00011001\" "
                 "audioPackFormatName=\"Bed_7.1.2\" typeLabel=\"0001\" "
                 "typeDefinition=\"DirectSpeakers\">\n");
    for (int t = 0; t < OBJR__DEMO_N_BED; t++)
        sb_printf(b, "     <audioChannelFormatIDRef>AC_0001%04X</audioChannelFormatIDRef>\n",
                  track_cf(t));
    sb_printf(b, "    </audioPackFormat>\n");
    for (int t = OBJR__DEMO_N_BED; t < OBJR__DEMO_N_TRACKS; t++)
        sb_printf(b,
                  "    <audioPackFormat audioPackFormatID=\"AP_0003%04X\" "
                  "audioPackFormatName=\"%s\" typeLabel=\"0003\" typeDefinition=\"Objects\">\n"
                  "     <audioChannelFormatIDRef>AC_0003%04X</audioChannelFormatIDRef>\n"
                  "    </audioPackFormat>\n",
                  track_cf(t), objr__demo_track_name(t), track_cf(t));
}

/* The bed's DirectSpeakers channels, one block each at the speaker's nominal position. */
static void xml_bed_channels(sbuf *b) {
    for (int t = 0; t < OBJR__DEMO_N_BED; t++) {
        sb_printf(b,
                  "    <audioChannelFormat audioChannelFormatID=\"AC_0001%04X\" "
                  "audioChannelFormatName=\"%s\" typeLabel=\"0001\" "
                  "typeDefinition=\"DirectSpeakers\">\n",
                  track_cf(t), bed_channel_names[t]);
        if (t == OBJR__DEMO_BED_LFE)
            sb_printf(b, "     <frequency typeDefinition=\"lowPass\">%.0f</frequency>\n",
                      OBJR__DEMO_LFE_CUTOFF_HZ);
        sb_printf(b,
                  "     <audioBlockFormat audioBlockFormatID=\"AB_0001%04X_00000001\">\n"
                  "      <speakerLabel>%s</speakerLabel>\n"
                  "      <position coordinate=\"azimuth\">%.1f</position>\n"
                  "      <position coordinate=\"elevation\">%.1f</position>\n"
                  "      <position coordinate=\"distance\">1.0</position>\n"
                  "     </audioBlockFormat>\n"
                  "    </audioChannelFormat>\n",
                  track_cf(t), objr__demo_bed_labels[t], objr__demo_bed_azimuth_deg[t],
                  objr__demo_bed_elevation_deg[t]);
    }
}

/* The Objects channels: one block for a fixed track, else a block per OBJECT_BLOCK_S along the
 * trajectory. */
static void xml_object_channels(sbuf *b) {
    for (int t = OBJR__DEMO_N_BED; t < OBJR__DEMO_N_TRACKS; t++) {
        sb_printf(b,
                  "    <audioChannelFormat audioChannelFormatID=\"AC_0003%04X\" "
                  "audioChannelFormatName=\"%s\" typeLabel=\"0003\" typeDefinition=\"Objects\">\n",
                  track_cf(t), objr__demo_track_name(t));
        objr__demo_pos p;
        char t0[32], t1[32];
        if (!objr__demo_track_moves(t)) {
            objr__demo_position(t, 0.0, &p);
            sb_printf(b, "     <audioBlockFormat audioBlockFormatID=\"AB_0003%04X_00000001\">\n",
                      track_cf(t));
            write_position(b, &p);
            sb_printf(b, "     </audioBlockFormat>\n");
        } else {
            /* Block k covers [k, k+1) * OBJECT_BLOCK_S and reaches the trajectory's position
             * at its end, interpolating from the previous block (jumpPosition 0). */
            int n_blocks = (int)llround(OBJR__DEMO_DURATION_S / OBJECT_BLOCK_S);
            for (int k = 0; k < n_blocks; k++) {
                time_str(t0, sizeof t0, k * OBJECT_BLOCK_S);
                time_str(t1, sizeof t1, OBJECT_BLOCK_S);
                objr__demo_position(t, (k + 1) * OBJECT_BLOCK_S, &p);
                sb_printf(b,
                          "     <audioBlockFormat audioBlockFormatID=\"AB_0003%04X_%08X\" "
                          "rtime=\"%s\" duration=\"%s\">\n",
                          track_cf(t), (unsigned)k + 1u, t0, t1);
                write_position(b, &p);
                sb_printf(b, "     </audioBlockFormat>\n");
            }
        }
        sb_printf(b, "    </audioChannelFormat>\n");
    }
}

/* Stream and track formats (PCM), so that BS.2076-0/-1 readers find the channels. */
static void xml_stream_track_formats(sbuf *b) {
    for (int t = 0; t < OBJR__DEMO_N_TRACKS; t++)
        sb_printf(b,
                  "    <audioStreamFormat audioStreamFormatID=\"AS_%s%04X\" "
                  "audioStreamFormatName=\"PCM_%s\" formatLabel=\"0001\" "
                  "formatDefinition=\"PCM\">\n"
                  "     <audioChannelFormatIDRef>AC_%s%04X</audioChannelFormatIDRef>\n"
                  "     <audioTrackFormatIDRef>AT_%s%04X_01</audioTrackFormatIDRef>\n"
                  "    </audioStreamFormat>\n"
                  "    <audioTrackFormat audioTrackFormatID=\"AT_%s%04X_01\" "
                  "audioTrackFormatName=\"PCM_%s\" formatLabel=\"0001\" "
                  "formatDefinition=\"PCM\">\n"
                  "     <audioStreamFormatIDRef>AS_%s%04X</audioStreamFormatIDRef>\n"
                  "    </audioTrackFormat>\n",
                  track_type(t), track_cf(t),
                  t < OBJR__DEMO_N_BED ? bed_channel_names[t] : objr__demo_track_name(t),
                  track_type(t), track_cf(t), track_type(t), track_cf(t), track_type(t),
                  track_cf(t),
                  t < OBJR__DEMO_N_BED ? bed_channel_names[t] : objr__demo_track_name(t),
                  track_type(t), track_cf(t));
}

/* audioTrackUIDs (mix.xml: with the stem file and channel each track is read from). */
static void xml_track_uids(sbuf *b, int stems) {
    for (int t = 0; t < OBJR__DEMO_N_TRACKS; t++) {
        sb_printf(b, "    <audioTrackUID UID=\"ATU_%08X\" sampleRate=\"%d\" bitDepth=\"24\"",
                  (unsigned)t + 1u, OBJR__DEMO_RATE_HZ);
        if (stems) {
            if (t < OBJR__DEMO_N_BED)
                sb_printf(b, " objr:file=\"stems/bed.wav\" objr:channel=\"%d\"", t + 1);
            else
                sb_printf(b, " objr:file=\"stems/%s.wav\" objr:channel=\"1\"",
                          objr__demo_track_name(t));
        }
        sb_printf(b,
                  ">\n"
                  "     <audioTrackFormatIDRef>AT_%s%04X_01</audioTrackFormatIDRef>\n"
                  "     <audioPackFormatIDRef>AP_%s%04X</audioPackFormatIDRef>\n"
                  "    </audioTrackUID>\n",
                  track_type(t), track_cf(t), track_type(t),
                  t < OBJR__DEMO_N_BED ? 0x1001u : track_cf(t));
    }
}

/* The ADM document. With @p stems, each audioTrackUID names its stem file and channel in
 * the objrender mix namespace; without, it is the plain ADM that goes into axml. */
static void build_adm_xml(sbuf *b, int stems) {
    char dur[32];
    time_str(dur, sizeof dur, OBJR__DEMO_DURATION_S);
    xml_programme(b, stems, dur);
    xml_objects(b, dur);
    xml_packs(b);
    xml_bed_channels(b);
    xml_object_channels(b);
    xml_stream_track_formats(b);
    xml_track_uids(b, stems);
    sb_printf(b, "   </audioFormatExtended>\n  </format>\n </coreMetadata>\n</ebuCoreMain>\n");
}

/* chna (EBU Tech 3285 §7): one audioID per track. */
static void build_chna(objr_bwf_chna_entry *e) {
    for (int t = 0; t < OBJR__DEMO_N_TRACKS; t++) {
        memset(&e[t], 0, sizeof e[t]);
        e[t].track_index = (uint16_t)(t + 1);
        snprintf(e[t].uid, sizeof e[t].uid, "ATU_%08X", (unsigned)t + 1u);
        snprintf(e[t].track_ref, sizeof e[t].track_ref, "AT_%s%04X_01", track_type(t), track_cf(t));
        snprintf(e[t].pack_ref, sizeof e[t].pack_ref, "AP_%s%04X", track_type(t),
                 t < OBJR__DEMO_N_BED ? 0x1001u : track_cf(t));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Files                                                                                     */

typedef struct out_file {
    char path[4096];
    objr_bwf_writer *w;
} out_file;

/* Every file of the demo: all in place, or none (objr_outfile.h). */
static objr_outset *g_outs;

static int open_wav(out_file *f, const char *path, int n_channels) {
    objr_bwf_writer_config cfg = objr_bwf_writer_config_default();
    cfg.n_channels = (uint32_t)n_channels;
    cfg.sample_rate_hz = OBJR__DEMO_RATE_HZ;
    cfg.sample_format = OBJR_BWF_SAMPLE_PCM24;
    objr_diag d;
    objr_diag_clear(&d);
    snprintf(f->path, sizeof f->path, "%s", path);
    if (objr_bwf_writer_create_in(g_outs, path, &cfg, &d, &f->w) != OBJR_OK) {
        fprintf(stderr, PROG ": %s\n", d.message[0] ? d.message : path);
        return 0;
    }
    return 1;
}

static int check(out_file *f, objr_status st) {
    if (st != OBJR_OK) {
        fprintf(stderr, PROG ": %s: %s\n", f->path,
                objr_bwf_writer_last_error(f->w)[0] ? objr_bwf_writer_last_error(f->w)
                                                    : objr_strerror(st));
        return 0;
    }
    return 1;
}

static int close_wav(out_file *f, int commit) {
    if (!f->w)
        return 1;
    objr_bwf_writer *w = f->w;
    f->w = NULL;
    if (!commit) {
        objr_bwf_writer_abort(w);
        return 1;
    }
    objr_diag d;
    objr_diag_clear(&d);
    if (objr_bwf_writer_close(w, &d) != OBJR_OK) {
        fprintf(stderr, PROG ": %s: %s\n", f->path, d.message);
        return 0;
    }
    return 1;
}

static int write_text(const char *path, const char *text, size_t len) {
    objr_diag d;
    objr_diag_clear(&d);
    if (tool_outset_write(g_outs, path, text, len, &d) != OBJR_OK) {
        fprintf(stderr, PROG ": %s\n", d.message);
        return 0;
    }
    return 1;
}

/* The library reads back what objdemo writes, with no error and no warning: a guard against
 * the generator and the ADM reader drifting apart. */
static int self_check(const char *xml, size_t len, const objr_bwf_chna_entry *chna) {
    objr_adm *adm = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    if (objr_adm_parse_mem(xml, len, NULL, &adm, &d) != OBJR_OK) {
        fprintf(stderr, PROG ": internal error: generated ADM does not parse: line %ld: %s\n",
                d.line, d.message);
        return 0;
    }
    if (chna) { /* the BWF form: its tracks come from chna */
        if (objr_adm_apply_chna(adm, chna, OBJR__DEMO_N_TRACKS, &d) != OBJR_OK) {
            fprintf(stderr, PROG ": internal error: chna does not match the ADM: %s\n", d.message);
            objr_adm_destroy(adm);
            return 0;
        }
    }
    const objr_adm_problem *pr = NULL;
    size_t n = 0;
    (void)objr_adm_validate(adm, chna ? OBJR__DEMO_N_TRACKS : 0, &pr, &n);
    size_t bad = 0;
    for (size_t k = 0; k < n; k++) {
        if (pr[k].severity == OBJR_ADM_NOTE)
            continue; /* harmless by definition (e.g. upper-case hex in IDs) */
        fprintf(stderr, PROG ": internal error: generated ADM: %s: %s\n", pr[k].element_id,
                pr[k].message);
        bad++;
    }
    objr_adm_destroy(adm);
    return bad == 0;
}

/* ---------------------------------------------------------------------------------------- */

/* The option table (tool_options.h): parses, checks and generates --help. */
enum { O_SEED, N_OPTIONS };

static const tool_option options[N_OPTIONS] = {
    [O_SEED] = {"seed", 0, TOOL_STRING, "N", "20261125", 0, 0, NULL, NULL,
                "score seed (decimal or 0x hex); the same seed gives the same files", 0, 0, NULL, 0,
                NULL},
};

static const tool_cli cli = {
    .prog = PROG,
    .synopsis = "Usage: " PROG " -o DIR [--seed N]",
    .description = "Synthesises the objrender demo mix offline: a 30 s piece at 100 BPM, 48 kHz,\n"
                   "24-bit: drums, bass and pad as a 7.1.2 bed, a lead and four effects as moving\n"
                   "objects (polar, cartesian, overhead, with extent, diffuse). Writes\n"
                   "  DIR/stems/*.wav  the stems (bed.wav has 10 channels, objects are mono)\n"
                   "  DIR/mix.xml      ADM XML whose tracks point at the stems (" MIX_NS ")\n"
                   "  DIR/mix.wav      the same mix as one ADM BWF (chna + axml)",
    .options = options,
    .n_options = N_OPTIONS,
    .output_arg = "DIR",
    .output_help = "(required) output directory (created if missing; files are replaced)",
    .output_def = NULL,
    .epilogue = NULL,
};

/* The files written, one a line, or as JSON. */
static void print_written(const tool_args *a, const char *dir) {
    if (a->quiet && !a->json)
        return;
    const char *names[2 + N_OBJ + 1];
    static char buf[2 + N_OBJ + 1][4200];
    size_t n = 0;
    snprintf(buf[n], sizeof buf[n], "%s/mix.xml", dir);
    names[n] = buf[n];
    n++;
    snprintf(buf[n], sizeof buf[n], "%s/mix.wav", dir);
    names[n] = buf[n];
    n++;
    snprintf(buf[n], sizeof buf[n], "%s/stems/bed.wav", dir);
    names[n] = buf[n];
    n++;
    for (int k = 0; k < N_OBJ; k++, n++) {
        snprintf(buf[n], sizeof buf[n], "%s/stems/%s.wav", dir,
                 objr__demo_track_name(OBJR__DEMO_N_BED + k));
        names[n] = buf[n];
    }
    if (a->json) {
        printf("{\"files\": [");
        for (size_t k = 0; k < n; k++) {
            printf(k ? ", " : "");
            objr_json_write_string(stdout, names[k]);
        }
        printf("]}\n");
        return;
    }
    for (size_t k = 0; k < n; k++)
        if (k == 2)
            printf("%s (7.1.2 bed: %d channels)\n", names[k], OBJR__DEMO_N_BED);
        else
            printf("%s\n", names[k]);
}

static int demo_main(const tool_args *a);

int main(int argc, char **argv) {
    tool_args a;
    int rc = tool_parse(&cli, argc, argv, &a);
    if (rc < 0)
        rc = demo_main(&a);
    tool_args_free(&a);
    return rc;
}

/* The stems and the mix opened for writing (the mix with its chna and axml); files[0] is the
 * bed, files[1 + k] object k's stem, files[N_OBJ + 1] the mix. Returns 1 on success. */
static int open_outputs(out_file *files, const char *dir, const objr_bwf_chna_entry *chna,
                        const sbuf *axml) {
    const int mix = N_OBJ + 1;
    char path[4096];
    snprintf(path, sizeof path, "%s/stems/bed.wav", dir);
    int ok = open_wav(&files[0], path, OBJR__DEMO_N_BED);
    for (int k = 0; k < N_OBJ && ok; k++) {
        snprintf(path, sizeof path, "%s/stems/%s.wav", dir,
                 objr__demo_track_name(OBJR__DEMO_N_BED + k));
        ok = open_wav(&files[1 + k], path, 1);
    }
    snprintf(path, sizeof path, "%s/mix.wav", dir);
    ok = ok && open_wav(&files[mix], path, OBJR__DEMO_N_TRACKS);
    ok =
        ok && check(&files[mix], objr_bwf_writer_set_chna(files[mix].w, chna, OBJR__DEMO_N_TRACKS));
    ok = ok && check(&files[mix], objr_bwf_writer_set_axml(files[mix].w, axml->s, axml->len));
    return ok;
}

/* Synthesise the piece block by block into the stems and the mix. Returns 1 on success. */
static int render_outputs(objr__demo_synth *synth, out_file *files) {
    const int mix = N_OBJ + 1;
    int ok = 1;
    float *buf = calloc((size_t)BLOCK_FRAMES * OBJR__DEMO_N_TRACKS, sizeof *buf);
    float *ch[OBJR__DEMO_N_TRACKS];
    if (!buf) {
        fprintf(stderr, PROG ": out of memory\n");
        return 0;
    }
    for (int c = 0; c < OBJR__DEMO_N_TRACKS; c++)
        ch[c] = buf + (size_t)c * BLOCK_FRAMES;
    size_t n;
    while (ok && (n = objr__demo_synth_render(synth, ch, BLOCK_FRAMES)) > 0) {
        ok = check(&files[0], objr_bwf_writer_write_f32(files[0].w, (const float *const *)ch, n));
        for (int k = 0; k < N_OBJ && ok; k++)
            ok = check(&files[1 + k],
                       objr_bwf_writer_write_f32(
                           files[1 + k].w, (const float *const *)(ch + OBJR__DEMO_N_BED + k), n));
        ok = ok && check(&files[mix],
                         objr_bwf_writer_write_f32(files[mix].w, (const float *const *)ch, n));
    }
    free(buf);
    return ok;
}

/* --seed: a non-negative integer (decimal or 0x hex). Returns 0, or the usage error's status. */
static int parse_seed(const tool_args *a, uint64_t *seed) {
    const char *v = a->v[O_SEED].str;
    if (!v)
        return 0;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 0);
    if (errno || *end || end == v || v[0] == '-')
        return tool_usage_error(&cli, "bad --seed '%s': expected a non-negative integer", v);
    *seed = (uint64_t)x;
    return 0;
}

static int demo_main(const tool_args *a) {
    const char *dir = a->output;
    uint64_t seed = DEFAULT_SEED;
    if (a->n_pos)
        return tool_usage_error(&cli, "unexpected argument '%s'", a->pos[0]);
    int rc = parse_seed(a, &seed);
    if (rc)
        return rc;
    if (!dir)
        return tool_usage_error(&cli, "missing -o DIR");
    if (strlen(dir) > 3000) {
        fprintf(stderr, PROG ": %s: path too long\n", dir);
        return EXIT_OUTPUT;
    }
    objr_outfile_install_signal_cleanup();
    if (objr_outset_create(&g_outs) != OBJR_OK) {
        fprintf(stderr, PROG ": out of memory\n");
        return EXIT_INTERNAL;
    }
    objr__demo_synth *synth = NULL;
    if (objr__demo_synth_create(seed, &synth) != OBJR_OK) {
        fprintf(stderr, PROG ": out of memory\n");
        return EXIT_INTERNAL;
    }

    int ok = 1;
    out_file files[1 + N_OBJ + 1];
    memset(files, 0, sizeof files);
    const int n_files = 1 + N_OBJ + 1;
    sbuf axml = {0}, mixxml = {0};
    build_adm_xml(&axml, 0);
    build_adm_xml(&mixxml, 1);
    if (axml.failed || mixxml.failed) {
        fprintf(stderr, PROG ": out of memory\n");
        ok = 0;
    }
    objr_bwf_chna_entry chna[OBJR__DEMO_N_TRACKS];
    build_chna(chna);
    ok = ok && self_check(mixxml.s, mixxml.len, NULL) && self_check(axml.s, axml.len, chna);
    ok = ok && open_outputs(files, dir, chna, &axml);
    ok = ok && render_outputs(synth, files);
    objr__demo_synth_destroy(synth);

    for (int k = 0; k < n_files; k++)
        ok = close_wav(&files[k], ok) && ok;
    if (ok) {
        char path[4096];
        snprintf(path, sizeof path, "%s/mix.xml", dir);
        ok = write_text(path, mixxml.s, mixxml.len);
    }
    if (ok) {
        objr_diag d;
        objr_diag_clear(&d);
        if (objr_outset_commit(g_outs, &d) != OBJR_OK) {
            fprintf(stderr, PROG ": %s\n", d.message);
            ok = 0;
        }
    }
    objr_outset_destroy(g_outs); /* not committed: no half-written demo, folders removed */
    g_outs = NULL;
    free(axml.s);
    free(mixxml.s);
    if (!ok)
        return EXIT_OUTPUT;
    print_written(a, dir);
    return 0;
}
