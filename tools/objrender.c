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
#include "tool_common.h"

#define MAX_LAYOUTS OBJR_RENDER_MAX_LAYOUTS
#define PATH_SIZE 4096

typedef enum opt_kind { OPT_FLAG, OPT_STRING, OPT_TIME, OPT_DB, OPT_INT } opt_kind;

typedef struct option_def {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 when none */
    opt_kind kind;
    const char *arg;   /* argument placeholder for --help */
    const char *def;   /* default, for --help */
    const char *range; /* allowed range or values, for --help */
    const char *unit;
    const char *help;
} option_def;

static const option_def options[] = {
    {"layout", 'l', OPT_STRING, "NAME[,NAME...]", "(required)", "see --list-layouts", "",
     "layouts to render (BS.2051 name, common name, custom layout file, or binaural)"},
    {"hrtf", 0, OPT_STRING, "FILE.sofa", "libmysofa default (MIT KEMAR)", "", "",
     "binaural (--layout binaural, the --adm-master re-render): SOFA HRTF set (any rate)"},
    {"binaural-mode", 0, OPT_STRING, "MODE", "mid", "dry|off|near|mid|far", "",
     "binaural (as --hrtf): room for objects without headphoneVirtualise (dry = anechoic)"},
    {"hrtf-eq", 0, OPT_STRING, "EQ", "diffuse", "diffuse|none", "",
     "binaural (as --hrtf): diffuse-field equalised HRTFs, or the set's own responses"},
    {"output", 'o', OPT_STRING, "OUT", "INPUTDIR/NAME.LAYOUT.wav", "", "",
     "output file; with several layouts a directory or a pattern containing {layout}"},
    {"start", 0, OPT_TIME, "T", "0", ">= 0", "s",
     "start of the range to render (s or hh:mm:ss.fff)"},
    {"duration", 0, OPT_TIME, "T", "to the end", ">= 0", "s", "length of the range to render"},
    {"gain", 'g', OPT_DB, "dB", "0", "-120..+40", "dB", "global gain"},
    {"importance", 0, OPT_INT, "N", "0", "0..10", "", "drop objects, packs and blocks below N"},
    {"format", 'f', OPT_STRING, "FMT", "f32", "f32|s24|s16", "", "output sample format"},
    {"programme", 'p', OPT_STRING, "ID", "first", "APR_xxxx", "", "audioProgramme to render"},
    {"master", 'm', OPT_STRING, "PRESET", "off",
     "atmos-music|streaming|apple-music|ebu-r128|atsc-a85", "",
     "master each render (or the ADM, see --adm-master) to a delivery preset"},
    {"lufs", 0, OPT_DB, "LUFS", "preset's", "-70..0", "LUFS",
     "custom exact integrated-loudness target (alone: ebu-r128 ceiling)"},
    {"tp", 0, OPT_DB, "dBTP", "preset's", "-20..0", "dBTP", "custom true-peak ceiling"},
    {"adm-master", 0, OPT_STRING, "OUT", "off", "", "",
     "master the ADM BWF itself into OUT (needs --master/--lufs, no --layout; see below)"},
    {"quiet", 'q', OPT_FLAG, NULL, "off", "", "", "no progress display"},
    {"json", 0, OPT_FLAG, NULL, "off", "", "", "print a JSON summary on stdout"},
    {"list-layouts", 0, OPT_FLAG, NULL, "", "", "", "list the known layouts and exit"},
    {"help", 'h', OPT_FLAG, NULL, "", "", "", "show this help and exit"},
    {"version", 'V', OPT_FLAG, NULL, "", "", "", "show the version and exit"},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

typedef struct args {
    const char *input;
    const char *value[N_OPTIONS]; /* string values as given; NULL when absent */
    int flag[N_OPTIONS];
} args;

static int opt_index(const char *name) {
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strcmp(options[i].name, name) == 0)
            return (int)i;
    return -1;
}

static void print_help(FILE *f) {
    fprintf(f, "Usage: objrender INPUT --layout NAME[,NAME...] [options]\n"
               "       objrender ADM.wav --master PRESET --adm-master OUT.wav\n\n"
               "Render an ADM BWF (.wav with chna+axml) or an ADM XML document whose tracks point "
               "at\nstem files (mix.xml) to loudspeaker layouts, as ITU-R BS.2127 specifies. "
               "One WAV\n(WAVE_FORMAT_EXTENSIBLE, channel mask, RF64 past 4 GiB) per layout, "
               "from one read.\n\nOptions:\n");
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const option_def *o = &options[i];
        char left[64];
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(f, "  %-30s %s", left, o->help);
        if (o->unit[0] || o->range[0] || (o->def[0] && o->kind != OPT_FLAG)) {
            fprintf(f, "\n  %-30s [", "");
            const char *sep = "";
            if (o->def[0] && o->kind != OPT_FLAG) {
                fprintf(f, "default %s", o->def);
                sep = "; ";
            }
            if (o->range[0]) {
                fprintf(f, "%s%s", sep, o->range);
                sep = "; ";
            }
            if (o->unit[0])
                fprintf(f, "%sunit %s", sep, o->unit);
            fprintf(f, "]");
        }
        fprintf(f, "\n");
    }
    fprintf(f,
            "\nOutput names: without -o, INPUTDIR/INPUTNAME.LAYOUT.wav (mix.xml -> "
            "mix.7.1.4.wav).\nWith several layouts, -o is a directory (existing, or ending "
            "in '/') or a pattern\nwith {layout}, e.g. -o out/song.{layout}.wav.\n"
            "\nMastering: --master PRESET renders each layout, then masters it (BS.1770 "
            "loudness,\ntrue-peak limiter, dither to --format) into the output name; the JSON "
            "summary gets\nthe before/after figures. --lufs sets an exact custom target, --tp "
            "a custom ceiling.\nThe atmos-music preset is at most -18 LKFS / -1 dBTP on the "
            "5.1 re-render.\n--adm-master OUT masters the ADM BWF itself (a mix.xml must be "
            "packed first with\nadmtool pack): one gain and one limiter envelope applied to "
            "every track so that the\n7.1.4, 5.1, 2.0 and binaural (--hrtf and --binaural-mode, as "
            "for --layout binaural)\nre-renders meet the target; OUT carries the same chna and an "
            "axml whose audioProgramme has\nloudnessMetadata measured on OUT's re-renders.\n"
            "\n");
    fputs(TOOL_EXIT_HELP, f);
}

static int usage_error(const char *fmt, const char *a) {
    fprintf(stderr, "objrender: ");
    fprintf(stderr, fmt, a);
    fprintf(stderr, " (objrender --help)\n");
    return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, args *a) {
    memset(a, 0, sizeof *a);
    int only_positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (only_positional || s[0] != '-' || s[1] == 0) {
            if (a->input)
                return usage_error("more than one input: '%s'", s);
            a->input = s;
            continue;
        }
        if (strcmp(s, "--") == 0) {
            only_positional = 1;
            continue;
        }
        int k = -1;
        const char *inline_val = NULL;
        char name[64];
        if (s[1] == '-') {
            const char *eq = strchr(s + 2, '=');
            size_t n = eq ? (size_t)(eq - (s + 2)) : strlen(s + 2);
            if (n >= sizeof name)
                return usage_error("unknown option '%s'", s);
            memcpy(name, s + 2, n);
            name[n] = 0;
            k = opt_index(name);
            if (eq)
                inline_val = eq + 1;
        } else if (s[2] == 0) {
            for (size_t j = 0; j < N_OPTIONS; j++)
                if (options[j].short_name == s[1])
                    k = (int)j;
        }
        if (k < 0)
            return usage_error("unknown option '%s'", s);
        if (options[k].kind == OPT_FLAG) {
            if (inline_val)
                return usage_error("option '%s' takes no value", s);
            a->flag[k] = 1;
            continue;
        }
        if (!inline_val) {
            if (i + 1 >= argc)
                return usage_error("option '%s' needs a value", s);
            inline_val = argv[++i];
        }
        a->value[k] = inline_val;
    }
    return EXIT_OK;
}

/* Seconds from "12.5" or "hh:mm:ss[.fff]" / "mm:ss[.fff]"; -1 when malformed. */
static double parse_time(const char *s) {
    double parts[3] = {0, 0, 0};
    int n = 0;
    const char *p = s;
    while (n < 3) {
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (end == p || errno || !isfinite(v) || v < 0)
            return -1;
        parts[n++] = v;
        if (*end == 0)
            break;
        if (*end != ':')
            return -1;
        p = end + 1;
    }
    if (*p == 0 && n == 0)
        return -1;
    double t = 0;
    for (int i = 0; i < n; i++)
        t = t * 60.0 + parts[i];
    return t;
}

static int parse_number(const char *s, double lo, double hi, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
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
        printf("%-10s %-8s", name, cn && cn[0] ? cn : "");
        printf(" %2zu ch:", objr_layout_n_channels(l));
        for (size_t c = 0; c < objr_layout_n_channels(l); c++) {
            objr_speaker_info si;
            if (objr_layout_channel_info(l, c, &si) == OBJR_OK)
                printf(" %s", si.label);
        }
        if (al && al[0])
            printf("  (aliases: %s)", al);
        printf("\n");
        objr_layout_destroy(l);
    }
    printf("A path to a custom layout file is accepted too (see layouts/README.md).\n");
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
    if (strchr(layout, '/') || access(layout, F_OK) == 0)
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

/* --master: the masters of all layouts, put in place together (objr_outfile.h). */
static objr_outset *g_run;

static void run_cleanup(void) {
    objr_outset_destroy(g_run);
    g_run = NULL;
}

static void progress_cb(void *user, double fraction) {
    int *last = user;
    int pct = (int)(fraction * 100.0);
    if (pct == *last)
        return;
    *last = pct;
    fprintf(stderr, "\rrendering %3d%%", pct);
    fflush(stderr);
}

static void json_string(const char *s) {
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

/* Mastering results per layout for the JSON summary (NULL when not mastering). */
static const objr_master_report *g_master_reports;
/* atmos-music: the 5.1 re-render measured before rendering, and the gain it asked for. */
static int g_basis_set;
static double g_basis_lufs, g_basis_gain_db;

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

static void json_master_report(const objr_master_report *m) {
    printf(",\n     \"master\": {");
    json_loudness("before", &m->before, ", ");
    json_loudness("after", &m->after, ", ");
    json_num("gain_db", m->gain_db, ", ");
    json_num("limiter_max_reduction_db", m->limiter.max_reduction_db, ", ");
    printf("\"limiter_active_fraction\": %.4f, \"passes\": %u, \"loudness_ok\": %s, "
           "\"true_peak_ok\": %s}",
           m->limiter.active_fraction, m->passes, m->loudness_ok ? "true" : "false",
           m->true_peak_ok ? "true" : "false");
}

static void print_json(const char *input, const objr_render_summary *s, char outs[][PATH_SIZE],
                       const char *const *layouts) {
    printf("{\n  \"input\": ");
    json_string(input);
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
        json_string(layouts[l]);
        printf(", \"name\": ");
        json_string(ls->name);
        printf(", \"common_name\": ");
        json_string(ls->common_name);
        printf(", \"file\": ");
        json_string(outs[l]);
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
        printf("]");
        if (g_master_reports)
            json_master_report(&g_master_reports[l]);
        printf("}%s\n", l + 1 < s->n_layouts ? "," : "");
    }
    printf("  ]");
    if (g_basis_set) {
        printf(",\n  \"master_basis\": {\"layout\": \"5.1\", ");
        json_num("integrated_lufs", g_basis_lufs, ", ");
        json_num("gain_db", g_basis_gain_db, "}");
    }
    printf("\n}\n");
}

/* --master / --lufs / --tp into @p mc; *on set when any is given. */
static int parse_master(const args *a, objr_master_config *mc, int *on) {
    *on = 0;
    const char *v;
    double num;
    if ((v = a->value[opt_index("master")])) {
        if (objr_master_preset_get(v, &mc->target) != OBJR_OK)
            return usage_error("unknown --master preset '%s' (atmos-music, streaming, "
                               "apple-music, ebu-r128, atsc-a85)",
                               v);
        *on = 1;
    }
    if ((v = a->value[opt_index("lufs")])) {
        if (!parse_number(v, -70.0, 0.0, &num))
            return usage_error("bad --lufs '%s' (LUFS, -70..0)", v);
        if (!*on)
            (void)objr_master_preset_get("ebu-r128", &mc->target);
        mc->target.kind = OBJR_TARGET_EXACT;
        mc->target.integrated_lufs = num;
        snprintf(mc->target.name, sizeof mc->target.name, "custom");
        *on = 1;
    }
    if ((v = a->value[opt_index("tp")])) {
        if (!parse_number(v, -20.0, 0.0, &num))
            return usage_error("bad --tp '%s' (dBTP, -20..0)", v);
        if (!*on) {
            (void)objr_master_preset_get("ebu-r128", &mc->target);
            mc->target.kind = OBJR_TARGET_NONE;
        }
        mc->target.true_peak_dbtp = num;
        snprintf(mc->target.name, sizeof mc->target.name, "custom");
        *on = 1;
    }
    return EXIT_OK;
}

static void print_loudness_line(const char *what, const objr_loudness_result *r) {
    fprintf(stderr, "objrender:   %-7s %7.2f LUFS  %6.2f dBTP  LRA %5.2f LU\n", what,
            r->integrated_lufs, r->true_peak_dbtp, r->range_lu);
}

/* objr_binaural_mode values by name (index = value). */
static const char *const binaural_mode_names[] = {"default", "off", "near", "mid", "far", "dry"};

static const char *mode_name(int m) {
    return m >= 0 && m <= OBJR_BINAURAL_MODE_DRY ? binaural_mode_names[m] : "?";
}

/* --adm-master: master the ADM BWF itself. */
static int run_adm_master(const args *a, const objr_master_config *mc, const char *out) {
    if (access(a->input, R_OK) != 0) {
        fprintf(stderr, "objrender: %s: cannot read: %s\n", a->input, strerror(errno));
        return EXIT_INPUT;
    }
    if (!output_dir_writable(out)) {
        fprintf(stderr, "objrender: %s: output directory is not writable\n", out);
        return EXIT_OUTPUT;
    }
    int quiet = a->flag[opt_index("quiet")];
    if (!quiet && isatty(STDERR_FILENO))
        fprintf(stderr, "mastering the ADM (re-rendering 7.1.4, 5.1, 2.0, binaural)...");
    objr_adm_master_report rep;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st =
        objr_master_adm_file(mc, a->value[opt_index("programme")], a->input, out, &rep, &d);
    if (!quiet && isatty(STDERR_FILENO))
        fprintf(stderr, "\r%60s\r", "");
    if (st != OBJR_OK) {
        const char *msg = d.message[0] ? d.message : objr_strerror(st);
        if (strstr(msg, a->input) || strstr(msg, out))
            fprintf(stderr, "objrender: %s\n", msg);
        else
            fprintf(stderr, "objrender: %s: %s\n", a->input, msg);
        if (st == OBJR_ERR_INVALID_ARG && strstr(msg, "overwrite"))
            return EXIT_USAGE;
        if (rep.passes > 0 && !rep.true_peak_ok && st == OBJR_ERR_RANGE)
            return EXIT_NOT_MET; /* a re-render still over the ceiling: no file */
        return tool_exit_for_status(st, tool_msg_names(msg, out) && !tool_msg_names(msg, a->input));
    }
    if (a->flag[opt_index("json")]) {
        printf("{\n  \"input\": ");
        json_string(a->input);
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

/* --binaural-mode into an objr_binaural_mode value (0 when absent). */
static int parse_binaural_mode(const args *a, int *mode) {
    const char *v = a->value[opt_index("binaural-mode")];
    *mode = 0;
    if (!v)
        return EXIT_OK;
    for (int k = OBJR_BINAURAL_MODE_OFF; k <= OBJR_BINAURAL_MODE_DRY; k++)
        if (strcmp(v, binaural_mode_names[k]) == 0)
            *mode = k;
    if (!*mode)
        return usage_error("bad --binaural-mode '%s' (dry, off, near, mid or far)", v);
    return EXIT_OK;
}

int main(int argc, char **argv) {
    args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != EXIT_OK)
        return rc;
    objr_outfile_install_signal_cleanup();
    if (a.flag[opt_index("help")]) {
        print_help(stdout);
        return EXIT_OK;
    }
    if (a.flag[opt_index("version")]) {
        printf("objrender %s\n", objr_version_string());
        return EXIT_OK;
    }
    if (a.flag[opt_index("list-layouts")]) {
        list_layouts();
        return EXIT_OK;
    }
    if (!a.input)
        return usage_error("no INPUT given%s", "");
    static char stdin_path[64];
    if (strcmp(a.input, "-") == 0) { /* a WAV or ADM XML on stdin (stems: the working folder) */
        if (!a.value[opt_index("output")] && !a.value[opt_index("adm-master")])
            return usage_error("INPUT - (stdin) has no name to derive outputs from: give -o%s", "");
        FILE *copy; /* open until exit; it has no name on disk */
        objr_diag sd;
        objr_diag_clear(&sd);
        if (objr_input_spool_stdin(&copy, stdin_path, sizeof stdin_path, &sd) != OBJR_OK) {
            fprintf(stderr, "objrender: %s\n", sd.message);
            return EXIT_INPUT;
        }
        a.input = stdin_path;
    }
    const char *layout_arg = a.value[opt_index("layout")];
    objr_master_config mc = objr_master_config_default();
    int mastering = 0;
    if ((rc = parse_master(&a, &mc, &mastering)) != EXIT_OK)
        return rc;
    int binaural_mode = 0;
    if ((rc = parse_binaural_mode(&a, &binaural_mode)) != EXIT_OK)
        return rc;
    int diffuse_eq = 1;
    {
        const char *q = a.value[opt_index("hrtf-eq")];
        if (q && strcmp(q, "none") == 0)
            diffuse_eq = 0;
        else if (q && strcmp(q, "diffuse") != 0)
            return usage_error("bad --hrtf-eq '%s' (diffuse or none)", q);
    }
    if (a.value[opt_index("adm-master")]) {
        if (!mastering)
            return usage_error("--adm-master needs --master PRESET or --lufs/--tp%s", "");
        if (layout_arg)
            return usage_error("--adm-master writes an ADM BWF: leave out --layout%s", "");
        if (a.value[opt_index("output")] || a.value[opt_index("start")] ||
            a.value[opt_index("duration")] || a.value[opt_index("gain")] ||
            a.value[opt_index("format")] || a.value[opt_index("importance")])
            return usage_error("--adm-master masters the whole ADM: -o, --start, --duration, "
                               "--gain, --format and --importance do not apply%s",
                               "");
        mc.hrtf_path = a.value[opt_index("hrtf")];
        mc.binaural_mode = binaural_mode;
        mc.binaural_diffuse_eq = diffuse_eq;
        if ((rc = tool_check_hrtf("objrender", mc.hrtf_path)) != EXIT_OK)
            return rc;
        return run_adm_master(&a, &mc, a.value[opt_index("adm-master")]);
    }
    if (!layout_arg)
        return usage_error("--layout is required%s", "");

    objr_render_file_options o = objr_render_file_options_default();
    const char *v;
    double num;
    if ((v = a.value[opt_index("start")]) && (o.start_s = parse_time(v)) < 0)
        return usage_error("bad --start '%s'", v);
    if ((v = a.value[opt_index("duration")]) && (o.duration_s = parse_time(v)) < 0)
        return usage_error("bad --duration '%s'", v);
    if ((v = a.value[opt_index("gain")])) {
        if (!parse_number(v, -120.0, 40.0, &num))
            return usage_error("bad --gain '%s' (dB, -120..+40)", v);
        o.renderer.gain_db = num;
    }
    if ((v = a.value[opt_index("importance")])) {
        if (!parse_number(v, 0, 10, &num) || num != floor(num))
            return usage_error("bad --importance '%s' (integer 0..10)", v);
        o.renderer.importance_threshold = (int)num;
    }
    if ((v = a.value[opt_index("format")])) {
        if (strcmp(v, "f32") == 0)
            o.format = OBJR_BWF_SAMPLE_FLOAT32;
        else if (strcmp(v, "s24") == 0)
            o.format = OBJR_BWF_SAMPLE_PCM24;
        else if (strcmp(v, "s16") == 0)
            o.format = OBJR_BWF_SAMPLE_PCM16;
        else
            return usage_error("bad --format '%s' (f32, s24 or s16)", v);
    }
    o.renderer.programme_id = a.value[opt_index("programme")];
    o.renderer.hrtf_path = a.value[opt_index("hrtf")];
    o.renderer.binaural_mode = binaural_mode;
    o.renderer.binaural_diffuse_eq = diffuse_eq;

    /* Layouts: split, check each one before touching any file. */
    static char layout_buf[PATH_SIZE];
    snprintf(layout_buf, sizeof layout_buf, "%s", layout_arg);
    const char *layouts[MAX_LAYOUTS];
    size_t n_layouts = 0;
    for (char *tok = strtok(layout_buf, ","); tok; tok = strtok(NULL, ",")) {
        if (n_layouts == MAX_LAYOUTS)
            return usage_error("more than 16 layouts in '%s'", layout_arg);
        layouts[n_layouts++] = tok;
    }
    if (n_layouts == 0)
        return usage_error("empty --layout '%s'", layout_arg);
    for (size_t l = 0; l < n_layouts; l++) {
        objr_layout *lay = NULL;
        if (objr_layout_from_name(layouts[l], &lay) == OBJR_OK) {
            objr_layout_destroy(lay);
            continue;
        }
        if (strchr(layouts[l], '/') || access(layouts[l], F_OK) == 0) {
            objr_diag d;
            objr_diag_clear(&d);
            objr_status st = objr_layout_load_file(layouts[l], &lay, &d);
            if (st != OBJR_OK) {
                fprintf(stderr, "objrender: %s: %s\n", layouts[l],
                        d.message[0] ? d.message : objr_strerror(st));
                return EXIT_INPUT;
            }
            objr_layout_destroy(lay);
            continue;
        }
        if (strcmp(layouts[l], "binaural") == 0)
            continue;
        fprintf(stderr,
                "objrender: unknown layout '%s' (objrender --list-layouts shows the names)\n",
                layouts[l]);
        return EXIT_USAGE;
    }
    if (access(a.input, R_OK) != 0) {
        fprintf(stderr, "objrender: %s: cannot read: %s\n", a.input, strerror(errno));
        return EXIT_INPUT;
    }

    /* Output names. */
    static char outs[MAX_LAYOUTS][PATH_SIZE];
    const char *out_ptrs[MAX_LAYOUTS];
    char in_dir[PATH_SIZE], in_base[PATH_SIZE];
    split_input(a.input, in_dir, sizeof in_dir, in_base, sizeof in_base);
    const char *o_arg = a.value[opt_index("output")];
    int o_is_dir = o_arg && (is_dir(o_arg) || o_arg[strlen(o_arg) - 1] == '/');
    if (o_arg && strcmp(o_arg, "-") == 0) {
        if (n_layouts > 1)
            return usage_error("-o -: stdout carries one render, and %s asks for several",
                               layout_arg);
        if (mastering)
            return usage_error("-o -: a master is measured after it is written; write it to a "
                               "file%s",
                               "");
        if (a.flag[opt_index("json")])
            return usage_error("-o -: stdout carries the audio; --json cannot share it%s", "");
    }
    if (o_arg && n_layouts > 1 && !o_is_dir && !strstr(o_arg, "{layout}"))
        return usage_error("with several layouts, -o '%s' must be a directory or contain "
                           "{layout}",
                           o_arg);
    for (size_t l = 0; l < n_layouts; l++) {
        char tag[PATH_SIZE];
        layout_tag(layouts[l], tag, sizeof tag);
        int ok;
        if (!o_arg)
            ok = snprintf(outs[l], PATH_SIZE, "%s%s.%s.wav", in_dir, in_base, tag) < PATH_SIZE;
        else if (o_is_dir)
            ok = snprintf(outs[l], PATH_SIZE, "%s%s%s.%s.wav", o_arg,
                          o_arg[strlen(o_arg) - 1] == '/' ? "" : "/", in_base, tag) < PATH_SIZE;
        else
            ok = replace_tag(o_arg, tag, outs[l], PATH_SIZE);
        if (!ok)
            return usage_error("output path too long for layout '%s'", layouts[l]);
        for (size_t k = 0; k < l; k++)
            if (strcmp(outs[k], outs[l]) == 0)
                return usage_error("two layouts would write the same file '%s'", outs[l]);
        struct stat si, so;
        if (strcmp(outs[l], a.input) == 0 || (stat(a.input, &si) == 0 && stat(outs[l], &so) == 0 &&
                                              si.st_dev == so.st_dev && si.st_ino == so.st_ino))
            return usage_error("output '%s' would overwrite the input", outs[l]);
        if (!output_dir_writable(outs[l])) {
            fprintf(stderr, "objrender: %s: output directory is not writable\n", outs[l]);
            return EXIT_OUTPUT;
        }
        out_ptrs[l] = outs[l];
    }

    for (size_t l = 0; l < n_layouts; l++)
        if (strcmp(layouts[l], "binaural") == 0 &&
            (rc = tool_check_hrtf("objrender", o.renderer.hrtf_path)) != EXIT_OK)
            return rc;

    int quiet = a.flag[opt_index("quiet")];
    int last_pct = -1;
    if (!quiet && isatty(STDERR_FILENO)) {
        o.progress = progress_cb;
        o.progress_user = &last_pct;
    }
    /* Mastering: render float to a temporary name next to each output, master it into place. */
    static char tmp_outs[MAX_LAYOUTS][PATH_SIZE];
    if (mastering) {
        /* The masters of every layout are one transaction; the unmastered renders are its
         * scratch files (removed at exit and on a signal). */
        if (objr_outset_create(&g_run) != OBJR_OK)
            return EXIT_INTERNAL;
        atexit(run_cleanup);
        mc.bit_depth = o.format == OBJR_BWF_SAMPLE_PCM16   ? 16
                       : o.format == OBJR_BWF_SAMPLE_PCM24 ? 24
                                                           : 32;
        o.format = OBJR_BWF_SAMPLE_FLOAT32;
        for (size_t l = 0; l < n_layouts; l++) {
            if (snprintf(tmp_outs[l], PATH_SIZE, "%s.tmp-unmastered-%ld.wav", outs[l],
                         (long)getpid()) >= PATH_SIZE)
                return usage_error("output path too long for layout '%s'", layouts[l]);
            if (objr_outset_add_scratch(g_run, tmp_outs[l]) != OBJR_OK)
                return EXIT_INTERNAL;
            out_ptrs[l] = tmp_outs[l];
        }
    }
    static objr_render_summary summary;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st;
    /* atmos-music is measured on the 5.1 re-render whatever the layouts: render 5.1 first,
     * turn the whole render down by what it needs, then hold each layout under the ceiling. */
    double basis_lufs = -HUGE_VAL, basis_gain_db = 0.0;
    int basis_5_1 = mastering && strcmp(mc.target.name, "atmos-music") == 0 &&
                    mc.target.kind != OBJR_TARGET_NONE;
    if (basis_5_1) {
        static char basis_path[PATH_SIZE];
        if (snprintf(basis_path, PATH_SIZE, "%s.tmp-basis-%ld.wav", outs[0], (long)getpid()) >=
            PATH_SIZE)
            return usage_error("output path too long: '%s'", outs[0]);
        if (objr_outset_add_scratch(g_run, basis_path) != OBJR_OK)
            return EXIT_INTERNAL;
        static const char *const l51[1] = {"5.1"};
        const char *bp[1] = {basis_path};
        objr_render_file_options ob = o;
        ob.progress = NULL;
        st = objr_render_file(a.input, l51, 1, bp, &ob, NULL, &d);
        objr_loudness_result br;
        if (st == OBJR_OK)
            st = objr_master_measure_file(basis_path, NULL, 0, &br, NULL, NULL, &d);
        remove(basis_path);
        if (st != OBJR_OK) {
            fprintf(stderr, "objrender: %s: 5.1 basis for %s: %s\n", a.input, mc.target.name,
                    d.message[0] ? d.message : objr_strerror(st));
            return st == OBJR_ERR_NOMEM ? EXIT_INTERNAL : EXIT_INPUT;
        }
        basis_lufs = br.integrated_lufs;
        if (isfinite(basis_lufs) &&
            (mc.target.kind == OBJR_TARGET_EXACT || basis_lufs > mc.target.integrated_lufs))
            basis_gain_db = mc.target.integrated_lufs - basis_lufs;
        o.renderer.gain_db += basis_gain_db;
        mc.target.kind = OBJR_TARGET_NONE; /* each layout: the ceiling only */
        objr_diag_clear(&d);
    }
    st = objr_render_file(a.input, layouts, n_layouts, out_ptrs, &o, &summary, &d);
    if (o.progress)
        fprintf(stderr, "\r%20s\r", "");
    if (st != OBJR_OK) {
        const char *msg = d.message[0] ? d.message : objr_strerror(st);
        int is_output = 0;
        for (size_t l = 0; l < n_layouts; l++)
            if (strstr(msg, outs[l]))
                is_output = 1;
        /* Messages from the readers name the file already; add it when they do not. */
        if (strstr(msg, a.input) || is_output)
            fprintf(stderr, "objrender: %s", msg);
        else
            fprintf(stderr, "objrender: %s: %s", a.input, msg);
        if (d.element_id[0] && !strstr(msg, d.element_id))
            fprintf(stderr, " (%s)", d.element_id);
        if (d.line > 0 && !strstr(msg, "line"))
            fprintf(stderr, " at line %ld", d.line);
        fprintf(stderr, "\n");
        if (is_output)
            return st == OBJR_ERR_CONFLICT ? EXIT_USAGE : EXIT_OUTPUT;
        if (st == OBJR_ERR_NOMEM || st == OBJR_ERR_INTERNAL)
            return EXIT_INTERNAL;
        if (st == OBJR_ERR_LAYOUT && !strchr(msg, ':'))
            return EXIT_USAGE;
        return EXIT_INPUT;
    }
    static objr_master_report mreps[MAX_LAYOUTS];
    if (mastering) {
        for (size_t l = 0; l < n_layouts; l++) {
            if (o.progress)
                fprintf(stderr, "\rmastering %s to %s...", layouts[l], mc.target.name);
            objr_diag_clear(&d);
            st = objr_master_file_in(g_run, &mc, tmp_outs[l], outs[l], &mreps[l], &d);
            remove(tmp_outs[l]);
            if (st != OBJR_OK) {
                if (o.progress)
                    fprintf(stderr, "\n");
                fprintf(stderr, "objrender: %s: mastering to %s failed: %s\n", outs[l],
                        mc.target.name, d.message[0] ? d.message : objr_strerror(st));
                /* Nothing was put in place: run_cleanup drops every master and scratch. */
                if (mreps[l].unreachable ||
                    (mreps[l].passes > 0 && !mreps[l].true_peak_ok && st == OBJR_ERR_RANGE))
                    return EXIT_NOT_MET;
                size_t on = strlen(outs[l]); /* "OUT: ..." is about the output itself */
                int out_side = st == OBJR_ERR_IO ||
                               (strncmp(d.message, outs[l], on) == 0 && d.message[on] == ':');
                return st == OBJR_ERR_CONFLICT ? EXIT_USAGE : tool_exit_for_status(st, out_side);
            }
        }
        if (o.progress)
            fprintf(stderr, "\r%60s\r", "");
        objr_diag_clear(&d);
        if ((st = objr_outset_commit(g_run, &d)) != OBJR_OK) {
            fprintf(stderr, "objrender: %s\n", d.message[0] ? d.message : objr_strerror(st));
            return EXIT_OUTPUT;
        }
        g_master_reports = mreps;
        if (basis_5_1 && !quiet && !a.flag[opt_index("json")])
            fprintf(stderr,
                    "objrender: atmos-music basis: 5.1 re-render %.2f LKFS, render gain "
                    "%+.2f dB\n",
                    basis_lufs, basis_gain_db);
    }
    g_basis_set = basis_5_1;
    g_basis_lufs = basis_lufs;
    g_basis_gain_db = basis_gain_db;
    if (a.flag[opt_index("json")])
        print_json(a.input, &summary, outs, layouts);
    else if (!quiet)
        for (size_t l = 0; l < n_layouts; l++) {
            fprintf(stderr, "objrender: wrote %s (%u ch, %.3f s)\n", outs[l],
                    (unsigned)summary.layouts[l].n_channels, summary.duration_s);
            if (mastering) {
                fprintf(stderr, "objrender:   %s: gain %+.2f dB, limiter max %.2f dB\n",
                        mc.target.name, mreps[l].gain_db, mreps[l].limiter.max_reduction_db);
                print_loudness_line("before", &mreps[l].before);
                print_loudness_line("after", &mreps[l].after);
            }
        }
    return EXIT_OK;
}
