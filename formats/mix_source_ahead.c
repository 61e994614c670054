/* SPDX-License-Identifier: BSD-3-Clause */
/* Read-ahead for the mix source: a second thread decodes the next blocks of every audio file
 * of the mix into a small ring of planar slots while the caller renders the current one.
 * The thread runs the synchronous path's block reads with the same sizes in the same order
 * (objr__mix_source_read_block), so samples, non-finite handling and errors are identical;
 * an error is parked in its slot and surfaces at the read that would have met it. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "formats/mix_source_internal.h"

typedef struct ahead_slot {
    float *mem;         /* every channel of every file, channel stride a->stride */
    size_t n_steps;     /* steps decoded into the slot without error */
    objr_status status; /* OBJR_OK, or the error of step n_steps (the thread then stops) */
    objr_diag diag;
    objr__mix_nonfinite nf; /* repaired samples in the slot */
} ahead_slot;

struct objr__mix_ahead {
    objr__mix_source *ms;
    size_t step, steps_per_slot, stride, n_channels;
    size_t n_slots, low, high; /* ring size; the thread resumes at <= low filled slots, the
                                  reader at >= high (fewer wake-ups: work in bursts) */
    uint64_t total;            /* frames planned */
    ahead_slot slot[OBJR__MIX_AHEAD_MAX_SLOTS];
    float **thread_ptrs, ***thread_bufs; /* the thread's per-step views into a slot */
    float **view_ptrs, ***view_bufs;     /* the caller's view: files' pub.buf */
    /* the ring, under mu */
    pthread_mutex_t mu;
    pthread_cond_t filled, freed;
    size_t head, count;
    int finished; /* the thread produced its last slot (or stopped) */
    int thread_waits, reader_waits;
    atomic_int stop;
    int started;
    pthread_t thread;
    /* the caller's side */
    int holding;     /* slot[head] is being read */
    size_t cur_step; /* steps of slot[head] handed out */
    uint64_t handed; /* frames handed out */
};

/* Per-file channel pointer arrays over one flat pointer array. */
static objr_status views(const objr__mix_source *ms, size_t n_channels, float ***ptrs,
                         float ****bufs) {
    if (!(*ptrs = objr__calloc(n_channels ? n_channels : 1, sizeof **ptrs)) ||
        !(*bufs = objr__calloc(ms->n_files ? ms->n_files : 1, sizeof **bufs)))
        return OBJR_ERR_NOMEM;
    for (size_t k = 0, c0 = 0; k < ms->n_files; k++) {
        (*bufs)[k] = *ptrs + c0;
        c0 += ms->files[k].pub.info.n_channels;
    }
    return OBJR_OK;
}

/* Point @p ptrs (all channels, file after file) at step @p step_index of @p s. */
static void aim(const objr__mix_ahead *a, const ahead_slot *s, size_t step_index, float **ptrs) {
    float *base = s->mem + step_index * a->step;
    for (size_t c = 0; c < a->n_channels; c++)
        ptrs[c] = base + c * a->stride;
}

/* Decode one slot: steps until the slot is full, the plan is done, or an error. */
static uint64_t fill_slot(objr__mix_ahead *a, ahead_slot *s, uint64_t produced) {
    s->n_steps = 0;
    s->status = OBJR_OK;
    s->nf.count = 0;
    objr_diag_clear(&s->diag);
    while (s->n_steps < a->steps_per_slot && produced < a->total &&
           !atomic_load_explicit(&a->stop, memory_order_relaxed)) {
        size_t n = a->total - produced < a->step ? (size_t)(a->total - produced) : a->step;
        aim(a, s, s->n_steps, a->thread_ptrs);
        s->status = objr__mix_source_read_block(a->ms, (float *const *const *)a->thread_bufs, n,
                                                a->step, &s->nf, &s->diag);
        if (s->status != OBJR_OK)
            break;
        s->n_steps++;
        produced += n;
    }
    return produced;
}

static void *reader_thread(void *arg) {
    objr__mix_ahead *a = arg;
    uint64_t produced = 0;
    pthread_mutex_lock(&a->mu);
    while (produced < a->total && !atomic_load(&a->stop)) {
        if (a->count == a->n_slots) {
            a->thread_waits = 1;
            while (a->count > a->low && !atomic_load(&a->stop))
                pthread_cond_wait(&a->freed, &a->mu);
            a->thread_waits = 0;
        }
        if (atomic_load(&a->stop))
            break;
        ahead_slot *s = &a->slot[(a->head + a->count) % a->n_slots];
        pthread_mutex_unlock(&a->mu); /* the slot past the filled ones is the thread's */
        produced = fill_slot(a, s, produced);
        pthread_mutex_lock(&a->mu);
        a->count++;
        if (a->reader_waits && (a->count >= a->high || s->status != OBJR_OK))
            pthread_cond_signal(&a->filled);
        if (s->status != OBJR_OK)
            break;
    }
    a->finished = 1;
    pthread_cond_signal(&a->filled);
    pthread_mutex_unlock(&a->mu);
    return NULL;
}

void objr__mix_ahead_destroy(objr__mix_ahead *a) {
    if (!a)
        return;
    if (a->started) {
        pthread_mutex_lock(&a->mu);
        atomic_store(&a->stop, 1);
        pthread_cond_broadcast(&a->freed);
        pthread_mutex_unlock(&a->mu);
        pthread_join(a->thread, NULL);
        pthread_mutex_destroy(&a->mu);
        pthread_cond_destroy(&a->filled);
        pthread_cond_destroy(&a->freed);
    }
    objr__mix_source *ms = a->ms;
    for (size_t k = 0; k < ms->n_files; k++) /* the caller's buffers are its own again */
        ms->files[k].pub.buf = ms->files[k].home;
    for (size_t i = 0; i < OBJR__MIX_AHEAD_MAX_SLOTS; i++)
        objr__freep(&a->slot[i].mem);
    objr__freep(&a->thread_ptrs);
    objr__freep(&a->thread_bufs);
    objr__freep(&a->view_ptrs);
    objr__freep(&a->view_bufs);
    objr__freep(&a);
}

/* The thread, with every signal blocked so that the caller's thread takes them. */
static objr_status launch(objr__mix_ahead *a) {
    if (pthread_mutex_init(&a->mu, NULL) != 0)
        return OBJR_ERR_NOMEM;
    if (pthread_cond_init(&a->filled, NULL) != 0) {
        pthread_mutex_destroy(&a->mu);
        return OBJR_ERR_NOMEM;
    }
    if (pthread_cond_init(&a->freed, NULL) != 0) {
        pthread_cond_destroy(&a->filled);
        pthread_mutex_destroy(&a->mu);
        return OBJR_ERR_NOMEM;
    }
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&a->thread, NULL, reader_thread, a);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        pthread_cond_destroy(&a->freed);
        pthread_cond_destroy(&a->filled);
        pthread_mutex_destroy(&a->mu);
        return OBJR_ERR_NOMEM;
    }
    a->started = 1;
    return OBJR_OK;
}

objr_status objr__mix_ahead_start(objr__mix_source *ms, size_t step_frames, size_t steps_per_slot,
                                  size_t n_slots, uint64_t n_frames, objr__mix_ahead **out) {
    *out = NULL;
    objr__mix_ahead *a = objr__calloc(1, sizeof *a);
    if (!a)
        return OBJR_ERR_NOMEM;
    a->ms = ms;
    a->step = step_frames;
    a->steps_per_slot = steps_per_slot;
    a->total = n_frames;
    a->n_slots = n_slots;
    a->low = n_slots / 2;
    a->high = n_slots / 2 > 1 ? n_slots / 2 : 1;
    atomic_init(&a->stop, 0);
    for (size_t k = 0; k < ms->n_files; k++)
        a->n_channels += ms->files[k].pub.info.n_channels;
    /* channels 64-byte apart at least, so that the two threads never share a cache line */
    a->stride = (steps_per_slot * step_frames + 15) & ~(size_t)15;
    objr_status st = OBJR_OK;
    size_t slot_floats;
    if (!objr__mul_size(a->stride, a->n_channels ? a->n_channels : 1, &slot_floats))
        st = OBJR_ERR_NOMEM;
    for (size_t i = 0; st == OBJR_OK && i < n_slots; i++)
        if (!(a->slot[i].mem = objr__calloc(slot_floats, sizeof(float))))
            st = OBJR_ERR_NOMEM;
    if (st == OBJR_OK)
        st = views(ms, a->n_channels, &a->thread_ptrs, &a->thread_bufs);
    if (st == OBJR_OK)
        st = views(ms, a->n_channels, &a->view_ptrs, &a->view_bufs);
    if (st == OBJR_OK)
        st = launch(a);
    if (st != OBJR_OK) {
        objr__mix_ahead_destroy(a);
        return st;
    }
    *out = a;
    return OBJR_OK;
}

/* Silence from the caller's own buffers (a read of 0 frames: past the plan). */
static void hand_silence(objr__mix_source *ms, size_t pad_frames) {
    for (size_t k = 0; k < ms->n_files; k++) {
        objr__mix_file_state *f = &ms->files[k];
        for (size_t c = 0; c < f->pub.info.n_channels; c++)
            memset(f->home[c], 0, pad_frames * sizeof(float));
        f->pub.buf = f->home;
    }
}

/* Hand the slot's next step to the caller: the files' buffers point into the slot, or, when
 * the caller wants more padding than a step holds, a copy in its own buffers. */
static void hand_step(objr__mix_ahead *a, const ahead_slot *s, size_t n_frames, size_t pad_frames) {
    objr__mix_source *ms = a->ms;
    aim(a, s, a->cur_step, a->view_ptrs);
    for (size_t k = 0; k < ms->n_files; k++) {
        objr__mix_file_state *f = &ms->files[k];
        if (pad_frames <= a->step) {
            f->pub.buf = a->view_bufs[k];
            continue;
        }
        for (size_t c = 0; c < f->pub.info.n_channels; c++) {
            memcpy(f->home[c], a->view_bufs[k][c], n_frames * sizeof(float));
            memset(f->home[c] + n_frames, 0, (pad_frames - n_frames) * sizeof(float));
        }
        f->pub.buf = f->home;
    }
}

/* Give the slot the caller has finished back to the thread, and wait for the next one.
 * 0 when the thread produced nothing more. */
static int next_slot(objr__mix_ahead *a) {
    pthread_mutex_lock(&a->mu);
    if (a->holding) {
        a->head = (a->head + 1) % a->n_slots;
        a->count--;
        a->holding = 0;
        if (a->thread_waits && a->count <= a->low)
            pthread_cond_signal(&a->freed);
    }
    if (a->count == 0) {
        a->reader_waits = 1;
        while (a->count < a->high && !a->finished)
            pthread_cond_wait(&a->filled, &a->mu);
        a->reader_waits = 0;
    }
    int got = a->count > 0;
    pthread_mutex_unlock(&a->mu);
    if (got) {
        a->holding = 1;
        a->cur_step = 0;
        objr__mix_nonfinite_merge(&a->ms->nonfinite, &a->slot[a->head].nf);
    }
    return got;
}

objr_status objr__mix_ahead_read(objr__mix_source *ms, objr__mix_ahead *a, size_t n_frames,
                                 size_t pad_frames, objr_diag *diag) {
    if (n_frames == 0) {
        hand_silence(ms, pad_frames);
        return OBJR_OK;
    }
    const size_t planned =
        a->total - a->handed < a->step ? (size_t)(a->total - a->handed) : a->step;
    if (n_frames != planned)
        return OBJR_ERR_INVALID_ARG;
    const ahead_slot *s = a->holding ? &a->slot[a->head] : NULL;
    if (!s || (a->cur_step == s->n_steps && s->status == OBJR_OK)) {
        if (!next_slot(a))
            return OBJR_ERR_INVALID_ARG; /* unreachable: planned > 0 means a slot follows */
        s = &a->slot[a->head];
    }
    if (a->cur_step == s->n_steps) /* the read the thread failed at */
        return objr__diag_set(diag, s->status, s->diag.element_id, s->diag.line,
                              s->diag.byte_offset, "%s", s->diag.message);
    hand_step(a, s, n_frames, pad_frames);
    a->cur_step++;
    a->handed += n_frames;
    return OBJR_OK;
}
