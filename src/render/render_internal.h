/* SPDX-License-Identifier: BSD-3-Clause */
/* What the library's own stages (the translation check) read from a renderer beyond the public
 * API. Internal. */
#ifndef OBJR_SRC_RENDER_RENDER_INTERNAL_H
#define OBJR_SRC_RENDER_RENDER_INTERNAL_H

#include <stdint.h>

#include "objrender/objr_render.h"
#include "src/core/core.h"

/**
 * The loudspeaker gains of every input at @p frame, as objr__engine_gains_at(): direct and
 * diffuse, n_inputs x n_outputs row-major (objr_renderer_input_count x
 * objr_renderer_output_count). The channels of a "binaural" layout carry no meaning here (the
 * binaural scene renders them).
 */
OBJR_HIDDEN void objr__renderer_gains_at(const objr_renderer *r, uint64_t frame, float *direct,
                                         float *diffuse);

#endif /* OBJR_SRC_RENDER_RENDER_INTERNAL_H */
