/* SPDX-License-Identifier: BSD-3-Clause */
/* A growing text buffer (vsnprintf into a doubling allocation) with JSON string escaping
 * (RFC 8259 §7). */
#include "src/core/sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define SBUF_FIRST_BYTES 4096

void objr__sb_printf(objr__sbuf *b, const char *fmt, ...) {
    if (b->bad)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->bad = 1;
            return;
        }
        if (b->p && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = (b->cap ? b->cap * 2 : SBUF_FIRST_BYTES) + (size_t)k;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->bad = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
}

void objr__sb_json_str(objr__sbuf *b, const char *s) {
    if (!s) {
        objr__sb_printf(b, "null");
        return;
    }
    objr__sb_printf(b, "\"");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            objr__sb_printf(b, "\\%c", *c);
        else if (*c < 0x20)
            objr__sb_printf(b, "\\u%04x", *c);
        else
            objr__sb_printf(b, "%c", *c);
    }
    objr__sb_printf(b, "\"");
}

char *objr__sb_finish(objr__sbuf *b) {
    if (b->bad) {
        free(b->p);
        b->p = NULL;
        return NULL;
    }
    if (!b->p)
        objr__sb_printf(b, "%s", "");
    return b->bad ? NULL : b->p;
}
