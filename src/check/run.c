/* SPDX-License-Identifier: BSD-3-Clause */
/* The translation check's run (REFERENCES.md §5.2): open the mix, build the renders (the 7.1.4
 * reference, direct layouts, fold-downs of the 7.1.4, binaural with the 7.1.4 heard at the
 * ears), stream the programme once through them and the measurements (analyse.c, qc.c, the
 * one-pass per-object figures of objects.c), collect the figures and judge them (findings.c).
 * open -> renders -> stream -> collect -> findings. */
#include "src/check/checks.h"

#include <fftw3.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/adm_model.h"
#include "formats/mix_source.h"
#include "objrender/objr.h"
#include "objrender/objr_check.h"
#include "renderers/binaural/hrtf.h"
#include "renderers/folddown.h"
#include "src/check/analyse.h"
#include "src/check/check_dbmd.h"
#include "src/check/objects.h"
#include "src/core/fftw_lock.h"
#include "src/core/geom.h"
#include "src/render/render_internal.h"
#include "src/render/spatial_stage.h"

#define MAX_LAYOUTS 6 /* 7.1.4 and every direct render: 5.1 2.0 7.1 5.1.4 binaural */

objr_check_config objr_check_config_default(void) {
    objr_check_config c;
    memset(&c, 0, sizeof c);
    c.thresholds = objr_check_thresholds_default();
    c.folddown = objr_folddown_config_default();
    c.per_object = 1;
    c.max_objects = 4096;
    c.max_binaural_objects = 4;
    c.binaural_diffuse_eq = 1;
    c.apply_dbmd = 1;
    return c;
}

/* ---------------------------------------------------------------------------------------- */
/* Render specifications                                                                     */

typedef struct render_spec {
    const char *key, *name;
    const char *direct; /* layout name for direct renders, NULL for fold-downs */
    int fold;           /* objr_folddown_kind, -1 for direct */
    const char *labels; /* fold target labels */
    int sc;             /* spatial coding: the 7.1.4 of the clustered scene */
} render_spec;

static const render_spec specs[] = {
    {"7.1.4", "7.1.4", "7.1.4", -1, NULL, 0},
    {"5.1", "5.1", "5.1", -1, NULL, 0},
    {"2.0", "2.0", "2.0", -1, NULL, 0},
    {"7.1", "7.1", "7.1", -1, NULL, 0},
    {"5.1.4", "5.1.4", "5.1.4", -1, NULL, 0},
    {"5.1-fold", "5.1 fold-down", NULL, OBJR_FOLDDOWN_714_TO_51,
     "M+030 M-030 M+000 LFE1 M+110 M-110", 0},
    {"7.1-fold", "7.1 fold-down", NULL, OBJR_FOLDDOWN_714_TO_71,
     "M+030 M-030 M+000 LFE1 M+135 M-135 M+090 M-090", 0},
    {"5.1.4-fold", "5.1.4 fold-down", NULL, OBJR_FOLDDOWN_714_TO_514,
     "M+030 M-030 M+000 LFE1 M+110 M-110 U+030 U-030 U+110 U-110", 0},
    {"loro", "2.0 Lo/Ro fold-down", NULL, OBJR_FOLDDOWN_714_TO_LORO, "M+030 M-030", 0},
    {"ltrt", "2.0 Lt/Rt fold-down", NULL, OBJR_FOLDDOWN_714_TO_LTRT, "M+030 M-030", 0},
    /* the renderer's "binaural" layout: ear signals L, R (BS.1770 weights 1, 1) */
    {"binaural", "binaural", "binaural", -1, NULL, 0},
    /* "scN": key and name get N (run_ctx.sc_elements) */
    {"sc", "spatial coding", "7.1.4", -1, NULL, 1},
};
#define N_SPECS (sizeof specs / sizeof specs[0])

static int is_binaural_spec(const render_spec *sp) {
    return sp->direct && strcmp(sp->direct, "binaural") == 0;
}

/* The render of @p key; "scN" sets *sc_elements to N (1..OBJR__SC_MAX_ELEMENTS). */
static const render_spec *find_spec(const char *key, size_t *sc_elements) {
    if (strncmp(key, "sc", 2) == 0 && key[2] >= '1' && key[2] <= '9') {
        char *end;
        unsigned long n = strtoul(key + 2, &end, 10);
        if (*end || n > OBJR__SC_MAX_ELEMENTS)
            return NULL;
        *sc_elements = n;
        return &specs[N_SPECS - 1];
    }
    for (size_t i = 0; i < N_SPECS; i++)
        if (!specs[i].sc && strcmp(specs[i].key, key) == 0)
            return &specs[i];
    return NULL;
}

typedef struct chain {
    objr_renderer *rend;
    size_t n_out;
    float **out;
    const float **in;
    size_t first714; /* first output channel of the 7.1.4 layout */
    int has714;      /* the 7.1.4 is among the outputs (fold-downs and the ear reference) */
    const char *lays[MAX_LAYOUTS]; /* the renderer's layouts, in its order */
    size_t n_lays;
    objr_folddown *fold[OBJR_CHECK_MAX_RENDERS];
    float *fold_out[OBJR_CHECK_MAX_RENDERS][12];
    objr_folddown *front[OBJR_CHECK_MAX_RENDERS]; /* Lt/Rt without the surround path */
    float *front_out[OBJR_CHECK_MAX_RENDERS][2];
    objr__check_analyser an[OBJR_CHECK_MAX_RENDERS];
    size_t n_an;
    /* Full chain with a binaural render: the 7.1.4 reference heard at the ears, i.e. its 12
     * loudspeaker feeds as virtual loudspeakers through the same HRTF set and room mode. */
    objr_binaural *vls;
    float *vls_out[2];
    objr__check_analyser ear;
} chain;

static void chain_free(chain *c) {
    if (!c)
        return;
    objr_renderer_destroy(c->rend);
    if (c->out)
        for (size_t i = 0; i < c->n_out; i++)
            objr__freep(&c->out[i]);
    objr__freep(&c->out);
    objr__freep(&c->in);
    for (size_t k = 0; k < OBJR_CHECK_MAX_RENDERS; k++) {
        objr_folddown_destroy(c->fold[k]);
        for (size_t i = 0; i < 12; i++)
            objr__freep(&c->fold_out[k][i]);
        objr_folddown_destroy(c->front[k]);
        objr__freep(&c->front_out[k][0]);
        objr__freep(&c->front_out[k][1]);
    }
    for (size_t k = 0; k < c->n_an; k++)
        objr__check_analyser_free(&c->an[k]);
    objr_binaural_destroy(c->vls);
    objr__freep(&c->vls_out[0]);
    objr__freep(&c->vls_out[1]);
    objr__check_analyser_free(&c->ear);
}

static size_t split_labels(const char *s, char out[16][16]) {
    size_t n = 0;
    while (*s && n < 16) {
        while (*s == ' ')
            s++;
        size_t k = 0;
        while (*s && *s != ' ') {
            if (k < 15)
                out[n][k++] = *s;
            s++;
        }
        out[n][k] = 0;
        if (k)
            n++;
    }
    return n;
}

static const char *base_name(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* ---------------------------------------------------------------------------------------- */
/* The run                                                                                   */

/* One audio file of the mix (objr__mix_source_file: the BWF, or one stem file) and the QC
 * state of its channels. */
typedef struct stem {
    const objr__mix_file *f;
    objr__check_qc *qc;
} stem;

typedef struct run_ctx {
    objr_check_report *rep;
    const objr_check_config *cfg;
    objr_adm *scene;
    objr__mix_source *mix; /* the input: scene, audio files, block buffers */
    stem *stems;
    size_t n_stems;
    const render_spec *rs[OBJR_CHECK_MAX_RENDERS];
    size_t n_rs;
    const char *layouts[MAX_LAYOUTS];
    size_t n_layouts;
    chain full;
    chain bmix;           /* the mix to binaural (and the 7.1.4 at the ears) */
    chain scc;            /* the 7.1.4 of the scene coded to sc_elements elements */
    size_t sc_elements;   /* 0: no spatial coding render */
    objr__check_fft fft2; /* the worker's FFT scratch */
    const float **inmap;  /* per renderer input: the stem channel buffer (or zeros) */
    size_t n_in;
    objr__objpass *op; /* per-object figures from the renderer's gains */
    chain *bobj;       /* the first objects rendered alone, binaural only */
    size_t *bobj_obj;  /* their report object indices */
    size_t n_bobj;
    float *zeros;
    size_t hop;
    objr__check_fft fft;
    uint32_t rate;
    uint32_t n_tracks;
    uint64_t total;
    objr__check_dbmd dbmd; /* fold-down configuration and binaural modes in use */
} run_ctx;

/* Progress of the streaming pass through the config's callback (about ten calls a second of
 * programme: the caller throttles its display). */
static void progress(run_ctx *x, const char *stage, double fraction, int force) {
    (void)force;
    if (!x->cfg->on_progress)
        return;
    double total_s = (double)x->total / (x->rate ? x->rate : 1);
    objr_progress pr = {stage, fraction, fraction * total_s, total_s};
    x->cfg->on_progress(x->cfg->on_progress_user, &pr);
}

/* Report render k: its key, name, kind and channels. */
static void describe_render(run_ctx *x, size_t k, char labels[16][16], size_t n) {
    const render_spec *sp = x->rs[k];
    objr__check_render *R = &x->rep->renders[k];
    snprintf(R->key, sizeof R->key, "%s", sp->key);
    snprintf(R->name, sizeof R->name, "%s", sp->name);
    if (sp->sc) {
        snprintf(R->key, sizeof R->key, "sc%zu", x->sc_elements);
        snprintf(R->name, sizeof R->name, "spatial coding (%zu)", x->sc_elements);
        R->sc_elements = x->sc_elements;
    }
    R->is_reference = k == 0;
    R->is_folddown = sp->direct == NULL;
    R->is_binaural = is_binaural_spec(sp);
    R->is_ltrt = sp->fold == OBJR_FOLDDOWN_714_TO_LTRT;
    R->n_channels = n;
    /* ear signals are not loudspeaker stereo: no correlation or mono checks */
    R->is_stereo = n == 2 && !R->is_binaural;
    for (size_t ch = 0; ch < n; ch++) {
        memcpy(R->labels[ch], labels[ch], sizeof R->labels[ch]);
        R->labels[ch][sizeof R->labels[ch] - 1] = 0;
    }
}

/* The analyser of render k of a chain: its channels in the renderer's outputs (direct) or a
 * fold-down of the 7.1.4 (with, for Lt/Rt, a second fold-down without the surround path, on
 * which correlation and mono are judged). */
static objr_status chain_analyser(run_ctx *x, chain *c, size_t k, const char *const *lays,
                                  size_t n_lays, int full) {
    const render_spec *sp = x->rs[k];
    char labels[16][16];
    size_t n = 0;
    objr__check_analyser *a = &c->an[k];
    objr_status st;
    if (sp->direct) {
        size_t l = 0;
        while (l < n_lays && strcmp(lays[l], sp->direct) != 0)
            l++;
        const char *name;
        size_t first;
        uint32_t mask;
        if (l == n_lays ||
            objr_renderer_layout_info(c->rend, l, &name, &first, &n, &mask) != OBJR_OK || n > 16)
            return OBJR_ERR_INTERNAL;
        for (size_t ch = 0; ch < n; ch++) {
            snprintf(labels[ch], 16, "%s", objr_renderer_channel_label(c->rend, first + ch));
            a->ch[ch] = c->out[first + ch];
        }
    } else {
        n = split_labels(sp->labels, labels);
        if ((st = objr_folddown_create((objr_folddown_kind)sp->fold, &x->dbmd.fold, x->hop,
                                       &c->fold[k])) != OBJR_OK)
            return st;
        for (size_t ch = 0; ch < n; ch++) {
            if (!(c->fold_out[k][ch] = objr__calloc(x->hop, sizeof(float))))
                return OBJR_ERR_NOMEM;
            a->ch[ch] = c->fold_out[k][ch];
        }
    }
    if ((st = objr__check_analyser_init(a, labels, n, x->rate, full, x->hop, x->fft.n)) != OBJR_OK)
        return st;
    if (full && sp->fold == OBJR_FOLDDOWN_714_TO_LTRT) {
        /* the front paths: Lt/Rt without its surround path is Lo/Ro without surrounds (and
         * without the Hilbert filter's delay: the stereo checks compare it only with itself) */
        objr_folddown_config fc = x->dbmd.fold;
        fc.surround_trim_db = OBJR_FOLDDOWN_OFF_DB;
        if ((st = objr_folddown_create(OBJR_FOLDDOWN_714_TO_LORO, &fc, x->hop, &c->front[k])) !=
            OBJR_OK)
            return st;
        for (size_t ch = 0; ch < 2; ch++)
            if (!(c->front_out[k][ch] = objr__calloc(x->hop, sizeof(float))))
                return OBJR_ERR_NOMEM;
        a->sch[0] = c->front_out[k][0];
        a->sch[1] = c->front_out[k][1];
        objr_loudness_config lc = objr_loudness_config_default();
        lc.rate_hz = x->rate;
        lc.n_channels = 2;
        lc.true_peak = 0;
        if ((st = objr_loudness_meter_create(&lc, &a->fmeter)) != OBJR_OK)
            return st;
    }
    if (full)
        describe_render(x, k, labels, n);
    return OBJR_OK;
}

/* What a chain renders: the mix to every loudspeaker render; the mix to binaural (with a 7.1.4
 * for the reference at the ears; its own thread); one object alone to binaural. */
typedef enum chain_mode {
    CHAIN_SPEAKERS,
    CHAIN_BINAURAL_MIX,
    CHAIN_BINAURAL_OBJECT,
    CHAIN_SPATIAL /* the scene coded to N elements, to 7.1.4 (its own renderer and thread) */
} chain_mode;

/* The chain that measures render @p sp (a binaural object chain measures what the binaural
 * mix chain does). */
static chain_mode spec_chain(const render_spec *sp) {
    return sp->sc ? CHAIN_SPATIAL : is_binaural_spec(sp) ? CHAIN_BINAURAL_MIX : CHAIN_SPEAKERS;
}

/* One renderer of @p scene and its analysers. */
static objr_status chain_init(run_ctx *x, chain *c, objr_adm *scene, chain_mode mode,
                              objr_diag *diag) {
    objr_renderer_config rc = objr_renderer_config_default();
    rc.programme_id = x->cfg->programme_id;
    rc.max_block_frames = x->hop;
    rc.hrtf_path = x->cfg->hrtf_path;
    rc.binaural_mode = x->cfg->binaural_mode;
    rc.binaural_diffuse_eq = x->cfg->binaural_diffuse_eq;
    rc.binaural_peak_limit = 0; /* the check measures the render before any limiting */
    rc.strict = x->cfg->strict;
    rc.track_binaural_modes = x->dbmd.modes;
    rc.n_track_binaural_modes = x->dbmd.n_modes;
    rc.spatial_coding_elements = mode == CHAIN_SPATIAL ? x->sc_elements : 0;
    c->n_lays = 0;
    if (mode != CHAIN_BINAURAL_OBJECT)
        c->lays[c->n_lays++] = "7.1.4";
    for (size_t l = 1; l < x->n_layouts && mode != CHAIN_SPATIAL; l++)
        if ((strcmp(x->layouts[l], "binaural") == 0) == (mode != CHAIN_SPEAKERS))
            c->lays[c->n_lays++] = x->layouts[l];
    objr_status st = objr__renderer_create_shared(&rc, objr__adm_get_model_mut(scene), x->n_tracks,
                                                  x->rate, c->lays, c->n_lays, diag, &c->rend);
    if (st != OBJR_OK)
        return st;
    c->n_out = objr_renderer_output_count(c->rend);
    size_t n_in = objr_renderer_input_count(c->rend);
    c->out = objr__calloc(c->n_out, sizeof *c->out);
    c->in = objr__calloc(n_in ? n_in : 1, sizeof *c->in);
    if (!c->out || !c->in)
        return OBJR_ERR_NOMEM;
    for (size_t i = 0; i < c->n_out; i++)
        if (!(c->out[i] = objr__calloc(x->hop, sizeof(float))))
            return OBJR_ERR_NOMEM;
    c->has714 = mode != CHAIN_BINAURAL_OBJECT;
    if (c->has714) {
        const char *name;
        size_t first, n;
        uint32_t mask;
        if (objr_renderer_layout_info(c->rend, 0, &name, &first, &n, &mask) != OBJR_OK)
            return OBJR_ERR_INTERNAL;
        c->first714 = first;
    }
    for (size_t k = 0; k < x->n_rs; k++) {
        c->n_an = k + 1;
        if (spec_chain(x->rs[k]) != (mode == CHAIN_BINAURAL_OBJECT ? CHAIN_BINAURAL_MIX : mode))
            continue; /* analyser left empty (meter NULL) */
        if ((st = chain_analyser(x, c, k, c->lays, c->n_lays, mode != CHAIN_BINAURAL_OBJECT)) !=
            OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

/* The 7.1.4 reference as a listener in that room hears it, to compare the binaural render
 * with like for like: the reference's loudspeaker feeds (file order) as sources of a binaural
 * renderer at the loudspeakers' directions (LFE as the LFE), with the same HRTF set and room
 * mode as the binaural render. Both then carry the set's colouring (ear canal, pinna, its
 * measurement chain) and the room; what differs is what the binaural render does differently
 * (objects at their own directions instead of phantom images between loudspeakers). */
static objr_status vls_init(run_ctx *x, chain *c, const objr__check_render *ref, objr_diag *diag) {
    objr_binaural_config bc = objr_binaural_config_default();
    bc.hrtf_path = x->cfg->hrtf_path;
    bc.diffuse_eq = x->cfg->binaural_diffuse_eq;
    bc.sample_rate_hz = (double)x->rate;
    bc.max_sources = ref->n_channels;
    if (x->cfg->binaural_mode)
        bc.default_mode = (objr_binaural_mode)x->cfg->binaural_mode;
    objr_status st = objr_binaural_create(&bc, diag, &c->vls);
    if (st != OBJR_OK)
        return st;
    objr_layout *lay = NULL;
    if ((st = objr_layout_from_name("7.1.4", &lay)) != OBJR_OK)
        return st;
    for (size_t ch = 0; ch < ref->n_channels && st == OBJR_OK; ch++) {
        objr_speaker_info si;
        int found = 0;
        for (size_t k = 0; k < objr_layout_n_channels(lay) && !found; k++)
            found = objr_layout_channel_info(lay, k, &si) == OBJR_OK &&
                    strcmp(si.label, ref->labels[ch]) == 0;
        if (!found) {
            st = OBJR_ERR_INTERNAL;
            break;
        }
        objr_binaural_source src = objr_binaural_source_default();
        src.azimuth_deg = si.azimuth_deg;
        src.elevation_deg = si.elevation_deg;
        src.lfe = si.is_lfe;
        st = objr_binaural_set_source(c->vls, ch, &src);
    }
    objr_layout_destroy(lay);
    if (st != OBJR_OK)
        return st;
    for (int e = 0; e < 2; e++)
        if (!(c->vls_out[e] = objr__calloc(x->hop, sizeof(float))))
            return OBJR_ERR_NOMEM;
    char labels[16][16] = {"M+030", "M-030"}; /* two ears, BS.1770 weights 1 and 1 */
    c->ear.ch[0] = c->vls_out[0];
    c->ear.ch[1] = c->vls_out[1];
    return objr__check_analyser_init(&c->ear, labels, 2, x->rate, 1, x->hop, x->fft.n);
}

/* Which analysers of a chain: all; the direct renders (and the reference at the ears); the
 * fold-downs of the 7.1.4 (which the worker thread runs while the main thread analyses the
 * direct renders of the same hop). */
typedef enum chain_part { PART_ALL, PART_DIRECT, PART_FOLD } chain_part;

/* The analysers of one hop the chain's renderer has rendered. */
static objr_status chain_analyse(run_ctx *x, chain *c, size_t n, uint64_t pos, objr__check_fft *fft,
                                 chain_part part) {
    objr_status st;
    const float *in714[12] = {NULL};
    for (size_t i = 0; c->has714 && i < 12; i++)
        in714[i] = c->out[c->first714 + i];
    double sil = pow(10.0, x->cfg->thresholds.silence_level_dbfs / 20.0);
    for (size_t k = 0; k < c->n_an; k++) {
        if (part != PART_ALL && (part == PART_FOLD) != (c->fold[k] != NULL))
            continue;
        if (c->fold[k] &&
            (st = objr_folddown_process(c->fold[k], in714, c->fold_out[k], n)) != OBJR_OK)
            return st;
        if (c->front[k] &&
            (st = objr_folddown_process(c->front[k], in714, c->front_out[k], n)) != OBJR_OK)
            return st;
        if (c->an[k].meter &&
            (st = objr__check_analyser_feed(&c->an[k], n, pos, sil, fft)) != OBJR_OK)
            return st;
    }
    if (c->vls && part != PART_FOLD) {
        if ((st = objr_binaural_process(c->vls, in714, c->vls_out[0], c->vls_out[1], n)) !=
                OBJR_OK ||
            (st = objr__check_analyser_feed(&c->ear, n, pos, sil, fft)) != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

static objr_status chain_process(run_ctx *x, chain *c, size_t n, uint64_t pos,
                                 objr__check_fft *fft) {
    objr_status st = objr_renderer_process(c->rend, c->in, c->out, n);
    return st == OBJR_OK ? chain_analyse(x, c, n, pos, fft, PART_ALL) : st;
}

static void ctx_free(run_ctx *x) {
    objr__check_dbmd_free(&x->dbmd);
    chain_free(&x->full);
    chain_free(&x->bmix);
    chain_free(&x->scc);
    objr__check_fft_free(&x->fft2);
    for (size_t k = 0; k < x->n_bobj; k++)
        chain_free(&x->bobj[k]);
    objr__freep(&x->bobj);
    objr__freep(&x->bobj_obj);
    objr__freep(&x->inmap);
    objr__objpass_destroy(x->op);
    objr__check_dbmd_free(&x->dbmd);
    for (size_t s = 0; s < x->n_stems; s++)
        objr__freep(&x->stems[s].qc);
    objr__freep(&x->stems);
    objr__mix_source_destroy(x->mix);
    objr__freep(&x->zeros);
    objr__check_fft_free(&x->fft);
    objr_adm_destroy(x->scene);
}

void objr_check_report_destroy(objr_check_report *r) {
    if (!r)
        return;
    for (size_t k = 0; k < r->n_renders; k++) {
        objr__freep(&r->renders[k].st);
        objr__freep(&r->renders[k].corr);
    }
    objr__freep(&r->objects);
    objr__freep(&r->stems);
    objr__freep(&r->findings);
    objr__freep(&r);
}

/* The mix through objr__mix_source (the opening, stem policy and sample checks of a render:
 * stems confined to the mix.xml's folder unless allowed, NaN/Inf an input error unless
 * repaired), every audio file of it, and the scene as a public handle for the renderers.
 * Stems of different rates open: the check reports them (qc_format). */
static objr_status open_input(run_ctx *x, const char *path, objr_diag *diag) {
    objr__mix_source_config mc = objr__mix_source_config_default();
    mc.validate = 0; /* the renderers' intake refuses what they cannot render */
    mc.repair_nonfinite = x->cfg->repair_nonfinite;
    mc.allow_external_stems = x->cfg->allow_external_stems;
    mc.allow_mixed_rates = 1;
    objr_status st = objr__mix_source_open(path, &mc, diag, &x->mix);
    if (st != OBJR_OK || (st = objr__mix_source_open_audio(x->mix, NULL, 0, diag)) != OBJR_OK)
        return st;
    x->n_tracks = objr__mix_source_n_tracks(x->mix);
    if ((st = objr__adm_from_model(objr__mix_source_take_model(x->mix), &x->scene)) != OBJR_OK)
        return st;
    const size_t n_files = objr__mix_source_file_count(x->mix);
    if (!(x->stems = objr__calloc(n_files ? n_files : 1, sizeof *x->stems)))
        return OBJR_ERR_NOMEM;
    x->n_stems = n_files;
    for (size_t s = 0; s < x->n_stems; s++)
        x->stems[s].f = objr__mix_source_file(x->mix, s);
    if (x->cfg->warning)
        for (size_t i = 0; i < objr__mix_source_warning_count(x->mix); i++)
            x->cfg->warning(x->cfg->warning_user, objr__mix_source_warning(x->mix, i));
    return OBJR_OK;
}

static const char *const default_renders[] = {"5.1", "2.0", "5.1-fold", "loro", "ltrt", "binaural"};

/* The renders asked for: the 7.1.4 reference first, each known key once. */
static objr_status setup_renders(run_ctx *x, const objr_check_config *cfg, objr_diag *diag) {
    const char *const *rn = cfg->renders ? cfg->renders : default_renders;
    size_t n_rn =
        cfg->renders ? cfg->n_renders : sizeof default_renders / sizeof default_renders[0];
    if (cfg->binaural_mode < OBJR_BINAURAL_MODE_DEFAULT ||
        cfg->binaural_mode > OBJR_BINAURAL_MODE_DRY)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                              "binaural mode %d is not an objr_binaural_mode", cfg->binaural_mode);
    if (n_rn + 1 > OBJR_CHECK_MAX_RENDERS)
        return OBJR_ERR_INVALID_ARG;
    x->cfg = cfg;
    x->rs[x->n_rs++] = &specs[0];
    x->layouts[x->n_layouts++] = "7.1.4";
    for (size_t i = 0; i < n_rn; i++) {
        size_t sc_n = 0;
        const render_spec *sp = rn[i] ? find_spec(rn[i], &sc_n) : NULL;
        if (!sp || sp == &specs[0])
            return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                                  "unknown render '%s' (known: 5.1 2.0 7.1 5.1.4 5.1-fold "
                                  "7.1-fold 5.1.4-fold loro ltrt binaural scN with N 1..%d)",
                                  rn[i] ? rn[i] : "(null)", OBJR__SC_MAX_ELEMENTS);
        if (sp->sc && x->sc_elements && x->sc_elements != sc_n)
            return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                                  "one spatial coding render per check (sc%zu and sc%zu)",
                                  x->sc_elements, sc_n);
        if (sp->sc)
            x->sc_elements = sc_n;
        for (size_t k = 0; k < x->n_rs; k++)
            if (x->rs[k] == sp)
                sp = NULL;
        if (!sp)
            continue;
        x->rs[x->n_rs++] = sp;
        if (sp->direct && !sp->sc && x->n_layouts < MAX_LAYOUTS)
            x->layouts[x->n_layouts++] = sp->direct;
    }
    objr_folddown *probe = NULL;
    objr_status fs = objr_folddown_create(OBJR_FOLDDOWN_714_TO_LORO, &cfg->folddown, 1, &probe);
    objr_folddown_destroy(probe);
    if (fs != OBJR_OK)
        return objr__diag_set(diag, fs, "", 0, (size_t)-1, "invalid fold-down trims");
    return OBJR_OK;
}

static objr_check_report *new_report(const run_ctx *x, const char *input_path) {
    objr_check_report *rep = objr__calloc(1, sizeof *rep);
    if (!rep)
        return NULL;
    snprintf(rep->input, sizeof rep->input, "%s", input_path);
    rep->th = x->cfg->thresholds;
    rep->fold = x->cfg->folddown;
    for (size_t k = 0; k < x->n_rs; k++)
        if (is_binaural_spec(x->rs[k]))
            rep->has_binaural = 1;
    if (rep->has_binaural) {
        const char *hp = x->cfg->hrtf_path ? x->cfg->hrtf_path : objr__hrtf_default_path();
        if (strlen(hp) < sizeof rep->hrtf_path)
            memcpy(rep->hrtf_path, hp, strlen(hp) + 1);
        rep->binaural_mode = x->cfg->binaural_mode ? x->cfg->binaural_mode : OBJR_BINAURAL_MODE_MID;
    }
    rep->mix_peak_dbfs = -HUGE_VAL;
    return rep;
}

/* The input's Dolby dbmd chunk: the fold-down configuration (DD+ downmix levels and trims,
 * unless the options replace them) and the per-track binaural modes, with report notes. */
static objr_status read_dbmd(run_ctx *x) {
    const objr_check_config *cfg = x->cfg;
    objr_check_report *rep = x->rep;
    objr_status st = objr__check_dbmd_read(objr__mix_source_bwf(x->mix), &cfg->folddown,
                                           cfg->apply_dbmd, rep->has_binaural, &x->dbmd);
    if (st != OBJR_OK)
        return st;
    rep->fold = x->dbmd.fold;
    for (size_t k = 0; k < x->dbmd.n_notes && k < OBJR__CHECK_DBMD_NOTES; k++)
        memcpy(rep->dbmd_notes[k], x->dbmd.notes[k], sizeof rep->dbmd_notes[k]);
    rep->n_dbmd_notes = x->dbmd.n_notes;
    return OBJR_OK;
}

/* Stem formats: one sample rate (else nothing can be rendered: *stop), one bit depth. */
static objr_status stem_formats(run_ctx *x, int *stop) {
    objr_check_report *rep = x->rep;
    *stop = 0;
    if (!(rep->stems = objr__calloc(x->n_stems, sizeof *rep->stems)))
        return OBJR_ERR_NOMEM;
    rep->n_stems = x->n_stems;
    x->total = objr__mix_source_n_frames(x->mix);
    int rate_mismatch = 0, bits_mismatch = 0;
    const objr__audio_info *in0 = &x->stems[0].f->info;
    for (size_t s = 0; s < x->n_stems; s++) {
        objr__check_stem *S = &rep->stems[s];
        const objr__audio_info *in = &x->stems[s].f->info;
        snprintf(S->name, sizeof S->name, "%s", base_name(x->stems[s].f->path));
        S->n_channels = in->n_channels;
        S->sample_rate_hz = in->sample_rate_hz;
        S->bits = in->bits_per_sample;
        S->is_float = in->is_float;
        rate_mismatch |= in->sample_rate_hz != in0->sample_rate_hz;
        bits_mismatch |=
            in->bits_per_sample != in0->bits_per_sample || in->is_float != in0->is_float;
    }
    if (!rate_mismatch && !bits_mismatch)
        return objr__check_add_finding(
            rep, "qc_format", OBJR_CHECK_PASS, "", "", 0.0, "%zu stem file(s), %u Hz, %u-bit%s",
            x->n_stems, (unsigned)in0->sample_rate_hz, (unsigned)in0->bits_per_sample,
            in0->is_float ? " float" : "");
    char list[300] = "";
    for (size_t s = 0; s < x->n_stems; s++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s %u Hz/%u-bit%s", s ? ", " : "",
                 rep->stems[s].name, (unsigned)rep->stems[s].sample_rate_hz,
                 (unsigned)rep->stems[s].bits, rep->stems[s].is_float ? " float" : "");
    }
    *stop = rate_mismatch;
    return objr__check_add_finding(
        rep, "qc_format", rate_mismatch ? OBJR_CHECK_FAIL : OBJR_CHECK_WARN, "", "",
        rate_mismatch ? 1.0 : 0.0, "stems differ in %s: %s",
        rate_mismatch ? "sample rate (nothing rendered)" : "bit depth", list);
}

/* Hop, spectra, stem buffers and QC state; the programme's start for timecodes. */
static objr_status prepare_stream(run_ctx *x) {
    objr_check_report *rep = x->rep;
    x->rate = x->stems[0].f->info.sample_rate_hz;
    rep->sample_rate_hz = x->rate;
    rep->duration_s = (double)x->total / x->rate;
    rep->too_short = rep->duration_s < OBJR__CHECK_MIN_S;
    x->hop = (size_t)lround(x->rate * OBJR__CHECK_HOP_S);
    if (x->hop == 0)
        x->hop = 1;
    size_t n_fft = x->rate <= 50000 ? 65536 : 131072;
    objr_status st = objr__check_fft_init(&x->fft, n_fft);
    if (st != OBJR_OK || (st = objr__check_fft_init(&x->fft2, n_fft)) != OBJR_OK)
        return st;
    if (!(x->zeros = objr__calloc(x->hop, sizeof(float))))
        return OBJR_ERR_NOMEM;
    if ((st = objr__mix_source_prepare(x->mix, x->hop)) != OBJR_OK)
        return st;
    for (size_t s = 0; s < x->n_stems; s++) {
        stem *S = &x->stems[s];
        if (!(S->qc = objr__calloc(S->f->info.n_channels, sizeof *S->qc)))
            return OBJR_ERR_NOMEM;
        for (size_t c = 0; c < S->f->info.n_channels; c++)
            S->qc[c].first_clip_s = -1;
    }
    const objr__adm_model *m = objr__adm_get_model(x->scene);
    for (size_t p = 0; p < m->n_programmes; p++) {
        const objr__adm_programme *P = &m->programmes[p];
        if (x->cfg->programme_id ? strcmp(P->id, x->cfg->programme_id) != 0 : p > 0)
            continue;
        if (P->has_start && objr__adm_time_seconds(P->start) > 0) {
            rep->has_start = 1;
            rep->start_s = objr__adm_time_seconds(P->start);
        }
    }
    return OBJR_OK;
}

/* The stem channel buffer that renderer input @p i reads (zeros when none). */
static const float *input_buffer(const run_ctx *x, const objr_renderer *r, size_t i) {
    uint32_t ti, sc;
    const char *sp;
    (void)objr_renderer_input_source(r, i, &ti, &sp, &sc);
    const float *t = objr__mix_source_track(x->mix, ti, sp, sc);
    return t ? t : x->zeros;
}

/* The full render, its input map and the reference layout's speakers (for the plots). */
static objr_status prepare_full(run_ctx *x, objr_diag *diag) {
    objr_check_report *rep = x->rep;
    objr_status st;
    if ((st = chain_init(x, &x->full, x->scene, CHAIN_SPEAKERS, diag)) != OBJR_OK)
        return st;
    if (rep->has_binaural) {
        if ((st = chain_init(x, &x->bmix, x->scene, CHAIN_BINAURAL_MIX, diag)) != OBJR_OK ||
            (st = vls_init(x, &x->bmix, &rep->renders[0], diag)) != OBJR_OK)
            return st;
        for (size_t i = 0; i < objr_renderer_input_count(x->bmix.rend); i++)
            x->bmix.in[i] = input_buffer(x, x->bmix.rend, i);
    }
    if (x->sc_elements) {
        if ((st = chain_init(x, &x->scc, x->scene, CHAIN_SPATIAL, diag)) != OBJR_OK)
            return st;
        for (size_t i = 0; i < objr_renderer_input_count(x->scc.rend); i++)
            x->scc.in[i] = input_buffer(x, x->scc.rend, i);
    }
    rep->n_renders = x->n_rs;
    x->n_in = objr_renderer_input_count(x->full.rend);
    if (!(x->inmap = objr__calloc(x->n_in ? x->n_in : 1, sizeof *x->inmap)))
        return OBJR_ERR_NOMEM;
    for (size_t i = 0; i < x->n_in; i++)
        x->full.in[i] = x->inmap[i] = input_buffer(x, x->full.rend, i);
    objr_layout *L = NULL;
    if ((st = objr_layout_from_name("7.1.4", &L)) != OBJR_OK)
        return st;
    rep->n_speakers = 12;
    for (size_t ch = 0; ch < 12; ch++) {
        objr_speaker_info si;
        if (objr_layout_channel_info(L, ch, &si) == OBJR_OK) {
            snprintf(rep->speaker_labels[ch], 16, "%s", si.label);
            objr__geom_cart(si.azimuth_deg, si.elevation_deg, 1.0, rep->speakers[ch]);
        }
    }
    objr_layout_destroy(L);
    return OBJR_OK;
}

/* 1 when input @p i of @p r plays track @p U. */
static int input_plays_uid(const objr_renderer *r, size_t i, const objr__adm_uid *U) {
    uint32_t ti, sc;
    const char *sp;
    (void)objr_renderer_input_source(r, i, &ti, &sp, &sc);
    if (ti)
        return U->track_index == ti;
    return sp && U->stem_channel == sc &&
           ((U->stem_path && strcmp(U->stem_path, sp) == 0) ||
            (U->stem_file && strcmp(U->stem_file, sp) == 0));
}

/* The stem buffer of track @p U (NULL when its file is not open) and the renderer input that
 * plays it (SIZE_MAX: none, e.g. a muted object). */
static const float *uid_buffer(const run_ctx *x, const objr__adm_uid *U, size_t *input) {
    *input = SIZE_MAX;
    for (size_t i = 0; i < x->n_in; i++)
        if (input_plays_uid(x->full.rend, i, U)) {
            *input = i;
            return x->inmap[i];
        }
    return objr__mix_source_track(x->mix, U->track_index, U->stem_path, U->stem_channel);
}

/* The sources (one per track) of object @p ob as report object @p o. */
static size_t object_sources(const run_ctx *x, const objr__adm_model *m, const objr__adm_object *ob,
                             size_t o, objr__objpass_source *src) {
    size_t n = 0;
    char lab[200];
    objr__check_object_label(&x->rep->objects[o], lab, sizeof lab);
    for (size_t u = 0; u < ob->track_uids.n; u++) {
        int32_t ui = ob->track_uids.items[u].idx;
        if (ui < 0 || (size_t)ui >= m->n_uids)
            continue;
        const objr__adm_uid *U = &m->uids[ui];
        size_t input;
        const float *buf = uid_buffer(x, U, &input);
        if (!buf)
            continue;
        objr__objpass_source *s = &src[n++];
        s->object = o;
        s->input = input;
        s->x = buf;
        int32_t ci = U->resolved_channel;
        const char *chn = ci >= 0 && (size_t)ci < m->n_channels && m->channels[ci].name
                              ? m->channels[ci].name
                              : "";
        if (ob->track_uids.n > 1)
            snprintf(s->label, sizeof s->label, "%.100s %.50s", lab, chn);
        else
            snprintf(s->label, sizeof s->label, "%.150s", lab);
    }
    return n;
}

/* How the object pass sees render k: the renderer outputs of a direct layout, or the 7.1.4
 * and the fold-down matrix. */
static objr_status objpass_render(const run_ctx *x, size_t k, objr__objpass_render *R) {
    const render_spec *sp = x->rs[k];
    const objr__check_render *C = &x->rep->renders[k];
    memset(R, 0, sizeof *R);
    if (spec_chain(sp) != CHAIN_SPEAKERS) /* not a gain matrix of the loudspeaker renderer */
        return OBJR_OK;
    R->from_gains = 1;
    R->n_ch = C->n_channels;
    R->stereo = C->is_stereo;
    const char *lp[16];
    for (size_t c = 0; c < C->n_channels; c++)
        lp[c] = C->labels[c];
    if (objr_loudness_weights_from_labels(lp, (unsigned)C->n_channels, R->w) != OBJR_OK)
        objr_loudness_weights_default((unsigned)C->n_channels, R->w);
    if (sp->direct) {
        size_t l = 0;
        while (l < x->full.n_lays && strcmp(x->full.lays[l], sp->direct) != 0)
            l++;
        const char *name;
        size_t n;
        uint32_t mask;
        return objr_renderer_layout_info(x->full.rend, l, &name, &R->first, &n, &mask);
    }
    R->fold = 1;
    R->first = x->full.first714;
    return objr_folddown_matrix((objr_folddown_kind)sp->fold, &x->dbmd.fold, R->m, R->h);
}

/* The check's scene edited for one object alone (the renderer of a sampled binaural object):
 * every other object that carries tracks, unless it contains @p keep, is muted, and the
 * channels that only those objects play keep their first block. The renderer then holds and
 * interprets one object's metadata, not the whole session's (a sampled object costs what its
 * own metadata costs, whatever the length and size of the session). solo_restore() undoes the
 * edit right after objr__renderer_create_shared(): the renderer's items keep the edited block
 * counts and borrow the (shared, read-only from then on) model's blocks. */
typedef struct solo_edit {
    size_t *n_blocks; /* per channel: the count before the edit */
    int *mute, *has_mute;
    char *keep;    /* per object: @p keep or an object containing it */
    char *keep_ch; /* per channel: played by a kept object */
} solo_edit;

static void solo_restore(objr__adm_model *m, solo_edit *e) {
    for (size_t c = 0; e->n_blocks && c < m->n_channels; c++)
        m->channels[c].n_blocks = e->n_blocks[c];
    for (size_t o = 0; e->mute && o < m->n_objects; o++) {
        m->objects[o].mute = e->mute[o];
        m->objects[o].has_mute = e->has_mute[o];
    }
    objr__freep(&e->n_blocks);
    objr__freep(&e->mute);
    objr__freep(&e->has_mute);
    objr__freep(&e->keep);
    objr__freep(&e->keep_ch);
}

/* The objects that contain @p keep (nested audioObjectIDRefs), and @p keep. */
static void solo_mark_keep(const objr__adm_model *m, size_t keep, char *mark) {
    mark[keep] = 1;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t o = 0; o < m->n_objects; o++)
            for (size_t i = 0; !mark[o] && i < m->objects[o].objects.n; i++) {
                int32_t ch = m->objects[o].objects.items[i].idx;
                if (ch >= 0 && (size_t)ch < m->n_objects && mark[ch]) {
                    mark[o] = 1;
                    changed = 1;
                }
            }
    }
}

static objr_status solo_apply(objr__adm_model *m, size_t keep, solo_edit *e) {
    memset(e, 0, sizeof *e);
    size_t no = m->n_objects ? m->n_objects : 1, nc = m->n_channels ? m->n_channels : 1;
    if (!(e->n_blocks = objr__calloc(nc, sizeof *e->n_blocks)) ||
        !(e->mute = objr__calloc(no, sizeof *e->mute)) ||
        !(e->has_mute = objr__calloc(no, sizeof *e->has_mute)) ||
        !(e->keep = objr__calloc(no, 1)) || !(e->keep_ch = objr__calloc(nc, 1))) {
        solo_restore(m, e);
        return OBJR_ERR_NOMEM;
    }
    solo_mark_keep(m, keep, e->keep);
    for (size_t o = 0; o < m->n_objects; o++) {
        const objr__adm_object *ob = &m->objects[o];
        for (size_t u = 0; e->keep[o] && u < ob->track_uids.n; u++) {
            int32_t ui = ob->track_uids.items[u].idx;
            int32_t ci = ui >= 0 && (size_t)ui < m->n_uids ? m->uids[ui].resolved_channel : -1;
            if (ci >= 0 && (size_t)ci < m->n_channels)
                e->keep_ch[ci] = 1;
        }
    }
    for (size_t c = 0; c < m->n_channels; c++) {
        e->n_blocks[c] = m->channels[c].n_blocks;
        if (!e->keep_ch[c] && m->channels[c].n_blocks > 1)
            m->channels[c].n_blocks = 1;
    }
    for (size_t o = 0; o < m->n_objects; o++) {
        objr__adm_object *ob = &m->objects[o];
        e->mute[o] = ob->mute;
        e->has_mute[o] = ob->has_mute;
        if (!e->keep[o] && ob->track_uids.n) {
            ob->mute = 1;
            ob->has_mute = 1;
        }
    }
    return OBJR_OK;
}

/* The binaural chain of report object @p o alone: a renderer of the scene edited to that
 * object (solo_apply), its inputs the object's tracks and silence elsewhere. */
static objr_status binaural_object_chain(run_ctx *x, chain *c, size_t o, objr_diag *diag) {
    objr__adm_model *m = objr__adm_get_model_mut(x->scene);
    size_t keep = 0;
    while (keep < m->n_objects && strcmp(m->objects[keep].id, x->rep->objects[o].id) != 0)
        keep++;
    if (keep == m->n_objects)
        return OBJR_ERR_INTERNAL;
    solo_edit e;
    objr_status st = solo_apply(m, keep, &e);
    if (st != OBJR_OK)
        return st;
    st = chain_init(x, c, x->scene, CHAIN_BINAURAL_OBJECT, diag);
    solo_restore(m, &e);
    if (st != OBJR_OK)
        return st;
    const objr__adm_object *ob = &m->objects[keep];
    for (size_t i = 0; i < objr_renderer_input_count(c->rend); i++) {
        c->in[i] = x->zeros;
        for (size_t u = 0; u < ob->track_uids.n; u++) {
            int32_t ui = ob->track_uids.items[u].idx;
            if (ui >= 0 && (size_t)ui < m->n_uids && input_plays_uid(c->rend, i, &m->uids[ui]))
                c->in[i] = input_buffer(x, c->rend, i);
        }
    }
    return OBJR_OK;
}

/* The first max_binaural_objects objects that play, each alone through the binaural render
 * (HRTF filtering is not a gain: these figures stay sampled). */
static objr_status prepare_binaural_objects(run_ctx *x, const objr__objpass_source *src,
                                            size_t n_src, objr_diag *diag) {
    objr_check_report *rep = x->rep;
    size_t cap = x->cfg->max_binaural_objects < rep->n_objects ? x->cfg->max_binaural_objects
                                                               : rep->n_objects;
    if (!(x->bobj = objr__calloc(cap ? cap : 1, sizeof *x->bobj)) ||
        !(x->bobj_obj = objr__calloc(cap ? cap : 1, sizeof *x->bobj_obj)))
        return OBJR_ERR_NOMEM;
    for (size_t o = 0; o < rep->n_objects && x->n_bobj < cap; o++) {
        int plays = 0;
        for (size_t i = 0; i < n_src; i++)
            plays |= src[i].object == o && src[i].input != SIZE_MAX;
        if (!plays)
            continue;
        chain *c = &x->bobj[x->n_bobj];
        x->bobj_obj[x->n_bobj++] = o;
        objr_status st = binaural_object_chain(x, c, o, diag);
        if (st != OBJR_OK)
            return st;
    }
    rep->n_objects_binaural = x->n_bobj;
    return OBJR_OK;
}

/* Read one hop of every audio file (silence past its end; NaN/Inf an error naming the file,
 * track and time, or repaired). */
static objr_status read_hop(run_ctx *x, size_t n, objr_diag *diag) {
    return objr__mix_source_read(x->mix, n, n, diag);
}

/* The stem QC of one hop. */
static void qc_hop(run_ctx *x, uint64_t pos, size_t n) {
    for (size_t s = 0; s < x->n_stems; s++) {
        stem *S = &x->stems[s];
        for (size_t c = 0; c < S->f->info.n_channels; c++)
            objr__check_qc_block(&S->qc[c], S->f->buf[c], n, pos, x->rate, &x->cfg->thresholds);
    }
}

/* The stem QC, the fold-downs of the 7.1.4 and the binaural chains (the mix, the reference at
 * the ears, the sampled objects) run on a second thread, hop by hop in step with the
 * loudspeaker chain: both read the same stem buffers and the 7.1.4 of the hop, which change
 * only between hops. */
typedef struct worker {
    run_ctx *x;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int job, quit;
    uint64_t pos;
    size_t n;
    objr_status st;
} worker;

static objr_status side_hop(run_ctx *x, uint64_t pos, size_t n) {
    qc_hop(x, pos, n);
    objr_status st = chain_analyse(x, &x->full, n, pos, &x->fft2, PART_FOLD);
    if (st == OBJR_OK && x->scc.rend)
        st = chain_process(x, &x->scc, n, pos, &x->fft2);
    if (!x->bmix.rend || st != OBJR_OK)
        return st;
    st = chain_process(x, &x->bmix, n, pos, &x->fft2);
    for (size_t k = 0; k < x->n_bobj && st == OBJR_OK; k++)
        st = chain_process(x, &x->bobj[k], n, pos, &x->fft2);
    return st;
}

static void *worker_main(void *arg) {
    worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->job && !w->quit)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->quit)
            break;
        uint64_t pos = w->pos;
        size_t n = w->n;
        pthread_mutex_unlock(&w->mu);
        objr_status st = side_hop(w->x, pos, n);
        pthread_mutex_lock(&w->mu);
        w->st = st;
        w->job = 0;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void worker_post(worker *w, uint64_t pos, size_t n) {
    pthread_mutex_lock(&w->mu);
    w->pos = pos;
    w->n = n;
    w->job = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

static objr_status worker_wait(worker *w) {
    pthread_mutex_lock(&w->mu);
    while (w->job)
        pthread_cond_wait(&w->cv, &w->mu);
    objr_status st = w->st;
    pthread_mutex_unlock(&w->mu);
    return st;
}

static void worker_stop(worker *w) {
    pthread_mutex_lock(&w->mu);
    w->quit = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
}

/* One streaming pass: the loudspeaker render, its direct analysers and the object pass; the
 * stem QC, the fold-downs and the binaural chains beside them (on the worker thread when one
 * could be started). */
static objr_status stream(run_ctx *x, objr_diag *diag) {
    objr_status st = OBJR_OK;
    worker w;
    memset(&w, 0, sizeof w);
    w.x = x;
    int threaded = 0;
    if (pthread_mutex_init(&w.mu, NULL) == 0) {
        if (pthread_cond_init(&w.cv, NULL) == 0 &&
            pthread_create(&w.th, NULL, worker_main, &w) == 0)
            threaded = 1;
        else
            pthread_mutex_destroy(&w.mu);
    }
    for (uint64_t pos = 0; pos < x->total && st == OBJR_OK;) {
        size_t n = x->total - pos < x->hop ? (size_t)(x->total - pos) : x->hop;
        if ((st = read_hop(x, n, diag)) != OBJR_OK)
            break;
        /* the 7.1.4 and direct renders of this hop; then, beside the direct analysers and the
         * object pass, the worker's QC, fold-downs and binaural chains */
        if ((st = objr_renderer_process(x->full.rend, x->full.in, x->full.out, n)) != OBJR_OK)
            break;
        if (threaded)
            worker_post(&w, pos, n);
        st = chain_analyse(x, &x->full, n, pos, &x->fft, PART_DIRECT);
        if (st == OBJR_OK)
            st = objr__objpass_hop(x->op, x->full.rend, pos, n);
        objr_status sb = threaded ? worker_wait(&w) : side_hop(x, pos, n);
        if (st == OBJR_OK)
            st = sb;
        pos += n;
        progress(x, "checking", (double)pos / (double)x->total, 0);
    }
    if (threaded)
        worker_stop(&w);
    return st;
}

static objr_status collect_render(run_ctx *x, size_t k) {
    objr_check_report *rep = x->rep;
    chain_mode cm = spec_chain(x->rs[k]);
    objr__check_analyser *a = cm == CHAIN_BINAURAL_MIX ? &x->bmix.an[k]
                              : cm == CHAIN_SPATIAL    ? &x->scc.an[k]
                                                       : &x->full.an[k];
    objr__check_render *R = &rep->renders[k];
    objr_loudness_result lr;
    objr_loudness_meter_get(a->meter, &lr);
    R->integrated_lufs = lr.integrated_lufs;
    R->lra_lu = lr.range_lu;
    R->true_peak_dbtp = lr.true_peak_dbtp;
    R->sample_peak_dbfs = lr.sample_peak_dbfs;
    R->limiter_db =
        isfinite(lr.true_peak_dbtp) && lr.true_peak_dbtp > rep->th.true_peak_ceiling_dbtp
            ? lr.true_peak_dbtp - rep->th.true_peak_ceiling_dbtp
            : 0.0;
    R->peak_t_s = (double)a->peak_pos / x->rate;
    R->st = a->st;
    R->n_st = a->n_st;
    a->st = NULL;
    R->st_max_lufs = -HUGE_VAL;
    for (size_t i = 0; i < R->n_st; i++)
        if (R->st[i] > R->st_max_lufs) {
            R->st_max_lufs = R->st[i];
            R->st_max_t_s = (double)((i + 1) * x->hop) / x->rate;
        }
    if (R->is_stereo) {
        R->corr = a->corr;
        R->n_corr = a->n_corr;
        a->corr = NULL;
        R->corr_global = a->g_ll > 0 && a->g_rr > 0 ? a->g_lr / sqrt(a->g_ll * a->g_rr) : NAN;
        objr__check_corr_stats(R, x->rate, x->hop);
        objr_loudness_result mr;
        objr_loudness_meter_get(a->mono, &mr);
        /* against the stereo loudness of what the mono sum is made of (Lt/Rt: the front paths;
         * the surround path cancels in the sum by design) */
        double ref = lr.integrated_lufs;
        if (R->is_ltrt && a->fmeter) {
            objr_loudness_result fr;
            objr_loudness_meter_get(a->fmeter, &fr);
            ref = fr.integrated_lufs;
            R->surround_share_lu = isfinite(ref) ? lr.integrated_lufs - ref : HUGE_VAL;
        }
        R->mono_loss_lu = isfinite(ref) ? mr.integrated_lufs - ref : 0.0;
        if (R->mono_loss_lu == -HUGE_VAL && !isfinite(mr.integrated_lufs) && !isfinite(ref))
            R->mono_loss_lu = 0.0;
        R->s_over_m_db =
            a->e_m > 0 ? objr__check_db_pow(a->e_s / a->e_m) : (a->e_s > 0 ? HUGE_VAL : NAN);
    }
    objr__check_band_levels(&a->spec, &x->fft, x->rate, R->band_db);
    if (k == 0)
        objr__check_lfe_figures(rep, &a->spec, x->rate, a->frames);
    if (k == 0) {
        rep->mix_peak_dbfs = a->peak > 0 ? 20.0 * log10(a->peak) : -HUGE_VAL;
        rep->lead_silence_s = a->any_loud ? (double)a->first_loud / x->rate : rep->duration_s;
        rep->trail_silence_s =
            a->any_loud ? (double)(a->frames - 1 - a->last_loud) / x->rate : rep->duration_s;
    }
    return OBJR_OK;
}

/* Objects: every object with tracks (muted ones too: a stem with signal behind gain 0 or mute
 * is a finding), its sources, the one-pass analysis, and the first objects alone through the
 * binaural render. */
static objr_status prepare_objects(run_ctx *x, objr_diag *diag) {
    objr_check_report *rep = x->rep;
    const objr__adm_model *m = objr__adm_get_model(x->scene);
    size_t no = m->n_objects ? m->n_objects : 1;
    rep->objects = objr__calloc(no, sizeof *rep->objects);
    objr__objpass_source *src = objr__calloc(m->n_uids ? m->n_uids : 1, sizeof *src);
    objr__objpass_render rr[OBJR_CHECK_MAX_RENDERS];
    size_t n_src = 0;
    objr_status st = rep->objects && src ? OBJR_OK : OBJR_ERR_NOMEM;
    for (size_t o = 0; st == OBJR_OK && o < m->n_objects && x->cfg->per_object; o++) {
        const objr__adm_object *ob = &m->objects[o];
        if (ob->track_uids.n == 0)
            continue;
        if (rep->n_objects >= x->cfg->max_objects) {
            rep->n_objects_not_measured++;
            continue;
        }
        objr__check_object *R = &rep->objects[rep->n_objects];
        snprintf(R->id, sizeof R->id, "%s", ob->id);
        snprintf(R->name, sizeof R->name, "%s", ob->name ? ob->name : "");
        if (ob->packs.n && ob->packs.items[0].idx >= 0)
            R->type = m->packs[ob->packs.items[0].idx].type;
        objr__check_object_positions(m, ob, R);
        R->multi_channel = ob->track_uids.n > 1;
        for (size_t k = 0; k < OBJR_CHECK_MAX_RENDERS; k++)
            R->level_lufs[k] = R->margin_db[k] = NAN;
        R->sc_err_deg = R->sc_err_t_s = NAN;
        size_t ns = object_sources(x, m, ob, rep->n_objects, src + n_src);
        if (ns == 0) {
            memset(R, 0, sizeof *R);
            continue;
        }
        n_src += ns;
        rep->n_objects++;
    }
    for (size_t k = 0; st == OBJR_OK && k < x->n_rs; k++)
        st = objpass_render(x, k, &rr[k]);
    if (st == OBJR_OK)
        st = objr__objpass_create(rr, x->n_rs, src, n_src, rep->n_objects, x->n_in,
                                  objr_renderer_output_count(x->full.rend), x->rate, x->hop,
                                  x->cfg->thresholds.silence_level_dbfs, &x->op);
    if (st == OBJR_OK && rep->has_binaural)
        st = prepare_binaural_objects(x, src, n_src, diag);
    objr__freep(&src);
    return st;
}

static void collect_stems(run_ctx *x) {
    for (size_t s = 0; s < x->n_stems; s++)
        objr__check_qc_collect(&x->rep->stems[s], x->stems[s].qc, x->stems[s].f->info.n_channels,
                               x->total, x->rate, x->rep->duration_s);
}

/* Spatial coding render k: its position errors, and each object's largest over its tracks
 * (the inputs of the coded renderer that play them). Object levels are not measured through
 * the clustering (its gains change per 21 ms frame and are no renderer gain matrix). */
static void collect_spatial(run_ctx *x, size_t k) {
    objr_check_report *rep = x->rep;
    const objr__sc_stage *sc = objr__renderer_spatial_stage(x->scc.rend);
    const objr__adm_model *m = objr__adm_get_model(x->scene);
    objr__check_render *R = &rep->renders[k];
    if (!sc)
        return;
    objr__sc_stage_error(sc, &R->sc_mean_err_deg, &R->sc_max_err_deg);
    for (size_t o = 0; o < rep->n_objects; o++) {
        objr__check_object *O = &rep->objects[o];
        O->level_lufs[k] = O->margin_db[k] = NAN;
        O->mono_lufs[k] = -HUGE_VAL;
        const objr__adm_object *ob = NULL;
        for (size_t i = 0; i < m->n_objects && !ob; i++)
            if (strcmp(m->objects[i].id, O->id) == 0)
                ob = &m->objects[i];
        for (size_t u = 0; ob && u < ob->track_uids.n; u++) {
            int32_t ui = ob->track_uids.items[u].idx;
            for (size_t i = 0;
                 ui >= 0 && (size_t)ui < m->n_uids && i < objr_renderer_input_count(x->scc.rend);
                 i++) {
                double t = 0, e;
                if (!input_plays_uid(x->scc.rend, i, &m->uids[ui]) ||
                    (e = objr__sc_stage_input_error(sc, i, &t)) < 0)
                    continue;
                if (isnan(O->sc_err_deg) || e > O->sc_err_deg) {
                    O->sc_err_deg = e;
                    O->sc_err_t_s = t;
                }
            }
        }
    }
}

/* Per-object figures: the object pass for the loudspeaker renders, the sampled binaural
 * chains for the headphone render. */
static void collect_objects(run_ctx *x) {
    objr_check_report *rep = x->rep;
    if (x->op)
        objr__objpass_collect(x->op, rep);
    for (size_t k = 0; k < x->n_rs; k++) {
        if (rep->renders[k].sc_elements)
            collect_spatial(x, k);
        if (!rep->renders[k].is_binaural)
            continue;
        for (size_t o = 0; o < rep->n_objects; o++) {
            rep->objects[o].level_lufs[k] = NAN;
            rep->objects[o].mono_lufs[k] = -HUGE_VAL;
        }
        for (size_t j = 0; j < x->n_bobj; j++) {
            objr_loudness_result lr;
            objr_loudness_meter_get(x->bobj[j].an[k].meter, &lr);
            rep->objects[x->bobj_obj[j]].level_lufs[k] = lr.integrated_lufs;
        }
    }
}

/* Repaired NaN/Inf samples: one warning for the whole run. */
static void nonfinite_warning(const run_ctx *x, const char *input_path) {
    char line[OBJR_DIAG_MESSAGE_SIZE], msg[OBJR_DIAG_MESSAGE_SIZE + 600];
    if (objr__mix_source_nonfinite(x->mix, line, sizeof line) && x->cfg->warning) {
        snprintf(msg, sizeof msg, "%.500s: %s measured as silence", input_path, line);
        x->cfg->warning(x->cfg->warning_user, msg);
    }
}

objr_status objr_check_run(const char *input_path, const objr_check_config *cfg,
                           objr_check_report **out, objr_diag *diag) {
    *out = NULL;
    if (diag) /* as the other entry points: the diagnostic describes this call only */
        objr_diag_clear(diag);
    objr_check_config defcfg = objr_check_config_default();
    run_ctx x;
    memset(&x, 0, sizeof x);
    objr_status st = setup_renders(&x, cfg ? cfg : &defcfg, diag);
    if (st != OBJR_OK)
        return st;
    objr_check_report *rep = x.rep = new_report(&x, input_path);
    if (!rep)
        return OBJR_ERR_NOMEM;
    int stop = 0;
    if ((st = open_input(&x, input_path, diag)) != OBJR_OK || (st = read_dbmd(&x)) != OBJR_OK ||
        (st = stem_formats(&x, &stop)) != OBJR_OK)
        goto fail;
    if (!stop) {
        progress(&x, "preparing", 0.0, 1);
        if ((st = prepare_stream(&x)) != OBJR_OK || (st = prepare_full(&x, diag)) != OBJR_OK ||
            (st = prepare_objects(&x, diag)) != OBJR_OK || (st = stream(&x, diag)) != OBJR_OK)
            goto fail;
        for (size_t k = 0; k < x.n_rs; k++)
            if ((st = collect_render(&x, k)) != OBJR_OK)
                goto fail;
        if (x.bmix.vls) { /* the reference at the ears */
            objr_loudness_result lr;
            objr_loudness_meter_get(x.bmix.ear.meter, &lr);
            rep->ear_ref_lufs = lr.integrated_lufs;
            objr__check_band_levels(&x.bmix.ear.spec, &x.fft, x.rate, rep->ear_ref_db);
        }
        collect_stems(&x);
        collect_objects(&x);
        nonfinite_warning(&x, input_path);
        objr__check_findings(rep);
        progress(&x, "done", 1.0, 1);
    }
    ctx_free(&x);
    *out = rep;
    return OBJR_OK;
fail:
    ctx_free(&x);
    objr_check_report_destroy(rep);
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* Accessors                                                                                 */

objr_check_verdict objr_check_report_verdict(const objr_check_report *r) {
    objr_check_verdict v = OBJR_CHECK_PASS;
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].verdict > v)
            v = r->findings[i].verdict;
    return v;
}

size_t objr_check_report_finding_count(const objr_check_report *r) {
    return r->n_findings;
}

objr_status objr_check_report_get_finding(const objr_check_report *r, size_t i,
                                          objr_check_finding *out) {
    if (i >= r->n_findings)
        return OBJR_ERR_INVALID_ARG;
    const objr__check_finding *f = &r->findings[i];
    out->check = f->check;
    out->verdict = f->verdict;
    out->render = f->render;
    out->subject = f->subject;
    out->value = f->value;
    out->message = f->message;
    return OBJR_OK;
}

objr_status objr_check_report_binaural(const objr_check_report *r, const char **hrtf_path,
                                       int *binaural_mode) {
    if (!r->has_binaural)
        return OBJR_ERR_INVALID_ARG;
    *hrtf_path = r->hrtf_path;
    *binaural_mode = r->binaural_mode;
    return OBJR_OK;
}

objr_status objr_check_report_render_loudness(const objr_check_report *r, const char *name,
                                              double *integrated_lufs, double *range_lu,
                                              double *true_peak_dbtp) {
    for (size_t k = 0; k < r->n_renders; k++)
        if (strcmp(r->renders[k].key, name) == 0 || strcmp(r->renders[k].name, name) == 0) {
            *integrated_lufs = r->renders[k].integrated_lufs;
            *range_lu = r->renders[k].lra_lu;
            *true_peak_dbtp = r->renders[k].true_peak_dbtp;
            return OBJR_OK;
        }
    return OBJR_ERR_INVALID_ARG;
}
