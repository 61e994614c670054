/* SPDX-License-Identifier: BSD-3-Clause */
/* What the library's own stages (the translation check) read from a renderer beyond the public
 * API. Internal. */
#ifndef OBJR_SRC_RENDER_RENDER_INTERNAL_H
#define OBJR_SRC_RENDER_RENDER_INTERNAL_H

#include <stdint.h>

#include "formats/adm_model.h"
#include "objrender/objr_render.h"
#include "src/core/core.h"

/**
 * The loudspeaker gains of every input at @p frame, as objr__engine_gains_at(): direct and
 * diffuse, n_inputs x n_outputs row-major (objr_renderer_input_count x
 * objr_renderer_output_count). The channels of a "binaural" layout carry no meaning here (the
 * binaural scene renders them). Returns objr__engine_gains_at()'s status.
 */
OBJR_HIDDEN objr_status objr__renderer_gains_at(const objr_renderer *r, uint64_t frame,
                                                float *direct, float *diffuse);

/**
 * objr_renderer_create() from a model the caller keeps: the model is validated (and fixed) as
 * the renderer's intake does, then borrowed read-only (its blocks are the render items'
 * metadata): it must outlive the renderer. Several renderers of one check share one model
 * instead of each holding a copy written to XML and parsed again. Same statuses as
 * objr_renderer_create().
 */
OBJR_HIDDEN objr_status objr__renderer_create_shared(const objr_renderer_config *cfg,
                                                     objr__adm_model *model, uint32_t n_tracks,
                                                     uint32_t sample_rate_hz,
                                                     const char *const *layouts, size_t n_layouts,
                                                     objr_diag *diag, objr_renderer **out);

/** The renderer's spatial coding stage (src/render/spatial_stage.h), NULL when off. */
OBJR_HIDDEN const struct objr__sc_stage *objr__renderer_spatial_stage(const objr_renderer *r);

#endif /* OBJR_SRC_RENDER_RENDER_INTERNAL_H */
