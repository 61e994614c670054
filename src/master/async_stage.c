/* SPDX-License-Identifier: BSD-3-Clause */
/* A streaming stage on a worker thread: a bounded ring of blocks (producer fills, worker
 * processes in order), the pattern of formats/mix_source_ahead.c's read-ahead, with a
 * callback so that metering and quantise-and-write share it. POSIX threads. */
#include "src/master/async_stage.h"

#include <pthread.h>

/* Blocks in flight: enough to absorb jitter between the two sides. */
#define ASTAGE_SLOTS 4

struct objr__astage {
    objr__astage_fn fn;
    void *user;
    float *slot[ASTAGE_SLOTS];
    size_t len[ASTAGE_SLOTS];
    size_t head, count; /* next slot to process, slots filled */
    int stop, started, finished;
    objr_status err;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
};

static void *worker(void *arg) {
    objr__astage *a = arg;
    pthread_mutex_lock(&a->mu);
    for (;;) {
        while (a->count == 0 && !a->stop)
            pthread_cond_wait(&a->not_empty, &a->mu);
        if (a->count == 0 && a->stop)
            break;
        const size_t h = a->head;
        const int failed = a->err != OBJR_OK;
        pthread_mutex_unlock(&a->mu);
        objr_status st = failed ? OBJR_OK : a->fn(a->user, a->slot[h], a->len[h]);
        pthread_mutex_lock(&a->mu);
        if (st != OBJR_OK && a->err == OBJR_OK)
            a->err = st;
        a->head = (a->head + 1) % ASTAGE_SLOTS;
        a->count--;
        pthread_cond_signal(&a->not_full);
    }
    pthread_mutex_unlock(&a->mu);
    return NULL;
}

objr_status objr__astage_create(objr__astage_fn fn, void *user, size_t block_floats,
                                objr__astage **out) {
    *out = NULL;
    objr__astage *a = objr__calloc(1, sizeof *a);
    if (!a)
        return OBJR_ERR_NOMEM;
    a->fn = fn;
    a->user = user;
    for (int i = 0; i < ASTAGE_SLOTS; i++)
        if (!(a->slot[i] = objr__calloc(block_floats ? block_floats : 1, sizeof(float)))) {
            objr__astage_destroy(a);
            return OBJR_ERR_NOMEM;
        }
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->not_empty, NULL);
    pthread_cond_init(&a->not_full, NULL);
    a->started = 1;
    if (pthread_create(&a->thread, NULL, worker, a) != 0) {
        a->finished = 1; /* no thread to join */
        objr__astage_destroy(a);
        return OBJR_ERR_NOMEM;
    }
    *out = a;
    return OBJR_OK;
}

float *objr__astage_acquire(objr__astage *a) {
    pthread_mutex_lock(&a->mu);
    while (a->count == ASTAGE_SLOTS)
        pthread_cond_wait(&a->not_full, &a->mu);
    const size_t tail = (a->head + a->count) % ASTAGE_SLOTS;
    pthread_mutex_unlock(&a->mu);
    return a->slot[tail];
}

void objr__astage_commit(objr__astage *a, size_t n_frames) {
    pthread_mutex_lock(&a->mu);
    a->len[(a->head + a->count) % ASTAGE_SLOTS] = n_frames;
    a->count++;
    pthread_cond_signal(&a->not_empty);
    pthread_mutex_unlock(&a->mu);
}

objr_status objr__astage_status(objr__astage *a) {
    pthread_mutex_lock(&a->mu);
    objr_status st = a->err;
    pthread_mutex_unlock(&a->mu);
    return st;
}

objr_status objr__astage_finish(objr__astage *a) {
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

void objr__astage_destroy(objr__astage *a) {
    if (!a)
        return;
    if (a->started) {
        objr__astage_finish(a);
        pthread_mutex_destroy(&a->mu);
        pthread_cond_destroy(&a->not_empty);
        pthread_cond_destroy(&a->not_full);
    }
    for (int i = 0; i < ASTAGE_SLOTS; i++)
        objr__freep(&a->slot[i]);
    objr__freep(&a);
}
