/* SPDX-License-Identifier: BSD-3-Clause */
/* Spatial coding emulation: the sources of a scene (objects and bed channels) reduced, block by
 * block, to at most N dynamic elements, as streaming delivery of an immersive mix does before
 * encoding. Sources are clustered by position (single linkage: the two nearest sources in
 * different clusters join first), each element sits at the loudness-weighted centroid of its
 * sources, LFE sources go to one element of their own, and elements keep their identity from
 * block to block (each new cluster takes the free element nearest to it) and move at a bounded
 * speed. Internal; not yet used by a renderer. */
#ifndef OBJR_RENDERERS_SPATIAL_CODING_H
#define OBJR_RENDERERS_SPATIAL_CODING_H

#include <stddef.h>

#include "src/core/core.h"

/** Most elements (the largest delivery profiles use 16). */
#define OBJR__SC_MAX_ELEMENTS 32
/** A source with power at or below this (mean square, -100 dBFS) is inactive in a block. */
#define OBJR__SC_SILENT_POWER 1e-10

/** One source in one block. */
typedef struct objr__sc_source {
    double pos[3]; /**< x (right +), y (front +), z (up +); the renderer's cartesian cube */
    double power;  /**< mean square over the block (the clustering's loudness weight) */
    int lfe;       /**< 1: an LFE source, never clustered with the others */
} objr__sc_source;

typedef struct objr__sc_config {
    /** Elements, LFE element included when the scene has LFE content; 1..OBJR__SC_MAX_ELEMENTS.
     *  @default 16 */
    size_t n_elements;
    /** Largest distance (cube units) an element moves from one block to the next; 0 = no limit.
     *  @default 0.25 */
    double max_step;
} objr__sc_config;

typedef struct objr__spatial_coding objr__spatial_coding;

OBJR_HIDDEN objr__sc_config objr__sc_config_default(void);

/** @return OBJR_OK, OBJR_ERR_INVALID_ARG (n_elements 0 or too many, max_sources 0, negative or
 *          NaN max_step), OBJR_ERR_NOMEM. *out NULL on failure. */
OBJR_HIDDEN objr_status objr__sc_create(const objr__sc_config *cfg, size_t max_sources,
                                        objr__spatial_coding **out);
OBJR_HIDDEN void objr__sc_destroy(objr__spatial_coding *sc);

/**
 * Cluster one block of @p n_sources (<= max_sources, the same source index from block to block).
 * No allocation.
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG (too many sources, a non-finite position or power).
 */
OBJR_HIDDEN objr_status objr__sc_block(objr__spatial_coding *sc, const objr__sc_source *src,
                                       size_t n_sources);

/** The element that carries source @p s in the last block, or -1 (inactive). */
OBJR_HIDDEN int objr__sc_assignment(const objr__spatial_coding *sc, size_t s);
/** Element @p e's position after the last block; 0 when @p e carries nothing. */
OBJR_HIDDEN int objr__sc_element(const objr__spatial_coding *sc, size_t e, double pos[3], int *lfe);
/** The loudness-weighted mean squared distance between each active non-LFE source and the
 *  element that carries it, in the last block (0 when every source is its own element). */
OBJR_HIDDEN double objr__sc_error(const objr__spatial_coding *sc, const objr__sc_source *src,
                                  size_t n_sources);

#endif /* OBJR_RENDERERS_SPATIAL_CODING_H */
