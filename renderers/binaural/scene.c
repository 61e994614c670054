/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM render items to binaural renderer parameters, block by block (the block timing of
 * renderers/interp.h, BS.2127-1 §7.2: jumpPosition / interpolationLength, gaps; BS.2127-1 §10
 * cartesian-to-polar conversion; HOA packs decoded to virtual loudspeakers, BS.2127-1 §9
 * grouping). A block's timing is computed when the render reaches it, from the block and the
 * one before (objr__interp_cursor): nothing is kept per block, so memory does not grow with
 * the programme's length. */
#include "renderers/binaural/scene.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "renderers/binaural/hoa.h"
#include "renderers/loudspeaker/allocentric.h"
#include "renderers/loudspeaker/hoa.h"

#define NO_SOURCE ((size_t)-1)
/* Diffuse-field calibration of each HOA pack's high band: impulse responses this long (after
 * the renderer's latency) hold any HRTF and the crossover's ringing; probe directions: twice
 * the virtual loudspeakers, within these bounds. */
#define CAL_IR_FRAMES 2048
#define CAL_MIN_PROBES 32
#define CAL_MAX_PROBES 64
/* a calibration gain outside this range means something is broken: keep the design's */
#define CAL_MAX_GAIN_DB 12.0
/* the equaliser: passes of measure-and-correct (the octave sections overlap a little) */
#define CAL_EQ_PASSES 2

/* One HOA pack: its channels' items, decoder and virtual loudspeaker sources. */
typedef struct hoa_pack {
    objr__binaural_hoa *dec;
    size_t n_ch, n_virt;
    size_t *item;          /* n_ch item indices, by ascending ACN */
    size_t first_src;      /* sources first_src .. first_src + n_virt - 1 */
    double *g_from, *g_to; /* per channel gain ramp over the current renderer block */
    const float **ch_in;   /* n_ch input pointers for one chunk */
    float **virt;          /* n_virt pointers into the scene's virt_buf */
    int active;            /* any channel sounds in the current block */
    double eq_db[OBJR__BINAURAL_HOA_EQ_BANDS]; /* the diffuse-field equaliser */
} hoa_pack;

struct objr__binaural_scene {
    objr_binaural *b;
    objr__render_item *items;
    int *mode; /* n_items: the mode that wins over headphoneVirtualise */
    /* n_items: where the render is in each item's blocks; a block's timing is computed as the
     * render reaches it (renderers/interp.h), nothing is kept per block */
    objr__interp_cursor *cur;
    size_t n_items, n_inputs, n_sources, B;
    double rate_hz, gain;
    int64_t clock;       /* frames rendered so far (input time) */
    size_t pos;          /* position within the renderer's block (its FIFO restarts on reset) */
    int fresh;           /* no block yet since create/seek: HOA gains start without a ramp */
    const float **ins;   /* n_sources pointers for one block */
    size_t *src_of_item; /* n_items: the item's source, NO_SOURCE for HOA channels */
    hoa_pack *packs;
    size_t n_packs;
    float *virt_buf; /* all packs' virtual loudspeaker signals, B frames each */
};

void objr__binaural_scene_destroy(objr__binaural_scene *s) {
    if (!s)
        return;
    objr_binaural_destroy(s->b);
    for (size_t p = 0; s->packs && p < s->n_packs; p++) {
        hoa_pack *k = &s->packs[p];
        objr__binaural_hoa_destroy(k->dec);
        objr__freep(&k->item);
        objr__freep(&k->g_from);
        objr__freep(&k->g_to);
        objr__freep(&k->ch_in);
        objr__freep(&k->virt);
    }
    objr__freep(&s->packs);
    objr__freep(&s->virt_buf);
    objr__freep(&s->src_of_item);
    objr__freep(&s->items);
    objr__freep(&s->mode);
    objr__freep(&s->cur);
    objr__freep(&s->ins);
    objr__freep(&s);
}

size_t objr__binaural_scene_latency(const objr__binaural_scene *s) {
    return objr_binaural_latency_frames(s->b);
}

void objr__binaural_scene_seek(objr__binaural_scene *s, int64_t frame) {
    s->clock = frame;
    s->pos = 0;
    s->fresh = 1;
    for (size_t i = 0; i < s->n_items; i++)
        objr__interp_cursor_seek(&s->cur[i]);
    for (size_t p = 0; p < s->n_packs; p++)
        objr__binaural_hoa_reset(s->packs[p].dec);
    objr_binaural_reset(s->b);
}

static void polar_of_obj(const objr__adm_block_objects *b, double *az, double *el, double *w,
                         double *h) {
    if (b->pos.cartesian) {
        double d, ws, hs, dp;
        objr__extent_cart_to_polar(b->pos.x, b->pos.y, b->pos.z, b->width, b->depth, b->height, az,
                                   el, &d, &ws, &hs, &dp);
        *w = ws, *h = hs;
        (void)d, (void)dp;
    } else {
        *az = b->pos.azimuth_deg, *el = b->pos.elevation_deg;
        *w = b->width, *h = b->height;
    }
}

static void unit(double az, double el, double v[3]) {
    double a = az * OBJR_PI / 180, e = el * OBJR_PI / 180;
    v[0] = cos(e) * cos(a), v[1] = cos(e) * sin(a), v[2] = sin(e);
}

void objr__binaural_item_params(const objr__render_item *it, objr__interp_cursor *cur,
                                double rate_hz, int64_t frame, int mode,
                                objr_binaural_source *src) {
    *src = objr_binaural_source_default();
    size_t i;
    const objr__interp_seg *g;
    if (!objr__interp_cursor_at(cur, it, rate_hz, frame, &i, &g) || it->gain == 0.0) {
        src->active = 0;
        return;
    }
    const objr__adm_block_common *c = objr__render_item_block(it, i);
    src->gain = it->gain * c->gain;
    if (c->headphone_virtualise.present)
        src->mode = objr_binaural_mode_from_adm(c->headphone_virtualise.bypass,
                                                c->headphone_virtualise.has_drr,
                                                c->headphone_virtualise.drr_db);
    if (mode) /* the dbmd per-track mode wins (README "Dolby metadata") */
        src->mode = (objr_binaural_mode)mode;
    if (it->type == OBJR__TYPE_HOA)
        return; /* a channel of a sound field: no direction of its own */
    if (it->type == OBJR__TYPE_DIRECT_SPEAKERS) {
        const objr__adm_block_direct_speakers *d = &it->ds_blocks[i];
        if (d->cartesian) {
            double dist;
            objr__point_cart_to_polar(d->coord[0].value, d->coord[1].value, d->coord[2].value,
                                      &src->azimuth_deg, &src->elevation_deg, &dist);
        } else {
            src->azimuth_deg = d->coord[0].value;
            src->elevation_deg = d->coord[1].value;
        }
        src->lfe = it->is_lfe;
        return;
    }
    const objr__adm_block_objects *b = &it->obj_blocks[i];
    double az, el, w, h;
    polar_of_obj(b, &az, &el, &w, &h);
    src->diffuse = fmin(1.0, fmax(0.0, b->diffuse));
    src->width_deg = fmax(0.0, w), src->height_deg = fmax(0.0, h);
    /* interpolate the direction from the previous block's over the block's ramp (in seconds:
     * the scene samples the metadata at the renderer's block ends) */
    if (g->ramp_from_previous) {
        double t = (double)frame / rate_hz;
        double s0 = g->ramp_origin / rate_hz, len = g->ramp_length / rate_hz;
        double a = (t - s0) / len;
        if (a < 1.0) {
            if (a < 0)
                a = 0;
            double paz, pel, pw, ph, u[3], v[3];
            polar_of_obj(&it->obj_blocks[i - 1], &paz, &pel, &pw, &ph);
            unit(paz, pel, u);
            unit(az, el, v);
            double m[3];
            for (int k = 0; k < 3; k++)
                m[k] = u[k] + a * (v[k] - u[k]);
            if (m[0] * m[0] + m[1] * m[1] + m[2] * m[2] > 1e-12) {
                az = atan2(m[1], m[0]) * 180 / OBJR_PI;
                el = atan2(m[2], hypot(m[0], m[1])) * 180 / OBJR_PI;
            }
            src->width_deg = fmax(0.0, pw + a * (src->width_deg - pw));
            src->height_deg = fmax(0.0, ph + a * (src->height_deg - ph));
        }
    }
    src->azimuth_deg = az, src->elevation_deg = el;
}

static int acn(const objr__render_item *it) {
    const objr__adm_block_hoa *b = &it->hoa_blocks[0];
    return b->order * (b->order + 1) + b->degree;
}

static int norm_of(const objr__render_item *it) {
    const objr__adm_block_hoa *b = &it->hoa_blocks[0];
    return b->has_normalization ? b->normalization : it->hoa_normalization;
}

static const char *pack_name(const objr__render_item *it) {
    return it->pack_id ? it->pack_id : it->channel_id ? it->channel_id : "?";
}

/* Group the HOA items into packs (as src/render.c design_hoa does) and design their
 * decoders. Counts the sources in s->n_sources. */
static objr_status make_packs(objr__binaural_scene *s, objr_diag *diag) {
    const size_t n = s->n_items;
    size_t n_hoa = 0;
    for (size_t i = 0; i < n; i++)
        n_hoa += s->items[i].type == OBJR__TYPE_HOA;
    s->n_sources = n - n_hoa;
    if (n_hoa == 0)
        return OBJR_OK;
    char *done = objr__calloc(n, 1);
    int *orders = objr__calloc(n_hoa, sizeof(int)), *degrees = objr__calloc(n_hoa, sizeof(int));
    int *norms = objr__calloc(n_hoa, sizeof(int));
    s->packs = objr__calloc(n_hoa, sizeof *s->packs);
    objr_status st = OBJR_ERR_NOMEM;
    if (!done || !orders || !degrees || !norms || !s->packs)
        goto out;
    st = OBJR_OK;
    for (size_t i = 0; i < n && st == OBJR_OK; i++) {
        const objr__render_item *it = &s->items[i];
        if (it->type != OBJR__TYPE_HOA || done[i])
            continue;
        hoa_pack *pk = &s->packs[s->n_packs++];
        if (!(pk->item = objr__calloc(n_hoa, sizeof(size_t)))) {
            st = OBJR_ERR_NOMEM;
            break;
        }
        for (size_t j = i; j < n; j++) {
            const objr__render_item *jt = &s->items[j];
            if (jt->type != OBJR__TYPE_HOA || done[j] || jt->object != it->object ||
                jt->pack_id != it->pack_id || jt->start_s != it->start_s)
                continue;
            done[j] = 1;
            /* insertion by ACN: the first channel (W when present) sets the pack's mode */
            size_t k = pk->n_ch++;
            while (k > 0 && acn(&s->items[pk->item[k - 1]]) > acn(jt)) {
                pk->item[k] = pk->item[k - 1];
                k--;
            }
            pk->item[k] = j;
        }
        for (size_t c = 0; c < pk->n_ch; c++) {
            const objr__render_item *ct = &s->items[pk->item[c]];
            const objr__adm_block_hoa *b = &ct->hoa_blocks[0];
            if (c > 0 && acn(&s->items[pk->item[c - 1]]) == acn(ct)) {
                st = objr__diag_set(diag, OBJR_ERR_ADM, pack_name(ct), 0, (size_t)-1,
                                    "binaural: HOA pack %s has two channels of order %d degree %d "
                                    "(%s)",
                                    pack_name(ct), b->order, b->degree, objr__render_item_name(ct));
                goto out;
            }
            orders[c] = b->order;
            degrees[c] = b->degree;
            norms[c] = norm_of(ct);
        }
        st = objr__binaural_hoa_create(orders, degrees, norms, pk->n_ch, s->rate_hz, &pk->dec);
        if (st != OBJR_OK) {
            objr__diag_set(diag, st, pack_name(it), 0, (size_t)-1,
                           "binaural: HOA pack %s cannot be decoded (orders up to %d, FuMa up to "
                           "3): %s",
                           pack_name(it), OBJR__HOA_MAX_ORDER, objr_strerror(st));
            goto out;
        }
        pk->n_virt = objr__binaural_hoa_n_virtual(pk->dec);
        pk->first_src = s->n_sources;
        s->n_sources += pk->n_virt;
        pk->g_from = objr__calloc(pk->n_ch, sizeof(double));
        pk->g_to = objr__calloc(pk->n_ch, sizeof(double));
        pk->ch_in = objr__calloc(pk->n_ch, sizeof(float *));
        pk->virt = objr__calloc(pk->n_virt, sizeof(float *));
        if (!pk->g_from || !pk->g_to || !pk->ch_in || !pk->virt)
            st = OBJR_ERR_NOMEM;
    }
out:
    objr__freep(&done);
    objr__freep(&orders);
    objr__freep(&degrees);
    objr__freep(&norms);
    return st;
}

/* 1 when two packs have the same channels (ACN). The normalisation does not matter: the
 * decoder undoes it, so a plane wave renders the same and so does the calibration. */
static int same_channels(const objr__binaural_scene *s, const hoa_pack *a, const hoa_pack *b) {
    if (a->n_ch != b->n_ch)
        return 0;
    for (size_t c = 0; c < a->n_ch; c++)
        if (acn(&s->items[a->item[c]]) != acn(&s->items[b->item[c]]))
            return 0;
    return 1;
}

/* The dry binaural response (l, r: B + n_ir frames; the response is at [B, B + n_ir)) of
 * source @p src of the renderer at a direction, all other sources inactive. The first block
 * lets the gain ramp and the filter settle; the renderer is reset before and after. */
static objr_status render_ir(objr_binaural *cal, const float **in, size_t src, size_t B,
                             size_t n_ir, double az, double el, const float *imp,
                             const float *zeros, float *l, float *r) {
    objr_binaural_reset(cal);
    objr_binaural_source p = objr_binaural_source_default();
    p.azimuth_deg = az, p.elevation_deg = el, p.mode = OBJR_BINAURAL_MODE_DRY;
    objr_status st = objr_binaural_set_source(cal, src, &p);
    in[src] = zeros;
    if (st == OBJR_OK)
        st = objr_binaural_process(cal, in, l, r, B);
    for (size_t off = 0; off < n_ir && st == OBJR_OK; off += B) {
        in[src] = imp + off;
        st = objr_binaural_process(cal, in, l + B + off, r + B + off, B);
    }
    in[src] = NULL;
    p.active = 0;
    (void)objr_binaural_set_source(cal, src, &p);
    objr_binaural_reset(cal);
    return st;
}

/* Diffuse-field calibration of a pack's high band. The max-rE band is designed for energy
 * summation of the virtual loudspeakers, but at the ears their responses are partly coherent
 * (those on one cone of confusion share the ITD up to the pinna's frequencies), so the render
 * is louder than a point source. The responses of the virtual loudspeakers and of point
 * sources from a near-uniform probe set, through the dry renderer, give the high-band gain
 * that makes the diffuse-field (probe-averaged) energy of a plane wave equal to that of a
 * point source (the ears' energies summed over the whole band). */
/* The calibration's buffers and sizes. */
typedef struct cal_work {
    size_t K, B, lat, n_ir, M, n_eq; /* virtual speakers, block, latency, IR, probes, EQ IR */
    float *lo, *hi; /* 2K x n_ir: each virtual speaker's ear responses, low and high band */
    float *l, *r, *imp, *zeros; /* render_ir's buffers */
    float *pa, *pb, *pp;        /* 2M x n_eq: probe plane-wave low band, high band; point source */
    double *slf, *shf;          /* K: a plane wave's virtual speaker gains, low and high band */
} cal_work;

static void cal_free(cal_work *w) {
    objr__freep(&w->pa);
    objr__freep(&w->pb);
    objr__freep(&w->pp);
    objr__freep(&w->lo);
    objr__freep(&w->hi);
    objr__freep(&w->l);
    objr__freep(&w->r);
    objr__freep(&w->imp);
    objr__freep(&w->zeros);
    objr__freep(&w->slf);
    objr__freep(&w->shf);
}

static objr_status cal_alloc(cal_work *w) {
    size_t n_all, M = w->M, n_eq = w->n_eq;
    if (!objr__mul_size(w->K * 2, w->n_ir, &n_all))
        return OBJR_ERR_NOMEM;
    w->pa = objr__calloc(2 * M * n_eq, sizeof(float));
    w->pb = objr__calloc(2 * M * n_eq, sizeof(float));
    w->pp = objr__calloc(2 * M * n_eq, sizeof(float));
    w->lo = objr__calloc(n_all, sizeof(float));
    w->hi = objr__calloc(n_all, sizeof(float));
    w->l = objr__calloc(w->B + w->n_ir, sizeof(float));
    w->r = objr__calloc(w->B + w->n_ir, sizeof(float));
    w->imp = objr__calloc(w->n_ir, sizeof(float));
    w->zeros = objr__calloc(w->B, sizeof(float));
    w->slf = objr__calloc(w->K, sizeof(double));
    w->shf = objr__calloc(w->K, sizeof(double));
    if (!w->lo || !w->hi || !w->l || !w->r || !w->imp || !w->zeros || !w->slf || !w->shf ||
        !w->pa || !w->pb || !w->pp)
        return OBJR_ERR_NOMEM;
    w->imp[0] = 1.0f;
    return OBJR_OK;
}

/* Energies of the probes: the point sources', the plane waves' low and high bands, and their
 * cross term. */
typedef struct cal_energy {
    double point, a, b, ab;
} cal_energy;

/* Each probe (golden-angle spiral, not the virtual loudspeakers' directions) rendered as a
 * point source and as a plane wave through the virtual speakers' responses (w->lo, w->hi):
 * the responses after the latency into w->pp, w->pa, w->pb, and the energies. */
static objr_status probe_responses(objr_binaural *cal, const float **in, size_t src,
                                   const hoa_pack *pk, cal_work *w, cal_energy *en) {
    const size_t K = w->K, B = w->B, lat = w->lat, n_ir = w->n_ir, n_eq = w->n_eq;
    const double golden = OBJR_PI * (3.0 - sqrt(5.0));
    for (size_t m = 0; m < w->M; m++) {
        double z = 1.0 - (2.0 * (double)m + 1.0) / (double)w->M;
        double az = remainder(golden * (double)m, 2.0 * OBJR_PI) * 180.0 / OBJR_PI;
        double el = asin(z) * 180.0 / OBJR_PI;
        objr_status st = render_ir(cal, in, src, B, n_ir, az, el, w->imp, w->zeros, w->l, w->r);
        if (st != OBJR_OK)
            return st;
        objr__binaural_hoa_plane_wave(pk->dec, az, el, w->slf, w->shf);
        for (size_t ear = 0; ear < 2; ear++) {
            const float *pt = (ear ? w->r : w->l) + B + lat;
            float *ha = w->pa + (2 * m + ear) * n_eq, *hb = w->pb + (2 * m + ear) * n_eq;
            memcpy(w->pp + (2 * m + ear) * n_eq, pt, n_eq * sizeof(float));
            for (size_t j = 0; j < n_ir; j++) {
                double a = 0.0, b = 0.0;
                for (size_t k = 0; k < K; k++) {
                    a += w->slf[k] * w->lo[(2 * k + ear) * n_ir + j];
                    b += w->shf[k] * w->hi[(2 * k + ear) * n_ir + j];
                }
                en->a += a * a, en->b += b * b, en->ab += a * b;
                double v = (ear ? w->r : w->l)[B + j];
                en->point += v * v;
                if (j >= lat && j - lat < n_eq)
                    ha[j - lat] = (float)a, hb[j - lat] = (float)b;
            }
        }
    }
    return OBJR_OK;
}

/* The spectral balance: octave by octave, the diffuse-field energy of the plane waves (high
 * band at gain @p g) equal to the point sources' (the broadband gain leaves the average
 * right, but the coherent sums colour it). */
static void spectral_balance(hoa_pack *pk, cal_work *w, double g, double fs) {
    const size_t n_eq = w->n_eq, nb = objr__binaural_hoa_eq_n_bands(fs);
    float *pa = w->pa, *pb = w->pb;
    double e_pt[OBJR__BINAURAL_HOA_EQ_BANDS] = {0};
    for (size_t i = 0; i < 2 * w->M; i++) {
        float *ha = pa + i * n_eq, *hb = pb + i * n_eq;
        for (size_t j = 0; j < n_eq; j++)
            ha[j] = (float)(ha[j] + g * hb[j]); /* the calibrated plane wave response */
        for (size_t b = 0; b < nb; b++)
            e_pt[b] += objr__binaural_hoa_band_energy(fs, b, w->pp + i * n_eq, n_eq);
    }
    for (size_t b = 0; b < OBJR__BINAURAL_HOA_EQ_BANDS; b++)
        pk->eq_db[b] = 0.0;
    for (int pass = 0; pass < CAL_EQ_PASSES; pass++) {
        double e_h[OBJR__BINAURAL_HOA_EQ_BANDS] = {0};
        for (size_t i = 0; i < 2 * w->M; i++) {
            objr__binaural_hoa_eq_filter(fs, pk->eq_db, pa + i * n_eq, pb, n_eq);
            for (size_t b = 0; b < nb; b++)
                e_h[b] += objr__binaural_hoa_band_energy(fs, b, pb, n_eq);
        }
        for (size_t b = 0; b < nb; b++) {
            double d = e_h[b] > 0.0 && e_pt[b] > 0.0 ? 10.0 * log10(e_pt[b] / e_h[b]) : 0.0;
            pk->eq_db[b] = fmax(-CAL_MAX_GAIN_DB, fmin(CAL_MAX_GAIN_DB, pk->eq_db[b] + d));
        }
    }
    objr__binaural_hoa_set_eq(pk->dec, pk->eq_db);
}

/* Diffuse-field calibration of a pack's high band. The max-rE band is designed for energy
 * summation of the virtual loudspeakers, but at the ears their responses are partly coherent
 * (those on one cone of confusion share the ITD up to the pinna's frequencies), so the render
 * is louder than a point source. The responses of the virtual loudspeakers and of point
 * sources from a near-uniform probe set, through the dry renderer, give the high-band gain
 * that makes the diffuse-field (probe-averaged) energy of a plane wave equal to that of a
 * point source (the ears' energies summed over the whole band). */
static objr_status calibrate(objr_binaural *cal, double cal_rate, const float **in, hoa_pack *pk) {
    const size_t src = pk->first_src; /* the pack's first slot, before its first use */
    cal_work w = {0};
    w.K = pk->n_virt, w.B = objr_binaural_block_frames(cal);
    w.lat = objr_binaural_latency_frames(cal);
    w.n_ir = (w.lat + CAL_IR_FRAMES + w.B - 1) / w.B * w.B;
    w.M = 2 * w.K;
    w.M = w.M < CAL_MIN_PROBES ? CAL_MIN_PROBES : w.M > CAL_MAX_PROBES ? CAL_MAX_PROBES : w.M;
    w.n_eq = CAL_IR_FRAMES; /* the responses after the latency */
    objr_status st = cal_alloc(&w);
    if (st != OBJR_OK)
        goto out;
    const size_t n_ir = w.n_ir, B = w.B;
    for (size_t k = 0; k < w.K; k++) { /* the virtual loudspeakers' responses, split in bands */
        double az, el;
        objr__binaural_hoa_direction(pk->dec, k, &az, &el);
        if ((st = render_ir(cal, in, src, B, n_ir, az, el, w.imp, w.zeros, w.l, w.r)) != OBJR_OK)
            goto out;
        objr__binaural_hoa_split(pk->dec, w.l + B, w.lo + (2 * k) * n_ir, w.hi + (2 * k) * n_ir,
                                 n_ir);
        objr__binaural_hoa_split(pk->dec, w.r + B, w.lo + (2 * k + 1) * n_ir,
                                 w.hi + (2 * k + 1) * n_ir, n_ir);
    }
    cal_energy en = {0.0, 0.0, 0.0, 0.0};
    if ((st = probe_responses(cal, in, src, pk, &w, &en)) != OBJR_OK)
        goto out;
    /* e_b g^2 + 2 c_ab g + e_a = e_point */
    double disc = en.ab * en.ab - en.b * (en.a - en.point);
    double g = en.b > 0.0 && disc >= 0.0 ? (-en.ab + sqrt(disc)) / en.b : 1.0;
    if (!(g > 0.0) || fabs(20.0 * log10(g)) > CAL_MAX_GAIN_DB)
        g = 1.0;
    objr__binaural_hoa_set_high_gain(pk->dec, g);
    spectral_balance(pk, &w, g, cal_rate);
    st = OBJR_OK;
out:
    cal_free(&w);
    return st;
}

/* Every item's block timing checked once (objr__interp_item refuses what the render could
 * not place, naming the block), none of it kept: the cursors compute it again as the render
 * reaches each block. */
static objr_status make_timing(objr__binaural_scene *s, objr_diag *diag) {
    s->cur = objr__calloc(s->n_items ? s->n_items : 1, sizeof *s->cur);
    if (!s->cur)
        return OBJR_ERR_NOMEM;
    for (size_t i = 0; i < s->n_items; i++) {
        objr__interp_cursor_reset(&s->cur[i]);
        objr_status st = objr__interp_item(&s->items[i], s->rate_hz, NULL, diag);
        if (st != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

objr_status objr__binaural_scene_create(const objr_binaural_config *cfg,
                                        const objr__render_item *items, const int *modes,
                                        size_t n_items, size_t n_inputs, double gain_db,
                                        objr_diag *diag, objr__binaural_scene **out) {
    *out = NULL;
    for (size_t i = 0; i < n_items; i++) {
        const objr__render_item *it = &items[i];
        const char *id = objr__render_item_name(it), *name = id[0] ? id : "item";
        if (it->type != OBJR__TYPE_OBJECTS && it->type != OBJR__TYPE_DIRECT_SPEAKERS &&
            it->type != OBJR__TYPE_HOA)
            return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, id, 0, (size_t)-1,
                                  "binaural: %s: Matrix and Binaural content is not rendered "
                                  "binaurally yet (Objects, DirectSpeakers and HOA are)",
                                  name);
        if (it->type == OBJR__TYPE_HOA &&
            (it->n_blocks == 0 || !it->hoa_blocks || !it->hoa_blocks[0].has_order_degree))
            return objr__diag_set(diag, OBJR_ERR_ADM, id, 0, (size_t)-1,
                                  "binaural: HOA channel %s has no order and degree", name);
        if (it->input >= n_inputs ||
            (it->n_blocks && !(it->type == OBJR__TYPE_OBJECTS           ? it->obj_blocks != NULL
                               : it->type == OBJR__TYPE_DIRECT_SPEAKERS ? it->ds_blocks != NULL
                                                                        : it->hoa_blocks != NULL)))
            return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, id, 0, (size_t)-1,
                                  "binaural: invalid render item");
    }
    objr__binaural_scene *s = objr__calloc(1, sizeof *s);
    if (!s)
        return OBJR_ERR_NOMEM;
    objr_status st = OBJR_ERR_NOMEM;
    s->items = objr__calloc(n_items ? n_items : 1, sizeof *s->items);
    s->src_of_item = objr__calloc(n_items ? n_items : 1, sizeof *s->src_of_item);
    s->mode = objr__calloc(n_items ? n_items : 1, sizeof *s->mode);
    if (!s->items || !s->src_of_item || !s->mode)
        goto fail;
    if (n_items)
        memcpy(s->items, items, n_items * sizeof *items);
    if (n_items && modes)
        memcpy(s->mode, modes, n_items * sizeof *modes);
    s->n_items = n_items, s->n_inputs = n_inputs;
    s->rate_hz = cfg->sample_rate_hz;
    s->gain = pow(10.0, gain_db / 20.0);
    s->fresh = 1;
    if ((st = make_timing(s, diag)) != OBJR_OK)
        goto fail;
    for (size_t i = 0, k = 0; i < n_items; i++)
        s->src_of_item[i] = items[i].type == OBJR__TYPE_HOA ? NO_SOURCE : k++;
    if ((st = make_packs(s, diag)) != OBJR_OK)
        goto fail;
    objr_binaural_config c = *cfg;
    c.max_sources = s->n_sources ? s->n_sources : 1;
    if ((st = objr_binaural_create(&c, diag, &s->b)) != OBJR_OK)
        goto fail;
    s->B = objr_binaural_block_frames(s->b);
    if (s->n_packs) {
        /* the scene's renderer, before any use: all its sources are still inactive */
        if (!(s->ins = objr__calloc(s->n_sources, sizeof *s->ins))) {
            st = OBJR_ERR_NOMEM;
            goto fail;
        }
        for (size_t p = 0; p < s->n_packs && st == OBJR_OK; p++) {
            /* packs of the same channels share the calibration */
            size_t q = 0;
            while (q < p && !same_channels(s, &s->packs[q], &s->packs[p]))
                q++;
            if (q < p) {
                objr__binaural_hoa_set_high_gain(s->packs[p].dec,
                                                 objr__binaural_hoa_high_gain(s->packs[q].dec));
                memcpy(s->packs[p].eq_db, s->packs[q].eq_db, sizeof s->packs[p].eq_db);
                objr__binaural_hoa_set_eq(s->packs[p].dec, s->packs[p].eq_db);
            } else {
                st = calibrate(s->b, s->rate_hz, s->ins, &s->packs[p]);
            }
        }
        if (st != OBJR_OK)
            goto fail;
        size_t total = 0, n_buf;
        for (size_t p = 0; p < s->n_packs; p++)
            total += s->packs[p].n_virt;
        st = OBJR_ERR_NOMEM;
        if (!objr__mul_size(total, s->B, &n_buf) ||
            !(s->virt_buf = objr__calloc(n_buf, sizeof(float))))
            goto fail;
        for (size_t p = 0, off = 0; p < s->n_packs; p++)
            for (size_t k = 0; k < s->packs[p].n_virt; k++, off++)
                s->packs[p].virt[k] = s->virt_buf + off * s->B;
    }
    st = OBJR_ERR_NOMEM;
    if (!s->ins && !(s->ins = objr__calloc(s->n_sources ? s->n_sources : 1, sizeof *s->ins)))
        goto fail;
    *out = s;
    return OBJR_OK;
fail:
    objr__binaural_scene_destroy(s);
    return st;
}

/* A pack's channel gains and mode at time t, and its virtual loudspeakers' parameters. */
static void set_pack(objr__binaural_scene *s, hoa_pack *pk, int64_t frame) {
    objr_binaural_mode mode = OBJR_BINAURAL_MODE_DEFAULT;
    int have_mode = 0, any = 0;
    for (size_t c = 0; c < pk->n_ch; c++) {
        objr_binaural_source p;
        size_t i = pk->item[c];
        objr__binaural_item_params(&s->items[i], &s->cur[i], s->rate_hz, frame, s->mode[i], &p);
        double g = p.active && isfinite(p.gain) && p.gain > 0 ? p.gain : 0.0;
        pk->g_to[c] = g;
        if (s->fresh)
            pk->g_from[c] = g;
        if (g > 0 && !have_mode)
            mode = p.mode, have_mode = 1;
        any |= g > 0 || pk->g_from[c] > 0;
    }
    pk->active = any;
    for (size_t k = 0; k < pk->n_virt; k++) {
        objr_binaural_source p = objr_binaural_source_default();
        objr__binaural_hoa_direction(pk->dec, k, &p.azimuth_deg, &p.elevation_deg);
        p.gain = s->gain;
        p.mode = mode;
        p.active = any;
        (void)objr_binaural_set_source(s->b, pk->first_src + k, &p);
    }
}

objr_status objr__binaural_scene_process(objr__binaural_scene *s, const float *const *in,
                                         float *out_l, float *out_r, size_t n_frames) {
    size_t done = 0;
    while (done < n_frames) {
        /* parameters change at the renderer's block boundaries */
        size_t pos = s->pos, chunk = s->B - pos;
        if (chunk > n_frames - done)
            chunk = n_frames - done;
        if (pos == 0) {
            /* the renderer ramps gains and cross-fades filters over the block, reaching the
             * new values at its end: take the metadata at the block's end */
            const int64_t frame = s->clock + (int64_t)s->B;
            for (size_t i = 0; i < s->n_items; i++) {
                if (s->src_of_item[i] == NO_SOURCE)
                    continue;
                objr_binaural_source p;
                objr__binaural_item_params(&s->items[i], &s->cur[i], s->rate_hz, frame, s->mode[i],
                                           &p);
                p.gain *= s->gain;
                if (objr_binaural_set_source(s->b, s->src_of_item[i], &p) != OBJR_OK) {
                    p.active = 0; /* NaN from a hostile file: silence, never a crash */
                    (void)objr_binaural_set_source(s->b, s->src_of_item[i], &p);
                }
            }
            for (size_t p = 0; p < s->n_packs; p++)
                set_pack(s, &s->packs[p], frame);
            s->fresh = 0;
        }
        for (size_t i = 0; i < s->n_items; i++) {
            const float *x = in[s->items[i].input];
            if (s->src_of_item[i] != NO_SOURCE)
                s->ins[s->src_of_item[i]] = x ? x + done : NULL;
        }
        for (size_t p = 0; p < s->n_packs; p++) {
            hoa_pack *pk = &s->packs[p];
            for (size_t c = 0; c < pk->n_ch; c++) {
                const float *x = in[s->items[pk->item[c]].input];
                pk->ch_in[c] = x ? x + done : NULL;
            }
            /* the filters run even when silent, so that their state stays continuous */
            objr__binaural_hoa_process(pk->dec, pk->ch_in, pk->g_from, pk->g_to, pos, s->B,
                                       pk->active ? pk->virt : NULL, chunk);
            for (size_t k = 0; k < pk->n_virt; k++)
                s->ins[pk->first_src + k] = pk->active ? pk->virt[k] : NULL;
        }
        objr_status st = objr_binaural_process(s->b, s->ins, out_l + done, out_r + done, chunk);
        if (st != OBJR_OK)
            return st;
        done += chunk;
        s->clock += (int64_t)chunk;
        s->pos = (pos + chunk) % s->B;
        if (s->pos == 0)
            for (size_t p = 0; p < s->n_packs; p++)
                memcpy(s->packs[p].g_from, s->packs[p].g_to, s->packs[p].n_ch * sizeof(double));
    }
    return OBJR_OK;
}
