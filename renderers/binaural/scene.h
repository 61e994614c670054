/* SPDX-License-Identifier: BSD-3-Clause */
/* Drives the binaural renderer from ADM render items (ITU-R BS.2076-2 block formats): per
 * processing block, each Objects item's direction (polar, or cartesian converted as BS.2127-1
 * §10 point_cart_to_polar does for the allocentric panner), gain, extent, diffuseness and
 * headphoneVirtualise mode, with positions interpolated between blocks on the block timing of
 * renderers/interp.h (the loudspeaker engine's: jumpPosition / interpolationLength, no ramp
 * across a gap); DirectSpeakers channels as virtual loudspeakers at their nominal
 * positions and LFE channels low-passed to both ears; each HOA pack decoded to virtual
 * loudspeakers (renderers/binaural_hoa.h). Internal. */
#ifndef OBJR_RENDERERS_BINAURAL_SCENE_H
#define OBJR_RENDERERS_BINAURAL_SCENE_H

#include <stddef.h>
#include <stdint.h>

#include "formats/adm_model.h"
#include "objrender/objr_binaural.h"
#include "objrender/objr_status.h"
#include "renderers/interp.h"
#include "src/core/core.h"

/** One channel to render binaurally (a subset of the engine's render item). */
typedef struct objr__binaural_item {
    /** OBJR__TYPE_OBJECTS, OBJR__TYPE_DIRECT_SPEAKERS or OBJR__TYPE_HOA (others are refused) */
    int type;
    const objr__adm_block_objects *obj_blocks;        /**< borrowed; must outlive the scene */
    const objr__adm_block_direct_speakers *ds_blocks; /**< borrowed; must outlive the scene */
    const objr__adm_block_hoa *hoa_blocks;            /**< borrowed; must outlive the scene */
    size_t n_blocks;
    size_t input;      /**< index into the process call's in[] */
    double gain;       /**< object-level gain (0 = muted) */
    double start_s;    /**< object start: block rtimes are relative to it */
    double duration_s; /**< object duration when has_duration */
    int has_duration;
    int is_lfe;     /**< LFE channel (by label or frequency) */
    const char *id; /**< for messages, may be NULL */
    /** HOA: items with the same hoa_group, pack_id (compared as pointers) and start_s form
     *  one pack, decoded together (BS.2127-1 §9 grouping, as src/render.c design_hoa): the
     *  engine passes the audioObject. */
    const void *hoa_group;
    const char *pack_id; /**< HOA pack ID (grouping and messages), may be NULL */
    /** HOA: the pack's normalisation (objr__adm_hoa_norm), used for channels whose first
     *  block does not give one @default OBJR__HOA_SN3D (0) */
    int hoa_normalization;
    /** A render mode that wins over headphoneVirtualise (objr_binaural_mode; the Dolby dbmd
     *  per-track mode), 0 = none @default 0 */
    int mode_override;
} objr__binaural_item;

typedef struct objr__binaural_scene objr__binaural_scene;

/**
 * @param cfg renderer configuration (max_sources is set to n_items here).
 * @param gain_db global gain.
 * HOA items are grouped into packs; each pack gets objr__binaural_hoa_n_virtual_for_order
 * (its highest order) extra sources and is calibrated here through the renderer (dry impulse
 * responses of its virtual loudspeakers and of 32..64 probe directions; packs with the same
 * channels share it), which costs a few tens of renderer blocks per distinct pack layout.
 * @return OBJR_OK; OBJR_ERR_UNSUPPORTED (a Matrix or Binaural item: not rendered binaurally
 *         yet; an HOA order above 10 or FuMa above 3; @p diag names it); OBJR_ERR_ADM (an HOA
 *         channel without order/degree, two channels of a pack with the same ones, or a block
 *         that starts before the previous one ends); OBJR_ERR_RANGE (a block time that is not
 *         a number);
 *         the statuses of objr_binaural_create.
 */
OBJR_HIDDEN objr_status objr__binaural_scene_create(const objr_binaural_config *cfg,
                                                    const objr__binaural_item *items,
                                                    size_t n_items, size_t n_inputs, double gain_db,
                                                    objr_diag *diag, objr__binaural_scene **out);
OBJR_HIDDEN void objr__binaural_scene_destroy(objr__binaural_scene *s);
/** Output delay in frames (the renderer's block). */
OBJR_HIDDEN size_t objr__binaural_scene_latency(const objr__binaural_scene *s);
/** Render n_frames (any size); in[n_inputs] planar (NULL = silence). Allocation-free. */
OBJR_HIDDEN objr_status objr__binaural_scene_process(objr__binaural_scene *s,
                                                     const float *const *in, float *out_l,
                                                     float *out_r, size_t n_frames);
/** Move the scene clock to @p frame and clear the audio history. */
OBJR_HIDDEN void objr__binaural_scene_seek(objr__binaural_scene *s, int64_t frame);

/** The block timing of item @p it at @p rate_hz: segs[k] for block k (segs holds n_blocks).
 *  @return OBJR_OK or objr__interp_next's errors (@p diag names the block). */
OBJR_HIDDEN objr_status objr__binaural_item_timing(const objr__binaural_item *it, double rate_hz,
                                                   objr__interp_seg *segs, objr_diag *diag);

/** The parameters of item @p it at sample @p frame of the timeline, as the scene sets them;
 *  @p segs is its timing (objr__binaural_item_timing). For an HOA channel only active, gain
 *  and mode are meaningful (the channel's gain before decoding). */
OBJR_HIDDEN void objr__binaural_item_params(const objr__binaural_item *it,
                                            const objr__interp_seg *segs, double rate_hz,
                                            int64_t frame, objr_binaural_source *src);

#endif /* OBJR_RENDERERS_BINAURAL_SCENE_H */
