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
#include "renderers/render_items.h"
#include "src/core/core.h"

typedef struct objr__binaural_scene objr__binaural_scene;

/**
 * @param cfg renderer configuration (max_sources is set to n_items here).
 * @param items the render items (Objects, DirectSpeakers, HOA; others are refused): copied,
 *        their blocks borrowed (must outlive the scene). An item's input indexes the process
 *        call's in[]. HOA items with the same object, pack_id (compared as pointers) and
 *        start_s form one pack, decoded together (BS.2127-1 §9 grouping, as src/render
 *        design_hoa).
 * @param modes NULL, or per item a render mode that wins over headphoneVirtualise
 *        (objr_binaural_mode; the Dolby dbmd per-track mode), 0 = none.
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
                                                    const objr__render_item *items,
                                                    const int *modes, size_t n_items,
                                                    size_t n_inputs, double gain_db,
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

/** The parameters of item @p it at sample @p frame of the timeline, as the scene sets them;
 *  @p cur where the caller is in its blocks (renderers/interp.h: reset before the first call,
 *  only this item's; its timing accepted by objr__interp_item), @p mode a mode that wins over
 *  headphoneVirtualise (0 = none). For an HOA channel only active, gain and mode are
 *  meaningful (the channel's gain before decoding). */
OBJR_HIDDEN void objr__binaural_item_params(const objr__render_item *it, objr__interp_cursor *cur,
                                            double rate_hz, int64_t frame, int mode,
                                            objr_binaural_source *src);

#endif /* OBJR_RENDERERS_BINAURAL_SCENE_H */
