/* SPDX-License-Identifier: BSD-3-Clause */
/* admtool: inspect, validate, pack and unpack ADM mixes (ITU-R BS.2076 metadata in ADM BWF
 * files, EBU Tech 3285 chna/axml, or mix.xml documents whose audioTrackUIDs point at stem
 * WAVs through objrender's mix extension). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "objrender/objr.h"
/* info reads the scene model directly for the links the public API does not list yet
 * (object -> packs/track UIDs, programme -> contents, loudnessMetadata). */
#include "tool_common.h"
#include "tool_options.h"

#define PROG "admtool"
/** Namespace and attributes of the mix.xml stem extension (see README "mix.xml"). */
#define MIX_NS OBJR_MIX_XML_NS
#define MIX_PREFIX OBJR_MIX_XML_PREFIX
#define MIX_ATTR_FILE "file"
#define MIX_ATTR_CHANNEL "channel"

/* The option table (tool_options.h): parses, checks and generates --help. */
enum { O_FORMAT, O_SAMPLE_FORMAT, O_BITS, O_STRICT, O_ALLOW_EXTERNAL_STEMS, N_OPTIONS };

static const tool_option options[N_OPTIONS] = {
    [O_FORMAT] =
        TOOL_OPTION_FORMAT_LEGACY("pcm16=s16,pcm24=s24,pcm32=s32,float=f32", O_SAMPLE_FORMAT),
    [O_SAMPLE_FORMAT] = TOOL_OPTION_SAMPLE_FORMAT("the stems' own format"),
    [O_BITS] = TOOL_OPTION_BITS("the stems' own format"),
    [O_STRICT] = {"strict", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                  "validate, fix: every deviation that would be fixed is an error", 0, 0, NULL, 0,
                  NULL},
    [O_ALLOW_EXTERNAL_STEMS] = {"allow-external-stems", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                                "validate, pack: read mix.xml stems that are absolute "
                                "paths or leave its folder through '..' (refused by default, so "
                                "that a mix.xml cannot read or embed files elsewhere)",
                                0, 0, NULL, 0, NULL},
};

static const tool_cli cli = {
    .prog = PROG,
    .synopsis = "Usage: " PROG " COMMAND [ARGS] [options]",
    .description =
        "Inspect, check, pack and unpack ADM mixes (ITU-R BS.2076 in ADM BWF or mix.xml).\n"
        "\n"
        "Commands:\n"
        "  info FILE [--json]        summary: programmes, contents, objects (type, pack,\n"
        "                            bed layout, blocks, start/duration), tracks, format\n"
        "  validate FILE             errors with their element ID, one line per kind of\n"
        "       [--strict] [-v]      fixed deviation and note; exit 2 on errors (fixes and\n"
        "                            notes do not fail; --strict makes fixes errors;\n"
        "                            -v lists every occurrence)\n"
        "  fix IN OUT                write the repaired mix (ADM BWF: the axml rewritten,\n"
        "                            every other chunk and the audio kept; or ADM XML) so\n"
        "                            that strict tools accept it; exit 2 on errors\n"
        "  pack MIX.xml -o OUT.wav   stems + mix.xml -> one ADM BWF (chna + axml; BW64\n"
        "       [--sample-format SF] past 4 GiB), in the stems' own format unless asked\n"
        "  unpack IN.wav -o DIR      ADM BWF -> DIR/mix.xml + DIR/stems/track_NNN.wav\n"
        "\n"
        "FILE is an ADM BWF (.wav with chna + axml) or an ADM XML document (mix.xml).\n"
        "mix.xml stems: audioTrackUID attributes " MIX_PREFIX ":" MIX_ATTR_FILE
        " (path relative to the\n"
        "document) and " MIX_PREFIX ":" MIX_ATTR_CHANNEL " (1-based) in namespace " MIX_NS ".",
    .options = options,
    .n_options = N_OPTIONS,
    .output_arg = "OUT",
    .output_help = "pack: the ADM BWF; unpack: the directory",
    .output_def = NULL,
    .epilogue = NULL,
};

#define BLOCK_FRAMES 4096

/* ---------------------------------------------------------------------------------------- */
/* Messages                                                                                  */

#if defined(__GNUC__) || defined(__clang__)
#define PRINTF_LIKE(a, b) __attribute__((format(printf, a, b)))
#else
#define PRINTF_LIKE(a, b)
#endif

static void PRINTF_LIKE(1, 2) fail_msg(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs(PROG ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void PRINTF_LIKE(1, 2) warn_msg(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs(PROG ": warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void diag_fail(const char *path, objr_status st, const objr_diag *d) {
    const char *msg = d && d->message[0] ? d->message : objr_strerror(st);
    /* Library diags usually start with the path already. */
    if (path && strncmp(msg, path, strlen(path)) != 0)
        fail_msg("%s: %s", path, msg);
    else
        fail_msg("%s", msg);
}

/* ---------------------------------------------------------------------------------------- */
/* pack and unpack (objr_mix_pack / objr_mix_unpack, include/objrender/objr_pack.h)          */

static void print_diag(const char *path, objr_status st, const objr_diag *d);
/* Set when a library call ran out of memory: the run then exits 4 (EXIT_INTERNAL), whichever
 * command's input-error path reported it. */
static int g_nomem;

/* Messages often start with their element's ID; drop it when the caller prints it anyway. */
static const char *skip_id(const char *msg, const char *id) {
    size_t li = strlen(id);
    if (li && !strncmp(msg, id, li) && msg[li] == ':')
        return msg + li + 1 + (msg[li + 1] == ' ');
    return msg;
}

/* --strict (validate, fix): every deviation that would be fixed is an error. */
static int g_strict;

static objr_adm_config adm_config(void) {
    objr_adm_config c = objr_adm_config_default();
    c.strict = g_strict;
    /* a long session's metadata (a 4-minute Pro Tools export is over 600 MB): read in place
     * and spilled to a temporary file by the library, so only the reader's bound applies */
    c.max_xml_bytes = (size_t)INT32_MAX;
    return c;
}

static void pack_warn(void *user, const char *msg) {
    (void)user;
    warn_msg("%s", msg);
}

/* One line for a failed pack/unpack, and the exit status of the side that failed. */
static int pack_failed(const char *in, objr_status st, const objr_diag *d,
                       const objr_mix_pack_result *r) {
    const char *msg = d->message[0] ? d->message : objr_strerror(st);
    if (r->failed == OBJR_MIX_FAILED_VALIDATION)
        fail_msg("%s (see '" PROG " validate %s')", msg, in);
    else
        fail_msg("%s", msg);
    if (st == OBJR_ERR_NOMEM || st == OBJR_ERR_INTERNAL)
        return EXIT_INTERNAL;
    return r->failed == OBJR_MIX_FAILED_OUTPUT ? tool_exit_for_output(st) : EXIT_INPUT;
}

/* pack: --sample-format / --bits (or the old --format pcm16|pcm24|pcm32|float) into @p c. */
static int pack_sample_format(const tool_args *a, objr_mix_pack_config *c) {
    static const objr_bwf_sample_format by_sf[] = {OBJR_BWF_SAMPLE_PCM16, OBJR_BWF_SAMPLE_PCM24,
                                                   OBJR_BWF_SAMPLE_PCM32, OBJR_BWF_SAMPLE_FLOAT32};
    static const objr_bwf_sample_format by_bits[] = {OBJR_BWF_SAMPLE_PCM16, OBJR_BWF_SAMPLE_PCM24,
                                                     OBJR_BWF_SAMPLE_FLOAT32};
    if (tool_given(a, O_SAMPLE_FORMAT) && tool_given(a, O_BITS))
        return tool_usage_error(&cli, "give --sample-format or --bits, not both");
    c->use_stem_format = 0;
    if (tool_given(a, O_SAMPLE_FORMAT))
        c->sample_format = by_sf[a->v[O_SAMPLE_FORMAT].choice];
    else if (tool_given(a, O_BITS))
        c->sample_format = by_bits[a->v[O_BITS].choice];
    else
        c->use_stem_format = 1;
    return EXIT_OK;
}

/* pack MIX.xml -o OUT.wav: mix.xml + stems -> one ADM BWF. */
static int cmd_pack(const tool_args *a) {
    const char *in = a->n_pos > 1 ? a->pos[1] : NULL, *out = a->output;
    if (a->n_pos > 2)
        return tool_usage_error(&cli, "pack: more than one input (%s)", a->pos[2]);
    if (!in || !out)
        return tool_usage_error(&cli, "usage: " PROG " pack MIX.xml -o OUT.wav [--sample-format "
                                      "s16|s24|s32|f32]");
    objr_mix_pack_config cfg = objr_mix_pack_config_default();
    cfg.allow_external_stems = tool_given(a, O_ALLOW_EXTERNAL_STEMS);
    cfg.warn = pack_warn;
    int ff, rc = pack_sample_format(a, &cfg);
    if (rc == EXIT_OK)
        rc = tool_output_format(&cli, out, tool_given(a, O_FORMAT) ? a->v[O_FORMAT].choice : -1,
                                TOOL_FF_BIT(TOOL_FF_WAV) | TOOL_FF_BIT(TOOL_FF_RF64), &ff);
    if (rc == EXIT_OK && !strcmp(in, "-"))
        return tool_usage_error(&cli, "pack: - (stdin) is not an input here: stems are found "
                                      "from the mix.xml's folder, so give its path");
    if (rc != EXIT_OK)
        return rc;
    objr_mix_pack_result r;
    objr_diag d;
    objr_status st = objr_mix_pack(in, out, &cfg, &r, &d);
    if (st != OBJR_OK)
        return pack_failed(in, st, &d, &r);
    fprintf(strcmp(out, "-") ? stdout : stderr,
            "%s: %zu tracks from %zu stems, %zu audioTrackUIDs, %llu frames at %u Hz\n", out,
            r.n_tracks, r.n_stems, r.n_track_uids, (unsigned long long)r.n_frames,
            r.sample_rate_hz);
    return EXIT_OK;
}

/* unpack IN.wav -o DIR: one ADM BWF -> DIR/mix.xml + DIR/stems/track_NNN.wav. */
static int cmd_unpack(const tool_args *a) {
    const char *in = a->n_pos > 1 ? a->pos[1] : NULL, *dir = a->output;
    if (a->n_pos > 2)
        return tool_usage_error(&cli, "unpack: more than one input (%s)", a->pos[2]);
    if (!in || !dir)
        return tool_usage_error(&cli, "usage: " PROG " unpack MIX.wav -o DIR");
    if (!strcmp(in, "-") || !strcmp(dir, "-"))
        return tool_usage_error(&cli, "unpack: - (stdin/stdout) is not accepted here: give a "
                                      "file and a folder");
    objr_mix_pack_config cfg = objr_mix_pack_config_default();
    cfg.warn = pack_warn;
    objr_mix_pack_result r;
    objr_diag d;
    objr_status st = objr_mix_unpack(in, dir, &cfg, &r, &d);
    if (st != OBJR_OK)
        return pack_failed(in, st, &d, &r);
    printf("%s: %zu tracks, %zu audioTrackUIDs -> %s/mix.xml + %s/stems/\n", in, r.n_tracks,
           r.n_track_uids, dir, dir);
    return EXIT_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Loading any input: ADM BWF (axml + chna merged) or an ADM XML document                    */

typedef struct stem_info {
    const char *path; /* owned by the document */
    int ok;
    objr_bwf_format fmt;
    char error[512];
} stem_info;

typedef struct input {
    const char *path;
    FILE *spool; /* stdin's copy when path is "-" */
    char spool_path[64];
    int is_bwf;
    objr_bwf *bwf;
    objr_bwf_format fmt; /* BWF only */
    objr_adm *adm;
    stem_info *stems;
    size_t n_stems;
} input;

static void input_free(input *in) {
    if (in->spool)
        fclose(in->spool);
    objr_bwf_close(in->bwf);
    objr_adm_destroy(in->adm);
    free(in->stems);
    memset(in, 0, sizeof *in);
}

static int sniff_wave(const char *path, int *is_wave) {
    objr_diag ck;
    objr_diag_clear(&ck);
    if (objr_input_check(path, &ck) != OBJR_OK) { /* never open a FIFO: it would hang */
        fail_msg("%s", ck.message);
        return 0;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fail_msg("%s: cannot open: %s", path, strerror(errno));
        return 0;
    }
    char m[4] = {0};
    size_t n = fread(m, 1, 4, fp);
    fclose(fp);
    *is_wave = n == 4 && (!memcmp(m, "RIFF", 4) || !memcmp(m, "RF64", 4) || !memcmp(m, "BW64", 4));
    return 1;
}

static void print_diag(const char *path, objr_status st, const objr_diag *d) {
    if (st == OBJR_ERR_NOMEM)
        g_nomem = 1;
    const char *msg = d->message[0] ? d->message : objr_strerror(st);
    size_t lp = strlen(path);
    if (!strncmp(msg, path, lp) && msg[lp] == ':') { /* the library already located it */
        fail_msg("%s", msg);
        return;
    }
    char where[160] = "";
    if (d->line > 0 && d->element_id[0])
        snprintf(where, sizeof where, "line %ld: %s: ", d->line, d->element_id);
    else if (d->line > 0)
        snprintf(where, sizeof where, "line %ld: ", d->line);
    else if (d->element_id[0])
        snprintf(where, sizeof where, "%s: ", d->element_id);
    size_t li = strlen(d->element_id);
    if (li && !strncmp(msg, d->element_id, li) && msg[li] == ':')
        msg += li + 1 + (msg[li + 1] == ' ');
    fail_msg("%s: %s%s", path, where, msg);
}

/* A stem's format as objr_bwf would give it, from the mix reader's probe (which also reads
 * FLAC, AIFF and the other formats objrender renders). */
static void probe_to_format(const objr_mix_file_info *i, objr_bwf_format *f) {
    memset(f, 0, sizeof *f);
    f->n_channels = i->n_channels;
    f->sample_rate_hz = i->sample_rate_hz;
    f->n_frames = i->n_frames;
    f->valid_bits = i->bits_per_sample;
    if (i->is_float)
        f->sample_format =
            i->bits_per_sample == 64 ? OBJR_BWF_SAMPLE_FLOAT64 : OBJR_BWF_SAMPLE_FLOAT32;
    else if (i->bits_per_sample >= 8 && i->bits_per_sample <= 32)
        f->sample_format =
            (objr_bwf_sample_format)(OBJR_BWF_SAMPLE_PCM8 + (i->bits_per_sample + 7) / 8 - 1);
}

/* An ADM BWF: its axml read, its chna rows merged. */
static int input_open_bwf(input *in, const char *path) {
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st;
    in->is_bwf = 1;
    if ((st = objr_bwf_open_file(path, NULL, &d, &in->bwf)) != OBJR_OK) {
        print_diag(path, st, &d);
        return 0;
    }
    (void)objr_bwf_get_format(in->bwf, &in->fmt);
    const uint8_t *axml = NULL;
    size_t n = 0;
    (void)objr_bwf_get_axml(in->bwf, &axml, &n);
    if (!axml) {
        fail_msg("%s: no axml chunk: a WAV file, but not an ADM BWF", path);
        return 0;
    }
    objr_diag_clear(&d);
    objr_adm_config cfg = adm_config();
    cfg.base_dir = NULL;
    /* the library reads the axml in place (the text here stays for fix's patcher) */
    if ((st = objr_adm_load_file(path, &cfg, &in->adm, &d)) != OBJR_OK) {
        char p2[PATH_MAX + 8];
        snprintf(p2, sizeof p2, "%s: axml", path);
        print_diag(p2, st, &d);
        return 0;
    }
    size_t nc = objr_bwf_chna_count(in->bwf);
    if (nc > 0) {
        objr_bwf_chna_entry *rows = calloc(nc, sizeof *rows);
        if (!rows) {
            fail_msg("%s: out of memory", path);
            return 0;
        }
        for (size_t k = 0; k < nc; k++)
            (void)objr_bwf_get_chna_entry(in->bwf, k, &rows[k]);
        objr_diag_clear(&d);
        st = objr_adm_apply_chna(in->adm, rows, nc, &d);
        free(rows);
        if (st != OBJR_OK) {
            char p2[PATH_MAX + 8];
            snprintf(p2, sizeof p2, "%s: chna", path);
            print_diag(p2, st, &d);
            return 0;
        }
    }
    return 1;
}

/* An ADM XML document: read, and each distinct stem file probed once for its format. */
static int input_open_xml(input *in, const char *path, const char *base_dir) {
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st;
    objr_adm_config cfg = adm_config();
    if (base_dir)
        cfg.base_dir = base_dir;
    if ((st = objr_adm_load_file(path, &cfg, &in->adm, &d)) != OBJR_OK) {
        print_diag(path, st, &d);
        return 0;
    }
    size_t nu = objr_adm_count(in->adm, OBJR_ADM_TRACK_UID);
    in->stems = calloc(nu ? nu : 1, sizeof *in->stems);
    if (!in->stems) {
        fail_msg("%s: out of memory", path);
        return 0;
    }
    for (size_t u = 0; u < nu; u++) {
        objr_adm_track_uid_info ti;
        if (objr_adm_get_track_uid(in->adm, u, &ti) != OBJR_OK || !ti.stem_path)
            continue;
        size_t s;
        for (s = 0; s < in->n_stems; s++)
            if (!strcmp(in->stems[s].path, ti.stem_path))
                break;
        if (s < in->n_stems)
            continue;
        stem_info *si = &in->stems[in->n_stems++];
        si->path = ti.stem_path;
        objr_mix_file_info fi; /* FLAC, AIFF, ... as objrender reads them */
        objr_diag_clear(&d);
        if ((st = objr_mix_probe_audio(ti.stem_path, &fi, &d)) != OBJR_OK) {
            snprintf(si->error, sizeof si->error, "%s",
                     d.message[0] ? d.message : objr_strerror(st));
            continue;
        }
        probe_to_format(&fi, &si->fmt);
        si->ok = 1;
    }
    return 1;
}

/* Open FILE as BWF or XML; on failure print one line and return 0. */
static int input_open(input *in, const char *path) {
    memset(in, 0, sizeof *in);
    in->path = path;
    const char *base_dir = NULL;
    if (!strcmp(path, "-")) { /* stdin: a WAV or ADM XML; mix.xml stems from the working folder */
        objr_diag sd;
        objr_diag_clear(&sd);
        if (objr_input_spool_stdin(&in->spool, in->spool_path, sizeof in->spool_path, &sd) !=
            OBJR_OK) {
            fail_msg("%s", sd.message);
            return 0;
        }
        path = in->spool_path;
        base_dir = ".";
    }
    int wave = 0;
    if (!sniff_wave(path, &wave))
        return 0;
    return wave ? input_open_bwf(in, path) : input_open_xml(in, path, base_dir);
}

/* Summary of the audio: from the BWF, or from the stems (the longest one). */
static void input_audio(const input *in, uint32_t *rate, uint64_t *frames, unsigned *n_tracks,
                        const char **sample_fmt) {
    static const char *names[] = {"?", "pcm8", "pcm16", "pcm24", "pcm32", "float32", "float64"};
    *rate = 0;
    *frames = 0;
    *n_tracks = 0;
    *sample_fmt = "?";
    if (in->is_bwf) {
        *rate = in->fmt.sample_rate_hz;
        *frames = in->fmt.n_frames;
        *n_tracks = in->fmt.n_channels;
        if ((unsigned)in->fmt.sample_format < sizeof names / sizeof names[0])
            *sample_fmt = names[in->fmt.sample_format];
        return;
    }
    for (size_t s = 0; s < in->n_stems; s++) {
        if (!in->stems[s].ok)
            continue;
        if (!*rate)
            *rate = in->stems[s].fmt.sample_rate_hz;
        if (in->stems[s].fmt.n_frames > *frames)
            *frames = in->stems[s].fmt.n_frames;
        if ((unsigned)in->stems[s].fmt.sample_format < sizeof names / sizeof names[0])
            *sample_fmt = names[in->stems[s].fmt.sample_format];
    }
    /* Distinct (stem, channel) pairs are the tracks. */
    size_t n_uids = objr_adm_count(in->adm, OBJR_ADM_TRACK_UID);
    for (size_t u = 0; u < n_uids; u++) {
        objr_adm_track_uid_stem su;
        if (objr_adm_get_track_uid_stem(in->adm, u, &su) != OBJR_OK || !su.path)
            continue;
        int dup = 0;
        for (size_t v = 0; v < u && !dup; v++) {
            objr_adm_track_uid_stem sv;
            dup = objr_adm_get_track_uid_stem(in->adm, v, &sv) == OBJR_OK && sv.path &&
                  !strcmp(sv.path, su.path) && sv.channel == su.channel;
        }
        *n_tracks += !dup;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* info                                                                                      */

static const char *type_name(int t) {
    switch (t) {
    case OBJR_ADM_TYPE_DIRECT_SPEAKERS:
        return "DirectSpeakers";
    case OBJR_ADM_TYPE_MATRIX:
        return "Matrix";
    case OBJR_ADM_TYPE_OBJECTS:
        return "Objects";
    case OBJR_ADM_TYPE_HOA:
        return "HOA";
    case OBJR_ADM_TYPE_BINAURAL:
        return "Binaural";
    default:
        return "unknown";
    }
}

static void json_num(FILE *fp, double v, int present) {
    if (!present || v != v)
        fputs("null", fp);
    else
        fprintf(fp, "%.6g", v);
}

/* "1-10,12" from a sorted list of track numbers. */
static void ranges(char *out, size_t cap, const unsigned *v, size_t n) {
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < n && len + 24 < cap;) {
        size_t j = i;
        while (j + 1 < n && v[j + 1] == v[j] + 1)
            j++;
        len += (size_t)snprintf(out + len, cap - len, "%s%u", len ? "," : "", v[i]);
        if (j > i)
            len += (size_t)snprintf(out + len, cap - len, "-%u", v[j]);
        i = j + 1;
    }
}

static int cmp_uns(const void *a, const void *b) {
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

/* The loudnessMetadata of programme @p i (is_content 0) or content @p i (is_content 1). */
static size_t loudness_count(const objr_adm *adm, int is_content, size_t i) {
    return is_content ? objr_adm_content_loudness_count(adm, i)
                      : objr_adm_programme_loudness_count(adm, i);
}

static int loudness_get(const objr_adm *adm, int is_content, size_t i, size_t k,
                        objr_adm_loudness *x) {
    return (is_content ? objr_adm_get_content_loudness(adm, i, k, x)
                       : objr_adm_get_programme_loudness(adm, i, k, x)) == OBJR_OK;
}

static void print_loudness(FILE *fp, const objr_adm *adm, int is_content, size_t i,
                           const char *indent) {
    for (size_t k = 0; k < loudness_count(adm, is_content, i); k++) {
        objr_adm_loudness xl;
        if (!loudness_get(adm, is_content, i, k, &xl))
            continue;
        const objr_adm_loudness *x = &xl;
        fprintf(fp, "%sloudness:", indent);
        if (x->present & OBJR_ADM_LOUDNESS_INTEGRATED)
            fprintf(fp, " integrated %.1f LUFS", x->integrated_lufs);
        if (x->present & OBJR_ADM_LOUDNESS_RANGE)
            fprintf(fp, ", range %.1f LU", x->range_lu);
        if (x->present & OBJR_ADM_LOUDNESS_TRUE_PEAK)
            fprintf(fp, ", true peak %.1f dBTP", x->max_true_peak_dbtp);
        if (x->present & OBJR_ADM_LOUDNESS_MOMENTARY)
            fprintf(fp, ", max momentary %.1f LUFS", x->max_momentary_lufs);
        if (x->present & OBJR_ADM_LOUDNESS_SHORT_TERM)
            fprintf(fp, ", max short-term %.1f LUFS", x->max_short_term_lufs);
        if (x->present & OBJR_ADM_LOUDNESS_DIALOGUE)
            fprintf(fp, ", dialogue %.1f LUFS", x->dialogue_lufs);
        if (x->method)
            fprintf(fp, " (method %s)", x->method);
        fputc('\n', fp);
    }
}

static void json_loudness(FILE *fp, const objr_adm *adm, int is_content, size_t i) {
    fputc('[', fp);
    for (size_t k = 0; k < loudness_count(adm, is_content, i); k++) {
        objr_adm_loudness xl;
        if (!loudness_get(adm, is_content, i, k, &xl))
            continue;
        const objr_adm_loudness *x = &xl;
        fprintf(fp, "%s{\"method\":", k ? "," : "");
        objr_json_write_string(fp, x->method);
        fputs(",\"integrated_lufs\":", fp);
        json_num(fp, x->integrated_lufs, x->present & OBJR_ADM_LOUDNESS_INTEGRATED);
        fputs(",\"range_lu\":", fp);
        json_num(fp, x->range_lu, x->present & OBJR_ADM_LOUDNESS_RANGE);
        fputs(",\"max_true_peak_dbtp\":", fp);
        json_num(fp, x->max_true_peak_dbtp, x->present & OBJR_ADM_LOUDNESS_TRUE_PEAK);
        fputs(",\"max_momentary_lufs\":", fp);
        json_num(fp, x->max_momentary_lufs, x->present & OBJR_ADM_LOUDNESS_MOMENTARY);
        fputs(",\"max_short_term_lufs\":", fp);
        json_num(fp, x->max_short_term_lufs, x->present & OBJR_ADM_LOUDNESS_SHORT_TERM);
        fputs(",\"dialogue_lufs\":", fp);
        json_num(fp, x->dialogue_lufs, x->present & OBJR_ADM_LOUDNESS_DIALOGUE);
        fputc('}', fp);
    }
    fputc(']', fp);
}

/* Stem of the audioTrackUID that reference @p k of object @p oi names (file NULL when it
 * names none or the UID has no stem); its track index in *track_index (0 when unknown). */
static objr_adm_track_uid_stem object_uid(const objr_adm *adm, size_t oi, size_t k,
                                          unsigned *track_index) {
    objr_adm_track_uid_stem st = {NULL, NULL, 0};
    objr_adm_ref r;
    objr_adm_track_uid_info ti;
    *track_index = 0;
    if (objr_adm_get_object_track_uid(adm, oi, k, &r) != OBJR_OK || r.index == OBJR_ADM_NO_INDEX ||
        objr_adm_get_track_uid(adm, r.index, &ti) != OBJR_OK)
        return st;
    *track_index = ti.track_index;
    if (objr_adm_get_track_uid_stem(adm, r.index, &st) != OBJR_OK)
        st.file = NULL;
    return st;
}

/* Track numbers of object @p oi (BWF track index, or the stem "file:channel" for mix.xml). */
static void object_tracks(const input *in, size_t oi, char *out, size_t cap) {
    out[0] = 0;
    objr_adm_object_info info;
    if (objr_adm_get_object(in->adm, oi, &info) != OBJR_OK)
        return;
    unsigned v[512];
    size_t n = 0;
    for (size_t k = 0; k < info.n_track_uids && n < 512; k++) {
        unsigned ti;
        (void)object_uid(in->adm, oi, k, &ti);
        if (ti)
            v[n++] = ti;
    }
    if (n) {
        qsort(v, n, sizeof v[0], cmp_uns);
        ranges(out, cap, v, n);
        return;
    }
    /* mix.xml: stem files, with channel ranges per file ("stems/bed.wav:1-10"). */
    size_t len = 0;
    for (size_t k = 0; k < info.n_track_uids && len + 64 < cap;) {
        unsigned ti;
        objr_adm_track_uid_stem su = object_uid(in->adm, oi, k, &ti);
        if (!su.file) {
            k++;
            continue;
        }
        const char *file = su.file;
        unsigned first = su.channel, last = first;
        size_t j = k + 1;
        for (; j < info.n_track_uids; j++) {
            objr_adm_track_uid_stem sw = object_uid(in->adm, oi, j, &ti);
            if (!sw.file || strcmp(sw.file, file) || sw.channel != last + 1)
                break;
            last = sw.channel;
        }
        int w =
            last > first
                ? snprintf(out + len, cap - len, "%s%s:%u-%u", len ? "," : "", file, first, last)
                : snprintf(out + len, cap - len, "%s%s:%u", len ? "," : "", file, first);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
        k = j;
    }
}

static void print_object_line(const input *in, size_t oi, int depth, int nest_guard) {
    objr_adm_object_info info;
    if (objr_adm_get_object(in->adm, oi, &info) != OBJR_OK)
        return;
    printf("%*sObject %s \"%s\"  %s", 4 + 2 * depth, "", info.id, info.name ? info.name : "",
           info.n_packs == 0 && info.n_children > 0 ? "(parent)" : type_name(info.type));
    for (size_t p = 0; p < info.n_packs; p++) {
        objr_adm_ref r;
        objr_adm_pack_info pi;
        if (objr_adm_get_object_pack(in->adm, oi, p, &r) != OBJR_OK ||
            r.index == OBJR_ADM_NO_INDEX || objr_adm_get_pack(in->adm, r.index, &pi) != OBJR_OK)
            continue;
        printf("  pack %s (%zu ch%s%s%s)", pi.id, pi.n_channels, pi.layout ? ", layout " : "",
               pi.layout ? pi.layout : "", pi.is_common_definition ? ", common definition" : "");
    }
    printf("  %zu block%s", info.n_blocks, info.n_blocks == 1 ? "" : "s");
    if (info.start_s >= 0)
        printf("  start %.3f s", info.start_s);
    if (info.duration_s >= 0)
        printf("  duration %.3f s", info.duration_s);
    if (info.mute)
        printf("  MUTED");
    if (info.gain != 1.0)
        printf("  gain %.2f dB", 20.0 * log10(info.gain));
    char tr[1024];
    object_tracks(in, oi, tr, sizeof tr);
    if (tr[0])
        printf("  track%s %s", info.n_track_uids == 1 ? "" : "s", tr);
    putchar('\n');
    if (nest_guard > 16)
        return;
    for (size_t c = 0; c < info.n_children; c++) {
        objr_adm_ref r;
        if (objr_adm_get_object_child(in->adm, oi, c, &r) == OBJR_OK &&
            r.index != OBJR_ADM_NO_INDEX)
            print_object_line(in, r.index, depth + 1, nest_guard + 1);
    }
}

/* The dbmd chunk (Dolby metadata), when the file has one: text lines or a JSON value. */
static void info_dbmd(const input *in, FILE *fp, int json) {
    objr_dbmd *d = NULL;
    objr_diag dg;
    objr_diag_clear(&dg);
    objr_status st = in->bwf ? objr_dbmd_from_bwf(in->bwf, &dg, &d) : OBJR_OK;
    char *s = d ? (json ? objr_dbmd_to_json(d) : objr_dbmd_describe(d)) : NULL;
    if (json)
        fputs(s ? s : "null", fp);
    else if (s)
        fputs(s, fp);
    else if (st != OBJR_OK)
        fprintf(fp, "Dolby metadata: unreadable, ignored (%s)\n", dg.message);
    free(s);
    objr_dbmd_destroy(d);
}

/* Counts of the document, by objr_adm_kind (programmes, contents, ...). */
typedef struct doc_counts {
    size_t n_programmes, n_contents, n_objects, n_packs, n_channels, n_uids;
} doc_counts;

static doc_counts count_doc(const objr_adm *adm) {
    doc_counts c = {
        objr_adm_count(adm, OBJR_ADM_PROGRAMME), objr_adm_count(adm, OBJR_ADM_CONTENT),
        objr_adm_count(adm, OBJR_ADM_OBJECT),    objr_adm_count(adm, OBJR_ADM_PACK),
        objr_adm_count(adm, OBJR_ADM_CHANNEL),   objr_adm_count(adm, OBJR_ADM_TRACK_UID)};
    return c;
}

/* Is object @p o a child of another object? */
static int object_is_nested(const objr_adm *adm, size_t n_objects, size_t o) {
    for (size_t q = 0; q < n_objects; q++) {
        objr_adm_object_info qi;
        if (objr_adm_get_object(adm, q, &qi) != OBJR_OK)
            continue;
        for (size_t k = 0; k < qi.n_children; k++) {
            objr_adm_ref r;
            if (objr_adm_get_object_child(adm, q, k, &r) == OBJR_OK && r.index == o)
                return 1;
        }
    }
    return 0;
}

/* One programme of the text tree: its line, loudness, contents and their objects (marked in
 * @p shown). */
static void info_text_programme(const input *in, size_t p, uint32_t rate, unsigned char *shown) {
    objr_adm_programme_info pr;
    objr_adm_programme_times pt;
    if (objr_adm_get_programme(in->adm, p, &pr) != OBJR_OK ||
        objr_adm_get_programme_times(in->adm, p, &pt) != OBJR_OK)
        return;
    printf("Programme %s \"%s\"", pr.id, pr.name ? pr.name : "");
    if (pr.language)
        printf("  language %s", pr.language);
    if (pt.has_start) {
        /* exporters write the session timecode (01:00:00.00000): shown as written, with
         * the bext TimeReference beside it; objects place the audio, from its first
         * sample */
        printf("  start %s (%.3f s)", pt.start_text, pt.start_s);
        const objr_bwf_bext *bx = NULL;
        if (in->bwf && objr_bwf_get_bext(in->bwf, &bx) == OBJR_OK && bx && rate)
            printf(", bext TimeReference %llu (%.3f s)",
                   (unsigned long long)bx->time_reference_frames,
                   (double)bx->time_reference_frames / rate);
    }
    if (pt.has_end)
        printf("  end %.3f s", pt.end_s);
    putchar('\n');
    print_loudness(stdout, in->adm, 0, p, "  ");
    for (size_t c = 0; c < pr.n_contents; c++) {
        objr_adm_ref rc;
        objr_adm_content_info co;
        if (objr_adm_get_programme_content(in->adm, p, c, &rc) != OBJR_OK ||
            rc.index == OBJR_ADM_NO_INDEX ||
            objr_adm_get_content(in->adm, rc.index, &co) != OBJR_OK)
            continue;
        static const char *dlg[] = {"non-dialogue", "dialogue", "mixed"};
        printf("  Content %s \"%s\"%s%s\n", co.id, co.name ? co.name : "",
               co.dialogue >= 0 && co.dialogue <= 2 ? "  " : "",
               co.dialogue >= 0 && co.dialogue <= 2 ? dlg[co.dialogue] : "");
        print_loudness(stdout, in->adm, 1, rc.index, "    ");
        for (size_t o = 0; o < co.n_objects; o++) {
            objr_adm_ref ro;
            if (objr_adm_get_content_object(in->adm, rc.index, o, &ro) != OBJR_OK ||
                ro.index == OBJR_ADM_NO_INDEX)
                continue;
            if (shown)
                shown[ro.index] = 1;
            print_object_line(in, ro.index, 0, 0);
        }
    }
}

static void info_text(const input *in) {
    doc_counts dc = count_doc(in->adm);
    objr_adm_document_info doc = {NULL, 0};
    (void)objr_adm_get_document(in->adm, &doc);
    uint32_t rate;
    uint64_t frames;
    unsigned n_tracks;
    const char *sfmt;
    input_audio(in, &rate, &frames, &n_tracks, &sfmt);
    static const char *containers[] = {"RIFF", "RF64", "BW64"};
    if (in->is_bwf)
        printf("%s: ADM BWF (%s), %u tracks, %u Hz, %s, %.3f s (%llu frames)\n", in->path,
               (unsigned)in->fmt.container < 3 ? containers[in->fmt.container] : "?", n_tracks,
               rate, sfmt, rate ? (double)frames / rate : 0.0, (unsigned long long)frames);
    else if (in->n_stems == 0)
        printf("%s: ADM XML document (metadata only: no objr:file stems)\n", in->path);
    else
        printf("%s: ADM XML with %zu stem file%s, %u tracks, %u Hz, %s, %.3f s (%llu frames)\n",
               in->path, in->n_stems, in->n_stems == 1 ? "" : "s", n_tracks, rate, sfmt,
               rate ? (double)frames / rate : 0.0, (unsigned long long)frames);
    info_dbmd(in, stdout, 0);
    printf("ADM %s: %zu programme%s, %zu content%s, %zu object%s, %zu pack%s, %zu channel%s, "
           "%zu audioTrackUID%s, %zu blocks\n",
           doc.version ? doc.version : "(no version)", dc.n_programmes,
           dc.n_programmes == 1 ? "" : "s", dc.n_contents, dc.n_contents == 1 ? "" : "s",
           dc.n_objects, dc.n_objects == 1 ? "" : "s", dc.n_packs, dc.n_packs == 1 ? "" : "s",
           dc.n_channels, dc.n_channels == 1 ? "" : "s", dc.n_uids, dc.n_uids == 1 ? "" : "s",
           doc.n_blocks);
    for (size_t s = 0; s < in->n_stems; s++) {
        const stem_info *si = &in->stems[s];
        if (si->ok)
            printf("  stem %s: %u ch, %u Hz, %.3f s\n", si->path, si->fmt.n_channels,
                   si->fmt.sample_rate_hz,
                   si->fmt.sample_rate_hz ? (double)si->fmt.n_frames / si->fmt.sample_rate_hz
                                          : 0.0);
        else
            printf("  stem %s: MISSING OR UNREADABLE (%s)\n", si->path, si->error);
    }

    /* The tree: programme -> content -> object (-> nested objects). */
    unsigned char *shown = calloc(dc.n_objects ? dc.n_objects : 1, 1);
    for (size_t p = 0; p < dc.n_programmes; p++)
        info_text_programme(in, p, rate, shown);
    /* Objects no programme reaches (and that are not nested under another object). */
    size_t n_orphans = 0;
    for (size_t o = 0; shown && o < dc.n_objects; o++) {
        if (shown[o] || object_is_nested(in->adm, dc.n_objects, o))
            continue;
        if (!n_orphans++)
            printf("Objects outside any programme:\n");
        print_object_line(in, o, 0, 0);
    }
    free(shown);
    /* Packs that no object uses (a bare pack/channel document). */
    if (dc.n_objects == 0)
        for (size_t p = 0; p < dc.n_packs; p++) {
            objr_adm_pack_info pi;
            if (objr_adm_get_pack(in->adm, p, &pi) != OBJR_OK || pi.is_common_definition)
                continue;
            printf("Pack %s \"%s\"  %s  %zu ch%s%s\n", pi.id, pi.name ? pi.name : "",
                   type_name(pi.type), pi.n_channels, pi.layout ? "  layout " : "",
                   pi.layout ? pi.layout : "");
        }
}

/* JSON list of the IDs as written of references 0..n-1 (one getter of objr_adm.h). */
typedef objr_status (*ref_getter)(const objr_adm *, size_t, size_t, objr_adm_ref *);

static void json_ref_ids(FILE *fp, const objr_adm *adm, ref_getter get, size_t i, size_t n) {
    for (size_t k = 0; k < n; k++) {
        objr_adm_ref r;
        fputs(k ? "," : "", fp);
        objr_json_write_string(fp, get(adm, i, k, &r) == OBJR_OK ? r.id : NULL);
    }
}

static void json_programme(FILE *fp, const objr_adm *adm, size_t p) {
    objr_adm_programme_info pr;
    objr_adm_programme_times pt;
    if (objr_adm_get_programme(adm, p, &pr) != OBJR_OK ||
        objr_adm_get_programme_times(adm, p, &pt) != OBJR_OK)
        return;
    fprintf(fp, "%s{\"id\":", p ? "," : "");
    objr_json_write_string(fp, pr.id);
    fputs(",\"name\":", fp);
    objr_json_write_string(fp, pr.name);
    fputs(",\"language\":", fp);
    objr_json_write_string(fp, pr.language);
    fputs(",\"start_s\":", fp);
    json_num(fp, pt.start_s, pt.has_start);
    fputs(",\"end_s\":", fp);
    json_num(fp, pt.end_s, pt.has_end);
    fputs(",\"contents\":[", fp);
    json_ref_ids(fp, adm, objr_adm_get_programme_content, p, pr.n_contents);
    fputs("],\"loudness\":", fp);
    json_loudness(fp, adm, 0, p);
    fputc('}', fp);
}

static void json_content(FILE *fp, const objr_adm *adm, size_t c) {
    objr_adm_content_info co;
    if (objr_adm_get_content(adm, c, &co) != OBJR_OK)
        return;
    fprintf(fp, "%s{\"id\":", c ? "," : "");
    objr_json_write_string(fp, co.id);
    fputs(",\"name\":", fp);
    objr_json_write_string(fp, co.name);
    fprintf(fp, ",\"dialogue\":%d,\"objects\":[", co.dialogue);
    json_ref_ids(fp, adm, objr_adm_get_content_object, c, co.n_objects);
    fputs("],\"loudness\":", fp);
    json_loudness(fp, adm, 1, c);
    fputc('}', fp);
}

/* The packs of object @p oi: ID as written, and what it resolves to. */
static void json_object_packs(FILE *fp, const objr_adm *adm, size_t oi, size_t n) {
    for (size_t p = 0; p < n; p++) {
        objr_adm_ref r;
        objr_adm_pack_info pi;
        int ok = objr_adm_get_object_pack(adm, oi, p, &r) == OBJR_OK;
        fprintf(fp, "%s{\"id\":", p ? "," : "");
        objr_json_write_string(fp, ok ? r.id : NULL);
        if (ok && r.index != OBJR_ADM_NO_INDEX && objr_adm_get_pack(adm, r.index, &pi) == OBJR_OK) {
            fprintf(fp,
                    ",\"type\":\"%s\",\"n_channels\":%zu,\"common_definition\":%s,"
                    "\"layout\":",
                    type_name(pi.type), pi.n_channels, pi.is_common_definition ? "true" : "false");
            objr_json_write_string(fp, pi.layout);
        }
        fputc('}', fp);
    }
}

/* The track UIDs of object @p oi: ID as written, track, channel format and stem. */
static void json_object_uids(FILE *fp, const objr_adm *adm, size_t oi, size_t n) {
    for (size_t k = 0; k < n; k++) {
        objr_adm_ref r;
        int ok = objr_adm_get_object_track_uid(adm, oi, k, &r) == OBJR_OK;
        fprintf(fp, "%s{\"id\":", k ? "," : "");
        objr_json_write_string(fp, ok ? r.id : NULL);
        objr_adm_track_uid_info ti;
        objr_adm_track_uid_stem su;
        if (ok && r.index != OBJR_ADM_NO_INDEX &&
            objr_adm_get_track_uid(adm, r.index, &ti) == OBJR_OK &&
            objr_adm_get_track_uid_stem(adm, r.index, &su) == OBJR_OK) {
            fprintf(fp, ",\"track\":%u,\"channel_format\":", ti.track_index);
            objr_json_write_string(fp, ti.channel_id);
            fputs(",\"stem\":", fp);
            objr_json_write_string(fp, su.file);
            fprintf(fp, ",\"stem_channel\":%u", ti.stem_channel);
        }
        fputc('}', fp);
    }
}

static void json_object(FILE *fp, const objr_adm *adm, size_t oi) {
    objr_adm_object_info info;
    if (objr_adm_get_object(adm, oi, &info) != OBJR_OK)
        return;
    fprintf(fp, "%s{\"id\":", oi ? "," : "");
    objr_json_write_string(fp, info.id);
    fputs(",\"name\":", fp);
    objr_json_write_string(fp, info.name);
    fputs(",\"type\":", fp);
    objr_json_write_string(fp, type_name(info.type));
    fputs(",\"start_s\":", fp);
    json_num(fp, info.start_s, info.start_s >= 0);
    fputs(",\"duration_s\":", fp);
    json_num(fp, info.duration_s, info.duration_s >= 0);
    fprintf(fp, ",\"n_blocks\":%zu,\"gain\":%.6g,\"mute\":%s,\"packs\":[", info.n_blocks, info.gain,
            info.mute ? "true" : "false");
    json_object_packs(fp, adm, oi, info.n_packs);
    fputs("],\"children\":[", fp);
    json_ref_ids(fp, adm, objr_adm_get_object_child, oi, info.n_children);
    fputs("],\"track_uids\":[", fp);
    json_object_uids(fp, adm, oi, info.n_track_uids);
    fputs("]}", fp);
}

static void info_json(const input *in) {
    doc_counts dc = count_doc(in->adm);
    objr_adm_document_info doc = {NULL, 0};
    (void)objr_adm_get_document(in->adm, &doc);
    uint32_t rate;
    uint64_t frames;
    unsigned n_tracks;
    const char *sfmt;
    input_audio(in, &rate, &frames, &n_tracks, &sfmt);
    static const char *containers[] = {"RIFF", "RF64", "BW64"};
    FILE *fp = stdout;
    fputs("{\"file\":", fp);
    objr_json_write_string(fp, in->path);
    fputs(",\"kind\":", fp);
    objr_json_write_string(fp, in->is_bwf ? "bwf" : "xml");
    if (in->is_bwf) {
        fputs(",\"container\":", fp);
        objr_json_write_string(fp, (unsigned)in->fmt.container < 3 ? containers[in->fmt.container]
                                                                   : NULL);
    }
    fprintf(fp, ",\"sample_rate_hz\":%u,\"n_tracks\":%u,\"n_frames\":%llu,\"duration_s\":", rate,
            n_tracks, (unsigned long long)frames);
    json_num(fp, rate ? (double)frames / rate : 0.0, rate != 0);
    fputs(",\"sample_format\":", fp);
    objr_json_write_string(fp, sfmt);
    fputs(",\"adm_version\":", fp);
    objr_json_write_string(fp, doc.version);
    fprintf(fp, ",\"n_blocks\":%zu", doc.n_blocks);

    fputs(",\"stems\":[", fp);
    for (size_t s = 0; s < in->n_stems; s++) {
        const stem_info *si = &in->stems[s];
        fprintf(fp, "%s{\"path\":", s ? "," : "");
        objr_json_write_string(fp, si->path);
        if (si->ok)
            fprintf(fp, ",\"ok\":true,\"n_channels\":%u,\"sample_rate_hz\":%u,\"n_frames\":%llu}",
                    si->fmt.n_channels, si->fmt.sample_rate_hz,
                    (unsigned long long)si->fmt.n_frames);
        else {
            fputs(",\"ok\":false,\"error\":", fp);
            objr_json_write_string(fp, si->error);
            fputc('}', fp);
        }
    }
    fputs("],\"programmes\":[", fp);
    for (size_t p = 0; p < dc.n_programmes; p++)
        json_programme(fp, in->adm, p);
    fputs("],\"contents\":[", fp);
    for (size_t c = 0; c < dc.n_contents; c++)
        json_content(fp, in->adm, c);
    fputs("],\"objects\":[", fp);
    for (size_t oi = 0; oi < dc.n_objects; oi++)
        json_object(fp, in->adm, oi);
    fputs("],\"dbmd\":", fp);
    info_dbmd(in, fp, 1);
    fputs("}\n", fp);
}

static int cmd_info(const tool_args *a) {
    const char *path = a->n_pos > 1 ? a->pos[1] : NULL;
    int json = a->json;
    if (a->n_pos > 2)
        return tool_usage_error(&cli, "info: more than one file (%s)", a->pos[2]);
    if (!path)
        return tool_usage_error(&cli, "usage: " PROG " info FILE [--json]");
    input in;
    int ok = input_open(&in, path);
    if (ok) {
        if (json)
            info_json(&in);
        else
            info_text(&in);
    }
    input_free(&in);
    return ok ? EXIT_OK : EXIT_INPUT;
}

/* ---------------------------------------------------------------------------------------- */
/* validate                                                                                  */

/* Every sample of the mix: non-finite ones (NaN, Inf) are counted, one line for all. Returns
 * the number of error lines printed. */
static size_t scan_samples(const char *path, int allow_external_stems) {
    objr_mix_config mc = objr_mix_config_default();
    mc.validate = 0;
    mc.repair_nonfinite = 1; /* count them all, report them once */
    mc.allow_external_stems = allow_external_stems;
    objr_mix *mix = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_mix_open(path, &mc, &mix, &d);
    if (st == OBJR_OK)
        st = objr_mix_open_audio(mix, BLOCK_FRAMES, &d);
    uint64_t left = st == OBJR_OK ? objr_mix_frames(mix) : 0;
    while (st == OBJR_OK && left > 0) {
        size_t n = left < BLOCK_FRAMES ? (size_t)left : BLOCK_FRAMES;
        st = objr_mix_read(mix, n, &d);
        left -= n;
    }
    if (st != OBJR_OK) {
        if (st == OBJR_ERR_NOMEM) /* not a finding about the file: exit 4 (see main) */
            print_diag(path, st, &d);
        else
            printf("%s: error: %s\n", path, d.message[0] ? d.message : objr_strerror(st));
        objr_mix_destroy(mix);
        return 1;
    }
    char line[OBJR_DIAG_MESSAGE_SIZE];
    uint64_t n_bad = objr_mix_nonfinite(mix, line, sizeof line);
    objr_mix_destroy(mix);
    if (!n_bad)
        return 0;
    printf("%s: error: %s: objrender refuses them (--repair-nonfinite renders them as "
           "silence)\n",
           path, line);
    return 1;
}

/* What validate found, by severity. */
typedef struct counts {
    size_t err, warn, note;
} counts;

/* The validator's problems (errors one by one, each is something to mend; fixes and notes
 * one line per kind, every occurrence too with --verbose); counts added to @p c. */
static void validate_problems(const input *in, const char *path, int verbose, counts *c) {
    const objr_adm_problem *pr = NULL;
    size_t n = 0;
    (void)objr_adm_validate(in->adm, in->is_bwf ? in->fmt.n_channels : 0, &pr, &n);
    for (size_t k = 0; k < n; k++) {
        int err = pr[k].severity == OBJR_ADM_ERROR;
        c->err += (size_t)err;
        if (!err && !verbose)
            continue;
        const char *msg = pr[k].message ? pr[k].message : "";
        printf("%s: %s: ", path,
               err                               ? "error"
               : pr[k].severity == OBJR_ADM_NOTE ? "note"
                                                 : "fixed");
        if (pr[k].element_id && pr[k].element_id[0]) {
            printf("%s: ", pr[k].element_id);
            msg = skip_id(msg, pr[k].element_id);
        }
        if (pr[k].line > 0)
            printf("line %ld: ", pr[k].line);
        printf("%s\n", msg);
    }
    for (size_t k = 0; k < objr_adm_finding_count(in->adm); k++) {
        objr_adm_finding f;
        if (objr_adm_get_finding(in->adm, k, &f) != OBJR_OK || f.severity == OBJR_ADM_ERROR)
            continue;
        int note = f.severity == OBJR_ADM_NOTE;
        if (note)
            c->note += f.count;
        else
            c->warn += f.count;
        printf("%s: %s: %s\n", path, note ? "note" : "fixed", f.text);
    }
}

/* mix.xml stems: each readable, all at one rate; shorter ones padded (a warning). */
static void validate_stem_files(const input *in, const char *path, counts *c) {
    uint32_t rate = 0;
    uint64_t frames = 0;
    for (size_t s = 0; s < in->n_stems; s++) {
        if (!in->stems[s].ok) {
            printf("%s: error: stem %s: %s\n", path, in->stems[s].path, in->stems[s].error);
            c->err++;
            continue;
        }
        if (!rate)
            rate = in->stems[s].fmt.sample_rate_hz;
        else if (in->stems[s].fmt.sample_rate_hz != rate) {
            printf("%s: error: stem %s: %u Hz, but other stems are %u Hz\n", path,
                   in->stems[s].path, in->stems[s].fmt.sample_rate_hz, rate);
            c->err++;
        }
        if (in->stems[s].fmt.n_frames > frames)
            frames = in->stems[s].fmt.n_frames;
    }
    for (size_t s = 0; s < in->n_stems; s++)
        if (in->stems[s].ok && in->stems[s].fmt.n_frames != frames) {
            printf("%s: warning: stem %s: %llu frames, the longest stem has %llu (padded "
                   "with silence)\n",
                   path, in->stems[s].path, (unsigned long long)in->stems[s].fmt.n_frames,
                   (unsigned long long)frames);
            c->warn++;
        }
}

/* mix.xml audioTrackUIDs: each has a stem (or a track index) and its channel exists. */
static void validate_uid_stems(const input *in, const char *path, counts *c) {
    size_t n_uids = objr_adm_count(in->adm, OBJR_ADM_TRACK_UID);
    for (size_t u = 0; u < n_uids; u++) {
        objr_adm_track_uid_info x;
        objr_adm_track_uid_stem xs;
        if (objr_adm_get_track_uid(in->adm, u, &x) != OBJR_OK ||
            objr_adm_get_track_uid_stem(in->adm, u, &xs) != OBJR_OK)
            continue;
        long line = objr_adm_element_line(in->adm, OBJR_ADM_TRACK_UID, u);
        if (!xs.path) {
            if (x.track_index == 0) {
                printf("%s: error: %s: line %ld: no audio: neither an objr:file stem nor a "
                       "track index\n",
                       path, x.id, line);
                c->err++;
            }
            continue;
        }
        for (size_t s = 0; s < in->n_stems; s++)
            if (in->stems[s].ok && !strcmp(in->stems[s].path, xs.path) &&
                xs.channel > in->stems[s].fmt.n_channels) {
                printf("%s: error: %s: line %ld: objr:channel %u, but %s has %u channel%s\n", path,
                       x.id, line, xs.channel, xs.file, in->stems[s].fmt.n_channels,
                       in->stems[s].fmt.n_channels == 1 ? "" : "s");
                c->err++;
            }
    }
}

static int cmd_validate(const tool_args *a) {
    const char *path = a->n_pos > 1 ? a->pos[1] : NULL;
    if (a->n_pos > 2)
        return tool_usage_error(&cli, "validate: more than one file (%s)", a->pos[2]);
    if (!path)
        return tool_usage_error(&cli, "usage: " PROG " validate FILE");
    input in;
    if (!input_open(&in, path)) {
        input_free(&in);
        return EXIT_INPUT;
    }
    counts c = {0, 0, 0};
    validate_problems(&in, path, a->verbose, &c);
    /* mix.xml (an XML document using the stem extension): every audioTrackUID needs a
     * readable stem with that channel, all at one rate. A plain ADM XML document without
     * stems is metadata only and is checked as such. */
    if (!in.is_bwf && in.n_stems > 0) {
        validate_stem_files(&in, path, &c);
        validate_uid_stems(&in, path, &c);
    }
    if (c.err == 0 && (in.is_bwf || in.n_stems > 0))
        c.err +=
            scan_samples(in.spool ? in.spool_path : path, tool_given(a, O_ALLOW_EXTERNAL_STEMS));
    printf("%s: %zu error%s, %zu warning%s", path, c.err, c.err == 1 ? "" : "s", c.warn,
           c.warn == 1 ? "" : "s");
    if (c.note)
        printf(", %zu note%s", c.note, c.note == 1 ? "" : "s");
    printf("\n");
    input_free(&in);
    return c.err ? EXIT_INPUT : EXIT_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* fix                                                                                       */

/* Print the findings of @p adm (fixed kinds, one line each) and the first error. Returns the
 * number of errors. */
static size_t fix_report(const char *path, objr_adm *adm, size_t n_channels) {
    const objr_adm_problem *pr = NULL;
    size_t n = 0, n_err = 0;
    (void)objr_adm_validate(adm, n_channels, &pr, &n);
    for (size_t k = 0; k < n; k++)
        if (pr[k].severity == OBJR_ADM_ERROR && !n_err++) {
            const char *id = pr[k].element_id ? pr[k].element_id : "";
            fail_msg("%s: %s%s%s (not fixable; see '" PROG " validate %s')", path, id,
                     id[0] ? ": " : "", skip_id(pr[k].message ? pr[k].message : "", id), path);
        }
    for (size_t k = 0; k < objr_adm_finding_count(adm) && !n_err; k++) {
        objr_adm_finding f;
        if (objr_adm_get_finding(adm, k, &f) == OBJR_OK && f.severity == OBJR_ADM_FIXED)
            printf("%s: fixed: %s\n", path, f.text);
    }
    return n_err;
}

/* Write @p n bytes to @p path as the one output of a set that also knows the input @p in. */
static int write_whole(const char *in, const char *path, const char *data, size_t n) {
    objr_outset *set = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_outset_create(&set);
    if (st == OBJR_OK)
        st = objr_outset_add_input(set, in, &d);
    if (st == OBJR_OK)
        st = tool_outset_write(set, path, data, n, &d);
    if (st == OBJR_OK)
        st = objr_outset_commit(set, &d);
    objr_outset_destroy(set);
    if (st == OBJR_OK)
        return EXIT_OK;
    diag_fail(path, st, &d);
    return tool_exit_for_output(st);
}

/* The repaired text: the source with only the fixed places changed, or, where a fixed kind
 * has no textual repair yet, the whole document written back. */
static objr_status repaired(const objr_adm *adm, const char *src, size_t n, char **out,
                            size_t *len) {
    objr_status st = objr_adm_patch_mem(adm, src, n, out, len);
    if (st == OBJR_ERR_UNSUPPORTED)
        st = objr_adm_write_mem(adm, out, len);
    return st;
}

/* The whole of the regular file @p path (malloc'd), or NULL. */
static char *read_whole(const char *path, size_t *n) {
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    long size = -1;
    if (fp && fseek(fp, 0, SEEK_END) == 0 && (size = ftell(fp)) >= 0 &&
        fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1)) &&
        fread(buf, 1, (size_t)size, fp) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    if (fp)
        fclose(fp);
    if (buf)
        *n = (size_t)size;
    return buf;
}

/* The fixed axml of @p f (the source text with the fixes spliced in), or NULL with one line
 * printed (errors that no fix mends refuse the file). */
static char *fix_axml(const char *in, const objr_bwf *f, const uint8_t *axml, size_t axml_len,
                      uint32_t n_channels, objr_bwf_chna_entry **chna, size_t *n_chna,
                      size_t *xml_len) {
    *n_chna = objr_bwf_chna_count(f);
    if (!(*chna = calloc(*n_chna ? *n_chna : 1, sizeof **chna))) {
        fail_msg("%s: out of memory", in);
        return NULL;
    }
    for (size_t i = 0; i < *n_chna; i++)
        (void)objr_bwf_get_chna_entry(f, i, &(*chna)[i]);
    objr_adm *adm = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_adm_config cfg = adm_config();
    objr_status st;
    char *xml = NULL;
    if ((st = objr_adm_parse_mem((const char *)axml, axml_len, &cfg, &adm, &d)) != OBJR_OK ||
        (st = objr_adm_apply_chna(adm, *chna, *n_chna, &d)) != OBJR_OK)
        print_diag(in, st, &d);
    else if (!fix_report(in, adm, n_channels) &&
             repaired(adm, (const char *)axml, axml_len, &xml, xml_len) != OBJR_OK)
        fail_msg("%s: out of memory", in);
    objr_adm_destroy(adm);
    return xml;
}

/* Copy every frame of @p f into @p w through float32 (exact for PCM up to 24 bits and float). */
static objr_status fix_copy_audio(objr_bwf *f, const objr_bwf_format *fmt, objr_bwf_writer *w) {
    enum { STEP = 4096 };
    objr_status st = OBJR_OK;
    float **buf = calloc(fmt->n_channels, sizeof *buf);
    for (uint32_t c = 0; buf && c < fmt->n_channels; c++)
        if (!(buf[c] = malloc(STEP * sizeof(float))))
            st = OBJR_ERR_NOMEM;
    if (!buf)
        st = OBJR_ERR_NOMEM;
    for (uint64_t done = 0; st == OBJR_OK && done < fmt->n_frames;) {
        size_t want = fmt->n_frames - done < STEP ? (size_t)(fmt->n_frames - done) : STEP, got = 0;
        if ((st = objr_bwf_read_f32(f, buf, want, &got)) == OBJR_OK && got == 0)
            st = OBJR_ERR_TRUNCATED;
        if (st == OBJR_OK)
            st = objr_bwf_writer_write_f32(w, (const float *const *)buf, got);
        done += got;
    }
    for (uint32_t c = 0; buf && c < fmt->n_channels; c++)
        free(buf[c]);
    free(buf);
    return st;
}

/* The output: bext first, chna, the fixed axml, every other chunk, then the audio. */
static int fix_write(const char *in, const char *out, objr_bwf *f, const objr_bwf_format *fmt,
                     const objr_bwf_chna_entry *chna, size_t n_chna, const char *xml,
                     size_t xml_len) {
    objr_bwf_writer_config wc = objr_bwf_writer_config_default();
    wc.n_channels = fmt->n_channels;
    wc.sample_rate_hz = fmt->sample_rate_hz;
    wc.sample_format = fmt->sample_format;
    wc.channel_mask = fmt->channel_mask;
    objr_bwf_writer *w = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_bwf_writer_create(out, &wc, &d, &w);
    if (st != OBJR_OK) {
        print_diag(out, st, &d);
        return EXIT_OUTPUT;
    }
    for (size_t i = 0; i < objr_bwf_chunk_count(f) && st == OBJR_OK; i++) {
        objr_bwf_chunk c;
        if (objr_bwf_get_chunk(f, i, &c) == OBJR_OK && !strcmp(c.id, "bext") && c.data)
            st = objr_bwf_writer_add_chunk(w, "bext", c.data, (size_t)c.size);
    }
    if (st == OBJR_OK)
        st = objr_bwf_writer_set_chna(w, chna, n_chna);
    if (st == OBJR_OK)
        st = objr_bwf_writer_set_axml(w, xml, xml_len);
    if (st == OBJR_OK)
        st = objr_bwf_writer_copy_chunks(w, f);
    if (st == OBJR_OK)
        st = fix_copy_audio(f, fmt, w);
    if (st != OBJR_OK) {
        fail_msg("%s: %s", in, objr_strerror(st));
        objr_bwf_writer_abort(w);
        return st == OBJR_ERR_NOMEM ? EXIT_INTERNAL : EXIT_INPUT;
    }
    if ((st = objr_bwf_writer_close(w, &d)) != OBJR_OK) {
        print_diag(out, st, &d);
        return EXIT_OUTPUT;
    }
    return EXIT_OK;
}

/* An ADM BWF: the fixed axml replaces the original; chna, bext and every other chunk are
 * copied byte for byte, and the audio sample for sample (integer PCM up to 24 bits and float
 * pass through float32 exactly). */
static int fix_bwf(const char *in, const char *out) {
    objr_bwf *f = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_bwf_open_file(in, NULL, &d, &f);
    if (st != OBJR_OK) {
        print_diag(in, st, &d);
        return EXIT_INPUT;
    }
    objr_bwf_format fmt;
    (void)objr_bwf_get_format(f, &fmt);
    objr_bwf_chna_entry *chna = NULL;
    size_t n_chna = 0, xml_len = 0;
    char *xml = NULL;
    const uint8_t *axml = NULL;
    size_t axml_len = 0;
    (void)objr_bwf_get_axml(f, &axml, &axml_len);
    int rc = EXIT_INPUT;
    if (!axml)
        fail_msg("%s: no axml chunk: nothing to fix", in);
    else if (fmt.sample_format == OBJR_BWF_SAMPLE_PCM32)
        fail_msg("%s: 32-bit integer audio cannot pass through unchanged", in);
    else if ((xml = fix_axml(in, f, axml, axml_len, fmt.n_channels, &chna, &n_chna, &xml_len)))
        rc = fix_write(in, out, f, &fmt, chna, n_chna, xml, xml_len);
    free(xml);
    free(chna);
    objr_bwf_close(f);
    return rc;
}

static int cmd_fix(const tool_args *a) {
    if (a->n_pos != 3)
        return tool_usage_error(&cli, "usage: " PROG " fix IN OUT");
    const char *in = a->pos[1], *out = a->pos[2];
    struct stat si, so;
    if (!strcmp(in, out) || (stat(in, &si) == 0 && stat(out, &so) == 0 && si.st_dev == so.st_dev &&
                             si.st_ino == so.st_ino)) {
        fail_msg("fix: %s would overwrite the input", out);
        return EXIT_USAGE;
    }
    objr_diag ck;
    objr_diag_clear(&ck);
    if (objr_input_check(in, &ck) != OBJR_OK) { /* never open a FIFO: it would hang */
        fail_msg("%s", ck.message);
        return EXIT_INPUT;
    }
    FILE *fp = fopen(in, "rb");
    char magic[4] = {0};
    if (!fp || fread(magic, 1, 4, fp) != 4) {
        if (fp)
            fclose(fp);
        fail_msg("%s: cannot read", in);
        return EXIT_INPUT;
    }
    fclose(fp);
    if (!memcmp(magic, "RIFF", 4) || !memcmp(magic, "RF64", 4) || !memcmp(magic, "BW64", 4))
        return fix_bwf(in, out);
    objr_adm *adm = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_adm_config cfg = adm_config();
    objr_status st = objr_adm_load_file(in, &cfg, &adm, &d);
    if (st != OBJR_OK) {
        print_diag(in, st, &d);
        return EXIT_INPUT;
    }
    char *xml = NULL, *src = NULL;
    size_t len = 0, n_src = 0;
    int rc = EXIT_INPUT;
    if (!fix_report(in, adm, 0)) {
        if (!(src = read_whole(in, &n_src)))
            fail_msg("%s: cannot read", in);
        else if (repaired(adm, src, n_src, &xml, &len) != OBJR_OK)
            fail_msg("%s: out of memory", in);
        else
            rc = write_whole(in, out, xml, len);
    }
    free(src);
    free(xml);
    objr_adm_destroy(adm);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */

static int run_command(const tool_args *a) {
    if (a->n_pos == 0)
        return tool_usage_error(&cli, "no COMMAND given (info, validate, fix, pack or unpack)");
    static const char *const commands[] = {"info", "validate", "fix", "pack", "unpack", NULL};
    const char *cmd = a->pos[0];
    int is_pack = !strcmp(cmd, "pack");
    if (!is_pack &&
        (tool_given(a, O_FORMAT) || tool_given(a, O_SAMPLE_FORMAT) || tool_given(a, O_BITS)))
        return tool_usage_error(&cli, "--format, --sample-format and --bits are pack options");
    if (!strcmp(cmd, "info"))
        return cmd_info(a);
    g_strict = tool_given(a, O_STRICT);
    if (g_strict && strcmp(cmd, "validate") != 0 && strcmp(cmd, "fix") != 0)
        return tool_usage_error(&cli, "--strict is a validate and fix option");
    if (!strcmp(cmd, "validate"))
        return cmd_validate(a);
    if (is_pack)
        return cmd_pack(a);
    if (!strcmp(cmd, "unpack"))
        return cmd_unpack(a);
    if (!strcmp(cmd, "fix"))
        return cmd_fix(a);
    const char *near = tool_closest(cmd, commands);
    if (near)
        return tool_usage_error(&cli, "unknown command '%s' (did you mean %s?)", cmd, near);
    return tool_usage_error(&cli, "unknown command '%s'", cmd);
}

int main(int argc, char **argv) {
    tool_args a;
    /* "admtool help" is --help */
    if (argc == 2 && !strcmp(argv[1], "help")) {
        tool_print_help(&cli, stdout);
        return EXIT_OK;
    }
    objr_outfile_install_signal_cleanup();
    int rc = tool_parse(&cli, argc, argv, &a);
    if (rc < 0)
        rc = run_command(&a);
    if (g_nomem && rc != EXIT_OK)
        rc = EXIT_INTERNAL;
    tool_args_free(&a);
    return rc;
}
