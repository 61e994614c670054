/* SPDX-License-Identifier: BSD-3-Clause */
/* DirectSpeakers gain calculation, ITU-R BS.2127-1 §8: common-definition pack mapping rules,
 * speaker-label matching, LFE handling, position-bounds matching, point-source fallback.
 * Internal. */
#ifndef OBJR_RENDERERS_LOUDSPEAKER_DIRECT_SPEAKERS_H
#define OBJR_RENDERERS_LOUDSPEAKER_DIRECT_SPEAKERS_H

#include <stddef.h>

#include "formats/adm_model.h"
#include "layouts/layout.h"
#include "objrender/objr_status.h"
#include "renderers/loudspeaker/psp.h"
#include "src/core/core.h"

typedef struct objr__direct_speakers objr__direct_speakers;

/**
 * Optional context: allocentric hooks for cartesian DirectSpeakers positions (BS.2127 uses the
 * allocentric speaker positions for bounds matching and the allocentric panner for the fallback).
 * Supplied by the allocentric module; when absent, a cartesian position is mapped to a direction
 * and handled like a polar one. Also the reproduction screen for screenEdgeLock.
 */
typedef struct objr__ds_allo_hooks {
    /** Allocentric (X, Y, Z) position of every layout speaker (layout order, LFE included). */
    const double (*speaker_positions)[3];
    /** Allocentric panner: gains for layout->n_speakers outputs (LFE entries 0). */
    void (*pan)(void *ctx, const double xyz[3], double *gains);
    void *ctx;
    /** Reproduction screen edges for screenEdgeLock of polar positions, degrees:
     *  {left azimuth, right azimuth, bottom elevation, top elevation}; used when
     *  has_screen_edges, else the BS.2076 default screen (58 degrees wide, 1.78:1, centred:
     *  left/right +-29, bottom/top -+17.3). */
    double screen_edges_deg[4];
    int has_screen_edges;
    /** 1: the reproduction has no screen, screenEdgeLock is ignored. */
    int no_screen;
} objr__ds_allo_hooks;

/**
 * @param layout output layout (copied). @param psp point-source panner for the same layout;
 *        must outlive the DirectSpeakers panner. @param allo optional (copied; the arrays and
 *        ctx it points at must outlive the panner), may be NULL.
 * @return OBJR_OK, OBJR_ERR_NOMEM, OBJR_ERR_INVALID_ARG.
 */
OBJR_HIDDEN objr_status objr__ds_create(const objr__layout *layout, const objr__psp *psp,
                                        const objr__ds_allo_hooks *allo,
                                        objr__direct_speakers **out);
OBJR_HIDDEN void objr__ds_destroy(objr__direct_speakers *ds);

/** How a channel was routed (for logs and tests). */
typedef enum objr__ds_route {
    OBJR__DS_ROUTE_RULE = 0,   /**< a BS.2127 mapping rule for a common-definition pack */
    OBJR__DS_ROUTE_LABEL,      /**< speakerLabel names an output speaker */
    OBJR__DS_ROUTE_BOUNDS,     /**< unique closest speaker within the position bounds */
    OBJR__DS_ROUTE_PANNED,     /**< point-source (or allocentric) panned at its position */
    OBJR__DS_ROUTE_LFE1,       /**< LFE without a matching output: to LFE1 */
    OBJR__DS_ROUTE_LFE_DROPPED /**< LFE and the layout has no LFE: silent (never folded) */
} objr__ds_route;

/**
 * Gains of one DirectSpeakers channel.
 * @param block the block (speakerLabels, position and bounds).
 * @param low_pass_hz, high_pass_hz the audioChannelFormat's frequency elements, <= 0 (or NaN)
 *        when absent. LFE = label LFE/LFE1/LFE2 (also via URN and alternates) or a low-pass at
 *        or below 200 Hz without a high-pass (BS.2127 §8.2).
 * @param pack_id ID of the pack the channel belongs to (innermost, e.g. "AP_00010017"), or
 *        NULL; BS.2127's mapping rules apply only to the ITU common-definition packs.
 * @param[out] gains layout->n_speakers values in speakers[] order. They do NOT include the
 *        block gain (block->c.gain) or the audioObject gain/mute: the caller applies those.
 * @param[out] route optional: how the channel was routed.
 */
OBJR_HIDDEN void objr__ds_gains(const objr__direct_speakers *ds,
                                const objr__adm_block_direct_speakers *block, double low_pass_hz,
                                double high_pass_hz, const char *pack_id, double *gains,
                                objr__ds_route *route);

/**
 * The BS.2051 label a DirectSpeakers speakerLabel stands for: strips the
 * "urn:itu:bs:2051:N:speaker:" prefix, maps LFE/LFEL/LFER to LFE1/LFE1/LFE2, expands short
 * forms ("M+30" -> "M+030") and known alternates (L R C Ls Rs Lss Rss Lrs Rrs Ltf Rtf Ltm Rtm
 * Ltr Rtr Lw Rw Lts Rts, each also with the Dolby "RC_" prefix, RC_LFE).
 * @param[out] out buffer of at least OBJR__SPEAKER_LABEL_SIZE bytes.
 * @return 1 when the result is a BS.2051-style label or LFE1/LFE2, 0 otherwise (out then holds
 *         the label after URN stripping, truncated).
 */
OBJR_HIDDEN int objr__ds_canonical_label(const char *label, char *out);

#endif /* OBJR_RENDERERS_LOUDSPEAKER_DIRECT_SPEAKERS_H */
