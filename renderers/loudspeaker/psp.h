/* SPDX-License-Identifier: BSD-3-Clause */
/* The BS.2127 point-source panner (ITU-R BS.2127-1 §6.1.2 / §11): VBAP over the layout's
 * triangulation with virtual speakers and their downmix, quad regions, power normalisation.
 * Interface shared by the Objects, DirectSpeakers and extent gain calculators. */
#ifndef OBJR_RENDERERS_LOUDSPEAKER_PSP_H
#define OBJR_RENDERERS_LOUDSPEAKER_PSP_H

#include <stddef.h>

#include "layouts/layout.h"
#include "objrender/objr_status.h"
#include "src/core/core.h"
#include "src/core/geom.h"

typedef struct objr__psp objr__psp;

/**
 * Build the panner for @p layout (real speaker positions). LFE speakers are ignored.
 * @p layout is copied; it need not outlive the panner.
 * @return OBJR_OK, OBJR_ERR_NOMEM, OBJR_ERR_LAYOUT (layout not supported by BS.2127 panning,
 *         e.g. fewer than 2 non-LFE speakers).
 */
OBJR_HIDDEN objr_status objr__psp_create(const objr__layout *layout, objr__psp **out);
OBJR_HIDDEN void objr__psp_destroy(objr__psp *p);
/** Whether BS.2127 can pan between @p l's speakers (they surround the listener; screen
 *  speakers in range): OBJR_OK, OBJR_ERR_NOMEM, or OBJR_ERR_LAYOUT with a message naming
 *  @p source. Custom layouts are parsed in layouts/ and checked here, by their users. */
OBJR_HIDDEN objr_status objr__layout_check_pannable(const objr__layout *l, const char *source,
                                                    objr_diag *diag);

/**
 * Gains for a direction. @p dir is a unit vector in the BS.2127 cartesian convention:
 * x = -sin(az)cos(el) (right positive), y = cos(az)cos(el) (front), z = sin(el) (up), with az,
 * el in the ADM polar convention (azimuth positive to the left).
 * @param[out] gains layout->n_speakers values in BS.2051 (speakers[]) order; LFE entries are 0;
 *             the non-LFE gains have sum of squares 1, except on 0+2+0 where BS.2127 lowers
 *             the power from 1 (front) to 1/2 (-3 dB, rear). A zero vector pans to the front.
 */
OBJR_HIDDEN void objr__psp_gains(const objr__psp *p, const double dir[3], double *gains);

/** Number of output gains (layout->n_speakers of the layout the panner was built for). */
OBJR_HIDDEN size_t objr__psp_n_outputs(const objr__psp *p);

#endif /* OBJR_RENDERERS_LOUDSPEAKER_PSP_H */
