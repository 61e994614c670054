/* SPDX-License-Identifier: BSD-3-Clause */
/* The codec check of a master as text and JSON (objmaster, objrender --preset). */
#ifndef OBJR_TOOLS_TOOL_CODEC_H
#define OBJR_TOOLS_TOOL_CODEC_H

#include <stdio.h>

#include "objrender/objr_master.h"

/* {"ceiling_dbtp", "limiter_ceiling_dbtp", "remasters", "all_ok", "codecs": [{codec, checked,
 * encoder, note, bitrate_kbps, measured_kbps, rate_hz, true_peak_dbtp, sample_peak_dbfs,
 * integrated_lufs, master_true_peak_dbtp, master_integrated_lufs, over_ceiling}]}. */
void tool_codec_json(FILE *f, const objr_codec_report *cr);
/* One header line and one or two lines per codec, each starting with @p ind. */
void tool_codec_text(FILE *f, const char *ind, const objr_codec_report *cr);

/* The master format that writes file format @p ff (TOOL_FF_*, tool_options.h). */
objr_master_format tool_master_format(int ff);

#endif /* OBJR_TOOLS_TOOL_CODEC_H */
