/* SPDX-License-Identifier: BSD-3-Clause */
/* The translation check's measurements of one render and of the stems (analyse.c, qc.c):
 * BS.1770-4 loudness meters, the short-term and correlation series (400 ms windows), mono
 * compatibility, long-term third-octave spectra (Hann, 50 % overlap), silence and peak times,
 * and the stem QC (clipping, DC, clicks, silence). Internal. */
#ifndef OBJR_SRC_CHECK_ANALYSE_H
#define OBJR_SRC_CHECK_ANALYSE_H

#include <fftw3.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_master.h"
#include "src/check/checks.h"

/** Power ratio in dB, -inf for 0. */
static inline double objr__check_db_pow(double p) {
    return p > 0 ? 10.0 * log10(p) : -HUGE_VAL;
}

/** One real FFT size's plan, window and scratch (one per thread). */
typedef struct objr__check_fft {
    size_t n;
    float *in, *win;
    fftwf_complex *out;
    fftwf_plan plan;
} objr__check_fft;

/** A long-term spectrum: a ring of the last n_fft frames per channel, analysed every n_fft/2. */
typedef struct objr__check_spectrum {
    size_t n_fft, n_ch;
    int lfe_ch;      /**< the LFE channel (full analysers), -1 when none */
    double *acc_lfe; /**< its spectrum alone, as acc */
    double lfe_ss;   /**< its sum of squares */
    float *ring;     /**< n_ch x n_fft */
    double *acc;     /**< n_fft/2+1, weighted power summed over channels and frames */
    double w[16];
    uint64_t total, since;
    size_t n_frames_analysed;
} objr__check_spectrum;

/** The measurements of one render: a loudness meter (all); full analysers add true peak,
 *  the series, correlation and mono (two channels), silence, peak time and the spectrum. */
typedef struct objr__check_analyser {
    size_t n_ch;
    const float *ch[16];
    const float *sch[2]; /**< stereo checks (correlation, mono): ch, or Lt/Rt's front paths */
    objr_loudness_meter *meter;
    int full;
    /* full only */
    objr_loudness_meter *mono;
    objr_loudness_meter *fmeter; /**< Lt/Rt: the front paths (sch) in stereo */
    float *mbuf;
    double *st, *corr;
    size_t n_st, n_corr, cap;
    double hop_lr[OBJR__CHECK_CORR_HOPS], hop_ll[OBJR__CHECK_CORR_HOPS],
        hop_rr[OBJR__CHECK_CORR_HOPS];
    size_t n_hops;
    double g_lr, g_ll, g_rr, e_m, e_s;
    objr__check_spectrum spec;
    /* silence of the reference */
    uint64_t first_loud, last_loud, frames;
    int any_loud;
    double peak;
    uint64_t peak_pos;
} objr__check_analyser;

/** Set up @p a for @p n channels labelled @p labels (BS.2051 labels give the BS.1770
 *  weights); its ch[] must be set by the caller. @return OBJR_OK, OBJR_ERR_NOMEM. */
OBJR_HIDDEN objr_status objr__check_analyser_init(objr__check_analyser *a, char labels[16][16],
                                                  size_t n, uint32_t rate, int full, size_t hop,
                                                  size_t n_fft);
/** One hop of @p n frames starting at frame @p pos. @return OBJR_OK, OBJR_ERR_NOMEM. */
OBJR_HIDDEN objr_status objr__check_analyser_feed(objr__check_analyser *a, size_t n, uint64_t pos,
                                                  double silence_lin, objr__check_fft *fft);
OBJR_HIDDEN void objr__check_analyser_free(objr__check_analyser *a);

/** Long-term third-octave band levels (dB) of @p s: a last (zero-padded) frame first when the
 *  signal was short or a tail is left. */
OBJR_HIDDEN void objr__check_band_levels(objr__check_spectrum *s, objr__check_fft *fft,
                                         uint32_t rate, double *band_db);
/** @return OBJR_OK, OBJR_ERR_NOMEM. */
OBJR_HIDDEN objr_status objr__check_fft_init(objr__check_fft *f, size_t n);
OBJR_HIDDEN void objr__check_fft_free(objr__check_fft *f);
/** The correlation series' 5th percentile, minimum and its time (R->corr, R->n_corr). */
OBJR_HIDDEN void objr__check_corr_stats(objr__check_render *R, uint32_t rate, size_t hop);
/** The LFE channel's level and its content above 120 Hz (after band_levels flushed the last
 *  spectrum frame). */
OBJR_HIDDEN void objr__check_lfe_figures(objr_check_report *rep, const objr__check_spectrum *s,
                                         uint32_t rate, uint64_t frames);

/* ---- Stem QC (qc.c) ---- */

#define OBJR__CHECK_CLICK_MAX_W 192 /**< 1 ms at 192 kHz */

/** The QC state of one stem channel. */
typedef struct objr__check_qc {
    float x1, x2;
    int have1, have2;
    unsigned run;
    uint64_t clipped;
    double sum;
    uint64_t first_loud, last_loud;
    int any_loud;
    /* clicks: the second difference d2 over a ring of 2W+1 samples (W = 1 ms) */
    double ring[2 * OBJR__CHECK_CLICK_MAX_W + 1];
    double ring_ss; /* sum of squares in the ring */
    size_t ring_pos, ring_fill;
    uint64_t dead; /* samples left in the dead time after a click */
    uint64_t clicks;
    double first_click_s;
    double click_from_s[OBJR__CHECK_MAX_CLICK_RANGES], click_to_s[OBJR__CHECK_MAX_CLICK_RANGES];
    uint64_t click_count[OBJR__CHECK_MAX_CLICK_RANGES];
    size_t n_click_ranges;
    double peak;
    double first_clip_s;
} objr__check_qc;

/** One block of @p n samples of a stem channel starting at frame @p pos. */
OBJR_HIDDEN void objr__check_qc_block(objr__check_qc *q, const float *x, size_t n, uint64_t pos,
                                      uint32_t rate, const objr_check_thresholds *th);
/** A stem's figures from its @p n_ch channels' QC over @p total frames. */
OBJR_HIDDEN void objr__check_qc_collect(objr__check_stem *S, const objr__check_qc *qc, size_t n_ch,
                                        uint64_t total, uint32_t rate, double duration_s);

#endif /* OBJR_SRC_CHECK_ANALYSE_H */
