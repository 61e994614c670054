/* SPDX-License-Identifier: BSD-3-Clause */
/* A growing text buffer (vsnprintf into a doubling allocation) with JSON string escaping
 * (RFC 8259 §7), to a buffer or (objr_json.h) to a stream. */
#include "src/core/sbuf.h"

#include "objrender/objr_json.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* @p s as a JSON string literal, handed to @p emit piece by piece ("null" for NULL). */
static void json_quote(const char *s, void (*emit)(void *ctx, const char *piece), void *ctx) {
    char e[8];
    if (!s) {
        emit(ctx, "null");
        return;
    }
    emit(ctx, "\"");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            snprintf(e, sizeof e, "\\%c", *c);
        else if (*c < 0x20)
            snprintf(e, sizeof e, "\\u%04x", *c);
        else {
            e[0] = (char)*c;
            e[1] = 0;
        }
        emit(ctx, e);
    }
    emit(ctx, "\"");
}

static void emit_sbuf(void *ctx, const char *piece) {
    objr__sb_printf(ctx, "%s", piece);
}
static void emit_file(void *ctx, const char *piece) {
    fputs(piece, ctx);
}

void objr__sb_json_str(objr__sbuf *b, const char *s) {
    json_quote(s, emit_sbuf, b);
}

void objr_json_write_string(FILE *f, const char *s) {
    json_quote(s, emit_file, f);
}

void objr_json_write_number(FILE *f, double v, int decimals) {
    if (isfinite(v))
        fprintf(f, "%.*f", decimals < 0 ? 0 : decimals > 17 ? 17 : decimals, v);
    else
        fputs("null", f);
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

void objr__sb_put(objr__sbuf *b, const char *s, size_t n) {
    if (b->bad || n == 0)
        return;
    if (n >= b->cap - b->n || !b->p) {
        size_t cap = b->cap ? b->cap : SBUF_FIRST_BYTES;
        while (cap - b->n <= n) {
            if (cap > SIZE_MAX / 2) {
                b->bad = 1;
                return;
            }
            cap *= 2;
        }
        char *q = realloc(b->p, cap); /* glibc moves large blocks with mremap: no copy */
        if (!q) {
            b->bad = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
