/* SPDX-License-Identifier: BSD-3-Clause */
/* Public loudspeaker rendering API (include/objrender/objr_render.h): builds the scene model,
 * selects render items (BS.2127-1 §6), wires the BS.2127 gain calculators of every layout
 * into the engine, and streams a file through it (one read, one WAV per layout). */
#include "objrender/objr_render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/adm_model.h"
#include "formats/adm_resolve.h"
#include "formats/audio_io.h"
#include "formats/bwf_internal.h"
#include "formats/mix_source.h"
#include "layouts/registry.h"
#include "objrender/objr_master.h"
#include "renderers/binaural/scene.h"
#include "renderers/engine.h"
#include "renderers/loudspeaker/allocentric.h"
#include "renderers/loudspeaker/decorrelate.h"
#include "renderers/loudspeaker/direct_speakers.h"
#include "renderers/loudspeaker/hoa.h"
#include "renderers/loudspeaker/objects_gaincalc.h"
#include "renderers/loudspeaker/psp.h"
#include "renderers/render_items.h"
#include "src/core/outfile.h"
#include "src/render/render_dbmd.h"
#include "src/render/render_internal.h"
#include "src/render/spatial_stage.h"

#define DEFAULT_BLOCK_FRAMES 1024
/* objr_render_file renders in steps whose decoded input (all tracks, float) fits in
 * RENDER_STEP_BYTES, halving the block down to RENDER_MIN_STEP_FRAMES, and writes up to a block
 * at a time: 128 tracks of 256 frames are 128 KiB (the 7.1.4 outputs 12 KiB), so decoding and
 * mixing run from cache instead of streaming 512 KiB per block through it. Scenes with few
 * tracks keep whole blocks. */
#define RENDER_STEP_BYTES (128u * 1024u)
#define RENDER_MIN_STEP_FRAMES 256
/* With read-ahead, the thread decodes whole steps into RENDER_AHEAD_SLOTS ring slots of up to
 * RENDER_AHEAD_SLOT_BYTES of input (at most a block) each: 1 MiB in flight at most. Eight
 * slots of one 128 KiB step measured best for 128 tracks (bench_render): the thread refills
 * half the ring per wake-up, so the two threads sleep and wake about once per four steps
 * instead of at every step; larger slots cost more in cache misses than they save. */
#define RENDER_AHEAD_SLOT_BYTES (128u * 1024u)
#define RENDER_AHEAD_SLOTS 8
#define MAX_XML_BYTES ((size_t)INT32_MAX) /* the XML reader's bound */
#define LAST_ERROR_SIZE 512

typedef struct layout_ctx {
    const objr__layout *layout;
    objr__objects_gaincalc *ogc;
    objr__psp *psp;
    objr__direct_speakers *ds;
    objr__hoa_decoder *hoa;
    const struct objr_renderer *r;          /* for the HOA gain table */
    size_t index;                           /* layout index */
    double allo_pos[OBJR__MAX_SPEAKERS][3]; /* allocentric speaker positions */
    const objr__objects_ctx *octx;
    double *decorr; /* n_speakers x OBJR__DECORR_TAPS, designed at create */
} layout_ctx;

struct objr_renderer {
    objr__adm_model *model;
    int owns_model; /* 0: borrowed (objr__renderer_create_shared) */
    objr__render_items items;
    size_t n_layouts;
    objr__layout *layouts;
    layout_ctx *lctx;
    size_t *first_channel;
    objr__objects_ctx octx;
    objr__screen ref_screen; /* the programme's audioProgrammeReferenceScreen */
    objr__engine *engine;
    objr__sc_stage *sc; /* spatial coding, NULL when off */
    uint32_t n_tracks;
    size_t n_inputs, n_outputs, max_frames;
    char (*labels)[OBJR__SPEAKER_LABEL_SIZE];
    double *hoa_gains; /* [item][layout][OBJR__MAX_SPEAKERS] for HOA items */
    const float **in_tmp;
    float **out_tmp;
    char last_error[LAST_ERROR_SIZE];
    /* Binaural layout ("binaural"): the engine renders it as 0+2+0 (cheap, discarded) and the
     * binaural scene overwrites its two channels. Outputs of the path with less latency are
     * delayed so every layout stays time-aligned. */
    objr__binaural_scene *bin;
    size_t bin_layout; /* n_layouts when none */
    size_t *ch_delay;  /* per output channel: extra delay in frames */
    float **dly;       /* per output channel ring buffer of ch_delay[c] frames, or NULL */
    size_t *dly_pos;
    /* The binaural output's true-peak safety limiter (objr_renderer_config
     * binaural_peak_limit), NULL when off or no binaural layout. */
    objr_limiter *bin_limiter;
    objr_limiter_config bin_lc;
};

#define BINAURAL_LAYOUT_NAME "binaural"
/* The rates objr_binaural_create() accepts (renderers/binaural/binaural.c). */
#define BINAURAL_MIN_RATE_HZ 8000u
#define BINAURAL_MAX_RATE_HZ 384000u

objr_renderer_config objr_renderer_config_default(void) {
    objr_renderer_config c;
    memset(&c, 0, sizeof c); /* every field a later release adds starts at 0 / NULL */
    c.gain_db = 0.0;
    c.importance_threshold = 0;
    c.programme_id = NULL;
    c.max_block_frames = DEFAULT_BLOCK_FRAMES;
    c.hrtf_path = NULL;
    c.binaural_mode = 0;
    c.binaural_diffuse_eq = 1;
    c.binaural_peak_limit = 1;
    c.binaural_ceiling_dbtp = OBJR_BINAURAL_CEILING_DBTP;
    c.track_binaural_modes = NULL;
    c.n_track_binaural_modes = 0;
    c.strict = 0;
    c.on_finding = NULL;
    c.finding_user = NULL;
    return c;
}

objr_render_file_options objr_render_file_options_default(void) {
    objr_render_file_options o;
    memset(&o, 0, sizeof o); /* every field a later release adds starts at 0 / NULL */
    o.renderer = objr_renderer_config_default();
    o.start_s = 0.0;
    o.start_is_timecode = 0;
    o.duration_s = -1.0;
    o.format = OBJR_BWF_SAMPLE_FLOAT32;
    o.progress = NULL;
    o.progress_user = NULL;
    o.fail_on_overload = 0;
    o.on_progress = NULL;
    o.on_progress_user = NULL;
    o.apply_dbmd = 1;
    o.repair_nonfinite = 0;
    o.allow_external_stems = 0;
    o.warning = NULL;
    o.warning_user = NULL;
    o.n_threads = 0;
    return o;
}

void objr_renderer_destroy(objr_renderer *r) {
    if (!r)
        return;
    objr__engine_destroy(r->engine);
    objr__sc_stage_destroy(r->sc);
    objr__binaural_scene_destroy(r->bin);
    objr_limiter_destroy(r->bin_limiter);
    for (size_t c = 0; r->dly && c < r->n_outputs; c++)
        objr__freep(&r->dly[c]);
    objr__freep(&r->dly);
    objr__freep(&r->dly_pos);
    objr__freep(&r->ch_delay);
    for (size_t l = 0; r->lctx && l < r->n_layouts; l++) {
        objr__objects_gaincalc_destroy(r->lctx[l].ogc);
        objr__ds_destroy(r->lctx[l].ds);
        objr__hoa_destroy(r->lctx[l].hoa);
        objr__psp_destroy(r->lctx[l].psp);
        objr__freep(&r->lctx[l].decorr);
    }
    objr__freep(&r->lctx);
    objr__freep(&r->layouts);
    objr__freep(&r->first_channel);
    objr__freep(&r->labels);
    objr__freep(&r->hoa_gains);
    objr__freep(&r->in_tmp);
    objr__freep(&r->out_tmp);
    objr__render_items_free(&r->items);
    if (r->owns_model)
        objr__adm_model_destroy(r->model);
    objr__freep(&r);
}

/* ---- gain calculator adapters ------------------------------------------------------------ */

static objr_status objects_cb(void *ctx, const objr__render_item *it,
                              const objr__adm_block_objects *b, double *direct, double *diffuse,
                              objr_diag *diag) {
    (void)diag;
    const layout_ctx *c = ctx;
    objr__objects_ctx oc = *c->octx;
    const objr__adm_object *o = it->object;
    if (o && o->has_position_offset) {
        /* audioObject positionOffset (BS.2076-2 §5.3.6), added to every block position. */
        memset(&oc.position_offset, 0, sizeof oc.position_offset);
        oc.has_position_offset = 1;
        oc.position_offset.cartesian = o->position_offset_cartesian;
        if (o->position_offset_cartesian) {
            oc.position_offset.x = o->offset[0];
            oc.position_offset.y = o->offset[1];
            oc.position_offset.z = o->offset[2];
        } else {
            oc.position_offset.azimuth_deg = o->offset[0];
            oc.position_offset.elevation_deg = o->offset[1];
            oc.position_offset.distance = o->offset[2];
        }
    }
    objr__objects_gaincalc_calc(c->ogc, b, &oc, direct, diffuse);
    return OBJR_OK;
}

/* DirectSpeakers: the BS.2127-1 §8 calculator (common-definition mapping rules, speaker
 * label, bounds, LFE handling, then the point-source or allocentric panner). */
static objr_status direct_speakers_cb(void *ctx, const objr__render_item *it,
                                      const objr__adm_block_direct_speakers *b, double *gains,
                                      objr_diag *diag) {
    (void)diag;
    const layout_ctx *c = ctx;
    objr__ds_gains(c->ds, b, it->low_pass_hz, it->high_pass_hz, it->inner_pack_id, gains, NULL);
    return OBJR_OK;
}

/* HOA: the item's column of its group's decode matrix, designed at create (design_hoa). */
static objr_status hoa_cb(void *ctx, const objr__render_item *it, const objr__adm_block_hoa *b,
                          double *gains, objr_diag *diag) {
    (void)b;
    (void)diag;
    const layout_ctx *c = ctx;
    const objr_renderer *r = c->r;
    size_t j = (size_t)(it - r->items.items);
    const double *g = r->hoa_gains + (j * r->n_layouts + c->index) * OBJR__MAX_SPEAKERS;
    for (size_t s = 0; s < c->layout->n_speakers; s++)
        gains[s] = g[s];
    return OBJR_OK;
}

static void allo_pan_cb(void *ctx, const double xyz[3], double *gains) {
    const layout_ctx *c = ctx;
    objr__allo_pan((const double(*)[3])c->allo_pos, c->layout->n_speakers, xyz, gains);
}

static objr_status decorr_cb(void *ctx, size_t layout, size_t speaker, float *taps, size_t n_taps) {
    const layout_ctx *c = &((const layout_ctx *)ctx)[layout];
    if (n_taps != OBJR__DECORR_TAPS || !c->decorr)
        return OBJR_ERR_INTERNAL;
    const double *h = c->decorr + speaker * OBJR__DECORR_TAPS;
    for (size_t k = 0; k < n_taps; k++)
        taps[k] = (float)h[k];
    return OBJR_OK;
}

/* ---- construction ------------------------------------------------------------------------ */

static objr_status resolve_layout(const char *typed, objr__layout *out, objr_diag *diag) {
    /* names first (as typed: "714", " 7.1.4 ", "headphones"), then paths by their form */
    char name[OBJR__LAYOUT_NAME_MAX];
    if (!objr__layout_resolve_name(typed, name, sizeof name)) {
        if (objr__layout_name_is_path(typed)) {
            objr_status st = objr__layout_load_file(typed, out, diag);
            return st == OBJR_OK ? objr__layout_check_pannable(out, typed, diag) : st;
        }
        char near[OBJR__LAYOUT_NAME_MAX * 3];
        if (objr__layout_suggest(typed, near, sizeof near))
            return objr__diag_set(diag, OBJR_ERR_LAYOUT, typed, 0, (size_t)-1,
                                  "unknown layout '%s' (did you mean %s? objrender "
                                  "--list-layouts shows the names)",
                                  typed, near);
        return objr__diag_set(diag, OBJR_ERR_LAYOUT, typed, 0, (size_t)-1,
                              "unknown layout '%s' (objrender --list-layouts shows the names)",
                              typed);
    }
    if (strcmp(name, BINAURAL_LAYOUT_NAME) == 0) {
        /* two channels FL FR (mask order); rendered by the binaural scene */
        objr_status bs = objr__layout_lookup("0+2+0", out);
        if (bs == OBJR_OK) {
            snprintf(out->name, sizeof out->name, "%s", BINAURAL_LAYOUT_NAME);
            snprintf(out->common_name, sizeof out->common_name, "%s", BINAURAL_LAYOUT_NAME);
        }
        return bs;
    }
    return objr__layout_lookup(name, out);
}

static int bs2076_version(const char *v) {
    if (!v)
        return 0;
    const char *p = strstr(v, "2076-");
    return p ? atoi(p + 5) : 0;
}

static const char *type_name(int t) {
    switch (t) {
    case OBJR__TYPE_HOA:
        return "HOA";
    case OBJR__TYPE_MATRIX:
        return "Matrix";
    case OBJR__TYPE_BINAURAL:
        return "Binaural";
    case OBJR__TYPE_OBJECTS:
        return "Objects";
    case OBJR__TYPE_DIRECT_SPEAKERS:
        return "DirectSpeakers";
    default:
        return "unknown-type";
    }
}

static void set_last_error(objr_renderer *r, const objr_diag *d, objr_status st) {
    if (!r)
        return;
    snprintf(r->last_error, sizeof r->last_error, "%s",
             d && d->message[0] ? d->message : objr_strerror(st));
}

/* BS.2127-1 §9: every HOA pack of an object is one group; its decoder is designed for the
 * orders/degrees of all its channels together, and each channel's item gets its column. */
static objr_status design_hoa(objr_renderer *r, objr_diag *diag) {
    size_t n_items = r->items.n_items, n_hoa = 0;
    for (size_t i = 0; i < n_items; i++)
        n_hoa += r->items.items[i].type == OBJR__TYPE_HOA;
    if (n_hoa == 0)
        return OBJR_OK;
    size_t n;
    if (!objr__mul_size(n_items * r->n_layouts, OBJR__MAX_SPEAKERS, &n))
        return OBJR_ERR_NOMEM;
    r->hoa_gains = objr__calloc(n, sizeof(double));
    size_t *member = objr__calloc(n_hoa, sizeof(size_t));
    int *orders = objr__calloc(n_hoa, sizeof(int)), *degrees = objr__calloc(n_hoa, sizeof(int));
    char *done = objr__calloc(n_items, 1);
    double *mat = NULL;
    objr_status st = OBJR_ERR_NOMEM;
    if (!r->hoa_gains || !member || !orders || !degrees || !done ||
        !objr__mul_size(n_hoa, OBJR__MAX_SPEAKERS, &n) || !(mat = objr__calloc(n, sizeof(double))))
        goto out;
    for (size_t l = 0; l < r->n_layouts; l++)
        if ((st = objr__hoa_create(r->lctx[l].psp, &r->lctx[l].hoa)) != OBJR_OK)
            goto out;
    st = OBJR_OK;
    for (size_t i = 0; i < n_items && st == OBJR_OK; i++) {
        const objr__render_item *it = &r->items.items[i];
        if (it->type != OBJR__TYPE_HOA || done[i])
            continue;
        size_t k = 0;
        int norm = it->hoa_normalization; /* the pack's */
        for (size_t j = i; j < n_items; j++) {
            const objr__render_item *jt = &r->items.items[j];
            if (jt->type != OBJR__TYPE_HOA || done[j] || jt->object != it->object ||
                jt->pack_id != it->pack_id || jt->start_s != it->start_s)
                continue;
            if (jt->n_blocks == 0 || !jt->hoa_blocks[0].has_order_degree) {
                st = objr__diag_set(diag, OBJR_ERR_ADM, jt->channel_id ? jt->channel_id : "", 0,
                                    (size_t)-1, "HOA channel %s has no order and degree",
                                    jt->channel_id ? jt->channel_id : "?");
                goto out;
            }
            const objr__adm_block_hoa *b = &jt->hoa_blocks[0];
            if (b->has_normalization)
                norm = b->normalization; /* channel level overrides the pack */
            orders[k] = b->order;
            degrees[k] = b->degree;
            member[k++] = j;
            done[j] = 1;
        }
        for (size_t l = 0; l < r->n_layouts && st == OBJR_OK; l++) {
            st = objr__hoa_design(r->lctx[l].hoa, orders, degrees, k, norm, 0, mat);
            if (st != OBJR_OK) {
                objr__diag_set(diag, st, it->pack_id ? it->pack_id : "", 0, (size_t)-1,
                               "HOA pack %s cannot be decoded: %s", it->pack_id ? it->pack_id : "?",
                               objr_strerror(st));
                break;
            }
            size_t ns = r->layouts[l].n_speakers;
            for (size_t c = 0; c < k; c++)
                for (size_t s = 0; s < ns; s++)
                    r->hoa_gains[(member[c] * r->n_layouts + l) * OBJR__MAX_SPEAKERS + s] =
                        mat[s * k + c];
        }
    }
out:
    objr__freep(&member);
    objr__freep(&orders);
    objr__freep(&degrees);
    objr__freep(&done);
    objr__freep(&mat);
    return st;
}

/* The binaural path's latency: the scene's partition and its safety limiter's look-ahead. */
static size_t binaural_latency(const objr_renderer *r) {
    return objr__binaural_scene_latency(r->bin) +
           (r->bin_limiter ? objr_limiter_latency_frames(r->bin_limiter) : 0);
}

/* The binaural layout: render items -> binaural scene, and the delays that keep every layout
 * time-aligned (the scene's latency is its partition; the engine's its decorrelators). */
static objr_status create_binaural(objr_renderer *r, const objr_renderer_config *cfg,
                                   uint32_t sample_rate_hz, objr_diag *diag) {
    if (sample_rate_hz < BINAURAL_MIN_RATE_HZ || sample_rate_hz > BINAURAL_MAX_RATE_HZ)
        return objr__diag_set(diag, OBJR_ERR_FORMAT, "", 0, (size_t)-1,
                              "sample rate %u Hz: the binaural renderer supports %u to %u Hz "
                              "(resample the mix, or render a loudspeaker layout)",
                              (unsigned)sample_rate_hz, (unsigned)BINAURAL_MIN_RATE_HZ,
                              (unsigned)BINAURAL_MAX_RATE_HZ);
    size_t n = r->items.n_items;
    int *modes = objr__calloc(n ? n : 1, sizeof *modes);
    if (!modes)
        return OBJR_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        /* a per-track mode (Dolby dbmd) wins over headphoneVirtualise */
        uint32_t tr = r->items.items[i].source.track_index;
        if (cfg->track_binaural_modes && tr >= 1 && tr <= cfg->n_track_binaural_modes) {
            int md = cfg->track_binaural_modes[tr - 1];
            if (md >= OBJR_BINAURAL_MODE_OFF && md <= OBJR_BINAURAL_MODE_FAR)
                modes[i] = md;
        }
    }
    objr_binaural_config bc = objr_binaural_config_default();
    bc.hrtf_path = cfg->hrtf_path;
    bc.sample_rate_hz = (double)sample_rate_hz;
    /* FFTW_ESTIMATE (fft_measure 0): the same plans every run, so renders are bit-identical
     * run to run; FFTW_MEASURE picks among plans by timing them, and their rounding differs */
    bc.diffuse_eq = cfg->binaural_diffuse_eq;
    if (cfg->binaural_mode)
        bc.default_mode = (objr_binaural_mode)cfg->binaural_mode;
    objr_status st = objr__binaural_scene_create(&bc, r->items.items, modes, n, r->n_inputs,
                                                 cfg->gain_db, diag, &r->bin);
    objr__freep(&modes);
    if (st != OBJR_OK)
        return st;
    if (cfg->binaural_peak_limit) {
        if (!(cfg->binaural_ceiling_dbtp >= -20.0 && cfg->binaural_ceiling_dbtp <= 0.0))
            return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                                  "binaural ceiling %g dBTP is outside -20..0",
                                  cfg->binaural_ceiling_dbtp);
        objr_limiter_config lc = objr_limiter_config_default();
        lc.rate_hz = (double)sample_rate_hz;
        lc.n_channels = 2;
        lc.ceiling_dbtp = cfg->binaural_ceiling_dbtp;
        r->bin_lc = lc;
        if ((st = objr_limiter_create(&lc, &r->bin_limiter)) != OBJR_OK)
            return st;
    }
    size_t le = objr__engine_latency(r->engine), lb = binaural_latency(r);
    r->ch_delay = objr__calloc(r->n_outputs, sizeof *r->ch_delay);
    r->dly = objr__calloc(r->n_outputs, sizeof *r->dly);
    r->dly_pos = objr__calloc(r->n_outputs, sizeof *r->dly_pos);
    if (!r->ch_delay || !r->dly || !r->dly_pos)
        return OBJR_ERR_NOMEM;
    for (size_t l = 0; l < r->n_layouts; l++) {
        size_t d = l == r->bin_layout ? (le > lb ? le - lb : 0) : (lb > le ? lb - le : 0);
        for (size_t c = 0; d && c < r->layouts[l].n_speakers; c++) {
            size_t ch = r->first_channel[l] + c;
            r->ch_delay[ch] = d;
            if (!(r->dly[ch] = objr__calloc(d, sizeof(float))))
                return OBJR_ERR_NOMEM;
        }
    }
    return OBJR_OK;
}

static void delay_channel(objr_renderer *r, size_t c, float *x, size_t n) {
    size_t d = r->ch_delay[c], p = r->dly_pos[c];
    float *buf = r->dly[c];
    for (size_t i = 0; i < n; i++) {
        float v = buf[p];
        buf[p] = x[i];
        x[i] = v;
        if (++p == d)
            p = 0;
    }
    r->dly_pos[c] = p;
}

/* The selected programme's audioProgrammeReferenceScreen drives screenRef scaling (BS.2127-1
 * §7.3.3). */
static void set_reference_screen(objr_renderer *r, const objr__adm_model *model,
                                 const char *programme_id) {
    for (size_t pi = 0; pi < model->n_programmes; pi++) {
        const objr__adm_programme *p = &model->programmes[pi];
        if (programme_id && (!p->id || strcmp(p->id, programme_id) != 0))
            continue;
        if (p->screen.present) {
            objr__screen *s = &r->ref_screen;
            *s = objr__screen_default();
            s->cartesian = p->screen.cartesian;
            s->aspect_ratio = p->screen.aspect_ratio;
            s->centre_azimuth_deg = p->screen.centre_azimuth_deg;
            s->centre_elevation_deg = p->screen.centre_elevation_deg;
            s->centre_distance = p->screen.centre_distance;
            s->centre_x = p->screen.centre_x;
            s->centre_y = p->screen.centre_y;
            s->centre_z = p->screen.centre_z;
            if (p->screen.cartesian)
                s->width_x = p->screen.width;
            else
                s->width_azimuth_deg = p->screen.width;
            r->octx.reference_screen = s;
        }
        break;
    }
}

/* The output layouts: resolved, laid out one after the other in the outputs, the binaural one
 * noted (at most one). */
static objr_status open_layouts(objr_renderer *r, const char *const *layouts, objr_diag *diag) {
    const size_t n_layouts = r->n_layouts;
    r->layouts = objr__calloc(n_layouts, sizeof *r->layouts);
    r->lctx = objr__calloc(n_layouts, sizeof *r->lctx);
    r->first_channel = objr__calloc(n_layouts, sizeof(size_t));
    if (!r->layouts || !r->lctx || !r->first_channel)
        return OBJR_ERR_NOMEM;
    for (size_t l = 0; l < n_layouts; l++) {
        if (!layouts[l])
            return OBJR_ERR_INVALID_ARG;
        objr_status st = resolve_layout(layouts[l], &r->layouts[l], diag);
        if (st != OBJR_OK)
            return st;
        char canon[OBJR__LAYOUT_NAME_MAX];
        if (objr__layout_resolve_name(layouts[l], canon, sizeof canon) &&
            strcmp(canon, BINAURAL_LAYOUT_NAME) == 0) {
            if (r->bin_layout != n_layouts)
                return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, BINAURAL_LAYOUT_NAME, 0,
                                      (size_t)-1, "layout 'binaural' given twice");
            r->bin_layout = l;
        }
        r->first_channel[l] = r->n_outputs;
        r->n_outputs += r->layouts[l].n_speakers;
    }
    r->labels = objr__calloc(r->n_outputs ? r->n_outputs : 1, sizeof *r->labels);
    return r->labels ? OBJR_OK : OBJR_ERR_NOMEM;
}

/* The render items (BS.2127-1 §6) and the engine input of each: the BWF track, or the stem
 * source index. Refuses item types that cannot be rendered rather than dropping their audio.
 * *need_decorr: some Objects block is diffuse. */
static objr_status select_items(objr_renderer *r, const objr_renderer_config *cfg,
                                uint32_t sample_rate_hz, int *need_decorr, objr_diag *diag) {
    objr__adm_model *model = r->model;
    const uint32_t n_tracks = r->n_tracks;
    objr__select_options so = {cfg->programme_id, cfg->importance_threshold};
    if (sample_rate_hz > 0 && !cfg->strict)
        objr__adm_snap_to_rate(model, sample_rate_hz);
    objr_status st = objr__render_items_select(model, &so, n_tracks, &r->items, diag);
    if (st != OBJR_OK)
        return st;
    *need_decorr = 0;
    for (size_t i = 0; i < r->items.n_items; i++) {
        objr__render_item *it = &r->items.items[i];
        if (it->type != OBJR__TYPE_OBJECTS && it->type != OBJR__TYPE_DIRECT_SPEAKERS &&
            it->type != OBJR__TYPE_HOA)
            return objr__diag_set(
                diag, OBJR_ERR_UNSUPPORTED, it->channel_id ? it->channel_id : "", 0, (size_t)-1,
                "%s content (audioChannelFormat %s%s%s) cannot be rendered "
                "to loudspeakers by this version",
                type_name(it->type), it->channel_id ? it->channel_id : "?",
                it->object_id ? ", audioObject " : "", it->object_id ? it->object_id : "");
        if (it->type == OBJR__TYPE_OBJECTS) {
            for (size_t k = 0; k < it->n_blocks && !*need_decorr; k++) {
                objr__adm_release_blocks_at(k);
                if (it->obj_blocks[k].diffuse > 0.0)
                    *need_decorr = 1;
            }
            objr__adm_release_blocks(); /* a spilled document's pages, once read */
        }
        if (n_tracks) {
            if (it->source.stem_path)
                return objr__diag_set(diag, OBJR_ERR_REFERENCE, it->uid_id ? it->uid_id : "", 0,
                                      (size_t)-1,
                                      "audioTrackUID %s points at a stem file in a BWF scene",
                                      it->uid_id ? it->uid_id : "?");
            it->input = it->source.track_index - 1;
        }
    }
    r->n_inputs = n_tracks ? n_tracks : r->items.n_sources;
    return OBJR_OK;
}

/* The gain calculators of layout l (point-source panner, Objects, DirectSpeakers with the
 * allocentric hooks, decorrelation filters when needed) and its engine layout @p el. */
static objr_status make_gaincalc(objr_renderer *r, size_t l, int need_decorr,
                                 objr__engine_layout *el, objr_diag *diag) {
    const objr__layout *L = &r->layouts[l];
    layout_ctx *c = &r->lctx[l];
    c->layout = L;
    c->octx = &r->octx;
    c->r = r;
    c->index = l;
    objr__ds_allo_hooks hooks;
    memset(&hooks, 0, sizeof hooks);
    if (objr__allo_positions_for_layout(L, c->allo_pos) == OBJR_OK) {
        hooks.speaker_positions = (const double(*)[3])c->allo_pos;
        hooks.pan = allo_pan_cb;
        hooks.ctx = c;
    }
    objr_status st;
    if ((st = objr__psp_create(L, &c->psp)) != OBJR_OK ||
        (st = objr__objects_gaincalc_create(L, NULL, &c->ogc)) != OBJR_OK ||
        (st = objr__ds_create(L, c->psp, &hooks, &c->ds)) != OBJR_OK)
        return objr__diag_set(diag, st, L->name, 0, (size_t)-1,
                              "layout %s cannot be used for panning: %s", L->name,
                              objr_strerror(st));
    if (need_decorr) {
        size_t n;
        if (!objr__mul_size(L->n_speakers, OBJR__DECORR_TAPS, &n) ||
            !(c->decorr = objr__calloc(n, sizeof(double))))
            return OBJR_ERR_NOMEM;
        if ((st = objr__decorrelate_design(L, OBJR__DECORR_TAPS, c->decorr)) != OBJR_OK)
            return st;
    }
    el->n_speakers = L->n_speakers;
    for (size_t pos = 0; pos < L->n_speakers; pos++) {
        size_t s = (size_t)L->file_order[pos];
        el->out_channel[s] = r->first_channel[l] + pos;
        el->is_lfe[s] = L->speakers[s].is_lfe;
        memcpy(r->labels[r->first_channel[l] + pos], L->speakers[s].label,
               OBJR__SPEAKER_LABEL_SIZE);
    }
    el->gc.ctx = c;
    el->gc.objects = objects_cb;
    el->gc.direct_speakers = direct_speakers_cb;
    el->gc.hoa = hoa_cb;
    return OBJR_OK;
}

/* Gain calculators of every layout, HOA decoders, then the engine (BS.2127-1 §7.2 timing and
 * every block's gains, computed here once). */
/* Spatial coding (src/render/spatial_stage.h) over the engine's layouts. */
static objr_status create_spatial_coding(objr_renderer *r, const objr_renderer_config *cfg,
                                         const objr__engine_layout *el, uint32_t sample_rate_hz,
                                         objr_diag *diag) {
    if (cfg->spatial_coding_elements > OBJR__SC_MAX_ELEMENTS)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                              "spatial coding: %zu elements (1 to %d)",
                              cfg->spatial_coding_elements, OBJR__SC_MAX_ELEMENTS);
    if (r->bin_layout < r->n_layouts)
        return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, BINAURAL_LAYOUT_NAME, 0, (size_t)-1,
                              "spatial coding renders loudspeaker layouts; render binaural "
                              "without it");
    if (r->n_inputs == 0)
        return OBJR_OK; /* nothing to code */
    const objr__objects_gaincalc *gc[OBJR_RENDER_MAX_LAYOUTS];
    for (size_t l = 0; l < r->n_layouts; l++)
        gc[l] = r->lctx[l].ogc;
    objr__sc_stage_config sc;
    memset(&sc, 0, sizeof sc);
    sc.n_elements = cfg->spatial_coding_elements;
    sc.sample_rate_hz = sample_rate_hz;
    sc.n_inputs = r->n_inputs;
    sc.n_outputs = r->n_outputs;
    sc.max_frames = r->max_frames;
    sc.items = r->items.items;
    sc.n_items = r->items.n_items;
    sc.layouts = el;
    sc.gaincalc = gc;
    sc.n_layouts = r->n_layouts;
    sc.gain_db = cfg->gain_db;
    sc.importance_threshold = cfg->importance_threshold;
    sc.latency = objr__engine_latency(r->engine);
    sc.cpu = objr__cpu_flags();
    return objr__sc_stage_create(&sc, &r->sc);
}

static objr_status start_engine(objr_renderer *r, const objr_renderer_config *cfg,
                                uint32_t sample_rate_hz, int need_decorr, objr_diag *diag) {
    objr__engine_layout *el = objr__calloc(r->n_layouts, sizeof *el);
    if (!el)
        return OBJR_ERR_NOMEM;
    objr_status st = OBJR_OK;
    for (size_t l = 0; l < r->n_layouts && st == OBJR_OK; l++)
        st = make_gaincalc(r, l, need_decorr, &el[l], diag);
    if (st == OBJR_OK)
        st = design_hoa(r, diag);
    if (st == OBJR_OK) {
        objr__engine_config ec;
        memset(&ec, 0, sizeof ec);
        ec.sample_rate_hz = sample_rate_hz;
        ec.n_inputs = r->n_inputs;
        ec.items = r->items.items;
        ec.n_items = r->items.n_items;
        ec.layouts = el;
        ec.n_layouts = r->n_layouts;
        ec.n_outputs = r->n_outputs;
        ec.gain_db = cfg->gain_db;
        ec.importance_threshold = cfg->importance_threshold;
        ec.max_frames = r->max_frames;
        if (need_decorr) {
            ec.decorr = decorr_cb;
            ec.decorr_ctx = r->lctx;
            ec.decorr_taps = OBJR__DECORR_TAPS;
            ec.decorr_delay = objr__decorrelate_delay(OBJR__DECORR_TAPS);
        }
        ec.cpu = objr__cpu_flags();
        st = objr__engine_create(&ec, diag, &r->engine);
    }
    if (st == OBJR_OK && cfg->spatial_coding_elements)
        st = create_spatial_coding(r, cfg, el, sample_rate_hz, diag);
    objr__freep(&el);
    return st;
}

/* Takes ownership of @p model (destroyed on failure too). Stages: layouts -> render items ->
 * gain calculators and engine -> process buffers -> the binaural scene. */
static objr_status create_from_model(const objr_renderer_config *cfg, objr__adm_model *model,
                                     int own, uint32_t n_tracks, uint32_t sample_rate_hz,
                                     const char *const *layouts, size_t n_layouts, objr_diag *diag,
                                     objr_renderer **out) {
    objr_renderer_config defaults = objr_renderer_config_default();
    if (!cfg)
        cfg = &defaults;
    *out = NULL;
    objr_status st = OBJR_ERR_NOMEM;
    objr_renderer *r = objr__calloc(1, sizeof *r);
    if (!r) {
        if (own)
            objr__adm_model_destroy(model);
        return OBJR_ERR_NOMEM;
    }
    r->model = model;
    r->owns_model = own;
    r->n_tracks = n_tracks;
    r->n_layouts = n_layouts;
    r->bin_layout = n_layouts;
    r->max_frames = cfg->max_block_frames ? cfg->max_block_frames : DEFAULT_BLOCK_FRAMES;
    if (n_layouts == 0 || n_layouts > OBJR_RENDER_MAX_LAYOUTS || !layouts || sample_rate_hz == 0 ||
        cfg->importance_threshold < 0 || cfg->importance_threshold > 10 ||
        !isfinite(cfg->gain_db)) {
        st = OBJR_ERR_INVALID_ARG;
        goto fail;
    }
    r->octx.bs2076_version = bs2076_version(model->version);
    set_reference_screen(r, model, cfg->programme_id);
    int need_decorr = 0;
    if ((st = open_layouts(r, layouts, diag)) != OBJR_OK ||
        (st = select_items(r, cfg, sample_rate_hz, &need_decorr, diag)) != OBJR_OK ||
        (st = start_engine(r, cfg, sample_rate_hz, need_decorr, diag)) != OBJR_OK)
        goto fail;
    r->in_tmp = objr__calloc(r->n_inputs ? r->n_inputs : 1, sizeof(float *));
    r->out_tmp = objr__calloc(r->n_outputs, sizeof(float *));
    if (!r->in_tmp || !r->out_tmp) {
        st = OBJR_ERR_NOMEM;
        goto fail;
    }
    if (r->bin_layout < n_layouts &&
        (st = create_binaural(r, cfg, sample_rate_hz, diag)) != OBJR_OK)
        goto fail;
    *out = r;
    return OBJR_OK;
fail:
    objr_renderer_destroy(r);
    return st == OBJR_OK ? OBJR_ERR_NOMEM : st;
}

/* The one intake path shared with objr_adm_validate(): fix, validate, report each finding
 * kind once, and reject a model with errors (the first one is the diagnostic). */
static objr_status check_model(objr__adm_model *m, size_t n_tracks, const objr_renderer_config *cfg,
                               objr_diag *diag) {
    m->strict = cfg && cfg->strict;
    objr__adm_validate(m, n_tracks);
    for (size_t i = 0; cfg && cfg->on_finding && i < m->log.n; i++) {
        const objr__diaglog_entry *e = &m->log.entries[i];
        char text[400];
        objr__adm_finding_text(e, text, sizeof text);
        objr_adm_finding f = {(objr_adm_severity)e->severity,
                              e->code,
                              e->kind,
                              e->count,
                              e->first_id,
                              e->first_line,
                              e->has_value ? e->max_value : -1.0,
                              text};
        cfg->on_finding(cfg->finding_user, &f);
    }
    for (size_t i = 0; i < m->n_problems; i++) {
        const objr__adm_problem *p = &m->problems[i];
        if (p->severity == OBJR__SEV_ERROR)
            return objr__diag_set(diag, p->code != OBJR_OK ? p->code : OBJR_ERR_ADM, p->element_id,
                                  p->line, (size_t)-1, "%s", p->message);
    }
    return OBJR_OK;
}

static objr_status read_model(const char *xml, size_t len, const char *file_name,
                              const char *base_dir, const objr__chna *chna, size_t n_tracks,
                              const objr_renderer_config *cfg, objr_diag *diag,
                              objr__adm_model **out) {
    objr__adm_read_opts o;
    memset(&o, 0, sizeof o);
    o.max_xml_bytes = MAX_XML_BYTES;
    o.base_dir = base_dir;
    o.file_name = file_name;
    objr_status st = objr__adm_xml_read(xml, len, &o, out, diag);
    if (st != OBJR_OK)
        return st;
    if (chna && chna->n_entries && (st = objr__adm_merge_chna(*out, chna, diag)) == OBJR_OK)
        st = objr__adm_model_resolve(*out, diag);
    if (st == OBJR_OK)
        st = check_model(*out, n_tracks, cfg, diag);
    if (st != OBJR_OK) {
        objr__adm_model_destroy(*out);
        *out = NULL;
    }
    return st;
}

objr_status objr_renderer_create(const objr_renderer_config *cfg, const char *adm_xml,
                                 size_t adm_xml_len, const objr_bwf_chna_entry *chna, size_t n_chna,
                                 uint32_t n_tracks, uint32_t sample_rate_hz,
                                 const char *const *layouts, size_t n_layouts, objr_diag *diag,
                                 objr_renderer **out) {
    *out = NULL;
    if (n_chna && !chna)
        return OBJR_ERR_INVALID_ARG;
    objr__chna c = {0, NULL, 0};
    if (n_chna) {
        c.entries = objr__calloc(n_chna, sizeof *c.entries);
        if (!c.entries)
            return OBJR_ERR_NOMEM;
        for (size_t i = 0; i < n_chna; i++) {
            c.entries[i].track_index = chna[i].track_index;
            memcpy(c.entries[i].uid, chna[i].uid, sizeof c.entries[i].uid);
            memcpy(c.entries[i].track_ref, chna[i].track_ref, sizeof c.entries[i].track_ref);
            memcpy(c.entries[i].pack_ref, chna[i].pack_ref, sizeof c.entries[i].pack_ref);
        }
        c.n_entries = n_chna;
    }
    objr__adm_model *m = NULL;
    objr_status st = read_model(adm_xml, adm_xml_len, NULL, NULL, &c, n_tracks, cfg, diag, &m);
    objr__freep(&c.entries);
    if (st != OBJR_OK)
        return st;
    return create_from_model(cfg, m, 1, n_tracks, sample_rate_hz, layouts, n_layouts, diag, out);
}

const objr__sc_stage *objr__renderer_spatial_stage(const objr_renderer *r) {
    return r->sc;
}

objr_status objr__renderer_create_shared(const objr_renderer_config *cfg, objr__adm_model *model,
                                         uint32_t n_tracks, uint32_t sample_rate_hz,
                                         const char *const *layouts, size_t n_layouts,
                                         objr_diag *diag, objr_renderer **out) {
    *out = NULL;
    objr_status st = check_model(model, n_tracks, cfg, diag);
    if (st != OBJR_OK)
        return st;
    return create_from_model(cfg, model, 0, n_tracks, sample_rate_hz, layouts, n_layouts, diag,
                             out);
}

objr_status objr_renderer_create_adm(const objr_renderer_config *cfg, const objr_adm *scene,
                                     uint32_t n_tracks, uint32_t sample_rate_hz,
                                     const char *const *layouts, size_t n_layouts, objr_diag *diag,
                                     objr_renderer **out) {
    *out = NULL;
    char *xml = NULL;
    size_t len = 0;
    objr_status st = objr_adm_write_mem(scene, &xml, &len);
    if (st != OBJR_OK)
        return st;
    /* The XML carries no track indices: pass them as chna entries. */
    size_t n_uids = objr_adm_count(scene, OBJR_ADM_TRACK_UID), n_chna = 0;
    objr_bwf_chna_entry *chna = objr__calloc(n_uids ? n_uids : 1, sizeof *chna);
    if (!chna) {
        free(xml);
        return OBJR_ERR_NOMEM;
    }
    for (size_t i = 0; i < n_uids; i++) {
        objr_adm_track_uid_info u;
        if (objr_adm_get_track_uid(scene, i, &u) != OBJR_OK || !u.id || u.track_index == 0 ||
            u.track_index > UINT16_MAX)
            continue;
        chna[n_chna].track_index = (uint16_t)u.track_index;
        snprintf(chna[n_chna].uid, sizeof chna[n_chna].uid, "%s", u.id);
        n_chna++;
    }
    st = objr_renderer_create(cfg, xml, len, chna, n_chna, n_tracks, sample_rate_hz, layouts,
                              n_layouts, diag, out);
    free(xml);
    objr__freep(&chna);
    return st;
}

size_t objr_renderer_input_count(const objr_renderer *r) {
    return r->n_inputs;
}

size_t objr_renderer_output_count(const objr_renderer *r) {
    return r->n_outputs;
}

objr_status objr_renderer_input_source(const objr_renderer *r, size_t i, uint32_t *track_index,
                                       const char **stem_path, uint32_t *stem_channel) {
    if (i >= r->n_inputs)
        return OBJR_ERR_INVALID_ARG;
    if (r->n_tracks) {
        *track_index = (uint32_t)(i + 1);
        *stem_path = NULL;
        *stem_channel = 0;
    } else {
        const objr__item_source *s = &r->items.sources[i];
        *track_index = 0;
        *stem_path = s->stem_path;
        *stem_channel = s->stem_channel;
    }
    return OBJR_OK;
}

objr_status objr_renderer_layout_info(const objr_renderer *r, size_t l, const char **name,
                                      size_t *first_channel, size_t *n_channels,
                                      uint32_t *channel_mask) {
    if (l >= r->n_layouts)
        return OBJR_ERR_INVALID_ARG;
    *name = r->layouts[l].common_name[0] ? r->layouts[l].common_name : r->layouts[l].name;
    *first_channel = r->first_channel[l];
    *n_channels = r->layouts[l].n_speakers;
    *channel_mask = r->layouts[l].channel_mask;
    return OBJR_OK;
}

const char *objr_renderer_channel_label(const objr_renderer *r, size_t ch) {
    return ch < r->n_outputs ? r->labels[ch] : "";
}

size_t objr_renderer_latency_frames(const objr_renderer *r) {
    size_t le = objr__engine_latency(r->engine);
    size_t lb = r->bin ? binaural_latency(r) : 0;
    return le > lb ? le : lb;
}

objr_status objr_renderer_binaural_limit_stats(const objr_renderer *r, double *max_reduction_db,
                                               double *active_fraction) {
    objr_limiter_stats s;
    if (!r->bin_limiter || objr_limiter_get_stats(r->bin_limiter, &s) != OBJR_OK)
        return OBJR_ERR_INVALID_ARG;
    *max_reduction_db = s.max_reduction_db;
    *active_fraction = s.active_fraction;
    return OBJR_OK;
}

const char *objr_renderer_last_error(const objr_renderer *r) {
    return r ? r->last_error : "";
}

objr_status objr_renderer_seek(objr_renderer *r, uint64_t frame) {
    objr__engine_seek(r->engine, (int64_t)frame);
    if (r->bin_limiter) { /* a fresh limiter: no look-ahead of the old position */
        objr_limiter *l = NULL;
        if (objr_limiter_create(&r->bin_lc, &l) != OBJR_OK)
            return OBJR_ERR_NOMEM;
        objr_limiter_destroy(r->bin_limiter);
        r->bin_limiter = l;
    }
    if (r->sc)
        objr__sc_stage_seek(r->sc, (int64_t)frame);
    if (r->bin) {
        objr__binaural_scene_seek(r->bin, (int64_t)frame);
        for (size_t c = 0; c < r->n_outputs; c++) {
            if (r->dly[c])
                memset(r->dly[c], 0, r->ch_delay[c] * sizeof(float));
            r->dly_pos[c] = 0;
        }
    }
    return OBJR_OK;
}

objr_status objr_renderer_process(objr_renderer *r, const float *const *in, float *const *out,
                                  size_t n_frames) {
    if (n_frames && ((!in && r->n_inputs) || !out)) {
        set_last_error(r, NULL, OBJR_ERR_INVALID_ARG);
        return OBJR_ERR_INVALID_ARG;
    }
    size_t done = 0;
    while (done < n_frames) {
        size_t m = n_frames - done < r->max_frames ? n_frames - done : r->max_frames;
        for (size_t i = 0; i < r->n_inputs; i++)
            r->in_tmp[i] = in[i] + done;
        for (size_t c = 0; c < r->n_outputs; c++)
            r->out_tmp[c] = out[c] + done;
        const float *const *ein = r->in_tmp;
        if (r->sc)
            objr__sc_stage_pre(r->sc, r->in_tmp, m, &ein);
        objr_status st = objr__engine_process(r->engine, ein, r->out_tmp, m);
        const objr_diag *ed = st != OBJR_OK ? objr__engine_diag(r->engine) : NULL;
        if (st == OBJR_OK && r->sc)
            objr__sc_stage_post(r->sc, r->out_tmp, m);
        if (st == OBJR_OK && r->bin) {
            size_t fc = r->first_channel[r->bin_layout];
            st = objr__binaural_scene_process(r->bin, r->in_tmp, r->out_tmp[fc], r->out_tmp[fc + 1],
                                              m);
            if (st == OBJR_OK && r->bin_limiter)
                st = objr_limiter_process(r->bin_limiter, (const float *const *)&r->out_tmp[fc],
                                          &r->out_tmp[fc], m, NULL);
            for (size_t c = 0; st == OBJR_OK && c < r->n_outputs; c++)
                if (r->ch_delay[c])
                    delay_channel(r, c, r->out_tmp[c], m);
        }
        if (st != OBJR_OK) {
            set_last_error(r, ed, st);
            return st;
        }
        done += m;
    }
    return OBJR_OK;
}

objr_status objr__renderer_gains_at(const objr_renderer *r, uint64_t frame, float *direct,
                                    float *diffuse) {
    return objr__engine_gains_at(r->engine, frame > INT64_MAX ? INT64_MAX : (int64_t)frame, direct,
                                 diffuse);
}

/* ---- file rendering ---------------------------------------------------------------------- */

/* Overload thresholds of a sample format, in full-scale units: integer samples clip when
 * x * 2^(b-1) rounds past the range (>= max + 0.5 or < min - 0.5, objr_bwf's rounding), float
 * samples are over when |x| > 1. */
typedef struct overload_limits {
    float hi, lo;
    int inclusive; /* integer: x >= hi counts; float: x > hi */
} overload_limits;

typedef struct file_job {
    const objr_render_file_options *opt;
    objr__mix_source *mix;
    objr_renderer *r;
    size_t block, step; /* frames written at a time; frames read and rendered at a time */
    uint32_t rate;
    uint64_t start, frames;
    const float **in; /* per renderer input */
    size_t *in_file;  /* per renderer input: the mix file it reads (SIZE_MAX: silence) */
    uint32_t *in_channel;
    int ahead;      /* the input is decoded on a second thread: j->in changes at every read */
    float **out;    /* per renderer output, block frames */
    float **out_at; /* out + the frames already rendered into it */
    float *zeros;
    objr_bwf_writer **writers;
    size_t n_writers;
    overload_limits ol;
    uint64_t n_over[OBJR_RENDER_MAX_LAYOUTS]; /* overloaded samples per layout */
    objr__render_dbmd dbmd;                   /* the input's Dolby metadata */
    objr_outset *outs;                        /* every output, and every file the run reads */
} file_job;

static overload_limits overload_limits_for(objr_bwf_sample_format f) {
    overload_limits l = {1.0f, -1.0f, 0};
    double full = f == OBJR_BWF_SAMPLE_PCM16 ? 32768.0 : f == OBJR_BWF_SAMPLE_PCM24 ? 8388608.0 : 0;
    if (full > 0) {
        l.hi = (float)((full - 0.5) / full);
        l.lo = (float)((-full - 0.5) / full);
        l.inclusive = 1;
    }
    return l;
}

/* Counts the overloaded samples of @p x into *count; *first gets the index of the first (n when
 * none). */
static void count_overloads(const float *x, size_t n, const overload_limits *l, uint64_t *count,
                            size_t *first) {
    uint64_t k = 0;
    size_t f = n;
    for (size_t i = 0; i < n; i++) {
        int over = l->inclusive ? (x[i] >= l->hi || x[i] < l->lo) : (x[i] > l->hi || x[i] < l->lo);
        if (over) {
            if (!k)
                f = i;
            k++;
        }
    }
    *count += k;
    *first = f;
}

/* Largest |x[i]| (0 for n = 0); NaN never raises it. Eight independent running maxima so the
 * compare chain does not serialise the loop (the result is the same max). */
static double peak_abs(const float *x, size_t n) {
    float m[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (size_t k = 0; k < 8; k++) {
            float a = fabsf(x[i + k]);
            m[k] = a > m[k] ? a : m[k];
        }
    for (; i < n; i++) {
        float a = fabsf(x[i]);
        m[0] = a > m[0] ? a : m[0];
    }
    float r = 0.0f;
    for (size_t k = 0; k < 8; k++)
        r = m[k] > r ? m[k] : r;
    return (double)r;
}

static void job_free(file_job *j, int abort_writers) {
    for (size_t w = 0; w < j->n_writers; w++)
        if (j->writers[w] && abort_writers)
            objr_bwf_writer_abort(j->writers[w]);
    objr__freep(&j->writers);
    size_t n_out = j->r ? objr_renderer_output_count(j->r) : 0;
    for (size_t c = 0; j->out && c < n_out; c++)
        objr__freep(&j->out[c]);
    objr__freep(&j->out);
    objr__freep(&j->out_at);
    objr__freep(&j->in);
    objr__freep(&j->in_file);
    objr__freep(&j->in_channel);
    objr__freep(&j->zeros);
    objr_renderer_destroy(j->r);
    objr__mix_source_destroy(j->mix);
    objr__render_dbmd_free(&j->dbmd);
    objr_outset_destroy(j->outs); /* after a commit: nothing left; else the temporaries go */
}

/* The files a render reads besides the stems, so that no output replaces one of them. */
static objr_status note_inputs(objr_outset *set, const char *input_path, const char *const *layouts,
                               size_t n_layouts, const objr_render_file_options *opt,
                               objr_diag *diag) {
    objr_status st = objr_outset_add_input(set, input_path, diag);
    if (st == OBJR_OK && opt->renderer.hrtf_path)
        st = objr_outset_add_input(set, opt->renderer.hrtf_path, diag);
    for (size_t l = 0; st == OBJR_OK && l < n_layouts; l++) {
        objr__layout probe;
        if (strcmp(layouts[l], BINAURAL_LAYOUT_NAME) != 0 &&
            objr__layout_lookup(layouts[l], &probe) != OBJR_OK)
            st = objr_outset_add_input(set, layouts[l], diag); /* a layout file */
    }
    return st;
}

static objr_status open_stems(file_job *j, objr_diag *diag);

/* 1. The scene and its audio. */
static objr_status open_scene(file_job *j, const char *input_path, objr_diag *diag) {
    const objr_render_file_options *opt = j->opt;
    objr__mix_source_config mc = objr__mix_source_config_default();
    mc.max_xml_bytes = MAX_XML_BYTES;
    mc.repair_nonfinite = opt->repair_nonfinite;
    mc.allow_external_stems = opt->allow_external_stems;
    mc.validate = 0; /* the renderer's intake path below: fixes, findings, --strict */
    objr_status st = objr__mix_source_open(input_path, &mc, diag, &j->mix);
    if (st != OBJR_OK)
        return st; /* the CLI names the file when the message does not */
    if ((st = check_model((objr__adm_model *)objr__mix_source_model(j->mix),
                          objr__mix_source_n_tracks(j->mix), &opt->renderer, diag)) != OBJR_OK)
        return st;
    if (objr__mix_source_is_bwf(j->mix))
        st = objr__mix_source_open_audio(j->mix, NULL, 0, diag);
    else
        st = open_stems(j, diag);
    return st == OBJR_OK ? objr__mix_source_prepare(j->mix, j->block) : st;
}

/* For a mix.xml, only the stems the selected items read are opened (a stem of another
 * programme may be missing). */
static objr_status open_stems(file_job *j, objr_diag *diag) {
    const objr_render_file_options *opt = j->opt;
    objr_status st = OBJR_OK;
    objr__render_items probe;
    objr__select_options so = {opt->renderer.programme_id, opt->renderer.importance_threshold};
    if ((st = objr__render_items_select(objr__mix_source_model(j->mix), &so, 0, &probe, diag)) !=
        OBJR_OK)
        return st;
    const char **paths = objr__calloc(probe.n_sources ? probe.n_sources : 1, sizeof *paths);
    if (!paths)
        st = OBJR_ERR_NOMEM;
    for (size_t s = 0; paths && s < probe.n_sources; s++) {
        paths[s] = probe.sources[s].stem_path;
        if (st == OBJR_OK && paths[s])
            st = objr_outset_add_input(j->outs, paths[s], diag);
    }
    if (st == OBJR_OK)
        st = objr__mix_source_open_audio(j->mix, paths, probe.n_sources, diag);
    objr__freep(&paths);
    objr__render_items_free(&probe);
    return st;
}

/* Start of the programme the renderer plays (the requested one, else the lowest ID, as
 * render_items.c selects), 0 when none or untimed. */
static double programme_start_s(const objr__adm_model *m, const char *id) {
    const objr__adm_programme *best = NULL;
    for (size_t i = 0; i < m->n_programmes; i++) {
        const objr__adm_programme *p = &m->programmes[i];
        if (id ? (p->id && !strcmp(p->id, id))
               : (!best || (p->id && best->id && strcmp(p->id, best->id) < 0)))
            best = p;
    }
    return best && best->has_start ? objr__adm_time_seconds(best->start) : 0.0;
}

/* 2. The range to render; a start at or past the end is an error, not an empty file. */
static objr_status choose_range(file_job *j, const char *input_path, objr_diag *diag) {
    const uint64_t total = objr__mix_source_n_frames(j->mix);
    double start_s = j->opt->start_s; /* a session timecode counts from the programme's start */
    if (j->opt->start_is_timecode) {
        double tc = programme_start_s(j->r->model, j->opt->renderer.programme_id);
        if (tc > 0 && tc <= start_s)
            start_s -= tc;
    }
    j->start = (uint64_t)llround(start_s * j->rate);
    if (j->opt->start_s > 0 && j->start >= total)
        return objr__diag_set(diag, OBJR_ERR_RANGE, "", 0, (size_t)-1,
                              "%s: start %.3f s is at or past the end of the audio (%.3f s)",
                              input_path, j->opt->start_s, (double)total / j->rate);
    j->frames = total - j->start;
    if (j->opt->duration_s >= 0) {
        uint64_t d = (uint64_t)llround(j->opt->duration_s * j->rate);
        if (d < j->frames)
            j->frames = d;
    }
    objr_status st;
    if (j->start && (st = objr__mix_source_seek(j->mix, j->start, diag)) != OBJR_OK)
        return st;
    return objr_renderer_seek(j->r, j->start);
}

/* The renderer's inputs into the mix source's current block (silence for a missing track). */
static void point_inputs(file_job *j) {
    const size_t n_in = objr_renderer_input_count(j->r);
    for (size_t i = 0; i < n_in; i++)
        j->in[i] = j->in_file[i] == SIZE_MAX
                       ? j->zeros
                       : objr__mix_source_file(j->mix, j->in_file[i])->buf[j->in_channel[i]];
}

/* 3. Buffers, the input map and the step size. */
static objr_status make_buffers(file_job *j, size_t n_layouts) {
    objr_renderer *r = j->r;
    const size_t n_in = objr_renderer_input_count(r), n_out = objr_renderer_output_count(r);
    j->in = objr__calloc(n_in ? n_in : 1, sizeof(float *));
    j->in_file = objr__calloc(n_in ? n_in : 1, sizeof *j->in_file);
    j->in_channel = objr__calloc(n_in ? n_in : 1, sizeof *j->in_channel);
    j->out = objr__calloc(n_out ? n_out : 1, sizeof(float *));
    j->out_at = objr__calloc(n_out ? n_out : 1, sizeof(float *));
    j->zeros = objr__calloc(j->block, sizeof(float));
    j->writers = objr__calloc(n_layouts, sizeof *j->writers);
    if (!j->in || !j->in_file || !j->in_channel || !j->out || !j->out_at || !j->zeros ||
        !j->writers)
        return OBJR_ERR_NOMEM;
    for (size_t c = 0; c < n_out; c++)
        if (!(j->out[c] = objr__calloc(j->block, sizeof(float))))
            return OBJR_ERR_NOMEM;
    for (size_t i = 0; i < n_in; i++) {
        uint32_t ti, sc;
        const char *sp;
        (void)objr_renderer_input_source(r, i, &ti, &sp, &sc);
        if (!objr__mix_source_track_ref(j->mix, ti, sp, sc, &j->in_file[i], &j->in_channel[i]))
            j->in_file[i] = SIZE_MAX;
    }
    point_inputs(j);
    size_t n_tracks = 0;
    for (size_t f = 0; f < objr__mix_source_file_count(j->mix); f++)
        n_tracks += objr__mix_source_file(j->mix, f)->info.n_channels;
    j->step = j->block;
    while (j->step / 2 >= RENDER_MIN_STEP_FRAMES &&
           n_tracks * j->step * sizeof(float) > RENDER_STEP_BYTES)
        j->step /= 2;
    return OBJR_OK;
}

static void summary_start(const file_job *j, objr_render_summary *summary, size_t n_layouts) {
    const objr_renderer *r = j->r;
    memset(summary, 0, sizeof *summary);
    summary->sample_rate_hz = j->rate;
    for (size_t k = 0; k < j->dbmd.n_notes; k++)
        memcpy(summary->dbmd_notes[k], j->dbmd.notes[k], sizeof j->dbmd.notes[k]);
    summary->n_dbmd_notes = j->dbmd.n_notes;
    summary->n_frames = j->frames;
    summary->duration_s = (double)j->frames / j->rate;
    summary->n_inputs = (uint32_t)objr_renderer_input_count(r);
    summary->n_layouts = n_layouts;
    summary->n_dropped_importance = (uint32_t)r->items.n_dropped_importance;
    for (size_t i = 0; i < r->items.n_items; i++) {
        if (r->items.items[i].type == OBJR__TYPE_OBJECTS)
            summary->n_objects_items++;
        else if (r->items.items[i].type == OBJR__TYPE_HOA)
            summary->n_hoa_items++;
        else
            summary->n_direct_speakers_items++;
    }
    for (size_t l = 0; l < n_layouts; l++) {
        const objr__layout *L = &r->layouts[l];
        objr_render_layout_summary *ls = &summary->layouts[l];
        snprintf(ls->name, sizeof ls->name, "%s", L->name);
        snprintf(ls->common_name, sizeof ls->common_name, "%s", L->common_name);
        ls->n_channels = (uint32_t)L->n_speakers;
        ls->channel_mask = L->channel_mask;
        for (size_t c = 0; c < L->n_speakers && c < OBJR_RENDER_MAX_CHANNELS; c++) {
            snprintf(ls->labels[c], sizeof ls->labels[c], "%s", r->labels[r->first_channel[l] + c]);
            ls->peak_dbfs[c] = 0.0; /* holds the linear peak until the end */
            ls->n_overloads[c] = 0;
        }
        ls->first_overload_frame = UINT64_MAX;
    }
}

/* 4. One writer per layout. */
static objr_status open_writers(file_job *j, size_t n_layouts, const char *const *output_paths,
                                objr_diag *diag) {
    for (size_t l = 0; l < n_layouts; l++) {
        const objr__layout *L = &j->r->layouts[l];
        objr_bwf_writer_config wc = objr_bwf_writer_config_default();
        wc.n_channels = (uint32_t)L->n_speakers;
        wc.sample_rate_hz = j->rate;
        wc.sample_format = j->opt->format;
        wc.channel_mask = L->channel_mask;
        wc.large_container = OBJR_BWF_CONTAINER_RF64;
        objr_status st =
            objr_bwf_writer_create_in(j->outs, output_paths[l], &wc, diag, &j->writers[l]);
        if (st != OBJR_OK)
            return st;
        j->n_writers = l + 1;
    }
    return OBJR_OK;
}

/* Write the @p n rendered frames at the start of j->out (output frames @p written on) to every
 * layout's file, counting overloads and peaks. */
static objr_status write_pending(file_job *j, size_t n, uint64_t written, size_t n_layouts,
                                 const char *const *output_paths, objr_render_summary *summary,
                                 objr_diag *diag) {
    const objr_renderer *r = j->r;
    for (size_t l = 0; l < n_layouts; l++) {
        const float *ptrs[OBJR_RENDER_MAX_CHANNELS];
        size_t fc = r->first_channel[l], nc = r->layouts[l].n_speakers;
        for (size_t c = 0; c < nc; c++) {
            ptrs[c] = j->out[fc + c];
            uint64_t k = 0;
            size_t first;
            count_overloads(ptrs[c], n, &j->ol, &k, &first);
            j->n_over[l] += k;
            if (summary) {
                objr_render_layout_summary *ls = &summary->layouts[l];
                double pk = peak_abs(ptrs[c], n);
                if (pk > ls->peak_dbfs[c])
                    ls->peak_dbfs[c] = pk;
                if (c < OBJR_RENDER_MAX_CHANNELS)
                    ls->n_overloads[c] += k;
                if (k && written + first < ls->first_overload_frame)
                    ls->first_overload_frame = written + first;
            }
        }
        objr_status st = objr_bwf_writer_write_f32(j->writers[l], ptrs, n);
        if (st != OBJR_OK)
            return objr__diag_set(diag, st, "", 0, (size_t)-1, "%s: %s", output_paths[l],
                                  objr_bwf_writer_last_error(j->writers[l]));
    }
    return OBJR_OK;
}

/* Threads for a render: the option, else OBJR_THREADS, else 2 on a machine with two or more
 * processors online. */
static int render_threads(const objr_render_file_options *opt) {
    if (opt->n_threads > 0)
        return opt->n_threads;
    const char *e = getenv("OBJR_THREADS");
    if (e && *e) {
        char *end;
        long n = strtol(e, &end, 10);
        if (*end == 0 && n >= 1)
            return n > 2 ? 2 : (int)n;
    }
    return sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1; /* one core: the thread only costs */
}

/* 4b. With two threads, the input is decoded ahead on the second one, in the steps stream()
 * reads. A thread that cannot start leaves the render on one thread, as with n_threads 1. */
static void start_read_ahead(file_job *j) {
    if (render_threads(j->opt) < 2 || j->frames == 0)
        return;
    size_t n_tracks = 0;
    for (size_t f = 0; f < objr__mix_source_file_count(j->mix); f++)
        n_tracks += objr__mix_source_file(j->mix, f)->info.n_channels;
    size_t steps = 1;
    while ((steps + 1) * j->step <= j->block &&
           n_tracks * (steps + 1) * j->step * sizeof(float) <= RENDER_AHEAD_SLOT_BYTES)
        steps++;
    j->ahead = objr__mix_source_start_read_ahead(j->mix, j->step, steps, RENDER_AHEAD_SLOTS,
                                                 j->frames) == OBJR_OK;
}

/* 5. Stream in steps of j->step frames, so that the decoded input, the renderer's outputs and
 * the read-ahead stay in cache, and write up to j->block rendered frames at a time. Read ahead
 * by the renderer latency so the output is time-aligned. */
static objr_status stream(file_job *j, size_t n_layouts, const char *const *output_paths,
                          objr_render_summary *summary, objr_diag *diag) {
    const size_t n_out = objr_renderer_output_count(j->r), step = j->step;
    const uint64_t frames = j->frames, lat = objr_renderer_latency_frames(j->r);
    uint64_t fed = 0, written = 0;
    size_t pending = 0; /* rendered frames at the start of j->out, not yet written */
    objr_status st;
    while (written < frames) {
        size_t mm = (size_t)(frames + lat - fed < step ? frames + lat - fed : step);
        size_t real = fed < frames ? (size_t)(frames - fed < mm ? frames - fed : mm) : 0;
        if ((st = objr__mix_source_read(j->mix, real, mm, diag)) != OBJR_OK)
            return st;
        if (j->ahead)
            point_inputs(j);
        for (size_t c = 0; c < n_out; c++)
            j->out_at[c] = j->out[c] + pending;
        if ((st = objr_renderer_process(j->r, j->in, j->out_at, mm)) != OBJR_OK)
            return st;
        size_t skip = fed < lat ? (size_t)(lat - fed < mm ? lat - fed : mm) : 0;
        size_t n_w = mm - skip;
        if (n_w > frames - written - pending)
            n_w = (size_t)(frames - written - pending);
        if (skip && n_w)
            for (size_t c = 0; c < n_out; c++)
                memmove(j->out_at[c], j->out_at[c] + skip, n_w * sizeof(float));
        pending += n_w;
        fed += mm;
        if (pending && (pending + step > j->block || written + pending == frames)) {
            if ((st = write_pending(j, pending, written, n_layouts, output_paths, summary, diag)) !=
                OBJR_OK)
                return st;
            written += pending;
            pending = 0;
            if (j->opt->progress)
                j->opt->progress(j->opt->progress_user,
                                 frames ? (double)written / (double)frames : 1.0);
            if (j->opt->on_progress) {
                objr_progress pr = {"rendering", frames ? (double)written / (double)frames : 1.0,
                                    (double)written / j->rate, (double)frames / j->rate};
                j->opt->on_progress(j->opt->on_progress_user, &pr);
            }
        }
    }
    return OBJR_OK;
}

/* 6. With fail_on_overload, a render with any overloaded sample is not written. */
static objr_status check_overloads(const file_job *j, size_t n_layouts,
                                   const char *const *output_paths, objr_diag *diag) {
    for (size_t l = 0; j->opt->fail_on_overload && l < n_layouts; l++)
        if (j->n_over[l]) /* job_free() discards every output */
            return objr__diag_set(diag, OBJR_ERR_RANGE, "", 0, (size_t)-1,
                                  "%s: %llu samples over full scale: not written (fail on "
                                  "overload)",
                                  output_paths[l], (unsigned long long)j->n_over[l]);
    return OBJR_OK;
}

/* 7. Finish every output, then rename them into place together, or none of them. */
static objr_status close_writers(file_job *j, size_t n_layouts, objr_diag *diag) {
    for (size_t l = 0; l < n_layouts; l++) {
        objr_bwf_writer *w = j->writers[l];
        j->writers[l] = NULL;
        objr_status st = objr_bwf_writer_close(w, diag);
        if (st != OBJR_OK)
            return st; /* the set's temporaries go with the job */
    }
    return objr_outset_commit(j->outs, diag);
}

static void emit_warnings(const file_job *j) {
    if (!j->opt->warning)
        return;
    for (size_t i = 0; i < objr__mix_source_warning_count(j->mix); i++)
        j->opt->warning(j->opt->warning_user, objr__mix_source_warning(j->mix, i));
}

objr_status objr_render_file(const char *input_path, const char *const *layouts, size_t n_layouts,
                             const char *const *output_paths, const objr_render_file_options *opt,
                             objr_render_summary *summary, objr_diag *diag) {
    if (n_layouts == 0 || n_layouts > OBJR_RENDER_MAX_LAYOUTS)
        return OBJR_ERR_INVALID_ARG;
    objr_render_file_options defaults = objr_render_file_options_default();
    if (!opt)
        opt = &defaults;
    if (!isfinite(opt->start_s) || opt->start_s < 0 || !(opt->duration_s == opt->duration_s) ||
        (opt->format != OBJR_BWF_SAMPLE_FLOAT32 && opt->format != OBJR_BWF_SAMPLE_PCM24 &&
         opt->format != OBJR_BWF_SAMPLE_PCM16))
        return OBJR_ERR_INVALID_ARG;
    file_job j;
    memset(&j, 0, sizeof j);
    j.opt = opt;
    j.ol = overload_limits_for(opt->format);
    j.block =
        opt->renderer.max_block_frames ? opt->renderer.max_block_frames : DEFAULT_BLOCK_FRAMES;
    objr_status st = objr_outset_create(&j.outs);
    if (st != OBJR_OK ||
        (st = note_inputs(j.outs, input_path, layouts, n_layouts, opt, diag)) != OBJR_OK ||
        (st = open_scene(&j, input_path, diag)) != OBJR_OK)
        goto done;
    j.rate = objr__mix_source_sample_rate(j.mix);
    /* The renderer (takes the model), with the input's Dolby metadata. */
    objr_renderer_config rcfg = opt->renderer;
    const objr_bwf *dbmd_bwf = objr__mix_source_bwf(j.mix);
    if (opt->apply_dbmd && dbmd_bwf) {
        if ((st = objr__render_dbmd_prepare(dbmd_bwf, layouts, n_layouts, &j.dbmd)) != OBJR_OK)
            goto done;
        if (!rcfg.track_binaural_modes && j.dbmd.modes) {
            rcfg.track_binaural_modes = j.dbmd.modes;
            rcfg.n_track_binaural_modes = j.dbmd.n_modes;
        }
    }
    st =
        create_from_model(&rcfg, objr__mix_source_take_model(j.mix), 1,
                          objr__mix_source_n_tracks(j.mix), j.rate, layouts, n_layouts, diag, &j.r);
    if (st != OBJR_OK || (st = choose_range(&j, input_path, diag)) != OBJR_OK ||
        (st = make_buffers(&j, n_layouts)) != OBJR_OK)
        goto done;
    emit_warnings(&j);
    if (summary)
        summary_start(&j, summary, n_layouts);
    if ((st = open_writers(&j, n_layouts, output_paths, diag)) == OBJR_OK)
        start_read_ahead(&j);
    if (st != OBJR_OK || (st = stream(&j, n_layouts, output_paths, summary, diag)) != OBJR_OK ||
        (st = check_overloads(&j, n_layouts, output_paths, diag)) != OBJR_OK ||
        (st = close_writers(&j, n_layouts, diag)) != OBJR_OK)
        goto done;
    char line[OBJR_DIAG_MESSAGE_SIZE], msg[OBJR_DIAG_MESSAGE_SIZE + 64];
    if (objr__mix_source_nonfinite(j.mix, line, sizeof line) && opt->warning) {
        snprintf(msg, sizeof msg, "%s: %s replaced by silence", input_path, line);
        opt->warning(opt->warning_user, msg);
    }
    if (summary && j.r->sc) {
        summary->spatial_coding_elements = (uint32_t)opt->renderer.spatial_coding_elements;
        objr__sc_stage_error(j.r->sc, &summary->spatial_mean_error_deg,
                             &summary->spatial_max_error_deg);
        size_t w = objr__sc_stage_worst(j.r->sc, &summary->spatial_max_error_time_s);
        summary->spatial_max_error_input = w == SIZE_MAX ? 0 : (uint32_t)(w + 1);
    }
    if (summary)
        summary->binaural_limited =
            objr_renderer_binaural_limit_stats(j.r, &summary->binaural_limit_max_db,
                                               &summary->binaural_limit_active_fraction) == OBJR_OK;
    if (summary)
        for (size_t l = 0; l < n_layouts; l++)
            for (size_t c = 0; c < summary->layouts[l].n_channels; c++) {
                double a = summary->layouts[l].peak_dbfs[c];
                summary->layouts[l].peak_dbfs[c] = a > 0 ? 20.0 * log10(a) : -INFINITY;
            }
done:
    job_free(&j, st != OBJR_OK);
    return st;
}
