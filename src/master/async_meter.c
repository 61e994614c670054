/* SPDX-License-Identifier: BSD-3-Clause */
/* Loudness metering on a worker thread (a bounded ring of interleaved blocks between the
 * mastering pass and the meter), so that the written samples are measured on the second
 * core while the first limits and encodes the next blocks. */
#include "src/master/async_meter.h"

#include <pthread.h>
#include <string.h>

/* Blocks in flight: enough to absorb jitter between the two sides. */
#define AMETER_SLOTS 4

struct objr__ameter {
    objr_loudness_meter *m;
    unsigned nc;
    size_t max_frames;
    float *slot[AMETER_SLOTS];
    size_t len[AMETER_SLOTS];
    size_t head, count; /* next slot to meter, slots filled */
    int stop, started, finished;
    objr_status err;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
};

static void *worker(void *arg) {
    objr__ameter *a = arg;
    pthread_mutex_lock(&a->mu);
    for (;;) {
        while (a->count == 0 && !a->stop)
            pthread_cond_wait(&a->not_empty, &a->mu);
        if (a->count == 0 && a->stop)
            break;
        size_t h = a->head;
        pthread_mutex_unlock(&a->mu);
        objr_status st = objr_loudness_meter_add_interleaved_f32(a->m, a->slot[h], a->len[h]);
        pthread_mutex_lock(&a->mu);
        if (st != OBJR_OK && a->err == OBJR_OK)
            a->err = st;
        a->head = (a->head + 1) % AMETER_SLOTS;
        a->count--;
        pthread_cond_signal(&a->not_full);
    }
    pthread_mutex_unlock(&a->mu);
    return NULL;
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
    for (int i = 0; i < AMETER_SLOTS; i++)
        if (!(a->slot[i] = objr__calloc(max_frames * n_channels, sizeof(float)))) {
            objr__ameter_destroy(a);
            return OBJR_ERR_NOMEM;
        }
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->not_empty, NULL);
    pthread_cond_init(&a->not_full, NULL);
    a->started = 1;
    if (pthread_create(&a->thread, NULL, worker, a) != 0) {
        a->started = 0;
        objr__ameter_destroy(a);
        return OBJR_ERR_NOMEM;
    }
    *out = a;
    return OBJR_OK;
}

/* Wait for a free slot and hand back its index (the slot is ours until commit). */
static size_t slot_acquire(objr__ameter *a) {
    pthread_mutex_lock(&a->mu);
    while (a->count == AMETER_SLOTS)
        pthread_cond_wait(&a->not_full, &a->mu);
    size_t tail = (a->head + a->count) % AMETER_SLOTS;
    pthread_mutex_unlock(&a->mu);
    return tail;
}

static void slot_commit(objr__ameter *a, size_t tail, size_t n_frames) {
    pthread_mutex_lock(&a->mu);
    a->len[tail] = n_frames;
    a->count++;
    pthread_cond_signal(&a->not_empty);
    pthread_mutex_unlock(&a->mu);
}

void objr__ameter_push(objr__ameter *a, const float *const *planar, size_t n_frames) {
    size_t tail = slot_acquire(a);
    float *d = a->slot[tail];
    const unsigned nc = a->nc;
    for (unsigned c = 0; c < nc; c++)
        for (size_t i = 0; i < n_frames; i++)
            d[i * nc + c] = planar[c][i];
    slot_commit(a, tail, n_frames);
}

void objr__ameter_push_interleaved(objr__ameter *a, const float *in, size_t n_frames) {
    size_t tail = slot_acquire(a);
    memcpy(a->slot[tail], in, n_frames * a->nc * sizeof(float));
    slot_commit(a, tail, n_frames);
}

objr_status objr__ameter_finish(objr__ameter *a) {
    if (a->started && !a->finished) {
        pthread_mutex_lock(&a->mu);
        a->stop = 1;
        pthread_cond_signal(&a->not_empty);
        pthread_mutex_unlock(&a->mu);
        pthread_join(a->thread, NULL);
        a->finished = 1;
    }
    return a->err;
}

void objr__ameter_destroy(objr__ameter *a) {
    if (!a)
        return;
    if (a->started) {
        objr__ameter_finish(a);
        pthread_mutex_destroy(&a->mu);
        pthread_cond_destroy(&a->not_empty);
        pthread_cond_destroy(&a->not_full);
    }
    for (int i = 0; i < AMETER_SLOTS; i++)
        objr__freep(&a->slot[i]);
    objr__freep(&a);
}
