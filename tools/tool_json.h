/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON text for the tools' --json output (RFC 8259 string escaping; numbers that are not
 * finite become null). Header-only. */
#ifndef OBJR_TOOLS_TOOL_JSON_H
#define OBJR_TOOLS_TOOL_JSON_H

#include <math.h>
#include <stddef.h>
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

/* The mastering limiter's gain reduction as a JSON object (without a key): the style, the
 * deepest reduction, the share of time with more than 1 dB, and the decimated history (the
 * deepest reduction in each of @p n equal stretches of @p point_s seconds). */
static inline void tool_json_gain_reduction(FILE *f, const char *style, double max_db,
                                            double over_1db_fraction, const float *points_db,
                                            size_t n, double point_s) {
    fputs("{\"style\": ", f);
    tool_json_string(f, style ? style : "");
    fputs(", \"max_db\": ", f);
    tool_json_number(f, max_db, 3);
    fputs(", \"over_1db_percent\": ", f);
    tool_json_number(f, 100.0 * over_1db_fraction, 2);
    fputs(", \"point_seconds\": ", f);
    tool_json_number(f, point_s, 4);
    fputs(", \"points_db\": [", f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        tool_json_number(f, (double)points_db[i], 2);
    }
    fputs("]}", f);
}

#endif /* OBJR_TOOLS_TOOL_JSON_H */
