/* SPDX-License-Identifier: BSD-3-Clause */
/* The Objects gain calculator of ITU-R BS.2127-1 §7.3: from one Objects audioBlockFormat to
 * per-loudspeaker direct and diffuse gains (screen scaling, screen edge lock, channel lock,
 * divergence, extent, point-source or allocentric panning, zone exclusion, gain, diffuse). */
#ifndef OBJR_RENDERERS_LOUDSPEAKER_OBJECTS_GAINCALC_H
#define OBJR_RENDERERS_LOUDSPEAKER_OBJECTS_GAINCALC_H

#include <stddef.h>

#include "formats/adm_model.h"
#include "layouts/layout.h"
#include "objrender/objr_status.h"
#include "renderers/loudspeaker/screen.h"
#include "src/core/core.h"

/**
 * Point-source panner hook: gains for the unit direction @p dir (BS.2127 cartesian
 * convention, see renderers/psp.h) into @p gains (layout->n_speakers entries, LFE 0,
 * sum of squares 1 over the others).
 */
typedef void (*objr__point_pan_fn)(void *user, const double dir[3], double *gains);
/**
 * Polar extent ("spread") panner hook, BS.2127-1 §7.3.8 calc_pv_spread: gains for a source
 * at @p pos (direction only) with the (already distance-modified) width and height in
 * degrees; width = height = 0 must equal the point-source gains.
 */
typedef void (*objr__spread_pan_fn)(void *user, const double pos[3], double width_deg,
                                    double height_deg, double *gains);

/** Creation options; start from objr__objects_gaincalc_config_default(). */
typedef struct objr__objects_gaincalc_config {
    /** The reproduction screen (layout's screen). @default objr__screen_default() */
    objr__screen reproduction_screen;
    /** 0 disables screen scaling and screen edge lock (EAR: screen "null"). @default 1 */
    int has_reproduction_screen;
    /** Panner overrides; NULL = the library's BS.2127 panners (renderers/psp.h,
     *  renderers/extent_polar.h). Both are called with @c pan_user. @default NULL */
    objr__point_pan_fn point_pan;
    objr__spread_pan_fn spread_pan;
    void *pan_user;
} objr__objects_gaincalc_config;

OBJR_HIDDEN objr__objects_gaincalc_config objr__objects_gaincalc_config_default(void);

/** Optional coordinate conversion of every block (EAR --apply-conversion; BS.2127-1 §10). */
typedef enum objr__objects_conversion {
    OBJR__CONVERSION_NONE = 0,
    OBJR__CONVERSION_TO_POLAR = 1,
    OBJR__CONVERSION_TO_CARTESIAN = 2,
} objr__objects_conversion;

/** Object-level facts a block lacks. Zero-initialise, then set what applies. */
typedef struct objr__objects_ctx {
    /** audioProgrammeReferenceScreen; NULL = the BS.2076 default screen. */
    const objr__screen *reference_screen;
    /** BS.2076 version of the document (for the objectDivergence azimuthRange default:
     *  0 deg from version 2 on, else 45 deg); 0 = unknown (treated as < 2, as EAR does). */
    int bs2076_version;
    /** objr__objects_conversion */
    int conversion;
    /** audioObject positionOffset (BS.2076-2): added to the block position when its
     *  coordinate system matches (offset.cartesian). */
    int has_position_offset;
    objr__adm_position position_offset;
} objr__objects_ctx;

typedef struct objr__objects_gaincalc objr__objects_gaincalc;

/**
 * Prepare the calculator for @p layout (copied). @p cfg may be NULL (defaults).
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (NULL layout/out, no speakers, too many speakers);
 *         OBJR_ERR_LAYOUT (two speakers at one allocentric position, or fewer than one
 *         non-LFE speaker); OBJR_ERR_RANGE (invalid reproduction screen); OBJR_ERR_NOMEM;
 *         errors of the built-in panners. *out is NULL on failure.
 */
OBJR_HIDDEN objr_status objr__objects_gaincalc_create(const objr__layout *layout,
                                                      const objr__objects_gaincalc_config *cfg,
                                                      objr__objects_gaincalc **out);
OBJR_HIDDEN void objr__objects_gaincalc_destroy(objr__objects_gaincalc *g);

/**
 * Gains for one Objects block. @p ctx may be NULL (all defaults). Allocation-free; a handle
 * may be used from one thread at a time (it is not modified, so concurrent calls on one
 * handle are safe too).
 * @param[out] direct  layout->n_speakers gains (BS.2051 order), LFE entries 0
 * @param[out] diffuse layout->n_speakers gains for the decorrelated path
 * Non-finite inputs never produce non-finite gains (NaN becomes 0, as in EAR).
 */
OBJR_HIDDEN void objr__objects_gaincalc_calc(const objr__objects_gaincalc *g,
                                             const objr__adm_block_objects *block,
                                             const objr__objects_ctx *ctx, double *direct,
                                             double *diffuse);

/* Building blocks, exposed for tests and for the DirectSpeakers/HOA paths. */

/** Divergence (BS.2127-1 §7.3.7): up to 3 positions and their power weights. Returns count. */
OBJR_HIDDEN int objr__objects_diverge(const double pos[3], const objr__adm_block_objects *b,
                                      int cartesian, int bs2076_version, double w[3],
                                      double out[3][3]);

/** BS.2127-1 §7.3.8 distance-dependent extent modification (degrees). */
OBJR_HIDDEN double objr__objects_extent_mod(double extent_deg, double distance);

#endif /* OBJR_RENDERERS_LOUDSPEAKER_OBJECTS_GAINCALC_H */
