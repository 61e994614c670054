/* SPDX-License-Identifier: BSD-3-Clause */
/* The tools' progress display: one line on a terminal, redrawn in place, fed by the library's
 * progress callbacks (objr_progress): stage, percent, speed (x realtime) and time left.
 * Silent when stderr is not a terminal or with --quiet. */
#ifndef OBJR_TOOLS_TOOL_PROGRESS_H
#define OBJR_TOOLS_TOOL_PROGRESS_H

#include "objrender/objr_status.h"
#include "tool_options.h"

typedef struct tool_progress {
    const char *prog;
    int on;             /* display enabled */
    char stage[48];     /* current stage */
    char prefix[96];    /* shown before the stage ("2.0: ") */
    double stage_start; /* monotonic seconds at the stage's first report */
    double last_draw;   /* monotonic seconds of the last redraw */
    int drawn;          /* a line is on screen */
} tool_progress;

/* Enabled when stderr is a terminal and --quiet was not given. */
void tool_progress_init(tool_progress *p, const tool_args *a);
/* objr_progress_fn: @p user is the tool_progress. */
void tool_progress_cb(void *user, const objr_progress *pr);
/* Text shown before the stage (e.g. the layout being mastered); NULL clears it. */
void tool_progress_prefix(tool_progress *p, const char *prefix);
/* Clears the line (call before printing anything else, and at the end). */
void tool_progress_clear(tool_progress *p);

#endif /* OBJR_TOOLS_TOOL_PROGRESS_H */
