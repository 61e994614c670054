/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal: the limiter styles' parameters and the program-dependent release, shared by the
 * sample-rate limiter (limiter.c) and the mastering loop's poll-rate prediction (master.c). */
#ifndef OBJR_MASTER_LIMITER_H
#define OBJR_MASTER_LIMITER_H

#include "objrender/objr_master.h"
#include "src/core/core.h"

/* What a style sets (objr_limiter_style documents the behaviour). */
typedef struct objr__limiter_style_params {
    const char *name;
    double lookahead_ms;    /* when the config says 0 */
    double hold_ms;         /* the gain holds this much longer than the look-ahead window */
    double fast_release_ms; /* release after short peaks */
    double slow_release_ms; /* release under sustained overload (when the config says 0) */
    double charge_ms;       /* time constants of the overload memory: charging while */
    double discharge_ms;    /* the limiter reduces, discharging while it does not */
    double extra_margin_db; /* added to the configured detector margin */
} objr__limiter_style_params;

/* NULL for a style out of range. */
OBJR_HIDDEN const objr__limiter_style_params *objr__limiter_style_get(objr_limiter_style style);

/* The configured look-ahead and release times resolved against the style (0 = the style's). */
OBJR_HIDDEN void objr__limiter_times(const objr_limiter_config *cfg, double *lookahead_ms,
                                     double *fast_ms, double *slow_ms);

/* Program-dependent release: an overload memory z in [0, 1] charges while the held
 * requirement asks for reduction and discharges (more slowly) while it does not; the
 * recovery rate slides from the fast to the slow one with z. A short peak leaves z near 0
 * (fast release); seconds of continuous reduction bring it near 1 (the release starts slow and
 * speeds up again as z discharges). Peaks that recur with gaps longer than the charge time
 * (drum hits) keep z low. One step may be one frame (the limiter) or
 * one 10 ms poll (the prediction). */
typedef struct objr__release {
    double k_fast, k_slow;        /* per-step recovery rates, 1 - exp(-step / tau) */
    double k_charge, k_discharge; /* per-step rates of the overload memory */
    double z;                     /* overload memory */
    double g;                     /* released gain */
} objr__release;

OBJR_HIDDEN void objr__release_init(objr__release *r, const objr_limiter_config *cfg,
                                    double step_frames);

/* One step with the held requirement @p hold (linear, <= 1); returns the released gain,
 * never above @p hold. */
static inline double objr__release_step(objr__release *r, double hold) {
    if (hold < 1.0)
        r->z += (1.0 - r->z) * r->k_charge;
    else
        r->z -= r->z * r->k_discharge;
    double k = r->k_fast + (r->k_slow - r->k_fast) * r->z;
    double rel = r->g + (1.0 - r->g) * k;
    r->g = hold < rel ? hold : rel;
    return r->g;
}

#endif /* OBJR_MASTER_LIMITER_H */
