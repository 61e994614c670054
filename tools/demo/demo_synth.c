/* SPDX-License-Identifier: BSD-3-Clause */
/* The offline demo scene: a seeded streaming synthesiser (drums, bass, pad, lead, effects)
 * for a 30 s piece at 100 BPM in A minor, and its object trajectories. Bed labels follow
 * ITU-R BS.2051 / the BS.2094 7.1.2 pack order; object positions use the BS.2076 polar and
 * cartesian conventions. */
#include "tools/demo/demo_synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Scene constants                                                                           */

const char *const objr__demo_bed_labels[OBJR__DEMO_N_BED] = {
    "M+030", "M-030", "M+000", "LFE1", "M+090", "M-090", "M+135", "M-135", "U+090", "U-090"};
const double objr__demo_bed_azimuth_deg[OBJR__DEMO_N_BED] = {30,  -30, 0,    0,  90,
                                                             -90, 135, -135, 90, -90};
const double objr__demo_bed_elevation_deg[OBJR__DEMO_N_BED] = {0, 0, 0, 0, 0, 0, 0, 0, 30, 30};

#define RATE ((double)OBJR__DEMO_RATE_HZ)
#define BEAT_S (60.0 / OBJR__DEMO_TEMPO_BPM)
#define STEP_S (BEAT_S / 4.0) /* a sixteenth note */
#define BAR_S (BEAT_S * 4.0)
#define N_BARS 12
#define STEPS_PER_BAR 16
#define N_PAD_VARIANTS 6            /* decorrelated pad voices for L, R, Lss, Rss, Lrs, Rrs */
#define LEAD_DELAY_S (STEP_S * 3.0) /* dotted-eighth echo */
#define FADE_OUT_S 1.0
#define FADE_IN_S 0.01
#define MAX_NOTES 1024
#define MAX_PAD_NOTES ((N_BARS + 1) * 4)

/* Chord progression i - VI - III - VII in A minor, one chord per bar. */
static const int chord_tones[4][4] = {
    {57, 60, 64, 69}, /* Am: A3 C4 E4 A4 */
    {53, 57, 60, 65}, /* F:  F3 A3 C4 F4 */
    {55, 60, 64, 67}, /* C:  G3 C4 E4 G4 */
    {55, 59, 62, 67}, /* G:  G3 B3 D4 G4 */
};
static const int bass_roots[4] = {33, 29, 36, 31};        /* A1 F1 C2 G1 */
static const int minor_scale[7] = {0, 2, 3, 5, 7, 8, 10}; /* A natural minor, from A */

enum note_kind {
    K_KICK,
    K_SNARE,
    K_HAT,
    K_OPEN_HAT,
    K_CRASH,
    K_BASS,
    K_PAD,
    K_LEAD,
    K_BELL,
    K_DROP,
    K_SHIMMER,
};

typedef struct note {
    int64_t start; /* frame */
    int64_t len;   /* frames the note is held; it may ring on for tail frames */
    int64_t tail;
    double freq_hz;
    double vel;
    int kind;
    int index; /* stable per-note index for hashed parameters */
} note;

typedef struct note_list {
    note *v;
    size_t n, cap, first;
} note_list;

/* RBJ biquad, direct form I in double. */
typedef struct biquad {
    double b0, b1, b2, a1, a2;
    double x1, x2, y1, y2;
} biquad;

/* Topology-preserving state-variable filter (Zavalishin/Simper), cutoff set per sample. */
typedef struct svf {
    double ic1, ic2;
    double a1, a2, a3, k;
} svf;

/* Coefficients of the modulated filters are refreshed every this many frames (counted from
 * frame 0, so the output does not depend on the block size). */
#define COEF_INTERVAL 16

struct objr__demo_synth {
    uint64_t seed;
    int64_t pos;
    int64_t n_frames;
    note_list drums, bass, pad, lead, bells, drops, shimmer;
    biquad snare_hp, hat_hp, crash_hp, wide_bp, rain_lp, lfe_lp[2];
    svf pad_f[N_PAD_VARIANTS], bass_f, lead_f, flyby_f;
    double lead_phase, lead_freq;
    float *delay;
    size_t delay_len, delay_idx;
    double gain[OBJR__DEMO_N_TRACKS];
    /* Per pad note, variant and oscillator: detune ratio and start phase (from the seed). */
    double pad_ratio[MAX_PAD_NOTES][N_PAD_VARIANTS][2];
    double pad_phase[MAX_PAD_NOTES][N_PAD_VARIANTS][2];
};

/* ---------------------------------------------------------------------------------------- */
/* Deterministic randomness                                                                  */

static uint64_t mix64(uint64_t z) {
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [-1, 1), a pure function of (seed, stream, i): the same noise whatever the
 * block size used to render. */
static double hnoise(uint64_t seed, uint64_t stream, uint64_t i) {
    uint64_t h = mix64(seed ^ mix64(stream * 0x100000001b3ull + i));
    return (double)(h >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

typedef struct rng {
    uint64_t s;
} rng;

static double rng_u(rng *r) {
    r->s = mix64(r->s);
    return (double)(r->s >> 11) * (1.0 / 9007199254740992.0);
}

static int rng_int(rng *r, int n) {
    int k = (int)(rng_u(r) * n);
    return k < n ? k : n - 1;
}

/* ---------------------------------------------------------------------------------------- */
/* Small DSP blocks                                                                          */

static double midi_hz(double m) {
    return 440.0 * pow(2.0, (m - 69.0) / 12.0);
}

static int64_t frames(double s) {
    return (int64_t)llround(s * RATE);
}

static void bq_lowpass(biquad *f, double fc_hz, double q) {
    double w = 2.0 * OBJR_PI * fc_hz / RATE, c = cos(w), al = sin(w) / (2.0 * q);
    double a0 = 1.0 + al;
    memset(f, 0, sizeof *f);
    f->b0 = (1.0 - c) / 2.0 / a0;
    f->b1 = (1.0 - c) / a0;
    f->b2 = f->b0;
    f->a1 = -2.0 * c / a0;
    f->a2 = (1.0 - al) / a0;
}

static void bq_highpass(biquad *f, double fc_hz, double q) {
    double w = 2.0 * OBJR_PI * fc_hz / RATE, c = cos(w), al = sin(w) / (2.0 * q);
    double a0 = 1.0 + al;
    memset(f, 0, sizeof *f);
    f->b0 = (1.0 + c) / 2.0 / a0;
    f->b1 = -(1.0 + c) / a0;
    f->b2 = f->b0;
    f->a1 = -2.0 * c / a0;
    f->a2 = (1.0 - al) / a0;
}

static void bq_bandpass(biquad *f, double fc_hz, double q) {
    double w = 2.0 * OBJR_PI * fc_hz / RATE, c = cos(w), al = sin(w) / (2.0 * q);
    double a0 = 1.0 + al;
    memset(f, 0, sizeof *f);
    f->b0 = al / a0;
    f->b1 = 0.0;
    f->b2 = -al / a0;
    f->a1 = -2.0 * c / a0;
    f->a2 = (1.0 - al) / a0;
}

static void bq_clear(biquad *f) {
    f->x1 = f->x2 = f->y1 = f->y2 = 0.0;
}

static double bq_run(biquad *f, double x) {
    double y = f->b0 * x + f->b1 * f->x1 + f->b2 * f->x2 - f->a1 * f->y1 - f->a2 * f->y2;
    f->x2 = f->x1;
    f->x1 = x;
    f->y2 = f->y1;
    f->y1 = y;
    return y;
}

static void svf_set(svf *f, double fc_hz, double q) {
    double g = tan(OBJR_PI * fmin(fc_hz, 0.45 * RATE) / RATE);
    f->k = 1.0 / q;
    f->a1 = 1.0 / (1.0 + g * (g + f->k));
    f->a2 = g * f->a1;
    f->a3 = g * f->a2;
}

/* One SVF step; returns the low-pass output and stores the band-pass in *band. */
static double svf_run(svf *f, double x, double *band) {
    double v3 = x - f->ic2;
    double v1 = f->a1 * f->ic1 + f->a2 * v3;
    double v2 = f->ic2 + f->a2 * f->ic1 + f->a3 * v3;
    f->ic1 = 2.0 * v1 - f->ic1;
    f->ic2 = 2.0 * v2 - f->ic2;
    if (band)
        *band = v1;
    return v2;
}

/* Band-limited sawtooth by polyBLEP: phase p in [0, 1), increment dt per sample. */
static double blep(double p, double dt) {
    if (p < dt) {
        p /= dt;
        return p + p - p * p - 1.0;
    }
    if (p > 1.0 - dt) {
        p = (p - 1.0) / dt;
        return p * p + p + p + 1.0;
    }
    return 0.0;
}

static double saw(double p, double dt) {
    return 2.0 * p - 1.0 - blep(p, dt);
}

static double frac(double x) {
    return x - floor(x);
}

/* Smooth 0 -> 1 over [0, d]. */
static double ramp(double t, double d) {
    if (t <= 0.0)
        return 0.0;
    if (t >= d)
        return 1.0;
    double u = t / d;
    return u * u * (3.0 - 2.0 * u);
}

/* ---------------------------------------------------------------------------------------- */
/* The score                                                                                 */

static int push(note_list *l, int64_t start, double len_s, double tail_s, double freq_hz,
                double vel, int kind) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        if (cap > MAX_NOTES)
            return 0;
        note *v = (cap > SIZE_MAX / sizeof *v) ? NULL : realloc(l->v, cap * sizeof *v);
        if (!v)
            return 0;
        l->v = v;
        l->cap = cap;
    }
    note *n = &l->v[l->n];
    n->start = start;
    n->len = frames(len_s);
    n->tail = frames(tail_s);
    n->freq_hz = freq_hz;
    n->vel = vel;
    n->kind = kind;
    n->index = (int)l->n;
    l->n++;
    return 1;
}

static int cmp_note(const void *a, const void *b) {
    const note *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->index - y->index;
}

static int64_t step_frame(int bar, double step) {
    return frames((double)bar * BAR_S + step * STEP_S);
}

static int compose_drums(objr__demo_synth *s, rng *r) {
    note_list *d = &s->drums;
    int ok = 1;
    for (int bar = 0; bar < N_BARS; bar++) {
        int full = bar >= 2;
        int fill = bar == 7 || bar == 11;
        int sixteenths = bar >= 6;
        for (int st = 0; st < STEPS_PER_BAR; st++) {
            int64_t t = step_frame(bar, st);
            /* Hats from bar 1 (intro: hats over the pad only). */
            if (bar >= 1 && st % 2 == 0)
                ok &= push(d, t, 0.0, 0.2, 0, st % 4 == 0 ? 0.8 : 0.55, K_HAT);
            else if (bar >= 1 && sixteenths)
                ok &= push(d, t, 0.0, 0.2, 0, 0.25 + 0.1 * rng_u(r), K_HAT);
            if (!full)
                continue;
            if (st == 14 && rng_u(r) < 0.5)
                ok &= push(d, t, 0.0, 1.0, 0, 0.45, K_OPEN_HAT);
            /* Kick on 1 and 3, with seeded syncopations. */
            if (st == 0 || st == 8 || (st == 10 && rng_u(r) < 0.55) ||
                (st == 6 && rng_u(r) < 0.2) || (st == 3 && rng_u(r) < 0.15))
                ok &= push(d, t, 0.0, 0.8, 0, st % 8 == 0 ? 1.0 : 0.8, K_KICK);
            /* Snare on 2 and 4, ghost notes, and a fill at the end of each 4-bar phrase. */
            if (st == 4 || st == 12)
                ok &= push(d, t, 0.0, 0.5, 0, 1.0, K_SNARE);
            else if (fill && st >= 13)
                ok &= push(d, t, 0.0, 0.5, 0, 0.45 + 0.15 * (st - 13), K_SNARE);
            else if ((st == 7 || st == 15) && rng_u(r) < 0.25)
                ok &= push(d, t, 0.0, 0.5, 0, 0.25, K_SNARE);
        }
    }
    /* Crashes on the downbeat of the groove and the final hit. */
    ok &= push(d, step_frame(2, 0), 0.0, 3.0, 0, 0.7, K_CRASH);
    ok &= push(d, step_frame(8, 0), 0.0, 3.0, 0, 0.6, K_CRASH);
    ok &= push(d, step_frame(N_BARS, 0), 0.0, 3.0, 0, 0.8, K_CRASH);
    ok &= push(d, step_frame(N_BARS, 0), 0.0, 0.8, 0, 1.0, K_KICK);
    return ok;
}

static int compose_bass(objr__demo_synth *s, rng *r) {
    /* Patterns over 8 eighth notes: semitone offsets from the root, -1 = rest. */
    static const int patterns[3][8] = {
        {0, 0, 12, 0, 0, 12, 0, 7},
        {0, -1, 0, 12, 0, -1, 7, 12},
        {0, 0, 0, 12, 0, 0, 10, 12},
    };
    int ok = 1;
    for (int bar = 2; bar < N_BARS; bar++) {
        const int *p = patterns[rng_int(r, 3)];
        int root = bass_roots[bar % 4];
        for (int e = 0; e < 8; e++) {
            if (p[e] < 0)
                continue;
            double len = (e % 2 == 0 ? 1.7 : 1.4) * STEP_S;
            ok &= push(&s->bass, step_frame(bar, 2 * e), len, 0.06, midi_hz(root + p[e]),
                       e % 2 == 0 ? 1.0 : 0.8, K_BASS);
        }
    }
    ok &= push(&s->bass, step_frame(N_BARS, 0), 0.9, 0.25, midi_hz(bass_roots[0]), 1.0, K_BASS);
    return ok;
}

static int compose_harmony(objr__demo_synth *s, rng *r) {
    int ok = 1;
    for (int bar = 0; bar <= N_BARS; bar++) {
        const int *c = chord_tones[bar % 4];
        double len = bar < N_BARS ? BAR_S : OBJR__DEMO_DURATION_S - N_BARS * BAR_S;
        for (int j = 0; j < 4; j++) {
            ok &= push(&s->pad, step_frame(bar, 0), len, 1.0, midi_hz(c[j]), 1.0, K_PAD);
            ok &=
                push(&s->shimmer, step_frame(bar, 0), len, 1.5, midi_hz(c[j] + 24), 1.0, K_SHIMMER);
        }
        /* Bell arpeggios (overhead object) from bar 2, eighth notes with seeded gaps. */
        if (bar >= 2 && bar < N_BARS) {
            for (int e = 0; e < 8; e++) {
                if (rng_u(r) < 0.35)
                    continue;
                int m = c[rng_int(r, 4)] + (rng_u(r) < 0.5 ? 12 : 24);
                ok &= push(&s->bells, step_frame(bar, 2 * e), 0.0, 1.6, midi_hz(m),
                           0.5 + 0.4 * rng_u(r), K_BELL);
            }
        }
    }
    return ok;
}

/* Nearest chord tone (any octave, within [lo, hi]) to m. */
static int nearest_chord_tone(const int *c, int m, int lo, int hi) {
    int best = m, bestd = 1000;
    for (int j = 0; j < 4; j++)
        for (int o = -36; o <= 36; o += 12) {
            int x = c[j] + o;
            int dd = abs(x - m);
            if (x >= lo && x <= hi && dd < bestd) {
                best = x;
                bestd = dd;
            }
        }
    return best;
}

static int scale_step(int m, int steps) {
    /* Move m by `steps` degrees of A minor (m must be on the scale). */
    int rel = ((m - 57) % 12 + 12) % 12, oct = (m - 57 - rel) / 12, deg = 0;
    for (int k = 0; k < 7; k++)
        if (minor_scale[k] == rel)
            deg = k;
    int nd = deg + steps;
    int no = oct + (nd >= 0 ? nd / 7 : (nd - 6) / 7);
    nd = ((nd % 7) + 7) % 7;
    return 57 + no * 12 + minor_scale[nd];
}

static int compose_lead(objr__demo_synth *s, rng *r) {
    /* Rhythms per bar: pairs of (start step, length in steps). */
    static const int rhythms[4][6][2] = {
        {{0, 4}, {4, 2}, {6, 2}, {8, 6}, {14, 2}, {-1, 0}},
        {{0, 3}, {3, 3}, {6, 2}, {8, 4}, {12, 4}, {-1, 0}},
        {{0, 2}, {2, 2}, {4, 4}, {8, 2}, {10, 2}, {12, 4}},
        {{0, 6}, {6, 2}, {8, 8}, {-1, 0}, {-1, 0}, {-1, 0}},
    };
    const int lo = 64, hi = 81; /* E4 .. A5 */
    int ok = 1, m = 76;         /* start on E5 */
    for (int bar = 4; bar < N_BARS; bar++) {
        const int *c = chord_tones[bar % 4];
        int phrase_end = bar % 4 == 3;
        const int(*rh)[2] = rhythms[phrase_end ? 3 : rng_int(r, 3)];
        for (int k = 0; k < 6 && rh[k][0] >= 0; k++) {
            int st = rh[k][0];
            if (st == 0 || st == 8) {
                m = nearest_chord_tone(c, m + (rng_u(r) < 0.5 ? -2 : 2), lo, hi);
            } else {
                static const int moves[6] = {-2, -1, -1, 1, 1, 2};
                int nm = scale_step(m, moves[rng_int(r, 6)]);
                m = (nm < lo || nm > hi) ? scale_step(m, nm < lo ? 1 : -1) : nm;
            }
            double len = rh[k][1] * STEP_S * 0.92;
            ok &= push(&s->lead, step_frame(bar, st), len, 0.12, midi_hz(m),
                       st % 4 == 0 ? 1.0 : 0.85, K_LEAD);
        }
    }
    ok &= push(&s->lead, step_frame(N_BARS, 0), 0.9, 0.25, midi_hz(69), 1.0, K_LEAD);
    return ok;
}

static int compose_drops(objr__demo_synth *s, rng *r) {
    /* Poisson droplets, about 5 per second, over the whole piece. */
    int ok = 1;
    double t = 0.05;
    while (ok) {
        t += -log(1.0 - rng_u(r)) / 5.0;
        if (t > OBJR__DEMO_DURATION_S - FADE_OUT_S - 0.1)
            break;
        ok &= push(&s->drops, frames(t), 0.0, 0.08, 1200.0 + 2600.0 * rng_u(r),
                   0.3 + 0.7 * rng_u(r), K_DROP);
    }
    return ok;
}

/* ---------------------------------------------------------------------------------------- */
/* Voices: each is a pure function of the note and the time since its start                 */

static double note_env(const note *n, double t, double attack_s, double release_s) {
    double a = ramp(t, attack_s);
    double len_s = (double)n->len / RATE;
    if (t > len_s)
        a *= 1.0 - ramp(t - len_s, release_s);
    return a;
}

static double voice_kick(const objr__demo_synth *s, const note *n, double t, int64_t i) {
    const double f0 = 45.0, df = 110.0, tau = 0.035;
    double ph = 2.0 * OBJR_PI * (f0 * t + df * tau * (1.0 - exp(-t / tau)));
    double body = sin(ph) * exp(-t / 0.28) * ramp(t, 0.001);
    double click = hnoise(s->seed, 1, (uint64_t)i) * exp(-t / 0.002) * 0.25;
    double fade = 1.0 - ramp(t - 0.6, 0.2); /* reach exactly zero at the note's tail */
    return n->vel * (body + click) * fade;
}

static double voice_snare_tone(const note *n, double t) {
    double tone = 0.5 * sin(2.0 * OBJR_PI * 185.0 * t) * exp(-t / 0.05) +
                  0.25 * sin(2.0 * OBJR_PI * 330.0 * t) * exp(-t / 0.03);
    return n->vel * tone * ramp(t, 0.0005) * (1.0 - ramp(t - 0.4, 0.1));
}

static double voice_bass(const note *n, double t) {
    double f = n->freq_hz, dt = f / RATE;
    double p = frac(f * t);
    double x = 0.6 * saw(p, dt) + 0.5 * sin(2.0 * OBJR_PI * f * t);
    double env = note_env(n, t, 0.004, 0.05) * (0.75 + 0.25 * exp(-t / 0.12));
    return n->vel * x * env;
}

/* Adds the note to every pad variant (two detuned saws each, detune and phase from the
 * seed). */
static void voice_pad(const objr__demo_synth *s, const note *n, double t, double *pad) {
    double env = 0.5 * note_env(n, t, 0.6, 1.0);
    for (int v = 0; v < N_PAD_VARIANTS; v++) {
        double out = 0.0;
        for (int k = 0; k < 2; k++) {
            double f = n->freq_hz * s->pad_ratio[n->index][v][k];
            out += saw(frac(f * t + s->pad_phase[n->index][v][k]), f / RATE);
        }
        pad[v] += env * out;
    }
}

static double voice_bell(const note *n, double t) {
    double f = n->freq_hz;
    double index = 3.5 * exp(-t / 0.35);
    double x = sin(2.0 * OBJR_PI * f * t + index * sin(2.0 * OBJR_PI * 3.5 * f * t));
    return n->vel * x * exp(-t / 0.6) * ramp(t, 0.002) * (1.0 - ramp(t - 1.3, 0.3));
}

static double voice_drop(const note *n, double t) {
    double ph = 2.0 * OBJR_PI * n->freq_hz * (t + 0.6 * t * t / 0.04);
    return n->vel * sin(ph) * exp(-t / 0.012) * ramp(t, 0.0005) * (1.0 - ramp(t - 0.06, 0.02));
}

static double voice_shimmer(const note *n, double t, double abs_t) {
    double trem = 0.6 + 0.4 * sin(2.0 * OBJR_PI * 0.35 * abs_t + n->freq_hz * 0.01);
    return sin(2.0 * OBJR_PI * n->freq_hz * t) * trem * note_env(n, t, 1.2, 1.5);
}

/* Visit the notes of @p l sounding at frame i. */
#define FOR_ACTIVE(l, i, nvar)                                                                     \
    for (size_t nvar##_k = (l)->first; nvar##_k < (l)->n && (l)->v[nvar##_k].start <= (i);         \
         nvar##_k++)                                                                               \
        for (const note *nvar = &(l)->v[nvar##_k]; nvar; nvar = NULL)                              \
            if ((i) < nvar->start + nvar->len + nvar->tail)

static void advance_first(note_list *l, int64_t i) {
    while (l->first < l->n && l->v[l->first].start + l->v[l->first].len + l->v[l->first].tail <= i)
        l->first++;
}

/* ---------------------------------------------------------------------------------------- */
/* Rendering                                                                                 */

/* The drum kit's buses at one frame. */
typedef struct drum_frame {
    double kick, snare, hats, crash;
} drum_frame;

static drum_frame drums_at(objr__demo_synth *s, int64_t i) {
    double kick = 0, snare_tone = 0, snare_noise = 0, hat_exc = 0, crash_exc = 0;
    advance_first(&s->drums, i);
    FOR_ACTIVE(&s->drums, i, n) {
        double t = (double)(i - n->start) / RATE;
        switch (n->kind) {
        case K_KICK:
            kick += voice_kick(s, n, t, i);
            break;
        case K_SNARE:
            snare_tone += voice_snare_tone(n, t);
            snare_noise += n->vel * hnoise(s->seed, 2, (uint64_t)i) * exp(-t / 0.11) *
                           ramp(t, 0.0005) * (1.0 - ramp(t - 0.4, 0.1));
            break;
        case K_HAT:
            hat_exc += n->vel * hnoise(s->seed, 3, (uint64_t)i) * exp(-t / 0.025) *
                       (1.0 - ramp(t - 0.15, 0.05));
            break;
        case K_OPEN_HAT:
            hat_exc += n->vel * hnoise(s->seed, 3, (uint64_t)i) * exp(-t / 0.22) *
                       (1.0 - ramp(t - 0.8, 0.2));
            break;
        default: /* K_CRASH */
            crash_exc += n->vel * hnoise(s->seed, 4, (uint64_t)i) * exp(-t / 0.9) * ramp(t, 0.001) *
                         (1.0 - ramp(t - 2.5, 0.5));
            break;
        }
    }
    drum_frame d;
    d.kick = kick;
    d.snare = snare_tone + 0.9 * bq_run(&s->snare_hp, snare_noise);
    d.hats = bq_run(&s->hat_hp, hat_exc);
    d.crash = bq_run(&s->crash_hp, crash_exc);
    return d;
}

/* Bass through a filter that opens with the notes' envelope (@p upd: update the coefficients
 * at this frame). */
static double bass_at(objr__demo_synth *s, int64_t i, int upd) {
    double bass_raw = 0, bass_env = 0;
    advance_first(&s->bass, i);
    FOR_ACTIVE(&s->bass, i, n) {
        double t = (double)(i - n->start) / RATE;
        bass_raw += voice_bass(n, t);
        bass_env += n->vel * exp(-t / 0.15);
    }
    if (upd)
        svf_set(&s->bass_f, 250.0 + 900.0 * bass_env, 0.9);
    return svf_run(&s->bass_f, bass_raw, NULL);
}

/* The pad's variants (one per bed pair), each through a slowly sweeping filter. */
static void pad_at(objr__demo_synth *s, int64_t i, int upd, double abs_t, double *pad) {
    advance_first(&s->pad, i);
    FOR_ACTIVE(&s->pad, i, n) {
        double t = (double)(i - n->start) / RATE;
        voice_pad(s, n, t, pad);
    }
    for (int v = 0; v < N_PAD_VARIANTS; v++) {
        if (upd)
            svf_set(&s->pad_f[v], 1100.0 + 600.0 * sin(2.0 * OBJR_PI * abs_t / (4.0 * BAR_S) + v),
                    0.7);
        pad[v] = svf_run(&s->pad_f[v], pad[v], NULL);
    }
}

/* Lead: monophonic, gliding oscillator with vibrato, an envelope-driven filter and a
 * dotted-eighth echo. */
static double lead_at(objr__demo_synth *s, int64_t i, int upd) {
    double lead_amp = 0, lead_bright = 0, target = 0;
    advance_first(&s->lead, i);
    FOR_ACTIVE(&s->lead, i, n) {
        double t = (double)(i - n->start) / RATE;
        lead_amp += n->vel * note_env(n, t, 0.01, 0.1) * (0.65 + 0.35 * exp(-t / 0.3));
        lead_bright += n->vel * exp(-t / 0.25) * note_env(n, t, 0.01, 0.1);
        if (i < n->start + n->len || target == 0)
            target =
                n->freq_hz * pow(2.0, 0.15 / 12.0 * ramp(t, 0.25) * sin(2.0 * OBJR_PI * 5.5 * t));
    }
    double lead_dry = 0;
    if (target > 0) {
        if (s->lead_freq <= 0)
            s->lead_freq = target;
        s->lead_freq += (target - s->lead_freq) * (1.0 - exp(-1.0 / (0.025 * RATE)));
        double dt = s->lead_freq / RATE;
        double osc = 0.6 * saw(s->lead_phase, dt) +
                     0.4 * (saw(s->lead_phase, dt) - saw(frac(s->lead_phase + 0.5), dt));
        s->lead_phase = frac(s->lead_phase + dt);
        lead_dry = lead_amp * osc;
    }
    if (upd)
        svf_set(&s->lead_f, 900.0 + 3500.0 * lead_bright, 1.1);
    lead_dry = svf_run(&s->lead_f, lead_dry, NULL);
    float echo = s->delay[s->delay_idx];
    s->delay[s->delay_idx] = (float)(lead_dry + 0.35 * echo);
    s->delay_idx = (s->delay_idx + 1) % s->delay_len;
    return lead_dry + 0.3 * echo;
}

/* Flyby whoosh: band-passed noise whose centre sweeps with its trip round the room. */
static double flyby_at(objr__demo_synth *s, int64_t i, int upd, double abs_t) {
    if (!(abs_t >= 2.0 * BAR_S - 0.5 && abs_t < N_BARS * BAR_S + 0.8)) {
        s->flyby_f.ic1 = s->flyby_f.ic2 = 0.0;
        return 0;
    }
    double ph = (abs_t - 2.0 * BAR_S) / (2.0 * BAR_S);
    double sweep = 0.5 - 0.5 * cos(2.0 * OBJR_PI * ph);
    double env = (0.3 + 0.7 * sweep) * ramp(abs_t - (2.0 * BAR_S - 0.5), 0.5) *
                 (1.0 - ramp(abs_t - N_BARS * BAR_S, 0.8));
    double band;
    if (upd)
        svf_set(&s->flyby_f, 300.0 * pow(2.0, 3.5 * sweep), 2.5);
    svf_run(&s->flyby_f, hnoise(s->seed, 5, (uint64_t)i), &band);
    return env * band;
}

static void render_frame(objr__demo_synth *s, int64_t i, double *y) {
    const double abs_t = (double)i / RATE;
    const int upd = i % COEF_INTERVAL == 0;
    drum_frame d = drums_at(s, i);
    double bass = bass_at(s, i, upd);
    double pad[N_PAD_VARIANTS] = {0};
    pad_at(s, i, upd, abs_t, pad);
    double lead = lead_at(s, i, upd);

    double bells = 0;
    advance_first(&s->bells, i);
    FOR_ACTIVE(&s->bells, i, n) {
        bells += voice_bell(n, (double)(i - n->start) / RATE);
    }
    double drops = 0;
    advance_first(&s->drops, i);
    FOR_ACTIVE(&s->drops, i, n) {
        drops += voice_drop(n, (double)(i - n->start) / RATE);
    }
    double rain = drops + 0.12 * bq_run(&s->rain_lp, hnoise(s->seed, 6, (uint64_t)i));
    double shimmer = 0;
    advance_first(&s->shimmer, i);
    FOR_ACTIVE(&s->shimmer, i, n) {
        shimmer += voice_shimmer(n, (double)(i - n->start) / RATE, abs_t);
    }
    double air = bq_run(&s->wide_bp, hnoise(s->seed, 7, (uint64_t)i));
    double wide = shimmer + 0.35 * air * (0.5 + 0.5 * sin(2.0 * OBJR_PI * abs_t / BAR_S));
    double fly = flyby_at(s, i, upd, abs_t);

    /* The 7.1.2 bed: M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135 U+090 U-090. */
    double kick = d.kick, snare = d.snare, hats = d.hats, crash = d.crash;
    y[0] = 0.5 * kick + 0.45 * snare + 0.55 * hats + 0.45 * crash + 0.45 * bass + 0.6 * pad[0];
    y[1] = 0.5 * kick + 0.45 * snare + 0.40 * hats + 0.40 * crash + 0.45 * bass + 0.6 * pad[1];
    y[2] = 0.7 * kick + 0.55 * snare + 0.6 * bass;
    y[3] = bq_run(&s->lfe_lp[1], bq_run(&s->lfe_lp[0], kick + bass));
    y[4] = 0.45 * pad[2] + 0.12 * snare + 0.2 * crash;
    y[5] = 0.45 * pad[3] + 0.12 * snare + 0.2 * crash;
    y[6] = 0.4 * pad[4] + 0.1 * hats;
    y[7] = 0.4 * pad[5] + 0.1 * hats;
    y[8] = 0.3 * (pad[2] + pad[4]) + 0.15 * crash;
    y[9] = 0.3 * (pad[3] + pad[5]) + 0.15 * crash;
    y[OBJR__DEMO_TRACK_LEAD] = lead;
    y[OBJR__DEMO_TRACK_FLYBY] = fly;
    y[OBJR__DEMO_TRACK_OVERHEAD] = bells;
    y[OBJR__DEMO_TRACK_WIDE] = wide;
    y[OBJR__DEMO_TRACK_DIFFUSE] = rain;

    double g = ramp(abs_t, FADE_IN_S) *
               (1.0 - ramp(abs_t - (OBJR__DEMO_DURATION_S - FADE_OUT_S), FADE_OUT_S));
    for (int c = 0; c < OBJR__DEMO_N_TRACKS; c++)
        y[c] *= g * s->gain[c];
}

size_t objr__demo_n_frames(void) {
    return (size_t)frames(OBJR__DEMO_DURATION_S);
}

void objr__demo_synth_reset(objr__demo_synth *s) {
    s->pos = 0;
    note_list *lists[] = {&s->drums, &s->bass,  &s->pad,    &s->lead,
                          &s->bells, &s->drops, &s->shimmer};
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
        lists[k]->first = 0;
    biquad *bqs[] = {&s->snare_hp, &s->hat_hp,    &s->crash_hp, &s->wide_bp,
                     &s->rain_lp,  &s->lfe_lp[0], &s->lfe_lp[1]};
    for (size_t k = 0; k < sizeof bqs / sizeof bqs[0]; k++)
        bq_clear(bqs[k]);
    memset(s->pad_f, 0, sizeof s->pad_f);
    memset(&s->bass_f, 0, sizeof s->bass_f);
    memset(&s->lead_f, 0, sizeof s->lead_f);
    memset(&s->flyby_f, 0, sizeof s->flyby_f);
    s->lead_phase = 0.0;
    s->lead_freq = 0.0;
    memset(s->delay, 0, s->delay_len * sizeof *s->delay);
    s->delay_idx = 0;
}

size_t objr__demo_synth_render(objr__demo_synth *s, float *const *out, size_t n_frames) {
    double y[OBJR__DEMO_N_TRACKS];
    size_t n_in = 0;
    for (size_t k = 0; k < n_frames; k++) {
        if (s->pos < s->n_frames) {
            render_frame(s, s->pos, y);
            s->pos++;
            n_in++;
        } else {
            memset(y, 0, sizeof y);
        }
        for (int c = 0; c < OBJR__DEMO_N_TRACKS; c++)
            out[c][k] = (float)y[c];
    }
    return n_in;
}

void objr__demo_synth_destroy(objr__demo_synth *s) {
    if (!s)
        return;
    free(s->drums.v);
    free(s->bass.v);
    free(s->pad.v);
    free(s->lead.v);
    free(s->bells.v);
    free(s->drops.v);
    free(s->shimmer.v);
    free(s->delay);
    free(s);
}

double objr__demo_track_peak_dbfs(int track) {
    switch (track) {
    case OBJR__DEMO_TRACK_LEAD:
        return -7.0;
    case OBJR__DEMO_TRACK_FLYBY:
        return -10.0;
    case OBJR__DEMO_TRACK_OVERHEAD:
        return -10.0;
    case OBJR__DEMO_TRACK_WIDE:
        return -12.0;
    case OBJR__DEMO_TRACK_DIFFUSE:
        return -12.0;
    case OBJR__DEMO_BED_LFE:
        return OBJR__DEMO_LFE_PEAK_DBFS;
    default:
        return OBJR__DEMO_BED_PEAK_DBFS;
    }
}

/* Render once with unit gains and set the gains from the measured peaks. */
static objr_status normalise(objr__demo_synth *s) {
    enum { BLOCK = 4096 };
    float *buf = calloc((size_t)BLOCK * OBJR__DEMO_N_TRACKS, sizeof *buf);
    float *ch[OBJR__DEMO_N_TRACKS];
    double peak[OBJR__DEMO_N_TRACKS] = {0};
    if (!buf)
        return OBJR_ERR_NOMEM;
    for (int c = 0; c < OBJR__DEMO_N_TRACKS; c++) {
        s->gain[c] = 1.0;
        ch[c] = buf + (size_t)c * BLOCK;
    }
    size_t n;
    while ((n = objr__demo_synth_render(s, ch, BLOCK)) > 0)
        for (int c = 0; c < OBJR__DEMO_N_TRACKS; c++)
            for (size_t k = 0; k < n; k++)
                peak[c] = fmax(peak[c], fabs(ch[c][k]));
    free(buf);

    double bed_peak = 0.0;
    for (int c = 0; c < OBJR__DEMO_N_BED; c++)
        if (c != OBJR__DEMO_BED_LFE)
            bed_peak = fmax(bed_peak, peak[c]);
    for (int c = 0; c < OBJR__DEMO_N_TRACKS; c++) {
        double p = (c < OBJR__DEMO_N_BED && c != OBJR__DEMO_BED_LFE) ? bed_peak : peak[c];
        s->gain[c] = p > 0.0 ? pow(10.0, objr__demo_track_peak_dbfs(c) / 20.0) / p : 0.0;
    }
    objr__demo_synth_reset(s);
    return OBJR_OK;
}

objr_status objr__demo_synth_create(uint64_t seed, objr__demo_synth **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    objr__demo_synth *s = calloc(1, sizeof *s);
    if (!s)
        return OBJR_ERR_NOMEM;
    s->seed = seed;
    s->n_frames = (int64_t)objr__demo_n_frames();
    s->delay_len = (size_t)frames(LEAD_DELAY_S);
    s->delay = calloc(s->delay_len, sizeof *s->delay);
    if (!s->delay)
        goto fail;

    rng r = {mix64(seed ^ 0x6f626a72656e6472ull)};
    if (!compose_drums(s, &r) || !compose_bass(s, &r) || !compose_harmony(s, &r) ||
        !compose_lead(s, &r) || !compose_drops(s, &r))
        goto fail;
    note_list *lists[] = {&s->drums, &s->bass,  &s->pad,    &s->lead,
                          &s->bells, &s->drops, &s->shimmer};
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
        qsort(lists[k]->v, lists[k]->n, sizeof(note), cmp_note);

    if (s->pad.n > MAX_PAD_NOTES)
        goto fail;
    for (size_t k = 0; k < s->pad.n; k++)
        for (int v = 0; v < N_PAD_VARIANTS; v++)
            for (int o = 0; o < 2; o++) {
                uint64_t key = (uint64_t)(k * 16 + (size_t)v * 2 + (size_t)o);
                s->pad_ratio[k][v][o] = pow(2.0, 9.0 * hnoise(seed, 101, key) / 1200.0);
                s->pad_phase[k][v][o] = 0.5 * (1.0 + hnoise(seed, 102, key));
            }

    bq_highpass(&s->snare_hp, 1200.0, 0.7);
    bq_highpass(&s->hat_hp, 7000.0, 0.7);
    bq_highpass(&s->crash_hp, 4000.0, 0.6);
    bq_bandpass(&s->wide_bp, 5000.0, 1.5);
    bq_lowpass(&s->rain_lp, 2500.0, 0.7);
    /* 4th-order Butterworth as two biquads (Q = 0.5412, 1.3066). */
    bq_lowpass(&s->lfe_lp[0], OBJR__DEMO_LFE_CUTOFF_HZ, 0.54119610);
    bq_lowpass(&s->lfe_lp[1], OBJR__DEMO_LFE_CUTOFF_HZ, 1.30656296);

    if (normalise(s) != OBJR_OK)
        goto fail;
    *out = s;
    return OBJR_OK;
fail:
    objr__demo_synth_destroy(s);
    return OBJR_ERR_NOMEM;
}

/* ---------------------------------------------------------------------------------------- */
/* Object metadata                                                                           */

const char *objr__demo_track_name(int track) {
    switch (track) {
    case OBJR__DEMO_TRACK_LEAD:
        return "lead";
    case OBJR__DEMO_TRACK_FLYBY:
        return "flyby";
    case OBJR__DEMO_TRACK_OVERHEAD:
        return "bells";
    case OBJR__DEMO_TRACK_WIDE:
        return "shimmer";
    case OBJR__DEMO_TRACK_DIFFUSE:
        return "rain";
    default:
        return NULL;
    }
}

const char *objr__demo_track_title(int track) {
    switch (track) {
    case OBJR__DEMO_TRACK_LEAD:
        return "Lead synth";
    case OBJR__DEMO_TRACK_FLYBY:
        return "Flyby whoosh";
    case OBJR__DEMO_TRACK_OVERHEAD:
        return "Overhead bells";
    case OBJR__DEMO_TRACK_WIDE:
        return "Wide shimmer";
    case OBJR__DEMO_TRACK_DIFFUSE:
        return "Diffuse rain";
    default:
        return NULL;
    }
}

int objr__demo_track_moves(int track) {
    return track >= OBJR__DEMO_TRACK_LEAD && track <= OBJR__DEMO_TRACK_WIDE;
}

static double wrap180(double a) {
    a = fmod(a + 180.0, 360.0);
    if (a < 0.0)
        a += 360.0;
    return a - 180.0;
}

void objr__demo_position(int track, double t_s, objr__demo_pos *p) {
    memset(p, 0, sizeof *p);
    p->distance = 1.0;
    switch (track) {
    case OBJR__DEMO_TRACK_LEAD: /* sways across the front stage, slightly raised */
        p->azimuth_deg = 25.0 * sin(2.0 * OBJR_PI * t_s / (4.0 * BAR_S));
        p->elevation_deg = 8.0 + 6.0 * sin(2.0 * OBJR_PI * t_s / (2.0 * BAR_S));
        break;
    case OBJR__DEMO_TRACK_FLYBY: { /* one lap of the room walls every two bars */
        double th = 2.0 * OBJR_PI * t_s / (2.0 * BAR_S);
        p->cartesian = 1;
        p->x = sin(th);
        p->y = cos(th);
        p->z = 0.25 + 0.25 * sin(2.0 * th);
        break;
    }
    case OBJR__DEMO_TRACK_OVERHEAD: /* circles high overhead, one turn every four bars */
        p->azimuth_deg = wrap180(360.0 * t_s / (4.0 * BAR_S));
        p->elevation_deg = 65.0 + 10.0 * sin(2.0 * OBJR_PI * t_s / (2.0 * BAR_S));
        break;
    case OBJR__DEMO_TRACK_WIDE: /* in front, breathing between narrow and wide */
        p->elevation_deg = 15.0;
        p->width_deg = 75.0 - 45.0 * cos(2.0 * OBJR_PI * t_s / (4.0 * BAR_S));
        p->height_deg = 20.0;
        break;
    default: /* OBJR__DEMO_TRACK_DIFFUSE: behind and above, diffuse */
        p->azimuth_deg = 180.0;
        p->elevation_deg = 20.0;
        p->diffuse = 0.8;
        break;
    }
}
