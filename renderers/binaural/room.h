/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared room for the binaural renderer: a decorrelated diffuse-field filter pair (random-phase
 * decorrelators through HRTFs of 11 virtual loudspeakers), a fixed early-reflection pattern
 * rendered through the HRTF, and an 8-line feedback delay network late reverb (Jot & Chaigne
 * 1991, Householder feedback). All are shared by every source, so their cost does not grow
 * with the number of objects. Internal. */
#ifndef OBJR_RENDERERS_BINAURAL_ROOM_H
#define OBJR_RENDERERS_BINAURAL_ROOM_H

#include <stddef.h>

#include "objrender/objr_status.h"
#include "renderers/binaural/hrtf.h"
#include "src/core/core.h"

/* Send levels per render mode (dB re the object's gain); FAR also lowers the direct sound. */
#define OBJR__BROOM_NEAR_ER_DB (-16.0)
#define OBJR__BROOM_NEAR_REV_DB (-24.0)
#define OBJR__BROOM_MID_ER_DB (-11.0)
#define OBJR__BROOM_MID_REV_DB (-17.0)
#define OBJR__BROOM_FAR_DIRECT_DB (-3.0)
#define OBJR__BROOM_FAR_ER_DB (-7.0)
#define OBJR__BROOM_FAR_REV_DB (-11.0)

/** Diffuse-field filter pair (malloc'ed; caller frees both). */
OBJR_HIDDEN objr_status objr__broom_diffuse_filter(const objr__hrtf *h, float **left, float **right,
                                                   size_t *len);
/** Early-reflection filter pair (malloc'ed; caller frees both). */
OBJR_HIDDEN objr_status objr__broom_er_filter(const objr__hrtf *h, float **left, float **right,
                                              size_t *len);

typedef struct objr__breverb objr__breverb;
OBJR_HIDDEN objr_status objr__breverb_create(double rate_hz, objr__breverb **out);
OBJR_HIDDEN void objr__breverb_destroy(objr__breverb *r);
OBJR_HIDDEN void objr__breverb_reset(objr__breverb *r);
/** The energy of the reverb's impulse response per ear (the mean of the two ears' sums of
 *  squares over 4 x RT60, where it has decayed by 240 dB), measured by running an impulse
 *  through @p r, which is reset afterwards. */
OBJR_HIDDEN double objr__breverb_ir_energy(objr__breverb *r, double rate_hz);
/** Mono input -> adds the two ear outputs. */
OBJR_HIDDEN void objr__breverb_process(objr__breverb *r, const float *in, float *out_l,
                                       float *out_r, size_t n);

#endif /* OBJR_RENDERERS_BINAURAL_ROOM_H */
