/* SPDX-License-Identifier: BSD-3-Clause */
/* The one command-line parser of the objrender tools: each tool describes its options in one
 * table (long and short name, value type, range, default, unit, help); the same table parses
 * argv, checks values and generates --help. The options every tool shares (-h/--help,
 * --version, -o/--output, -q/--quiet, -v/--verbose, --json) and the options whose meaning is
 * shared between tools (--format, --sample-format/--bits, --lufs, --tp, --preset, --hrtf ...)
 * are defined here once, so a name means the same thing in every tool. */
#ifndef OBJR_TOOLS_TOOL_OPTIONS_H
#define OBJR_TOOLS_TOOL_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

/* Value types. */
typedef enum tool_opt_type {
    TOOL_FLAG,   /* no value; may be repeated (counted) */
    TOOL_STRING, /* any text */
    TOOL_ENUM,   /* one of `choices` (or a deprecated spelling from `choice_aliases`) */
    TOOL_NUMBER, /* a finite real number in [min, max] */
    TOOL_INT,    /* an integer in [min, max] */
    TOOL_TIME,   /* seconds >= 0: "12.5", "mm:ss[.fff]" or "hh:mm:ss[.fff]" */
    TOOL_ALIAS,  /* another spelling of option `alias_of` (deprecated when flagged so) */
} tool_opt_type;

enum {
    TOOL_OPT_DEPRECATED = 1u, /* TOOL_ALIAS: accepted with one deprecation line */
    TOOL_OPT_REPEAT = 2u,     /* may be given more than once; every value is kept */
    TOOL_OPT_HIDDEN = 4u,     /* not listed by --help (old spellings) */
};

typedef struct tool_option {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 when none */
    tool_opt_type type;
    const char *arg;            /* value placeholder in --help */
    const char *def;            /* default as --help shows it; NULL or "" when none */
    double min, max;            /* TOOL_NUMBER/TOOL_INT range, inclusive */
    const char *const *choices; /* TOOL_ENUM: NULL-terminated canonical values */
    const char *unit;           /* unit of a number ("dB", "LUFS", "s"); NULL when none */
    const char *help;           /* what it does (wrapped by --help) */
    int alias_of;               /* TOOL_ALIAS: index in the same table */
    unsigned flags;             /* TOOL_OPT_* */
    /* Values that belong to another option (an old meaning of this name): "OLD=NEW,..."
     * pairs or plain values, moved to option `legacy_to` with one deprecation line. */
    const char *legacy_values;
    int legacy_to;
    /* TOOL_ENUM: deprecated spellings of choices, "old=new,old=new". */
    const char *choice_aliases;
} tool_option;

/* A tool's command line: its table and the text around the generated option list. */
typedef struct tool_cli {
    const char *prog;        /* "objrender" */
    const char *synopsis;    /* "Usage: ..." lines */
    const char *description; /* paragraph after the synopsis (may be NULL) */
    const tool_option *options;
    size_t n_options;
    const char *output_arg;  /* -o placeholder ("OUT", "DIR") */
    const char *output_help; /* what -o means for this tool */
    const char *output_def;  /* its default */
    const char *epilogue;    /* text after the option list, before the exit codes */
} tool_cli;

#define TOOL_MAX_OPTIONS 64
/* alias_of values naming a common option (objcheck's old --out is --output). */
#define TOOL_COMMON_BASE 1000
#define TOOL_COMMON_OUTPUT (TOOL_COMMON_BASE + 2)

typedef struct tool_value {
    int count;       /* times given (flags: the count) */
    const char *str; /* last value as given (ENUM: the canonical choice) */
    double num;      /* NUMBER/INT/TIME: the parsed value */
    int choice;      /* ENUM: index in choices */
} tool_value;

typedef struct tool_occurrence {
    int opt; /* index in the tool's table */
    const char *value;
} tool_occurrence;

typedef struct tool_args {
    const tool_cli *cli;
    tool_value v[TOOL_MAX_OPTIONS];
    /* the shared options */
    const char *output;
    int quiet, verbose, json;
    /* positional arguments in order ("-" is positional; everything after "--" too) */
    const char **pos;
    size_t n_pos;
    /* every option given, in order (for TOOL_OPT_REPEAT options) */
    tool_occurrence *occ;
    size_t n_occ;
} tool_args;

/* Parses argv. Returns -1 when the tool should go on, else the exit status to return at once:
 * 0 after printing --help or --version, EXIT_USAGE (1) after one line naming the problem
 * (with "did you mean ..." when a known name is close), EXIT_INTERNAL when out of memory.
 * Call tool_args_free() in every case. */
int tool_parse(const tool_cli *cli, int argc, char **argv, tool_args *a);
void tool_args_free(tool_args *a);

/* 1 when option @p i was given. */
static inline int tool_given(const tool_args *a, int i) {
    return a->v[i].count > 0;
}

/* Prints "prog: <message> (prog --help)" on stderr and returns EXIT_USAGE. */
int tool_usage_error(const tool_cli *cli, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Prints "prog: warning: <message>" on stderr. */
void tool_warn(const tool_cli *cli, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Writes the generated --help to @p f. */
void tool_print_help(const tool_cli *cli, FILE *f);

/* Seconds from "12.5", "mm:ss[.fff]", "hh:mm:ss[.fff]", or the SMPTE timecode "hh:mm:ss:ff" at
 * @p fps frames per second (0: not given, then refused); -1 when malformed. *is_tc (when not
 * NULL) is set for the hh:mm:ss forms (a session timecode, see objrender's --start). */
double tool_parse_time(const char *s, double fps, int *is_tc);

/* The closest of @p names (NULL-terminated) to @p s when close enough to suggest, else NULL. */
const char *tool_closest(const char *s, const char *const *names);

/* File formats by index in tool_file_formats. */
enum { TOOL_FF_WAV, TOOL_FF_RF64, TOOL_FF_FLAC, TOOL_FF_MP3, TOOL_FF_CAF, TOOL_FF_OPUS };
#define TOOL_FF_BIT(f) (1u << (f))

/* The file format of output @p path: --format when given (@p format_choice >= 0), else the
 * extension (.wav, .rf64/.bw64, .flac, .mp3, .caf, .opus/.ogg; "-" is stdout: WAV). A format
 * outside @p writable (TOOL_FF_BIT mask of what this tool and run can write) or an unknown
 * extension is refused before any work: EXIT_USAGE after one line naming the path and what
 * can be written. */
int tool_output_format(const tool_cli *cli, const char *path, int format_choice, unsigned writable,
                       int *format);

/* --preset NAME into @p target (objrender/objr_master.h objr_master_target); EXIT_USAGE after
 * one line listing the presets (with "did you mean") when unknown. */
struct objr_master_target;
int tool_preset(const tool_cli *cli, const char *name, struct objr_master_target *target);

/* --codec-check LIST ("mp3,opus,aac", or "all") into an OBJR_CODEC_BIT() mask; EXIT_USAGE
 * after one line naming the unknown codec (with "did you mean"). */
int tool_codec_mask(const tool_cli *cli, const char *list, unsigned *mask);

/* ---- Options with one meaning in every tool (include them in a table as entries) ---- */

/* Sample formats (--sample-format, and --bits as its number-of-bits spelling). */
extern const char *const tool_sample_formats[]; /* "s16", "s24", "s32", "f32", NULL */
enum { TOOL_SF_S16, TOOL_SF_S24, TOOL_SF_S32, TOOL_SF_F32 };
extern const char *const tool_bits_values[]; /* "16", "24", "32", NULL (32 = float) */
/* File formats (--format; also chosen by the output's extension). */
extern const char *const tool_file_formats[];
/* Loudness targets: one range in every tool. */
#define TOOL_LUFS_MIN (-70.0)
#define TOOL_LUFS_MAX 0.0
#define TOOL_TP_MIN (-20.0)
#define TOOL_TP_MAX 0.0
extern const char *const tool_hrtf_eq_values[];       /* "diffuse", "none" */
extern const char *const tool_binaural_mode_values[]; /* "dry","off","near","mid","far" */
/* objr_binaural_mode value of a tool_binaural_mode_values index. */
int tool_binaural_mode(int choice);
/* Limiter styles in objr_limiter_style order: "transparent", "punchy", "safe". */
extern const char *const tool_limiter_style_values[];

#define TOOL_HELP_FORMAT                                                                           \
    "file format; without it the output's extension decides (.wav .rf64 .flac .mp3 .caf .opus)"
#define TOOL_HELP_SAMPLE_FORMAT                                                                    \
    "sample format: 16/24/32-bit integer PCM or 32-bit float (not every format holds all)"
#define TOOL_HELP_BITS "sample format as bits: 16 = s16, 24 = s24, 32 = f32 (32-bit float)"
#define TOOL_HELP_LUFS "custom integrated-loudness target (BS.1770, the file's channel weights)"
#define TOOL_HELP_TP "custom true-peak ceiling"
#define TOOL_HELP_HRTF "binaural: SOFA HRTF set (any sample rate)"
#define TOOL_HELP_HRTF_EQ "binaural: diffuse-field equalised HRTFs, or the set's own responses"
#define TOOL_HELP_BINAURAL_MODE                                                                    \
    "binaural: room for objects without headphoneVirtualise (dry = anechoic)"
#define TOOL_HELP_PRESET "delivery target (objmaster --help lists the presets and their basis)"
#define TOOL_HELP_LIMITER_STYLE                                                                    \
    "mastering limiter: transparent (look-ahead 5 ms + 7.5 ms hold; release 50 ms after short "    \
    "peaks, up to 500 ms under sustained overload), punchy (1.5 ms, 15..150 ms: keeps attacks, "   \
    "distorts loud bass), safe (10 ms + 15 ms hold, 80..800 ms, 0.3 dB more headroom)"

/* Table entries; the designated index is the tool's own enum constant. */
#define TOOL_OPTION_FORMAT TOOL_OPTION_FORMAT_LEGACY(NULL, 0)
/* --format, where it once named the sample format: those values move to option @p to. */
#define TOOL_OPTION_FORMAT_LEGACY(values, to)                                                      \
    {                                                                                              \
        "format", 0, TOOL_ENUM, "FMT", "from the extension", 0, 0, tool_file_formats, NULL,        \
            TOOL_HELP_FORMAT, 0, 0, values, to, NULL                                               \
    }
#define TOOL_OPTION_SAMPLE_FORMAT(def)                                                             \
    {                                                                                              \
        "sample-format", 0, TOOL_ENUM, "SF", def, 0, 0, tool_sample_formats, NULL,                 \
            TOOL_HELP_SAMPLE_FORMAT, 0, 0, NULL, 0, "pcm16=s16,pcm24=s24,pcm32=s32,float=f32"      \
    }
#define TOOL_OPTION_BITS(def)                                                                      \
    {                                                                                              \
        "bits", 'b', TOOL_ENUM, "N", def, 0, 0, tool_bits_values, NULL, TOOL_HELP_BITS, 0, 0,      \
            NULL, 0, NULL                                                                          \
    }
#define TOOL_OPTION_LUFS(def)                                                                      \
    {                                                                                              \
        "lufs", 0, TOOL_NUMBER, "LUFS", def, TOOL_LUFS_MIN, TOOL_LUFS_MAX, NULL, "LUFS",           \
            TOOL_HELP_LUFS, 0, 0, NULL, 0, NULL                                                    \
    }
#define TOOL_OPTION_TP(def)                                                                        \
    {                                                                                              \
        "tp", 0, TOOL_NUMBER, "dBTP", def, TOOL_TP_MIN, TOOL_TP_MAX, NULL, "dBTP", TOOL_HELP_TP,   \
            0, 0, NULL, 0, NULL                                                                    \
    }
#define TOOL_OPTION_PRESET(def)                                                                    \
    {                                                                                              \
        "preset", 0, TOOL_STRING, "NAME", def, 0, 0, NULL, NULL, TOOL_HELP_PRESET, 0, 0, NULL, 0,  \
            NULL                                                                                   \
    }
#define TOOL_OPTION_HRTF                                                                           \
    {                                                                                              \
        "hrtf", 0, TOOL_STRING, "FILE.sofa", "libmysofa's default (MIT KEMAR)", 0, 0, NULL, NULL,  \
            TOOL_HELP_HRTF, 0, 0, NULL, 0, NULL                                                    \
    }
#define TOOL_OPTION_HRTF_EQ                                                                        \
    {                                                                                              \
        "hrtf-eq", 0, TOOL_ENUM, "EQ", "diffuse", 0, 0, tool_hrtf_eq_values, NULL,                 \
            TOOL_HELP_HRTF_EQ, 0, 0, NULL, 0, NULL                                                 \
    }
#define TOOL_OPTION_BINAURAL_MODE                                                                  \
    {                                                                                              \
        "binaural-mode", 0, TOOL_ENUM, "MODE", "mid", 0, 0, tool_binaural_mode_values, NULL,       \
            TOOL_HELP_BINAURAL_MODE, 0, 0, NULL, 0, NULL                                           \
    }
/* The mix intake (objr_mix_config) of the tools that read a mix's audio. */
#define TOOL_HELP_REPAIR_NONFINITE                                                                 \
    "replace NaN/Inf input samples by silence (one warning) instead of failing (exit 2)"
#define TOOL_HELP_ALLOW_EXTERNAL_STEMS                                                             \
    "read mix.xml stems that are absolute paths or leave its folder through '..' (refused by "     \
    "default)"
#define TOOL_OPTION_REPAIR_NONFINITE                                                               \
    {                                                                                              \
        "repair-nonfinite", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,                            \
            TOOL_HELP_REPAIR_NONFINITE, 0, 0, NULL, 0, NULL                                        \
    }
#define TOOL_OPTION_ALLOW_EXTERNAL_STEMS                                                           \
    {                                                                                              \
        "allow-external-stems", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,                        \
            TOOL_HELP_ALLOW_EXTERNAL_STEMS, 0, 0, NULL, 0, NULL                                    \
    }

#define TOOL_OPTION_LIMITER_STYLE                                                                  \
    {                                                                                              \
        "limiter-style", 0, TOOL_ENUM, "STYLE", "transparent", 0, 0, tool_limiter_style_values,    \
            NULL, TOOL_HELP_LIMITER_STYLE, 0, 0, NULL, 0, NULL                                     \
    }

/* Codec check of a master (objmaster, objrender --preset): src/master/codec_check.c. */
#define TOOL_OPTION_CODEC_CHECK                                                                    \
    {                                                                                              \
        "codec-check", 0, TOOL_STRING, "LIST", "none", 0, 0, NULL, NULL,                           \
            "after mastering, encode the master with the real encoders (mp3: LAME, opus: "         \
            "libopus; aac needs an AAC encoder in the build), decode it and report true peak and " \
            "loudness after each codec (comma-separated, or all)",                                 \
            0, 0, NULL, 0, NULL                                                                    \
    }
#define TOOL_OPTION_CODEC_KBPS                                                                     \
    {                                                                                              \
        "codec-kbps", 0, TOOL_NUMBER, "KBPS", "128", 32.0, 320.0, NULL, "kbps",                    \
            "bitrate of the codec check (MP3 CBR, Opus VBR target)", 0, 0, NULL, 0, NULL           \
    }
#define TOOL_OPTION_CODEC_SAFE                                                                     \
    {                                                                                              \
        "codec-safe", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,                                  \
            "lower the limiter ceiling and master again (at most 4 times) until every checked "    \
            "codec's decode is at or under the ceiling (implies --codec-check mp3,opus when not "  \
            "given)",                                                                              \
            0, 0, NULL, 0, NULL                                                                    \
    }

/* The mastering report page (objmaster, objrender --preset): src/master/master_report_html.c. */
#define TOOL_OPTION_MASTER_HTML                                                                    \
    {                                                                                              \
        "html", 0, TOOL_STRING, "FILE", "none", 0, 0, NULL, NULL,                                  \
            "also write the mastering report as one HTML page: the deliveries' figures, "          \
            "short-term loudness over time (input after gain, and master) with the target, and "   \
            "the limiter's gain reduction (reads every input and master once more)",               \
            0, 0, NULL, 0, NULL                                                                    \
    }

#endif /* OBJR_TOOLS_TOOL_OPTIONS_H */
