/* SPDX-License-Identifier: BSD-3-Clause */
/* Loudness metering on a worker thread (an async_stage of interleaved blocks between the
 * mastering pass and the meter), so that the samples are measured on the second core while
 * the first reads, limits or encodes the next blocks. */
#include "src/master/async_meter.h"

#include <string.h>

#include "src/master/async_stage.h"

struct objr__ameter {
    objr_loudness_meter *m;
    unsigned nc;
    size_t max_frames;
    objr__astage *stage;
};

static objr_status meter_block(void *user, float *block, size_t n_frames) {
    objr__ameter *a = user;
    return objr_loudness_meter_add_interleaved_f32(a->m, block, n_frames);
}

objr_status objr__ameter_create(objr_loudness_meter *m, unsigned n_channels, size_t max_frames,
                                objr__ameter **out) {
    *out = NULL;
    objr__ameter *a = objr__calloc(1, sizeof *a);
    if (!a)
        return OBJR_ERR_NOMEM;
    a->m = m;
    a->nc = n_channels;
    a->max_frames = max_frames;
    objr_status st = objr__astage_create(meter_block, a, max_frames * n_channels, &a->stage);
    if (st != OBJR_OK) {
        objr__freep(&a);
        return st;
    }
    *out = a;
    return OBJR_OK;
}

void objr__ameter_push(objr__ameter *a, const float *const *planar, size_t n_frames) {
    float *d = objr__astage_acquire(a->stage);
    const unsigned nc = a->nc;
    for (unsigned c = 0; c < nc; c++)
        for (size_t i = 0; i < n_frames; i++)
            d[i * nc + c] = planar[c][i];
    objr__astage_commit(a->stage, n_frames);
}

void objr__ameter_push_interleaved(objr__ameter *a, const float *in, size_t n_frames) {
    memcpy(objr__astage_acquire(a->stage), in, n_frames * a->nc * sizeof(float));
    objr__astage_commit(a->stage, n_frames);
}

objr_status objr__ameter_finish(objr__ameter *a) {
    return objr__astage_finish(a->stage);
}

void objr__ameter_destroy(objr__ameter *a) {
    if (!a)
        return;
    objr__astage_destroy(a->stage);
    objr__freep(&a);
}
