/* SPDX-License-Identifier: BSD-3-Clause */
/* objrender: render an ADM BWF or a mix.xml with stems to loudspeaker layouts (ITU-R
 * BS.2127-1), one WAV per layout from one pass over the input. A thin layer over
 * include/objrender/objr_render.h; --help comes from the option table that parses. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "objrender/objr.h"
#include "objrender/objr_render.h"
#include "tool_codec.h"
#include "tool_common.h"
#include "tool_json.h"
#include "tool_levels.h"
#include "tool_options.h"
#include "tool_progress.h"

#define MAX_LAYOUTS OBJR_RENDER_MAX_LAYOUTS
#define PATH_SIZE 4096

/* The option table (tool_options.h): parses, checks and generates --help. */
enum {
    O_LAYOUT,
    O_HRTF,
    O_BINAURAL_MODE,
    O_HRTF_EQ,
    O_BINAURAL_CEILING,
    O_START,
    O_DURATION,
    O_GAIN,
    O_IMPORTANCE,
    O_FORMAT,
    O_SAMPLE_FORMAT,
    O_BITS,
    O_PROGRAMME,
    O_PRESET,
    O_MASTER,
    O_LUFS,
    O_TP,
    O_LIMITER_STYLE,
    O_ADM_MASTER,
    O_LIST_LAYOUTS,
    O_FAIL_ON_OVERLOAD,
    O_STRICT,
    O_FPS,
    O_REPAIR_NONFINITE,
    O_ALLOW_EXTERNAL_STEMS,
    O_SPATIAL_CODING,
    O_CODEC_CHECK,
    O_CODEC_KBPS,
    O_CODEC_SAFE,
    O_MASTER_HTML,
    N_OPTIONS
};

static const tool_option options[N_OPTIONS] = {
    [O_CODEC_CHECK] = TOOL_OPTION_CODEC_CHECK,
    [O_CODEC_KBPS] = TOOL_OPTION_CODEC_KBPS,
    [O_CODEC_SAFE] = TOOL_OPTION_CODEC_SAFE,
    [O_MASTER_HTML] = TOOL_OPTION_MASTER_HTML,
    [O_LAYOUT] = {"layout", 'l', TOOL_STRING, "NAME[,NAME...]", NULL, 0, 0, NULL, NULL,
                  "(required) layouts to render (BS.2051 name, common name, custom layout file, or "
                  "binaural; objrender --list-layouts shows the names)",
                  0, 0, NULL, 0, NULL},
    [O_HRTF] = TOOL_OPTION_HRTF,
    [O_BINAURAL_MODE] = TOOL_OPTION_BINAURAL_MODE,
    [O_HRTF_EQ] = TOOL_OPTION_HRTF_EQ,
    [O_BINAURAL_CEILING] = {"binaural-ceiling", 0, TOOL_STRING, "dBTP|off", "-1", 0, 0, NULL,
                            "dBTP",
                            "true-peak ceiling of the binaural output's safety limiter (-20..0), "
                            "or off (README \"Binaural levels\")",
                            0, 0, NULL, 0, NULL},
    [O_START] = {"start", 0, TOOL_STRING, "T", "0", 0, 0, NULL, "s",
                 "start of the range to render (s, or a session timecode hh:mm:ss.fff, or "
                 "hh:mm:ss:ff with --fps: a programme written at 01:00:00 starts at 01:00:00)",
                 0, 0, NULL, 0, NULL},
    [O_DURATION] = {"duration", 0, TOOL_STRING, "T", "to the end", 0, 0, NULL, "s",
                    "length of the range to render (as --start)", 0, 0, NULL, 0, NULL},
    [O_FPS] = {"fps", 0, TOOL_NUMBER, "RATE", "none", 1.0, 240.0, NULL, NULL,
               "frame rate of hh:mm:ss:ff timecodes in --start/--duration (29.97 = 30000/1001)", 0,
               0, NULL, 0, NULL},
    [O_STRICT] = {"strict", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                  "refuse the ADM deviations that are otherwise fixed (exporter rounding of "
                  "block times, missing types, out-of-range values...)",
                  0, 0, NULL, 0, NULL},
    [O_GAIN] = {"gain", 'g', TOOL_NUMBER, "dB", "0", -120.0, 40.0, NULL, "dB", "global gain", 0, 0,
                NULL, 0, NULL},
    [O_IMPORTANCE] = {"importance", 0, TOOL_INT, "N", "0", 0, 10, NULL, NULL,
                      "drop objects, packs and blocks below N", 0, 0, NULL, 0, NULL},
    [O_FORMAT] = TOOL_OPTION_FORMAT_LEGACY("f32,s24,s16", O_SAMPLE_FORMAT),
    [O_SAMPLE_FORMAT] = TOOL_OPTION_SAMPLE_FORMAT("f32"),
    [O_BITS] = TOOL_OPTION_BITS("32"),
    [O_PROGRAMME] = {"programme", 'p', TOOL_STRING, "ID", "the first", 0, 0, NULL, NULL,
                     "audioProgramme to render (APR_xxxx)", 0, 0, NULL, 0, NULL},
    [O_PRESET] = TOOL_OPTION_PRESET("none: no mastering"),
    [O_MASTER] = {"master", 'm', TOOL_ALIAS, NULL, NULL, 0, 0, NULL, NULL, NULL, O_PRESET, 0, NULL,
                  0, NULL},
    [O_LUFS] = TOOL_OPTION_LUFS("the preset's; alone: ebu-r128's ceiling"),
    [O_TP] = TOOL_OPTION_TP("the preset's"),
    [O_LIMITER_STYLE] = TOOL_OPTION_LIMITER_STYLE,
    [O_ADM_MASTER] = {"adm-master", 0, TOOL_STRING, "OUT", "off", 0, 0, NULL, NULL,
                      "master the ADM BWF itself into OUT (needs --preset/--lufs, no --layout; "
                      "see below)",
                      0, 0, NULL, 0, NULL},
    [O_FAIL_ON_OVERLOAD] = {"fail-on-overload", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                            "a render with samples that clip (integer output) or exceed 0 dBFS "
                            "(float) is an error (exit 3) and writes no file",
                            0, 0, NULL, 0, NULL},
    [O_REPAIR_NONFINITE] = TOOL_OPTION_REPAIR_NONFINITE,
    [O_ALLOW_EXTERNAL_STEMS] = TOOL_OPTION_ALLOW_EXTERNAL_STEMS,
    [O_SPATIAL_CODING] = {"spatial-coding", 0, TOOL_INT, "N", "off", 1, 64, NULL, NULL,
                          "render the scene reduced to N elements as streaming delivery does "
                          "(usually 12, 14 or 16; the LFE counts as one; loudspeaker layouts)",
                          0, 0, NULL, 0, NULL},
    [O_LIST_LAYOUTS] = {"list-layouts", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                        "list the known layouts and exit", 0, 0, NULL, 0, NULL},
};

static const tool_cli cli = {
    .prog = "objrender",
    .synopsis = "Usage: objrender INPUT --layout NAME[,NAME...] [options]\n"
                "       objrender ADM.wav --preset PRESET --adm-master OUT.wav",
    .description =
        "Render an ADM BWF (.wav with chna+axml) or an ADM XML document whose tracks point at\n"
        "stem files (mix.xml) to loudspeaker layouts, as ITU-R BS.2127 specifies. One WAV\n"
        "(WAVE_FORMAT_EXTENSIBLE, channel mask, RF64 past 4 GiB) per layout, from one read.",
    .options = options,
    .n_options = N_OPTIONS,
    .output_arg = "OUT",
    .output_help = "output file; with several layouts a directory or a pattern containing "
                   "{layout}",
    .output_def = "INPUTDIR/NAME.LAYOUT.wav",
    .epilogue =
        "Output names: without -o, INPUTDIR/INPUTNAME.LAYOUT.wav (mix.xml -> mix.7.1.4.wav).\n"
        "With several layouts, -o is a directory (existing, or ending in '/') or a pattern\n"
        "with {layout}, e.g. -o out/song.{layout}.wav.\n"
        "\n"
        "Mastering: --preset PRESET (or --master PRESET) renders each layout, then masters it\n"
        "(BS.1770 loudness, true-peak limiter, dither to the sample format) into the output\n"
        "name; the JSON summary gets the before/after figures. --lufs sets an exact custom\n"
        "target, --tp a custom ceiling. The atmos-music preset is at most -18 LKFS / -1 dBTP\n"
        "on the 5.1 re-render.\n"
        "--adm-master OUT masters the ADM BWF itself (a mix.xml must be packed first with\n"
        "admtool pack): one gain and one limiter envelope applied to every track so that the\n"
        "7.1.4, 5.1, 2.0 and binaural (--hrtf and --binaural-mode, as for --layout binaural)\n"
        "re-renders meet the target; OUT carries the same chna and an axml whose\n"
        "audioProgramme has loudnessMetadata measured on OUT's re-renders.\n",
};

/* One run: the parsed command line and everything the stages hand on. */
typedef struct job {
    tool_args a;
    const char *input;
    objr_render_file_options o;
    objr_master_config mc;
    int mastering;
    int binaural_mode, diffuse_eq;
    char layout_buf[PATH_SIZE];
    const char *layouts[MAX_LAYOUTS];
    size_t n_layouts;
    char outs[MAX_LAYOUTS][PATH_SIZE];     /* final names */
    char tmp_outs[MAX_LAYOUTS][PATH_SIZE]; /* mastering: the unmastered renders */
    const char *out_ptrs[MAX_LAYOUTS];     /* what the render writes */
    int file_format[MAX_LAYOUTS];          /* TOOL_FF_* of each output */
    objr_render_summary summary;
    objr_master_report mreps[MAX_LAYOUTS];
    int basis_set; /* atmos-music: the 5.1 re-render measured before rendering */
    double basis_lufs, basis_gain_db;
    tool_progress progress;
} job;

static int usage_error(const char *fmt, const char *a) {
    fprintf(stderr, "objrender: ");
    fprintf(stderr, fmt, a);
    fprintf(stderr, " (objrender --help)\n");
    return EXIT_USAGE;
}

/* For a layout with exactly two height speakers (x.y.2): where they are. */
static void list_heights(const objr_layout *l) {
    const char *h[2];
    size_t n = 0;
    objr_speaker_info si[64];
    for (size_t c = 0; c < objr_layout_n_channels(l) && c < 64; c++)
        if (objr_layout_channel_info(l, c, &si[c]) == OBJR_OK && si[c].label[0] == 'U') {
            if (n < 2)
                h[n] = si[c].label;
            n++;
        }
    if (n != 2)
        return;
    int top_middle = strcmp(h[0] + 1, "+090") == 0 || strcmp(h[0] + 1, "-090") == 0;
    printf("  [heights %s/%s: %s]", h[0], h[1],
           top_middle ? "top middle, as Dolby's x.y.2" : "front, as BS.2051");
}

static void list_layouts(void) {
    size_t n = objr_layout_known_count();
    for (size_t i = 0; i < n; i++) {
        const char *name = objr_layout_known_name(i);
        objr_layout *l = NULL;
        if (objr_layout_from_name(name, &l) != OBJR_OK)
            continue;
        const char *cn = objr_layout_common_name(l);
        const char *al = objr_layout_known_aliases(i);
        printf("%-11s %-11s", name, cn && cn[0] ? cn : "");
        printf(" %2zu ch:", objr_layout_n_channels(l));
        for (size_t c = 0; c < objr_layout_n_channels(l); c++) {
            objr_speaker_info si;
            if (objr_layout_channel_info(l, c, &si) == OBJR_OK)
                printf(" %s", si.label);
        }
        if (al && al[0])
            printf("  (aliases: %s)", al);
        list_heights(l);
        printf("\n");
        objr_layout_destroy(l);
    }
    printf("binaural    binaural     2 ch: left and right ear (aliases: headphones)\n"
           "Also accepted: digits only (714), a trailing .0 (7.1.4.0), any case, spaces around.\n"
           "x.y.2: 5.1.2 is BS.2051 System C (heights U+030/U-030, front); 5.1.2-dolby and\n"
           "7.1.2 use Dolby's top-middle pair (U+090/U-090).\n"
           "A custom layout file is recognised by its form: a path with '/' or a name ending\n"
           "in .txt or .layout (see layouts/README.md).\n");
}

/* "dir/name.ext" -> "dir/" and "name". */
static void split_input(const char *in, char *dir, size_t dir_size, char *base, size_t base_size) {
    const char *slash = strrchr(in, '/');
    const char *file = slash ? slash + 1 : in;
    if (slash)
        snprintf(dir, dir_size, "%.*s/", (int)(slash - in), in);
    else
        dir[0] = 0;
    snprintf(base, base_size, "%s", file);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = 0;
}

/* Name used in output file names: the typed layout name, or a layout file's base name. */
static void layout_tag(const char *layout, char *out, size_t size) {
    char d[PATH_SIZE];
    if (objr_layout_name_is_path(layout))
        split_input(layout, d, sizeof d, out, size);
    else
        snprintf(out, size, "%s", layout);
}

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int replace_tag(const char *pattern, const char *tag, char *out, size_t size) {
    const char *p = strstr(pattern, "{layout}");
    if (!p)
        return snprintf(out, size, "%s", pattern) < (int)size;
    return snprintf(out, size, "%.*s%s%s", (int)(p - pattern), pattern, tag, p + 8) < (int)size;
}

/* The output's folder, or the nearest existing folder above it (missing ones are created),
 * is writable; stdout and devices need no folder. */
static int output_dir_writable(const char *path) {
    struct stat st;
    if (strcmp(path, "-") == 0 || (stat(path, &st) == 0 && S_ISCHR(st.st_mode)))
        return 1;
    char d[PATH_SIZE];
    snprintf(d, sizeof d, "%s", path);
    for (;;) {
        char *slash = strrchr(d, '/');
        if (!slash)
            return access(".", W_OK) == 0;
        if (slash == d)
            slash[1] = 0;
        else
            *slash = 0;
        if (access(d, F_OK) == 0 || slash == d)
            return access(d, W_OK) == 0;
    }
}

/* --master: the masters of all layouts, put in place together (objr_outfile.h); the
 * unmastered renders are its scratch files (removed at exit and on a signal). */
static objr_outset *g_run;

static void run_cleanup(void) {
    objr_outset_destroy(g_run);
    g_run = NULL;
}

/* Library warnings: one line each, after clearing the progress line (user: the
 * tool_progress). */
static void warning_cb(void *user, const char *message) {
    if (user)
        tool_progress_clear(user);
    fprintf(stderr, "objrender: warning: %s\n", message);
}

static void json_string(const char *s) {
    objr_json_write_string(stdout, s);
}

static void json_num(const char *key, double v, const char *sep) {
    printf("\"%s\": ", key);
    if (isfinite(v))
        printf("%.2f", v);
    else
        printf("null");
    printf("%s", sep);
}

static void json_loudness(const char *key, const objr_loudness_result *r, const char *sep) {
    printf("\"%s\": {", key);
    json_num("integrated_lufs", r->integrated_lufs, ", ");
    json_num("range_lu", r->range_lu, ", ");
    json_num("momentary_max_lufs", r->momentary_max_lufs, ", ");
    json_num("short_term_max_lufs", r->short_term_max_lufs, ", ");
    json_num("sample_peak_dbfs", r->sample_peak_dbfs, ", ");
    json_num("true_peak_dbtp", r->true_peak_dbtp, "");
    printf("}%s", sep);
}

static void json_master_report(const objr_master_report *m, objr_limiter_style style) {
    printf(",\n     \"master\": {");
    json_loudness("before", &m->before, ", ");
    json_loudness("after", &m->after, ", ");
    json_num("gain_db", m->gain_db, ", ");
    json_num("limiter_max_reduction_db", m->limiter.max_reduction_db, ", ");
    printf("\"limiter_active_fraction\": %.4f, \"gain_reduction\": ", m->limiter.active_fraction);
    tool_json_gain_reduction(stdout, objr_limiter_style_name(style), m->limiter.max_reduction_db,
                             m->limiter.over_1db_fraction, m->gr_history_db, m->n_gr_points,
                             m->gr_point_seconds);
    printf(", \"passes\": %u, \"loudness_ok\": %s, \"true_peak_ok\": %s}", m->passes,
           m->loudness_ok ? "true" : "false", m->true_peak_ok ? "true" : "false");
    if (m->codec.n_results) {
        printf(",\n     \"codec_check\": ");
        tool_codec_json(stdout, &m->codec);
    }
}

/* ADM findings of the render, one per kind (printed once each; carried in --json). */
#define MAX_FINDINGS 64
typedef struct finding_copy {
    int severity;
    char kind[48], first_id[64], text[400];
    size_t count;
    long line;
    double max_value;
} finding_copy;
static finding_copy g_findings[MAX_FINDINGS];
static size_t g_n_findings;
static int g_verbose, g_findings_quiet;
static const char *g_input;

static void finding_cb(void *user, const objr_adm_finding *f) {
    (void)user;
    if (f->severity == OBJR_ADM_ERROR)
        return; /* the error line says it */
    if (g_n_findings < MAX_FINDINGS) {
        finding_copy *c = &g_findings[g_n_findings++];
        c->severity = f->severity;
        snprintf(c->kind, sizeof c->kind, "%s", f->kind);
        snprintf(c->first_id, sizeof c->first_id, "%s", f->first_id);
        snprintf(c->text, sizeof c->text, "%s", f->text);
        c->count = f->count;
        c->line = f->first_line;
        c->max_value = f->max_value;
    }
    if (!g_findings_quiet && (f->severity == OBJR_ADM_FIXED || g_verbose))
        fprintf(stderr, "objrender: %s: %s%s\n", g_input,
                f->severity == OBJR_ADM_NOTE ? "note: " : "", f->text);
}

static void json_findings(void) {
    printf(",\n  \"warnings\": [");
    for (size_t i = 0; i < g_n_findings; i++) {
        const finding_copy *c = &g_findings[i];
        printf("%s\n    {\"kind\": ", i ? "," : "");
        json_string(c->kind);
        printf(", \"severity\": \"%s\", \"count\": %zu, \"first_id\": ",
               c->severity == OBJR_ADM_NOTE ? "note" : "fixed", c->count);
        json_string(c->first_id);
        printf(", \"line\": %ld, ", c->line);
        if (c->max_value >= 0)
            printf("\"max_value\": %.9g, ", c->max_value);
        printf("\"text\": ");
        json_string(c->text);
        printf("}");
    }
    printf("%s]", g_n_findings ? "\n  " : "");
}

static void print_json(const job *j) {
    const objr_render_summary *s = &j->summary;
    printf("{\n  \"input\": ");
    json_string(j->input);
    printf(",\n  \"sample_rate_hz\": %u,\n  \"frames\": %llu,\n  \"duration_s\": %.6f,\n",
           (unsigned)s->sample_rate_hz, (unsigned long long)s->n_frames, s->duration_s);
    printf("  \"inputs\": %u,\n  \"items\": {\"Objects\": %u, \"DirectSpeakers\": %u, "
           "\"HOA\": %u, \"dropped_importance\": %u},\n  \"outputs\": [\n",
           (unsigned)s->n_inputs, (unsigned)s->n_objects_items,
           (unsigned)s->n_direct_speakers_items, (unsigned)s->n_hoa_items,
           (unsigned)s->n_dropped_importance);
    for (size_t l = 0; l < s->n_layouts; l++) {
        const objr_render_layout_summary *ls = &s->layouts[l];
        printf("    {\"layout\": ");
        json_string(j->layouts[l]);
        printf(", \"name\": ");
        json_string(ls->name);
        printf(", \"common_name\": ");
        json_string(ls->common_name);
        printf(", \"file\": ");
        json_string(j->outs[l]);
        printf(", \"channels\": %u, \"channel_mask\": %u,\n     \"labels\": [",
               (unsigned)ls->n_channels, (unsigned)ls->channel_mask);
        for (uint32_t c = 0; c < ls->n_channels; c++) {
            printf(c ? ", " : "");
            json_string(ls->labels[c]);
        }
        printf("],\n     \"peak_dbfs\": [");
        for (uint32_t c = 0; c < ls->n_channels; c++) {
            if (isfinite(ls->peak_dbfs[c]))
                printf("%s%.2f", c ? ", " : "", ls->peak_dbfs[c]);
            else
                printf("%snull", c ? ", " : "");
        }
        printf("],\n     \"overloads\": [");
        for (uint32_t c = 0; c < ls->n_channels; c++)
            printf("%s%llu", c ? ", " : "", (unsigned long long)ls->n_overloads[c]);
        printf("], \"first_overload_s\": ");
        if (ls->first_overload_frame != UINT64_MAX && s->sample_rate_hz)
            printf("%.6f", (double)ls->first_overload_frame / s->sample_rate_hz);
        else
            printf("null");
        double tp[OBJR_RENDER_MAX_CHANNELS];
        if (tool_true_peaks(j->outs[l], tp, OBJR_RENDER_MAX_CHANNELS) == 0) {
            printf(",\n     \"true_peak_dbtp\": [");
            for (uint32_t c = 0; c < ls->n_channels; c++) {
                if (isfinite(tp[c]))
                    printf("%s%.2f", c ? ", " : "", tp[c]);
                else
                    printf("%snull", c ? ", " : "");
            }
            printf("]");
        }
        if (j->mastering)
            json_master_report(&j->mreps[l], j->mc.limiter_style);
        printf("}%s\n", l + 1 < s->n_layouts ? "," : "");
    }
    printf("  ]");
    json_findings();
    if (j->basis_set) {
        printf(",\n  \"master_basis\": {\"layout\": \"5.1\", ");
        json_num("integrated_lufs", j->basis_lufs, ", ");
        json_num("gain_db", j->basis_gain_db, "}");
    }
    if (s->binaural_limited) {
        printf(",\n  \"binaural_limiter\": {");
        json_num("ceiling_dbtp", j->o.renderer.binaural_ceiling_dbtp, ", ");
        json_num("max_reduction_db", s->binaural_limit_max_db, ", ");
        json_num("active_fraction", s->binaural_limit_active_fraction, "}");
    }
    if (s->spatial_coding_elements) {
        printf(",\n  \"spatial_coding\": {\"elements\": %u, ",
               (unsigned)s->spatial_coding_elements);
        json_num("mean_error_deg", s->spatial_mean_error_deg, ", ");
        json_num("max_error_deg", s->spatial_max_error_deg, ", ");
        printf("\"max_error_input\": %u, ", (unsigned)s->spatial_max_error_input);
        json_num("max_error_time_s", s->spatial_max_error_time_s, "}");
    }
    printf(",\n  \"dbmd_notes\": [");
    for (size_t k = 0; k < s->n_dbmd_notes; k++) {
        printf(k ? ", " : "");
        json_string(s->dbmd_notes[k]);
    }
    printf("]\n}\n");
}

/* --preset / --lufs / --tp into j->mc; j->mastering set when any is given. */
static int parse_master(job *j) {
    const tool_args *a = &j->a;
    objr_master_config *mc = &j->mc;
    const char *v;
    if ((v = a->v[O_PRESET].str)) {
        int rc = tool_preset(&cli, v, &mc->target);
        if (rc != EXIT_OK)
            return rc;
        j->mastering = 1;
    }
    if (tool_given(a, O_LUFS)) {
        if (!j->mastering)
            (void)objr_master_preset_get("ebu-r128", &mc->target);
        mc->target.kind = OBJR_TARGET_EXACT;
        mc->target.integrated_lufs = a->v[O_LUFS].num;
        snprintf(mc->target.name, sizeof mc->target.name, "custom");
        j->mastering = 1;
    }
    if (tool_given(a, O_TP)) {
        if (!j->mastering) {
            (void)objr_master_preset_get("ebu-r128", &mc->target);
            mc->target.kind = OBJR_TARGET_NONE;
        }
        mc->target.true_peak_dbtp = a->v[O_TP].num;
        snprintf(mc->target.name, sizeof mc->target.name, "custom");
        j->mastering = 1;
    }
    if (tool_given(a, O_LIMITER_STYLE))
        mc->limiter_style = (objr_limiter_style)a->v[O_LIMITER_STYLE].choice;
    if (a->v[O_CODEC_CHECK].str &&
        tool_codec_mask(&cli, a->v[O_CODEC_CHECK].str, &mc->codec_mask) != EXIT_OK)
        return EXIT_USAGE;
    mc->codec_safe = tool_given(a, O_CODEC_SAFE);
    if (mc->codec_safe && !mc->codec_mask)
        mc->codec_mask = OBJR_CODEC_BIT(OBJR_CODEC_MP3) | OBJR_CODEC_BIT(OBJR_CODEC_OPUS);
    if (tool_given(a, O_CODEC_KBPS))
        mc->codec_kbps = a->v[O_CODEC_KBPS].num;
    if (mc->codec_mask && !j->mastering)
        return usage_error("--codec-check/--codec-safe check a master: add --preset or --lufs%s",
                           "");
    if (tool_given(a, O_MASTER_HTML) && !j->mastering)
        return usage_error("--html is the mastering report: add --preset or --lufs%s", "");
    return EXIT_OK;
}

static void print_loudness_line(const char *what, const objr_loudness_result *r) {
    fprintf(stderr, "objrender:   %-7s %7.2f LUFS  %6.2f dBTP  LRA %5.2f LU\n", what,
            r->integrated_lufs, r->true_peak_dbtp, r->range_lu);
}

static const char *mode_name(int m) {
    for (int k = 0; tool_binaural_mode_values[k]; k++)
        if (tool_binaural_mode(k) == m)
            return tool_binaural_mode_values[k];
    return "?";
}

/* --adm-master: master the ADM BWF itself. */
static int run_adm_master(const job *j, const objr_master_config *mc, const char *out) {
    const tool_args *a = &j->a;
    if (access(j->input, R_OK) != 0) {
        fprintf(stderr, "objrender: %s: cannot read: %s\n", j->input, strerror(errno));
        return EXIT_INPUT;
    }
    if (!output_dir_writable(out)) {
        fprintf(stderr, "objrender: %s: output directory is not writable\n", out);
        return EXIT_OUTPUT;
    }
    int quiet = a->quiet;
    tool_progress prog;
    tool_progress_init(&prog, a);
    objr_progress pr = {"mastering the ADM (re-rendering 7.1.4, 5.1, 2.0, binaural)", -1, 0, 0};
    tool_progress_cb(&prog, &pr);
    objr_adm_master_report rep;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_master_adm_file(mc, a->v[O_PROGRAMME].str, j->input, out, &rep, &d);
    tool_progress_clear(&prog);
    if (st != OBJR_OK) {
        const char *msg = d.message[0] ? d.message : objr_strerror(st);
        if (strstr(msg, j->input) || strstr(msg, out))
            fprintf(stderr, "objrender: %s\n", msg);
        else
            fprintf(stderr, "objrender: %s: %s\n", j->input, msg);
        if (st == OBJR_ERR_INVALID_ARG && strstr(msg, "overwrite"))
            return EXIT_USAGE;
        if (rep.passes > 0 && !rep.true_peak_ok && st == OBJR_ERR_RANGE)
            return EXIT_NOT_MET; /* a re-render still over the ceiling: no file */
        return tool_exit_for_status(st, tool_msg_names(msg, out) && !tool_msg_names(msg, j->input));
    }
    if (a->json) {
        printf("{\n  \"input\": ");
        json_string(j->input);
        printf(",\n  \"adm_master\": ");
        json_string(out);
        printf(",\n  \"preset\": ");
        json_string(mc->target.name);
        printf(",\n  ");
        json_num("gain_db", rep.gain_db, ",\n  ");
        json_num("limiter_max_reduction_db", rep.max_reduction_db, ",\n  ");
        printf("\"limiter_active_fraction\": %.4f,\n  \"passes\": %u,\n  \"untouched\": %s,\n  ",
               rep.active_fraction, rep.passes, rep.untouched ? "true" : "false");
        json_num("integrated_lufs", rep.integrated_lufs, ",\n  ");
        json_num("max_true_peak_dbtp", rep.true_peak_dbtp, ",\n  ");
        printf("\"loudness_ok\": %s,\n  \"true_peak_ok\": %s,\n  \"hrtf\": ",
               rep.loudness_ok ? "true" : "false", rep.true_peak_ok ? "true" : "false");
        json_string(rep.hrtf_path);
        printf(",\n  \"binaural_mode\": ");
        json_string(mode_name(rep.binaural_mode));
        printf(",\n  \"renders\": [\n");
        for (size_t i = 0; i < rep.n_renders; i++) {
            printf("    {\"layout\": ");
            json_string(rep.layouts[i]);
            printf(", ");
            json_loudness("before", &rep.before[i], ", ");
            json_loudness("after", &rep.after[i], "");
            printf("}%s\n", i + 1 < rep.n_renders ? "," : "");
        }
        printf("  ]\n}\n");
    } else if (!quiet) {
        fprintf(stderr,
                "objrender: wrote %s (%s: gain %+.2f dB, limiter max %.2f dB on %.1f%% "
                "of the time%s)\n",
                out, mc->target.name, rep.gain_db, rep.max_reduction_db,
                100.0 * rep.active_fraction, rep.untouched ? ", samples unchanged" : "");
        for (size_t i = 0; i < rep.n_renders; i++) {
            char what[32];
            snprintf(what, sizeof what, "%s", rep.layouts[i]);
            print_loudness_line(what, &rep.after[i]);
        }
        fprintf(stderr, "objrender:   binaural re-render: HRTF %s, room mode %s\n", rep.hrtf_path,
                mode_name(rep.binaural_mode));
        for (size_t k = 0; k < rep.n_dbmd_notes; k++)
            fprintf(stderr, "objrender:   %s\n", rep.dbmd_notes[k]);
    }
    if (!rep.loudness_ok) {
        fprintf(stderr,
                "objrender: %s: written, but the 5.1 re-render measures %.2f LUFS: the %s "
                "loudness target is not met\n",
                out, rep.integrated_lufs, mc->target.name);
        return EXIT_NOT_MET;
    }
    return EXIT_OK;
}

/* The sample format from --sample-format / --bits (or the old --format f32|s24|s16). */
static int parse_sample_format(job *j) {
    const tool_args *a = &j->a;
    int sf = TOOL_SF_F32;
    if (tool_given(a, O_SAMPLE_FORMAT) && tool_given(a, O_BITS))
        return usage_error("give --sample-format or --bits, not both%s", "");
    if (tool_given(a, O_SAMPLE_FORMAT))
        sf = a->v[O_SAMPLE_FORMAT].choice;
    else if (tool_given(a, O_BITS))
        sf = a->v[O_BITS].choice == 0   ? TOOL_SF_S16
             : a->v[O_BITS].choice == 1 ? TOOL_SF_S24
                                        : TOOL_SF_F32;
    switch (sf) {
    case TOOL_SF_S16:
        j->o.format = OBJR_BWF_SAMPLE_PCM16;
        break;
    case TOOL_SF_S24:
        j->o.format = OBJR_BWF_SAMPLE_PCM24;
        break;
    case TOOL_SF_F32:
        j->o.format = OBJR_BWF_SAMPLE_FLOAT32;
        break;
    default:
        return usage_error("--sample-format %s: renders are s16, s24 or f32",
                           tool_sample_formats[sf]);
    }
    return EXIT_OK;
}

/* Stage 1: the command line into the render and master configurations. */
static int configure(job *j) {
    const tool_args *a = &j->a;
    int rc;
    j->o = objr_render_file_options_default();
    j->mc = objr_master_config_default();
    if ((rc = parse_master(j)) != EXIT_OK)
        return rc;
    j->binaural_mode =
        tool_given(a, O_BINAURAL_MODE) ? tool_binaural_mode(a->v[O_BINAURAL_MODE].choice) : 0;
    j->diffuse_eq = !tool_given(a, O_HRTF_EQ) || a->v[O_HRTF_EQ].choice == 0;
    if ((rc = parse_sample_format(j)) != EXIT_OK)
        return rc;
    j->o.fail_on_overload = tool_given(a, O_FAIL_ON_OVERLOAD);
    double fps = tool_given(a, O_FPS) ? a->v[O_FPS].num : 0.0;
    if (fps > 29.96 && fps < 29.98)
        fps = 30000.0 / 1001.0;
    else if (fps > 23.97 && fps < 23.98)
        fps = 24000.0 / 1001.0;
    if (tool_given(a, O_START) &&
        (j->o.start_s = tool_parse_time(a->v[O_START].str, fps, &j->o.start_is_timecode)) < 0)
        return usage_error("bad --start '%s' (seconds, hh:mm:ss.fff, or hh:mm:ss:ff with --fps)",
                           a->v[O_START].str);
    if (tool_given(a, O_DURATION) &&
        (j->o.duration_s = tool_parse_time(a->v[O_DURATION].str, fps, NULL)) < 0)
        return usage_error("bad --duration '%s' (seconds, hh:mm:ss.fff, or hh:mm:ss:ff with "
                           "--fps)",
                           a->v[O_DURATION].str);
    j->o.renderer.strict = tool_given(a, O_STRICT);
    j->o.renderer.on_finding = finding_cb;
    g_verbose = a->verbose;
    g_findings_quiet = a->json;
    g_input = j->input;
    j->o.repair_nonfinite = tool_given(a, O_REPAIR_NONFINITE);
    j->o.allow_external_stems = tool_given(a, O_ALLOW_EXTERNAL_STEMS);
    j->o.warning = warning_cb;
    if (tool_given(a, O_GAIN))
        j->o.renderer.gain_db = a->v[O_GAIN].num;
    if (tool_given(a, O_IMPORTANCE))
        j->o.renderer.importance_threshold = (int)a->v[O_IMPORTANCE].num;
    j->o.renderer.programme_id = a->v[O_PROGRAMME].str;
    j->o.renderer.hrtf_path = a->v[O_HRTF].str;
    j->o.renderer.binaural_mode = j->binaural_mode;
    j->o.renderer.binaural_diffuse_eq = j->diffuse_eq;
    const char *ceil_arg = a->v[O_BINAURAL_CEILING].str;
    if (j->mastering && tool_given(a, O_BINAURAL_CEILING))
        return usage_error("--binaural-ceiling does not apply with --master: mastering's own "
                           "limiter sets the true peak (--tp)%s",
                           "");
    if (j->mastering) {
        j->o.renderer.binaural_peak_limit = 0; /* mastering's limiter is the true-peak stage */
    } else if (tool_given(a, O_BINAURAL_CEILING) && strcmp(ceil_arg, "off") == 0) {
        j->o.renderer.binaural_peak_limit = 0;
    } else if (tool_given(a, O_BINAURAL_CEILING)) {
        char *end;
        double v = strtod(ceil_arg, &end);
        if (end == ceil_arg || *end || !(v >= -20.0 && v <= 0.0))
            return usage_error("bad --binaural-ceiling '%s' (dBTP from -20 to 0, or off)",
                               ceil_arg);
        j->o.renderer.binaural_ceiling_dbtp = v;
    }
    if (tool_given(a, O_SPATIAL_CODING))
        j->o.renderer.spatial_coding_elements = (size_t)a->v[O_SPATIAL_CODING].num;
    return EXIT_OK;
}

/* --adm-master: the options that do not apply, then the run. */
static int adm_master(job *j) {
    const tool_args *a = &j->a;
    if (!j->mastering)
        return usage_error("--adm-master needs --preset PRESET or --lufs/--tp%s", "");
    if (a->v[O_LAYOUT].str)
        return usage_error("--adm-master writes an ADM BWF: leave out --layout%s", "");
    if (a->output || tool_given(a, O_START) || tool_given(a, O_DURATION) || tool_given(a, O_GAIN) ||
        tool_given(a, O_SAMPLE_FORMAT) || tool_given(a, O_BITS) || tool_given(a, O_FORMAT) ||
        tool_given(a, O_IMPORTANCE))
        return usage_error("--adm-master masters the whole ADM: -o, --start, --duration, "
                           "--gain, --format, --sample-format and --importance do not apply%s",
                           "");
    j->mc.hrtf_path = a->v[O_HRTF].str;
    j->mc.binaural_mode = j->binaural_mode;
    j->mc.binaural_diffuse_eq = j->diffuse_eq;
    int rc = tool_check_hrtf("objrender", j->mc.hrtf_path);
    if (rc != EXIT_OK)
        return rc;
    return run_adm_master(j, &j->mc, a->v[O_ADM_MASTER].str);
}

/* Stage 2: split --layout and check each name before touching any file. */
static int check_layouts(job *j) {
    const char *layout_arg = j->a.v[O_LAYOUT].str;
    snprintf(j->layout_buf, sizeof j->layout_buf, "%s", layout_arg);
    j->n_layouts = 0;
    for (char *tok = strtok(j->layout_buf, ","); tok; tok = strtok(NULL, ",")) {
        if (j->n_layouts == MAX_LAYOUTS)
            return usage_error("more than 16 layouts in '%s'", layout_arg);
        j->layouts[j->n_layouts++] = tok;
    }
    if (j->n_layouts == 0)
        return usage_error("empty --layout '%s'", layout_arg);
    static char layout_names[MAX_LAYOUTS][64];
    for (size_t l = 0; l < j->n_layouts; l++) {
        const char *name = j->layouts[l];
        /* names first (as engineers type them: "714", " 7.1.4 ", "headphones"), then
         * custom layout files by their form ('/' or .txt/.layout) */
        if (objr_layout_resolve_name(name, layout_names[l], sizeof layout_names[l]) == OBJR_OK) {
            j->layouts[l] = layout_names[l];
            continue;
        }
        if (objr_layout_name_is_path(name)) {
            objr_layout *lay = NULL;
            objr_diag d;
            objr_diag_clear(&d);
            objr_status st = objr_layout_load_file(name, &lay, &d);
            if (st != OBJR_OK) {
                fprintf(stderr, "objrender: %s: %s\n", name,
                        d.message[0] ? d.message : objr_strerror(st));
                return EXIT_INPUT;
            }
            objr_layout_destroy(lay);
            continue;
        }
        char near[192], hint[256] = "";
        if (objr_layout_suggest(name, near, sizeof near))
            snprintf(hint, sizeof hint, ": did you mean %s?", near);
        fprintf(stderr,
                "objrender: unknown layout '%s'%s (--list-layouts shows the names; a custom "
                "layout file needs a '/' or the .txt extension: ./%s)\n",
                name, hint, name);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* One output name for layout @p l; 0 when too long. */
static int output_name(const job *j, size_t l, char *out) {
    char in_dir[PATH_SIZE], in_base[PATH_SIZE], tag[PATH_SIZE];
    split_input(j->input, in_dir, sizeof in_dir, in_base, sizeof in_base);
    layout_tag(j->layouts[l], tag, sizeof tag);
    const char *o_arg = j->a.output;
    const char *ext = tool_given(&j->a, O_FORMAT) ? j->a.v[O_FORMAT].str : "wav";
    if (!o_arg)
        return snprintf(out, PATH_SIZE, "%s%s.%s.%s", in_dir, in_base, tag, ext) < PATH_SIZE;
    size_t n = strlen(o_arg);
    if (is_dir(o_arg) || o_arg[n - 1] == '/')
        return snprintf(out, PATH_SIZE, "%s%s%s.%s.%s", o_arg, o_arg[n - 1] == '/' ? "" : "/",
                        in_base, tag, ext) < PATH_SIZE;
    return replace_tag(o_arg, tag, out, PATH_SIZE);
}

/* --html: a page path that is the input, a master, or cannot be written is refused before
 * any work (one line). */
static int html_precheck(job *j) {
    const char *html = j->a.v[O_MASTER_HTML].str;
    if (!html)
        return EXIT_OK;
    for (size_t l = 0; l < j->n_layouts; l++)
        if (strcmp(html, j->outs[l]) == 0)
            return usage_error("--html %s: is also a master's path", html);
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_outset_add_input(g_run, j->input, &d);
    if (st == OBJR_OK)
        st = objr_outset_check(g_run, html, &d);
    if (st == OBJR_OK)
        return EXIT_OK;
    fprintf(stderr, "objrender: --html: %s\n", d.message[0] ? d.message : objr_strerror(st));
    return tool_exit_for_output(st);
}

/* --html: the page, an output of the run beside the masters (the unmastered renders are the
 * inputs: the page shows them after the static gain). */
static int master_html(const job *j, const objr_master_config *mcs) {
    objr_master_delivery dl[MAX_LAYOUTS];
    char what[MAX_LAYOUTS][80];
    for (size_t l = 0; l < j->n_layouts; l++) {
        snprintf(what[l], sizeof what[l], "the %s render", j->layouts[l]);
        dl[l] = (objr_master_delivery){j->layouts[l], j->tmp_outs[l], j->outs[l],
                                       &mcs[l],       &j->mreps[l],   what[l]};
    }
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st =
        objr_master_report_write_html(g_run, j->a.v[O_MASTER_HTML].str, dl, j->n_layouts, NULL, &d);
    if (st == OBJR_OK)
        return EXIT_OK;
    fprintf(stderr, "objrender: --html: %s\n", d.message[0] ? d.message : objr_strerror(st));
    return st == OBJR_ERR_CONFLICT ? EXIT_USAGE : EXIT_OUTPUT;
}

/* Stage 3: the output names, each checked against the others, the input and its folder. */
static int plan_outputs(job *j) {
    const char *o_arg = j->a.output;
    int o_is_dir = o_arg && (is_dir(o_arg) || o_arg[strlen(o_arg) - 1] == '/');
    if (o_arg && strcmp(o_arg, "-") == 0) {
        if (j->n_layouts > 1)
            return usage_error("-o -: stdout carries one render, and %s asks for several",
                               j->a.v[O_LAYOUT].str);
        if (j->mastering)
            return usage_error("-o -: a master is measured after it is written; write it to a "
                               "file%s",
                               "");
        if (j->a.json)
            return usage_error("-o -: stdout carries the audio; --json cannot share it%s", "");
    }
    if (j->mastering) {
        if (objr_outset_create(&g_run) != OBJR_OK)
            return EXIT_INTERNAL;
        atexit(run_cleanup);
    }
    if (o_arg && j->n_layouts > 1 && !o_is_dir && !strstr(o_arg, "{layout}"))
        return usage_error("with several layouts, -o '%s' must be a directory or contain "
                           "{layout}",
                           o_arg);
    for (size_t l = 0; l < j->n_layouts; l++) {
        char *out = j->outs[l];
        if (!output_name(j, l, out))
            return usage_error("output path too long for layout '%s'", j->layouts[l]);
        for (size_t k = 0; k < l; k++)
            if (strcmp(j->outs[k], out) == 0)
                return usage_error("two layouts would write the same file '%s'", out);
        /* renders are WAV; a mastered output may be any format the master writes */
        unsigned writable = TOOL_FF_BIT(TOOL_FF_WAV) | TOOL_FF_BIT(TOOL_FF_RF64) |
                            TOOL_FF_BIT(TOOL_FF_FLAC) | TOOL_FF_BIT(TOOL_FF_MP3) |
                            TOOL_FF_BIT(TOOL_FF_OPUS) | TOOL_FF_BIT(TOOL_FF_CAF);
        int *ff = &j->file_format[l];
        int rc = tool_output_format(
            &cli, out, tool_given(&j->a, O_FORMAT) ? j->a.v[O_FORMAT].choice : -1, writable, ff);
        if (rc != EXIT_OK)
            return rc;
        if (!j->mastering && *ff != TOOL_FF_WAV && *ff != TOOL_FF_RF64)
            return usage_error("%s: renders are written as WAV (RF64 past 4 GiB); .flac, .mp3, "
                               ".opus and .caf are written when mastering (--preset)",
                               out);
        struct stat si, so;
        if (strcmp(out, j->input) == 0 || (stat(j->input, &si) == 0 && stat(out, &so) == 0 &&
                                           si.st_dev == so.st_dev && si.st_ino == so.st_ino))
            return usage_error("output '%s' would overwrite the input", out);
        if (!output_dir_writable(out)) {
            fprintf(stderr, "objrender: %s: output directory is not writable\n", out);
            return EXIT_OUTPUT;
        }
        j->out_ptrs[l] = out;
        /* Mastering: render float to a temporary name next to each output, master it into
         * place. */
        if (j->mastering) {
            if (snprintf(j->tmp_outs[l], PATH_SIZE, "%s.tmp-unmastered-%ld.wav", out,
                         (long)getpid()) >= PATH_SIZE)
                return usage_error("output path too long for layout '%s'", j->layouts[l]);
            if (objr_outset_add_scratch(g_run, j->tmp_outs[l]) != OBJR_OK)
                return EXIT_INTERNAL;
            j->out_ptrs[l] = j->tmp_outs[l];
        }
    }
    int hrc = j->mastering ? html_precheck(j) : EXIT_OK;
    if (hrc != EXIT_OK)
        return hrc;
    if (j->mastering) {
        j->mc.bit_depth = j->o.format == OBJR_BWF_SAMPLE_PCM16   ? 16
                          : j->o.format == OBJR_BWF_SAMPLE_PCM24 ? 24
                                                                 : 32;
        j->o.format = OBJR_BWF_SAMPLE_FLOAT32;
        j->o.fail_on_overload = 0; /* the master's limiter holds the ceiling */
    }
    return EXIT_OK;
}

/* Stage 4 (atmos-music only): the preset is measured on the 5.1 re-render whatever the
 * layouts: render 5.1 first, turn the whole render down by what it needs, then hold each
 * layout under the ceiling. */
static int master_basis(job *j) {
    objr_master_config *mc = &j->mc;
    j->basis_set = j->mastering && strcmp(mc->target.name, "atmos-music") == 0 &&
                   mc->target.kind != OBJR_TARGET_NONE;
    if (!j->basis_set)
        return EXIT_OK;
    static char basis_path[PATH_SIZE];
    if (snprintf(basis_path, PATH_SIZE, "%s.tmp-basis-%ld.wav", j->outs[0], (long)getpid()) >=
        PATH_SIZE)
        return usage_error("output path too long: '%s'", j->outs[0]);
    if (objr_outset_add_scratch(g_run, basis_path) != OBJR_OK)
        return EXIT_INTERNAL;
    static const char *const l51[1] = {"5.1"};
    const char *bp[1] = {basis_path};
    objr_render_file_options ob = j->o;
    ob.progress = NULL;
    ob.renderer.on_finding = NULL; /* reported once, by the render itself */
    ob.on_progress = tool_progress_cb;
    ob.on_progress_user = &j->progress;
    tool_progress_prefix(&j->progress, "5.1 basis: ");
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_render_file(j->input, l51, 1, bp, &ob, NULL, &d);
    objr_loudness_result br;
    if (st == OBJR_OK)
        st = objr_master_measure_file(basis_path, NULL, 0, &br, NULL, NULL, &d);
    remove(basis_path);
    tool_progress_clear(&j->progress);
    tool_progress_prefix(&j->progress, NULL);
    if (st != OBJR_OK) {
        fprintf(stderr, "objrender: %s: 5.1 basis for %s: %s\n", j->input, mc->target.name,
                d.message[0] ? d.message : objr_strerror(st));
        return st == OBJR_ERR_NOMEM ? EXIT_INTERNAL : EXIT_INPUT;
    }
    j->basis_lufs = br.integrated_lufs;
    j->basis_gain_db = 0.0;
    if (isfinite(j->basis_lufs) &&
        (mc->target.kind == OBJR_TARGET_EXACT || j->basis_lufs > mc->target.integrated_lufs))
        j->basis_gain_db = mc->target.integrated_lufs - j->basis_lufs;
    j->o.renderer.gain_db += j->basis_gain_db;
    mc->target.kind = OBJR_TARGET_NONE; /* each layout: the ceiling only */
    return EXIT_OK;
}

/* A failed render: one line naming the file, and its exit status. */
static int render_failed(const job *j, objr_status st, const objr_diag *d) {
    const char *msg = d->message[0] ? d->message : objr_strerror(st);
    int is_output = 0;
    for (size_t l = 0; l < j->n_layouts; l++)
        if (strstr(msg, j->outs[l]))
            is_output = 1;
    /* Messages from the readers name the file already; add it when they do not. */
    if (strstr(msg, j->input) || is_output)
        fprintf(stderr, "objrender: %s", msg);
    else
        fprintf(stderr, "objrender: %s: %s", j->input, msg);
    if (d->element_id[0] && !strstr(msg, d->element_id))
        fprintf(stderr, " (%s)", d->element_id);
    if (d->line > 0 && !strstr(msg, "line"))
        fprintf(stderr, " at line %ld", d->line);
    fprintf(stderr, "\n");
    if (is_output)
        return st == OBJR_ERR_CONFLICT ? EXIT_USAGE : EXIT_OUTPUT;
    if (st == OBJR_ERR_NOMEM || st == OBJR_ERR_INTERNAL)
        return EXIT_INTERNAL;
    if (st == OBJR_ERR_LAYOUT && !strchr(msg, ':'))
        return EXIT_USAGE;
    return EXIT_INPUT;
}

/* Stage 5: the one-pass render of every layout. */
static int render(job *j) {
    j->o.on_progress = tool_progress_cb;
    j->o.on_progress_user = &j->progress;
    j->o.warning_user = &j->progress;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st =
        objr_render_file(j->input, j->layouts, j->n_layouts, j->out_ptrs, &j->o, &j->summary, &d);
    tool_progress_clear(&j->progress);
    return st == OBJR_OK ? EXIT_OK : render_failed(j, st, &d);
}

/* Stage 6 (mastering): each render mastered into its final name. */
static int master_outputs(job *j) {
    objr_master_config mcs[MAX_LAYOUTS]; /* each layout's, for the --html page */
    const char *html = j->a.v[O_MASTER_HTML].str;
    for (size_t l = 0; l < j->n_layouts; l++) {
        char prefix[96];
        snprintf(prefix, sizeof prefix, "%s to %s: ", j->layouts[l], j->mc.target.name);
        tool_progress_prefix(&j->progress, prefix);
        objr_diag d;
        objr_diag_clear(&d);
        int ff = j->file_format[l];
        objr_master_config mc = j->mc;
        mc.format = tool_master_format(ff);
        /* FLAC and MP3 hold integers: 24-bit unless a sample format was asked for */
        if (mc.format != OBJR_MASTER_WAV && mc.bit_depth == 32 &&
            !tool_given(&j->a, O_SAMPLE_FORMAT) && !tool_given(&j->a, O_BITS))
            mc.bit_depth = 24;
        mc.on_progress = tool_progress_cb;
        mc.on_progress_user = &j->progress;
        objr_status st =
            objr_master_file_in(g_run, &mc, j->tmp_outs[l], j->outs[l], &j->mreps[l], &d);
        mcs[l] = mc;
        if (!html) /* else read once more for the page; scratch files of the run */
            remove(j->tmp_outs[l]);
        tool_progress_clear(&j->progress);
        if (st != OBJR_OK) {
            fprintf(stderr, "objrender: %s: mastering to %s failed: %s\n", j->outs[l],
                    j->mc.target.name, d.message[0] ? d.message : objr_strerror(st));
            /* Nothing was put in place: run_cleanup drops every master and scratch. */
            const objr_master_report *m = &j->mreps[l];
            if (m->unreachable || (m->passes > 0 && !m->true_peak_ok && st == OBJR_ERR_RANGE))
                return EXIT_NOT_MET;
            size_t on = strlen(j->outs[l]); /* "OUT: ..." is about the output itself */
            int out_side = st == OBJR_ERR_IO ||
                           (strncmp(d.message, j->outs[l], on) == 0 && d.message[on] == ':');
            return st == OBJR_ERR_CONFLICT ? EXIT_USAGE : tool_exit_for_status(st, out_side);
        }
    }
    int hrc = html ? master_html(j, mcs) : EXIT_OK;
    for (size_t l = 0; html && l < j->n_layouts; l++)
        remove(j->tmp_outs[l]);
    if (hrc != EXIT_OK)
        return hrc;
    objr_diag cd;
    objr_diag_clear(&cd);
    objr_status cst = objr_outset_commit(g_run, &cd);
    if (cst != OBJR_OK) {
        fprintf(stderr, "objrender: %s\n", cd.message[0] ? cd.message : objr_strerror(cst));
        return EXIT_OUTPUT;
    }
    tool_progress_prefix(&j->progress, NULL);
    if (j->basis_set && !j->a.quiet && !j->a.json)
        fprintf(stderr,
                "objrender: atmos-music basis: 5.1 re-render %.2f LKFS, render gain %+.2f dB\n",
                j->basis_lufs, j->basis_gain_db);
    return EXIT_OK;
}

/* Stage 7: the overload warnings, then the JSON or text summary. */
static void report(const job *j) {
    for (size_t l = 0; !j->mastering && l < j->n_layouts; l++)
        (void)tool_warn_overloads(&cli, j->outs[l], &j->summary.layouts[l],
                                  (double)j->summary.sample_rate_hz,
                                  j->o.format == OBJR_BWF_SAMPLE_FLOAT32);
    if (j->a.json) {
        print_json(j);
        return;
    }
    if (j->a.quiet)
        return;
    if (j->a.verbose)
        fprintf(stderr,
                "objrender: %s: %u tracks, items: %u Objects, %u DirectSpeakers, %u HOA (%u "
                "dropped by importance)\n",
                j->input, (unsigned)j->summary.n_inputs, (unsigned)j->summary.n_objects_items,
                (unsigned)j->summary.n_direct_speakers_items, (unsigned)j->summary.n_hoa_items,
                (unsigned)j->summary.n_dropped_importance);
    for (size_t k = 0; k < j->summary.n_dbmd_notes; k++)
        fprintf(stderr, "objrender: %s\n", j->summary.dbmd_notes[k]);
    if (j->summary.spatial_coding_elements)
        fprintf(stderr,
                "objrender: spatial coding %u elements: position error %.2f deg mean (energy "
                "weighted), %.2f deg max (input %u at %.2f s)\n",
                (unsigned)j->summary.spatial_coding_elements, j->summary.spatial_mean_error_deg,
                j->summary.spatial_max_error_deg, (unsigned)j->summary.spatial_max_error_input,
                j->summary.spatial_max_error_time_s);
    for (size_t l = 0; l < j->n_layouts; l++) {
        const objr_render_layout_summary *ls = &j->summary.layouts[l];
        fprintf(stderr, "objrender: wrote %s (%u ch, %.3f s)\n", j->outs[l],
                (unsigned)ls->n_channels, j->summary.duration_s);
        for (uint32_t c = 0; j->a.verbose && c < ls->n_channels; c++)
            fprintf(stderr, "objrender:   %-6s peak %7.2f dBFS, %llu over\n", ls->labels[c],
                    ls->peak_dbfs[c], (unsigned long long)ls->n_overloads[c]);
        if (j->summary.binaural_limited && strcmp(j->layouts[l], "binaural") == 0 &&
            j->summary.binaural_limit_max_db >= 0.01)
            fprintf(stderr,
                    "objrender:   binaural safety limiter (ceiling %.1f dBTP): up to %.2f dB on "
                    "%.2f%% of the audio (--binaural-ceiling off to render without it)\n",
                    j->o.renderer.binaural_ceiling_dbtp, j->summary.binaural_limit_max_db,
                    100.0 * j->summary.binaural_limit_active_fraction);
        if (j->mastering) {
            const objr_master_report *m = &j->mreps[l];
            fprintf(stderr, "objrender:   %s: gain %+.2f dB, limiter max %.2f dB\n",
                    j->mc.target.name, m->gain_db, m->limiter.max_reduction_db);
            print_loudness_line("before", &m->before);
            print_loudness_line("after", &m->after);
            if (m->codec.n_results)
                tool_codec_text(stderr, "objrender:   ", &m->codec);
        }
    }
}

/* Binaural options given when no binaural layout is asked for: one line. */
static void warn_unused_binaural(const job *j) {
    static const int opts_binaural[] = {O_HRTF, O_HRTF_EQ, O_BINAURAL_MODE, O_BINAURAL_CEILING};
    for (size_t l = 0; l < j->n_layouts; l++)
        if (strcmp(j->layouts[l], "binaural") == 0)
            return;
    for (size_t k = 0; k < sizeof opts_binaural / sizeof opts_binaural[0]; k++) {
        int o = opts_binaural[k];
        if (tool_given(&j->a, o))
            tool_warn(&cli, "--%s %s is not used: no binaural layout asked for (--layout binaural)",
                      options[o].name, j->a.v[o].str);
    }
}

/* The render pipeline: layouts -> output names -> (5.1 basis) -> render -> (master) -> report. */
static int run(job *j) {
    int rc;
    if (!j->a.v[O_LAYOUT].str)
        return usage_error("--layout is required%s", "");
    if ((rc = check_layouts(j)) != EXIT_OK)
        return rc;
    if (access(j->input, R_OK) != 0) {
        fprintf(stderr, "objrender: %s: cannot read: %s\n", j->input, strerror(errno));
        return EXIT_INPUT;
    }
    if ((rc = plan_outputs(j)) != EXIT_OK)
        return rc;
    warn_unused_binaural(j);
    for (size_t l = 0; l < j->n_layouts; l++)
        if (strcmp(j->layouts[l], "binaural") == 0 &&
            (rc = tool_check_hrtf("objrender", j->o.renderer.hrtf_path)) != EXIT_OK)
            return rc;
    if ((rc = master_basis(j)) != EXIT_OK || (rc = render(j)) != EXIT_OK)
        return rc;
    if (j->mastering && (rc = master_outputs(j)) != EXIT_OK)
        return rc;
    report(j);
    return EXIT_OK;
}

/* INPUT "-": a WAV or ADM XML on stdin, copied to an unnamed temporary file (stems of a
 * mix.xml: the working folder). */
static int stdin_input(job *j) {
    static char stdin_path[64];
    if (strcmp(j->input, "-") != 0)
        return EXIT_OK;
    if (!j->a.output && !j->a.v[O_ADM_MASTER].str)
        return usage_error("INPUT - (stdin) has no name to derive outputs from: give -o%s", "");
    FILE *copy; /* open until exit; it has no name on disk */
    objr_diag sd;
    objr_diag_clear(&sd);
    if (objr_input_spool_stdin(&copy, stdin_path, sizeof stdin_path, &sd) != OBJR_OK) {
        fprintf(stderr, "objrender: %s\n", sd.message);
        return EXIT_INPUT;
    }
    j->input = stdin_path;
    return EXIT_OK;
}

int main(int argc, char **argv) {
    static job j;
    int rc = tool_parse(&cli, argc, argv, &j.a);
    if (rc < 0)
        tool_progress_init(&j.progress, &j.a);
    if (rc < 0) {
        if (j.a.v[O_LIST_LAYOUTS].count) {
            list_layouts();
            rc = EXIT_OK;
        } else if (j.a.n_pos == 0) {
            rc = usage_error("no INPUT given%s", "");
        } else if (j.a.n_pos > 1) {
            rc = usage_error("more than one input: '%s'", j.a.pos[1]);
        } else {
            j.input = j.a.pos[0];
            objr_outfile_install_signal_cleanup();
            rc = stdin_input(&j);
            if (rc == EXIT_OK)
                rc = configure(&j);
            if (rc == EXIT_OK)
                rc = j.a.v[O_ADM_MASTER].str ? adm_master(&j) : run(&j);
        }
    }
    tool_args_free(&j.a);
    return rc;
}
