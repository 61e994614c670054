/* SPDX-License-Identifier: BSD-3-Clause */
/* A growing text buffer for the library's text and JSON summaries (the caller frees p). */
#ifndef OBJR_SRC_CORE_SBUF_H
#define OBJR_SRC_CORE_SBUF_H

#include <stddef.h>

#include "src/core/core.h"

typedef struct objr__sbuf {
    char *p;
    size_t n, cap;
    int bad; /* an allocation or format failed: p is then incomplete */
} objr__sbuf;

/** Append printf-style text; on failure sets b->bad and appends nothing more. */
OBJR_HIDDEN void objr__sb_printf(objr__sbuf *b, const char *fmt, ...) OBJR_PRINTF(2, 3);
/** Append @p n bytes of @p s as they are; on failure sets b->bad. */
OBJR_HIDDEN void objr__sb_put(objr__sbuf *b, const char *s, size_t n);
/** Append @p s as a JSON string ("null" for NULL), escaping quotes, backslashes and controls. */
OBJR_HIDDEN void objr__sb_json_str(objr__sbuf *b, const char *s);
/** The text (malloc'd, caller frees), or NULL (and the buffer freed) after a failure. */
OBJR_HIDDEN char *objr__sb_finish(objr__sbuf *b);

#endif /* OBJR_SRC_CORE_SBUF_H */
