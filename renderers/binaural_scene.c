/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM render items to binaural renderer parameters, block by block (BS.2076-2 §5.4.3 block
 * timing, jumpPosition / interpolationLength; BS.2127-1 §10 cartesian-to-polar conversion). */
#include "renderers/binaural_scene.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "renderers/allocentric.h"

struct objr__binaural_scene {
    objr_binaural *b;
    objr__binaural_item *items;
    size_t n_items, n_inputs, B;
    double rate_hz, gain;
    int64_t clock;     /* frames rendered so far (input time) */
    size_t pos;        /* position within the renderer's block (its FIFO restarts on reset) */
    const float **ins; /* n_items pointers for one block */
};

void objr__binaural_scene_destroy(objr__binaural_scene *s) {
    if (!s)
        return;
    objr_binaural_destroy(s->b);
    free(s->items);
    free(s->ins);
    free(s);
}

size_t objr__binaural_scene_latency(const objr__binaural_scene *s) {
    return objr_binaural_latency_frames(s->b);
}

void objr__binaural_scene_seek(objr__binaural_scene *s, int64_t frame) {
    s->clock = frame;
    s->pos = 0;
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

static double block_start(const objr__binaural_item *it, const objr__adm_block_common *c) {
    return it->start_s + (c->has_rtime ? objr__adm_time_seconds(c->rtime) : 0.0);
}

static const objr__adm_block_common *common(const objr__binaural_item *it, size_t i) {
    return it->type == OBJR__TYPE_OBJECTS ? &it->obj_blocks[i].c : &it->ds_blocks[i].c;
}

/* index of the block active at t, or -1 */
static long active_block(const objr__binaural_item *it, double t) {
    if (it->has_duration && t >= it->start_s + it->duration_s)
        return -1;
    long found = -1;
    for (size_t i = 0; i < it->n_blocks; i++) {
        const objr__adm_block_common *c = common(it, i);
        double s0 = block_start(it, c);
        if (t < s0)
            break;
        if (c->has_duration && t >= s0 + objr__adm_time_seconds(c->duration)) {
            /* a later block may start exactly here; without one, silence */
            found = -1;
            continue;
        }
        found = (long)i;
    }
    if (it->n_blocks == 1 && !common(it, 0)->has_rtime && t >= it->start_s)
        found = 0; /* a single block without timing lasts as long as the object */
    return found;
}

void objr__binaural_item_params(const objr__binaural_item *it, double t,
                                objr_binaural_source *src) {
    *src = objr_binaural_source_default();
    long bi = active_block(it, t);
    if (bi < 0 || it->gain == 0.0) {
        src->active = 0;
        return;
    }
    size_t i = (size_t)bi;
    const objr__adm_block_common *c = common(it, i);
    src->gain = it->gain * c->gain;
    if (c->headphone_virtualise.present)
        src->mode = objr_binaural_mode_from_adm(c->headphone_virtualise.bypass,
                                                c->headphone_virtualise.has_drr,
                                                c->headphone_virtualise.drr_db);
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
    /* interpolate the direction from the previous block's over the interpolation length
     * (the whole block unless jumpPosition says otherwise) */
    if (i > 0) {
        double s0 = block_start(it, c), len;
        if (b->jump_position)
            len = b->has_interpolation_length ? b->interpolation_length_s : 0.0;
        else
            len = c->has_duration ? objr__adm_time_seconds(c->duration) : 0.0;
        double a = len > 0 ? (t - s0) / len : 1.0;
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

objr_status objr__binaural_scene_create(const objr_binaural_config *cfg,
                                        const objr__binaural_item *items, size_t n_items,
                                        size_t n_inputs, double gain_db, objr_diag *diag,
                                        objr__binaural_scene **out) {
    *out = NULL;
    for (size_t i = 0; i < n_items; i++) {
        if (items[i].type != OBJR__TYPE_OBJECTS && items[i].type != OBJR__TYPE_DIRECT_SPEAKERS)
            return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, items[i].id, 0, (size_t)-1,
                                  "binaural: %s: only Objects and DirectSpeakers are rendered "
                                  "binaurally (HOA, Matrix and Binaural types are not yet)",
                                  items[i].id ? items[i].id : "item");
        if (items[i].input >= n_inputs ||
            (items[i].n_blocks && !(items[i].obj_blocks || items[i].ds_blocks)))
            return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, items[i].id, 0, (size_t)-1,
                                  "binaural: invalid render item");
    }
    objr__binaural_scene *s = objr__calloc(1, sizeof *s);
    if (!s)
        return OBJR_ERR_NOMEM;
    objr_binaural_config c = *cfg;
    c.max_sources = n_items ? n_items : 1;
    objr_status st = objr_binaural_create(&c, diag, &s->b);
    if (st != OBJR_OK)
        goto fail;
    s->items = objr__calloc(n_items ? n_items : 1, sizeof *s->items);
    s->ins = objr__calloc(n_items ? n_items : 1, sizeof *s->ins);
    if (!s->items || !s->ins) {
        st = OBJR_ERR_NOMEM;
        goto fail;
    }
    if (n_items)
        memcpy(s->items, items, n_items * sizeof *items);
    s->n_items = n_items, s->n_inputs = n_inputs;
    s->B = objr_binaural_block_frames(s->b);
    s->rate_hz = cfg->sample_rate_hz;
    s->gain = pow(10.0, gain_db / 20.0);
    *out = s;
    return OBJR_OK;
fail:
    objr__binaural_scene_destroy(s);
    return st;
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
            double t = (double)(s->clock + (int64_t)s->B) / s->rate_hz;
            for (size_t i = 0; i < s->n_items; i++) {
                objr_binaural_source p;
                objr__binaural_item_params(&s->items[i], t, &p);
                p.gain *= s->gain;
                if (objr_binaural_set_source(s->b, i, &p) != OBJR_OK) {
                    p.active = 0; /* NaN from a hostile file: silence, never a crash */
                    (void)objr_binaural_set_source(s->b, i, &p);
                }
            }
        }
        for (size_t i = 0; i < s->n_items; i++) {
            const float *x = in[s->items[i].input];
            s->ins[i] = x ? x + done : NULL;
        }
        objr_status st = objr_binaural_process(s->b, s->ins, out_l + done, out_r + done, chunk);
        if (st != OBJR_OK)
            return st;
        done += chunk;
        s->clock += (int64_t)chunk;
        s->pos = (pos + chunk) % s->B;
    }
    return OBJR_OK;
}
