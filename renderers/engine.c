/* SPDX-License-Identifier: BSD-3-Clause */
/* The render engine: gain interpolation of ITU-R BS.2127-1 §7.2 on the block timing of
 * renderers/interp.h (Objects: gains ramp linearly from the previous block's gains over the block,
 * or over interpolationLength when jumpPosition is set; a first block or a block after a gap starts
 * at its own gains) and §8 (DirectSpeakers: fixed gains per block), mixing through the
 * src/dsp/mix.h kernels, and the diffuse path of §7.4 (per-speaker decorrelation filters run
 * by the zero-latency FIR bank of renderers/decorrelate.h, the direct path delayed by the
 * filters' own delay to match). Block timing and gains are computed as the render reaches each
 * block and only the few in use are kept, so memory does not grow with the programme. */
#include "renderers/engine.h"

#include <math.h>
#include <string.h>

#include "renderers/interp.h"
#include "renderers/loudspeaker/decorrelate.h"
#include "src/dsp/ftz.h"
#include "src/dsp/mix.h"

/* A stretch of one item's timeline: gains ramp from gain vector `from` at `start` to `to` at
 * `ramp_end`, then stay at `to` until `end` (samples, absolute; end may be INT64_MAX). */
typedef struct segment {
    int64_t start, ramp_end, end;
    /* The ramp in fractional sample positions (EAR/BS.2127 timing: a block from time t
     * affects samples ceil(t * fs) onwards, and the interpolation parameter of sample s is
     * (s - start_pos) / ramp_span at the exact times). */
    double start_pos, ramp_span;
    uint32_t from, to;
} segment;

/* One nonzero gain path of a segment: output speaker (+ OBJR__ENGINE_MAX_SPEAKERS for the
 * diffuse bus) and its gains at the segment's ramp start (`from`) and end (`to`). */
struct active_gain {
    uint32_t dst;
    float from, to;
};

/* Gain vectors kept per item: a segment needs two (the block it ramps from and its own), and
 * objr__engine_gains_at() reads the ones the last process call used; the render reaches
 * blocks in time order, so a few slots replace a table for the whole programme. */
#define GAIN_SLOTS 4

typedef struct item_state {
    size_t input;
    /* Block `cursor` is the first that may still affect the clock's samples; the segments of
     * blocks are computed as the render reaches them (block_segment), never stored for the
     * whole programme: seg[k & 1] is block seg_block[k & 1]'s (SIZE_MAX: none). */
    size_t cursor;
    segment seg[2];
    size_t seg_block[2];
    int seg_live[2];
    /* Gains of up to GAIN_SLOTS blocks, computed as the render reaches them: slot j holds block
     * slot_block[j] (SIZE_MAX: empty) as [layout][direct | diffuse][speaker] floats, layout l
     * at layout_off[l]; slot_used[j] orders the slots by last use. */
    float *cache;
    size_t slot_block[GAIN_SLOTS];
    uint64_t slot_used[GAIN_SLOTS];
    /* Some block has diffuse > 0: only such blocks get diffuse gains (BS.2127-1 §7.3.x). */
    int has_diffuse;
    /* The gains of the segment of block act_seg (SIZE_MAX: none yet) that are nonzero at either
     * end, per layout: act[act_off[l] .. act_off[l] + act_n[l]), in path-major speaker order. Built
     * when the segment is first mixed, so that each process call touches a few hot entries
     * instead of the item's gain vectors. Points into objr__engine.act_all. */
    size_t act_seg;
    struct active_gain *act;
    size_t *act_n;
} item_state;

/* The diffuse path of one layout. */
typedef struct diffuse_state {
    float *bus;          /* [n_speakers][max_frames]: diffuse sends, filtered in place */
    float **bus_ptr;     /* n_speakers pointers into bus */
    objr__fir_bank *fir; /* one decorrelation filter per speaker */
    float *delay;        /* [n_speakers][latency]: direct-path delay lines */
} diffuse_state;

/* A render gives back the pages of a spilled document's blocks every this many seconds of
 * audio: what stays resident is the blocks of the last few seconds. */
#define RELEASE_EVERY_S 1.0

struct objr__engine {
    objr__mixdsp dsp;
    double fs;
    size_t n_inputs, n_outputs, max_frames;
    size_t n_layouts;
    objr__engine_layout *layouts;
    const objr__render_item *cfg_items; /* the configuration's items (borrowed) */
    double global_gain;                 /* 10^(gain_db / 20) */
    int importance_threshold;
    uint64_t tick;         /* gain-slot use counter */
    objr_diag diag;        /* why the last process call failed */
    size_t *layout_off;    /* float offset of each layout within one block's gains */
    size_t *layout_stride; /* floats per gain vector pair (2 * n_speakers) */
    size_t block_stride;   /* floats per block: sum of layout_stride */
    item_state *items;
    size_t n_items;
    struct active_gain *act_all; /* n_items x block_stride */
    size_t *act_n_all;           /* n_items x n_layouts */
    float **direct_ptrs;         /* per process call: [layout][speaker] output pointers */
    int64_t clock;
    int64_t end_frame;
    int64_t released_at; /* clock when block pages were last given back (formats/adm_spill.c) */
    /* diffuse */
    int any_diffuse;
    size_t latency, delay_pos;
    diffuse_state *diff; /* one per layout */
};

void objr__engine_destroy(objr__engine *e) {
    if (!e)
        return;
    for (size_t i = 0; e->items && i < e->n_items; i++) {
        objr__freep(&e->items[i].cache);
    }
    objr__freep(&e->items);
    objr__freep(&e->act_all);
    objr__freep(&e->act_n_all);
    objr__freep(&e->direct_ptrs);
    if (e->diff) {
        for (size_t l = 0; l < e->n_layouts; l++) {
            diffuse_state *d = &e->diff[l];
            objr__freep(&d->bus);
            objr__freep(&d->bus_ptr);
            objr__fir_bank_destroy(d->fir);
            objr__freep(&d->delay);
        }
        objr__freep(&e->diff);
    }
    objr__freep(&e->layouts);
    objr__freep(&e->layout_off);
    objr__freep(&e->layout_stride);
    objr__freep(&e);
}

size_t objr__engine_latency(const objr__engine *e) {
    return e->latency;
}

int64_t objr__engine_end_frame(const objr__engine *e) {
    return e->end_frame;
}

/* Gains of block k of item @p it for layout l into g[0 .. 2 * n_speakers) (direct, then
 * diffuse); a diffuse gain on an item without diffuse blocks breaks the calculator contract. */
static objr_status layout_gains(const objr__engine *e, const objr__render_item *it, int has_diffuse,
                                size_t l, size_t k, float *g, objr_diag *diag) {
    const objr__adm_block_common *c = objr__render_item_block(it, k);
    /* The Objects calculator applies the block gain itself (BS.2127-1 §7.3); DirectSpeakers
     * blocks get it here. */
    double scale = it->gain * e->global_gain;
    if (it->type != OBJR__TYPE_OBJECTS)
        scale *= c->gain;
    if (c->importance < e->importance_threshold)
        scale = 0.0; /* BS.2127-1 §6.2: blocks below the threshold are muted */
    const objr__engine_layout *L = &e->layouts[l];
    double direct[OBJR__ENGINE_MAX_SPEAKERS] = {0}, diffuse[OBJR__ENGINE_MAX_SPEAKERS] = {0};
    objr_status s;
    if (it->type == OBJR__TYPE_OBJECTS) {
        s = L->gc.objects(L->gc.ctx, it, &it->obj_blocks[k], direct, diffuse, diag);
        if (s != OBJR_OK)
            return s;
        for (size_t sp = 0; sp < L->n_speakers; sp++)
            if (L->is_lfe[sp])
                direct[sp] = diffuse[sp] = 0.0; /* objects never feed the LFE */
    } else if (it->type == OBJR__TYPE_HOA) {
        s = L->gc.hoa(L->gc.ctx, it, &it->hoa_blocks[k], direct, diag);
        if (s != OBJR_OK)
            return s;
        for (size_t sp = 0; sp < L->n_speakers; sp++)
            if (L->is_lfe[sp])
                direct[sp] = 0.0; /* the HOA decoder never feeds the LFE */
    } else {
        s = L->gc.direct_speakers(L->gc.ctx, it, &it->ds_blocks[k], direct, diag);
        if (s != OBJR_OK)
            return s;
        for (size_t sp = 0; sp < L->n_speakers; sp++)
            if ((L->is_lfe[sp] != 0) != (it->is_lfe != 0))
                direct[sp] = 0.0; /* LFE only to LFE, and nothing else to it */
    }
    for (size_t sp = 0; sp < L->n_speakers; sp++) {
        if (!isfinite(direct[sp]) || !isfinite(diffuse[sp]))
            return objr__diag_set(diag, OBJR_ERR_INTERNAL, c->id, 0, (size_t)-1,
                                  "gain calculator returned a non-finite gain");
        g[sp] = (float)(direct[sp] * scale);
        g[L->n_speakers + sp] = (float)(diffuse[sp] * scale);
        if (g[L->n_speakers + sp] != 0.0f && !has_diffuse)
            return objr__diag_set(diag, OBJR_ERR_INTERNAL, c->id, 0, (size_t)-1,
                                  "gain calculator returned a diffuse gain for diffuse 0");
    }
    return OBJR_OK;
}

/* Gains of block k of item i for every layout into g (block_stride floats); *any_diffuse set
 * when one of them is a nonzero diffuse gain. */
static objr_status block_gains(const objr__engine *e, size_t i, size_t k, float *g,
                               int *any_diffuse, objr_diag *diag) {
    const objr__render_item *it = &e->cfg_items[i];
    for (size_t l = 0; l < e->n_layouts; l++) {
        float *gl = g + e->layout_off[l];
        const size_t ns = e->layouts[l].n_speakers;
        objr_status s = layout_gains(e, it, e->items[i].has_diffuse, l, k, gl, diag);
        if (s != OBJR_OK)
            return s;
        for (size_t sp = 0; any_diffuse && sp < ns; sp++)
            if (gl[ns + sp] != 0.0f)
                *any_diffuse = 1;
    }
    return OBJR_OK;
}

/* The gain slot of block k of item i, or NULL when it is not computed. */
static const float *cached_gains(const objr__engine *e, const item_state *is, size_t k) {
    for (size_t j = 0; j < GAIN_SLOTS; j++)
        if (is->slot_block[j] == k)
            return is->cache + j * e->block_stride;
    return NULL;
}

/* The gains of block k of item i: from its slot, or computed into the least recently used one
 * (the slot stays empty after an error). */
static objr_status item_gains(objr__engine *e, size_t i, size_t k, const float **out,
                              objr_diag *diag) {
    item_state *is = &e->items[i];
    size_t j, lru = 0;
    for (j = 0; j < GAIN_SLOTS && is->slot_block[j] != k; j++)
        if (is->slot_used[j] < is->slot_used[lru])
            lru = j;
    if (j == GAIN_SLOTS) {
        j = lru;
        is->slot_block[j] = SIZE_MAX;
        objr_status s = block_gains(e, i, k, is->cache + j * e->block_stride, NULL, diag);
        if (s != OBJR_OK)
            return s;
        is->slot_block[j] = k;
    }
    is->slot_used[j] = ++e->tick;
    *out = is->cache + j * e->block_stride;
    return OBJR_OK;
}

/* Segment of block k from its timing (renderers/interp.h, BS.2127-1 §7.2): a ramp from block
 * k-1's gains where the block ramps, its own gains otherwise. */
static void to_segment(const objr__interp_seg *g, size_t k, segment *out) {
    out->start = g->first_sample;
    out->ramp_end = g->ramp_end_sample;
    out->end = g->last_sample > g->first_sample ? g->last_sample : g->first_sample;
    out->start_pos = g->ramp_origin;
    out->ramp_span = g->ramp_length;
    out->to = (uint32_t)k;
    out->from = g->ramp_from_previous ? (uint32_t)(k - 1) : (uint32_t)k;
}

/* The segment of block k of item @p it, from blocks k-1 and k (objr__interp_block; create
 * has walked every block once: no timing error is left). Returns 0 when the block affects no
 * sample (out->start == out->end then). */
static int compute_segment(const objr__engine *e, const objr__render_item *it, size_t k,
                           segment *out) {
    objr__interp_seg g;
    (void)objr__interp_block(it, e->fs, k, &g);
    to_segment(&g, k, out);
    return out->end > out->start;
}

/* compute_segment through the item's two-entry cache (blocks k and k+1 in different slots). */
static int block_segment(objr__engine *e, size_t i, size_t k, const segment **out) {
    item_state *is = &e->items[i];
    const size_t j = k & 1;
    if (is->seg_block[j] != k) {
        is->seg_live[j] = compute_segment(e, &e->cfg_items[i], k, &is->seg[j]);
        is->seg_block[j] = k;
    }
    *out = &is->seg[j];
    return is->seg_live[j];
}

/* The item's block timing checked once (objr__interp_item without storing it), and the last
 * sample it affects. */
static objr_status check_schedule(objr__engine *e, size_t i, objr_diag *diag) {
    const objr__render_item *it = &e->cfg_items[i];
    objr_status s = objr__interp_item(it, e->fs, NULL, diag);
    if (s != OBJR_OK)
        return s;
    for (size_t k = it->n_blocks; k-- > 0;) {
        segment sg;
        if (compute_segment(e, it, k, &sg)) {
            if (sg.end > e->end_frame)
                e->end_frame = sg.end;
            break;
        }
    }
    return OBJR_OK;
}

/* FIR partition size: small enough to keep the bank's work per call even, large enough for
 * efficient FFTs (decorrelate.h suggests 256 for 512 taps). */
#define DECORR_PARTITION_FRAMES 256

static objr_status setup_diffuse(objr__engine *e, const objr__engine_config *cfg, objr_diag *diag) {
    if (!cfg->decorr || cfg->decorr_taps == 0)
        return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, "", 0, (size_t)-1,
                              "diffuse objects need the decorrelation filters, which are not "
                              "available in this build");
    const size_t taps = cfg->decorr_taps;
    /* The bank adds no latency; the filters' own delay is matched on the direct path. A
     * zero delay still gets a one-sample ring so the code path stays uniform. */
    e->latency = cfg->decorr_delay;
    const size_t ring = e->latency ? e->latency : 1;
    e->diff = objr__calloc(e->n_layouts, sizeof(diffuse_state));
    float *tf = objr__calloc(taps, sizeof(float));
    objr_status st = OBJR_ERR_NOMEM;
    if (!e->diff || !tf)
        goto out;
    for (size_t l = 0; l < e->n_layouts; l++) {
        diffuse_state *d = &e->diff[l];
        const size_t ns = e->layouts[l].n_speakers;
        size_t n_taps_all;
        double *h = NULL;
        if (!objr__mul_size(ns, taps, &n_taps_all) ||
            !(h = objr__calloc(n_taps_all, sizeof(double))))
            goto out;
        for (size_t sp = 0; sp < ns; sp++) {
            memset(tf, 0, taps * sizeof(float));
            if ((st = cfg->decorr(cfg->decorr_ctx, l, sp, tf, taps)) != OBJR_OK) {
                objr__freep(&h);
                goto out;
            }
            for (size_t k = 0; k < taps; k++)
                h[sp * taps + k] = tf[k];
        }
        st = objr__fir_bank_create(h, ns, taps, DECORR_PARTITION_FRAMES, &d->fir);
        objr__freep(&h);
        if (st != OBJR_OK)
            goto out;
        st = OBJR_ERR_NOMEM;
        d->bus = objr__calloc(ns * e->max_frames, sizeof(float));
        d->bus_ptr = objr__calloc(ns, sizeof(float *));
        d->delay = objr__calloc(ns * ring, sizeof(float));
        if (!d->bus || !d->bus_ptr || !d->delay)
            goto out;
        for (size_t sp = 0; sp < ns; sp++)
            d->bus_ptr[sp] = d->bus + sp * e->max_frames;
    }
    st = OBJR_OK;
out:
    objr__freep(&tf);
    if (st != OBJR_OK && diag && !diag->message[0])
        objr__diag_set(diag, st, "", 0, (size_t)-1, "cannot set up the decorrelation filters: %s",
                       objr_strerror(st));
    return st;
}

/* Every layout has the gain calculator an item with blocks needs. */
static objr_status check_calculators(const objr__engine_config *cfg, const objr__render_item *it,
                                     objr_diag *diag) {
    for (size_t l = 0; it->n_blocks && l < cfg->n_layouts; l++) {
        const objr__engine_gaincalc *gc = &cfg->layouts[l].gc;
        if (it->type == OBJR__TYPE_OBJECTS && !gc->objects)
            return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, objr__render_item_name(it), 0,
                                  (size_t)-1, "Objects rendering is not available for this layout");
        if (it->type == OBJR__TYPE_HOA && !gc->hoa)
            return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, objr__render_item_name(it), 0,
                                  (size_t)-1, "HOA rendering is not available");
        if (it->type == OBJR__TYPE_DIRECT_SPEAKERS && !gc->direct_speakers)
            return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, objr__render_item_name(it), 0,
                                  (size_t)-1, "DirectSpeakers rendering is not available");
    }
    return OBJR_OK;
}

/* The configuration's layouts and items checked: channel indices in range, item types the
 * loudspeaker renderer handles, blocks present, finite gains and start times. */
static objr_status check_config(const objr__engine_config *cfg, objr_diag *diag) {
    for (size_t l = 0; l < cfg->n_layouts; l++) {
        const objr__engine_layout *L = &cfg->layouts[l];
        if (L->n_speakers == 0 || L->n_speakers > OBJR__ENGINE_MAX_SPEAKERS)
            return OBJR_ERR_INVALID_ARG;
        for (size_t s = 0; s < L->n_speakers; s++)
            if (L->out_channel[s] >= cfg->n_outputs)
                return OBJR_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < cfg->n_items; i++) {
        const objr__render_item *it = &cfg->items[i];
        if (it->input >= cfg->n_inputs)
            return OBJR_ERR_INVALID_ARG;
        if (it->type != OBJR__TYPE_OBJECTS && it->type != OBJR__TYPE_DIRECT_SPEAKERS &&
            it->type != OBJR__TYPE_HOA)
            return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, objr__render_item_name(it), 0,
                                  (size_t)-1, "%s channels are not rendered to loudspeakers yet",
                                  it->type == OBJR__TYPE_HOA        ? "HOA"
                                  : it->type == OBJR__TYPE_MATRIX   ? "Matrix"
                                  : it->type == OBJR__TYPE_BINAURAL ? "Binaural"
                                                                    : "unknown-type");
        const void *blocks = it->type == OBJR__TYPE_OBJECTS ? (const void *)it->obj_blocks
                             : it->type == OBJR__TYPE_HOA   ? (const void *)it->hoa_blocks
                                                            : (const void *)it->ds_blocks;
        if (it->n_blocks && !blocks)
            return OBJR_ERR_INVALID_ARG;
        if (!isfinite(it->gain) || !isfinite(it->start_s))
            return OBJR_ERR_INVALID_ARG;
        objr_status st = check_calculators(cfg, it, diag);
        if (st != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

/* Whether item i's gains have a nonzero diffuse part in some block: only blocks with
 * diffuse > 0 can have one, so those are computed until one does (usually the first). */
static objr_status scan_diffuse(objr__engine *e, size_t i, objr_diag *diag) {
    const objr__render_item *it = &e->cfg_items[i];
    item_state *is = &e->items[i];
    for (size_t k = 0; k < it->n_blocks && !e->any_diffuse; k++) {
        objr__adm_release_blocks_at(k);
        if (!(it->obj_blocks[k].diffuse > 0.0))
            continue;
        objr_status st = block_gains(e, i, k, is->cache, &e->any_diffuse, diag);
        if (st != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

/* Item @p i's state: its gain slots, its block timing checked, whether it has diffuse gains; the
 * engine's end frame extended to the item's. Objects gains are computed as the render reaches
 * each block; DirectSpeakers and HOA items (a bed has a block or a few) are computed once here
 * so that their errors surface at create. */
static objr_status prepare_item(objr__engine *e, size_t i, objr_diag *diag) {
    const objr__render_item *it = &e->cfg_items[i];
    item_state *is = &e->items[i];
    is->input = it->input;
    is->act_seg = SIZE_MAX;
    is->act = e->act_all + i * e->block_stride;
    is->act_n = e->act_n_all + i * e->n_layouts;
    for (size_t j = 0; j < GAIN_SLOTS; j++)
        is->slot_block[j] = SIZE_MAX;
    size_t n_floats;
    if (!objr__mul_size(e->block_stride, GAIN_SLOTS, &n_floats))
        return OBJR_ERR_NOMEM;
    is->cache = objr__calloc(n_floats, sizeof(float));
    if (!is->cache)
        return OBJR_ERR_NOMEM;
    is->seg_block[0] = is->seg_block[1] = SIZE_MAX;
    objr_status st = check_schedule(e, i, diag);
    if (st != OBJR_OK)
        return st;
    if (it->type == OBJR__TYPE_OBJECTS) {
        for (size_t k = 0; k < it->n_blocks && !is->has_diffuse; k++) {
            objr__adm_release_blocks_at(k);
            is->has_diffuse = it->obj_blocks[k].diffuse > 0.0;
        }
        if (is->has_diffuse && (st = scan_diffuse(e, i, diag)) != OBJR_OK)
            return st;
        objr__adm_release_blocks(); /* every block was read once */
    } else {
        const float *g;
        for (size_t k = 0; k < it->n_blocks; k++)
            if ((st = item_gains(e, i, k, &g, diag)) != OBJR_OK)
                return st;
    }
    return OBJR_OK;
}

objr_status objr__engine_create(const objr__engine_config *cfg, objr_diag *diag,
                                objr__engine **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (!cfg || !(cfg->sample_rate_hz > 0) || cfg->n_layouts == 0 || !cfg->layouts ||
        (cfg->n_items && !cfg->items) || !isfinite(cfg->gain_db))
        return OBJR_ERR_INVALID_ARG;
    objr_status st = check_config(cfg, diag);
    if (st != OBJR_OK)
        return st;

    objr__engine *e = objr__calloc(1, sizeof *e);
    if (!e)
        return OBJR_ERR_NOMEM;
    st = OBJR_ERR_NOMEM;
    objr__mixdsp_init(&e->dsp, cfg->cpu);
    e->fs = cfg->sample_rate_hz;
    e->n_inputs = cfg->n_inputs;
    e->n_outputs = cfg->n_outputs;
    e->max_frames = cfg->max_frames ? cfg->max_frames : 1024;
    e->n_layouts = cfg->n_layouts;
    e->end_frame = 0;
    e->layouts = objr__calloc(cfg->n_layouts, sizeof *e->layouts);
    e->layout_off = objr__calloc(cfg->n_layouts, sizeof(size_t));
    e->layout_stride = objr__calloc(cfg->n_layouts, sizeof(size_t));
    e->items = objr__calloc(cfg->n_items ? cfg->n_items : 1, sizeof(item_state));
    if (!e->layouts || !e->layout_off || !e->layout_stride || !e->items)
        goto fail;
    memcpy(e->layouts, cfg->layouts, cfg->n_layouts * sizeof *e->layouts);
    e->cfg_items = cfg->items;
    e->n_items = cfg->n_items;
    e->global_gain = pow(10.0, cfg->gain_db / 20.0);
    e->importance_threshold = cfg->importance_threshold;
    for (size_t l = 0; l < e->n_layouts; l++) {
        e->layout_stride[l] = 2 * e->layouts[l].n_speakers;
        e->layout_off[l] = e->block_stride;
        e->block_stride += e->layout_stride[l];
    }
    {
        size_t n_act, n_act_n;
        if (!objr__mul_size(cfg->n_items ? cfg->n_items : 1, e->block_stride, &n_act) ||
            !objr__mul_size(cfg->n_items ? cfg->n_items : 1, e->n_layouts, &n_act_n))
            goto fail;
        e->act_all = objr__calloc(n_act, sizeof *e->act_all);
        e->act_n_all = objr__calloc(n_act_n, sizeof *e->act_n_all);
        e->direct_ptrs = objr__calloc(e->block_stride / 2, sizeof *e->direct_ptrs);
        if (!e->act_all || !e->act_n_all || !e->direct_ptrs)
            goto fail;
    }

    for (size_t i = 0; i < cfg->n_items; i++)
        if ((st = prepare_item(e, i, diag)) != OBJR_OK)
            goto fail;
    if (e->any_diffuse && (st = setup_diffuse(e, cfg, diag)) != OBJR_OK)
        goto fail;
    *out = e;
    return OBJR_OK;
fail:
    objr__engine_destroy(e);
    return st == OBJR_OK ? OBJR_ERR_NOMEM : st;
}

void objr__engine_seek(objr__engine *e, int64_t frame) {
    e->clock = frame;
    for (size_t i = 0; i < e->n_items; i++)
        e->items[i].cursor = 0;
    e->delay_pos = 0;
    if (e->diff) {
        for (size_t l = 0; l < e->n_layouts; l++) {
            diffuse_state *d = &e->diff[l];
            size_t ns = e->layouts[l].n_speakers;
            objr__fir_bank_reset(d->fir);
            memset(d->delay, 0, ns * (e->latency ? e->latency : 1) * sizeof(float));
        }
    }
}

/* Fill the active-gain lists of segment `seg` of item i (see item_state), computing the gains
 * of its blocks when the render first reaches them. */
static objr_status build_active(objr__engine *e, size_t i, const segment *s, int with_diffuse) {
    item_state *is = &e->items[i];
    const size_t n_paths = is->has_diffuse && with_diffuse ? 2 : 1;
    const float *g_from, *g_to;
    objr_status st = item_gains(e, i, s->from, &g_from, &e->diag);
    if (st == OBJR_OK)
        st = item_gains(e, i, s->to, &g_to, &e->diag);
    if (st != OBJR_OK)
        return st;
    for (size_t l = 0; l < e->n_layouts; l++) {
        const size_t ns = e->layouts[l].n_speakers;
        const float *gt = g_to + e->layout_off[l];
        const float *gf = g_from + e->layout_off[l];
        struct active_gain *act = is->act + e->layout_off[l];
        size_t n = 0;
        for (size_t p = 0; p < n_paths; p++)
            for (size_t sp = 0; sp < ns; sp++) {
                float f = gf[p * ns + sp], t = gt[p * ns + sp];
                if (f == 0.0f && t == 0.0f)
                    continue;
                act[n].dst = (uint32_t)(sp + (p ? OBJR__ENGINE_MAX_SPEAKERS : 0));
                act[n].from = f;
                act[n].to = t;
                n++;
            }
        is->act_n[l] = n;
    }
    is->act_seg = s->to;
    return OBJR_OK;
}

/* Mix x[0..m) (absolute frames [a, a+m)) into one layout with the gains of segment s, whose
 * active gains are in is->act (build_active). */
static void mix_part(objr__engine *e, size_t l, float *const *dst_direct, float *const *dst_diffuse,
                     const item_state *is, const segment *s, const float *x, size_t m, int64_t a,
                     size_t off) {
    const struct active_gain *act = is->act + e->layout_off[l];
    const size_t n_act = is->act_n[l];
    float *chans[2 * OBJR__ENGINE_MAX_SPEAKERS];
    float g0[2 * OBJR__ENGINE_MAX_SPEAKERS], g1[2 * OBJR__ENGINE_MAX_SPEAKERS];
    size_t n = 0;
    if (a < s->ramp_end) {
        /* Ramp part: exact linear gains at the ends of this piece, computed in double so
         * that a ramp split over many calls stays one straight line. */
        const double t0 = ((double)a - s->start_pos) / s->ramp_span;
        const double t1 = ((double)(a + (int64_t)m) - s->start_pos) / s->ramp_span;
        for (size_t k = 0; k < n_act; k++) {
            const uint32_t d = act[k].dst;
            const float f = act[k].from, t = act[k].to;
            chans[n] = (d >= OBJR__ENGINE_MAX_SPEAKERS ? dst_diffuse[d - OBJR__ENGINE_MAX_SPEAKERS]
                                                       : dst_direct[d]) +
                       off;
            g0[n] = (float)(f + (t - (double)f) * t0);
            g1[n] = (float)(f + (t - (double)f) * t1);
            n++;
        }
        if (n)
            e->dsp.ramp_f32(chans, n, x, m, g0, g1, 0, m);
    } else {
        for (size_t k = 0; k < n_act; k++) {
            const uint32_t d = act[k].dst;
            if (act[k].to == 0.0f)
                continue;
            chans[n] = (d >= OBJR__ENGINE_MAX_SPEAKERS ? dst_diffuse[d - OBJR__ENGINE_MAX_SPEAKERS]
                                                       : dst_direct[d]) +
                       off;
            g0[n] = act[k].to;
            n++;
        }
        if (n)
            e->dsp.gain_f32(chans, n, x, m, g0);
    }
}

/* The segment of item i that holds @p frame: 1 and *out, or 0 when none (the first block
 * ending after the frame, objr__interp_find, holds it when it starts at or before it). The
 * search starts from the item's render cursor: callers ask about frames near the clock, and so
 * read a few blocks near it rather than a path across the whole item (each block read being a
 * page of a spilled document, formats/adm_spill.c). */
static int segment_at(const objr__engine *e, size_t i, int64_t frame, segment *out) {
    const objr__render_item *it = &e->cfg_items[i];
    objr__interp_seg g;
    const size_t k = objr__interp_find(it, e->fs, frame, e->items[i].cursor, &g);
    if (k >= it->n_blocks)
        return 0;
    to_segment(&g, k, out);
    return out->start <= frame;
}

/* Gains of block k of item i for layout l: its slot when computed, else into @p tmp. */
static objr_status gains_for(const objr__engine *e, size_t i, size_t l, size_t k, float *tmp,
                             const float **out) {
    const float *g = cached_gains(e, &e->items[i], k);
    if (g) {
        *out = g + e->layout_off[l];
        return OBJR_OK;
    }
    *out = tmp;
    return layout_gains(e, &e->cfg_items[i], e->items[i].has_diffuse, l, k, tmp, NULL);
}

objr_status objr__engine_gains_at(const objr__engine *e, int64_t frame, float *direct,
                                  float *diffuse) {
    memset(direct, 0, e->n_inputs * e->n_outputs * sizeof *direct);
    memset(diffuse, 0, e->n_inputs * e->n_outputs * sizeof *diffuse);
    for (size_t i = 0; i < e->n_items; i++) {
        const item_state *is = &e->items[i];
        segment seg;
        if (!segment_at(e, i, frame, &seg))
            continue;
        const segment *s = &seg;
        double t = frame < s->ramp_end ? ((double)frame - s->start_pos) / s->ramp_span : 1.0;
        if (!(t >= 0.0))
            t = 0.0;
        if (t > 1.0)
            t = 1.0;
        for (size_t l = 0; l < e->n_layouts; l++) {
            const objr__engine_layout *L = &e->layouts[l];
            const size_t ns = L->n_speakers;
            float tf[2 * OBJR__ENGINE_MAX_SPEAKERS], tt[2 * OBJR__ENGINE_MAX_SPEAKERS];
            const float *gf, *gt;
            objr_status st = gains_for(e, i, l, s->from, tf, &gf);
            if (st == OBJR_OK)
                st = gains_for(e, i, l, s->to, tt, &gt);
            if (st != OBJR_OK)
                return st;
            float *dr = direct + is->input * e->n_outputs;
            float *df = diffuse + is->input * e->n_outputs;
            for (size_t sp = 0; sp < ns; sp++) {
                size_t c = L->out_channel[sp];
                dr[c] += (float)(gf[sp] + (gt[sp] - (double)gf[sp]) * t);
                df[c] += (float)(gf[ns + sp] + (gt[ns + sp] - (double)gf[ns + sp]) * t);
            }
        }
    }
    return OBJR_OK;
}

const objr_diag *objr__engine_diag(const objr__engine *e) {
    return &e->diag;
}

/* In-place delay of buf[0..n) by the ring of length `len` starting at pos. */
static void delay_run(float *ring, size_t len, size_t pos, float *buf, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float t = ring[pos];
        ring[pos] = buf[i];
        buf[i] = t;
        if (++pos == len)
            pos = 0;
    }
}

objr_status objr__engine_process(objr__engine *e, const float *const *in, float *const *out,
                                 size_t n_frames) {
    if (!e || (n_frames && (!in || !out)) || n_frames > e->max_frames)
        return OBJR_ERR_INVALID_ARG;
    unsigned fpu = objr__ftz_enter();
    objr_status st = OBJR_OK;
    for (size_t c = 0; c < e->n_outputs; c++)
        memset(out[c], 0, n_frames * sizeof(float));
    if (e->any_diffuse)
        for (size_t l = 0; l < e->n_layouts; l++)
            memset(e->diff[l].bus, 0, e->layouts[l].n_speakers * e->max_frames * sizeof(float));

    const int64_t t0 = e->clock, t1 = t0 + (int64_t)n_frames;
    if (t0 < e->released_at || (double)(t0 - e->released_at) >= RELEASE_EVERY_S * e->fs) {
        objr__adm_release_blocks(); /* the blocks behind the clock (a spilled document) */
        e->released_at = t0;
    }
    /* Output pointers of every layout's speakers, once per call. */
    for (size_t l = 0; l < e->n_layouts; l++) {
        const objr__engine_layout *L = &e->layouts[l];
        float **dp = e->direct_ptrs + e->layout_off[l] / 2;
        for (size_t sp = 0; sp < L->n_speakers; sp++)
            dp[sp] = out[L->out_channel[sp]];
    }
    for (size_t i = 0; i < e->n_items; i++) {
        item_state *is = &e->items[i];
        const size_t n_blocks = e->cfg_items[i].n_blocks;
        const segment *s;
        while (is->cursor < n_blocks && (!block_segment(e, i, is->cursor, &s) || s->end <= t0))
            is->cursor++;
        const float *x = in[is->input];
        for (size_t c = is->cursor; c < n_blocks; c++) {
            const int live = block_segment(e, i, c, &s);
            if (s->start >= t1)
                break; /* block starts only grow */
            if (!live)
                continue; /* affects no sample */
            int64_t a = s->start > t0 ? s->start : t0;
            int64_t b = s->end < t1 ? s->end : t1;
            if (b <= a)
                continue;
            if (is->act_seg != c && (st = build_active(e, i, s, e->any_diffuse)) != OBJR_OK) {
                objr__ftz_leave(fpu);
                return st;
            }
            for (size_t l = 0; l < e->n_layouts; l++) {
                float *const *dd = e->any_diffuse ? e->diff[l].bus_ptr : NULL;
                float *const *direct = e->direct_ptrs + e->layout_off[l] / 2;
                /* Ramp piece then constant piece. */
                int64_t r = s->ramp_end < b ? s->ramp_end : b;
                if (a < r)
                    mix_part(e, l, direct, dd, is, s, x + (a - t0), (size_t)(r - a), a,
                             (size_t)(a - t0));
                int64_t f = r > a ? r : a;
                if (f < b)
                    mix_part(e, l, direct, dd, is, s, x + (f - t0), (size_t)(b - f), f,
                             (size_t)(f - t0));
            }
        }
    }
    if (e->any_diffuse) {
        const size_t ring = e->latency ? e->latency : 1;
        for (size_t l = 0; l < e->n_layouts; l++) {
            const objr__engine_layout *L = &e->layouts[l];
            diffuse_state *d = &e->diff[l];
            objr__fir_bank_process(d->fir, (const float *const *)d->bus_ptr, d->bus_ptr, n_frames);
            for (size_t sp = 0; sp < L->n_speakers; sp++) {
                float *o = out[L->out_channel[sp]];
                if (e->latency)
                    delay_run(d->delay + sp * ring, ring, e->delay_pos, o, n_frames);
                e->dsp.add_f32(o, d->bus_ptr[sp], n_frames);
            }
        }
        e->delay_pos = (e->delay_pos + n_frames) % ring;
    }
    e->clock = t1;
    objr__ftz_leave(fpu);
    return OBJR_OK;
}
