/* SPDX-License-Identifier: BSD-3-Clause */
/* The tools' progress display (tool_progress.h). */
#include "tool_progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Redraws at most this often (a terminal line, not a log). */
#define REDRAW_S 0.1
/* Speed and time left are shown once the stage has run this long (earlier they are noise). */
#define ESTIMATE_AFTER_S 0.5

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void tool_progress_init(tool_progress *p, const tool_args *a) {
    memset(p, 0, sizeof *p);
    p->prog = a->cli->prog;
    p->on = !a->quiet && isatty(STDERR_FILENO);
}

void tool_progress_prefix(tool_progress *p, const char *prefix) {
    snprintf(p->prefix, sizeof p->prefix, "%s", prefix ? prefix : "");
}

void tool_progress_clear(tool_progress *p) {
    if (p->on && p->drawn) {
        fprintf(stderr, "\r%*s\r", 79, "");
        fflush(stderr);
    }
    p->drawn = 0;
}

void tool_progress_cb(void *user, const objr_progress *pr) {
    tool_progress *p = user;
    if (!p->on || !pr)
        return;
    double t = now_s();
    const char *stage = pr->stage ? pr->stage : "";
    if (strncmp(p->stage, stage, sizeof p->stage - 1) != 0) {
        snprintf(p->stage, sizeof p->stage, "%s", stage);
        p->stage_start = t;
        p->last_draw = 0;
    }
    int done = pr->fraction >= 1.0 || pr->fraction < 0;
    if (!done && t - p->last_draw < REDRAW_S)
        return;
    p->last_draw = t;
    double elapsed = t - p->stage_start, f = pr->fraction < 0 ? 0 : pr->fraction;
    char line[160];
    int k = pr->fraction < 0 /* a stage with no measure of its own */
                ? snprintf(line, sizeof line, "%s: %s%s...", p->prog, p->prefix, stage)
                : snprintf(line, sizeof line, "%s: %s%s %3d%%", p->prog, p->prefix, stage,
                           (int)(100.0 * (f > 1 ? 1 : f)));
    if (elapsed >= ESTIMATE_AFTER_S && k > 0 && (size_t)k < sizeof line) {
        if (pr->media_done_s > 0)
            k += snprintf(line + k, sizeof line - (size_t)k, "  %.1fx realtime",
                          pr->media_done_s / elapsed);
        if (f > 0.01 && pr->fraction < 1.0) {
            long left = (long)(elapsed * (1.0 - f) / f + 0.5);
            snprintf(line + k, sizeof line - (size_t)k, "  %ld:%02ld left", left / 60, left % 60);
        }
    }
    fprintf(stderr, "\r%-79.79s", line);
    fflush(stderr);
    p->drawn = 1;
}
