/* SPDX-License-Identifier: BSD-3-Clause */
/* The tools' shared command-line parser (see tool_options.h): one table per tool parses argv,
 * checks every value against its type and range, and generates --help. Syntax (GNU style):
 * --name VALUE, --name=VALUE, -x VALUE, -xVALUE, -qv (short flags together), "--" ends the
 * options, "-" is a positional argument (stdin/stdout). */
#include "tool_options.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "objrender/objr_binaural.h"
#include "objrender/objr_master.h"
#include "objrender/objr_status.h"
#include "tool_common.h"

const char *const tool_sample_formats[] = {"s16", "s24", "s32", "f32", NULL};
const char *const tool_bits_values[] = {"16", "24", "32", NULL};
const char *const tool_file_formats[] = {"wav", "rf64", "flac", "mp3", "caf", "opus", NULL};
const char *const tool_hrtf_eq_values[] = {"diffuse", "none", NULL};
const char *const tool_binaural_mode_values[] = {"dry", "off", "near", "mid", "far", NULL};
const char *const tool_limiter_style_values[] = {"transparent", "punchy", "safe", NULL};

int tool_binaural_mode(int choice) {
    static const int modes[] = {OBJR_BINAURAL_MODE_DRY, OBJR_BINAURAL_MODE_OFF,
                                OBJR_BINAURAL_MODE_NEAR, OBJR_BINAURAL_MODE_MID,
                                OBJR_BINAURAL_MODE_FAR};
    return choice >= 0 && choice < 5 ? modes[choice] : 0;
}

/* The options every tool has. Their help (except -o's) is the same everywhere. */
enum { C_HELP, C_VERSION, C_OUTPUT, C_QUIET, C_VERBOSE, C_JSON, N_COMMON };
static const tool_option common_options[N_COMMON] = {
    [C_HELP] = {"help", 'h', TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL, "show this help and exit", 0,
                0, NULL, 0, NULL},
    [C_VERSION] = {"version", 'V', TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                   "show the version and exit", 0, 0, NULL, 0, NULL},
    [C_OUTPUT] = {"output", 'o', TOOL_STRING, "OUT", NULL, 0, 0, NULL, NULL, "output", 0, 0, NULL,
                  0, NULL},
    [C_QUIET] = {"quiet", 'q', TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                 "no progress display and no summary (warnings and errors still print)", 0, 0, NULL,
                 0, NULL},
    [C_VERBOSE] = {"verbose", 'v', TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                   "more detail on stderr (repeat for more)", 0, 0, NULL, 0, NULL},
    [C_JSON] = {"json", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                "machine-readable JSON on stdout instead of the text summary", 0, 0, NULL, 0, NULL},
};
#define COMMON_BASE TOOL_COMMON_BASE

static const tool_option *opt_of(const tool_cli *cli, int id) {
    return id >= COMMON_BASE ? &common_options[id - COMMON_BASE] : &cli->options[id];
}

void tool_warn(const tool_cli *cli, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: warning: ", cli->prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int tool_usage_error(const tool_cli *cli, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", cli->prog);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (%s --help)\n", cli->prog);
    va_end(ap);
    return EXIT_USAGE;
}

/* ---- "did you mean" ------------------------------------------------------------------- */

static size_t edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t sub = diag + (a[i - 1] != b[j - 1]);
            size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            diag = up;
        }
    }
    return row[lb];
}

const char *tool_closest(const char *s, const char *const *names) {
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t ls = strlen(s);
    for (size_t k = 0; names[k]; k++) {
        size_t d = edit_distance(s, names[k]);
        /* a prefix of a longer name (--hrtf-e for --hrtf-eq) counts as close */
        if (ls >= 3 && strncmp(s, names[k], ls) == 0)
            d = 1;
        if (d < best_d) {
            best_d = d;
            best = names[k];
        }
    }
    size_t limit = ls <= 3 ? 1 : ls <= 6 ? 2 : 3;
    return best && best_d <= limit ? best : NULL;
}

int tool_codec_mask(const tool_cli *cli, const char *list, unsigned *mask) {
    const char *names[OBJR_CODEC_COUNT + 1];
    for (unsigned c = 0; c < OBJR_CODEC_COUNT; c++)
        names[c] = objr_codec_name((objr_codec)c);
    names[OBJR_CODEC_COUNT] = NULL;
    *mask = 0;
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        char one[32];
        if (n == 0 || n >= sizeof one)
            return tool_usage_error(cli, "--codec-check '%s': give codecs as mp3,opus,aac", list);
        memcpy(one, p, n);
        one[n] = 0;
        unsigned c = 0;
        if (!strcmp(one, "all")) {
            *mask |= (1u << OBJR_CODEC_COUNT) - 1u;
        } else {
            for (; c < OBJR_CODEC_COUNT && strcmp(one, names[c]) != 0; c++)
                ;
            if (c == OBJR_CODEC_COUNT) {
                const char *near = tool_closest(one, names);
                return tool_usage_error(cli,
                                        "--codec-check: unknown codec '%s'%s%s%s (mp3, opus, "
                                        "aac, all)",
                                        one, near ? ", did you mean " : "", near ? near : "",
                                        near ? "?" : "");
            }
            *mask |= OBJR_CODEC_BIT(c);
        }
        p += n;
        if (*p == ',')
            p++;
    }
    if (!*mask)
        return tool_usage_error(cli, "--codec-check needs at least one codec (mp3,opus,aac)");
    return EXIT_OK;
}

int tool_preset(const tool_cli *cli, const char *name, struct objr_master_target *target) {
    if (objr_master_preset_get(name, target) == OBJR_OK)
        return EXIT_OK;
    const char *names[16];
    char list[256];
    size_t n = 0, k = 0;
    list[0] = 0;
    for (; n < 15 && objr_master_preset_name((unsigned)n); n++) {
        names[n] = objr_master_preset_name((unsigned)n);
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", n ? ", " : "", names[n]);
        if (k >= sizeof list)
            k = sizeof list - 1;
    }
    names[n] = NULL;
    const char *near = tool_closest(name, names);
    if (near)
        return tool_usage_error(cli, "unknown preset '%s' (did you mean %s?): %s", name, near,
                                list);
    return tool_usage_error(cli, "unknown preset '%s': %s", name, list);
}

/* Extension -> file format (lower case compare). */
static const struct {
    const char *ext;
    int format;
} extensions[] = {{".wav", TOOL_FF_WAV},   {".wave", TOOL_FF_WAV},  {".rf64", TOOL_FF_RF64},
                  {".bw64", TOOL_FF_RF64}, {".flac", TOOL_FF_FLAC}, {".mp3", TOOL_FF_MP3},
                  {".caf", TOOL_FF_CAF},   {".opus", TOOL_FF_OPUS}, {".ogg", TOOL_FF_OPUS}};

int tool_output_format(const tool_cli *cli, const char *path, int format_choice, unsigned writable,
                       int *format) {
    char can[128];
    size_t k = 0;
    can[0] = 0;
    for (int f = 0; tool_file_formats[f]; f++)
        if (writable & TOOL_FF_BIT(f))
            k += (size_t)snprintf(can + k, sizeof can - k, "%s.%s", k ? " " : "",
                                  tool_file_formats[f]);
    int fmt = format_choice;
    struct stat st; /* stdout and devices (-o /dev/null) have no extension: a WAV stream */
    if (fmt < 0 && (strcmp(path, "-") == 0 || (stat(path, &st) == 0 && S_ISCHR(st.st_mode))))
        fmt = TOOL_FF_WAV;
    if (fmt < 0) {
        const char *slash = strrchr(path, '/');
        const char *dot = strrchr(slash ? slash + 1 : path, '.');
        char ext[16] = "";
        for (size_t i = 0; dot && dot[i] && i + 1 < sizeof ext; i++)
            ext[i] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ? dot[i] - 'A' + 'a' : dot[i]);
        for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
            if (dot && strcmp(ext, extensions[i].ext) == 0)
                fmt = extensions[i].format;
        if (fmt < 0)
            return tool_usage_error(cli, "%s: %s: this tool writes %s (or give --format)", path,
                                    dot ? "no writer for this extension" : "no extension", can);
    }
    if (!(writable & TOOL_FF_BIT(fmt)))
        return tool_usage_error(cli, "%s: %s output is not written here: this tool writes %s", path,
                                tool_file_formats[fmt], can);
    *format = fmt;
    return EXIT_OK;
}

/* ---- lookup ---------------------------------------------------------------------------- */

static int find_long(const tool_cli *cli, const char *name) {
    for (size_t i = 0; i < cli->n_options; i++)
        if (strcmp(cli->options[i].name, name) == 0)
            return (int)i;
    for (int k = 0; k < N_COMMON; k++)
        if (strcmp(common_options[k].name, name) == 0)
            return COMMON_BASE + k;
    return -1;
}

static int find_short(const tool_cli *cli, char c) {
    for (size_t i = 0; i < cli->n_options; i++)
        if (cli->options[i].short_name == c)
            return (int)i;
    for (int k = 0; k < N_COMMON; k++)
        if (common_options[k].short_name == c)
            return COMMON_BASE + k;
    return -1;
}

static int unknown_option(const tool_cli *cli, const char *arg, const char *name) {
    const char *names[TOOL_MAX_OPTIONS + N_COMMON + 1];
    size_t n = 0;
    for (size_t i = 0; i < cli->n_options && n < TOOL_MAX_OPTIONS; i++)
        if (!(cli->options[i].flags & TOOL_OPT_HIDDEN))
            names[n++] = cli->options[i].name;
    for (int k = 0; k < N_COMMON; k++)
        names[n++] = common_options[k].name;
    names[n] = NULL;
    const char *near = name ? tool_closest(name, names) : NULL;
    if (near)
        return tool_usage_error(cli, "unknown option '%s' (did you mean --%s?)", arg, near);
    return tool_usage_error(cli, "unknown option '%s'", arg);
}

/* ---- values ---------------------------------------------------------------------------- */

double tool_parse_time(const char *s, double fps, int *is_tc) {
    double parts[4] = {0, 0, 0, 0};
    int n = 0;
    const char *p = s;
    while (n < 4) {
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
    if (n == 0)
        return -1;
    if (is_tc)
        *is_tc = n >= 3;
    if (n == 4) { /* hh:mm:ss:ff */
        if (!(fps > 0) || parts[3] >= fps || parts[3] != floor(parts[3]))
            return -1;
        return ((parts[0] * 60.0 + parts[1]) * 60.0 + parts[2]) + parts[3] / fps;
    }
    double t = 0;
    for (int i = 0; i < n; i++)
        t = t * 60.0 + parts[i];
    return t;
}

/* "old=new,old2=new2" or "a,b,c": 1 when @p v is one of the olds; *to gets the new value
 * (or v itself), in @p buf. */
static int in_pairs(const char *list, const char *v, char *buf, size_t size) {
    size_t lv = strlen(v);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t lold = eq ? (size_t)(eq - p) : len;
        if (lold == lv && strncmp(p, v, lv) == 0) {
            if (eq)
                snprintf(buf, size, "%.*s", (int)(len - lold - 1), eq + 1);
            else
                snprintf(buf, size, "%s", v);
            return 1;
        }
        p = comma ? comma + 1 : p + len;
    }
    return 0;
}

static void range_text(const tool_option *o, char *buf, size_t size) {
    snprintf(buf, size, "%g..%g%s%s", o->min, o->max, o->unit ? " " : "", o->unit ? o->unit : "");
}

static void choices_text(const tool_option *o, char *buf, size_t size) {
    size_t k = 0;
    buf[0] = 0;
    for (size_t i = 0; o->choices[i] && k + 1 < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? "|" : "", o->choices[i]);
}

/* Stores value @p v of option @p id, checked against its type; EXIT_USAGE after one line. */
static int store(const tool_cli *cli, tool_args *a, int id, const char *v) {
    const tool_option *o = opt_of(cli, id);
    tool_value *tv = id >= COMMON_BASE ? NULL : &a->v[id];
    char buf[256];
    if (id == COMMON_BASE + C_OUTPUT) {
        if (!v[0])
            return tool_usage_error(cli, "empty --output");
        a->output = v;
        return -1;
    }
    switch (o->type) {
    case TOOL_ENUM: {
        char alias[64];
        int k = -1;
        for (int i = 0; o->choices[i]; i++)
            if (strcmp(o->choices[i], v) == 0)
                k = i;
        if (k < 0 && in_pairs(o->choice_aliases, v, alias, sizeof alias)) {
            for (int i = 0; o->choices[i]; i++)
                if (strcmp(o->choices[i], alias) == 0)
                    k = i;
            if (k >= 0)
                tool_warn(cli, "--%s %s is deprecated: use --%s %s", o->name, v, o->name, alias);
        }
        if (k < 0) {
            choices_text(o, buf, sizeof buf);
            const char *near = tool_closest(v, o->choices);
            if (near)
                return tool_usage_error(cli, "bad --%s '%s': expected %s (did you mean %s?)",
                                        o->name, v, buf, near);
            return tool_usage_error(cli, "bad --%s '%s': expected %s", o->name, v, buf);
        }
        tv->choice = k;
        tv->str = o->choices[k];
        return -1;
    }
    case TOOL_NUMBER:
    case TOOL_INT: {
        char *end;
        errno = 0;
        double x = strtod(v, &end);
        int ok = end != v && !*end && !errno && isfinite(x) && x >= o->min && x <= o->max;
        if (ok && o->type == TOOL_INT && x != floor(x))
            ok = 0;
        if (!ok) {
            range_text(o, buf, sizeof buf);
            return tool_usage_error(cli, "bad --%s '%s': expected %s in %s", o->name, v,
                                    o->type == TOOL_INT ? "an integer" : "a number", buf);
        }
        tv->num = x;
        tv->str = v;
        return -1;
    }
    case TOOL_TIME: {
        double t = tool_parse_time(v, 0, NULL);
        if (t < 0)
            return tool_usage_error(cli, "bad --%s '%s': expected seconds or hh:mm:ss.fff", o->name,
                                    v);
        tv->num = t;
        tv->str = v;
        return -1;
    }
    default:
        tv->str = v;
        return -1;
    }
}

/* Sets a flag (common or the tool's). */
static void set_flag(tool_args *a, int id) {
    if (id < COMMON_BASE) {
        a->v[id].count++;
        return;
    }
    switch (id - COMMON_BASE) {
    case C_QUIET:
        a->quiet = 1;
        break;
    case C_VERBOSE:
        a->verbose++;
        break;
    case C_JSON:
        a->json = 1;
        break;
    default:
        break;
    }
}

/* Follows an alias to its option; one deprecation line the first time a deprecated one is
 * used. */
static int resolve_alias(const tool_cli *cli, int id, const char *spelt, unsigned *warned) {
    const tool_option *o = opt_of(cli, id);
    if (o->type != TOOL_ALIAS)
        return id;
    int to = o->alias_of;
    if ((o->flags & TOOL_OPT_DEPRECATED) && id < 32 && !(*warned & (1u << id))) {
        *warned |= 1u << id;
        tool_warn(cli, "%s is deprecated: use --%s", spelt, opt_of(cli, to)->name);
    }
    return to;
}

/* One option occurrence: @p id, its spelling @p spelt, an inline value or NULL. Consumes the
 * next argument when a value is needed. Returns -1 to go on, or an exit status. */
static int take_option(const tool_cli *cli, tool_args *a, int id, const char *spelt,
                       const char *inline_val, int argc, char **argv, int *i, unsigned *warned) {
    id = resolve_alias(cli, id, spelt, warned);
    const tool_option *o = opt_of(cli, id);
    if (o->type == TOOL_FLAG) {
        if (inline_val)
            return tool_usage_error(cli, "option '%s' takes no value", spelt);
        if (id == COMMON_BASE + C_HELP) {
            tool_print_help(cli, stdout);
            return EXIT_OK;
        }
        if (id == COMMON_BASE + C_VERSION) {
            printf("%s %s\n", cli->prog, objr_version_string());
            return EXIT_OK;
        }
        set_flag(a, id);
        a->occ[a->n_occ++] = (tool_occurrence){id, NULL};
        return -1;
    }
    const char *v = inline_val;
    if (!v) {
        if (*i + 1 >= argc)
            return tool_usage_error(cli, "option '%s' needs a value (%s)", spelt,
                                    o->arg ? o->arg : "VALUE");
        v = argv[++*i];
    }
    char moved[64];
    if (o->legacy_values && in_pairs(o->legacy_values, v, moved, sizeof moved)) {
        const tool_option *to = opt_of(cli, o->legacy_to);
        tool_warn(cli, "--%s %s is deprecated here: use --%s %s", o->name, v, to->name, moved);
        id = o->legacy_to;
        int rc = store(cli, a, id, moved);
        if (rc >= 0)
            return rc;
        a->v[id].count++;
        /* the canonical choice string outlives @p moved */
        a->occ[a->n_occ++] = (tool_occurrence){id, a->v[id].str};
        return -1;
    }
    int rc = store(cli, a, id, v);
    if (rc >= 0)
        return rc;
    if (id < COMMON_BASE)
        a->v[id].count++;
    a->occ[a->n_occ++] = (tool_occurrence){id, v};
    return -1;
}

/* "-abc": short options; a value option takes the rest of the word or the next argument. */
static int take_shorts(const tool_cli *cli, tool_args *a, const char *s, int argc, char **argv,
                       int *i, unsigned *warned) {
    for (const char *p = s + 1; *p; p++) {
        int id = find_short(cli, *p);
        char spelt[3] = {'-', *p, 0};
        if (id < 0) {
            if (p == s + 1)
                return unknown_option(cli, s, NULL);
            return tool_usage_error(cli, "unknown option '-%c' in '%s'", *p, s);
        }
        const tool_option *o = opt_of(cli, id);
        if (o->type == TOOL_ALIAS)
            o = opt_of(cli, o->alias_of);
        if (o->type != TOOL_FLAG)
            return take_option(cli, a, id, spelt, p[1] ? p + 1 : NULL, argc, argv, i, warned);
        int rc = take_option(cli, a, id, spelt, NULL, argc, argv, i, warned);
        if (rc >= 0)
            return rc;
    }
    return -1;
}

int tool_parse(const tool_cli *cli, int argc, char **argv, tool_args *a) {
    memset(a, 0, sizeof *a);
    a->cli = cli;
    if (cli->n_options > TOOL_MAX_OPTIONS) {
        fprintf(stderr, "%s: internal error: too many options\n", cli->prog);
        return EXIT_INTERNAL;
    }
    a->pos = calloc((size_t)argc + 1, sizeof *a->pos);
    a->occ = calloc((size_t)argc + 1, sizeof *a->occ);
    if (!a->pos || !a->occ) {
        fprintf(stderr, "%s: out of memory\n", cli->prog);
        return EXIT_INTERNAL;
    }
    int only_positional = 0;
    unsigned warned = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int rc;
        if (only_positional || s[0] != '-' || s[1] == 0) {
            a->pos[a->n_pos++] = s;
            continue;
        }
        if (strcmp(s, "--") == 0) {
            only_positional = 1;
            continue;
        }
        if (s[1] != '-') {
            rc = take_shorts(cli, a, s, argc, argv, &i, &warned);
        } else {
            char name[64];
            const char *eq = strchr(s + 2, '=');
            size_t n = eq ? (size_t)(eq - (s + 2)) : strlen(s + 2);
            if (n >= sizeof name)
                return unknown_option(cli, s, NULL);
            memcpy(name, s + 2, n);
            name[n] = 0;
            int id = find_long(cli, name);
            if (id < 0)
                return unknown_option(cli, s, name);
            char spelt[80];
            snprintf(spelt, sizeof spelt, "--%s", name);
            rc = take_option(cli, a, id, spelt, eq ? eq + 1 : NULL, argc, argv, &i, &warned);
        }
        if (rc >= 0)
            return rc;
    }
    return -1;
}

void tool_args_free(tool_args *a) {
    free(a->pos);
    free(a->occ);
    a->pos = NULL;
    a->occ = NULL;
}

/* ---- --help ---------------------------------------------------------------------------- */

#define HELP_LEFT 32
#define HELP_WIDTH 100

/* Writes @p text from column @p col, wrapping at HELP_WIDTH with continuation lines indented to
 * HELP_LEFT. */
static void wrap(FILE *f, const char *text, int col) {
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        int len = (int)(p - w);
        if (col > HELP_LEFT && col + 1 + len > HELP_WIDTH) {
            fprintf(f, "\n%*s", HELP_LEFT, "");
            col = HELP_LEFT;
        } else if (col > HELP_LEFT) {
            fputc(' ', f);
            col++;
        }
        fprintf(f, "%.*s", len, w);
        col += len;
    }
}

static void print_option(FILE *f, const tool_option *o, const char *arg, const char *def,
                         const char *help) {
    char left[80], extra[512];
    if (o->short_name)
        snprintf(left, sizeof left, "  -%c, --%s%s%s", o->short_name, o->name, arg ? " " : "",
                 arg ? arg : "");
    else
        snprintf(left, sizeof left, "      --%s%s%s", o->name, arg ? " " : "", arg ? arg : "");
    int col = fprintf(f, "%s", left);
    if (col >= HELP_LEFT) {
        fprintf(f, "\n%*s", HELP_LEFT, "");
    } else {
        fprintf(f, "%*s", HELP_LEFT - col, "");
    }
    size_t k = (size_t)snprintf(extra, sizeof extra, "%s", help);
    const char *sep = " [";
    if (def && def[0]) {
        k += (size_t)snprintf(extra + k, sizeof extra - k, "%sdefault %s", sep, def);
        sep = "; ";
    }
    if (o->type == TOOL_ENUM) {
        char c[256];
        choices_text(o, c, sizeof c);
        k += (size_t)snprintf(extra + k, sizeof extra - k, "%s%s", sep, c);
        sep = "; ";
    } else if (o->type == TOOL_NUMBER || o->type == TOOL_INT) {
        char r[64];
        range_text(o, r, sizeof r);
        k += (size_t)snprintf(extra + k, sizeof extra - k, "%s%s", sep, r);
        sep = "; ";
    } else if (o->unit) {
        k += (size_t)snprintf(extra + k, sizeof extra - k, "%sunit %s", sep, o->unit);
        sep = "; ";
    }
    if (sep[0] == ';' && k + 1 < sizeof extra)
        snprintf(extra + k, sizeof extra - k, "]");
    wrap(f, extra, HELP_LEFT);
    fputc('\n', f);
}

void tool_print_help(const tool_cli *cli, FILE *f) {
    fprintf(f, "%s\n", cli->synopsis);
    if (cli->description)
        fprintf(f, "\n%s\n", cli->description);
    fprintf(f, "\nOptions:\n");
    for (size_t i = 0; i < cli->n_options; i++) {
        const tool_option *o = &cli->options[i];
        if (o->flags & TOOL_OPT_HIDDEN)
            continue;
        if (o->type == TOOL_ALIAS) {
            char h[128];
            snprintf(h, sizeof h, "%s --%s",
                     o->flags & TOOL_OPT_DEPRECATED ? "deprecated spelling of" : "same as",
                     opt_of(cli, o->alias_of)->name);
            const tool_option *to = opt_of(cli, o->alias_of);
            print_option(f, o, to->type == TOOL_FLAG ? NULL : to->arg, NULL, h);
            continue;
        }
        print_option(f, o, o->type == TOOL_FLAG ? NULL : o->arg, o->def, o->help);
    }
    fprintf(f, "\nCommon options (the same in every objrender tool):\n");
    for (int k = 0; k < N_COMMON; k++) {
        const tool_option *o = &common_options[k];
        if (k == C_OUTPUT)
            print_option(f, o, cli->output_arg ? cli->output_arg : "OUT", cli->output_def,
                         cli->output_help ? cli->output_help : "output");
        else
            print_option(f, o, NULL, NULL, o->help);
    }
    if (cli->epilogue)
        fprintf(f, "\n%s", cli->epilogue);
    fprintf(f, "\n%s", TOOL_EXIT_HELP);
}
