/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal core helpers shared across the library: allocation, overflow-checked sizes,
 * diagnostics formatting, CPU dispatch. Never installed. */
#ifndef OBJR_SRC_CORE_CORE_H
#define OBJR_SRC_CORE_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_status.h"

#define OBJR_HIDDEN __attribute__((visibility("hidden")))

/** pi (M_PI is not part of C11). */
#define OBJR_PI 3.14159265358979323846

#if defined(__GNUC__) || defined(__clang__)
#define OBJR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define OBJR_PRINTF(fmt, args)
#endif

/** Internal invariant check: on in every build (STYLE.md §4: internal invariants only). */
#define OBJR_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            objr__assert_fail(#cond, __FILE__, __LINE__);                                          \
    } while (0)
OBJR_HIDDEN void objr__assert_fail(const char *expr, const char *file, int line);

/** a*b into *out; returns 0 on overflow (and leaves *out untouched). */
static inline int objr__mul_size(size_t a, size_t b, size_t *out) {
    if (a != 0 && b > SIZE_MAX / a)
        return 0;
    *out = a * b;
    return 1;
}

OBJR_HIDDEN void *objr__malloc(size_t n);
OBJR_HIDDEN void *objr__calloc(size_t n, size_t size);
/** realloc of n*size bytes with overflow check; NULL on failure, *p untouched. */
OBJR_HIDDEN void *objr__realloc_array(void *p, size_t n, size_t size);
/** free(*pp) and set *pp = NULL. @p pp is a pointer to any object pointer. */
OBJR_HIDDEN void objr__freep(void *pp);
OBJR_HIDDEN char *objr__strdup(const char *s);

/** Test hook: make the Nth allocation from now fail (0 = never). Thread-local, tests only. */
OBJR_HIDDEN void objr__alloc_fail_after(long n);

/** Make @p s one line: every control character (a newline or CR inside an ID quoted from the
 *  input, a tab) becomes '?'. Messages, warnings and findings all pass through it. */
OBJR_HIDDEN void objr__one_line(char *s);

/** Fill @p d (NULL-safe) with a formatted message (made one line); returns @p st for tail
 *  calls. */
OBJR_HIDDEN objr_status objr__diag_set(objr_diag *d, objr_status st, const char *element_id,
                                       long line, size_t byte_offset, const char *fmt, ...)
    OBJR_PRINTF(6, 7);

/** CPU features after the mask; see objr_cpu_features(). */
OBJR_HIDDEN unsigned objr__cpu_flags(void);

#endif /* OBJR_SRC_CORE_CORE_H */
