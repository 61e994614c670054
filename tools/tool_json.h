/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON pieces of the tools' --json output beyond objr_json.h's strings and numbers.
 * Header-only. */
#ifndef OBJR_TOOLS_TOOL_JSON_H
#define OBJR_TOOLS_TOOL_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "objrender/objr_json.h"

/* The mastering limiter's gain reduction as a JSON object (without a key): the style, the
 * deepest reduction, the share of time with more than 1 dB, and the decimated history (the
 * deepest reduction in each of @p n equal stretches of @p point_s seconds). */
static inline void tool_json_gain_reduction(FILE *f, const char *style, double max_db,
                                            double over_1db_fraction, const float *points_db,
                                            size_t n, double point_s) {
    fputs("{\"style\": ", f);
    objr_json_write_string(f, style ? style : "");
    fputs(", \"max_db\": ", f);
    objr_json_write_number(f, max_db, 3);
    fputs(", \"over_1db_percent\": ", f);
    objr_json_write_number(f, 100.0 * over_1db_fraction, 2);
    fputs(", \"point_seconds\": ", f);
    objr_json_write_number(f, point_s, 4);
    fputs(", \"points_db\": [", f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        objr_json_write_number(f, (double)points_db[i], 2);
    }
    fputs("]}", f);
}

#endif /* OBJR_TOOLS_TOOL_JSON_H */
