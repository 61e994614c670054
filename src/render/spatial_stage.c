/* SPDX-License-Identifier: BSD-3-Clause */
/* The spatial coding stage (spatial_stage.h): source facts from the render items' block
 * formats (BS.2076-2 positions mapped into the BS.2127-1 §10 cube), frame energies, the
 * clustering of renderers/spatial_coding.h, and the render of merged elements through the
 * BS.2127-1 §7.3 Objects gain calculator with gains ramped linearly across each frame. */
#include "src/render/spatial_stage.h"

#include <math.h>
#include <string.h>

#include "renderers/loudspeaker/allocentric.h"
#include "renderers/spatial_coding.h"
#include "src/dsp/mix.h"

struct objr__sc_stage {
    objr__sc_stage_config cfg;
    objr__engine_layout *layouts;
    const objr__objects_gaincalc **gaincalc; /* per layout (the array copied) */
    objr__sc *sc;
    objr__mixdsp dsp;
    size_t frame_len, ne, ni, no;
    int64_t clock;
    int *is_lfe, *coded; /* per input */
    size_t *item_cursor; /* per item: the block last found */
    objr__sc_source *src;
    double *acc;    /* per input: sum of squares over the current frame */
    double *gain;   /* per input: source gain at the last frame boundary */
    float *a0, *a1; /* per input: gain of the part that plays as itself (engine path) */
    float *c0, *c1; /* n_inputs x ne: gain of input in merged element (matrix x source gain) */
    float *p0, *p1; /* ne x n_outputs: element pan gains */
    float *pass;    /* n_inputs x max_frames: scaled engine inputs */
    float *zeros;
    const float **engine_in;
    float *el_sig;  /* ne x max_frames */
    float *el_out;  /* n_outputs x max_frames */
    float **ptrs;   /* scratch pointer list (max(ne, n_outputs)) */
    float *g0, *g1; /* scratch gains */
    float *ring;    /* n_outputs x latency */
    size_t ring_pos;
    int any_merged; /* this call rendered something into el_out */
    double err_sum, err_w, err_max;
    size_t worst_input;
    double worst_time_s;
    double *in_err_max, *in_err_t; /* per input: its largest error (-1: never judged), when */
};

void objr__sc_stage_destroy(objr__sc_stage *st) {
    if (!st)
        return;
    objr__sc_destroy(st->sc);
    objr__freep(&st->in_err_max);
    objr__freep(&st->in_err_t);
    objr__freep(&st->layouts);
    objr__freep(&st->gaincalc);
    objr__freep(&st->is_lfe);
    objr__freep(&st->coded);
    objr__freep(&st->item_cursor);
    objr__freep(&st->src);
    objr__freep(&st->acc);
    objr__freep(&st->gain);
    objr__freep(&st->a0);
    objr__freep(&st->a1);
    objr__freep(&st->c0);
    objr__freep(&st->c1);
    objr__freep(&st->p0);
    objr__freep(&st->p1);
    objr__freep(&st->pass);
    objr__freep(&st->zeros);
    objr__freep(&st->engine_in);
    objr__freep(&st->el_sig);
    objr__freep(&st->el_out);
    objr__freep(&st->ptrs);
    objr__freep(&st->g0);
    objr__freep(&st->g1);
    objr__freep(&st->ring);
    objr__freep(&st);
}

static float *alloc_f(size_t a, size_t b) {
    size_t n;
    return objr__mul_size(a ? a : 1, b ? b : 1, &n) ? objr__calloc(n, sizeof(float)) : NULL;
}

objr_status objr__sc_stage_create(const objr__sc_stage_config *cfg, objr__sc_stage **out) {
    *out = NULL;
    if (!cfg || cfg->n_elements < 1 || cfg->n_elements > OBJR__SC_MAX_ELEMENTS ||
        !(cfg->sample_rate_hz > 0) || cfg->n_inputs == 0 || cfg->max_frames == 0 || !cfg->layouts ||
        !cfg->gaincalc || cfg->n_layouts == 0)
        return OBJR_ERR_INVALID_ARG;
    objr__sc_stage *st = objr__calloc(1, sizeof *st);
    if (!st)
        return OBJR_ERR_NOMEM;
    st->cfg = *cfg;
    st->ne = cfg->n_elements;
    st->ni = cfg->n_inputs;
    st->no = cfg->n_outputs;
    st->frame_len = (size_t)lround(OBJR__SC_FRAME_S * cfg->sample_rate_hz);
    if (st->frame_len < 1)
        st->frame_len = 1;
    objr__mixdsp_init(&st->dsp, cfg->cpu);
    const size_t mf = cfg->max_frames, nw = st->ne > st->no ? st->ne : st->no;
    st->layouts = objr__calloc(cfg->n_layouts, sizeof *st->layouts);
    st->gaincalc = objr__calloc(cfg->n_layouts, sizeof *st->gaincalc);
    st->is_lfe = objr__calloc(st->ni, sizeof *st->is_lfe);
    st->coded = objr__calloc(st->ni, sizeof *st->coded);
    st->item_cursor = objr__calloc(cfg->n_items ? cfg->n_items : 1, sizeof *st->item_cursor);
    st->src = objr__calloc(st->ni, sizeof *st->src);
    st->acc = objr__calloc(st->ni, sizeof *st->acc);
    st->gain = objr__calloc(st->ni, sizeof *st->gain);
    st->a0 = alloc_f(st->ni, 1);
    st->a1 = alloc_f(st->ni, 1);
    st->c0 = alloc_f(st->ni, st->ne);
    st->c1 = alloc_f(st->ni, st->ne);
    st->p0 = alloc_f(st->ne, st->no);
    st->p1 = alloc_f(st->ne, st->no);
    st->pass = alloc_f(st->ni, mf);
    st->zeros = alloc_f(mf, 1);
    st->engine_in = objr__calloc(st->ni, sizeof *st->engine_in);
    st->el_sig = alloc_f(st->ne, mf);
    st->el_out = alloc_f(st->no, mf);
    st->ptrs = objr__calloc(nw, sizeof *st->ptrs);
    st->g0 = alloc_f(nw, 1);
    st->g1 = alloc_f(nw, 1);
    st->ring = alloc_f(st->no, cfg->latency);
    if (!st->layouts || !st->gaincalc || !st->is_lfe || !st->coded || !st->item_cursor ||
        !st->src || !st->acc || !st->gain || !st->a0 || !st->a1 || !st->c0 || !st->c1 || !st->p0 ||
        !st->p1 || !st->pass || !st->zeros || !st->engine_in || !st->el_sig || !st->el_out ||
        !st->ptrs || !st->g0 || !st->g1 || !st->ring)
        goto fail;
    memcpy(st->layouts, cfg->layouts, cfg->n_layouts * sizeof *st->layouts);
    memcpy(st->gaincalc, cfg->gaincalc, cfg->n_layouts * sizeof *st->gaincalc);
    /* An input is coded when Objects or DirectSpeakers items read it; HOA inputs play as
     * themselves (a sound field has no one position). LFE DirectSpeakers share one element. */
    for (size_t i = 0; i < cfg->n_items; i++) {
        const objr__render_item *it = &cfg->items[i];
        if (it->input >= st->ni)
            goto fail_arg;
        if (it->type == OBJR__TYPE_OBJECTS || it->type == OBJR__TYPE_DIRECT_SPEAKERS)
            st->coded[it->input] = 1;
        if (it->is_lfe)
            st->is_lfe[it->input] = 1;
    }
    for (size_t i = 0; i < cfg->n_items; i++)
        if (cfg->items[i].type == OBJR__TYPE_HOA)
            st->coded[cfg->items[i].input] = 0;
    objr__sc_config sc = objr__sc_config_default();
    sc.n_sources = st->ni;
    sc.n_elements = st->ne;
    sc.is_lfe = st->is_lfe;
    sc.frame_s = (double)st->frame_len / cfg->sample_rate_hz;
    objr_status s = objr__sc_create(&sc, &st->sc);
    if (s != OBJR_OK) {
        objr__sc_stage_destroy(st);
        return s;
    }
    st->worst_input = SIZE_MAX;
    st->in_err_max = objr__calloc(st->ni ? st->ni : 1, sizeof *st->in_err_max);
    st->in_err_t = objr__calloc(st->ni ? st->ni : 1, sizeof *st->in_err_t);
    if (!st->in_err_max || !st->in_err_t) {
        objr__sc_stage_destroy(st);
        return OBJR_ERR_NOMEM;
    }
    for (size_t i = 0; i < st->ni; i++)
        st->in_err_max[i] = -1.0;
    objr__sc_stage_seek(st, 0);
    *out = st;
    return OBJR_OK;
fail_arg:
    objr__sc_stage_destroy(st);
    return OBJR_ERR_INVALID_ARG;
fail:
    objr__sc_stage_destroy(st);
    return OBJR_ERR_NOMEM;
}

void objr__sc_stage_seek(objr__sc_stage *st, int64_t frame) {
    st->clock = frame;
    objr__sc_reset(st->sc);
    for (size_t i = 0; i < st->ni; i++) {
        st->a0[i] = st->a1[i] = 1.0f; /* until the first frame is analysed: as itself */
        st->acc[i] = 0.0;
    }
    memset(st->c0, 0, st->ni * st->ne * sizeof *st->c0);
    memset(st->c1, 0, st->ni * st->ne * sizeof *st->c1);
    memset(st->p0, 0, st->ne * st->no * sizeof *st->p0);
    memset(st->p1, 0, st->ne * st->no * sizeof *st->p1);
    memset(st->item_cursor, 0, (st->cfg.n_items ? st->cfg.n_items : 1) * sizeof *st->item_cursor);
    if (st->cfg.latency)
        memset(st->ring, 0, st->no * st->cfg.latency * sizeof *st->ring);
    st->ring_pos = 0;
}

/* ---- source facts ------------------------------------------------------------------------ */

static const objr__adm_block_common *common_of(const objr__render_item *it, size_t k) {
    return it->type == OBJR__TYPE_OBJECTS ? &it->obj_blocks[k].c : &it->ds_blocks[k].c;
}

/* [start, end) of block k of an item, seconds on the programme timeline. */
static void block_span(const objr__render_item *it, size_t k, double *start, double *end) {
    const objr__adm_block_common *c = common_of(it, k);
    const double obj_end = it->has_duration ? it->start_s + it->duration_s : INFINITY;
    *start = it->start_s;
    *end = obj_end;
    if (c->has_rtime) {
        *start = it->start_s + objr__adm_time_seconds(c->rtime);
        if (c->has_duration)
            *end = *start + objr__adm_time_seconds(c->duration);
    }
    if (*end > obj_end)
        *end = obj_end;
}

static void block_pos(const objr__render_item *it, size_t k, double out[3]) {
    if (it->type == OBJR__TYPE_OBJECTS) {
        const objr__adm_position *p = &it->obj_blocks[k].pos;
        if (p->cartesian) {
            out[0] = p->x;
            out[1] = p->y;
            out[2] = p->z;
        } else {
            objr__point_polar_to_cart(p->azimuth_deg, p->elevation_deg, p->distance, out);
        }
        return;
    }
    const objr__adm_block_direct_speakers *b = &it->ds_blocks[k];
    if (b->cartesian) {
        for (int i = 0; i < 3; i++)
            out[i] = b->coord[i].value;
    } else {
        objr__point_polar_to_cart(b->coord[0].value, b->coord[1].value, 1.0, out);
    }
}

/* Position and gain of an item at time t; 0 when no block plays. Objects positions move
 * linearly from the previous block's when the block follows it without a gap (over the block,
 * or over interpolationLength with jumpPosition), as the gains do (BS.2127-1 §7.2). */
static int item_at(const objr__sc_stage *st, const objr__render_item *it, size_t *cursor, double t,
                   double pos[3], double *gain) {
    size_t k = *cursor < it->n_blocks ? *cursor : 0;
    double s, e;
    block_span(it, k, &s, &e);
    if (t < s)
        k = 0;
    for (; k < it->n_blocks; k++) {
        block_span(it, k, &s, &e);
        if (t < e)
            break;
    }
    if (k >= it->n_blocks || t < s)
        return 0;
    *cursor = k;
    const objr__adm_block_common *c = common_of(it, k);
    *gain = it->gain * c->gain * pow(10.0, st->cfg.gain_db / 20.0);
    if (c->importance < st->cfg.importance_threshold)
        *gain = 0.0;
    block_pos(it, k, pos);
    if (it->type == OBJR__TYPE_OBJECTS && k > 0) {
        double ps, pe, len = e - s;
        block_span(it, k - 1, &ps, &pe);
        const objr__adm_block_objects *b = &it->obj_blocks[k];
        if (b->jump_position)
            len = b->has_interpolation_length ? b->interpolation_length_s : 0.0;
        if (fabs(pe - s) < 1e-9 && len > 0 && isfinite(len) && t - s < len) {
            double prev[3], p = (t - s) / len;
            block_pos(it, k - 1, prev);
            for (int i = 0; i < 3; i++)
                pos[i] = prev[i] + p * (pos[i] - prev[i]);
        }
    }
    return 1;
}

/* Facts of every input at time t: the first item playing on it gives the position; gains of
 * items sharing an input add. */
static void source_facts(objr__sc_stage *st, double t, double *gain) {
    for (size_t i = 0; i < st->ni; i++) {
        st->src[i].present = 0;
        gain[i] = 0.0;
    }
    for (size_t j = 0; j < st->cfg.n_items; j++) {
        const objr__render_item *it = &st->cfg.items[j];
        if (!st->coded[it->input] || it->n_blocks == 0)
            continue;
        double pos[3], g;
        if (!item_at(st, it, &st->item_cursor[j], t, pos, &g))
            continue;
        objr__sc_source *s = &st->src[it->input];
        if (!s->present)
            memcpy(s->pos, pos, sizeof pos);
        s->present = 1;
        gain[it->input] += g;
    }
}

/* ---- frame boundary ---------------------------------------------------------------------- */

/* Pan gains of a merged element at cube position p, as output-channel gains: a point-source
 * Objects block (BS.2127-1 §7.3) in the direction of p. */
static void element_pan(const objr__sc_stage *st, const double p[3], float *g) {
    objr__adm_block_objects b;
    memset(&b, 0, sizeof b);
    b.c.gain = 1.0;
    b.c.importance = 10;
    double az, el, d;
    objr__point_cart_to_polar(p[0], p[1], p[2], &az, &el, &d);
    b.pos.azimuth_deg = az;
    b.pos.elevation_deg = el;
    b.pos.distance = 1.0;
    memset(g, 0, st->no * sizeof *g);
    for (size_t l = 0; l < st->cfg.n_layouts; l++) {
        const objr__engine_layout *L = &st->layouts[l];
        double direct[OBJR__ENGINE_MAX_SPEAKERS] = {0}, diffuse[OBJR__ENGINE_MAX_SPEAKERS] = {0};
        objr__objects_gaincalc_calc(st->gaincalc[l], &b, NULL, direct, diffuse);
        for (size_t s = 0; s < L->n_speakers; s++)
            if (!L->is_lfe[s])
                g[L->out_channel[s]] = (float)direct[s];
    }
}

/* End of an analysis frame at absolute frame `end`: cluster, and set the ramp targets. */
static void frame_boundary(objr__sc_stage *st, int64_t end) {
    const double t = (double)end / st->cfg.sample_rate_hz;
    double *g = st->gain;
    for (size_t i = 0; i < st->ni; i++)
        st->src[i].energy = st->acc[i] / (double)st->frame_len;
    /* positions and gains at the end of the frame; energy scaled by the gain squared */
    source_facts(st, t, g);
    for (size_t i = 0; i < st->ni; i++)
        st->src[i].energy *= g[i] * g[i];
    objr__sc_update(st->sc, st->src);
    double mean, mx, w;
    objr__sc_error(st->sc, &mean, &mx, &w);
    st->err_sum += mean * w;
    st->err_w += w;
    if (mx > st->err_max) {
        st->err_max = mx;
        st->worst_input = objr__sc_worst_source(st->sc);
        st->worst_time_s = t;
    }
    for (size_t i = 0; i < st->ni; i++) {
        double e = objr__sc_source_error(st->sc, i);
        if (e > st->in_err_max[i]) {
            st->in_err_max[i] = e;
            st->in_err_t[i] = t;
        }
    }
    /* ramp targets */
    memcpy(st->a0, st->a1, st->ni * sizeof *st->a0);
    memcpy(st->c0, st->c1, st->ni * st->ne * sizeof *st->c0);
    memcpy(st->p0, st->p1, st->ne * st->no * sizeof *st->p0);
    objr__sc_kind kind[OBJR__SC_MAX_ELEMENTS];
    for (size_t e = 0; e < st->ne; e++) {
        double p[3];
        kind[e] = objr__sc_element(st->sc, e, p);
        if (kind[e] != OBJR__SC_MERGED)
            continue;
        element_pan(st, p, st->p1 + e * st->no);
        int was_silent = 1;
        for (size_t i = 0; i < st->ni && was_silent; i++)
            was_silent = st->c0[i * st->ne + e] == 0.0f;
        if (was_silent) /* nothing played through it: start at the new gains */
            memcpy(st->p0 + e * st->no, st->p1 + e * st->no, st->no * sizeof *st->p0);
    }
    for (size_t i = 0; i < st->ni; i++) {
        double a = 0.0, rowsum = 0.0;
        for (size_t e = 0; e < st->ne; e++) {
            const double m = objr__sc_gain(st->sc, i, e);
            rowsum += m;
            const int merged = kind[e] == OBJR__SC_MERGED;
            st->c1[i * st->ne + e] = merged ? (float)(m * g[i]) : 0.0f;
            if (!merged)
                a += m; /* single or LFE element: plays as itself */
        }
        st->a1[i] = rowsum == 0.0 ? 1.0f : (float)a; /* not coded: as itself */
        st->acc[i] = 0.0;
    }
}

/* ---- audio ------------------------------------------------------------------------------- */

/* Piece [off, off + m) of this call, inside one frame at position `fpos` within it. */
static void render_piece(objr__sc_stage *st, const float *const *in, size_t off, size_t m,
                         size_t fpos) {
    const size_t F = st->frame_len, mf = st->cfg.max_frames;
    for (size_t i = 0; i < st->ni; i++) {
        const float *x = in[i] + off;
        double acc = 0.0;
        for (size_t k = 0; k < m; k++)
            acc += (double)x[k] * x[k];
        st->acc[i] += acc;
        /* engine path: x scaled by a ramp a0 -> a1 */
        float *y = st->pass + i * mf + off;
        memset(y, 0, m * sizeof *y);
        if (st->a0[i] != 0.0f || st->a1[i] != 0.0f) {
            float *p = y;
            st->dsp.ramp_f32(&p, 1, x, m, &st->a0[i], &st->a1[i], fpos, F);
        }
        /* merged elements */
        size_t n = 0;
        for (size_t e = 0; e < st->ne; e++) {
            const float c0 = st->c0[i * st->ne + e], c1 = st->c1[i * st->ne + e];
            if (c0 == 0.0f && c1 == 0.0f)
                continue;
            st->ptrs[n] = st->el_sig + e * mf + off;
            st->g0[n] = c0;
            st->g1[n] = c1;
            n++;
        }
        if (n)
            st->dsp.ramp_f32(st->ptrs, n, x, m, st->g0, st->g1, fpos, F);
    }
    for (size_t e = 0; e < st->ne; e++) {
        const float *p0 = st->p0 + e * st->no, *p1 = st->p1 + e * st->no;
        size_t n = 0;
        for (size_t c = 0; c < st->no; c++) {
            if (p0[c] == 0.0f && p1[c] == 0.0f)
                continue;
            st->ptrs[n] = st->el_out + c * mf + off;
            st->g0[n] = p0[c];
            st->g1[n] = p1[c];
            n++;
        }
        if (n)
            st->dsp.ramp_f32(st->ptrs, n, st->el_sig + e * mf + off, m, st->g0, st->g1, fpos, F);
    }
}

/* Does anything play through a merged element or a partial engine gain this frame? */
static int frame_is_identity(const objr__sc_stage *st) {
    for (size_t i = 0; i < st->ni; i++)
        if (st->a0[i] != 1.0f || st->a1[i] != 1.0f)
            return 0;
    return 1;
}

void objr__sc_stage_pre(objr__sc_stage *st, const float *const *in, size_t n,
                        const float *const **engine_in) {
    const size_t F = st->frame_len, mf = st->cfg.max_frames;
    int identity = 1;
    for (size_t c = 0; c < st->no; c++)
        memset(st->el_out + c * mf, 0, n * sizeof(float));
    memset(st->el_sig, 0, st->ne * mf * sizeof(float));
    size_t done = 0;
    while (done < n) {
        const size_t fpos = (size_t)(st->clock % (int64_t)F);
        size_t m = F - fpos < n - done ? F - fpos : n - done;
        identity &= frame_is_identity(st);
        render_piece(st, in, done, m, fpos);
        done += m;
        st->clock += (int64_t)m;
        if (st->clock % (int64_t)F == 0)
            frame_boundary(st, st->clock);
    }
    /* Inputs that play wholly as themselves go to the engine untouched (bit-exact). */
    for (size_t i = 0; i < st->ni; i++)
        st->engine_in[i] = identity ? in[i] : st->pass + i * mf;
    st->any_merged = !identity;
    *engine_in = st->engine_in;
}

void objr__sc_stage_post(objr__sc_stage *st, float *const *out, size_t n) {
    const size_t mf = st->cfg.max_frames, L = st->cfg.latency;
    if (!st->any_merged && L == 0)
        return;
    for (size_t c = 0; c < st->no; c++) {
        float *x = st->el_out + c * mf;
        if (L) {
            float *ring = st->ring + c * L;
            size_t p = st->ring_pos;
            for (size_t k = 0; k < n; k++) {
                float v = ring[p];
                ring[p] = x[k];
                x[k] = v;
                if (++p == L)
                    p = 0;
            }
        }
        st->dsp.add_f32(out[c], x, n);
    }
    if (L)
        st->ring_pos = (st->ring_pos + n) % L;
}

void objr__sc_stage_error(const objr__sc_stage *st, double *mean_deg, double *max_deg) {
    *mean_deg = st->err_w > 0 ? st->err_sum / st->err_w : 0.0;
    *max_deg = st->err_max;
}

double objr__sc_stage_input_error(const objr__sc_stage *st, size_t input, double *time_s) {
    if (input >= st->ni || st->in_err_max[input] < 0)
        return -1.0;
    *time_s = st->in_err_t[input];
    return st->in_err_max[input];
}

size_t objr__sc_stage_worst(const objr__sc_stage *st, double *time_s) {
    *time_s = st->worst_time_s;
    return st->worst_input;
}
