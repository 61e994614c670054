/* SPDX-License-Identifier: BSD-3-Clause */
/* Render items (ITU-R BS.2127-1 §6 "render item selection", EAR select_items): one entry per
 * audio channel to render, with its type, block formats, audio source and object-level
 * gain, chosen from the scene model (programme -> contents -> objects -> packs -> channel
 * formats -> track UIDs). Internal. */
#ifndef OBJR_RENDERERS_RENDER_ITEMS_H
#define OBJR_RENDERERS_RENDER_ITEMS_H

#include <stddef.h>
#include <stdint.h>

#include "formats/adm_model.h"
#include "objrender/objr_status.h"
#include "src/core/core.h"

/** Where the audio of an item comes from. */
typedef struct objr__item_source {
    uint32_t track_index;  /**< 1-based track in the BWF data chunk; 0 when a stem is used */
    const char *stem_path; /**< mix.xml stem file (resolved path), NULL for BWF tracks */
    uint32_t stem_channel; /**< 1-based channel in the stem */
} objr__item_source;

/** One render item: a channel of one object (or a bare track) to render. */
typedef struct objr__render_item {
    int type; /**< objr__adm_type */
    /** Block formats of the item's channel format (borrowed from the model), by type. */
    const objr__adm_block_objects *obj_blocks;
    const objr__adm_block_direct_speakers *ds_blocks;
    const objr__adm_block_hoa *hoa_blocks;
    size_t n_blocks;
    objr__item_source source;
    size_t input;   /**< index of the source among the engine's inputs */
    double gain;    /**< product of object gains down the nesting path; 0 when muted */
    int importance; /**< min of object and pack importance along the path (10 when none) */
    double start_s; /**< object start (block rtimes are relative to it) */
    double duration_s;
    int has_duration;
    int is_lfe; /**< lowPass <= 200 Hz without highPass, or an LFE speaker label (BS.2127 §8.2) */
    double low_pass_hz, high_pass_hz; /**< channel frequency elements, 0 when absent */
    const char *inner_pack_id; /**< innermost pack holding the channel (DirectSpeakers rules) */
    /** HOA: the pack's normalisation (objr__adm_hoa_norm), for channels whose block does not
     *  give one @default OBJR__HOA_SN3D */
    int hoa_normalization;
    const objr__adm_object *object; /**< the object holding the track (NULL without objects) */
    const char *object_id, *pack_id, *channel_id, *uid_id; /**< for messages, may be NULL */
} objr__render_item;

/** The common part of block @p k of an item (whichever type its blocks have). */
static inline const objr__adm_block_common *objr__render_item_block(const objr__render_item *it,
                                                                    size_t k) {
    if (it->type == OBJR__TYPE_OBJECTS)
        return &it->obj_blocks[k].c;
    if (it->type == OBJR__TYPE_HOA)
        return &it->hoa_blocks[k].c;
    return &it->ds_blocks[k].c;
}

/** A name for messages: the channel, object or track UID ID ("" when none). */
static inline const char *objr__render_item_name(const objr__render_item *it) {
    if (it->channel_id)
        return it->channel_id;
    if (it->object_id)
        return it->object_id;
    return it->uid_id ? it->uid_id : "";
}

/** Options of the selection. */
typedef struct objr__select_options {
    const char *programme_id; /**< NULL = the first programme */
    int importance_threshold; /**< drop items whose object/pack importance is below it */
} objr__select_options;

/** The selected items; arrays owned by the list. */
typedef struct objr__render_items {
    objr__render_item *items;
    size_t n_items;
    /** Distinct audio sources, in order of first use; items[i].input indexes them. */
    objr__item_source *sources;
    size_t n_sources;
    size_t n_dropped_importance;
} objr__render_items;

/**
 * Select the render items of @p m (resolved model). @p n_file_tracks (0 = unknown) bounds
 * the chna track indices. Block pointers in the items borrow from @p m (must outlive them).
 * @return OBJR_OK; OBJR_ERR_REFERENCE (unknown programme, a track UID without a channel
 *         format or without audio, a track beyond the file), OBJR_ERR_LIMIT (nesting too
 *         deep), OBJR_ERR_NOMEM. @p out is empty after an error; @p diag names the element.
 */
struct objr__adm_model;
OBJR_HIDDEN objr_status objr__render_items_select(const struct objr__adm_model *m,
                                                  const objr__select_options *opt,
                                                  size_t n_file_tracks, objr__render_items *out,
                                                  objr_diag *diag);
/** Free the arrays (NULL-safe); the struct is left empty. */
OBJR_HIDDEN void objr__render_items_free(objr__render_items *r);

#endif /* OBJR_RENDERERS_RENDER_ITEMS_H */
