/* SPDX-License-Identifier: BSD-3-Clause */
/* Loudness measurement per ITU-R BS.1770-4/-5 and EBU R128 (Tech 3341/3342): K-weighting of
 * every channel in one pass (src/dsp/kweight), 10 ms sub-blocks summed into the 400 ms gating
 * blocks and 3 s short-term windows, integrated loudness and loudness range gated from
 * histograms, every channel's weight set explicitly from BS.1770 Annex 3 Table 4, and
 * objrender's own oversampled true-peak meter. libebur128 only supplies its 4x true peak on
 * request (and is the reference the tests compare with). */
#include "objrender/objr_master.h"

#include <ebur128.h>
#include <math.h>
#include <string.h>

#include "src/core/core.h"
#include "src/dsp/finite.h"
#include "src/dsp/ftz.h"
#include "src/dsp/kweight.h"
#include "src/master/loudness.h"
#include "src/master/truepeak.h"

/* M and S maxima are sampled at this step (Tech 3341 case 13 needs <= 9 ms misalignment). */
#define LOUDNESS_POLL_MS 10.0
/* Momentary and short-term windows in polls (400 ms, 3 s). */
#define LOUDNESS_M_POLLS 40
#define LOUDNESS_S_POLLS 300
/* BS.1770 offset of the loudness formula. */
#define LOUDNESS_OFFSET_DB (-0.691)
/* Gating blocks (BS.1770) and short-term values for LRA (Tech 3342) advance by 100 ms. */
#define LOUDNESS_STEP_POLLS 10
/* BS.1770 absolute gate, relative gates of integrated loudness and of loudness range. */
#define LOUDNESS_ABS_GATE_LUFS (-70.0)
#define LOUDNESS_REL_GATE_LU (-10.0)
#define LRA_REL_GATE_LU (-20.0)
#define LRA_LOW_PERCENTILE 10.0
#define LRA_HIGH_PERCENTILE 95.0
/* Histograms of block loudness: 0.01 LU bins from the absolute gate up (louder blocks go to
 * the top bin, their energy still exact). Each bin keeps its count and the blocks' summed
 * energy, so the gated mean is exact except for the one bin the relative gate falls in
 * (decided by its centre): an error far below Tech 3341's 0.1 LU. LRA percentiles read bin
 * centres (+-0.005 LU). */
#define HIST_BIN_LU 0.01
#define HIST_BINS 10000
/* Longest poll log (24 h of 10 ms polls); later polls are not logged. */
#define LOUDNESS_LOG_MAX_POLLS ((size_t)24 * 3600 * 100)
/* Frames interleaved at once when the input is planar. */
#define LOUDNESS_PLANAR_BLOCK 1024

double objr_loudness_weight_for_direction(double azimuth_deg, double elevation_deg, int is_lfe) {
    if (is_lfe)
        return OBJR_LOUDNESS_WEIGHT_LFE;
    double az = fmod(fabs(azimuth_deg), 360.0);
    if (az > 180.0)
        az = 360.0 - az;
    if (fabs(elevation_deg) < 30.0 && az >= 60.0 && az <= 120.0)
        return OBJR_LOUDNESS_WEIGHT_SIDE;
    return OBJR_LOUDNESS_WEIGHT_DEFAULT;
}

/* WAVE_FORMAT_EXTENSIBLE speaker bits (KSAUDIO_SPEAKER_*) and their nominal directions. */
enum {
    MASK_FL = 0x1,
    MASK_FR = 0x2,
    MASK_FC = 0x4,
    MASK_LFE = 0x8,
    MASK_BL = 0x10,
    MASK_BR = 0x20,
    MASK_FLC = 0x40,
    MASK_FRC = 0x80,
    MASK_BC = 0x100,
    MASK_SL = 0x200,
    MASK_SR = 0x400,
    MASK_TC = 0x800,
    MASK_TFL = 0x1000,
    MASK_TFC = 0x2000,
    MASK_TFR = 0x4000,
    MASK_TBL = 0x8000,
    MASK_TBC = 0x10000,
    MASK_TBR = 0x20000,
};
static const struct {
    double az_deg, el_deg;
    int lfe;
} mask_pos[18] = {
    {30, 0, 0},  {-30, 0, 0}, {0, 0, 0},    {0, 0, 1},    {135, 0, 0},  {-135, 0, 0},
    {15, 0, 0},  {-15, 0, 0}, {180, 0, 0},  {90, 0, 0},   {-90, 0, 0},  {0, 90, 0},
    {45, 45, 0}, {0, 45, 0},  {-45, 45, 0}, {135, 45, 0}, {180, 45, 0}, {-135, 45, 0},
};

static unsigned popcount32(uint32_t v) {
    unsigned n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

uint32_t objr_loudness_default_mask(unsigned n_channels) {
    switch (n_channels) {
    case 1:
        return MASK_FC;
    case 2:
        return MASK_FL | MASK_FR;
    case 3:
        return MASK_FL | MASK_FR | MASK_FC;
    case 4:
        return MASK_FL | MASK_FR | MASK_BL | MASK_BR;
    case 5:
        return MASK_FL | MASK_FR | MASK_FC | MASK_BL | MASK_BR;
    case 6:
        return MASK_FL | MASK_FR | MASK_FC | MASK_LFE | MASK_BL | MASK_BR;
    case 8:
        return MASK_FL | MASK_FR | MASK_FC | MASK_LFE | MASK_BL | MASK_BR | MASK_SL | MASK_SR;
    case 10:
        return MASK_FL | MASK_FR | MASK_FC | MASK_LFE | MASK_BL | MASK_BR | MASK_TFL | MASK_TFR |
               MASK_TBL | MASK_TBR;
    case 12:
        return MASK_FL | MASK_FR | MASK_FC | MASK_LFE | MASK_BL | MASK_BR | MASK_SL | MASK_SR |
               MASK_TFL | MASK_TFR | MASK_TBL | MASK_TBR;
    default:
        return 0;
    }
}

objr_status objr_loudness_weights_from_mask(uint32_t channel_mask, unsigned n_channels,
                                            double *weights) {
    if (!weights || n_channels == 0)
        return OBJR_ERR_INVALID_ARG;
    if (channel_mask == 0)
        return objr_loudness_weights_default(n_channels, weights);
    channel_mask &= 0x3ffffu;
    if (popcount32(channel_mask) > n_channels)
        return OBJR_ERR_LAYOUT;
    /* One surround pair only: the 5.x surrounds at M±110 (BS.2051 System B), whichever bits
     * the writer chose ("5.1(back)" BL/BR or "5.1(side)" SL/SR). */
    const int has_back = (channel_mask & (MASK_BL | MASK_BR)) != 0;
    const int has_side = (channel_mask & (MASK_SL | MASK_SR)) != 0;
    const int five_one = has_back != has_side;
    unsigned ch = 0;
    for (unsigned bit = 0; bit < 18 && ch < n_channels; bit++) {
        uint32_t b = 1u << bit;
        if (!(channel_mask & b))
            continue;
        double az = mask_pos[bit].az_deg;
        if (five_one && (b & (MASK_BL | MASK_BR | MASK_SL | MASK_SR)))
            az = (b & (MASK_BL | MASK_SL)) ? 110.0 : -110.0;
        weights[ch++] =
            objr_loudness_weight_for_direction(az, mask_pos[bit].el_deg, mask_pos[bit].lfe);
    }
    for (; ch < n_channels; ch++)
        weights[ch] = OBJR_LOUDNESS_WEIGHT_DEFAULT;
    return OBJR_OK;
}

objr_status objr_loudness_weights_default(unsigned n_channels, double *weights) {
    if (!weights || n_channels == 0)
        return OBJR_ERR_INVALID_ARG;
    uint32_t mask = objr_loudness_default_mask(n_channels);
    if (mask)
        return objr_loudness_weights_from_mask(mask, n_channels, weights);
    for (unsigned c = 0; c < n_channels; c++)
        weights[c] = OBJR_LOUDNESS_WEIGHT_DEFAULT;
    return OBJR_OK;
}

static const struct {
    const char *name;
    double az_deg, el_deg;
    int lfe;
} common_names[] = {
    {"L", 30, 0, 0},     {"R", -30, 0, 0},     {"C", 0, 0, 0},      {"LFE", 0, 0, 1},
    {"Ls", 110, 0, 0},   {"Rs", -110, 0, 0},   {"Lss", 90, 0, 0},   {"Rss", -90, 0, 0},
    {"Lrs", 135, 0, 0},  {"Rrs", -135, 0, 0},  {"Lw", 60, 0, 0},    {"Rw", -60, 0, 0},
    {"Ltf", 45, 45, 0},  {"Rtf", -45, 45, 0},  {"Ltm", 90, 45, 0},  {"Rtm", -90, 45, 0},
    {"Ltr", 135, 45, 0}, {"Rtr", -135, 45, 0}, {"Lts", 110, 45, 0}, {"Rts", -110, 45, 0},
    {"LFE1", 0, 0, 1},   {"LFE2", 0, 0, 1},
};

/* BS.2051 label: a layer letter (M middle, U upper, T top, B bottom), a signed azimuth
 * ("+030") or "+SC"/"-SC" (screen edge, frontal: weight 1.0). */
static int parse_bs2051(const char *s, double *az, double *el) {
    double elev;
    switch (s[0]) {
    case 'M':
        elev = 0;
        break;
    case 'U':
        elev = 30;
        break;
    case 'T':
        elev = 90;
        break;
    case 'B':
        elev = -30;
        break;
    default:
        return 0;
    }
    s++;
    if (s[0] == 'H') /* "UH+180" (upper-high in System F) */
        s++;
    if (s[0] != '+' && s[0] != '-')
        return 0;
    if (!strcmp(s + 1, "SC")) {
        *az = s[0] == '+' ? 25 : -25;
        *el = elev;
        return 1;
    }
    if (strlen(s + 1) != 3)
        return 0;
    int v = 0;
    for (int i = 1; i <= 3; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    if (v > 180)
        return 0;
    *az = s[0] == '+' ? v : -v;
    *el = elev;
    return 1;
}

objr_status objr_loudness_weights_from_labels(const char *const *labels, unsigned n_channels,
                                              double *weights) {
    if (!labels || !weights || n_channels == 0 || n_channels > OBJR_LOUDNESS_MAX_CHANNELS)
        return OBJR_ERR_INVALID_ARG;
    double w[OBJR_LOUDNESS_MAX_CHANNELS];
    for (unsigned c = 0; c < n_channels; c++) {
        const char *s = labels[c];
        double az = 0, el = 0;
        int lfe = 0, found = 0;
        if (!s)
            return OBJR_ERR_INVALID_ARG;
        for (size_t i = 0; i < sizeof common_names / sizeof common_names[0]; i++) {
            if (!strcmp(s, common_names[i].name)) {
                az = common_names[i].az_deg;
                el = common_names[i].el_deg;
                lfe = common_names[i].lfe;
                found = 1;
                break;
            }
        }
        if (!found)
            found = parse_bs2051(s, &az, &el);
        if (!found)
            return OBJR_ERR_LAYOUT;
        w[c] = objr_loudness_weight_for_direction(az, el, lfe);
    }
    memcpy(weights, w, n_channels * sizeof(double));
    return OBJR_OK;
}

/* ---------------------------------------------------------------------------------------- */

typedef struct hist {
    uint32_t *count;
    double *energy;
} hist;

struct objr_loudness_meter {
    objr_loudness_config cfg;
    double weights[OBJR_LOUDNESS_MAX_CHANNELS];
    ebur128_state *st; /* libebur128's 4x true peak, on request only */
    objr__tp *tp;
    objr__tp *tp4; /* libebur128's interpolator on objrender's kernels (instead of st) */
    objr__kweight_fn kweight;
    objr__absmax_fn absmax;
    objr__kw_coef kc;
    double kz[4 * OBJR_LOUDNESS_MAX_CHANNELS]; /* biquad states, [state][channel] */
    double kacc[OBJR_LOUDNESS_MAX_CHANNELS];   /* sums of squares this poll */
    size_t poll_frames;                        /* frames per M/S poll */
    size_t since_poll;                         /* frames since the last poll */
    float *inter;                              /* LOUDNESS_PLANAR_BLOCK x n_channels */
    double m_max, s_max, sample_peak;
    size_t n_frames, n_polls;
    double ring[LOUDNESS_S_POLLS]; /* weighted per-poll energies */
    size_t ring_pos;
    double cur_m, cur_s;
    hist gate;  /* 400 ms blocks >= -70 LUFS (integrated) */
    hist range; /* 3 s short-term values >= -70 LUFS (LRA) */
    /* Optional per-poll log (mastering analysis): mean weighted energy and sample peak. */
    int log_on;
    double log_floor; /* linked true peaks are exact above running max x this */
    float *linked;    /* LOUDNESS_PLANAR_BLOCK linked true peaks */
    double *log_e;
    float *log_pk;
    size_t log_n, log_cap;
    float poll_pk; /* sample peak of the current poll */
};

/* BS.1770-4 K-weighting (pre-filter shelf + RLB high-pass), bilinear with pre-warping at the
 * analogue prototype's frequencies so that it matches the 48 kHz coefficients of the
 * Recommendation at any rate. */
static void k_design(objr__kw_coef *kc, double rate) {
    double b[3], a[5];
    objr__kweight_design(rate, b, a);
    kc->b0 = b[0];
    kc->b1 = b[1];
    kc->b2 = b[2];
    kc->a1 = a[1];
    kc->a2 = a[2];
    kc->c1 = a[3];
    kc->c2 = a[4];
}

static double energy_to_lufs(double e) {
    return e > 0.0 ? LOUDNESS_OFFSET_DB + 10.0 * log10(e) : -HUGE_VAL;
}

static void hist_add(hist *h, double energy) {
    const double l = energy_to_lufs(energy);
    if (!(l >= LOUDNESS_ABS_GATE_LUFS))
        return;
    double b = floor((l - LOUDNESS_ABS_GATE_LUFS) / HIST_BIN_LU);
    size_t i = b >= (double)(HIST_BINS - 1) ? HIST_BINS - 1 : (size_t)b;
    h->count[i]++;
    h->energy[i] += energy;
}

static double bin_centre_lufs(size_t i) {
    return LOUDNESS_ABS_GATE_LUFS + ((double)i + 0.5) * HIST_BIN_LU;
}

/* First bin whose centre is at or above @p gate_lufs, after the gate mean - @p rel_lu
 * of every kept block; *n and *e are the survivors' count and energy. */
static size_t hist_gate(const hist *h, double rel_lu, size_t *n, double *e) {
    double se = 0.0;
    size_t sn = 0;
    for (size_t i = 0; i < HIST_BINS; i++) {
        sn += h->count[i];
        se += h->energy[i];
    }
    *n = 0;
    *e = 0.0;
    if (sn == 0)
        return HIST_BINS;
    const double gate = energy_to_lufs(se / (double)sn) + rel_lu;
    double first = ceil((gate - LOUDNESS_ABS_GATE_LUFS) / HIST_BIN_LU - 0.5);
    size_t b0 = first <= 0.0 ? 0 : first >= (double)HIST_BINS ? HIST_BINS : (size_t)first;
    for (size_t i = b0; i < HIST_BINS; i++) {
        *n += h->count[i];
        *e += h->energy[i];
    }
    return b0;
}

/* BS.1770-4 §2.8 integrated loudness: mean energy of the blocks above both gates. */
static double hist_integrated(const hist *h) {
    size_t n;
    double e;
    hist_gate(h, LOUDNESS_REL_GATE_LU, &n, &e);
    return n ? energy_to_lufs(e / (double)n) : -HUGE_VAL;
}

/* Bin centre of the 1-based rank r among the bins from b0 on. */
static double hist_rank(const hist *h, size_t b0, size_t r) {
    size_t seen = 0;
    for (size_t i = b0; i < HIST_BINS; i++) {
        seen += h->count[i];
        if (seen >= r)
            return bin_centre_lufs(i);
    }
    return bin_centre_lufs(HIST_BINS - 1);
}

/* Tech 3342 §3.1: P95 - P10 of the short-term values above -70 LUFS and the -20 LU gate,
 * percentile index round((n - 1) p / 100 + 1). */
static double hist_range(const hist *h) {
    size_t n;
    double e;
    size_t b0 = hist_gate(h, LRA_REL_GATE_LU, &n, &e);
    if (n == 0)
        return 0.0;
    size_t lo = (size_t)llround((double)(n - 1) * LRA_LOW_PERCENTILE / 100.0 + 1.0);
    size_t hi = (size_t)llround((double)(n - 1) * LRA_HIGH_PERCENTILE / 100.0 + 1.0);
    return hist_rank(h, b0, hi) - hist_rank(h, b0, lo);
}

/* A poll boundary: close the 10 ms sub-block with weighted energy @p e, update M, S and their
 * maxima; every 100 ms, the 400 ms gating block and the 3 s short-term value. */
static void poll(objr_loudness_meter *m, double e) {
    if (m->log_on && m->log_n < m->log_cap) {
        m->log_e[m->log_n] = e / (double)m->poll_frames;
        m->log_pk[m->log_n++] = m->poll_pk;
    }
    m->poll_pk = 0.0f;
    m->ring[m->ring_pos] = e;
    double em = 0.0, es = 0.0;
    for (size_t k = 0; k < LOUDNESS_S_POLLS; k++) {
        size_t idx = (m->ring_pos + LOUDNESS_S_POLLS - k) % LOUDNESS_S_POLLS;
        es += m->ring[idx];
        if (k < LOUDNESS_M_POLLS)
            em += m->ring[idx];
    }
    m->ring_pos = (m->ring_pos + 1) % LOUDNESS_S_POLLS;
    m->n_polls++;
    double f = (double)m->poll_frames;
    em /= f * LOUDNESS_M_POLLS;
    es /= f * LOUDNESS_S_POLLS;
    m->cur_m = energy_to_lufs(em);
    m->cur_s = energy_to_lufs(es);
    if (m->cur_m > m->m_max)
        m->m_max = m->cur_m;
    if (m->cur_s > m->s_max)
        m->s_max = m->cur_s;
    if (m->n_polls % LOUDNESS_STEP_POLLS == 0) {
        if (m->n_polls >= LOUDNESS_M_POLLS)
            hist_add(&m->gate, em);
        if (m->n_polls >= LOUDNESS_S_POLLS)
            hist_add(&m->range, es);
    }
}

objr_loudness_config objr_loudness_config_default(void) {
    objr_loudness_config c;
    memset(&c, 0, sizeof c);
    c.rate_hz = 48000.0;
    c.n_channels = 2;
    c.weights = NULL;
    c.true_peak = 1;
    c.ebur128_true_peak = 0;
    return c;
}

/* The weights the meter accepts (the values BS.1770 Annex 3 and dual mono use). */
static int weight_ok(double w) {
    return w == 0.0 || fabs(w - OBJR_LOUDNESS_WEIGHT_SIDE) < 1e-9 || fabs(w - 2.0) < 1e-9 ||
           fabs(w - 1.0) < 1e-9;
}

void objr_loudness_meter_destroy(objr_loudness_meter *m) {
    if (!m)
        return;
    if (m->st)
        ebur128_destroy(&m->st);
    objr__tp_destroy(m->tp);
    objr__tp_destroy(m->tp4);
    objr__freep(&m->inter);
    objr__freep(&m->gate.count);
    objr__freep(&m->gate.energy);
    objr__freep(&m->range.count);
    objr__freep(&m->range.energy);
    objr__freep(&m->log_e);
    objr__freep(&m->log_pk);
    objr__freep(&m->linked);
    objr__freep(&m);
}

objr_status objr__loudness_log_enable(objr_loudness_meter *m, size_t max_frames,
                                      double exact_within_db) {
    size_t cap = max_frames / m->poll_frames + 2;
    if (cap > LOUDNESS_LOG_MAX_POLLS)
        cap = LOUDNESS_LOG_MAX_POLLS;
    if (m->tp && !m->linked && !(m->linked = objr__calloc(LOUDNESS_PLANAR_BLOCK, sizeof(float))))
        return OBJR_ERR_NOMEM;
    m->log_floor = pow(10.0, -exact_within_db / 20.0);
    m->log_e = objr__realloc_array(m->log_e, cap, sizeof(double));
    m->log_pk = m->log_e ? objr__realloc_array(m->log_pk, cap, sizeof(float)) : NULL;
    if (!m->log_e || !m->log_pk)
        return OBJR_ERR_NOMEM;
    m->log_cap = cap;
    m->log_n = 0;
    m->log_on = 1;
    return OBJR_OK;
}

size_t objr__loudness_log(const objr_loudness_meter *m, const double **energy, const float **peak,
                          size_t *poll_frames) {
    *energy = m->log_e;
    *peak = m->log_pk;
    *poll_frames = m->poll_frames;
    return m->log_n;
}

double objr__loudness_integrated_from_polls(const double *e, size_t n, double scale,
                                            const float *gain) {
    /* 400 ms blocks (40 polls) every 100 ms (10 polls), BS.1770-4 §2.8 gates, exact means. */
    double sum = 0.0, ring[LOUDNESS_M_POLLS] = {0};
    double se = 0.0;
    size_t sn = 0;
    for (int pass = 0; pass < 2; pass++) {
        const double gate = pass == 0 ? LOUDNESS_ABS_GATE_LUFS
                                      : energy_to_lufs(se / (double)sn) + LOUDNESS_REL_GATE_LU;
        if (pass == 1 && sn == 0)
            return -HUGE_VAL;
        se = 0.0;
        sn = 0;
        sum = 0.0;
        memset(ring, 0, sizeof ring);
        for (size_t k = 0; k < n; k++) {
            double g = gain ? (double)gain[k] : 1.0;
            double v = e[k] * scale * g * g;
            sum += v - ring[k % LOUDNESS_M_POLLS];
            ring[k % LOUDNESS_M_POLLS] = v;
            if ((k + 1) % LOUDNESS_STEP_POLLS == 0 && k + 1 >= LOUDNESS_M_POLLS) {
                double be = sum / LOUDNESS_M_POLLS;
                if (be > 0.0 && energy_to_lufs(be) >= gate) {
                    se += be;
                    sn++;
                }
            }
        }
    }
    return sn ? energy_to_lufs(se / (double)sn) : -HUGE_VAL;
}

static void clear_figures(objr_loudness_meter *m) {
    m->m_max = -HUGE_VAL;
    m->s_max = -HUGE_VAL;
    m->sample_peak = 0.0;
    m->n_frames = 0;
    m->n_polls = 0;
    m->since_poll = 0;
    memset(m->kz, 0, sizeof m->kz);
    memset(m->kacc, 0, sizeof m->kacc);
    memset(m->ring, 0, sizeof m->ring);
    m->ring_pos = 0;
    m->cur_m = m->cur_s = -HUGE_VAL;
    m->log_n = 0;
    m->poll_pk = 0.0f;
    memset(m->gate.count, 0, HIST_BINS * sizeof(uint32_t));
    memset(m->gate.energy, 0, HIST_BINS * sizeof(double));
    memset(m->range.count, 0, HIST_BINS * sizeof(uint32_t));
    memset(m->range.energy, 0, HIST_BINS * sizeof(double));
}

/* libebur128 in true-peak mode only, every channel used (weights do not matter to it). */
static ebur128_state *ebur128_tp_state(const objr_loudness_config *cfg) {
    return ebur128_init(cfg->n_channels, (unsigned long)cfg->rate_hz, EBUR128_MODE_TRUE_PEAK);
}

objr_status objr_loudness_meter_create(const objr_loudness_config *cfg, objr_loudness_meter **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (!cfg || cfg->n_channels == 0 || cfg->n_channels > OBJR_LOUDNESS_MAX_CHANNELS ||
        !(cfg->rate_hz >= 8000.0 && cfg->rate_hz <= 768000.0) ||
        cfg->rate_hz != floor(cfg->rate_hz))
        return OBJR_ERR_INVALID_ARG;
    double w[OBJR_LOUDNESS_MAX_CHANNELS];
    if (cfg->weights)
        memcpy(w, cfg->weights, cfg->n_channels * sizeof(double));
    else
        objr_loudness_weights_default(cfg->n_channels, w);
    for (unsigned c = 0; c < cfg->n_channels; c++)
        if (!weight_ok(w[c]))
            return OBJR_ERR_INVALID_ARG;

    objr_loudness_meter *m = objr__calloc(1, sizeof *m);
    if (!m)
        return OBJR_ERR_NOMEM;
    m->cfg = *cfg;
    m->cfg.weights = NULL;
    memcpy(m->weights, w, sizeof w);
    if (cfg->ebur128_true_peak && !(m->st = ebur128_tp_state(cfg)))
        goto fail;
    m->poll_frames = (size_t)lround(cfg->rate_hz * LOUDNESS_POLL_MS / 1000.0);
    m->inter = objr__calloc((size_t)LOUDNESS_PLANAR_BLOCK * cfg->n_channels, sizeof(float));
    m->gate.count = objr__calloc(HIST_BINS, sizeof(uint32_t));
    m->gate.energy = objr__calloc(HIST_BINS, sizeof(double));
    m->range.count = objr__calloc(HIST_BINS, sizeof(uint32_t));
    m->range.energy = objr__calloc(HIST_BINS, sizeof(double));
    if (!m->inter || !m->gate.count || !m->gate.energy || !m->range.count || !m->range.energy)
        goto fail;
    if (cfg->true_peak && objr__tp_create(cfg->n_channels, cfg->rate_hz, &m->tp) != OBJR_OK)
        goto fail;
    m->kweight = objr__kweight_select(objr__cpu_flags());
    m->absmax = objr__absmax_select(objr__cpu_flags());
    k_design(&m->kc, cfg->rate_hz);
    clear_figures(m);
    *out = m;
    return OBJR_OK;
fail:
    objr_loudness_meter_destroy(m);
    return OBJR_ERR_NOMEM;
}

objr_status objr_loudness_meter_reset(objr_loudness_meter *m) {
    if (!m)
        return OBJR_ERR_INVALID_ARG;
    if (m->st) {
        /* libebur128 has no reset: a fresh state. */
        ebur128_state *st = ebur128_tp_state(&m->cfg);
        if (!st)
            return OBJR_ERR_NOMEM;
        ebur128_destroy(&m->st);
        m->st = st;
    }
    if (m->tp)
        objr__tp_reset(m->tp);
    if (m->tp4)
        objr__tp_reset(m->tp4);
    clear_figures(m);
    return OBJR_OK;
}

objr_status objr__loudness_use_kernel_4x(objr_loudness_meter *m) {
    objr__tp *tp4 = NULL;
    objr_status st = objr__tp_create_ebur128(m->cfg.n_channels, m->cfg.rate_hz, &tp4);
    if (st != OBJR_OK)
        return st;
    if (m->st)
        ebur128_destroy(&m->st);
    objr__tp_destroy(m->tp4);
    m->tp4 = tp4;
    return OBJR_OK;
}

size_t objr__loudness_find_nonfinite(const float *x, size_t n) {
    if (objr__absmax_select(objr__cpu_flags())(x, n) < OBJR__ABSMAX_NONFINITE)
        return (size_t)-1;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return i;
    return (size_t)-1;
}

/* K-weighting of interleaved frames in pieces that end at the 10 ms poll boundaries; with
 * the log on, each poll's peak (the linked true peaks, else the samples) is kept too. */
static void weigh_frames(objr_loudness_meter *m, const float *in, const float *linked,
                         size_t n_frames) {
    const unsigned nc = m->cfg.n_channels;
    size_t done = 0;
    while (done < n_frames) {
        size_t n = m->poll_frames - m->since_poll;
        if (n > n_frames - done)
            n = n_frames - done;
        m->kweight(in + done * nc, nc, n, &m->kc, m->kz, m->kacc);
        if (m->log_on) {
            float pk = objr__absmax_value(m->absmax(in + done * nc, n * nc));
            if (linked) {
                float lp = objr__absmax_value(m->absmax(linked + done, n));
                pk = lp > pk ? lp : pk;
            }
            m->poll_pk = pk > m->poll_pk ? pk : m->poll_pk;
        }
        m->since_poll += n;
        done += n;
        if (m->since_poll == m->poll_frames) {
            double e = 0.0;
            for (unsigned c = 0; c < nc; c++)
                e += m->weights[c] * m->kacc[c];
            memset(m->kacc, 0, nc * sizeof(double));
            m->since_poll = 0;
            poll(m, e);
        }
    }
}

/* Interleaved frames: refused when any sample is not finite (the meter is untouched), else
 * sample peak, true peak and K-weighting. */
static objr_status add_frames(objr_loudness_meter *m, const float *in, size_t n_frames) {
    const unsigned nc = m->cfg.n_channels;
    const uint32_t peak_bits = m->absmax(in, n_frames * nc);
    if (peak_bits >= OBJR__ABSMAX_NONFINITE)
        return OBJR_ERR_RANGE;
    const double sp = (double)objr__absmax_value(peak_bits);
    if (sp > m->sample_peak)
        m->sample_peak = sp;
    if (m->st && ebur128_add_frames_float(m->st, in, n_frames) != EBUR128_SUCCESS)
        return OBJR_ERR_NOMEM;
    if (m->tp4)
        objr__tp_process_interleaved(m->tp4, in, n_frames, NULL);
    if (m->tp && m->log_on && m->linked) {
        /* Linked true peaks per frame, exact within the log's range under the running
         * maximum (so the meter's own maximum stays exact: it is above that floor). */
        for (size_t d = 0; d < n_frames; d += LOUDNESS_PLANAR_BLOCK) {
            size_t b = n_frames - d < LOUDNESS_PLANAR_BLOCK ? n_frames - d : LOUDNESS_PLANAR_BLOCK;
            objr__tp_set_floor(m->tp, objr__tp_max_peak(m->tp) * m->log_floor);
            objr__tp_process_interleaved(m->tp, in + d * nc, b, m->linked);
            weigh_frames(m, in + d * nc, m->linked, b);
        }
    } else {
        if (m->tp)
            objr__tp_process_interleaved(m->tp, in, n_frames, NULL);
        weigh_frames(m, in, NULL, n_frames);
    }
    m->n_frames += n_frames;
    return OBJR_OK;
}

objr_status objr_loudness_meter_add_f32(objr_loudness_meter *m, const float *const *in,
                                        size_t n_frames) {
    if (!m || (!in && n_frames))
        return OBJR_ERR_INVALID_ARG;
    const unsigned nc = m->cfg.n_channels;
    for (unsigned c = 0; c < nc; c++)
        if (objr__loudness_find_nonfinite(in[c], n_frames) != (size_t)-1)
            return OBJR_ERR_RANGE;
    size_t done = 0;
    objr_status st = OBJR_OK;
    unsigned ftz = objr__ftz_enter();
    while (done < n_frames && st == OBJR_OK) {
        size_t n = n_frames - done;
        if (n > LOUDNESS_PLANAR_BLOCK)
            n = LOUDNESS_PLANAR_BLOCK;
        for (unsigned c = 0; c < nc; c++) {
            const float *src = in[c] + done;
            for (size_t i = 0; i < n; i++)
                m->inter[i * nc + c] = src[i];
        }
        st = add_frames(m, m->inter, n);
        done += n;
    }
    objr__ftz_leave(ftz);
    return st;
}

objr_status objr_loudness_meter_add_interleaved_f32(objr_loudness_meter *m, const float *in,
                                                    size_t n_frames) {
    if (!m || (!in && n_frames))
        return OBJR_ERR_INVALID_ARG;
    unsigned ftz = objr__ftz_enter();
    objr_status st = add_frames(m, in, n_frames);
    objr__ftz_leave(ftz);
    return st;
}

static double to_db(double lin) {
    return lin > 0.0 ? 20.0 * log10(lin) : -HUGE_VAL;
}

objr_status objr_loudness_meter_get(const objr_loudness_meter *m, objr_loudness_result *out) {
    if (!m || !out)
        return OBJR_ERR_INVALID_ARG;
    objr_loudness_result r;
    memset(&r, 0, sizeof r);
    r.integrated_lufs = hist_integrated(&m->gate);
    r.range_lu = hist_range(&m->range);
    r.momentary_max_lufs = m->m_max;
    r.short_term_max_lufs = m->s_max;
    r.sample_peak_dbfs = to_db(m->sample_peak);
    r.true_peak_dbtp = -HUGE_VAL;
    r.true_peak_ebur128_dbtp = -HUGE_VAL;
    if (m->tp) {
        double tp = 0.0;
        for (unsigned c = 0; c < m->cfg.n_channels; c++) {
            double v = objr__tp_peak_flushed(m->tp, c);
            tp = v > tp ? v : tp;
        }
        r.true_peak_dbtp = to_db(tp);
        r.true_peak_oversampling = objr__tp_ratio(m->tp);
    }
    if (m->st) {
        double tp = 0.0;
        for (unsigned c = 0; c < m->cfg.n_channels; c++) {
            double v;
            if (ebur128_true_peak(m->st, c, &v) == EBUR128_SUCCESS && v > tp)
                tp = v;
        }
        r.true_peak_ebur128_dbtp = to_db(tp);
    } else if (m->tp4) {
        /* as ebur128_true_peak(): the larger of the interpolated and the sample peak */
        double tp = objr__tp_max_peak(m->tp4);
        r.true_peak_ebur128_dbtp = to_db(tp > m->sample_peak ? tp : m->sample_peak);
    }
    r.n_frames = m->n_frames;
    *out = r;
    return OBJR_OK;
}

objr_status objr_loudness_meter_get_current(const objr_loudness_meter *m, double *momentary_lufs,
                                            double *short_term_lufs) {
    if (!m || !momentary_lufs || !short_term_lufs)
        return OBJR_ERR_INVALID_ARG;
    *momentary_lufs = m->cur_m;
    *short_term_lufs = m->cur_s;
    return OBJR_OK;
}
