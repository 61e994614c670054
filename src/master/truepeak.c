/* SPDX-License-Identifier: BSD-3-Clause */
/* Streaming true-peak detector after ITU-R BS.1770-4 Annex 2: oversample (8x below 88.2 kHz),
 * interpolate with a Kaiser-windowed sinc (32 taps per branch, ~80 dB stop band), take |y|.
 * The 8x ratio bounds the worst-case under-read at 20 kHz / 48 kHz to 0.12 dB (Annex 2
 * Attachment 1), against 0.47 dB for the Annex's 4x example. One branch reproduces the input
 * samples exactly, so the reading is never below the sample peak. */
#include "src/master/truepeak.h"

#include <math.h>
#include <string.h>

#include "src/dsp/finite.h"
#include "src/dsp/tpfir.h"

/* Kaiser beta for ~80 dB stop-band attenuation: 0.1102 * (A - 8.7). */

#define TP_KAISER_BETA 7.857
/* libebur128 1.2's interpolator: one 49-tap Hann-windowed sinc, 4x below 96 kHz, 2x below
 * 192 kHz, none above; coefficients under this magnitude are left out. */
#define TP_EBU_TAPS 49
#define TP_EBU_ZERO 0.000001

struct objr__tp {
    unsigned n_channels, ratio, taps;
    objr__tpfir_fn kernel;
    objr__absmax_fn absmax;
    float *coef;  /* ratio x taps, time-reversed */
    float *buf;   /* n_channels x (taps - 1 + CHUNK): history then the new chunk */
    float *acc;   /* CHUNK scratch */
    float *pk;    /* CHUNK scratch */
    double *peak; /* per channel running max */
    size_t fill;  /* frames in the current chunk not yet processed */
    /* Bound of the interpolator's gain: max over branches of sum_j |coef|, enlarged by the
     * float summation error (see chunk_may_exceed). */
    double gain_bound;
    double floor;   /* linked values at or below this need not be exact (limiter threshold) */
    int exhaustive; /* test hook: never skip */
    int ebu;        /* libebur128's filter: its reading takes no flushed tail */
    size_t n_run, n_skipped; /* channel-chunks computed / skipped */
};

unsigned objr__tp_ratio_for_rate(double rate_hz) {
    if (rate_hz < 88200.0)
        return 8;
    if (rate_hz < 176400.0)
        return 4;
    return 2;
}

static double bessel_i0(double x) {
    double sum = 1.0, term = 1.0, q = x * x / 4.0;
    for (int k = 1; k < 64; k++) {
        term *= q / ((double)k * (double)k);
        sum += term;
        if (term < sum * 1e-17)
            break;
    }
    return sum;
}

/* Length ratio*taps - 1 filter centred on an integer index so that branch ratio-1 is the
 * identity (delay taps/2 - 1 frames): the cut-off sits at the input Nyquist frequency. */
static void design(float *coef, unsigned ratio, unsigned taps) {
    const unsigned n_total = ratio * taps - 1;
    const double centre = (double)(n_total - 1) / 2.0;
    const double i0b = bessel_i0(TP_KAISER_BETA);
    for (unsigned p = 0; p < ratio; p++) {
        double sum = 0.0;
        double h[256];
        OBJR_ASSERT(taps <= 256);
        for (unsigned j = 0; j < taps; j++) {
            unsigned k = j * ratio + p;
            double v = 0.0;
            if (k < n_total) {
                double t = ((double)k - centre) / (double)ratio;
                double s = t == 0.0 ? 1.0 : sin(OBJR_PI * t) / (OBJR_PI * t);
                double r = ((double)k - centre) / centre;
                double w = bessel_i0(TP_KAISER_BETA * sqrt(fmax(0.0, 1.0 - r * r))) / i0b;
                v = s * w;
            }
            h[j] = v;
            sum += v;
        }
        /* Each branch passes DC at unity; the identity branch stays exact. */
        for (unsigned j = 0; j < taps; j++)
            coef[(size_t)p * taps + (taps - 1 - j)] = (float)(h[j] / sum);
    }
}

void objr__tp_destroy(objr__tp *tp) {
    if (!tp)
        return;
    objr__freep(&tp->coef);
    objr__freep(&tp->buf);
    objr__freep(&tp->acc);
    objr__freep(&tp->pk);
    objr__freep(&tp->peak);
    objr__freep(&tp);
}

/* Allocate a detector of @p ratio branches of @p taps coefficients (filled by the caller,
 * then objr__tp's gain bound set by set_gain_bound). */
static objr__tp *tp_alloc(unsigned n_channels, unsigned ratio, unsigned taps) {
    objr__tp *tp = objr__calloc(1, sizeof *tp);
    if (!tp)
        return NULL;
    tp->n_channels = n_channels;
    tp->ratio = ratio;
    tp->taps = taps;
    tp->kernel = objr__tpfir_select(objr__cpu_flags());
    tp->absmax = objr__absmax_select(objr__cpu_flags());
    size_t stride = tp->taps - 1 + OBJR_TP_CHUNK, nbuf;
    tp->coef = objr__calloc((size_t)tp->ratio * tp->taps, sizeof(float));
    tp->acc = objr__calloc(OBJR_TP_CHUNK, sizeof(float));
    tp->pk = objr__calloc(OBJR_TP_CHUNK, sizeof(float));
    tp->peak = objr__calloc(n_channels, sizeof(double));
    if (objr__mul_size(stride, n_channels, &nbuf))
        tp->buf = objr__calloc(nbuf, sizeof(float));
    if (!tp->coef || !tp->acc || !tp->pk || !tp->peak || !tp->buf) {
        objr__tp_destroy(tp);
        return NULL;
    }
    return tp;
}

static void set_gain_bound(objr__tp *tp) {
    double l1 = 0.0;
    for (unsigned p = 0; p < tp->ratio; p++) {
        double s = 0.0;
        for (unsigned j = 0; j < tp->taps; j++)
            s += fabs((double)tp->coef[(size_t)p * tp->taps + j]);
        l1 = s > l1 ? s : l1;
    }
    /* (taps + 1) roundings of relative size 2^-24 each, doubled for safety. */
    tp->gain_bound = l1 * (1.0 + 2.0 * (double)(tp->taps + 1) * 0x1p-24);
}

objr_status objr__tp_create(unsigned n_channels, double rate_hz, objr__tp **out) {
    *out = NULL;
    if (n_channels == 0 || !(rate_hz >= 1000.0 && rate_hz <= 1e6))
        return OBJR_ERR_INVALID_ARG;
    objr__tp *tp = tp_alloc(n_channels, objr__tp_ratio_for_rate(rate_hz), OBJR_TP_TAPS_PER_PHASE);
    if (!tp)
        return OBJR_ERR_NOMEM;
    design(tp->coef, tp->ratio, tp->taps);
    set_gain_bound(tp);
    *out = tp;
    return OBJR_OK;
}

/* libebur128's prototype h[k] = sinc((k - 24) / ratio) x Hann(k), k < 49, split into
 * branches p = k mod ratio of taps k div ratio (the newest sample first there; reversed
 * here for the kernel), unnormalised, near-zero values dropped as libebur128 drops them. */
static void design_ebur128(float *coef, unsigned ratio, unsigned taps) {
    for (unsigned k = 0; k < TP_EBU_TAPS; k++) {
        double m = (double)k - (double)(TP_EBU_TAPS - 1) / 2.0, c = 1.0;
        if (fabs(m) > TP_EBU_ZERO)
            c = sin(m * OBJR_PI / ratio) / (m * OBJR_PI / ratio);
        c *= 0.5 * (1.0 - cos(2.0 * OBJR_PI * k / (TP_EBU_TAPS - 1)));
        if (fabs(c) > TP_EBU_ZERO)
            coef[(size_t)(k % ratio) * taps + (taps - 1 - k / ratio)] = (float)c;
    }
}

objr_status objr__tp_create_ebur128(unsigned n_channels, double rate_hz, objr__tp **out) {
    *out = NULL;
    if (n_channels == 0 || !(rate_hz >= 1000.0 && rate_hz <= 1e6))
        return OBJR_ERR_INVALID_ARG;
    const unsigned ratio = rate_hz < 96000.0 ? 4 : rate_hz < 192000.0 ? 2 : 1;
    const unsigned taps = ratio == 1 ? 1 : (TP_EBU_TAPS + ratio - 1) / ratio;
    objr__tp *tp = tp_alloc(n_channels, ratio, taps);
    if (!tp)
        return OBJR_ERR_NOMEM;
    if (ratio == 1)
        tp->coef[0] = 1.0f; /* libebur128 reads the sample peak there */
    else
        design_ebur128(tp->coef, ratio, taps);
    tp->ebu = 1;
    set_gain_bound(tp);
    *out = tp;
    return OBJR_OK;
}

void objr__tp_reset(objr__tp *tp) {
    size_t stride = tp->taps - 1 + OBJR_TP_CHUNK;
    memset(tp->buf, 0, stride * tp->n_channels * sizeof(float));
    memset(tp->peak, 0, tp->n_channels * sizeof(double));
    tp->fill = 0;
    tp->n_run = tp->n_skipped = 0;
}

unsigned objr__tp_ratio(const objr__tp *tp) {
    return tp->ratio;
}

size_t objr__tp_delay_frames(const objr__tp *tp) {
    return tp->taps / 2 - 1;
}

double objr__tp_peak(const objr__tp *tp, unsigned ch) {
    return tp->peak[ch];
}

void objr__tp_set_floor(objr__tp *tp, double level) {
    tp->floor = level;
}

void objr__tp_set_exhaustive(objr__tp *tp, int on) {
    tp->exhaustive = on;
}

void objr__tp_counts(const objr__tp *tp, size_t *n_run, size_t *n_skipped) {
    *n_run = tp->n_run;
    *n_skipped = tp->n_skipped;
}

/* Whether any interpolated value of output frames [0, n) of the chunk in b could exceed
 * @p level. Proof of the bound: output frame i of branch p is the float sum
 * y = sum_j c_pj x[i + j] over the window x[i .. i + taps), all inside b[0 .. n + taps - 1).
 * In exact arithmetic |y| <= sum_j |c_pj| |x[i + j]| <= L1 * M, with L1 = max_p sum_j |c_pj|
 * and M = max |b[0 .. n + taps - 1)|. The kernel forms y with one rounded product per tap
 * and taps - 1 rounded additions (relative error u = 2^-24 each); the standard bound for
 * recursive summation gives |fl(y) - y| <= gamma_(taps+1) * sum_j |c_pj x[i + j]| with
 * gamma_k = k u / (1 - k u) < 2 k u for k u < 1/2, so |fl(y)| <= L1 (1 + 2 (taps + 1) u) M
 * = gain_bound * M. When that is at most the level, no computed |y| can exceed it, and
 * skipping the chunk leaves every maximum above the level unchanged. */
static int chunk_may_exceed(const objr__tp *tp, const float *b, size_t n, double level) {
    const float m = objr__absmax_value(tp->absmax(b, n + tp->taps - 1));
    return tp->exhaustive || tp->gain_bound * (double)m > level;
}

/* Run the kernel on the chunk held in buf (fill frames valid, the rest zero-padded on the
 * first pass) and write the linked peaks of the first @p n frames. A channel whose bound
 * cannot exceed its running peak (peak only) or the floor (linked) is skipped: its running
 * peak is unchanged by construction, and its linked contributions (all <= floor) are left
 * out (with linked peaks, the running peak is exact only above the floor). */
static void run_chunk(objr__tp *tp, size_t n, float *linked) {
    const size_t hist = tp->taps - 1, stride = hist + OBJR_TP_CHUNK;
    if (linked)
        memset(linked, 0, n * sizeof(float));
    for (unsigned c = 0; c < tp->n_channels; c++) {
        float *b = tp->buf + c * stride;
        const double level = linked ? tp->floor : tp->peak[c];
        if (!chunk_may_exceed(tp, b, n, level)) {
            tp->n_skipped++;
            memmove(b, b + n, hist * sizeof(float));
            continue;
        }
        tp->n_run++;
        memset(tp->pk, 0, OBJR_TP_CHUNK * sizeof(float));
        tp->kernel(b, tp->coef, tp->ratio, tp->taps, tp->acc, tp->pk);
        float m = 0.0f;
        for (size_t i = 0; i < n; i++) {
            m = tp->pk[i] > m ? tp->pk[i] : m;
            if (linked && tp->pk[i] > linked[i])
                linked[i] = tp->pk[i];
        }
        if ((double)m > tp->peak[c])
            tp->peak[c] = (double)m;
        /* Keep the last taps-1 frames as history. */
        memmove(b, b + n, hist * sizeof(float));
    }
}

void objr__tp_process(objr__tp *tp, const float *const *in, size_t n_frames, float *linked) {
    const size_t hist = tp->taps - 1, stride = hist + OBJR_TP_CHUNK;
    size_t done = 0;
    while (done < n_frames) {
        size_t n = n_frames - done;
        if (n > OBJR_TP_CHUNK)
            n = OBJR_TP_CHUNK;
        for (unsigned c = 0; c < tp->n_channels; c++) {
            float *b = tp->buf + c * stride + hist;
            memcpy(b, in[c] + done, n * sizeof(float));
            if (n < OBJR_TP_CHUNK)
                memset(b + n, 0, (OBJR_TP_CHUNK - n) * sizeof(float));
        }
        run_chunk(tp, n, linked ? linked + done : NULL);
        done += n;
    }
}

void objr__tp_process_interleaved(objr__tp *tp, const float *in, size_t n_frames, float *linked) {
    const size_t hist = tp->taps - 1, stride = hist + OBJR_TP_CHUNK;
    const unsigned nc = tp->n_channels;
    size_t done = 0;
    while (done < n_frames) {
        size_t n = n_frames - done;
        if (n > OBJR_TP_CHUNK)
            n = OBJR_TP_CHUNK;
        const float *src = in + done * nc;
        for (unsigned c = 0; c < nc; c++) {
            float *b = tp->buf + c * stride + hist;
            for (size_t i = 0; i < n; i++)
                b[i] = src[i * nc + c];
            if (n < OBJR_TP_CHUNK)
                memset(b + n, 0, (OBJR_TP_CHUNK - n) * sizeof(float));
        }
        run_chunk(tp, n, linked ? linked + done : NULL);
        done += n;
    }
}

double objr__tp_max_peak(const objr__tp *tp) {
    double m = 0.0;
    for (unsigned c = 0; c < tp->n_channels; c++)
        m = tp->peak[c] > m ? tp->peak[c] : m;
    return m;
}

double objr__tp_peak_flushed(const objr__tp *tp, unsigned ch) {
    if (tp->ebu) /* libebur128 never flushes (the caller adds the sample peak) */
        return tp->peak[ch];
    /* The last taps/2 input frames have not reached the filter centre yet: evaluate them as if
     * followed by silence, without touching the state. */
    const size_t hist = tp->taps - 1, stride = hist + OBJR_TP_CHUNK;
    const float *b = tp->buf + ch * stride;
    double m = tp->peak[ch];
    for (size_t n = 0; n < hist; n++) {
        for (unsigned p = 0; p < tp->ratio; p++) {
            const float *c = tp->coef + (size_t)p * tp->taps;
            double acc = 0.0;
            for (unsigned j = 0; j < tp->taps; j++) {
                size_t k = n + j;
                if (k < hist)
                    acc += (double)c[j] * (double)b[k];
            }
            if (fabs(acc) > m)
                m = fabs(acc);
        }
    }
    return m;
}
