/* SPDX-License-Identifier: BSD-3-Clause */
/* objmaster: measure files per ITU-R BS.1770-4 / EBU R128 and master them to delivery
 * targets (loudness, true-peak ceiling, rate, bit depth, format, metadata).
 *
 * Exit status (tool_common.h): 0 success; 1 usage; 2 input (unreadable/unsupported input,
 * NaN/inf samples, silence); 3 output (cannot write); 4 internal; 5 the loudness or true-peak
 * target is unreachable (no file, or with --keep-unreachable the file and a report). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "objrender/objr.h"
#include "tool_codec.h"
#include "tool_common.h"
#include "tool_json.h"
#include "tool_options.h"
#include "tool_progress.h"

typedef struct opts {
    int measure, json, keep_unreachable, no_ebur128_tp, at_most, album_mode, quiet, verbose;
    int format_choice; /* index in tool_file_formats, -1: from the extension */
    tool_progress *progress;
    const char *preset, *out, *format, *dither, *layout, *cue;
    const char *title, *artist, *album, *isrc, *codec_check, *html;
    int codec_safe;
    double codec_kbps;
    double lufs, tp, lra_max, bits, rate, release, lookahead;
    int limiter_style; /* objr_limiter_style */
    int strict;        /* an assumed channel layout is an error */
} opts;

/* What objmaster writes (objr_master_format). */
#define MASTER_FORMATS                                                                             \
    (TOOL_FF_BIT(TOOL_FF_WAV) | TOOL_FF_BIT(TOOL_FF_RF64) | TOOL_FF_BIT(TOOL_FF_FLAC) |            \
     TOOL_FF_BIT(TOOL_FF_MP3) | TOOL_FF_BIT(TOOL_FF_OPUS) | TOOL_FF_BIT(TOOL_FF_CAF))

/* The option table (tool_options.h): parses, checks and generates --help. */
enum {
    O_MEASURE,
    O_ALBUM_MODE,
    O_CUE,
    O_HTML,
    O_PRESET,
    O_LUFS,
    O_AT_MOST,
    O_TP,
    O_LRA_MAX,
    O_FORMAT,
    O_SAMPLE_FORMAT,
    O_BITS,
    O_RATE,
    O_LOOKAHEAD,
    O_RELEASE,
    O_LIMITER_STYLE,
    O_DITHER,
    O_LAYOUT,
    O_TITLE,
    O_ARTIST,
    O_ALBUM,
    O_ISRC,
    O_KEEP_UNREACHABLE,
    O_NO_EBUR128_TP,
    O_CODEC_CHECK,
    O_CODEC_KBPS,
    O_CODEC_SAFE,
    O_STRICT,
    N_OPTIONS
};

static const char *const dither_values[] = {"none", "tpdf", "shaped", NULL};

static const tool_option options[N_OPTIONS] = {
    [O_MEASURE] = {"measure", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                   "measure each FILE and print the figures (no output)", 0, 0, NULL, 0, NULL},
    [O_ALBUM_MODE] = {"album-mode", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                      "master several inputs with one common gain into the directory -o OUTDIR", 0,
                      0, NULL, 0, NULL},
    [O_CUE] = {"cue", 0, TOOL_STRING, "FILE", "none", 0, 0, NULL, NULL,
               "album mode: write a CUE sheet (one FILE per track, ISRC from --isrc)", 0, 0, NULL,
               0, NULL},
    [O_HTML] = TOOL_OPTION_MASTER_HTML,
    [O_PRESET] = TOOL_OPTION_PRESET("ebu-r128 (printed when used)"),
    [O_LUFS] = TOOL_OPTION_LUFS("the preset's; exact unless --at-most"),
    [O_AT_MOST] = {"at-most", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                   "treat --lufs as a maximum (only turn down)", 0, 0, NULL, 0, NULL},
    [O_TP] = TOOL_OPTION_TP("the preset's"),
    [O_LRA_MAX] = {"lra-max", 0, TOOL_NUMBER, "LU", "none", 0.0, 100.0, NULL, "LU",
                   "report a failure when the loudness range exceeds this", 0, 0, NULL, 0, NULL},
    [O_FORMAT] = TOOL_OPTION_FORMAT,
    [O_SAMPLE_FORMAT] = TOOL_OPTION_SAMPLE_FORMAT("s24"),
    [O_BITS] = TOOL_OPTION_BITS("24"),
    [O_RATE] = {"rate", 0, TOOL_NUMBER, "HZ", "the input's rate", 8000.0, 384000.0, NULL, "Hz",
                "output sample rate (libsamplerate best sinc, before the limiter)", 0, 0, NULL, 0,
                NULL},
    [O_LOOKAHEAD] = {"lookahead", 0, TOOL_NUMBER, "MS", "the style's", 0.5, 50.0, NULL, "ms",
                     "limiter look-ahead (attack)", 0, 0, NULL, 0, NULL},
    [O_RELEASE] = {"release", 0, TOOL_NUMBER, "MS", "the style's", 1.0, 5000.0, NULL, "ms",
                   "limiter release under sustained overload (the fast one scales with it)", 0, 0,
                   NULL, 0, NULL},
    [O_LIMITER_STYLE] = TOOL_OPTION_LIMITER_STYLE,
    [O_DITHER] = {"dither", 0, TOOL_ENUM, "KIND", "tpdf", 0, 0, dither_values, NULL,
                  "dither before integer PCM", 0, 0, NULL, 0, NULL},
    [O_LAYOUT] = {"layout", 'l', TOOL_STRING, "NAME", "the file's channel mask", 0, 0, NULL, NULL,
                  "where the channels are, for the BS.1770 weights (LFE excluded, +1.5 dB at "
                  "60..120 deg): any objrender --list-layouts name (9.1.6, 22.2, 4+7+0), a "
                  "custom layout file, or comma-separated labels (M+030,M-030,M+000,LFE1,...)",
                  0, 0, NULL, 0, NULL},
    [O_TITLE] = {"title", 0, TOOL_STRING, "TEXT", NULL, 0, 0, NULL, NULL, "title metadata", 0, 0,
                 NULL, 0, NULL},
    [O_ARTIST] = {"artist", 0, TOOL_STRING, "TEXT", NULL, 0, 0, NULL, NULL, "artist metadata", 0, 0,
                  NULL, 0, NULL},
    [O_ALBUM] = {"album", 0, TOOL_STRING, "TEXT", NULL, 0, 0, NULL, NULL, "album metadata", 0, 0,
                 NULL, 0, NULL},
    [O_ISRC] =
        {"isrc", 0, TOOL_STRING, "CODE", NULL, 0, 0, NULL, NULL,
         "ISRC CCXXXYYNNNNN, embedded (FLAC ISRC comment, MP3 ID3v2 TSRC, WAV id3 chunk "
         "TSRC, CAF info ISRC) and reported; album mode: comma-separated, one per track, in the "
         "CUE sheet",
         0, 0, NULL, 0, NULL},
    [O_STRICT] = {"strict", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                  "refuse what would otherwise be assumed: a multichannel WAV without a channel "
                  "mask (and no --layout) is an input error",
                  0, 0, NULL, 0, NULL},
    [O_KEEP_UNREACHABLE] = {"keep-unreachable", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                            "write the file even when the loudness target cannot be met (exit 5)",
                            0, 0, NULL, 0, NULL},
    [O_NO_EBUR128_TP] = {"no-ebur128-tp", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                         "measure mode: skip libebur128's own 4x true-peak reading (faster)", 0, 0,
                         NULL, 0, NULL},
    [O_CODEC_CHECK] = TOOL_OPTION_CODEC_CHECK,
    [O_CODEC_KBPS] = TOOL_OPTION_CODEC_KBPS,
    [O_CODEC_SAFE] = TOOL_OPTION_CODEC_SAFE,
};

/* The presets and their measurement basis, after the option list. */
static char presets_text[2048];

static tool_cli cli = {
    .prog = "objmaster",
    .synopsis = "Usage: objmaster --measure [--layout NAME|LABELS] [--json] FILE...\n"
                "       objmaster [--preset NAME | --lufs X --tp Y] [options] IN -o OUT\n"
                "       objmaster --album-mode [options] IN... -o OUTDIR [--cue FILE]",
    .description = "Measure files per ITU-R BS.1770-4 / EBU R128, and master them to delivery\n"
                   "targets (loudness, true-peak ceiling, rate, sample format, file format).",
    .options = options,
    .n_options = N_OPTIONS,
    .output_arg = "OUT",
    .output_help = "master mode: the output file (its extension picks the format); album mode: "
                   "the output directory",
    .output_def = NULL,
    .epilogue = presets_text,
};

static void make_presets_text(void) {
    size_t k =
        (size_t)snprintf(presets_text, sizeof presets_text, "Presets (measurement basis):\n");
    for (unsigned i = 0; objr_master_preset_name(i) && k < sizeof presets_text; i++) {
        objr_master_target t;
        if (objr_master_preset_get(objr_master_preset_name(i), &t) == OBJR_OK)
            k += (size_t)snprintf(presets_text + k, sizeof presets_text - k,
                                  "  %-12s %s %.0f LUFS, ceiling %.0f dBTP: %s\n", t.name,
                                  t.kind == OBJR_TARGET_AT_MOST ? "at most" : "exactly",
                                  t.integrated_lufs, t.true_peak_dbtp, t.basis);
    }
}

/* The parsed table into the options the stages read. */
static int fill_opts(const tool_args *a, opts *o) {
    memset(o, 0, sizeof *o);
    o->lufs = o->tp = o->lra_max = o->bits = o->rate = o->release = o->lookahead = NAN;
    o->measure = tool_given(a, O_MEASURE);
    o->album_mode = tool_given(a, O_ALBUM_MODE);
    o->at_most = tool_given(a, O_AT_MOST);
    o->keep_unreachable = tool_given(a, O_KEEP_UNREACHABLE);
    o->no_ebur128_tp = tool_given(a, O_NO_EBUR128_TP);
    o->json = a->json;
    o->quiet = a->quiet;
    o->verbose = a->verbose;
    o->out = a->output;
    o->cue = a->v[O_CUE].str;
    o->html = a->v[O_HTML].str;
    o->preset = a->v[O_PRESET].str;
    o->format = a->v[O_FORMAT].str;
    o->format_choice = tool_given(a, O_FORMAT) ? a->v[O_FORMAT].choice : -1;
    o->dither = a->v[O_DITHER].str;
    o->layout = a->v[O_LAYOUT].str;
    o->strict = tool_given(a, O_STRICT);
    o->title = a->v[O_TITLE].str;
    o->artist = a->v[O_ARTIST].str;
    o->album = a->v[O_ALBUM].str;
    o->isrc = a->v[O_ISRC].str;
    o->codec_check = a->v[O_CODEC_CHECK].str;
    o->codec_safe = tool_given(a, O_CODEC_SAFE);
    o->codec_kbps = tool_given(a, O_CODEC_KBPS) ? a->v[O_CODEC_KBPS].num : NAN;
    if (tool_given(a, O_LUFS))
        o->lufs = a->v[O_LUFS].num;
    if (tool_given(a, O_TP))
        o->tp = a->v[O_TP].num;
    if (tool_given(a, O_LRA_MAX))
        o->lra_max = a->v[O_LRA_MAX].num;
    if (tool_given(a, O_RATE))
        o->rate = a->v[O_RATE].num;
    if (tool_given(a, O_RELEASE))
        o->release = a->v[O_RELEASE].num;
    if (tool_given(a, O_LOOKAHEAD))
        o->lookahead = a->v[O_LOOKAHEAD].num;
    o->limiter_style = tool_given(a, O_LIMITER_STYLE) ? a->v[O_LIMITER_STYLE].choice : 0;
    if (tool_given(a, O_SAMPLE_FORMAT) && tool_given(a, O_BITS))
        return tool_usage_error(&cli, "give --sample-format or --bits, not both");
    if (tool_given(a, O_BITS))
        o->bits = a->v[O_BITS].choice == 0 ? 16 : a->v[O_BITS].choice == 1 ? 24 : 32;
    if (tool_given(a, O_SAMPLE_FORMAT)) {
        static const double bits[] = {16, 24, 0, 32};
        int sf = a->v[O_SAMPLE_FORMAT].choice;
        if (sf == TOOL_SF_S32)
            return tool_usage_error(&cli, "--sample-format s32: masters are s16, s24 or f32");
        o->bits = bits[sf];
    }
    return EXIT_OK;
}

/* JSON number or null (-inf: undefined). */
static void jnum(FILE *f, const char *key, double v, int comma) {
    if (isfinite(v))
        fprintf(f, "\"%s\": %.3f%s", key, v, comma ? ", " : "");
    else
        fprintf(f, "\"%s\": null%s", key, comma ? ", " : "");
}

static void jstr(FILE *f, const char *s) {
    objr_json_write_string(f, s);
}

static void j_result(FILE *f, const objr_loudness_result *r) {
    fputc('{', f);
    jnum(f, "integrated_lufs", r->integrated_lufs, 1);
    jnum(f, "range_lu", r->range_lu, 1);
    jnum(f, "momentary_max_lufs", r->momentary_max_lufs, 1);
    jnum(f, "short_term_max_lufs", r->short_term_max_lufs, 1);
    jnum(f, "sample_peak_dbfs", r->sample_peak_dbfs, 1);
    jnum(f, "true_peak_dbtp", r->true_peak_dbtp, 1);
    jnum(f, "true_peak_ebur128_dbtp", r->true_peak_ebur128_dbtp, 1);
    fprintf(f, "\"true_peak_oversampling\": %u, \"frames\": %zu}", r->true_peak_oversampling,
            r->n_frames);
}

static void j_weights(FILE *f, const double *w, unsigned nc) {
    fputc('[', f);
    for (unsigned c = 0; c < nc; c++)
        fprintf(f, "%s%.2f", c ? ", " : "", w[c]);
    fputc(']', f);
}

static const char *fmt_db(char *buf, size_t n, double v, const char *unit) {
    if (isfinite(v))
        snprintf(buf, n, "%7.2f %s", v, unit);
    else
        snprintf(buf, n, "    -inf %s (undefined)", unit);
    return buf;
}

static void t_result(FILE *f, const char *ind, const objr_loudness_result *r) {
    char b[64];
    fprintf(f, "%sintegrated      %s\n", ind, fmt_db(b, sizeof b, r->integrated_lufs, "LUFS"));
    fprintf(f, "%sloudness range  %s\n", ind, fmt_db(b, sizeof b, r->range_lu, "LU"));
    fprintf(f, "%smax momentary   %s\n", ind, fmt_db(b, sizeof b, r->momentary_max_lufs, "LUFS"));
    fprintf(f, "%smax short-term  %s\n", ind, fmt_db(b, sizeof b, r->short_term_max_lufs, "LUFS"));
    fprintf(f, "%ssample peak     %s\n", ind, fmt_db(b, sizeof b, r->sample_peak_dbfs, "dBFS"));
    fprintf(f, "%strue peak       %s (objrender %ux)\n", ind,
            fmt_db(b, sizeof b, r->true_peak_dbtp, "dBTP"), r->true_peak_oversampling);
    if (r->true_peak_ebur128_dbtp > -HUGE_VAL)
        fprintf(f, "%strue peak       %s (libebur128 4x)\n", ind,
                fmt_db(b, sizeof b, r->true_peak_ebur128_dbtp, "dBTP"));
}

static void t_weights(FILE *f, const double *w, unsigned nc) {
    fprintf(f, "  channel weights (BS.1770 Annex 3, LFE 0):");
    for (unsigned c = 0; c < nc; c++)
        fprintf(f, " %.2f", w[c]);
    fputc('\n', f);
}

/* --layout: a layout name objrender knows (9.1.6, 22.2, 4+7+0 ...), a custom layout file, or
 * comma-separated channel labels: the BS.1770-4 Annex 3 weights in file order into @p w
 * (64 entries; NaN past the layout) and the channel count into *n. 0 after one line naming the
 * problem. */
static int layout_weights(const char *s, double *w, unsigned *n) {
    for (int i = 0; i < 64; i++)
        w[i] = NAN; /* a file with more channels than the layout is then refused */
    objr_layout *l = NULL;
    if (objr_layout_from_name(s, &l) == OBJR_OK ||
        ((strchr(s, '/') || access(s, F_OK) == 0) &&
         objr_layout_load_file(s, &l, NULL) == OBJR_OK)) {
        size_t nc = objr_layout_n_channels(l);
        *n = (unsigned)(nc < 64 ? nc : 64);
        for (unsigned c = 0; c < *n; c++) {
            objr_speaker_info si;
            if (objr_layout_channel_info(l, c, &si) == OBJR_OK)
                w[c] =
                    objr_loudness_weight_for_direction(si.azimuth_deg, si.elevation_deg, si.is_lfe);
        }
        objr_layout_destroy(l);
        return 1;
    }
    char buf[1024];
    const char *labels[64];
    unsigned k = 0;
    snprintf(buf, sizeof buf, "%s", s);
    for (char *tok = strtok(buf, ","); tok && k < 64; tok = strtok(NULL, ","))
        labels[k++] = tok;
    if (k && objr_loudness_weights_from_labels(labels, k, w) == OBJR_OK) {
        *n = k;
        return 1;
    }
    if (!strchr(s, ',')) {
        const char *names[128];
        size_t m = 0;
        for (; m < 127 && m < objr_layout_known_count(); m++)
            names[m] = objr_layout_known_name(m);
        names[m] = NULL;
        const char *near = tool_closest(s, names);
        tool_usage_error(&cli,
                         "--layout '%s': not a layout (objrender --list-layouts)%s%s%s nor channel "
                         "labels",
                         s, near ? ", did you mean " : "", near ? near : "", near ? "?," : "");
        return 0;
    }
    tool_usage_error(&cli, "--layout: unknown label in '%s'", s);
    return 0;
}

/* Whether @p path is a WAV of more than two channels without a channel mask (its layout is
 * then assumed); *nc gets its channel count. Not a WAV: 0 (libsndfile's own channel map, if
 * any, is used). */
static int mask_missing(const char *path, unsigned *nc) {
    objr_bwf *f = NULL;
    objr_bwf_format fmt;
    objr_bwf_read_config rc = objr_bwf_read_config_default();
    int missing = objr_bwf_open_file(path, &rc, NULL, &f) == OBJR_OK &&
                  objr_bwf_get_format(f, &fmt) == OBJR_OK && fmt.channel_mask == 0 &&
                  fmt.n_channels > 2;
    if (missing)
        *nc = fmt.n_channels;
    objr_bwf_close(f);
    return missing;
}

/* --strict: each multichannel input without a mask (and no --layout) is an input error. */
static int refuse_assumed_layout(const opts *o, const char *const *files, int n_files) {
    for (int i = 0; o->strict && !o->layout && i < n_files; i++) {
        unsigned nc = 0;
        if (mask_missing(files[i], &nc)) {
            fprintf(stderr,
                    "objmaster: %s: no channel mask: its %u channels' layout would be assumed "
                    "(--strict); give --layout NAME\n",
                    files[i], nc);
            return EXIT_INPUT;
        }
    }
    return 0;
}

/* A WAV file without a channel mask and no --layout: one warning naming the weights assumed. */
static void warn_no_mask(const char *path, const double *w, unsigned nc) {
    unsigned n_file = 0;
    if (!mask_missing(path, &n_file) || n_file != nc)
        return;
    char ws[64 * 6] = "";
    size_t k = 0;
    for (unsigned c = 0; c < nc && k < sizeof ws; c++)
        k += (size_t)snprintf(ws + k, sizeof ws - k, "%s%.2f", c ? " " : "", w[c]);
    uint32_t mask = objr_loudness_default_mask(nc);
    tool_warn(&cli,
              "%s: no channel mask: %u channels measured as %s (weights %s); give --layout NAME "
              "(e.g. 9.1.6) for the real layout",
              path, nc, mask ? "the default layout for that count" : "full-range, no LFE", ws);
}

/* Several files: the status of the most serious failure (1..4 are ordered usage < input <
 * output < internal). */
static int worst_exit(int a, int b) {
    return b > a ? b : a;
}

/* Exit status of a failed objr_master_file()/objr_master_album() call. */
static int master_exit(objr_status st, const char *msg, const char *in, const char *out,
                       int unreachable, int true_peak_missed) {
    if (unreachable || (true_peak_missed && st == OBJR_ERR_RANGE))
        return EXIT_NOT_MET;
    if (st == OBJR_ERR_INVALID_ARG && strstr(msg, "overwrite"))
        return EXIT_USAGE;
    return tool_exit_for_status(st, tool_msg_names(msg, out) && !tool_msg_names(msg, in));
}

static int do_measure(const opts *o, const char **files, int n_files) {
    int rc = 0;
    if (o->json)
        printf("[");
    for (int i = 0; i < n_files; i++) {
        objr_loudness_result r;
        double w[64], lw[64];
        unsigned nc = 0;
        objr_diag d;
        objr_diag_clear(&d);
        const double *wp = NULL;
        unsigned n_layout = 0;
        if (o->layout) {
            if (!layout_weights(o->layout, lw, &n_layout))
                return EXIT_USAGE;
            wp = lw;
        }
        objr_status st = objr_master_measure_file(files[i], wp, !o->no_ebur128_tp, &r, w, &nc, &d);
        if (st == OBJR_OK && wp && n_layout != nc) {
            fprintf(stderr, "objmaster: %s: --layout %s has %u channels, the file %u\n", files[i],
                    o->layout, n_layout, nc);
            rc = worst_exit(rc, EXIT_USAGE);
            continue;
        }
        if (st == OBJR_OK && !wp)
            warn_no_mask(files[i], w, nc);
        if (st != OBJR_OK) {
            fprintf(stderr, "objmaster: %s\n", d.message[0] ? d.message : objr_strerror(st));
            rc = worst_exit(rc, tool_exit_for_status(st, 0));
            continue;
        }
        if (o->json) {
            printf("%s\n  {\"file\": ", i ? "," : "");
            jstr(stdout, files[i]);
            printf(", \"channels\": %u, \"weights\": ", nc);
            j_weights(stdout, w, nc);
            printf(", \"measure\": ");
            j_result(stdout, &r);
            printf("}");
        } else {
            printf("%s: %u channels\n", files[i], nc);
            t_weights(stdout, w, nc);
            t_result(stdout, "  ", &r);
        }
    }
    if (o->json)
        printf("\n]\n");
    return rc;
}

/* ISRC as CCXXXYYNNNNN (dashes allowed on input): 2 letters, 3 alphanumerics, 7 digits. */
static int normalise_isrc(const char *in, char *out) {
    size_t k = 0;
    for (; *in; in++) {
        if (*in == '-')
            continue;
        if (k >= 12)
            return 0;
        char ch = *in;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        int alpha = ch >= 'A' && ch <= 'Z', digit = ch >= '0' && ch <= '9';
        if ((k < 2 && !alpha) || (k >= 2 && k < 5 && !alpha && !digit) || (k >= 5 && !digit))
            return 0;
        out[k++] = ch;
    }
    out[k] = 0;
    return k == 12;
}

/* Build the configuration from the options; 0 or an exit status. lw: 64 doubles. */
static int build_config(const opts *o, const char *out, objr_master_config *cfg, double *lw) {
    objr_master_config c = objr_master_config_default();
    if (o->preset) {
        int rc = tool_preset(&cli, o->preset, &c.target);
        if (rc != EXIT_OK)
            return rc;
    } else if (isnan(o->lufs) && !o->quiet && !o->json) {
        /* no target asked for: say which one is used */
        fprintf(stderr,
                "objmaster: no --preset or --lufs: mastering to %s (%s %.0f LUFS, ceiling %.0f "
                "dBTP)\n",
                c.target.name, c.target.kind == OBJR_TARGET_AT_MOST ? "at most" : "exactly",
                c.target.integrated_lufs, c.target.true_peak_dbtp);
    }
    if (!isnan(o->lufs)) {
        snprintf(c.target.name, sizeof c.target.name, "custom");
        c.target.kind = o->at_most ? OBJR_TARGET_AT_MOST : OBJR_TARGET_EXACT;
        c.target.integrated_lufs = o->lufs;
        c.target.basis = "custom target: integrated loudness of the whole file with its channel "
                         "weights, true peak of every channel";
    }
    if (!isnan(o->tp))
        c.target.true_peak_dbtp = o->tp;
    if (!isnan(o->lra_max))
        c.target.lra_max_lu = o->lra_max;
    int ff = TOOL_FF_WAV;
    int rc = tool_output_format(&cli, out, o->format_choice, MASTER_FORMATS, &ff);
    if (rc != EXIT_OK)
        return rc;
    c.format = tool_master_format(ff);
    if (!isnan(o->bits))
        c.bit_depth = (unsigned)o->bits;
    if (!isnan(o->rate))
        c.out_rate_hz = o->rate;
    if (!isnan(o->release))
        c.release_ms = o->release;
    if (!isnan(o->lookahead))
        c.lookahead_ms = o->lookahead;
    c.limiter_style = (objr_limiter_style)o->limiter_style;
    if (o->dither)
        c.dither = !strcmp(o->dither, "none")   ? OBJR_DITHER_NONE
                   : !strcmp(o->dither, "tpdf") ? OBJR_DITHER_TPDF
                                                : OBJR_DITHER_SHAPED;
    if (o->layout) {
        unsigned n_layout = 0;
        if (!layout_weights(o->layout, lw, &n_layout))
            return EXIT_USAGE;
        c.weights = lw; /* the library checks the count against the file */
    }
    c.keep_unreachable = o->keep_unreachable;
    c.on_progress = tool_progress_cb;
    c.on_progress_user = o->progress;
    snprintf(c.title, sizeof c.title, "%s", o->title ? o->title : "");
    snprintf(c.artist, sizeof c.artist, "%s", o->artist ? o->artist : "");
    snprintf(c.album, sizeof c.album, "%s", o->album ? o->album : "");
    if (o->isrc && !o->album_mode && !normalise_isrc(o->isrc, c.isrc))
        return tool_usage_error(&cli, "--isrc '%s' is not an ISRC (CC-XXX-YY-NNNNN)", o->isrc);
    if (o->codec_check && tool_codec_mask(&cli, o->codec_check, &c.codec_mask) != EXIT_OK)
        return EXIT_USAGE;
    if (o->codec_safe && !c.codec_mask)
        c.codec_mask = OBJR_CODEC_BIT(OBJR_CODEC_MP3) | OBJR_CODEC_BIT(OBJR_CODEC_OPUS);
    c.codec_safe = o->codec_safe;
    if (!isnan(o->codec_kbps))
        c.codec_kbps = o->codec_kbps;
    *cfg = c;
    return 0;
}

/* One line about the --html page: the library's message names the path, or say it. */
static void html_error(const opts *o, const objr_diag *d, objr_status st) {
    if (tool_msg_names(d->message, o->html))
        fprintf(stderr, "objmaster: --html: %s\n", d->message);
    else
        fprintf(stderr, "objmaster: --html %s: %s\n", o->html,
                d->message[0] ? d->message : objr_strerror(st));
}

/* --html: refuse, before any work, a page path that cannot be written or would replace an
 * input or an output of the run (one line naming it). 0 or an exit status. */
static int html_precheck(const opts *o, const char *const *ins, int n_in, const char *const *outs,
                         int n_out) {
    objr_outset *probe = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_outset_create(&probe);
    for (int i = 0; i < n_in && st == OBJR_OK; i++)
        st = objr_outset_add_input(probe, ins[i], &d);
    for (int i = 0; i < n_out; i++)
        if (!strcmp(outs[i], o->html)) {
            objr_outset_destroy(probe);
            fprintf(stderr, "objmaster: --html %s: is also the master's path\n", o->html);
            return EXIT_USAGE;
        }
    for (int i = 0; i < n_out && st == OBJR_OK; i++)
        st = objr_outset_add_input(probe, outs[i], &d);
    if (st == OBJR_OK)
        st = objr_outset_check(probe, o->html, &d);
    objr_outset_destroy(probe);
    if (st == OBJR_OK)
        return 0;
    html_error(o, &d, st);
    return tool_exit_for_output(st);
}

/* --html: the page, in @p set (committed by the caller) or put in place at once (NULL). */
static int html_write(const opts *o, objr_outset *set, const objr_master_delivery *dl, size_t n,
                      const objr_master_album_report *album) {
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_master_report_write_html(set, o->html, dl, n, album, &d);
    if (st == OBJR_OK)
        return 0;
    html_error(o, &d, st);
    return st == OBJR_ERR_CONFLICT ? EXIT_USAGE : EXIT_OUTPUT;
}

/* One master's --json object. */
static void master_json(const char *in, const char *out, const objr_master_config *c,
                        const objr_master_report *r, objr_status st, const objr_diag *d) {
    const objr_master_target *t = &c->target;
    printf("{\"input\": ");
    jstr(stdout, in);
    printf(", \"output\": ");
    jstr(stdout, out);
    printf(", \"written\": %s, \"target\": {\"name\": ", r->written ? "true" : "false");
    jstr(stdout, t->name);
    printf(", \"kind\": \"%s\", ", t->kind == OBJR_TARGET_EXACT     ? "exact"
                                   : t->kind == OBJR_TARGET_AT_MOST ? "at_most"
                                                                    : "none");
    jnum(stdout, "integrated_lufs", t->integrated_lufs, 1);
    jnum(stdout, "true_peak_dbtp", t->true_peak_dbtp, 1);
    jnum(stdout, "lra_max_lu", t->lra_max_lu > 0 ? t->lra_max_lu : -HUGE_VAL, 1);
    printf("\"basis\": ");
    jstr(stdout, t->basis ? t->basis : "");
    printf(", \"measured_on\": \"this file\"}, \"channels\": %u, \"in_rate_hz\": %.0f, "
           "\"out_rate_hz\": %.0f, \"weights\": ",
           r->n_channels, r->in_rate_hz, r->out_rate_hz);
    j_weights(stdout, r->weights, r->n_channels);
    printf(", \"isrc\": ");
    jstr(stdout, c->isrc);
    printf(", \"tags_embedded\": %s", r->tags_embedded ? "true" : "false");
    if (r->codec.n_results) {
        printf(", \"codec_check\": ");
        tool_codec_json(stdout, &r->codec);
    }
    printf(", \"clipped_input_samples\": %zu, \"before\": ", r->n_clipped_in);
    j_result(stdout, &r->before);
    printf(", \"after\": ");
    j_result(stdout, &r->after);
    printf(", ");
    jnum(stdout, "gain_db", r->gain_db, 1);
    jnum(stdout, "limiter_max_reduction_db", r->limiter.max_reduction_db, 1);
    jnum(stdout, "limiter_active_percent", 100.0 * r->limiter.active_fraction, 1);
    printf("\"gain_reduction\": ");
    tool_json_gain_reduction(stdout, objr_limiter_style_name(c->limiter_style),
                             r->limiter.max_reduction_db, r->limiter.over_1db_fraction,
                             r->gr_history_db, r->n_gr_points, r->gr_point_seconds);
    printf(", \"passes\": %u, \"loudness_ok\": %s, \"true_peak_ok\": %s, \"lra_ok\": %s, "
           "\"unreachable\": %s, \"error\": ",
           r->passes, r->loudness_ok ? "true" : "false", r->true_peak_ok ? "true" : "false",
           r->lra_ok ? "true" : "false", r->unreachable ? "true" : "false");
    if (st != OBJR_OK)
        jstr(stdout, d->message);
    else
        printf("null");
    printf("}\n");
}

/* One master's text summary. */
static void master_text(const char *in, const char *out, const objr_master_config *c,
                        const objr_master_report *r) {
    const objr_master_target *t = &c->target;
    printf("%s -> %s%s\n", in, out, r->written ? "" : " (not written)");
    printf("  target %s: integrated %s %.1f LUFS, true peak at most %.1f dBTP\n", t->name,
           t->kind == OBJR_TARGET_AT_MOST ? "at most" : "exactly", t->integrated_lufs,
           t->true_peak_dbtp);
    printf("  basis: %s\n", t->basis ? t->basis : "");
    if (!strcmp(t->name, "atmos-music") && r->n_channels != 6)
        printf("  note: measured on this %u-channel file itself; labels measure the 5.1 "
               "re-render of the ADM master (master the 5.1 render, or the ADM, for that)\n",
               r->n_channels);
    printf("  %u channels, %.0f Hz -> %.0f Hz\n", r->n_channels, r->in_rate_hz, r->out_rate_hz);
    t_weights(stdout, r->weights, r->n_channels);
    printf("  before:\n");
    t_result(stdout, "    ", &r->before);
    printf("  gain %+.2f dB; limiter (%s) max reduction %.2f dB, active %.1f %% of the time, "
           "over 1 dB %.1f %%; %u pass%s\n",
           r->gain_db, objr_limiter_style_name(c->limiter_style), r->limiter.max_reduction_db,
           100.0 * r->limiter.active_fraction, 100.0 * r->limiter.over_1db_fraction, r->passes,
           r->passes == 1 ? "" : "es");
    printf("  after:\n");
    t_result(stdout, "    ", &r->after);
    printf("  loudness %s, true peak %s%s%s\n", r->loudness_ok ? "PASS" : "FAIL",
           r->true_peak_ok ? "PASS" : "FAIL",
           t->lra_max_lu > 0 ? (r->lra_ok ? ", LRA PASS" : ", LRA FAIL") : "",
           r->unreachable ? " (target unreachable under the ceiling)" : "");
    if (c->isrc[0])
        printf("  ISRC %s (%s)\n", c->isrc,
               r->tags_embedded ? "embedded" : "not embedded: the file was not written");
    if (r->codec.n_results)
        tool_codec_text(stdout, "  ", &r->codec);
}

static int do_master(const opts *o, const char *in) {
    objr_master_config c;
    double lw[64];
    int rc0 = build_config(o, o->out, &c, lw);
    if (rc0)
        return rc0;
    objr_master_report r;
    objr_diag d;
    objr_diag_clear(&d);
    /* --html: the master and its page are put in place together (objr_outfile.h) */
    objr_outset *set = NULL;
    if (o->html &&
        ((rc0 = html_precheck(o, &in, 1, &o->out, 1)) != 0 || objr_outset_create(&set) != OBJR_OK))
        return rc0 ? rc0 : EXIT_INTERNAL;
    objr_status st = set ? objr_master_file_in(set, &c, in, o->out, &r, &d)
                         : objr_master_file(&c, in, o->out, &r, &d);
    tool_progress_clear(o->progress);
    if (set && st == OBJR_OK) {
        const objr_master_delivery dl = {NULL, in, o->out, &c, &r, NULL};
        if ((rc0 = html_write(o, set, &dl, 1, NULL)) == 0 &&
            objr_outset_commit(set, &d) != OBJR_OK) {
            fprintf(stderr, "objmaster: %s\n", d.message);
            rc0 = EXIT_OUTPUT;
        }
        r.written = rc0 == 0;
    }
    objr_outset_destroy(set);
    if (rc0)
        return rc0;
    if (st != OBJR_OK && r.passes == 0 && !r.unreachable) {
        const char *msg = d.message[0] ? d.message : objr_strerror(st);
        fprintf(stderr, "objmaster: %s\n", msg);
        return master_exit(st, msg, in, o->out, 0, 0);
    }
    if (r.n_clipped_in)
        fprintf(stderr, "objmaster: warning: %s: %zu input samples at full scale (clipped?)\n", in,
                r.n_clipped_in);
    if (o->json)
        master_json(in, o->out, &c, &r, st, &d);
    else if (!o->quiet)
        master_text(in, o->out, &c, &r);
    if (st != OBJR_OK) {
        const char *msg = d.message[0] ? d.message : objr_strerror(st);
        fprintf(stderr, "objmaster: %s\n", msg);
        return master_exit(st, msg, in, o->out, r.unreachable, !r.true_peak_ok);
    }
    if (r.unreachable || !r.loudness_ok || !r.true_peak_ok)
        return EXIT_NOT_MET;
    return EXIT_OK;
}

static const char *base_name(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* An album run's tracks: inputs, outputs, ISRCs and reports, n of each. */
typedef struct album {
    int n;
    const char **files;
    char (*outs)[4096];
    char (*isrc)[16]; /* "" when the track has none */
    objr_master_report *reps;
} album;

/* --isrc in album mode: comma-separated, one per track (an empty field: none). */
static int parse_album_isrcs(const char *list, const album *al) {
    const char *q = list;
    for (int i = 0; i < al->n; i++) {
        char one[64];
        size_t k = 0;
        while (*q && *q != ',' && k + 1 < sizeof one)
            one[k++] = *q++;
        one[k] = 0;
        if (*q == ',')
            q++;
        if (!k)
            continue;
        if (!normalise_isrc(one, al->isrc[i])) {
            fprintf(stderr, "objmaster: --isrc '%s' is not an ISRC (CC-XXX-YY-NNNNN)\n", one);
            return EXIT_USAGE;
        }
    }
    return 0;
}

static void album_json(const objr_master_config *c, const album *al,
                       const objr_master_album_report *ar) {
    printf("{\"album\": {\"gain_db\": %.3f, \"passes\": %u, \"loudness_ok\": %s, \"before\": ",
           ar->gain_db, ar->passes, ar->loudness_ok ? "true" : "false");
    j_result(stdout, &ar->before);
    printf(", \"after\": ");
    j_result(stdout, &ar->after);
    printf("}, \"tracks\": [");
    for (int i = 0; i < al->n; i++) {
        const objr_master_report *r = &al->reps[i];
        printf("%s\n  {\"input\": ", i ? "," : "");
        jstr(stdout, al->files[i]);
        printf(", \"output\": ");
        jstr(stdout, al->outs[i]);
        printf(", \"isrc\": ");
        jstr(stdout, al->isrc[i]);
        printf(", \"before\": ");
        j_result(stdout, &r->before);
        printf(", \"after\": ");
        j_result(stdout, &r->after);
        printf(", ");
        jnum(stdout, "limiter_max_reduction_db", r->limiter.max_reduction_db, 1);
        printf("\"gain_reduction\": ");
        tool_json_gain_reduction(stdout, objr_limiter_style_name(c->limiter_style),
                                 r->limiter.max_reduction_db, r->limiter.over_1db_fraction,
                                 r->gr_history_db, r->n_gr_points, r->gr_point_seconds);
        printf(", \"true_peak_ok\": %s}", r->true_peak_ok ? "true" : "false");
    }
    printf("\n]}\n");
}

static void album_text(const objr_master_config *c, const album *al,
                       const objr_master_album_report *ar) {
    printf("album: %d tracks, target %s %s %.1f LUFS (album as one programme), ceiling %.1f "
           "dBTP\n",
           al->n, c->target.name, c->target.kind == OBJR_TARGET_AT_MOST ? "at most" : "exactly",
           c->target.integrated_lufs, c->target.true_peak_dbtp);
    printf("  album integrated %.2f -> %.2f LUFS with one gain of %+.2f dB (%u pass%s)\n",
           ar->before.integrated_lufs, ar->after.integrated_lufs, ar->gain_db, ar->passes,
           ar->passes == 1 ? "" : "es");
    for (int i = 0; i < al->n; i++)
        printf("  %2d %-32s I %7.2f -> %7.2f LUFS, TP %6.2f dBTP, GR %.2f dB%s%s\n", i + 1,
               base_name(al->outs[i]), al->reps[i].before.integrated_lufs,
               al->reps[i].after.integrated_lufs, al->reps[i].after.true_peak_dbtp,
               al->reps[i].limiter.max_reduction_db, al->isrc[i][0] ? ", ISRC " : "", al->isrc[i]);
}

/* --cue: one FILE per track (with its ISRC), written through an output set so that it is
 * replaced whole or not at all; returns the exit status. */
static int write_cue(const char *path, const objr_master_config *c, const album *al) {
    objr_outset *set = NULL;
    FILE *f = NULL;
    objr_diag cd;
    objr_diag_clear(&cd);
    objr_status cst = objr_outset_create(&set);
    for (int i = 0; i < al->n && cst == OBJR_OK; i++)
        cst = objr_outset_add_input(set, al->files[i], &cd);
    if (cst == OBJR_OK)
        cst = objr_outset_open(set, path, &cd, &f);
    if (cst != OBJR_OK) {
        fprintf(stderr, "objmaster: %s: cannot write the CUE sheet: %s\n", path,
                cd.message[0] ? cd.message : objr_strerror(cst));
        objr_outset_destroy(set);
        return tool_exit_for_output(cst);
    }
    if (c->album[0])
        fprintf(f, "TITLE \"%s\"\n", c->album);
    if (c->artist[0])
        fprintf(f, "PERFORMER \"%s\"\n", c->artist);
    for (int i = 0; i < al->n; i++) {
        fprintf(f, "FILE \"%s\" WAVE\n  TRACK %02d AUDIO\n", base_name(al->outs[i]), i + 1);
        if (al->isrc[i][0])
            fprintf(f, "    ISRC %s\n", al->isrc[i]);
        fprintf(f, "    INDEX 01 00:00:00\n");
    }
    int rc = 0;
    if (objr_outset_commit(set, &cd) != OBJR_OK) {
        fprintf(stderr, "objmaster: %s\n", cd.message);
        rc = EXIT_OUTPUT;
    }
    objr_outset_destroy(set);
    return rc;
}

/* --html after an album: one page, the album figures above one section per track. */
static int album_html(const opts *o, const objr_master_config *c, const char *const *ins,
                      const char *const *outs, const objr_master_report *reps, int n,
                      const objr_master_album_report *ar) {
    objr_master_delivery *dl = calloc((size_t)n, sizeof *dl);
    if (!dl) {
        fprintf(stderr, "objmaster: out of memory\n");
        return EXIT_INTERNAL;
    }
    for (int i = 0; i < n; i++)
        dl[i] = (objr_master_delivery){NULL, ins[i], outs[i], c, &reps[i], NULL};
    int rc = html_write(o, NULL, dl, (size_t)n, ar);
    free(dl);
    return rc;
}

static int do_album(const opts *o, const char **files, int n) {
    const char *ext = o->format_choice >= 0 ? o->format : "wav";
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/x.%s", o->out, ext);
    objr_master_config c;
    double lw[64];
    int rc0 = build_config(o, probe, &c, lw);
    if (rc0)
        return rc0;
    album al = {n, files, NULL, NULL, NULL};
    al.outs = calloc((size_t)n, sizeof *al.outs);
    al.isrc = calloc((size_t)n, sizeof *al.isrc);
    al.reps = calloc((size_t)n, sizeof *al.reps);
    const char **outp = calloc((size_t)n, sizeof *outp);
    const char **isrcp = calloc((size_t)n, sizeof *isrcp);
    int rc = 0;
    if (!al.outs || !al.isrc || !outp || !al.reps || !isrcp) {
        fprintf(stderr, "objmaster: out of memory\n");
        rc = EXIT_INTERNAL;
        goto done;
    }
    if (o->isrc && (rc = parse_album_isrcs(o->isrc, &al)) != 0)
        goto done;
    for (int i = 0; i < n; i++)
        isrcp[i] = al.isrc[i];
    c.album_isrcs = isrcp;
    for (int i = 0; i < n; i++) {
        char stem[1024];
        snprintf(stem, sizeof stem, "%s", base_name(files[i]));
        char *dot = strrchr(stem, '.');
        if (dot)
            *dot = 0;
        snprintf(al.outs[i], sizeof al.outs[i], "%s/%s.%s", o->out, stem, ext);
        outp[i] = al.outs[i];
    }
    if (o->html && (rc = html_precheck(o, files, n, outp, n)) != 0)
        goto done;
    objr_master_album_report ar;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_master_album(&c, files, outp, (size_t)n, al.reps, &ar, &d);
    tool_progress_clear(o->progress);
    if (st != OBJR_OK) {
        const char *msg = d.message[0] ? d.message : objr_strerror(st);
        fprintf(stderr, "objmaster: %s\n", msg);
        rc = ar.unreachable ? EXIT_NOT_MET : EXIT_INPUT;
        for (int i = 0; i < n && rc == EXIT_INPUT; i++)
            rc = master_exit(st, msg, files[i], al.outs[i], 0, 0);
        goto done;
    }
    if (o->json)
        album_json(&c, &al, &ar);
    else if (!o->quiet)
        album_text(&c, &al, &ar);
    if (o->html && (rc = album_html(o, &c, files, outp, al.reps, n, &ar)) != 0)
        goto done;
    if (o->cue)
        rc = write_cue(o->cue, &c, &al);
done:
    free(al.outs);
    free(al.isrc);
    free(outp);
    free(isrcp);
    free(al.reps);
    return rc;
}

/* --layout binaural (or headphones): the two ears, weighted as L and R. Every other name,
 * file or label list goes to layout_weights. */
static int layout_name_to_labels(opts *o) {
    char name[64];
    if (o->layout && !strchr(o->layout, ',') &&
        objr_layout_resolve_name(o->layout, name, sizeof name) == OBJR_OK &&
        strcmp(name, "binaural") == 0)
        o->layout = "M+030,M-030";
    return 1;
}

/* An ADM BWF (chna or axml) holds object tracks, not loudspeaker feeds: refuse it (exit 2)
 * with the command that masters it. Files that are not WAVE are left to the normal path. */
static int refuse_adm(const char *const *files, int n_files) {
    for (int i = 0; i < n_files; i++) {
        objr_bwf *f = NULL;
        if (objr_bwf_open_file(files[i], NULL, NULL, &f) != OBJR_OK)
            continue;
        const uint8_t *axml = NULL;
        size_t n = 0;
        (void)objr_bwf_get_axml(f, &axml, &n);
        int adm = axml != NULL || objr_bwf_chna_count(f) > 0;
        objr_bwf_close(f);
        if (adm) {
            fprintf(stderr,
                    "objmaster: %s: an ADM BWF (chna/axml: object tracks, not loudspeaker "
                    "channels); master it with: objrender %s --master PRESET --adm-master "
                    "OUT.wav\n",
                    files[i], files[i]);
            return EXIT_INPUT;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    make_presets_text();
    tool_args a;
    opts o;
    int rc = tool_parse(&cli, argc, argv, &a);
    if (rc < 0 && (rc = fill_opts(&a, &o)) == EXIT_OK)
        rc = -1;
    if (rc >= 0) { /* --help, --version or a usage error */
        tool_args_free(&a);
        return rc;
    }
    const char **files = a.pos;
    int n_files = (int)a.n_pos;
    objr_outfile_install_signal_cleanup();
    for (int i = 0; i < n_files; i++)
        if (!strcmp(files[i], "-")) {
            rc = tool_usage_error(&cli, "- (stdin) is not an input here: mastering reads its "
                                        "input several times; give a file");
            tool_args_free(&a);
            return rc;
        }
    tool_progress progress;
    tool_progress_init(&progress, &a);
    o.progress = &progress;
    if (!layout_name_to_labels(&o)) {
        rc = EXIT_USAGE;
    } else if ((rc = refuse_adm(files, n_files)) != 0 ||
               (rc = refuse_assumed_layout(&o, files, n_files)) != 0) {
        /* said */
    } else if (o.album_mode) {
        rc = n_files && o.out ? do_album(&o, files, n_files)
                              : tool_usage_error(&cli, "album mode needs inputs and -o DIR");
    } else if (o.measure) {
        rc = n_files ? do_measure(&o, files, n_files)
                     : tool_usage_error(&cli, "--measure needs at least one FILE");
    } else if (n_files != 1 || !o.out) {
        rc = tool_usage_error(&cli, "master mode needs one input and -o OUT");
    } else {
        rc = do_master(&o, files[0]);
    }
    tool_args_free(&a);
    return rc;
}
