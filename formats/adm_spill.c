/* SPDX-License-Identifier: BSD-3-Clause */
/* Block arrays of a large document kept in a temporary file (formats/adm_model.h, "spill").
 *
 * A long session's metadata is almost all block formats: a 4-minute, 118-object Pro Tools
 * export with automation every 512 samples has 2.6 million of them, a gigabyte as structs.
 * Their arrays are laid out one after another in a shared mapping of an unlinked temporary
 * file. Every reader of the model keeps plain pointers, but the pages are the file's: the
 * passes that walk the blocks (reading, fixing, validating, each render's set-up and play) give
 * back what they have passed with objr__adm_release_blocks(), and the kernel writes the pages
 * to the file when it needs the memory. What stays resident is what is being worked on.
 *
 * The temporary file lives in $TMPDIR, else /var/tmp (on disk where /tmp is a RAM disk), else
 * /tmp; it has no name from the start (O_TMPFILE) or loses it at once, so nothing is left
 * behind whatever ends the process. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* O_TMPFILE, MADV_DONTNEED */
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/adm_model.h"

/* The file grows in steps of this size (each step one ftruncate). */
#define SPILL_STEP_BYTES ((size_t)32 << 20)
#define SPILL_ALIGN 64u
/* Documents at least this long spill (OBJR_ADM_SPILL_BYTES overrides, e.g. 1 for tests). */
#define SPILL_DEFAULT_FROM_BYTES ((size_t)4 << 20)
/* The shortest text one audioBlockFormat can be: "<audioBlockFormat/>". */
#define MIN_BLOCK_TEXT 19u

struct objr__adm_spill {
    int fd;
    char *base;
    size_t reserved;   /* address space reserved for the file */
    size_t file_bytes; /* the file's size: every used byte is below it */
    size_t used;       /* bump pointer */
    int error;         /* errno of the growth that failed, 0 if none */
    char dir[256];     /* where the file is, for messages */
    struct objr__adm_spill *next_live, **prev_live;
};

/* Every spill alive in the process, for objr__adm_release_blocks(): renderers borrow block
 * pointers without the model they come from. */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct objr__adm_spill *live;
/* How many: a process without a spilled document (every short scene) never takes the lock or
 * makes the call, so a render in a real-time thread stays free of both. */
static atomic_size_t n_live;

size_t objr__adm_spill_threshold(void) {
    const char *e = getenv("OBJR_ADM_SPILL_BYTES");
    if (e && *e) {
        char *end = NULL;
        unsigned long long v = strtoull(e, &end, 10);
        if (end && *end == '\0')
            return v == 0 ? SIZE_MAX : (size_t)v; /* 0: never */
    }
    return SPILL_DEFAULT_FROM_BYTES;
}

static int open_tmp_in(const char *dir) {
    if (!dir || !*dir)
        return -1;
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
#endif
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/objrender-blocks-XXXXXX", dir) >= sizeof path)
        return -1;
    int fd2 = mkstemp(path);
    if (fd2 >= 0)
        unlink(path);
    return fd2;
}

static int open_tmp(char *dir, size_t n) {
    const char *const dirs[] = {getenv("TMPDIR"), "/var/tmp", "/tmp"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        int fd = open_tmp_in(dirs[i]);
        if (fd >= 0) {
            snprintf(dir, n, "%s", dirs[i]);
            return fd;
        }
    }
    return -1;
}

objr_status objr__adm_spill_open(objr__adm_model *m, size_t xml_bytes) {
    if (m->spill)
        return OBJR_OK;
    size_t max_block = sizeof(objr__adm_block_objects);
    if (sizeof(objr__adm_block_direct_speakers) > max_block)
        max_block = sizeof(objr__adm_block_direct_speakers);
    if (sizeof(objr__adm_block_hoa) > max_block)
        max_block = sizeof(objr__adm_block_hoa);
    if (sizeof(objr__adm_block_matrix) > max_block)
        max_block = sizeof(objr__adm_block_matrix);
    /* as many blocks as the text can hold, each in the largest struct, with growth slack */
    size_t blocks = xml_bytes / MIN_BLOCK_TEXT + 1024, reserve;
    if (!objr__mul_size(blocks, max_block + SPILL_ALIGN, &reserve) || reserve > SIZE_MAX / 2)
        return OBJR_ERR_LIMIT;
    reserve = reserve * 3 / 2 + SPILL_STEP_BYTES;
    struct objr__adm_spill *s = objr__calloc(1, sizeof *s);
    if (!s)
        return OBJR_ERR_NOMEM;
    s->fd = open_tmp(s->dir, sizeof s->dir);
    if (s->fd < 0) {
        free(s);
        return OBJR_ERR_IO;
    }
    void *base = mmap(NULL, reserve, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
    if (base == MAP_FAILED) {
        close(s->fd);
        free(s);
        return OBJR_ERR_NOMEM;
    }
    s->base = base;
    s->reserved = reserve;
    pthread_mutex_lock(&live_lock);
    s->next_live = live;
    s->prev_live = &live;
    if (live)
        live->prev_live = &s->next_live;
    live = s;
    atomic_fetch_add(&n_live, 1);
    pthread_mutex_unlock(&live_lock);
    m->spill = s;
    return OBJR_OK;
}

void objr__adm_spill_close(objr__adm_model *m) {
    struct objr__adm_spill *s = m ? m->spill : NULL;
    if (!s)
        return;
    pthread_mutex_lock(&live_lock);
    *s->prev_live = s->next_live;
    if (s->next_live)
        s->next_live->prev_live = s->prev_live;
    atomic_fetch_sub(&n_live, 1);
    pthread_mutex_unlock(&live_lock);
    munmap(s->base, s->reserved);
    close(s->fd);
    free(s);
    m->spill = NULL;
}

/* Room up to @p end bytes: the file grown to cover it. The space past `used` was never written
 * (the spill only ever appends), so it reads as zeros without being touched: growing an array
 * costs no resident memory for its spare capacity. */
static int spill_room(struct objr__adm_spill *s, size_t end) {
    if (end > s->reserved)
        return 0;
    if (end <= s->file_bytes)
        return 1;
    size_t want = (end + SPILL_STEP_BYTES - 1) / SPILL_STEP_BYTES * SPILL_STEP_BYTES;
    if (want > s->reserved)
        want = s->reserved;
    /* the blocks are allocated now, not when a page is first written: a full disk is an
     * error here, never a SIGBUS in the middle of a pass */
    int r = posix_fallocate(s->fd, (off_t)s->file_bytes, (off_t)(want - s->file_bytes));
    if (r == EINVAL || r == EOPNOTSUPP) { /* a file system without it */
        do
            r = ftruncate(s->fd, (off_t)want) == 0 ? 0 : errno;
        while (r == EINTR);
    }
    if (r != 0) {
        s->error = r;
        return 0;
    }
    s->file_bytes = want;
    return 1;
}

void *objr__adm_grow_blocks(objr__adm_model *m, void *p, size_t n_old, size_t n_new, size_t size) {
    struct objr__adm_spill *s = m->spill;
    if (!s)
        return objr__adm_grow(m, p, n_old, n_new, size);
    size_t old_bytes, new_bytes;
    if (!objr__mul_size(n_new, size, &new_bytes) || !objr__mul_size(n_old, size, &old_bytes) ||
        n_new < n_old || new_bytes > SIZE_MAX / 2)
        return NULL;
    char *q = p;
    if (q && q >= s->base && q + old_bytes == s->base + s->used) {
        /* the array at the end of the file (the channel being read): grown in place */
        size_t at = (size_t)(q - s->base);
        if (!spill_room(s, at + new_bytes))
            return NULL;
        s->used = at + new_bytes; /* past the old end nothing was written: zeros already */
        return q;
    }
    size_t at = (s->used + SPILL_ALIGN - 1) / SPILL_ALIGN * SPILL_ALIGN;
    if (at > SIZE_MAX - new_bytes || !spill_room(s, at + new_bytes))
        return NULL;
    char *d = s->base + at;
    if (q && old_bytes)
        memcpy(d, q, old_bytes);
    s->used = at + new_bytes;
    return d;
}

int objr__adm_spill_failure(const objr__adm_model *m, char *msg, size_t n) {
    const struct objr__adm_spill *s = m ? m->spill : NULL;
    if (!s || (!s->error && s->used + SPILL_STEP_BYTES < s->reserved))
        return 0;
    if (s->error)
        snprintf(msg, n,
                 "cannot grow the temporary file of block formats in %s: %s (set TMPDIR "
                 "to a folder with room)",
                 s->dir, strerror(s->error));
    else
        snprintf(msg, n, "more block formats than the temporary file was sized for");
    return 1;
}

size_t objr__adm_spill_bytes(const objr__adm_model *m) {
    return m && m->spill ? m->spill->used : 0;
}

void objr__adm_release_blocks(void) {
    if (atomic_load_explicit(&n_live, memory_order_relaxed) == 0)
        return;
    pthread_mutex_lock(&live_lock);
    for (struct objr__adm_spill *s = live; s; s = s->next_live)
        if (s->file_bytes)
            (void)madvise(s->base, s->file_bytes, MADV_DONTNEED);
    pthread_mutex_unlock(&live_lock);
}
