/* SPDX-License-Identifier: BSD-3-Clause */
/* Loudness measurement per ITU-R BS.1770-4/-5 and EBU R128 (Tech 3341/3342): libebur128 for
 * K-weighting, gating and loudness range, with every channel's weight set explicitly from
 * BS.1770 Annex 3 Table 4, and objrender's own oversampled true-peak meter. */
#include "objrender/objr_master.h"

#include <ebur128.h>
#include <math.h>
#include <string.h>

#include "src/core/core.h"
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

struct objr_loudness_meter {
    objr_loudness_config cfg;
    double weights[OBJR_LOUDNESS_MAX_CHANNELS];
    ebur128_state *st;
    objr__tp *tp;
    size_t poll_frames; /* frames per M/S poll */
    size_t since_poll;  /* frames since the last poll */
    float *inter;       /* poll_frames x n_channels interleaved scratch */
    float *planar;      /* n_channels x poll_frames planar scratch */
    double m_max, s_max, sample_peak;
    size_t n_frames;
    /* Own K-weighting for the 10 ms M/S polls: libebur128 re-sums its whole 3 s window on
     * every query, which costs ~300x the filtering itself at a 10 ms poll rate. */
    double kb[5], ka[5];                      /* shelf then high-pass, a[0] = 1 */
    double kz[OBJR_LOUDNESS_MAX_CHANNELS][4]; /* biquad states (DF2T) */
    double sub_energy;                        /* weighted sum of squares this poll */
    double ring[LOUDNESS_S_POLLS];            /* per-poll energies */
    size_t ring_pos;
    double cur_m, cur_s;
};

/* BS.1770-4 K-weighting (pre-filter shelf + RLB high-pass), bilinear with pre-warping at the
 * analogue prototype's frequencies so that it matches the 48 kHz coefficients of the
 * Recommendation at any rate. */
static void k_design(objr_loudness_meter *m, double rate) {
    objr__kweight_design(rate, m->kb, m->ka);
}

static void k_energy(objr_loudness_meter *m, const float *const *pl, size_t n) {
    double e = 0.0;
    const double b0 = m->kb[0], b1 = m->kb[1], b2 = m->kb[2], a1 = m->ka[1], a2 = m->ka[2];
    const double c1 = m->ka[3], c2 = m->ka[4];
    for (unsigned c = 0; c < m->cfg.n_channels; c++) {
        const double w = m->weights[c];
        if (w == 0.0)
            continue;
        double z0 = m->kz[c][0], z1 = m->kz[c][1], z2 = m->kz[c][2], z3 = m->kz[c][3], acc = 0.0;
        const float *x = pl[c];
        for (size_t i = 0; i < n; i++) {
            double v = (double)x[i];
            double y = b0 * v + z0;
            z0 = b1 * v - a1 * y + z1;
            z1 = b2 * v - a2 * y;
            double u = y + z2; /* high-pass: b = 1, -2, 1 */
            z2 = -2.0 * y - c1 * u + z3;
            z3 = y - c2 * u;
            acc += u * u;
        }
        m->kz[c][0] = z0;
        m->kz[c][1] = z1;
        m->kz[c][2] = z2;
        m->kz[c][3] = z3;
        e += w * acc;
    }
    m->sub_energy += e;
}

static double energy_to_lufs(double e) {
    return e > 0.0 ? LOUDNESS_OFFSET_DB + 10.0 * log10(e) : -HUGE_VAL;
}

/* A poll boundary: close the sub-block, update M, S and their maxima. */
static void poll(objr_loudness_meter *m) {
    m->ring[m->ring_pos] = m->sub_energy;
    m->sub_energy = 0.0;
    double em = 0.0, es = 0.0;
    for (size_t k = 0; k < LOUDNESS_S_POLLS; k++) {
        size_t idx = (m->ring_pos + LOUDNESS_S_POLLS - k) % LOUDNESS_S_POLLS;
        es += m->ring[idx];
        if (k < LOUDNESS_M_POLLS)
            em += m->ring[idx];
    }
    m->ring_pos = (m->ring_pos + 1) % LOUDNESS_S_POLLS;
    double f = (double)m->poll_frames;
    m->cur_m = energy_to_lufs(em / (f * LOUDNESS_M_POLLS));
    m->cur_s = energy_to_lufs(es / (f * LOUDNESS_S_POLLS));
    if (m->cur_m > m->m_max)
        m->m_max = m->cur_m;
    if (m->cur_s > m->s_max)
        m->s_max = m->cur_s;
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

static int ebur128_code_for_weight(double w) {
    /* libebur128 weights by channel type: the M±090 code carries 1.41, M+030 1.0. */
    if (w == 0.0)
        return EBUR128_UNUSED;
    if (fabs(w - OBJR_LOUDNESS_WEIGHT_SIDE) < 1e-9)
        return EBUR128_Mp090;
    if (fabs(w - 2.0) < 1e-9)
        return EBUR128_DUAL_MONO;
    if (fabs(w - 1.0) < 1e-9)
        return EBUR128_Mp030;
    return -1;
}

void objr_loudness_meter_destroy(objr_loudness_meter *m) {
    if (!m)
        return;
    if (m->st)
        ebur128_destroy(&m->st);
    objr__tp_destroy(m->tp);
    objr__freep(&m->inter);
    objr__freep(&m->planar);
    objr__freep(&m);
}

static void clear_figures(objr_loudness_meter *m) {
    m->m_max = -HUGE_VAL;
    m->s_max = -HUGE_VAL;
    m->sample_peak = 0.0;
    m->n_frames = 0;
    m->since_poll = 0;
    memset(m->kz, 0, sizeof m->kz);
    memset(m->ring, 0, sizeof m->ring);
    m->ring_pos = 0;
    m->sub_energy = 0.0;
    m->cur_m = m->cur_s = -HUGE_VAL;
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
        if (ebur128_code_for_weight(w[c]) < 0)
            return OBJR_ERR_INVALID_ARG;

    objr_loudness_meter *m = objr__calloc(1, sizeof *m);
    if (!m)
        return OBJR_ERR_NOMEM;
    m->cfg = *cfg;
    m->cfg.weights = NULL;
    memcpy(m->weights, w, sizeof w);
    int mode = EBUR128_MODE_I | EBUR128_MODE_LRA;
    if (cfg->ebur128_true_peak)
        mode |= EBUR128_MODE_TRUE_PEAK;
    m->st = ebur128_init(cfg->n_channels, (unsigned long)cfg->rate_hz, mode);
    m->poll_frames = (size_t)lround(cfg->rate_hz * LOUDNESS_POLL_MS / 1000.0);
    m->inter = objr__calloc(m->poll_frames * cfg->n_channels, sizeof(float));
    m->planar = objr__calloc(m->poll_frames * cfg->n_channels, sizeof(float));
    if (!m->st || !m->inter || !m->planar)
        goto fail;
    for (unsigned c = 0; c < cfg->n_channels; c++)
        if (ebur128_set_channel(m->st, c, ebur128_code_for_weight(w[c])) != EBUR128_SUCCESS)
            goto fail;
    if (cfg->true_peak && objr__tp_create(cfg->n_channels, cfg->rate_hz, &m->tp) != OBJR_OK)
        goto fail;
    k_design(m, cfg->rate_hz);
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
    /* libebur128 has no reset: a fresh state with the same channel map. */
    int mode = EBUR128_MODE_I | EBUR128_MODE_LRA;
    if (m->cfg.ebur128_true_peak)
        mode |= EBUR128_MODE_TRUE_PEAK;
    ebur128_state *st = ebur128_init(m->cfg.n_channels, (unsigned long)m->cfg.rate_hz, mode);
    if (!st)
        return OBJR_ERR_NOMEM;
    for (unsigned c = 0; c < m->cfg.n_channels; c++)
        ebur128_set_channel(st, c, ebur128_code_for_weight(m->weights[c]));
    ebur128_destroy(&m->st);
    m->st = st;
    if (m->tp)
        objr__tp_reset(m->tp);
    clear_figures(m);
    return OBJR_OK;
}

/* One piece that never crosses a poll boundary; both layouts are filled. */
static objr_status add_piece(objr_loudness_meter *m, const float *inter, const float *const *planar,
                             size_t n) {
    const unsigned nc = m->cfg.n_channels;
    if (ebur128_add_frames_float(m->st, inter, n) != EBUR128_SUCCESS)
        return OBJR_ERR_NOMEM;
    if (m->tp)
        objr__tp_process(m->tp, planar, n, NULL);
    double sp = m->sample_peak;
    for (size_t i = 0; i < n * nc; i++) {
        double a = fabs((double)inter[i]);
        sp = a > sp ? a : sp;
    }
    m->sample_peak = sp;
    k_energy(m, planar, n);
    m->n_frames += n;
    m->since_poll += n;
    if (m->since_poll == m->poll_frames) {
        m->since_poll = 0;
        poll(m);
    }
    return OBJR_OK;
}

size_t objr__loudness_find_nonfinite(const float *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return i;
    return (size_t)-1;
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
    while (done < n_frames) {
        size_t n = m->poll_frames - m->since_poll;
        if (n > n_frames - done)
            n = n_frames - done;
        const float *pl[OBJR_LOUDNESS_MAX_CHANNELS];
        for (unsigned c = 0; c < nc; c++) {
            pl[c] = in[c] + done;
            for (size_t i = 0; i < n; i++)
                m->inter[i * nc + c] = pl[c][i];
        }
        unsigned ftz = objr__ftz_enter();
        objr_status st = add_piece(m, m->inter, pl, n);
        objr__ftz_leave(ftz);
        if (st != OBJR_OK)
            return st;
        done += n;
    }
    return OBJR_OK;
}

objr_status objr_loudness_meter_add_interleaved_f32(objr_loudness_meter *m, const float *in,
                                                    size_t n_frames) {
    if (!m || (!in && n_frames))
        return OBJR_ERR_INVALID_ARG;
    const unsigned nc = m->cfg.n_channels;
    if (objr__loudness_find_nonfinite(in, n_frames * nc) != (size_t)-1)
        return OBJR_ERR_RANGE;
    size_t done = 0;
    while (done < n_frames) {
        size_t n = m->poll_frames - m->since_poll;
        if (n > n_frames - done)
            n = n_frames - done;
        const float *src = in + done * nc;
        const float *pl[OBJR_LOUDNESS_MAX_CHANNELS];
        for (unsigned c = 0; c < nc; c++) {
            float *d = m->planar + c * m->poll_frames;
            for (size_t i = 0; i < n; i++)
                d[i] = src[i * nc + c];
            pl[c] = d;
        }
        unsigned ftz = objr__ftz_enter();
        objr_status st = add_piece(m, src, pl, n);
        objr__ftz_leave(ftz);
        if (st != OBJR_OK)
            return st;
        done += n;
    }
    return OBJR_OK;
}

static double to_db(double lin) {
    return lin > 0.0 ? 20.0 * log10(lin) : -HUGE_VAL;
}

objr_status objr_loudness_meter_get(const objr_loudness_meter *m, objr_loudness_result *out) {
    if (!m || !out)
        return OBJR_ERR_INVALID_ARG;
    objr_loudness_result r;
    memset(&r, 0, sizeof r);
    if (ebur128_loudness_global(m->st, &r.integrated_lufs) != EBUR128_SUCCESS)
        r.integrated_lufs = -HUGE_VAL;
    if (ebur128_loudness_range(m->st, &r.range_lu) != EBUR128_SUCCESS)
        r.range_lu = -HUGE_VAL;
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
    if (m->cfg.ebur128_true_peak) {
        double tp = 0.0;
        for (unsigned c = 0; c < m->cfg.n_channels; c++) {
            double v;
            if (ebur128_true_peak(m->st, c, &v) == EBUR128_SUCCESS && v > tp)
                tp = v;
        }
        r.true_peak_ebur128_dbtp = to_db(tp);
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
