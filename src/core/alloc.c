/* SPDX-License-Identifier: BSD-3-Clause */
/* Allocation wrappers with overflow checks and a failure-injection hook for tests
 * (STYLE.md §5, §9 allocation-failure test). */
#include "src/core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local long fail_countdown; /* 0 = disabled */

void objr__alloc_fail_after(long n) {
    fail_countdown = n;
}

static int should_fail(void) {
    if (fail_countdown <= 0)
        return 0;
    return --fail_countdown == 0;
}

void *objr__malloc(size_t n) {
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *objr__calloc(size_t n, size_t size) {
    size_t total;
    if (!objr__mul_size(n, size, &total) || should_fail())
        return NULL;
    return calloc(total ? total : 1, 1);
}

void *objr__realloc_array(void *p, size_t n, size_t size) {
    size_t total;
    if (!objr__mul_size(n, size, &total) || should_fail())
        return NULL;
    return realloc(p, total ? total : 1);
}

void objr__freep(void *pp) {
    void **p = (void **)pp;
    free(*p);
    *p = NULL;
}

char *objr__strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = objr__malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void objr__assert_fail(const char *expr, const char *file, int line) {
    /* An internal invariant failed: this is a bug in objrender, not bad input. */
    fprintf(stderr, "objrender: internal assertion failed: %s (%s:%d)\n", expr, file, line);
    abort();
}

void objr__one_line(char *s) {
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

objr_status objr__diag_set(objr_diag *d, objr_status st, const char *element_id, long line,
                           size_t byte_offset, const char *fmt, ...) {
    if (!d || d->message[0]) /* keep the first error: later ones are usually consequences */
        return st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    va_end(ap);
    snprintf(d->element_id, sizeof d->element_id, "%s", element_id ? element_id : "");
    objr__one_line(d->message);
    objr__one_line(d->element_id);
    d->line = line;
    d->byte_offset = byte_offset;
    return st;
}
