/* SPDX-License-Identifier: BSD-3-Clause */
/* Layout registry: the built-in BS.2051-3 (and common) layouts by name or alias, custom
 * layout files, label helpers and the BS.2051 range check used by BS.2127. Internal. */
#ifndef OBJR_LAYOUTS_REGISTRY_H
#define OBJR_LAYOUTS_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "layouts/layout.h"
#include "objrender/objr_status.h"
#include "src/core/core.h"

/** One speaker of a built-in layout table (degrees, ADM convention). */
typedef struct objr__layout_spk_def {
    const char *label;
    double az_deg, el_deg;
    double az_min_deg, az_max_deg; /**< anticlockwise from min to max (BS.2051 range) */
    double el_min_deg, el_max_deg;
    int is_lfe;
} objr__layout_spk_def;

/** One built-in layout. */
typedef struct objr__layout_def {
    const char *name;        /**< BS.2051 system name or common name for non-BS.2051 ones */
    const char *common_name; /**< "7.1.4" or "" */
    const char *aliases;     /**< '|'-separated, case-insensitive */
    int is_bs2051;
    size_t n_speakers;
    const objr__layout_spk_def *speakers; /**< BS.2051 order */
} objr__layout_def;

OBJR_HIDDEN const objr__layout_def *objr__layout_defs(size_t *n);

/** WAVE_FORMAT_EXTENSIBLE speaker bits (Microsoft ksmedia.h). */
#define OBJR__WAV_FL 0x1u
#define OBJR__WAV_FR 0x2u
#define OBJR__WAV_FC 0x4u
#define OBJR__WAV_LFE 0x8u
#define OBJR__WAV_BL 0x10u
#define OBJR__WAV_BR 0x20u
#define OBJR__WAV_FLC 0x40u
#define OBJR__WAV_FRC 0x80u
#define OBJR__WAV_BC 0x100u
#define OBJR__WAV_SL 0x200u
#define OBJR__WAV_SR 0x400u
#define OBJR__WAV_TC 0x800u
#define OBJR__WAV_TFL 0x1000u
#define OBJR__WAV_TFC 0x2000u
#define OBJR__WAV_TFR 0x4000u
#define OBJR__WAV_TBL 0x8000u
#define OBJR__WAV_TBC 0x10000u
#define OBJR__WAV_TBR 0x20000u

/** Mask bit objrender assigns to a BS.2051 label (see DESIGN.md), 0 when none. */
OBJR_HIDDEN uint32_t objr__layout_label_wav_bit(const char *label);

/**
 * Look a layout up by BS.2051 name, common name or alias (case-insensitive): "4+7+0",
 * "7.1.4", "stereo", "2.0", "22.2", "J". Real positions are the nominal ones.
 * @return OBJR_OK, OBJR_ERR_LAYOUT (unknown name; *out untouched), OBJR_ERR_INVALID_ARG.
 */
OBJR_HIDDEN objr_status objr__layout_lookup(const char *name, objr__layout *out);

/** The headphone "layout" name; "headphones" is accepted for it too. */
#define OBJR__LAYOUT_BINAURAL "binaural"
/** Longest layout name the name functions consider. */
#define OBJR__LAYOUT_NAME_MAX 64
/** A layout argument ending in one of these (case-insensitive) is a custom layout file. */
#define OBJR__LAYOUT_FILE_EXTENSIONS ".txt", ".layout"

/**
 * Resolve a layout name as typed (spaces around it ignored, case-insensitive): a built-in
 * name or alias, digits only ("714" -> 7.1.4), a trailing zero part ("7.1.4.0", "5.1.0"),
 * "binaural"/"headphones". Writes the name to use into @p out: the trimmed input when it is
 * an exact name or alias, else the layout's common (or primary) name, "binaural" for
 * headphones. @return 1 when resolved, 0 otherwise (@p out untouched).
 */
OBJR_HIDDEN int objr__layout_resolve_name(const char *name, char *out, size_t out_size);

/** 1 when @p name is a path to a custom layout file by its form: it contains '/' or ends in
 *  a layout-file extension (OBJR__LAYOUT_FILE_EXTENSIONS). Names are matched first. */
OBJR_HIDDEN int objr__layout_name_is_path(const char *name);

/** The nearest known names to @p name by edit distance ("7.1.4, 7.1.2"), at most 3; returns
 *  how many were written to @p out (0: nothing close). */
OBJR_HIDDEN size_t objr__layout_suggest(const char *name, char *out, size_t out_size);

/** Number of built-in layouts, and the i-th one (i < count). */
OBJR_HIDDEN size_t objr__layout_builtin_count(void);
OBJR_HIDDEN const objr__layout_def *objr__layout_builtin_def(size_t i);
OBJR_HIDDEN void objr__layout_from_def(const objr__layout_def *def, objr__layout *out);

/** Set wav_mask_bit, file_order and channel_mask (mask only when @p allow_mask). */
OBJR_HIDDEN void objr__layout_assign_order(objr__layout *l, int allow_mask);

/** Index in l->speakers of @p label (exact, case-insensitive), or -1. */
OBJR_HIDDEN int objr__layout_find_label(const objr__layout *l, const char *label);

/**
 * Nominal direction of a BS.2051-style label "M+030", "U-110", "UH+180", "T+000", "B-045":
 * layer M 0, U 30, UH 45, T 90, B -30 degrees of elevation. M+SC/M-SC give +-15.
 * @return 1 when @p label has this form, else 0.
 */
OBJR_HIDDEN int objr__layout_label_direction(const char *label, double *az_deg, double *el_deg);

/** Is @p x within the anticlockwise azimuth range [start, end] (degrees, tolerance tol)? */
OBJR_HIDDEN int objr__angle_in_range(double x, double start, double end, double tol);

/**
 * BS.2127 §6 (EAR's Layout.check_positions): count the speakers whose real position lies
 * outside the BS.2051 range; the first problem is described in @p msg (may be NULL).
 */
OBJR_HIDDEN size_t objr__layout_check_ranges(const objr__layout *l, char *msg, size_t msg_size);

/**
 * Parse a custom layout file held in memory (format: layouts/README.md). @p filename is only
 * used in messages ("room.txt:12: ...").
 * @return OBJR_OK; OBJR_ERR_LAYOUT / OBJR_ERR_RANGE / OBJR_ERR_DUPLICATE / OBJR_ERR_LIMIT /
 *         OBJR_ERR_FORMAT with @p diag filled (line set). *out is untouched on error.
 */
OBJR_HIDDEN objr_status objr__layout_parse(const char *text, size_t n_bytes, const char *filename,
                                           objr__layout *out, objr_diag *diag);
/** Read and parse a file; OBJR_ERR_IO when it cannot be read. */
OBJR_HIDDEN objr_status objr__layout_load_file(const char *path, objr__layout *out,
                                               objr_diag *diag);

struct objr_layout;
/** The internal layout behind a public objr_layout handle (NULL-safe). */
OBJR_HIDDEN const objr__layout *objr__layout_of(const struct objr_layout *layout);

/** Maximum size of a custom layout file, bytes. */
#define OBJR__LAYOUT_FILE_MAX_BYTES (1u << 20)
/** Two speakers closer than this (degrees) are "in one place". */
#define OBJR__LAYOUT_MIN_SEPARATION_DEG 2.0

#endif /* OBJR_LAYOUTS_REGISTRY_H */
