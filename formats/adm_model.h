/* SPDX-License-Identifier: BSD-3-Clause */
/* The in-memory ADM scene model (ITU-R BS.2076-2): every element and every block-format
 * parameter a renderer needs, with references resolved to indices. Independent of libxml2.
 * Internal: renderers and formats include it; the public API wraps it in objr_adm. */
#ifndef OBJR_FORMATS_ADM_MODEL_H
#define OBJR_FORMATS_ADM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_status.h"

/* ---------------------------------------------------------------------------------------- */
/* Time                                                                                      */

/** How a time value was written, so that a round trip writes it back the same way. */
typedef enum objr__adm_time_form {
    OBJR__TIME_TIMECODE = 0, /**< hh:mm:ss.fffff (n_digits fractional digits, 1..9) */
    OBJR__TIME_FRACTIONAL,   /**< hh:mm:ss.NNNSdddd (BS.2076-2 fractional: num / den s) */
} objr__adm_time_form;

/**
 * An exact ADM time: seconds = num / den (den > 0). Timecodes use den = 10^n_digits;
 * fractional times use the written denominator (e.g. 48000).
 */
typedef struct objr__adm_time {
    int64_t num;
    int64_t den;
    uint8_t form;     /**< objr__adm_time_form */
    uint8_t n_digits; /**< fractional digits written for TIMECODE form */
} objr__adm_time;

static inline double objr__adm_time_seconds(objr__adm_time t) {
    return (double)t.num / (double)t.den;
}

/* ---------------------------------------------------------------------------------------- */
/* Block-format parameters (BS.2076-2 §5.4.3 and §5.4.4; defaults in comments)             */

/** Type definitions (BS.2076 typeLabel values). */
typedef enum objr__adm_type {
    OBJR__TYPE_UNKNOWN = 0,
    OBJR__TYPE_DIRECT_SPEAKERS = 1, /* 0001 */
    OBJR__TYPE_MATRIX = 2,          /* 0002 */
    OBJR__TYPE_OBJECTS = 3,         /* 0003 */
    OBJR__TYPE_HOA = 4,             /* 0004 */
    OBJR__TYPE_BINAURAL = 5,        /* 0005 */
} objr__adm_type;

/**
 * Position of an Objects block. Polar: ADM convention, azimuth in degrees positive to the
 * LEFT (counter-clockwise from above), elevation positive up, distance normalised (1 = the
 * loudspeaker sphere). Cartesian: X right (+1)/left (-1), Y front (+1)/back (-1), Z up (+1),
 * each nominally in [-1, 1].
 */
typedef struct objr__adm_position {
    int cartesian;        /**< 0 polar, 1 cartesian (block's <cartesian> flag) @default 0 */
    double azimuth_deg;   /**< polar */
    double elevation_deg; /**< polar @default 0 */
    double distance;      /**< polar @default 1 */
    double x, y, z;       /**< cartesian; z @default 0 (Dolby files omit it) */
    /** screenEdgeLock per coordinate: 0 none, 1 = "left"/"bottom", 2 = "right"/"top". */
    uint8_t screen_edge_lock_azimuth, screen_edge_lock_elevation;
    uint8_t screen_edge_lock_x, screen_edge_lock_z;
} objr__adm_position;

/** One zone of zoneExclusion (BS.2076-2 §5.4.3.3.8): cartesian box or polar sector. */
typedef struct objr__adm_zone {
    int cartesian;
    double min_x, max_x, min_y, max_y, min_z, max_z;
    double min_elevation_deg, max_elevation_deg, min_azimuth_deg, max_azimuth_deg;
    char *label; /**< optional, may be NULL */
} objr__adm_zone;

/** headphoneVirtualise (BS.2076-2/-3): bypass flag and direct-to-reverberant ratio. */
typedef struct objr__adm_headphone_virtualise {
    int present;
    int bypass;       /**< 1 = render without HRTF @default 0 */
    double drr_db;    /**< @default 0 (only meaningful when present) */
    int has_drr;
} objr__adm_headphone_virtualise;

/** Fields common to every block format type. */
typedef struct objr__adm_block_common {
    char id[32];             /**< audioBlockFormatID, e.g. "AB_00031001_00000001" */
    objr__adm_time rtime;    /**< valid when has_rtime */
    objr__adm_time duration; /**< valid when has_duration */
    int has_rtime, has_duration;
    double gain;            /**< linear, after converting gainUnit="dB" @default 1 */
    int gain_was_db;        /**< 1 when the file wrote gainUnit="dB" (for round trips) */
    int importance;         /**< 0..10 @default 10 */
    int head_locked;        /**< @default 0 */
    objr__adm_headphone_virtualise headphone_virtualise;
} objr__adm_block_common;

/** audioBlockFormat of type Objects (BS.2076-2 §5.4.3.3). */
typedef struct objr__adm_block_objects {
    objr__adm_block_common c;
    objr__adm_position pos;
    double width, height, depth; /**< extent: degrees when polar, normalised when cartesian @default 0 */
    double diffuse;              /**< 0..1 @default 0 */
    int channel_lock;            /**< @default 0 */
    double channel_lock_max_distance; /**< valid when has_channel_lock_max_distance */
    int has_channel_lock_max_distance;
    int has_divergence;
    double divergence;              /**< objectDivergence value 0..1 @default 0 */
    double divergence_azimuth_range_deg; /**< @default 45 */
    double divergence_position_range;    /**< cartesian @default 0 */
    int has_divergence_azimuth_range, has_divergence_position_range;
    int jump_position;              /**< @default 0 */
    double interpolation_length_s;  /**< valid when has_interpolation_length */
    int has_interpolation_length;
    int screen_ref;                 /**< @default 0 */
    objr__adm_zone *zones;          /**< zoneExclusion, n_zones entries */
    size_t n_zones;
} objr__adm_block_objects;

/** One bounded polar or cartesian coordinate of a DirectSpeakers position. */
typedef struct objr__adm_bounded {
    double value;
    double min, max;
    int has_min, has_max;
    uint8_t screen_edge_lock; /**< as in objr__adm_position */
} objr__adm_bounded;

/** audioBlockFormat of type DirectSpeakers (BS.2076-2 §5.4.3.1). */
typedef struct objr__adm_block_direct_speakers {
    objr__adm_block_common c;
    int cartesian;
    /** polar: [0]=azimuth, [1]=elevation, [2]=distance (default 1);
     *  cartesian: [0]=X, [1]=Y, [2]=Z. */
    objr__adm_bounded coord[3];
    int has_distance; /**< polar distance present (else 1) */
    char **speaker_labels; /**< in document order, e.g. "M+030", "RC_L", "urn:itu:bs:2051:0:speaker:M+030" */
    size_t n_speaker_labels;
} objr__adm_block_direct_speakers;

/** HOA normalisation (BS.2076-2 §5.4.3.4). */
typedef enum objr__adm_hoa_norm {
    OBJR__HOA_SN3D = 0, /**< @default */
    OBJR__HOA_N3D,
    OBJR__HOA_FUMA,
} objr__adm_hoa_norm;

/** audioBlockFormat of type HOA (BS.2076-2 §5.4.3.4). */
typedef struct objr__adm_block_hoa {
    objr__adm_block_common c;
    int order, degree;     /**< ACN = order*(order+1)+degree */
    int has_order_degree;  /**< 0 when only an equation was given */
    int normalization;     /**< objr__adm_hoa_norm; channel-level overrides pack-level */
    int has_normalization;
    double nfc_ref_dist_m; /**< 0 = no near-field compensation @default 0 */
    int screen_ref;
    char *equation;        /**< optional */
} objr__adm_block_hoa;

/** One matrix coefficient (BS.2076-2 §5.4.3.2). */
typedef struct objr__adm_matrix_coef {
    char input_channel_id[32]; /**< inputChannelFormatIDRef as written */
    int32_t input_channel;     /**< resolved channel index, -1 if unresolved */
    double gain;               /**< @default 1 */
    double phase_deg;          /**< @default 0 */
    double delay_ms;           /**< @default 0 */
    char *gain_var, *phase_var, *delay_var; /**< optional variable names */
} objr__adm_matrix_coef;

/** audioBlockFormat of type Matrix. */
typedef struct objr__adm_block_matrix {
    objr__adm_block_common c;
    char output_channel_id[32]; /**< outputChannelFormatIDRef, or "" */
    int32_t output_channel;     /**< resolved, -1 if none */
    objr__adm_matrix_coef *coefs;
    size_t n_coefs;
} objr__adm_block_matrix;

/** audioBlockFormat of type Binaural: only the common fields. */
typedef struct objr__adm_block_binaural {
    objr__adm_block_common c;
} objr__adm_block_binaural;

#endif /* OBJR_FORMATS_ADM_MODEL_H */
