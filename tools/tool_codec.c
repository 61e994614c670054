/* SPDX-License-Identifier: BSD-3-Clause */
/* The codec check of a master (objr_codec_report) as text and as JSON, for objmaster and
 * objrender --preset. */
#include "tool_codec.h"
#include "tool_options.h"

#include <math.h>

#include "tool_json.h"

/* "key": number or null, then ", ". */
static void num(FILE *f, const char *key, double v, int comma) {
    fprintf(f, "\"%s\": ", key);
    objr_json_write_number(f, v, 3);
    if (comma)
        fputs(", ", f);
}

/* The codec check as JSON: the ceiling, the re-masters and one object per codec. */
void tool_codec_json(FILE *f, const objr_codec_report *cr) {
    fputc('{', f);
    num(f, "ceiling_dbtp", cr->ceiling_dbtp, 1);
    num(f, "limiter_ceiling_dbtp", cr->limiter_ceiling_dbtp, 1);
    fprintf(f, "\"remasters\": %u, \"all_ok\": %s, \"codecs\": [", cr->remasters,
            cr->all_ok ? "true" : "false");
    for (unsigned i = 0; i < cr->n_results; i++) {
        const objr_codec_result *r = &cr->results[i];
        fprintf(f, "%s{\"codec\": \"%s\", \"checked\": %s, \"encoder\": ", i ? ", " : "",
                objr_codec_name(r->codec), r->checked ? "true" : "false");
        objr_json_write_string(f, r->encoder);
        fprintf(f, ", \"note\": ");
        objr_json_write_string(f, r->note);
        fprintf(f, ", ");
        num(f, "bitrate_kbps", r->bitrate_kbps, 1);
        num(f, "measured_kbps", r->checked ? r->real_kbps : -HUGE_VAL, 1);
        num(f, "rate_hz", r->checked ? r->rate_hz : -HUGE_VAL, 1);
        num(f, "true_peak_dbtp", r->true_peak_dbtp, 1);
        num(f, "sample_peak_dbfs", r->sample_peak_dbfs, 1);
        num(f, "integrated_lufs", r->integrated_lufs, 1);
        num(f, "master_true_peak_dbtp", r->master_true_peak_dbtp, 1);
        num(f, "master_integrated_lufs", r->master_integrated_lufs, 1);
        fprintf(f, "\"over_ceiling\": %s}", r->over_ceiling ? "true" : "false");
    }
    fprintf(f, "]}");
}

void tool_codec_text(FILE *f, const char *ind, const objr_codec_report *cr) {
    fprintf(f,
            "%scodec check (ceiling %.1f dBTP; the master limited to %.2f dBTP, %u "
            "codec-safe re-master%s):\n",
            ind, cr->ceiling_dbtp, cr->limiter_ceiling_dbtp, cr->remasters,
            cr->remasters == 1 ? "" : "s");
    for (unsigned i = 0; i < cr->n_results; i++) {
        const objr_codec_result *r = &cr->results[i];
        if (!r->checked) {
            fprintf(f, "%s  %-4s %s\n", ind, objr_codec_name(r->codec), r->note);
            continue;
        }
        fprintf(f, "%s  %-4s %.0f kbps (%.1f measured), %s\n", ind, objr_codec_name(r->codec),
                r->bitrate_kbps, r->real_kbps, r->encoder);
        fprintf(f,
                "%s       true peak %7.2f dBTP (master %.2f), integrated %.2f LUFS (master "
                "%.2f): %s\n",
                ind, r->true_peak_dbtp, r->master_true_peak_dbtp, r->integrated_lufs,
                r->master_integrated_lufs, r->over_ceiling ? "OVER the ceiling" : "PASS");
    }
}

objr_master_format tool_master_format(int ff) {
    switch (ff) {
    case TOOL_FF_FLAC:
        return OBJR_MASTER_FLAC;
    case TOOL_FF_MP3:
        return OBJR_MASTER_MP3;
    case TOOL_FF_OPUS:
        return OBJR_MASTER_OPUS;
    case TOOL_FF_CAF:
        return OBJR_MASTER_CAF;
    default:
        return OBJR_MASTER_WAV;
    }
}
