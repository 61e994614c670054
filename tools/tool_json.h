/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON text for the tools' --json output (RFC 8259 string escaping; numbers that are not
 * finite become null). Header-only. */
#ifndef OBJR_TOOLS_TOOL_JSON_H
#define OBJR_TOOLS_TOOL_JSON_H

#include <math.h>
#include <stdio.h>

/* @p s as a JSON string literal. */
static inline void tool_json_string(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* @p v with @p decimals decimals, or null when not finite. */
static inline void tool_json_number(FILE *f, double v, int decimals) {
    if (isfinite(v))
        fprintf(f, "%.*f", decimals, v);
    else
        fputs("null", f);
}

#endif /* OBJR_TOOLS_TOOL_JSON_H */
