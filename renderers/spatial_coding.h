/* SPDX-License-Identifier: BSD-3-Clause */
/* Spatial coding emulation: the reduction of a scene's beds and objects to N moving elements
 * that streaming delivery of an immersive mix performs before encoding (loudness-weighted
 * agglomerative clustering per analysis frame, matched to the previous frame's elements, with
 * rate-limited gain and position changes). Positions are in the BS.2127-1 §10 allocentric
 * cube (X right, Y front, Z up, each in [-1, 1]); polar positions are mapped with
 * objr__point_polar_to_cart first. Internal; the README section "objrender --spatial-coding"
 * explains it. */
#ifndef OBJR_RENDERERS_SPATIAL_CODING_H
#define OBJR_RENDERERS_SPATIAL_CODING_H

#include <stddef.h>

#include "objrender/objr_status.h"
#include "src/core/core.h"

/** Largest number of elements (objrender --spatial-coding accepts 1..64). */
#define OBJR__SC_MAX_ELEMENTS 64

/** One source's facts for one analysis frame. */
typedef struct objr__sc_source {
    double pos[3]; /**< cube position at the end of the frame */
    /** Mean square of the frame's samples times the square of the source's gain (object,
     *  block and global gain), i.e. the energy it contributes to the render. */
    double energy;
    int present; /**< 0 when no block of the source plays at this time */
} objr__sc_source;

typedef struct objr__sc_config {
    size_t n_sources;
    size_t n_elements;   /**< N, counting the LFE element when any source is LFE (1..64) */
    const int *is_lfe;   /**< n_sources flags (NULL: none); LFE sources share one element */
    double frame_s;      /**< analysis frame length in seconds (> 0) */
    double crossfade_s;  /**< a matrix row turns by at most 90 deg per crossfade_s @default 0.1 */
    double max_speed;    /**< cube units per second a merged element may move @default 12 */
    double release_s;    /**< loudness release time constant @default 0.2 */
    double hold_s;       /**< a source stays active this long after its energy falls under the
                              floor @default 0.2 */
    double floor_energy; /**< activity floor (mean square) @default 1e-10 (-100 dBFS) */
} objr__sc_config;

OBJR_HIDDEN objr__sc_config objr__sc_config_default(void);

typedef struct objr__sc objr__sc;

/** @return OBJR_OK, OBJR_ERR_INVALID_ARG (no sources, N outside 1..64, bad times), NOMEM. */
OBJR_HIDDEN objr_status objr__sc_create(const objr__sc_config *cfg, objr__sc **out);
OBJR_HIDDEN void objr__sc_destroy(objr__sc *sc);
/** Forget all history (after a seek): the next update starts from its own targets. */
OBJR_HIDDEN void objr__sc_reset(objr__sc *sc);

/**
 * Advance one analysis frame: @p src holds n_sources entries for the frame just analysed.
 * Afterwards the matrix, element positions and the pass-through flags describe the END of
 * that frame (the caller ramps from the previous update's values to these across the next
 * frame). Allocation-free.
 */
OBJR_HIDDEN void objr__sc_update(objr__sc *sc, const objr__sc_source *src);

/**
 * Gain of source @p s in element @p e (>= 0). For a coded (active) source the row has sum of
 * squares 1; an inactive source has an all-zero row and is rendered as itself.
 */
OBJR_HIDDEN double objr__sc_gain(const objr__sc *sc, size_t s, size_t e);
/** The n_sources x n_elements matrix, row-major (borrowed, valid until the next update). */
OBJR_HIDDEN const double *objr__sc_matrix(const objr__sc *sc);

/** What an element is at the end of the frame. */
typedef enum objr__sc_kind {
    OBJR__SC_EMPTY = 0,  /**< no source */
    OBJR__SC_SINGLE = 1, /**< exactly one source with gain 1, at that source's own position:
                              rendered as the source itself (its own metadata) */
    OBJR__SC_MERGED = 2, /**< rendered as a point source at the element position */
    OBJR__SC_LFE = 3,    /**< the LFE element (LFE sources, rendered as themselves) */
} objr__sc_kind;

OBJR_HIDDEN objr__sc_kind objr__sc_element(const objr__sc *sc, size_t e, double pos[3]);

/** Number of coded (active, non-LFE) sources in the last update. */
OBJR_HIDDEN size_t objr__sc_n_active(const objr__sc *sc);

/** Angle in degrees between the directions of two cube positions (both mapped to polar with
 *  objr__point_cart_to_polar); 0 when either is at the origin. */
OBJR_HIDDEN double objr__sc_angle_deg(const double a[3], const double b[3]);

/**
 * Position error of the last update: the mean over active sources, weighted by their frame
 * energy, of sum_e g_se^2 * angle(source, element e) in degrees (@p mean_deg), the largest
 * such error of a source above the activity floor (@p max_deg), and the total weight (sum of
 * those energies, @p weight) so callers can average over frames. 0 when nothing is active.
 */
OBJR_HIDDEN void objr__sc_error(const objr__sc *sc, double *mean_deg, double *max_deg,
                                double *weight);
/** Position error of source @p s in the last update (sum_e g_se^2 * angle, degrees), or -1
 *  when it was not judged (inactive, LFE, or under the activity floor). */
OBJR_HIDDEN double objr__sc_source_error(const objr__sc *sc, size_t s);
/** The source that had the largest error of the last update (SIZE_MAX when none). */
OBJR_HIDDEN size_t objr__sc_worst_source(const objr__sc *sc);

#endif /* OBJR_RENDERERS_SPATIAL_CODING_H */
