/* SPDX-License-Identifier: BSD-3-Clause */
/* The in-memory ADM scene model (ITU-R BS.2076-2): every element and every block-format
 * parameter a renderer needs, with references resolved to indices. Independent of libxml2.
 * Internal: renderers and formats include it; the public API wraps it in objr_adm. */
#ifndef OBJR_FORMATS_ADM_MODEL_H
#define OBJR_FORMATS_ADM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "formats/chna.h"
#include "objrender/objr_adm.h"
#include "objrender/objr_status.h"
#include "src/core/core.h"
#include "src/core/diaglog.h"

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
    int bypass;    /**< 1 = render without HRTF @default 0 */
    double drr_db; /**< @default 0 (only meaningful when present) */
    int has_drr;
} objr__adm_headphone_virtualise;

/** Fields common to every block format type. */
typedef struct objr__adm_block_common {
    char id[32];             /**< audioBlockFormatID, e.g. "AB_00031001_00000001" */
    objr__adm_time rtime;    /**< valid when has_rtime */
    objr__adm_time duration; /**< valid when has_duration */
    int has_rtime, has_duration;
    double gain;     /**< linear, after converting gainUnit="dB" @default 1 */
    int gain_was_db; /**< 1 when the file wrote gainUnit="dB" (for round trips) */
    double gain_db;  /**< the dB value as written when gain_was_db */
    int has_gain, has_importance, has_head_locked; /**< element present in the file */
    long line;                                     /**< XML line of the block, 0 if unknown */
    int importance;                                /**< 0..10 @default 10 */
    int head_locked;                               /**< @default 0 */
    objr__adm_headphone_virtualise headphone_virtualise;
} objr__adm_block_common;

/** audioBlockFormat of type Objects (BS.2076-2 §5.4.3.3). */
typedef struct objr__adm_block_objects {
    objr__adm_block_common c;
    objr__adm_position pos;
    double width, height,
        depth;        /**< extent: degrees when polar, normalised when cartesian @default 0 */
    double diffuse;   /**< 0..1 @default 0 */
    int channel_lock; /**< @default 0 */
    double channel_lock_max_distance; /**< valid when has_channel_lock_max_distance */
    int has_channel_lock_max_distance;
    int has_divergence;
    double divergence;                   /**< objectDivergence value 0..1 @default 0 */
    double divergence_azimuth_range_deg; /**< @default 45 */
    double divergence_position_range;    /**< cartesian @default 0 */
    uint32_t present; /**< OBJR__OBJ_HAS_* bits: which optional elements the file wrote */
    int has_divergence_azimuth_range, has_divergence_position_range;
    int jump_position;             /**< @default 0 */
    double interpolation_length_s; /**< valid when has_interpolation_length */
    int has_interpolation_length;
    int screen_ref;        /**< @default 0 */
    objr__adm_zone *zones; /**< zoneExclusion, n_zones entries */
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
    int has_distance;       /**< polar distance present (else 1) */
    int has_cartesian_flag; /**< the file wrote a <cartesian> element (else inferred) */
    char **speaker_labels;  /**< in document order, e.g. "M+030", "RC_L",
                               "urn:itu:bs:2051:0:speaker:M+030" */
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
    int order, degree;    /**< ACN = order*(order+1)+degree */
    int has_order_degree; /**< 0 when only an equation was given */
    int normalization;    /**< objr__adm_hoa_norm; channel-level overrides pack-level */
    int has_normalization;
    double nfc_ref_dist_m; /**< 0 = no near-field compensation @default 0 */
    int screen_ref;
    char *equation; /**< optional */
    int has_nfc_ref_dist, has_screen_ref;
} objr__adm_block_hoa;

/** One matrix coefficient (BS.2076-2 §5.4.3.2). */
typedef struct objr__adm_matrix_coef {
    char input_channel_id[32];              /**< inputChannelFormatIDRef as written */
    int32_t input_channel;                  /**< resolved channel index, -1 if unresolved */
    double gain;                            /**< @default 1 */
    double phase_deg;                       /**< @default 0 */
    double delay_ms;                        /**< @default 0 */
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

/** Bits of objr__adm_block_objects.present. */
enum {
    OBJR__OBJ_HAS_CARTESIAN = 1u << 0, /**< <cartesian> written */
    OBJR__OBJ_HAS_ELEVATION = 1u << 1,
    OBJR__OBJ_HAS_DISTANCE = 1u << 2,
    OBJR__OBJ_HAS_Z = 1u << 3,
    OBJR__OBJ_HAS_WIDTH = 1u << 4,
    OBJR__OBJ_HAS_HEIGHT = 1u << 5,
    OBJR__OBJ_HAS_DEPTH = 1u << 6,
    OBJR__OBJ_HAS_DIFFUSE = 1u << 7,
    OBJR__OBJ_HAS_CHANNEL_LOCK = 1u << 8,
    OBJR__OBJ_HAS_JUMP_POSITION = 1u << 9,
    OBJR__OBJ_HAS_SCREEN_REF = 1u << 10,
    OBJR__OBJ_HAS_ZONE_EXCLUSION = 1u << 11,
};

/* ---------------------------------------------------------------------------------------- */
/* Elements (BS.2076-2 §5.1-§5.6, §5.7 audioTrackUID). Every reference keeps the ID as        */
/* written and the index it resolves to in the model's array of that kind (-1 = none).       */

/** Element kinds (also the hash-table key space). */
typedef enum objr__adm_kind {
    OBJR__KIND_PROGRAMME = 0,
    OBJR__KIND_CONTENT,
    OBJR__KIND_OBJECT,
    OBJR__KIND_PACK,
    OBJR__KIND_CHANNEL,
    OBJR__KIND_STREAM,
    OBJR__KIND_TRACK,
    OBJR__KIND_UID,
    OBJR__KIND_COUNT
} objr__adm_kind;

/** One reference: the ID as written and its resolved index (-1 = unresolved / none). */
typedef struct objr__adm_ref {
    char *id; /**< NULL when the reference is absent */
    int32_t idx;
} objr__adm_ref;

/** A list of references in document order. */
typedef struct objr__adm_refs {
    objr__adm_ref *items;
    size_t n;
} objr__adm_refs;

/** A label with an optional language (audioProgrammeLabel, audioObjectLabel, ...). */
typedef struct objr__adm_label {
    char *text;     /**< may be "" */
    char *language; /**< NULL when absent */
} objr__adm_label;

typedef struct objr__adm_labels {
    objr__adm_label *items;
    size_t n;
} objr__adm_labels;

/** Bits of objr__adm_loudness.present. */
enum {
    OBJR__LOUD_INTEGRATED = 1u << 0,
    OBJR__LOUD_RANGE = 1u << 1,
    OBJR__LOUD_TRUE_PEAK = 1u << 2,
    OBJR__LOUD_MOMENTARY = 1u << 3,
    OBJR__LOUD_SHORT_TERM = 1u << 4,
    OBJR__LOUD_DIALOGUE = 1u << 5,
};

/** loudnessMetadata (BS.2076-2 §5.8). */
typedef struct objr__adm_loudness {
    char *method;          /**< loudnessMethod attribute or NULL */
    char *rec_type;        /**< loudnessRecType or NULL */
    char *correction_type; /**< loudnessCorrectionType or NULL */
    double integrated_lufs, range_lu, max_true_peak_dbtp, max_momentary_lufs, max_short_term_lufs,
        dialogue_lufs;
    uint32_t present; /**< OBJR__LOUD_* bits */
} objr__adm_loudness;

typedef struct objr__adm_loudness_list {
    objr__adm_loudness *items;
    size_t n;
} objr__adm_loudness_list;

/** audioProgrammeReferenceScreen (BS.2076-2 §5.1.2). */
typedef struct objr__adm_screen {
    int present;
    int cartesian;       /**< screenCentrePosition written with X/Y/Z */
    double aspect_ratio; /**< @default 1.78 */
    double centre_azimuth_deg, centre_elevation_deg, centre_distance; /**< polar */
    double centre_x, centre_y, centre_z;                              /**< cartesian */
    double width; /**< screenWidth: azimuth (deg) when polar, X when cartesian */
} objr__adm_screen;

/** audioProgramme (BS.2076-2 §5.1). */
typedef struct objr__adm_programme {
    char *id, *name, *language; /**< language NULL when absent */
    objr__adm_time start, end;
    int has_start, has_end;
    double max_ducking_depth_db;
    int has_max_ducking_depth;
    objr__adm_refs contents;
    objr__adm_loudness_list loudness;
    objr__adm_screen screen;
    objr__adm_labels labels;
    long line;
} objr__adm_programme;

/** Dialogue values of audioContent (BS.2076-2 §5.2.2). */
typedef enum objr__adm_dialogue {
    OBJR__DIALOGUE_NONE = -1, /**< no <dialogue> element */
    OBJR__DIALOGUE_NON_DIALOGUE = 0,
    OBJR__DIALOGUE_DIALOGUE = 1,
    OBJR__DIALOGUE_MIXED = 2,
} objr__adm_dialogue;

/** audioContent (BS.2076-2 §5.2). */
typedef struct objr__adm_content {
    char *id, *name, *language;
    objr__adm_refs objects;
    int dialogue;     /**< objr__adm_dialogue */
    int content_kind; /**< the *ContentKind attribute value, -1 when absent */
    objr__adm_loudness_list loudness;
    objr__adm_labels labels;
    long line;
} objr__adm_content;

/** positionInteractionRange entry. */
typedef struct objr__adm_position_range {
    char coordinate[16]; /**< "azimuth", "elevation", "distance", "X", "Y", "Z" */
    int is_max;          /**< bound="max" (else "min") */
    double value;
} objr__adm_position_range;

/** audioObjectInteraction (BS.2076-2 §5.3.4). */
typedef struct objr__adm_interaction {
    int present;
    int on_off_interact, gain_interact, position_interact;
    int has_gain_interact, has_position_interact;
    double gain_min, gain_max; /**< gainInteractionRange (linear as written) */
    int has_gain_min, has_gain_max;
    objr__adm_position_range *position_ranges;
    size_t n_position_ranges;
} objr__adm_interaction;

/** audioObject (BS.2076-2 §5.3). */
typedef struct objr__adm_object {
    char *id, *name;
    objr__adm_time start, duration;
    int has_start, has_duration;
    int dialogue;   /**< 0/1/2, -1 when absent */
    int importance; /**< 0..10, -1 when absent */
    int interact, has_interact;
    int disable_ducking, has_disable_ducking;
    double gain; /**< linear @default 1 */
    int has_gain, gain_was_db;
    double gain_db;
    int mute, has_mute;
    int head_locked, has_head_locked;
    /** positionOffset: polar (azimuth/elevation/distance) or cartesian (X/Y/Z). */
    int has_position_offset, position_offset_cartesian;
    double offset[3];
    uint8_t offset_present[3];
    objr__adm_refs packs, objects, track_uids, complementary;
    objr__adm_labels labels, complementary_group_labels;
    objr__adm_interaction interaction;
    long line;
} objr__adm_object;

/** audioPackFormat (BS.2076-2 §5.4.1). */
typedef struct objr__adm_pack {
    char *id, *name;
    int type; /**< objr__adm_type */
    int has_type_label, has_type_definition;
    objr__adm_refs channels, packs;
    int importance; /**< -1 when absent */
    double absolute_distance_m;
    int has_absolute_distance;
    /* HOA (pack level) */
    int normalization, has_normalization; /**< objr__adm_hoa_norm */
    double nfc_ref_dist_m;
    int has_nfc_ref_dist;
    int screen_ref, has_screen_ref;
    /* Matrix */
    objr__adm_refs encode_packs, decode_packs;
    objr__adm_ref input_pack, output_pack;
    int is_common; /**< instantiated from the built-in BS.2094 table */
    /** Derived: every channel after flattening nested packs (depth first, nested packs'
     *  channels first, as BS.2094 orders HOA packs), duplicates removed. */
    int32_t *flat_channels;
    size_t n_flat_channels;
    long line;
} objr__adm_pack;

/** audioChannelFormat (BS.2076-2 §5.4.2) with its time-ordered block formats. */
typedef struct objr__adm_channel {
    char *id, *name;
    int type; /**< objr__adm_type; selects the block array below */
    int has_type_label, has_type_definition;
    double low_pass_hz, high_pass_hz; /**< frequency element */
    int has_low_pass, has_high_pass;
    /** Exactly one of these is non-NULL when n_blocks > 0, by type. */
    objr__adm_block_objects *objects;
    objr__adm_block_direct_speakers *direct_speakers;
    objr__adm_block_hoa *hoa;
    objr__adm_block_matrix *matrix;
    objr__adm_block_binaural *binaural;
    size_t n_blocks;
    int is_common;
    long line;
} objr__adm_channel;

/* The common part of block @p i (< c->n_blocks) of @p c, whatever its type. */
static inline objr__adm_block_common *objr__adm_block_at(const objr__adm_channel *c, size_t i) {
    switch (c->type) {
    case OBJR__TYPE_OBJECTS:
        return &c->objects[i].c;
    case OBJR__TYPE_DIRECT_SPEAKERS:
        return &c->direct_speakers[i].c;
    case OBJR__TYPE_HOA:
        return &c->hoa[i].c;
    case OBJR__TYPE_MATRIX:
        return &c->matrix[i].c;
    default:
        return &c->binaural[i].c;
    }
}

/** audioStreamFormat (BS.2076-2 §5.5). */
typedef struct objr__adm_stream {
    char *id, *name;
    char *format_label, *format_definition; /**< as written, e.g. "0001" / "PCM" */
    objr__adm_ref channel, pack;            /**< either or both (the Dolby profile writes both) */
    objr__adm_refs tracks;
    int is_common;
    long line;
} objr__adm_stream;

/** audioTrackFormat (BS.2076-2 §5.6). */
typedef struct objr__adm_track {
    char *id, *name;
    char *format_label, *format_definition;
    objr__adm_ref stream;
    int is_common;
    long line;
} objr__adm_track;

/** audioTrackUID (BS.2076-2 §5.7) plus where its audio is. */
typedef struct objr__adm_uid {
    char *id;
    uint32_t sample_rate_hz; /**< 0 when absent */
    uint32_t bit_depth;      /**< 0 when absent */
    objr__adm_ref track;     /**< audioTrackFormatIDRef */
    objr__adm_ref channel;   /**< audioChannelFormatIDRef (BS.2076-2 direct form) */
    objr__adm_ref pack;      /**< audioPackFormatIDRef */
    /** 1-based track index in the audio file (from chna or the S-ADM transportTrackFormat),
     *  0 when unknown. */
    uint32_t track_index;
    /** mix.xml stem extension (objr:file / objr:channel): path as written, NULL when absent;
     *  stem_path is resolved against the document directory when one is known. */
    char *stem_file;
    char *stem_path;
    uint32_t stem_channel; /**< 1-based, 0 when absent */
    /** Derived: the channel format via track -> stream -> channel, or direct. -1 if none. */
    int32_t resolved_channel;
    long line;
} objr__adm_uid;

/** One validation or parse problem (see objr_adm_problem in the public API). */
typedef struct objr__adm_problem {
    int severity;     /**< OBJR__SEV_FIXED, OBJR__SEV_ERROR or OBJR__SEV_NOTE */
    const char *kind; /**< static kind name (the diagnostics collector's key) */
    objr_status code; /**< the status this problem maps to */
    char element_id[64];
    long line;
    char message[256];
    int from_validation; /**< added by objr__adm_validate() (replaced on the next run) */
} objr__adm_problem;

/** The scene model. Everything is owned by the model's arena and freed by
 *  objr__adm_model_destroy(). */
typedef struct objr__adm_model objr__adm_model;
struct objr__adm_arena_chunk;

struct objr__adm_model {
    objr__adm_programme *programmes;
    objr__adm_content *contents;
    objr__adm_object *objects;
    objr__adm_pack *packs;
    objr__adm_channel *channels;
    objr__adm_stream *streams;
    objr__adm_track *tracks;
    objr__adm_uid *uids;
    size_t n_programmes, n_contents, n_objects, n_packs, n_channels, n_streams, n_tracks, n_uids;
    size_t cap[OBJR__KIND_COUNT]; /**< allocated capacity per kind */
    size_t n_blocks;              /**< total block formats */
    char *version;                /**< audioFormatExtended version attribute or NULL */
    char *base_dir;               /**< directory of the document (for stems) or NULL */
    /** Derived: object nesting in topological order (parents before children). */
    int32_t *object_order;
    /** Problems found while reading and validating. */
    objr__adm_problem *problems;
    size_t n_problems, cap_problems;
    size_t n_problems_dropped;
    int in_validation; /**< set while objr__adm_validate() runs */
    /** Every problem aggregated per kind (reader, fixes, validation): what tools print. */
    objr__diaglog log;
    int strict;     /**< every fix is an error (objr_adm_config.strict, --strict) */
    int fixes_done; /**< objr__adm_fix() ran */
    /* private: arena, block spill file and ID index */
    struct objr__adm_arena_chunk *arena;
    struct objr__adm_spill *spill; /**< block arrays in a temporary file (formats/adm_spill.c) */
    struct objr__adm_index_slot *index;
    size_t index_cap, index_n;
    size_t limit_elements, limit_blocks;
};

/* ---------------------------------------------------------------------------------------- */
/* Model functions (formats/adm_model.c)                                                     */

/** Limits: @p max_elements over all kinds, @p max_blocks block formats (0 = unlimited). */
OBJR_HIDDEN objr_status objr__adm_model_create(size_t max_elements, size_t max_blocks,
                                               objr__adm_model **out);
/** NULL-safe. */
OBJR_HIDDEN void objr__adm_model_destroy(objr__adm_model *m);

/** Zeroed arena memory owned by the model (NULL on failure or size overflow). */
OBJR_HIDDEN void *objr__adm_alloc(objr__adm_model *m, size_t n, size_t size);
/** Copy of @p s (or of its first @p n bytes) in the arena; NULL stays NULL. */
OBJR_HIDDEN char *objr__adm_strdup(objr__adm_model *m, const char *s);
OBJR_HIDDEN char *objr__adm_strndup(objr__adm_model *m, const char *s, size_t n);
/** Grows the arena array @p p of @p n_old elements (NULL when none) to @p n_new, zeroing the
 *  new ones: resized in place when @p p is a large allocation of its own (no second copy),
 *  else copied to a new arena array (the old one stays until the model is destroyed).
 *  @return the array (it may move), or NULL on allocation failure (@p p is then untouched). */
OBJR_HIDDEN void *objr__adm_grow(objr__adm_model *m, void *p, size_t n_old, size_t n_new,
                                 size_t size);
/** Block storage of a large document (formats/adm_spill.c): from objr__adm_spill_open() on,
 *  objr__adm_grow_blocks() lays the channels' block arrays out in a shared mapping of an
 *  unlinked temporary file, sized for a document of @p xml_bytes; pointers into them stay
 *  plain and valid until the model is destroyed. OBJR_ERR_IO when no temporary file can be
 *  made (the caller keeps the blocks in memory). */
OBJR_HIDDEN objr_status objr__adm_spill_open(objr__adm_model *m, size_t xml_bytes);
/** Unmaps and closes the spill (objr__adm_model_destroy does it). NULL-safe. */
OBJR_HIDDEN void objr__adm_spill_close(objr__adm_model *m);
/** Documents of at least this many bytes spill: 4 MiB, or the environment's
 *  OBJR_ADM_SPILL_BYTES (0 = never; 1 = every document, for tests). */
OBJR_HIDDEN size_t objr__adm_spill_threshold(void);
/** 1 and a message in @p msg when the spill could not grow (a full disk: errno's text and the
 *  folder), else 0: a reader reports it instead of "out of memory". */
OBJR_HIDDEN int objr__adm_spill_failure(const objr__adm_model *m, char *msg, size_t n);
/** Bytes of blocks in the spill (0 without one). */
OBJR_HIDDEN size_t objr__adm_spill_bytes(const objr__adm_model *m);
/** objr__adm_grow() for a channel's block array: in the spill when the model has one. */
OBJR_HIDDEN void *objr__adm_grow_blocks(objr__adm_model *m, void *p, size_t n_old, size_t n_new,
                                        size_t size);
/** Gives back the resident pages of every spill in the process: a pass over blocks calls it
 *  between channels (or items), a render every second of audio, so that what stays in
 *  memory is the blocks being worked on. Pages touched again are read back from the file. The
 *  blocks' contents are kept; safe from any thread at any time. Without spills it returns at
 *  once (one atomic load: no lock, no system call). */
OBJR_HIDDEN void objr__adm_release_blocks(void);

/** objr__adm_release_blocks() every 16384th block @p k of a pass over one channel: a channel
 *  of a million blocks is not held whole either. */
static inline void objr__adm_release_blocks_at(size_t k) {
    if ((k & 16383u) == 16383u)
        objr__adm_release_blocks();
}

/** Gives back the spare capacity of the channels' block arrays that are allocations of their
 *  own (the reader grows them by half each time, so up to a third of a long session's blocks
 *  is spare). Block arrays may move (none of the model's indexes points into them); call it
 *  after reading, before pointers to blocks are taken. Never fails (a failed shrink keeps the
 *  array as it was). */
OBJR_HIDDEN void objr__adm_trim_blocks(objr__adm_model *m);

/** Append a zeroed element of @p kind with its defaults; returns its index, or -1 with
 *  *st = OBJR_ERR_NOMEM / OBJR_ERR_LIMIT. Pointers into that kind's array are invalidated. */
OBJR_HIDDEN int32_t objr__adm_add(objr__adm_model *m, objr__adm_kind kind, objr_status *st);
/** Count blocks against the limit; OBJR_ERR_LIMIT when exceeded. */
OBJR_HIDDEN objr_status objr__adm_count_blocks(objr__adm_model *m, size_t n);
/** The ID of element @p idx of @p kind. */
OBJR_HIDDEN const char *objr__adm_element_id(const objr__adm_model *m, objr__adm_kind kind,
                                             int32_t idx);
OBJR_HIDDEN long objr__adm_element_line(const objr__adm_model *m, objr__adm_kind kind, int32_t idx);
/** Index of the element of @p kind with @p id, -1 if none (hash lookup, O(1)). Only valid
 *  after objr__adm_model_resolve() or for elements added with objr__adm_index_add(). */
OBJR_HIDDEN int32_t objr__adm_find(const objr__adm_model *m, objr__adm_kind kind, const char *id);
/** Insert element @p idx in the ID index; OBJR_ERR_DUPLICATE if the ID exists. */
OBJR_HIDDEN objr_status objr__adm_index_add(objr__adm_model *m, objr__adm_kind kind, int32_t idx);
/** Rebuild the ID index over every element; OBJR_ERR_DUPLICATE (an ID defined twice) or
 *  OBJR_ERR_INVALID_ARG (an element without an ID), @p diag naming it. */
OBJR_HIDDEN objr_status objr__adm_index_build(objr__adm_model *m, objr_diag *diag);
/** Number of elements of @p kind. */
OBJR_HIDDEN size_t objr__adm_kind_count(const objr__adm_model *m, objr__adm_kind kind);
/** The element name of @p kind ("audioObject", ...). */
OBJR_HIDDEN const char *objr__adm_kind_name(objr__adm_kind kind);
/** 1 when two ADM IDs are the same, hex digits in either case (real files write both). */
OBJR_HIDDEN int objr__adm_same_id(const char *a, const char *b);

/** Record a problem (severity 1 fixed, 2 error, 3 note) under a generic kind. Never fails
 *  (drops when out of memory). */
OBJR_HIDDEN void objr__adm_problem_add(objr__adm_model *m, int severity, objr_status code,
                                       const char *element_id, long line, const char *fmt, ...)
    OBJR_PRINTF(6, 7);
/** Record one occurrence of @p kind (static string; see formats/adm_fix.c for the fixed
 *  kinds) with an optional magnitude @p value (< 0: none): listed with its own message and
 *  aggregated in m->log. Never fails. */
OBJR_HIDDEN void objr__adm_report(objr__adm_model *m, const char *kind, int severity,
                                  objr_status code, const char *element_id, long line, double value,
                                  const char *fmt, ...) OBJR_PRINTF(8, 9);

/**
 * Repair the deviations real exporters write (formats/adm_fix.c): block timing (overlaps,
 * gaps, missing durations: each block ends where the next starts, BS.2127 §7.2),
 * interpolation lengths, out-of-range values (clamped to the BS.2076 ranges), programme
 * times, duplicate block IDs, hex case in IDs. Each repair is reported as a fixed kind.
 * Runs once per model (later calls do nothing).
 */
OBJR_HIDDEN void objr__adm_fix(objr__adm_model *m);
/**
 * Block times written to a coarse precision (at most 5 decimals: Dolby exporters round to
 * 10 us) that lie within half that precision of a sample boundary at @p rate_hz are taken as
 * that sample (the exporter meant it), so a rounded export renders exactly as its exact-time
 * original. Block ends follow (blocks that abut keep abutting). Run after objr__adm_fix().
 */
OBJR_HIDDEN void objr__adm_snap_to_rate(objr__adm_model *m, uint32_t rate_hz);
/** The one-line text of an aggregated kind ("112 blocks overlap ... (first: ID, line N)"). */
OBJR_HIDDEN void objr__adm_finding_text(const objr__diaglog_entry *e, char *buf, size_t size);
/** Tolerance below which a block overlap or gap is exporter rounding: one sample at 48 kHz. */
#define OBJR__ADM_ROUNDING_S (1.0 / 48000.0)

/** The channel format a track UID carries (-1 when none); valid after resolve. */
OBJR_HIDDEN int32_t objr__adm_uid_channel(const objr__adm_model *m, int32_t uid);
/** The pack of a track UID: its own ref, else the pack of its stream format, else -1. */
OBJR_HIDDEN int32_t objr__adm_uid_pack(const objr__adm_model *m, int32_t uid);

/** The type of an object: the type of its first pack, or UNKNOWN. */
OBJR_HIDDEN int objr__adm_object_type(const objr__adm_model *m, int32_t obj);

/**
 * The BS.2051 / common name of a DirectSpeakers pack recognised from the set of its
 * flattened channels' speaker labels ("0+5+0", "4+7+0", "7.1.2", ...), or NULL.
 */
OBJR_HIDDEN const char *objr__adm_pack_layout_name(const objr__adm_model *m, int32_t pack);

/** 1 when DirectSpeakers channel @p ch is an LFE: a speaker label LFE/LFE1/LFE2/LFEL/LFER
 *  (any URN form) or a frequency lowPass at or below 200 Hz (as BS.2127 decides). */
OBJR_HIDDEN int objr__adm_channel_is_lfe(const objr__adm_model *m, int32_t ch);

/** Effective HOA normalisation of block @p blk of channel @p ch heard through pack @p pack
 *  (-1 = none): the block's value, else the pack's, else SN3D (BS.2076-2 §5.4.3.4). */
OBJR_HIDDEN int objr__adm_hoa_normalization(const objr__adm_model *m, int32_t pack, int32_t ch,
                                            size_t blk);

/** Normalise a speaker label: strip "urn:itu:bs:2051:N:speaker:" and map LFE1/LFEL etc.
 *  Writes at most @p size bytes to @p out. */
OBJR_HIDDEN void objr__adm_label_normalise(const char *label, char *out, size_t size);

/** Run every validation check (adds problems); @p n_file_channels 0 = unknown. */
OBJR_HIDDEN void objr__adm_validate(objr__adm_model *m, size_t n_file_channels);

/** The model behind a public document (formats/adm_api.c), for renderers and tools. */
OBJR_HIDDEN const objr__adm_model *objr__adm_get_model(const objr_adm *adm);
/** The mutable model (for the BWF reader, which merges its chna with objr__adm_merge_chna). */
OBJR_HIDDEN objr__adm_model *objr__adm_get_model_mut(objr_adm *adm);
/** Wrap @p m (taken over: destroyed on failure too) in a public objr_adm handle. */
OBJR_HIDDEN objr_status objr__adm_from_model(objr__adm_model *m, objr_adm **out);
/** A public handle on @p m that does not own it (@p m must outlive it). */
OBJR_HIDDEN objr_status objr__adm_view(objr__adm_model *m, objr_adm **out);

/* Time values (formats/adm_time.c) */

/** Longest text objr__adm_time_format() writes, including the NUL. */
#define OBJR__ADM_TIME_TEXT_SIZE 48
/** Parse "hh:mm:ss[.f{1,9}]" or "hh:mm:ss.NNNSddd"; OBJR_ERR_RANGE with @p err filled
 *  (a short reason, at least 96 bytes) on garbage, negative or overflowing values. */
OBJR_HIDDEN objr_status objr__adm_time_parse(const char *text, objr__adm_time *out, char *err,
                                             size_t err_size);
/** Write @p t in its original form. */
OBJR_HIDDEN void objr__adm_time_format(objr__adm_time t, char *buf, size_t size);
/** Exact comparison of two times (-1, 0, 1). */
OBJR_HIDDEN int objr__adm_time_cmp(objr__adm_time a, objr__adm_time b);
/** a + b exactly (denominator lcm(a.den, b.den), form of @p a); returns 0 on overflow. */
OBJR_HIDDEN int objr__adm_time_add(objr__adm_time a, objr__adm_time b, objr__adm_time *out);

/* XML (formats/adm_xml_read.c, formats/adm_xml_write.c) */

/** Reader options (a copy of the public config's fields). */
typedef struct objr__adm_read_opts {
    size_t max_xml_bytes, max_elements, max_blocks;
    const char *base_dir;  /**< for mix.xml stem paths; NULL = leave relative */
    const char *file_name; /**< for messages; NULL = "<memory>" */
    /** The text's mapping when it is a mapped file (NULL otherwise): pages the parser has
     *  passed are given back as it goes. */
    const struct objr__filemap *text_map;
} objr__adm_read_opts;

/** libxml2's global state set up once, whichever thread comes first (libxml2 2.9 sets it up
 *  lazily per thread, and two threads doing so at once race: "call xmlInitParser() once
 *  before use in multithreaded programs"). Every entry point that uses libxml2 calls it. */
OBJR_HIDDEN void objr__xml_init(void);
/** Parse and resolve an ADM XML document. */
OBJR_HIDDEN objr_status objr__adm_xml_read(const char *xml, size_t len,
                                           const objr__adm_read_opts *opts, objr__adm_model **out,
                                           objr_diag *diag);
/** Write the model as ebuCoreMain XML (NUL-terminated, malloc'd). */
OBJR_HIDDEN objr_status objr__adm_xml_write(const objr__adm_model *m, char **out, size_t *len);
/** @p xml (the text @p m was read from) with the fix pass's repairs spliced in: changed
 *  block rtime/duration/interpolationLength attributes and content after the root removed;
 *  every other byte kept (formats/adm_xml_patch.c). OBJR_ERR_UNSUPPORTED when a fixed kind
 *  has no textual repair here or the text does not show an element as read. */
OBJR_HIDDEN objr_status objr__adm_xml_patch(const objr__adm_model *m, const char *xml, size_t len,
                                            char **out, size_t *out_len);

#endif /* OBJR_FORMATS_ADM_MODEL_H */
