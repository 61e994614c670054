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

#include "objrender/objr.h"
#include "tool_common.h"

enum opt_kind { OPT_FLAG, OPT_STR, OPT_NUM };

typedef struct opts {
    int measure, json, keep_unreachable, no_ebur128_tp, help, at_most, album_mode;
    const char *preset, *out, *format, *dither, *layout, *cue;
    const char *title, *artist, *album, *isrc;
    double lufs, tp, lra_max, bits, rate, release, lookahead;
} opts;

static const struct option_def {
    const char *name;
    enum opt_kind kind;
    size_t offset;
    const char *arg, *def, *help;
} option_table[] = {
    {"--measure", OPT_FLAG, offsetof(opts, measure), NULL, "off",
     "measure each FILE and print the figures (no output)"},
    {"--album-mode", OPT_FLAG, offsetof(opts, album_mode), NULL, "off",
     "master several inputs with one common gain into the directory -o OUTDIR"},
    {"--cue", OPT_STR, offsetof(opts, cue), "FILE", "none",
     "album mode: write a CUE sheet (one FILE per track, ISRC from --isrc)"},
    {"--json", OPT_FLAG, offsetof(opts, json), NULL, "off", "print JSON instead of text"},
    {"--preset", OPT_STR, offsetof(opts, preset), "NAME", "ebu-r128",
     "atmos-music | streaming | apple-music | ebu-r128 | atsc-a85"},
    {"--lufs", OPT_NUM, offsetof(opts, lufs), "LUFS", "preset",
     "custom integrated target, -60..0 (exact unless --at-most)"},
    {"--at-most", OPT_FLAG, offsetof(opts, at_most), NULL, "off",
     "treat --lufs as a maximum (only turn down)"},
    {"--tp", OPT_NUM, offsetof(opts, tp), "DBTP", "preset", "true-peak ceiling, -20..0"},
    {"--lra-max", OPT_NUM, offsetof(opts, lra_max), "LU", "none",
     "report a failure when the loudness range exceeds this"},
    {"-o", OPT_STR, offsetof(opts, out), "OUT", "-", "output file (master mode)"},
    {"--format", OPT_STR, offsetof(opts, format), "FMT", "from OUT's extension",
     "wav | flac | mp3 (WAV becomes RF64 above 4 GB)"},
    {"--bits", OPT_NUM, offsetof(opts, bits), "N", "24", "16 | 24 | 32 (float, WAV only)"},
    {"--rate", OPT_NUM, offsetof(opts, rate), "HZ", "input rate",
     "output sample rate (libsamplerate best sinc, before the limiter)"},
    {"--lookahead", OPT_NUM, offsetof(opts, lookahead), "MS", "5",
     "limiter look-ahead (attack), 0.5..50 ms"},
    {"--release", OPT_NUM, offsetof(opts, release), "MS", "150",
     "limiter release time constant, 1..5000 ms"},
    {"--dither", OPT_STR, offsetof(opts, dither), "KIND", "tpdf", "none | tpdf | shaped"},
    {"--layout", OPT_STR, offsetof(opts, layout), "LABELS", "the file's channel mask",
     "comma-separated channel labels for the weights (e.g. M+030,M-030,M+000,LFE1,M+110,M-110)"},
    {"--title", OPT_STR, offsetof(opts, title), "TEXT", "", "title metadata"},
    {"--artist", OPT_STR, offsetof(opts, artist), "TEXT", "", "artist metadata"},
    {"--album", OPT_STR, offsetof(opts, album), "TEXT", "", "album metadata"},
    {"--isrc", OPT_STR, offsetof(opts, isrc), "CODE", "",
     "ISRC CCXXXYYNNNNN (album mode: comma-separated, one per track); kept in the report and "
     "the CUE sheet: libsndfile writes no ISRC field in WAV/FLAC/MP3"},
    {"--keep-unreachable", OPT_FLAG, offsetof(opts, keep_unreachable), NULL, "off",
     "write the file even when the loudness target cannot be met (exit 5)"},
    {"--no-ebur128-tp", OPT_FLAG, offsetof(opts, no_ebur128_tp), NULL, "off",
     "measure mode: skip libebur128's own 4x true-peak reading (faster)"},
    {"--help", OPT_FLAG, offsetof(opts, help), NULL, "", "this text"},
};
#define N_OPTS (sizeof option_table / sizeof option_table[0])

static void usage(FILE *f) {
    fprintf(f, "usage: objmaster --measure [--json] FILE...\n"
               "       objmaster [--preset NAME | --lufs X --tp Y] [options] IN -o OUT\n"
               "       objmaster --album-mode [options] IN... -o OUTDIR [--cue FILE]\n\n"
               "options:\n");
    for (size_t i = 0; i < N_OPTS; i++) {
        const struct option_def *o = &option_table[i];
        char left[64];
        snprintf(left, sizeof left, "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(f, "  %-24s %s%s%s%s\n", left, o->help, o->def[0] ? " [default: " : "", o->def,
                o->def[0] ? "]" : "");
    }
    fprintf(f, "\npresets (measurement basis):\n");
    for (unsigned i = 0; objr_master_preset_name(i); i++) {
        objr_master_target t;
        if (objr_master_preset_get(objr_master_preset_name(i), &t) == OBJR_OK)
            fprintf(f, "  %-12s %s %.0f LUFS, ceiling %.0f dBTP: %s\n", t.name,
                    t.kind == OBJR_TARGET_AT_MOST ? "at most" : "exactly", t.integrated_lufs,
                    t.true_peak_dbtp, t.basis);
    }
    fprintf(f, "\n%s", TOOL_EXIT_HELP);
}

static int parse(int argc, char **argv, opts *o, const char **files, int *n_files) {
    *n_files = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const struct option_def *d = NULL;
        for (size_t k = 0; k < N_OPTS; k++)
            if (!strcmp(a, option_table[k].name))
                d = &option_table[k];
        if (!d) {
            if (a[0] == '-' && a[1]) {
                fprintf(stderr, "objmaster: unknown option %s (see --help)\n", a);
                return 0;
            }
            files[(*n_files)++] = a;
            continue;
        }
        char *field = (char *)o + d->offset;
        if (d->kind == OPT_FLAG) {
            *(int *)(void *)field = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "objmaster: %s needs a value (%s)\n", a, d->arg);
            return 0;
        }
        const char *v = argv[++i];
        if (d->kind == OPT_STR) {
            *(const char **)(void *)field = v;
        } else {
            char *end;
            errno = 0;
            double x = strtod(v, &end);
            if (errno || end == v || *end || !isfinite(x)) {
                fprintf(stderr, "objmaster: %s: '%s' is not a number\n", a, v);
                return 0;
            }
            *(double *)(void *)field = x;
        }
    }
    return 1;
}

/* JSON number or null (-inf: undefined). */
static void jnum(FILE *f, const char *key, double v, int comma) {
    if (isfinite(v))
        fprintf(f, "\"%s\": %.3f%s", key, v, comma ? ", " : "");
    else
        fprintf(f, "\"%s\": null%s", key, comma ? ", " : "");
}

static void jstr(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
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

static int parse_layout(const char *s, unsigned nc, double *w) {
    char buf[1024];
    const char *labels[64];
    unsigned n = 0;
    snprintf(buf, sizeof buf, "%s", s);
    for (char *tok = strtok(buf, ","); tok && n < 64; tok = strtok(NULL, ","))
        labels[n++] = tok;
    if (n != nc) {
        fprintf(stderr, "objmaster: --layout has %u labels, the file has %u channels\n", n, nc);
        return 0;
    }
    if (objr_loudness_weights_from_labels(labels, n, w) != OBJR_OK) {
        fprintf(stderr, "objmaster: --layout: unknown label in '%s'\n", s);
        return 0;
    }
    return 1;
}

static int count_labels(const char *s) {
    int n = 1;
    for (; *s; s++)
        n += *s == ',';
    return n;
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
        if (o->layout) {
            unsigned n = (unsigned)count_labels(o->layout);
            if (!parse_layout(o->layout, n, lw))
                return EXIT_USAGE;
            wp = lw;
        }
        objr_status st = objr_master_measure_file(files[i], wp, !o->no_ebur128_tp, &r, w, &nc, &d);
        if (st == OBJR_OK && wp && o->layout && (unsigned)count_labels(o->layout) != nc) {
            fprintf(stderr, "objmaster: %s: --layout has %d labels for %u channels\n", files[i],
                    count_labels(o->layout), nc);
            rc = worst_exit(rc, EXIT_USAGE);
            continue;
        }
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

static int ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    if (a < b)
        return 0;
    for (size_t i = 0; i < b; i++) {
        char c = s[a - b + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suf[i])
            return 0;
    }
    return 1;
}

/* Build the configuration from the options; 0 or an exit status. lw: 64 doubles. */
static int build_config(const opts *o, const char *out, objr_master_config *cfg, double *lw) {
    objr_master_config c = objr_master_config_default();
    if (o->preset && objr_master_preset_get(o->preset, &c.target) != OBJR_OK) {
        fprintf(stderr, "objmaster: unknown preset '%s' (see --help)\n", o->preset);
        return EXIT_USAGE;
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
    const char *fmt = o->format;
    if (!fmt)
        fmt = ends_with(out, ".flac") ? "flac" : ends_with(out, ".mp3") ? "mp3" : "wav";
    if (!strcmp(fmt, "wav") || !strcmp(fmt, "rf64"))
        c.format = OBJR_MASTER_WAV;
    else if (!strcmp(fmt, "flac"))
        c.format = OBJR_MASTER_FLAC;
    else if (!strcmp(fmt, "mp3"))
        c.format = OBJR_MASTER_MP3;
    else {
        fprintf(stderr, "objmaster: --format '%s': use wav, flac or mp3\n", fmt);
        return EXIT_USAGE;
    }
    if (!isnan(o->bits))
        c.bit_depth = (unsigned)o->bits;
    if (!isnan(o->rate))
        c.out_rate_hz = o->rate;
    if (!isnan(o->release))
        c.release_ms = o->release;
    if (!isnan(o->lookahead))
        c.lookahead_ms = o->lookahead;
    if (o->dither) {
        if (!strcmp(o->dither, "none"))
            c.dither = OBJR_DITHER_NONE;
        else if (!strcmp(o->dither, "tpdf"))
            c.dither = OBJR_DITHER_TPDF;
        else if (!strcmp(o->dither, "shaped"))
            c.dither = OBJR_DITHER_SHAPED;
        else {
            fprintf(stderr, "objmaster: --dither '%s': use none, tpdf or shaped\n", o->dither);
            return EXIT_USAGE;
        }
    }
    for (int i = 0; i < 64; i++)
        lw[i] = NAN; /* a file with more channels than labels is then refused */
    if (o->layout) {
        if (!parse_layout(o->layout, (unsigned)count_labels(o->layout), lw))
            return EXIT_USAGE;
        c.weights = lw; /* the library checks the count against the file */
    }
    c.keep_unreachable = o->keep_unreachable;
    snprintf(c.title, sizeof c.title, "%s", o->title ? o->title : "");
    snprintf(c.artist, sizeof c.artist, "%s", o->artist ? o->artist : "");
    snprintf(c.album, sizeof c.album, "%s", o->album ? o->album : "");
    snprintf(c.isrc, sizeof c.isrc, "%s", o->isrc ? o->isrc : "");
    *cfg = c;
    return 0;
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
    objr_status st = objr_master_file(&c, in, o->out, &r, &d);
    if (st != OBJR_OK && r.passes == 0 && !r.unreachable) {
        const char *msg = d.message[0] ? d.message : objr_strerror(st);
        fprintf(stderr, "objmaster: %s\n", msg);
        return master_exit(st, msg, in, o->out, 0, 0);
    }
    if (r.n_clipped_in)
        fprintf(stderr, "objmaster: warning: %s: %zu input samples at full scale (clipped?)\n", in,
                r.n_clipped_in);
    const objr_master_target *t = &c.target;
    if (o->json) {
        printf("{\"input\": ");
        jstr(stdout, in);
        printf(", \"output\": ");
        jstr(stdout, o->out);
        printf(", \"written\": %s, \"target\": {\"name\": ", r.written ? "true" : "false");
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
               r.n_channels, r.in_rate_hz, r.out_rate_hz);
        j_weights(stdout, r.weights, r.n_channels);
        printf(", \"isrc\": ");
        jstr(stdout, c.isrc);
        printf(", \"clipped_input_samples\": %zu, \"before\": ", r.n_clipped_in);
        j_result(stdout, &r.before);
        printf(", \"after\": ");
        j_result(stdout, &r.after);
        printf(", ");
        jnum(stdout, "gain_db", r.gain_db, 1);
        jnum(stdout, "limiter_max_reduction_db", r.limiter.max_reduction_db, 1);
        jnum(stdout, "limiter_active_percent", 100.0 * r.limiter.active_fraction, 1);
        printf("\"passes\": %u, \"loudness_ok\": %s, \"true_peak_ok\": %s, \"lra_ok\": %s, "
               "\"unreachable\": %s, \"error\": ",
               r.passes, r.loudness_ok ? "true" : "false", r.true_peak_ok ? "true" : "false",
               r.lra_ok ? "true" : "false", r.unreachable ? "true" : "false");
        if (st != OBJR_OK)
            jstr(stdout, d.message);
        else
            printf("null");
        printf("}\n");
    } else {
        printf("%s -> %s%s\n", in, o->out, r.written ? "" : " (not written)");
        printf("  target %s: integrated %s %.1f LUFS, true peak at most %.1f dBTP\n", t->name,
               t->kind == OBJR_TARGET_AT_MOST ? "at most" : "exactly", t->integrated_lufs,
               t->true_peak_dbtp);
        printf("  basis: %s\n", t->basis ? t->basis : "");
        if (!strcmp(t->name, "atmos-music") && r.n_channels != 6)
            printf("  note: measured on this %u-channel file itself; labels measure the 5.1 "
                   "re-render of the ADM master (master the 5.1 render, or the ADM, for that)\n",
                   r.n_channels);
        printf("  %u channels, %.0f Hz -> %.0f Hz\n", r.n_channels, r.in_rate_hz, r.out_rate_hz);
        t_weights(stdout, r.weights, r.n_channels);
        printf("  before:\n");
        t_result(stdout, "    ", &r.before);
        printf("  gain %+.2f dB; limiter max reduction %.2f dB, active %.1f %% of the time; "
               "%u pass%s\n",
               r.gain_db, r.limiter.max_reduction_db, 100.0 * r.limiter.active_fraction, r.passes,
               r.passes == 1 ? "" : "es");
        printf("  after:\n");
        t_result(stdout, "    ", &r.after);
        printf("  loudness %s, true peak %s%s%s\n", r.loudness_ok ? "PASS" : "FAIL",
               r.true_peak_ok ? "PASS" : "FAIL",
               t->lra_max_lu > 0 ? (r.lra_ok ? ", LRA PASS" : ", LRA FAIL") : "",
               r.unreachable ? " (target unreachable under the ceiling)" : "");
        if (c.isrc[0])
            printf("  ISRC %s (reported only: not embedded)\n", c.isrc);
    }
    if (st != OBJR_OK) {
        const char *msg = d.message[0] ? d.message : objr_strerror(st);
        fprintf(stderr, "objmaster: %s\n", msg);
        return master_exit(st, msg, in, o->out, r.unreachable, !r.true_peak_ok);
    }
    if (r.unreachable || !r.loudness_ok || !r.true_peak_ok)
        return EXIT_NOT_MET;
    return EXIT_OK;
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

static const char *base_name(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int do_album(const opts *o, const char **files, int n) {
    const char *fmt = o->format ? o->format : "wav";
    const char *ext = !strcmp(fmt, "flac") ? ".flac" : !strcmp(fmt, "mp3") ? ".mp3" : ".wav";
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/x%s", o->out, ext);
    objr_master_config c;
    double lw[64];
    int rc0 = build_config(o, probe, &c, lw);
    if (rc0)
        return rc0;
    char(*outs)[4096] = calloc((size_t)n, sizeof *outs);
    char(*isrc)[16] = calloc((size_t)n, sizeof *isrc);
    const char **outp = calloc((size_t)n, sizeof *outp);
    objr_master_report *reps = calloc((size_t)n, sizeof *reps);
    int rc = 0;
    if (!outs || !isrc || !outp || !reps) {
        fprintf(stderr, "objmaster: out of memory\n");
        rc = EXIT_INTERNAL;
        goto done;
    }
    if (o->isrc) { /* comma-separated, one per track */
        const char *q = o->isrc;
        for (int i = 0; i < n; i++) {
            char one[64];
            size_t k = 0;
            while (*q && *q != ',' && k + 1 < sizeof one)
                one[k++] = *q++;
            one[k] = 0;
            if (*q == ',')
                q++;
            if (!k)
                continue;
            if (!normalise_isrc(one, isrc[i])) {
                fprintf(stderr, "objmaster: --isrc '%s' is not an ISRC (CC-XXX-YY-NNNNN)\n", one);
                rc = EXIT_USAGE;
                goto done;
            }
        }
    }
    for (int i = 0; i < n; i++) {
        char stem[1024];
        snprintf(stem, sizeof stem, "%s", base_name(files[i]));
        char *dot = strrchr(stem, '.');
        if (dot)
            *dot = 0;
        snprintf(outs[i], sizeof outs[i], "%s/%s%s", o->out, stem, ext);
        outp[i] = outs[i];
    }
    objr_master_album_report ar;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_master_album(&c, files, outp, (size_t)n, reps, &ar, &d);
    if (st != OBJR_OK) {
        const char *msg = d.message[0] ? d.message : objr_strerror(st);
        fprintf(stderr, "objmaster: %s\n", msg);
        rc = ar.unreachable ? EXIT_NOT_MET : EXIT_INPUT;
        for (int i = 0; i < n && rc == EXIT_INPUT; i++)
            rc = master_exit(st, msg, files[i], outs[i], 0, 0);
        goto done;
    }
    if (o->json) {
        printf("{\"album\": {\"gain_db\": %.3f, \"passes\": %u, \"loudness_ok\": %s, \"before\": ",
               ar.gain_db, ar.passes, ar.loudness_ok ? "true" : "false");
        j_result(stdout, &ar.before);
        printf(", \"after\": ");
        j_result(stdout, &ar.after);
        printf("}, \"tracks\": [");
        for (int i = 0; i < n; i++) {
            printf("%s\n  {\"input\": ", i ? "," : "");
            jstr(stdout, files[i]);
            printf(", \"output\": ");
            jstr(stdout, outs[i]);
            printf(", \"isrc\": ");
            jstr(stdout, isrc[i]);
            printf(", \"before\": ");
            j_result(stdout, &reps[i].before);
            printf(", \"after\": ");
            j_result(stdout, &reps[i].after);
            printf(", ");
            jnum(stdout, "limiter_max_reduction_db", reps[i].limiter.max_reduction_db, 1);
            printf("\"true_peak_ok\": %s}", reps[i].true_peak_ok ? "true" : "false");
        }
        printf("\n]}\n");
    } else {
        printf("album: %d tracks, target %s %s %.1f LUFS (album as one programme), ceiling %.1f "
               "dBTP\n",
               n, c.target.name, c.target.kind == OBJR_TARGET_AT_MOST ? "at most" : "exactly",
               c.target.integrated_lufs, c.target.true_peak_dbtp);
        printf("  album integrated %.2f -> %.2f LUFS with one gain of %+.2f dB (%u pass%s)\n",
               ar.before.integrated_lufs, ar.after.integrated_lufs, ar.gain_db, ar.passes,
               ar.passes == 1 ? "" : "es");
        for (int i = 0; i < n; i++)
            printf("  %2d %-32s I %7.2f -> %7.2f LUFS, TP %6.2f dBTP, GR %.2f dB%s%s\n", i + 1,
                   base_name(outs[i]), reps[i].before.integrated_lufs,
                   reps[i].after.integrated_lufs, reps[i].after.true_peak_dbtp,
                   reps[i].limiter.max_reduction_db, isrc[i][0] ? ", ISRC " : "", isrc[i]);
    }
    if (o->cue) {
        objr_outset *set = NULL;
        FILE *f = NULL;
        objr_diag cd;
        objr_diag_clear(&cd);
        objr_status cst = objr_outset_create(&set);
        for (int i = 0; i < n && cst == OBJR_OK; i++)
            cst = objr_outset_add_input(set, files[i], &cd);
        if (cst == OBJR_OK)
            cst = objr_outset_open(set, o->cue, &cd, &f);
        if (cst != OBJR_OK) {
            fprintf(stderr, "objmaster: %s: cannot write the CUE sheet: %s\n", o->cue,
                    cd.message[0] ? cd.message : objr_strerror(cst));
            objr_outset_destroy(set);
            rc = tool_exit_for_output(cst);
            goto done;
        }
        if (c.album[0])
            fprintf(f, "TITLE \"%s\"\n", c.album);
        if (c.artist[0])
            fprintf(f, "PERFORMER \"%s\"\n", c.artist);
        for (int i = 0; i < n; i++) {
            fprintf(f, "FILE \"%s\" WAVE\n  TRACK %02d AUDIO\n", base_name(outs[i]), i + 1);
            if (isrc[i][0])
                fprintf(f, "    ISRC %s\n", isrc[i]);
            fprintf(f, "    INDEX 01 00:00:00\n");
        }
        if (objr_outset_commit(set, &cd) != OBJR_OK) {
            fprintf(stderr, "objmaster: %s\n", cd.message);
            rc = EXIT_OUTPUT;
        }
        objr_outset_destroy(set);
    }
done:
    free(outs);
    free(isrc);
    free(outp);
    free(reps);
    return rc;
}

int main(int argc, char **argv) {
    opts o;
    memset(&o, 0, sizeof o);
    o.lufs = o.tp = o.lra_max = o.bits = o.rate = o.release = o.lookahead = NAN;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    int n_files = 0, rc;
    if (!files)
        return EXIT_INTERNAL;
    if (!parse(argc, argv, &o, files, &n_files)) {
        free(files);
        return EXIT_USAGE;
    }
    objr_outfile_install_signal_cleanup();
    for (int i = 0; i < n_files && !o.help; i++)
        if (!strcmp(files[i], "-")) {
            fprintf(stderr, "objmaster: - (stdin) is not an input here: mastering reads its input "
                            "several times; give a file\n");
            free(files);
            return EXIT_USAGE;
        }
    if (o.help) {
        usage(stdout);
        rc = 0;
    } else if (o.album_mode) {
        rc = n_files && o.out
                 ? do_album(&o, files, n_files)
                 : (fprintf(stderr, "objmaster: album mode needs inputs and -o DIR\n"), EXIT_USAGE);
    } else if (o.measure) {
        rc = n_files ? do_measure(&o, files, n_files) : (usage(stderr), EXIT_USAGE);
    } else if (n_files != 1 || !o.out) {
        fprintf(stderr, "objmaster: master mode needs one input and -o OUT (see --help)\n");
        rc = EXIT_USAGE;
    } else {
        rc = do_master(&o, files[0]);
    }
    free(files);
    return rc;
}
