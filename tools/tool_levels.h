/* SPDX-License-Identifier: BSD-3-Clause */
/* Safe levels for the tools: the one warning line about overloaded samples of a render, and
 * per-channel true peaks (ITU-R BS.1770-4 Annex 2, the library's meter) of a written WAV. */
#ifndef OBJR_TOOLS_TOOL_LEVELS_H
#define OBJR_TOOLS_TOOL_LEVELS_H

#include "objrender/objr_render.h"
#include "tool_options.h"

/* One warning line when @p ls has overloaded samples: the count, the channels, the first time
 * and the peak. @p is_float: the output is float (samples kept over full scale). Returns the
 * number of overloaded samples. */
unsigned long long tool_warn_overloads(const tool_cli *cli, const char *path,
                                       const objr_render_layout_summary *ls, double rate_hz,
                                       int is_float);

/* True peak of every channel of the WAV/RF64 @p path into @p dbtp (-inf for silence);
 * @p max_channels entries at most. Returns 0 on success, -1 when it cannot be read. */
int tool_true_peaks(const char *path, double *dbtp, unsigned max_channels);

#endif /* OBJR_TOOLS_TOOL_LEVELS_H */
