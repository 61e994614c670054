/* SPDX-License-Identifier: BSD-3-Clause */
/* Loudspeaker layouts as data (ITU-R BS.2051-3): the internal layout type shared by the
 * registry, the custom-layout loader and every renderer. Never installed. */
#ifndef OBJR_LAYOUTS_LAYOUT_H
#define OBJR_LAYOUTS_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_status.h"

#define OBJR__MAX_SPEAKERS 64
#define OBJR__SPEAKER_LABEL_SIZE 16

/**
 * One loudspeaker. Angles follow the ADM convention: azimuth in degrees positive to the LEFT
 * (counter-clockwise seen from above), 0 = front; elevation positive up.
 */
typedef struct objr__speaker {
    char label[OBJR__SPEAKER_LABEL_SIZE]; /**< BS.2051 label without URN: "M+030", "LFE1" */
    double azimuth_deg; /**< real position used for rendering (BS.2127 uses these) */
    double elevation_deg;
    double distance_m;          /**< nominal 1.0 when unknown */
    double nominal_azimuth_deg; /**< BS.2051 nominal position */
    double nominal_elevation_deg;
    /** BS.2051 allowed ranges for the real position (equal to nominal when fixed). */
    double azimuth_min_deg, azimuth_max_deg, elevation_min_deg, elevation_max_deg;
    int is_lfe;
    uint32_t wav_mask_bit; /**< WAVE_FORMAT_EXTENSIBLE speaker bit, 0 if none */
} objr__speaker;

/**
 * A layout. speakers[] is in BS.2051 order (the order BS.2127 computes gains in);
 * file_order[k] is the index into speakers[] written as output channel k (the WAV channel-mask
 * order when every speaker has a mask bit and the bits are distinct, else BS.2051 order).
 */
typedef struct objr__layout {
    char name[32];        /**< BS.2051 system name ("4+7+0") or custom name */
    char common_name[32]; /**< "7.1.4" etc., or "" */
    size_t n_speakers;
    objr__speaker speakers[OBJR__MAX_SPEAKERS];
    int file_order[OBJR__MAX_SPEAKERS];
    uint32_t channel_mask; /**< 0 when the mask cannot describe the layout */
    /** Non-fatal problem found when loading (e.g. a real position outside its BS.2051
     *  range, which BS.2127 renders anyway), or "". */
    char warning[160];
} objr__layout;

#endif /* OBJR_LAYOUTS_LAYOUT_H */
