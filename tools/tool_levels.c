/* SPDX-License-Identifier: BSD-3-Clause */
/* Safe levels for the tools (tool_levels.h). */
#include "tool_levels.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "objrender/objr_bwf.h"
#include "objrender/objr_master.h"

unsigned long long tool_warn_overloads(const tool_cli *cli, const char *path,
                                       const objr_render_layout_summary *ls, double rate_hz,
                                       int is_float) {
    unsigned long long total = 0;
    unsigned n_ch = 0;
    double peak = -INFINITY;
    for (uint32_t c = 0; c < ls->n_channels && c < OBJR_RENDER_MAX_CHANNELS; c++) {
        if (!ls->n_overloads[c])
            continue;
        total += ls->n_overloads[c];
        n_ch++;
        if (ls->peak_dbfs[c] > peak)
            peak = ls->peak_dbfs[c];
    }
    if (!total)
        return 0;
    double t = rate_hz > 0 ? (double)ls->first_overload_frame / rate_hz : 0.0;
    tool_warn(cli, "%s: %llu sample%s %s in %u channel%s (first at %.3f s, peak %+.2f dBFS)%s",
              path, total, total == 1 ? "" : "s", is_float ? "over 0 dBFS" : "clipped", n_ch,
              n_ch == 1 ? "" : "s", t, peak,
              is_float ? ": kept in the float file; lower --gain or master with --preset"
                       : ": lower --gain, master with --preset, or refuse with --fail-on-overload");
    return total;
}

int tool_true_peaks(const char *path, double *dbtp, unsigned max_channels) {
    objr_bwf *f = NULL;
    objr_bwf_format fmt;
    objr_bwf_read_config cfg = objr_bwf_read_config_default();
    if (objr_bwf_open_file(path, &cfg, NULL, &f) != OBJR_OK ||
        objr_bwf_get_format(f, &fmt) != OBJR_OK || fmt.n_channels == 0) {
        objr_bwf_close(f);
        return -1;
    }
    unsigned nc = fmt.n_channels < max_channels ? fmt.n_channels : max_channels;
    enum { BLOCK = 4096 };
    float *buf = malloc((size_t)fmt.n_channels * BLOCK * sizeof *buf);
    float **ch = malloc(fmt.n_channels * sizeof *ch);
    objr_loudness_meter **m = calloc(nc, sizeof *m);
    int rc = buf && ch && m ? 0 : -1;
    for (unsigned c = 0; rc == 0 && c < fmt.n_channels; c++)
        ch[c] = buf + (size_t)c * BLOCK;
    for (unsigned c = 0; rc == 0 && c < nc; c++) {
        /* one mono meter per channel: its true peak is that channel's */
        objr_loudness_config lc = objr_loudness_config_default();
        lc.rate_hz = fmt.sample_rate_hz;
        lc.n_channels = 1;
        double w = 1.0;
        lc.weights = &w;
        if (objr_loudness_meter_create(&lc, &m[c]) != OBJR_OK)
            rc = -1;
    }
    size_t got = 0;
    while (rc == 0 && objr_bwf_read_f32(f, ch, BLOCK, &got) == OBJR_OK && got > 0)
        for (unsigned c = 0; c < nc; c++)
            if (objr_loudness_meter_add_f32(m[c], (const float *const *)&ch[c], got) != OBJR_OK)
                rc = -1;
    for (unsigned c = 0; c < nc; c++) {
        objr_loudness_result r;
        if (rc == 0 && objr_loudness_meter_get(m[c], &r) == OBJR_OK)
            dbtp[c] = r.true_peak_dbtp;
        else if (rc == 0)
            rc = -1;
        objr_loudness_meter_destroy(m ? m[c] : NULL);
    }
    free(m);
    free(ch);
    free(buf);
    objr_bwf_close(f);
    return rc;
}
