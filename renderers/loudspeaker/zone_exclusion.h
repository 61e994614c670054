/* SPDX-License-Identifier: BSD-3-Clause */
/* zoneExclusion for Objects (ITU-R BS.2127-1 §7.3.12): which loudspeakers a zone excludes,
 * and the downmix that moves their energy to the best remaining loudspeakers. */
#ifndef OBJR_RENDERERS_LOUDSPEAKER_ZONE_EXCLUSION_H
#define OBJR_RENDERERS_LOUDSPEAKER_ZONE_EXCLUSION_H

#include <stddef.h>
#include <stdint.h>

#include "formats/adm_model.h"
#include "layouts/layout.h"
#include "src/core/core.h"

/**
 * Precomputed zone-exclusion data for one layout. A value type (no allocation); indices are
 * over layout->speakers[] (BS.2051 order); LFE speakers are never excluded and never receive.
 */
typedef struct objr__zone_excl {
    size_t n;
    int is_lfe[OBJR__MAX_SPEAKERS];
    double nom_pos[OBJR__MAX_SPEAKERS][3]; /**< cart(nominal az, nominal el, 1) */
    double nom_az_deg[OBJR__MAX_SPEAKERS], nom_el_deg[OBJR__MAX_SPEAKERS];
    /** rank[i][j]: priority group of speaker j as a destination for speaker i (0 = i itself;
     *  equal ranks share energy equally). */
    uint8_t rank[OBJR__MAX_SPEAKERS][OBJR__MAX_SPEAKERS];
} objr__zone_excl;

/** Fill @p z for @p layout (nominal positions, BS.2127 priority rules). */
OBJR_HIDDEN void objr__zone_excl_init(objr__zone_excl *z, const objr__layout *layout);

/**
 * Speakers inside any of the zones (cartesian boxes tested against the nominal positions
 * projected on the unit sphere, polar sectors against nominal azimuth/elevation; 1e-6
 * tolerance; speakers at the poles match any azimuth range), as in BS.2127-1 §7.3.12.
 * @param[out] excluded z->n flags
 * @return the number of excluded speakers
 */
OBJR_HIDDEN size_t objr__zone_excl_get_excluded(const objr__zone_excl *z,
                                                const objr__adm_zone *zones, size_t n_zones,
                                                int *excluded);

/**
 * Apply the exclusion downmix in place: g'_j = sqrt(sum_i g_i^2 D[i][j]). D routes each
 * excluded speaker's power equally to the non-excluded speakers of its best priority group.
 * No change when no speaker or every speaker is excluded. Power is preserved.
 */
OBJR_HIDDEN void objr__zone_excl_apply(const objr__zone_excl *z, const int *excluded,
                                       double *gains);

#endif /* OBJR_RENDERERS_LOUDSPEAKER_ZONE_EXCLUSION_H */
