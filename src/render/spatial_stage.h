/* SPDX-License-Identifier: BSD-3-Clause */
/* The spatial coding stage of the loudspeaker renderer (objr_renderer_config
 * .spatial_coding_elements): per analysis frame it measures each input's energy, reads each
 * input's position from its render items' block formats, clusters them
 * (renderers/spatial_coding.h), and renders the scene as N elements. An element that carries
 * exactly one source at that source's own position is the source itself: the engine renders
 * it with its own metadata (extent, diffuse, DirectSpeakers rules), so N >= the active sources
 * gives the unclustered render. Merged elements are mixed with the interpolated matrix and
 * rendered as BS.2127-1 §7.3 point-source Objects at the element position. Internal. */
#ifndef OBJR_SRC_RENDER_SPATIAL_STAGE_H
#define OBJR_SRC_RENDER_SPATIAL_STAGE_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_status.h"
#include "renderers/engine.h"
#include "renderers/loudspeaker/objects_gaincalc.h"
#include "renderers/render_items.h"
#include "renderers/spatial_coding.h"
#include "src/core/core.h"

/** Analysis frame: 1024 samples at 48 kHz (21.3 ms), the same duration at other rates. */
#define OBJR__SC_FRAME_S (1024.0 / 48000.0)

typedef struct objr__sc_stage_config {
    size_t n_elements; /**< 1..64 */
    double sample_rate_hz;
    size_t n_inputs, n_outputs, max_frames;
    const objr__render_item *items; /**< borrowed: must outlive the stage */
    size_t n_items;
    const objr__engine_layout *layouts; /**< copied (out_channel, is_lfe, n_speakers) */
    /** per layout (the array is copied; the calculators must outlive the stage) */
    const objr__objects_gaincalc *const *gaincalc;
    size_t n_layouts;
    double gain_db;
    int importance_threshold;
    size_t latency; /**< the engine's latency: merged elements are delayed to match */
    unsigned cpu;
} objr__sc_stage_config;

typedef struct objr__sc_stage objr__sc_stage;

/** @return OBJR_OK, OBJR_ERR_INVALID_ARG, OBJR_ERR_NOMEM. */
OBJR_HIDDEN objr_status objr__sc_stage_create(const objr__sc_stage_config *cfg,
                                              objr__sc_stage **out);
OBJR_HIDDEN void objr__sc_stage_destroy(objr__sc_stage *st);
/** Restart at absolute frame @p frame (history cleared). */
OBJR_HIDDEN void objr__sc_stage_seek(objr__sc_stage *st, int64_t frame);

/**
 * Before the engine renders @p n frames (<= max_frames) of @p in: analyse them, render the
 * merged elements into the stage's buffer, and set *engine_in to the inputs the engine must
 * render (each input scaled by the part of it that plays as itself). Allocation-free.
 */
OBJR_HIDDEN void objr__sc_stage_pre(objr__sc_stage *st, const float *const *in, size_t n,
                                    const float *const **engine_in);
/** After the engine: add the merged elements' render (delayed by the latency) to @p out. */
OBJR_HIDDEN void objr__sc_stage_post(objr__sc_stage *st, float *const *out, size_t n);

/** Energy-weighted mean and largest source position error so far (degrees). */
OBJR_HIDDEN void objr__sc_stage_error(const objr__sc_stage *st, double *mean_deg, double *max_deg);
/** Input and time (seconds on the programme timeline) of the largest error; SIZE_MAX when
 *  there was none. */
OBJR_HIDDEN size_t objr__sc_stage_worst(const objr__sc_stage *st, double *time_s);

/** Largest position error of input @p input so far (degrees) and its time (seconds on the
 *  programme timeline, in *time_s); -1 (time untouched) when it was never judged. */
OBJR_HIDDEN double objr__sc_stage_input_error(const objr__sc_stage *st, size_t input,
                                              double *time_s);

#endif /* OBJR_SRC_RENDER_SPATIAL_STAGE_H */
