/* SPDX-License-Identifier: BSD-3-Clause */
/* The render engine (ITU-R BS.2127-1 §6 and §7.3 / §8 block processing): render items with
 * their time-ordered block formats, gain calculation at block boundaries (as the render reaches
 * each block; nothing per block is kept beyond the few blocks in use),
 * linear interpolation of GAINS between blocks (jumpPosition / interpolationLength), mixing
 * through the SIMD kernels, the diffuse path through per-speaker decorrelation filters, and
 * several layouts from one pass over the input. Internal. */
#ifndef OBJR_RENDERERS_ENGINE_H
#define OBJR_RENDERERS_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "formats/adm_model.h"
#include "objrender/objr_status.h"
#include "renderers/render_items.h"
#include "src/core/core.h"

/** Largest number of loudspeakers of one layout the engine handles. */
#define OBJR__ENGINE_MAX_SPEAKERS 64

/**
 * The gain calculators of one output layout, as callbacks so that the engine does not depend
 * on how each panner is built. Gains are in the layout's speaker order (BS.2051 order, the
 * order BS.2127 computes in). Called from objr__engine_create() (DirectSpeakers and HOA blocks,
 * Objects blocks with diffuse > 0 until one has a diffuse gain), objr__engine_process() and
 * objr__engine_gains_at(), in time order per item; they must be pure functions of the block
 * (no state across calls). The Objects calculator returns zero diffuse gains for blocks whose
 * diffuse is not > 0 (BS.2127-1 §7.3.x; the engine sizes its diffuse path from the metadata).
 */
typedef struct objr__engine_gaincalc {
    void *ctx;
    /** Objects (BS.2127-1 §7.3): direct and diffuse gains for one block, INCLUDING the
     *  block gain, as the §7.3 calculator computes it (the engine applies object gain and the
     *  global gain). May be NULL: Objects items are then refused. */
    objr_status (*objects)(void *ctx, const objr__render_item *it, const objr__adm_block_objects *b,
                           double *direct, double *diffuse, objr_diag *diag);
    /** DirectSpeakers (BS.2127-1 §8): gains for one block WITHOUT the block gain (the engine
     *  applies it with the object and global gains). @p it gives the channel's facts (LFE
     *  flag, frequency, pack). May be NULL. */
    objr_status (*direct_speakers)(void *ctx, const objr__render_item *it,
                                   const objr__adm_block_direct_speakers *b, double *gains,
                                   objr_diag *diag);
    /** HOA (BS.2127-1 §9): the decoder gains of this item's HOA channel (one column of its
     *  group's decode matrix), WITHOUT the block gain. May be NULL: HOA items are refused. */
    objr_status (*hoa)(void *ctx, const objr__render_item *it, const objr__adm_block_hoa *b,
                       double *gains, objr_diag *diag);
} objr__engine_gaincalc;

/** One output layout of the engine. */
typedef struct objr__engine_layout {
    size_t n_speakers;
    /** out_channel[s]: index in the process call's out[] array of speaker s. Channels of
     *  different layouts must be distinct. */
    size_t out_channel[OBJR__ENGINE_MAX_SPEAKERS];
    /** LFE speakers: Objects and non-LFE DirectSpeakers channels never reach them, LFE
     *  channels reach nothing else (BS.2127-1 §8: LFE only to LFE). */
    int is_lfe[OBJR__ENGINE_MAX_SPEAKERS];
    objr__engine_gaincalc gc;
} objr__engine_layout;

/**
 * Decorrelation filters for the diffuse path (BS.2127-1 §7.4): one FIR per speaker of a
 * layout and the delay the direct path needs to line up with them.
 */
typedef objr_status (*objr__engine_decorr_fn)(void *ctx, size_t layout, size_t speaker, float *taps,
                                              size_t n_taps);

typedef struct objr__engine_config {
    double sample_rate_hz;
    size_t n_inputs;                /**< input channels of each process call */
    const objr__render_item *items; /**< borrowed with their blocks: must outlive the engine */
    size_t n_items;
    const objr__engine_layout *layouts;
    size_t n_layouts;
    size_t n_outputs;         /**< channels of each process call's out[] */
    double gain_db;           /**< global gain @default 0 */
    int importance_threshold; /**< blocks below it are muted (BS.2127-1 §6.2) @default 0 */
    size_t max_frames;        /**< largest n_frames per process call @default 1024 */
    /** Decorrelators: filter designer, its length and the direct-path delay. When NULL, a
     *  scene with diffuse > 0 is refused with OBJR_ERR_UNSUPPORTED. */
    objr__engine_decorr_fn decorr;
    void *decorr_ctx;
    size_t decorr_taps;
    size_t decorr_delay;
    unsigned cpu; /**< objr_cpu_feature mask for the kernels */
} objr__engine_config;

typedef struct objr__engine objr__engine;

/**
 * Build the engine: validate items and their block timing, compute the gains of
 * DirectSpeakers and HOA blocks (and of Objects blocks with diffuse > 0 until one has a diffuse
 * gain: the diffuse path is set up only when needed), allocate all buffers and FFT plans.
 * After this, process allocates nothing. The items (and their blocks) are borrowed: they must
 * outlive the engine (calculators may identify an item by its address).
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG, OBJR_ERR_NOMEM, OBJR_ERR_ADM (overlapping or
 *         unordered blocks), OBJR_ERR_UNSUPPORTED (an item type or feature that is not
 *         rendered), or a gain calculator's status; @p diag names the element.
 */
OBJR_HIDDEN objr_status objr__engine_create(const objr__engine_config *cfg, objr_diag *diag,
                                            objr__engine **out);
OBJR_HIDDEN void objr__engine_destroy(objr__engine *e);

/** Latency in frames the engine adds (the decorrelator path); 0 without diffuse. Callers that
 *  need time alignment read ahead this many frames (objr_render_file does). */
OBJR_HIDDEN size_t objr__engine_latency(const objr__engine *e);

/**
 * Render the next @p n_frames (<= max_frames) frames: in[n_inputs][n_frames] planar, out
 * [n_outputs][n_frames] planar, overwritten. Allocation-free. The engine's clock advances by
 * n_frames; sample 0 of the first call is time 0 of the scene. The gains of an Objects block
 * are computed when the render first reaches it.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG; a gain calculator's error (objr__engine_diag() says
 *         which block), the output of this call then being incomplete.
 */
OBJR_HIDDEN objr_status objr__engine_process(objr__engine *e, const float *const *in,
                                             float *const *out, size_t n_frames);

/** Why the last objr__engine_process() call failed (the first error; owned by the engine). */
OBJR_HIDDEN const objr_diag *objr__engine_diag(const objr__engine *e);

/**
 * The gains every input has at @p frame (the interpolated gains process() applies to that
 * sample), summed over the items that read the input: @p direct and @p diffuse are
 * n_inputs x n_outputs, row-major, overwritten (zero where nothing plays). The renderer is
 * linear, so an input's contribution to output c is its signal times direct[c] plus the
 * decorrelated signal times diffuse[c]: the translation check derives per-object figures from
 * this instead of rendering each object. Allocation-free; does not move the clock or change
 * the engine (blocks the last process call did not use are computed on the stack), so another
 * thread may call it while no process call runs.
 * @return OBJR_OK, or a gain calculator's error (@p direct and @p diffuse then incomplete).
 */
OBJR_HIDDEN objr_status objr__engine_gains_at(const objr__engine *e, int64_t frame, float *direct,
                                              float *diffuse);

/** Rewind the clock to @p frame and clear filter state (for --start). */
OBJR_HIDDEN void objr__engine_seek(objr__engine *e, int64_t frame);

/** Time of the last sample any item can produce (in frames; INT64_MAX if unbounded). */
OBJR_HIDDEN int64_t objr__engine_end_frame(const objr__engine *e);

#endif /* OBJR_RENDERERS_ENGINE_H */
