/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-object figures of the translation check from ONE pass: the loudspeaker renders and the
 * fold-downs are linear, so each object's contribution to every output is its own signal times
 * the gains the renderer already computes (objr__renderer_gains_at) composed with the fold-down
 * matrix. Per 100 ms hop and source (one track of one object): a Hann-windowed spectrum gives
 * the K-weighted power (BS.1770-4 pre-filter and RLB magnitude responses) and octave-band
 * powers; per render they become the object's loudness (BS.1770 gating on 400 ms blocks kept as
 * a histogram: memory independent of duration), its mono-sum loudness, its masking margin
 * against the rest of the mix per channel and band, and, for stereo renders, each source's
 * share of the mono sum (negative = cancelling) and the pairs that cancel. Internal. */
#ifndef OBJR_SRC_CHECK_OBJECTS_H
#define OBJR_SRC_CHECK_OBJECTS_H

#include <stddef.h>
#include <stdint.h>

#include "formats/adm_model.h"
#include "objrender/objr_render.h"
#include "src/check/checks.h"

/** A render as the object pass sees it. */
typedef struct objr__objpass_render {
    int from_gains; /**< 0: not measured here (binaural) */
    int fold;       /**< 1: a fold-down of the 7.1.4 (M, H), 0: a direct layout */
    size_t first;   /**< direct: first renderer output; fold: first output of the 7.1.4 */
    size_t n_ch;
    double w[16];      /**< BS.1770 channel weights */
    double m[16 * 12]; /**< fold: out = m · 7.1.4 (row-major n_ch x 12) */
    double h[16 * 12]; /**< fold: Hilbert paths (Lt/Rt surrounds) */
    int stereo;        /**< loudspeaker stereo: mono and phase figures */
} objr__objpass_render;

/** A source: one track of one object. */
typedef struct objr__objpass_source {
    size_t object;   /**< index into the report's objects */
    size_t input;    /**< renderer input, SIZE_MAX when the renderer plays none (muted) */
    const float *x;  /**< the hop's samples (the caller's buffer, stable between hops) */
    char label[160]; /**< "AO_1001 'Vocal'" or "AO_1005 'Bed' M+030" */
} objr__objpass_source;

typedef struct objr__objpass objr__objpass;

/**
 * @param renders n_renders entries, index k = the report's render k
 * @param sources copied
 * @return OBJR_OK, OBJR_ERR_NOMEM
 */
OBJR_HIDDEN objr_status objr__objpass_create(const objr__objpass_render *renders, size_t n_renders,
                                             const objr__objpass_source *sources, size_t n_sources,
                                             size_t n_objects, size_t n_inputs, size_t n_outputs,
                                             uint32_t rate_hz, size_t hop, double silence_dbfs,
                                             objr__objpass **out);
OBJR_HIDDEN void objr__objpass_destroy(objr__objpass *p);

/** One hop of @p n frames (≤ hop) starting at frame @p pos; the sources' buffers hold it.
 *  @return OBJR_OK, or objr__renderer_gains_at()'s error. */
OBJR_HIDDEN objr_status objr__objpass_hop(objr__objpass *p, const objr_renderer *r, uint64_t pos,
                                          size_t n);

/** Fill the report's objects (levels, mono levels, front levels, masking margins, muted,
 *  stem levels) and its renders' cancelling pairs, for the renders measured from gains. */
OBJR_HIDDEN void objr__objpass_collect(const objr__objpass *p, objr_check_report *rep);

/** Up to OBJR__CHECK_MAX_POS trajectory points of @p ob into @p o (x right, y front, z up). */
OBJR_HIDDEN void objr__check_object_positions(const objr__adm_model *m, const objr__adm_object *ob,
                                              objr__check_object *o);

#endif /* OBJR_SRC_CHECK_OBJECTS_H */
