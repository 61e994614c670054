/* SPDX-License-Identifier: BSD-3-Clause */
/* Mastering a file to a delivery target: BS.1770-4 measurement, gain, sample-rate conversion,
 * linked true-peak limiting, dither and encoding, iterated until the written file meets the
 * target (EBU R128 / ATSC A/85 / platform presets, REFERENCES.md §4). */
#include "src/master/master.h"
#include "src/core/outfile.h"

#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/dsp/finite.h"
#include "src/master/async_meter.h"
#include "src/master/dither.h"
#include "src/master/limiter.h"
#include "src/master/loudness.h"
#include "src/master/resample.h"
#include "src/master/truepeak.h"

/* Frames per processing block. */
#define MASTER_BLOCK 4096
/* Exact targets are met within this (the issue's ±0.1 LU; we aim for half of it). */
#define MASTER_LUFS_TOL 0.1
#define MASTER_LUFS_AIM 0.05
/* Input samples at or beyond this magnitude count as clipped (16-bit code ±32767). */
#define MASTER_CLIP_LEVEL (32767.0 / 32768.0)
/* Extra margin added to the limiter detector per pass when a pass read over the ceiling. */
#define MASTER_MARGIN_STEP_DB 0.05
/* When more gain buys less than this fraction in loudness, the ceiling makes the target
 * unreachable. */
#define MASTER_MIN_LOUDNESS_SLOPE 0.05
/* Largest gain change between passes. */
#define MASTER_MAX_STEP_DB 6.0
/* The analysis logs exact true peaks this far under the running maximum: a peak lower than
 * that needs more gain than the unreachable limit (max_reduction_db default) to matter. */
#define MASTER_LOG_EXACT_DB 12.0
/* The second (4x) true-peak reading of measure_sf*: none, libebur128 itself (the public
 * measuring call asks for it), or libebur128's interpolator on objrender's kernels (the
 * master's checks: equal within float rounding, unit.truepeak, and ~10x cheaper). */
#define MEASURE_TP4_NONE 0
#define MEASURE_TP4_LIBEBUR128 1
#define MEASURE_TP4_KERNEL 2
/* Bisection steps of the gain prediction (12 dB / 2^20: far below the 0.05 LU aim). */
#define MASTER_PREDICT_STEPS 20

/* ---------------------------------------------------------------------------------------- */
/* Presets                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static const struct {
    const char *name;
    objr_target_kind kind;
    double lufs, tp, lra;
    const char *basis;
} presets[] = {
    {"atmos-music", OBJR_TARGET_AT_MOST, -18.0, -1.0, 0.0,
     "immersive music (Dolby Atmos music, Apple spatial, UMG): integrated at most -18 LKFS and "
     "true peak at most -1 dBTP, measured by labels on the 5.1 re-render of the ADM master; "
     "on a plain file objmaster measures the file itself with its own channel weights"},
    {"streaming", OBJR_TARGET_EXACT, -14.0, -1.0, 0.0,
     "stereo streaming (Spotify, YouTube, Tidal, Amazon normalise to about -14 LUFS): "
     "integrated of the whole track, true peak -1 dBTP"},
    {"apple-music", OBJR_TARGET_EXACT, -16.0, -1.0, 0.0,
     "Apple Music Sound Check / AES TD1008: integrated -16 LUFS of the whole track, "
     "true peak -1 dBTP"},
    {"ebu-r128", OBJR_TARGET_EXACT, -23.0, -1.0, 0.0,
     "EBU R128 broadcast: programme integrated -23 LUFS (all channels, BS.1770 weights, LFE "
     "excluded), maximum true peak -1 dBTP"},
    {"atsc-a85", OBJR_TARGET_EXACT, -24.0, -2.0, 0.0,
     "ATSC A/85: programme integrated -24 LKFS (A/85 allows +-2 dB; objrender aims exact), "
     "true peak -2 dBTP"},
};
#define N_PRESETS (sizeof presets / sizeof presets[0])

const char *objr_master_preset_name(unsigned i) {
    return i < N_PRESETS ? presets[i].name : NULL;
}

objr_status objr_master_preset_get(const char *name, objr_master_target *out) {
    if (!name || !out)
        return OBJR_ERR_INVALID_ARG;
    for (size_t i = 0; i < N_PRESETS; i++) {
        if (strcmp(name, presets[i].name) != 0)
            continue;
        memset(out, 0, sizeof *out);
        snprintf(out->name, sizeof out->name, "%s", presets[i].name);
        out->kind = presets[i].kind;
        out->integrated_lufs = presets[i].lufs;
        out->true_peak_dbtp = presets[i].tp;
        out->lra_max_lu = presets[i].lra;
        out->basis = presets[i].basis;
        return OBJR_OK;
    }
    return OBJR_ERR_INVALID_ARG;
}

objr_master_config objr_master_config_default(void) {
    objr_master_config c;
    memset(&c, 0, sizeof c);
    (void)objr_master_preset_get("ebu-r128", &c.target);
    c.format = OBJR_MASTER_WAV;
    c.bit_depth = 24;
    c.out_rate_hz = 0.0;
    c.dither = OBJR_DITHER_TPDF;
    c.dither_seed = 0x6f626a6d61737472ull; /* "objmastr" */
    c.weights = NULL;
    c.lookahead_ms = 0.0; /* the limiter style's */
    c.release_ms = 0.0;
    c.limiter_style = OBJR_LIMITER_TRANSPARENT;
    c.limiter_margin_db = OBJR_TP_MARGIN_DB;
    c.max_passes = 6;
    c.max_reduction_db = 12.0;
    c.binaural_diffuse_eq = 1;
    c.keep_unreachable = 0;
    c.codec_kbps = OBJR_CODEC_DEFAULT_KBPS;
    c.codec_safe_max_passes = OBJR_CODEC_SAFE_MAX_PASSES;
    c.embed_tags = 1;
    return c;
}

/* ---------------------------------------------------------------------------------------- */
/* Channel maps                                                                              */
/* ---------------------------------------------------------------------------------------- */

uint32_t objr__master_mask_from_sf_map(const int *map, unsigned n_channels) {
    uint32_t mask = 0, last = 0;
    for (unsigned c = 0; c < n_channels; c++) {
        uint32_t b;
        switch (map[c]) {
        case SF_CHANNEL_MAP_MONO:
        case SF_CHANNEL_MAP_CENTER:
        case SF_CHANNEL_MAP_FRONT_CENTER:
            b = 0x4;
            break;
        case SF_CHANNEL_MAP_LEFT:
        case SF_CHANNEL_MAP_FRONT_LEFT:
            b = 0x1;
            break;
        case SF_CHANNEL_MAP_RIGHT:
        case SF_CHANNEL_MAP_FRONT_RIGHT:
            b = 0x2;
            break;
        case SF_CHANNEL_MAP_LFE:
            b = 0x8;
            break;
        case SF_CHANNEL_MAP_REAR_LEFT:
            b = 0x10;
            break;
        case SF_CHANNEL_MAP_REAR_RIGHT:
            b = 0x20;
            break;
        case SF_CHANNEL_MAP_FRONT_LEFT_OF_CENTER:
            b = 0x40;
            break;
        case SF_CHANNEL_MAP_FRONT_RIGHT_OF_CENTER:
            b = 0x80;
            break;
        case SF_CHANNEL_MAP_REAR_CENTER:
            b = 0x100;
            break;
        case SF_CHANNEL_MAP_SIDE_LEFT:
            b = 0x200;
            break;
        case SF_CHANNEL_MAP_SIDE_RIGHT:
            b = 0x400;
            break;
        case SF_CHANNEL_MAP_TOP_CENTER:
            b = 0x800;
            break;
        case SF_CHANNEL_MAP_TOP_FRONT_LEFT:
            b = 0x1000;
            break;
        case SF_CHANNEL_MAP_TOP_FRONT_CENTER:
            b = 0x2000;
            break;
        case SF_CHANNEL_MAP_TOP_FRONT_RIGHT:
            b = 0x4000;
            break;
        case SF_CHANNEL_MAP_TOP_REAR_LEFT:
            b = 0x8000;
            break;
        case SF_CHANNEL_MAP_TOP_REAR_CENTER:
            b = 0x10000;
            break;
        case SF_CHANNEL_MAP_TOP_REAR_RIGHT:
            b = 0x20000;
            break;
        default:
            return 0;
        }
        /* A mask describes channels in ascending bit order, each once. */
        if (b <= last)
            return 0;
        last = b;
        mask |= b;
    }
    return mask;
}

/* libsndfile channel map for a mask (for writing masks the input did not have). */
OBJR_HIDDEN void objr__master_sf_map_from_mask(uint32_t mask, unsigned nc, int *map);
void objr__master_sf_map_from_mask(uint32_t mask, unsigned nc, int *map) {
    static const int by_bit[18] = {SF_CHANNEL_MAP_FRONT_LEFT,
                                   SF_CHANNEL_MAP_FRONT_RIGHT,
                                   SF_CHANNEL_MAP_FRONT_CENTER,
                                   SF_CHANNEL_MAP_LFE,
                                   SF_CHANNEL_MAP_REAR_LEFT,
                                   SF_CHANNEL_MAP_REAR_RIGHT,
                                   SF_CHANNEL_MAP_FRONT_LEFT_OF_CENTER,
                                   SF_CHANNEL_MAP_FRONT_RIGHT_OF_CENTER,
                                   SF_CHANNEL_MAP_REAR_CENTER,
                                   SF_CHANNEL_MAP_SIDE_LEFT,
                                   SF_CHANNEL_MAP_SIDE_RIGHT,
                                   SF_CHANNEL_MAP_TOP_CENTER,
                                   SF_CHANNEL_MAP_TOP_FRONT_LEFT,
                                   SF_CHANNEL_MAP_TOP_FRONT_CENTER,
                                   SF_CHANNEL_MAP_TOP_FRONT_RIGHT,
                                   SF_CHANNEL_MAP_TOP_REAR_LEFT,
                                   SF_CHANNEL_MAP_TOP_REAR_CENTER,
                                   SF_CHANNEL_MAP_TOP_REAR_RIGHT};
    unsigned c = 0;
    for (unsigned b = 0; b < 18 && c < nc; b++)
        if (mask & (1u << b))
            map[c++] = by_bit[b];
    for (; c < nc; c++)
        map[c] = SF_CHANNEL_MAP_INVALID;
}

/* Weights for an open file: explicit, else its channel map, else the count default. */
static objr_status file_weights(SNDFILE *sf, unsigned nc, const double *explicit_w, double *w) {
    if (explicit_w) {
        for (unsigned c = 0; c < nc; c++)
            if (!(explicit_w[c] == 0.0 || explicit_w[c] == 1.0 ||
                  explicit_w[c] == OBJR_LOUDNESS_WEIGHT_SIDE || explicit_w[c] == 2.0))
                return OBJR_ERR_LAYOUT;
        memcpy(w, explicit_w, nc * sizeof(double));
        return OBJR_OK;
    }
    int map[OBJR_LOUDNESS_MAX_CHANNELS];
    uint32_t mask = 0;
    if (sf_command(sf, SFC_GET_CHANNEL_MAP_INFO, map, (int)(nc * sizeof(int))) == SF_TRUE)
        mask = objr__master_mask_from_sf_map(map, nc);
    return objr_loudness_weights_from_mask(mask, nc, w);
}

/* ---------------------------------------------------------------------------------------- */
/* Measuring                                                                                 */
/* ---------------------------------------------------------------------------------------- */

typedef struct measure_out {
    objr_loudness_result r;
    size_t n_clipped;
} measure_out;

/* Progress of a pass over @p info's frames (cfg->on_progress, when set). */
static void report_progress(const objr_master_config *cfg, const char *stage, size_t pos,
                            const SF_INFO *info) {
    if (!cfg || !cfg->on_progress || info->samplerate <= 0)
        return;
    double total = info->frames > 0 ? (double)info->frames : 0.0, rate = info->samplerate;
    objr_progress pr = {stage, total > 0 ? (double)pos / total : 0.0, (double)pos / rate,
                        total / rate};
    cfg->on_progress(cfg->on_progress_user, &pr);
}

/* The meter(s) a measuring read feeds: in the mastering job on a worker thread (the decode
 * of block k + 1 overlaps the metering of block k on the second core: wall time); else in
 * line (measuring alone stays on one core, where it costs least CPU; the album's programme
 * meter rides along in line). */
typedef struct meter_feed {
    objr_loudness_meter *m, *also;
    objr__ameter *async;
} meter_feed;

static objr_status feed_add(meter_feed *f, const float *buf, size_t n) {
    if (f->async) {
        objr__ameter_push_interleaved(f->async, buf, n);
        return OBJR_OK;
    }
    objr_status st = objr_loudness_meter_add_interleaved_f32(f->m, buf, n);
    if (st == OBJR_OK && f->also)
        st = objr_loudness_meter_add_interleaved_f32(f->also, buf, n);
    return st;
}

/* Read every block into the feed: clipped samples counted, NaN/inf refused with their
 * position (checked here, before the meters see the block). */
static objr_status read_blocks(SNDFILE *sf, const SF_INFO *info, const char *path, float *buf,
                               meter_feed *f, size_t *n_clipped, const objr_master_config *progress,
                               objr_diag *diag) {
    const unsigned nc = (unsigned)info->channels;
    const objr__absmax_fn absmax = objr__absmax_select(objr__cpu_flags());
    size_t pos = 0, clipped = 0;
    objr_status st = OBJR_OK;
    for (;;) {
        sf_count_t got = sf_readf_float(sf, buf, MASTER_BLOCK);
        if (got <= 0)
            break;
        size_t n = (size_t)got;
        const uint32_t peak = absmax(buf, n * nc);
        if (peak >= OBJR__ABSMAX_NONFINITE) {
            size_t bad = objr__loudness_find_nonfinite(buf, n * nc), fr = pos + bad / nc;
            st = objr__diag_set(diag, OBJR_ERR_RANGE, NULL, 0, (size_t)-1,
                                "%s: sample %s at frame %zu (%.3f s), channel %u: refusing "
                                "non-finite input",
                                path, isnan(buf[bad]) ? "NaN" : "infinite", fr,
                                (double)fr / (double)info->samplerate, (unsigned)(bad % nc) + 1);
            break;
        }
        if (objr__absmax_value(peak) >= (float)MASTER_CLIP_LEVEL)
            for (size_t i = 0; i < n * nc; i++)
                clipped += fabsf(buf[i]) >= (float)MASTER_CLIP_LEVEL;
        if ((st = feed_add(f, buf, n)) != OBJR_OK)
            break;
        pos += n;
        report_progress(progress, "measuring", pos, info);
    }
    if (st == OBJR_OK && sf_error(sf) != SF_ERR_NO_ERROR)
        st = objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: read error: %s", path,
                            sf_strerror(sf));
    *n_clipped = clipped;
    return st;
}

/* Read the whole file through a meter; NaN/inf refused with its position. With @p keep, the
 * meter keeps its per-poll log and is handed back (the mastering analysis). @p pipelined:
 * meter on a worker thread (not with @p also). */
static objr_status measure_sf3(SNDFILE *sf, const SF_INFO *info, const double *w, int ebu_tp,
                               const char *path, measure_out *mo, objr_loudness_meter *also,
                               objr_loudness_meter **keep, int pipelined,
                               const objr_master_config *progress, objr_diag *diag) {
    const unsigned nc = (unsigned)info->channels;
    objr_loudness_config cfg = objr_loudness_config_default();
    cfg.rate_hz = (double)info->samplerate;
    cfg.n_channels = nc;
    cfg.weights = w;
    cfg.ebur128_true_peak = ebu_tp == MEASURE_TP4_LIBEBUR128;
    meter_feed f = {NULL, also, NULL};
    objr_status st = objr_loudness_meter_create(&cfg, &f.m);
    if (st == OBJR_OK && ebu_tp == MEASURE_TP4_KERNEL)
        st = objr__loudness_use_kernel_4x(f.m);
    if (st != OBJR_OK) {
        objr_loudness_meter_destroy(f.m);
        return objr__diag_set(diag, st, NULL, 0, (size_t)-1, "%s: cannot create a meter (%s)", path,
                              objr_strerror(st));
    }
    float *buf = objr__calloc((size_t)MASTER_BLOCK * nc, sizeof(float));
    if (!buf ||
        (keep &&
         objr__loudness_log_enable(f.m, (size_t)info->frames, MASTER_LOG_EXACT_DB) != OBJR_OK) ||
        (pipelined && !also && objr__ameter_create(f.m, nc, MASTER_BLOCK, &f.async) != OBJR_OK)) {
        objr__freep(&buf);
        objr_loudness_meter_destroy(f.m);
        return OBJR_ERR_NOMEM;
    }
    size_t clipped = 0;
    st = read_blocks(sf, info, path, buf, &f, &clipped, progress, diag);
    if (f.async) {
        objr_status wst = objr__ameter_finish(f.async); /* every block metered */
        if (st == OBJR_OK && wst != OBJR_OK)
            st = objr__diag_set(diag, wst, NULL, 0, (size_t)-1, "%s: metering failed (%s)", path,
                                objr_strerror(wst));
        objr__ameter_destroy(f.async);
    }
    if (st == OBJR_OK) {
        objr_loudness_meter_get(f.m, &mo->r);
        mo->n_clipped = clipped;
    }
    objr__freep(&buf);
    if (keep && st == OBJR_OK)
        *keep = f.m;
    else
        objr_loudness_meter_destroy(f.m);
    return st;
}

static objr_status measure_sf2(SNDFILE *sf, const SF_INFO *info, const double *w, int ebu_tp,
                               const char *path, measure_out *mo, objr_loudness_meter *also,
                               const objr_master_config *progress, objr_diag *diag) {
    return measure_sf3(sf, info, w, ebu_tp, path, mo, also, NULL, 0, progress, diag);
}

static objr_status measure_sf(SNDFILE *sf, const SF_INFO *info, const double *w, int ebu_tp,
                              const char *path, measure_out *mo, int pipelined, objr_diag *diag) {
    return measure_sf3(sf, info, w, ebu_tp, path, mo, NULL, NULL, pipelined, NULL, diag);
}

static objr_status open_input(const char *path, SNDFILE **sf, SF_INFO *info, objr_diag *diag) {
    memset(info, 0, sizeof *info);
    objr_status in_ck = objr_input_check(path, diag);
    if (in_ck != OBJR_OK)
        return in_ck;
    *sf = sf_open(path, SFM_READ, info);
    if (!*sf) {
        int e = sf_error(NULL);
        objr_status st = e == SF_ERR_UNRECOGNISED_FORMAT || e == SF_ERR_UNSUPPORTED_ENCODING
                             ? OBJR_ERR_UNSUPPORTED
                             : OBJR_ERR_IO;
        return objr__diag_set(diag, st, NULL, 0, (size_t)-1, "%s: cannot open: %s", path,
                              sf_strerror(NULL));
    }
    if (info->channels < 1 || info->channels > OBJR_LOUDNESS_MAX_CHANNELS ||
        info->samplerate < 8000 || info->samplerate > 768000) {
        sf_close(*sf);
        *sf = NULL;
        return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, NULL, 0, (size_t)-1,
                              "%s: %d channels at %d Hz is not supported (1..%d channels, "
                              "8-768 kHz)",
                              path, info->channels, info->samplerate, OBJR_LOUDNESS_MAX_CHANNELS);
    }
    return OBJR_OK;
}

objr_status objr_master_measure_file(const char *path, const double *weights, int ebur128_true_peak,
                                     objr_loudness_result *out, double *weights_used,
                                     unsigned *n_channels, objr_diag *diag) {
    if (!path || !out)
        return OBJR_ERR_INVALID_ARG;
    SNDFILE *sf;
    SF_INFO info;
    objr_status st = open_input(path, &sf, &info, diag);
    if (st != OBJR_OK)
        return st;
    const unsigned nc = (unsigned)info.channels;
    double w[OBJR_LOUDNESS_MAX_CHANNELS];
    st = file_weights(sf, nc, weights, w);
    if (st != OBJR_OK) {
        sf_close(sf);
        return objr__diag_set(diag, st, NULL, 0, (size_t)-1, "%s: channel layout: %s", path,
                              objr_strerror(st));
    }
    measure_out mo;
    st = measure_sf(sf, &info, w, ebur128_true_peak ? MEASURE_TP4_LIBEBUR128 : MEASURE_TP4_NONE,
                    path, &mo, 0, diag);
    sf_close(sf);
    if (st != OBJR_OK)
        return st;
    *out = mo.r;
    if (weights_used)
        memcpy(weights_used, w, nc * sizeof(double));
    if (n_channels)
        *n_channels = nc;
    return OBJR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* One processing pass: read, resample, gain, limit, quantise, write                         */
/* ---------------------------------------------------------------------------------------- */

typedef struct pass {
    const objr_master_config *cfg;
    unsigned nc;
    double in_rate, out_rate;
    double gain_lin, margin_db;
    int have_map;
    int map[OBJR_LOUDNESS_MAX_CHANNELS];
    /* state */
    objr__resampler *rs;
    objr_limiter *lim;
    objr__dither dith;
    size_t skip; /* limiter latency frames still to drop */
    SNDFILE *out;
    float *inter;        /* MASTER_BLOCK x nc */
    float *rsout;        /* MASTER_BLOCK x nc */
    float *plin, *plout; /* nc x MASTER_BLOCK planar */
    int32_t *ibuf;       /* MASTER_BLOCK x nc */
    float *fbuf;         /* MASTER_BLOCK x nc */
    size_t n_clipped_out;
    float gr_db[OBJR_MASTER_GR_POINTS]; /* the limiter's gain-reduction history */
    size_t n_gr;
    double gr_seconds;
    objr_loudness_meter *meter; /* the written samples, as quantised (on the worker) */
    objr__ameter *ameter;
    objr_status err;
    const char *out_path;
    objr_diag *diag;
} pass;

static int out_sf_format(const objr_master_config *cfg, unsigned nc, double frames_out,
                         int *is_float) {
    int sub;
    *is_float = 0;
    switch (cfg->format) {
    case OBJR_MASTER_WAV: {
        sub = cfg->bit_depth == 16   ? SF_FORMAT_PCM_16
              : cfg->bit_depth == 24 ? SF_FORMAT_PCM_24
                                     : SF_FORMAT_FLOAT;
        *is_float = cfg->bit_depth == 32;
        double bytes = frames_out * nc * (cfg->bit_depth / 8.0);
        /* RIFF sizes are 32-bit: above 4 GB (with room for the header) write RF64. */
        int major = bytes > 4294967295.0 - 65536.0 ? SF_FORMAT_RF64 : SF_FORMAT_WAVEX;
        return major | sub;
    }
    case OBJR_MASTER_FLAC:
        return SF_FORMAT_FLAC | (cfg->bit_depth == 16 ? SF_FORMAT_PCM_16 : SF_FORMAT_PCM_24);
    case OBJR_MASTER_MP3:
        *is_float = 1;
        return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    case OBJR_MASTER_OPUS:
        *is_float = 1;
        return SF_FORMAT_OGG | SF_FORMAT_OPUS;
    case OBJR_MASTER_CAF:
        /* Linear PCM: libsndfile's ALAC writer (to 1.2.2 at least) sizes its packet table for
         * two bytes per packet and overruns it at sf_close() once packets pass 16 KiB, i.e. on
         * real 24-bit or multichannel audio (libsndfile issue #973). */
        sub = cfg->bit_depth == 16   ? SF_FORMAT_PCM_16
              : cfg->bit_depth == 24 ? SF_FORMAT_PCM_24
                                     : SF_FORMAT_FLOAT;
        *is_float = cfg->bit_depth == 32;
        return SF_FORMAT_CAF | sub;
    }
    return 0;
}

/* Quantise/encode n planar frames and write them. */
static void emit(pass *p, float *const *pl, size_t n) {
    if (p->err != OBJR_OK || n == 0)
        return;
    int is_float;
    (void)out_sf_format(p->cfg, p->nc, 0, &is_float);
    sf_count_t w;
    if (is_float) {
        for (size_t i = 0; i < n; i++)
            for (unsigned c = 0; c < p->nc; c++)
                p->fbuf[i * p->nc + c] = pl[c][i];
        w = sf_writef_float(p->out, p->fbuf, (sf_count_t)n);
    } else {
        /* Quantised values back into pl (planar, in place) for the meter. */
        objr__dither_quantise(&p->dith, (const float *const *)pl, n, p->ibuf, pl,
                              &p->n_clipped_out);
        w = sf_writef_int(p->out, p->ibuf, (sf_count_t)n);
    }
    objr__ameter_push(p->ameter, (const float *const *)pl, n);
    if (w != (sf_count_t)n)
        p->err = objr__diag_set(p->diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: write error: %s",
                                p->out_path, sf_strerror(p->out));
}

/* Gain + limiter on n interleaved frames (n <= MASTER_BLOCK); inter == NULL feeds silence. */
static void limit_block(pass *p, const float *inter, size_t n) {
    const unsigned nc = p->nc;
    float *in[OBJR_LOUDNESS_MAX_CHANNELS] = {0}, *out[OBJR_LOUDNESS_MAX_CHANNELS] = {0};
    for (unsigned c = 0; c < nc; c++) {
        in[c] = p->plin + (size_t)c * MASTER_BLOCK;
        out[c] = p->plout + (size_t)c * MASTER_BLOCK;
        for (size_t i = 0; i < n; i++)
            in[c][i] = inter ? (float)((double)inter[i * nc + c] * p->gain_lin) : 0.0f;
    }
    objr_limiter_process(p->lim, (const float *const *)in, out, n, NULL);
    size_t drop = p->skip < n ? p->skip : n;
    p->skip -= drop;
    if (drop < n) {
        float *o2[OBJR_LOUDNESS_MAX_CHANNELS];
        for (unsigned c = 0; c < nc; c++)
            o2[c] = out[c] + drop;
        emit(p, o2, n - drop);
    }
}

/* Resample (when asked) then limit. */
static void feed(pass *p, const float *inter, size_t n, int eoi) {
    if (!p->rs) {
        if (n)
            limit_block(p, inter, n);
        return;
    }
    size_t done = 0;
    for (;;) {
        size_t used = 0, prod = 0;
        objr_status st =
            objr__resampler_process(p->rs, inter ? inter + done * p->nc : NULL, n - done, &used,
                                    p->rsout, MASTER_BLOCK, &prod, eoi);
        if (st != OBJR_OK) {
            p->err =
                objr__diag_set(p->diag, st, NULL, 0, (size_t)-1, "sample-rate conversion failed");
            return;
        }
        done += used;
        if (prod)
            limit_block(p, p->rsout, prod);
        if (done >= n && (!eoi || prod == 0))
            break;
        if (p->err != OBJR_OK)
            return;
    }
}

static void pass_free(pass *p) {
    objr__resampler_destroy(p->rs);
    objr_limiter_destroy(p->lim);
    objr__ameter_destroy(p->ameter);
    p->ameter = NULL;
    objr__freep(&p->inter);
    objr__freep(&p->rsout);
    objr__freep(&p->plin);
    objr__freep(&p->plout);
    objr__freep(&p->ibuf);
    objr__freep(&p->fbuf);
    objr_loudness_meter_destroy(p->meter);
    p->meter = NULL;
}

/* A fresh temporary file for @p out_path: in @p outer when given (replacing an earlier pass's
 * file there), else in a new set of its own (*own replaced). Gives a descriptor of its own
 * for libsndfile (closed by sf_close) and the temporary's name. */
static objr_status make_temp(objr_outset *outer, objr_outset **own, const char *in_path,
                             const char *out_path, const char **tmp, int *fd, objr_diag *diag) {
    objr_outset *set = outer;
    objr_status st = OBJR_OK;
    if (outer) {
        FILE *prev = objr__outset_find(outer, out_path);
        if (prev)
            objr__outset_drop(outer, prev);
    } else {
        objr_outset_destroy(*own);
        *own = NULL;
        st = objr_outset_create(own);
        set = *own;
    }
    FILE *fp;
    if (st != OBJR_OK || (st = objr_outset_add_input(set, in_path, diag)) != OBJR_OK ||
        (st = objr_outset_open(set, out_path, diag, &fp)) != OBJR_OK)
        return st;
    if (!(*tmp = objr__outset_temp_path(set, fp)))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "%s: a master must be a regular file (it is read back to verify it)",
                              out_path);
    if ((*fd = dup(fileno(fp))) < 0)
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot write: %s",
                              out_path, strerror(errno));
    return OBJR_OK;
}

/* The output file on @p fd with the map and the tags (closes @p fd on failure). */
static objr_status pass_open_output(pass *p, int fd, double frames_out) {
    const objr_master_config *cfg = p->cfg;
    const unsigned nc = p->nc;
    int is_float;
    SF_INFO oi;
    memset(&oi, 0, sizeof oi);
    oi.samplerate = (int)p->out_rate;
    oi.channels = (int)nc;
    oi.format = out_sf_format(cfg, nc, frames_out, &is_float);
    p->out = sf_open_fd(fd, SFM_WRITE, &oi, SF_TRUE);
    if (!p->out)
        return objr__diag_set(p->diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot write: %s",
                              p->out_path, sf_strerror(NULL));
    if (p->have_map && (oi.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_MPEG &&
        (oi.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_OGG)
        sf_command(p->out, SFC_SET_CHANNEL_MAP_INFO, p->map, (int)(nc * sizeof(int)));
    if (cfg->title[0])
        sf_set_string(p->out, SF_STR_TITLE, cfg->title);
    if (cfg->artist[0])
        sf_set_string(p->out, SF_STR_ARTIST, cfg->artist);
    if (cfg->album[0])
        sf_set_string(p->out, SF_STR_ALBUM, cfg->album);
    sf_set_string(p->out, SF_STR_SOFTWARE, "objrender objmaster");
    return OBJR_OK;
}

/* The pass's limiter, output meter (on its worker), resampler, buffers and dither. */
static objr_status pass_setup(pass *p, const SF_INFO *ii, const double *w) {
    const objr_master_config *cfg = p->cfg;
    const unsigned nc = p->nc;
    objr_limiter_config lc = objr_limiter_config_default();
    lc.rate_hz = p->out_rate;
    lc.n_channels = nc;
    lc.ceiling_dbtp = cfg->target.true_peak_dbtp;
    lc.margin_db = p->margin_db;
    lc.lookahead_ms = cfg->lookahead_ms;
    lc.release_ms = cfg->release_ms;
    lc.style = cfg->limiter_style;
    size_t nb = (size_t)MASTER_BLOCK * nc;
    objr_loudness_config mc = objr_loudness_config_default();
    mc.rate_hz = p->out_rate;
    mc.n_channels = nc;
    mc.weights = w;
    mc.ebur128_true_peak = 0;
    objr_status st = objr_loudness_meter_create(&mc, &p->meter);
    if (st == OBJR_OK) /* the 4x reading (libebur128's filter), on the second core */
        st = objr__loudness_use_kernel_4x(p->meter);
    if (st == OBJR_OK)
        st = objr__ameter_create(p->meter, nc, MASTER_BLOCK, &p->ameter);
    if (st == OBJR_OK)
        st = objr_limiter_create(&lc, &p->lim);
    if (st == OBJR_OK && p->out_rate != p->in_rate)
        st = objr__resampler_create(nc, p->in_rate, p->out_rate, &p->rs);
    p->inter = objr__calloc(nb, sizeof(float));
    p->rsout = objr__calloc(nb, sizeof(float));
    p->plin = objr__calloc(nb, sizeof(float));
    p->plout = objr__calloc(nb, sizeof(float));
    p->ibuf = objr__calloc(nb, sizeof(int32_t));
    p->fbuf = objr__calloc(nb, sizeof(float));
    if (st == OBJR_OK && (!p->inter || !p->rsout || !p->plin || !p->plout || !p->ibuf || !p->fbuf))
        st = OBJR_ERR_NOMEM;
    if (st != OBJR_OK)
        return objr__diag_set(p->diag, st, NULL, 0, (size_t)-1,
                              "%s: cannot set up the pipeline: %s", p->out_path, objr_strerror(st));
    objr__dither_init(&p->dith, nc, cfg->bit_depth == 16 ? 16 : 24,
                      cfg->bit_depth == 32 ? OBJR_DITHER_NONE : cfg->dither, cfg->dither_seed);
    int sub = ii->format & SF_FORMAT_SUBMASK;
    unsigned in_bits = sub == SF_FORMAT_PCM_16                              ? 16
                       : sub == SF_FORMAT_PCM_24                            ? 24
                       : sub == SF_FORMAT_PCM_S8 || sub == SF_FORMAT_PCM_U8 ? 8
                                                                            : 0;
    objr__dither_keep_exact(&p->dith, p->gain_lin == 1.0 && !p->rs && in_bits &&
                                          in_bits <= cfg->bit_depth && cfg->bit_depth < 32);
    p->skip = objr_limiter_latency_frames(p->lim);
    p->err = OBJR_OK;
    return OBJR_OK;
}

/* Read, limit and write every frame, flush the resampler and the look-ahead, wait for the
 * output meter. The outcome is in p->err. */
static void pass_stream(pass *p, SNDFILE *in, const SF_INFO *ii, const char *in_path) {
    const unsigned nc = p->nc;
    size_t pos = 0;
    for (;;) {
        sf_count_t got = sf_readf_float(in, p->inter, MASTER_BLOCK);
        if (got <= 0)
            break;
        pos += (size_t)got;
        report_progress(p->cfg, "mastering", pos, ii);
        if (objr__loudness_find_nonfinite(p->inter, (size_t)got * nc) != (size_t)-1) {
            p->err = objr__diag_set(p->diag, OBJR_ERR_RANGE, NULL, 0, (size_t)-1,
                                    "%s: non-finite sample", in_path);
            break;
        }
        feed(p, p->inter, (size_t)got, 0);
        if (p->err != OBJR_OK)
            break;
    }
    if (p->err == OBJR_OK && p->rs)
        feed(p, NULL, 0, 1);
    /* Flush the look-ahead with silence. */
    for (size_t flush = objr_limiter_latency_frames(p->lim); p->err == OBJR_OK && flush;) {
        size_t n = flush < MASTER_BLOCK ? flush : MASTER_BLOCK;
        limit_block(p, NULL, n);
        flush -= n;
    }
    if (objr__ameter_finish(p->ameter) != OBJR_OK && p->err == OBJR_OK)
        p->err = objr__diag_set(p->diag, OBJR_ERR_NOMEM, NULL, 0, (size_t)-1,
                                "%s: metering the output failed", p->out_path);
}

/* One processing pass: open -> set up -> stream -> figures -> close. */
static objr_status run_pass(pass *p, const char *in_path, int fd, double frames_out,
                            const double *w, objr_limiter_stats *ls,
                            objr_loudness_result *measured) {
    SNDFILE *in;
    SF_INFO ii;
    objr_status st = open_input(in_path, &in, &ii, p->diag);
    if (st != OBJR_OK) {
        close(fd);
        return st;
    }
    if ((st = pass_open_output(p, fd, frames_out)) != OBJR_OK) {
        sf_close(in);
        return st;
    }
    if ((st = pass_setup(p, &ii, w)) == OBJR_OK) {
        pass_stream(p, in, &ii, in_path);
        st = p->err;
        objr_limiter_get_stats(p->lim, ls);
        p->n_gr =
            objr_limiter_gain_history(p->lim, p->gr_db, OBJR_MASTER_GR_POINTS, &p->gr_seconds);
        objr_loudness_meter_get(p->meter, measured);
    }
    sf_close(in);
    if (sf_close(p->out) != 0 && st == OBJR_OK)
        st = objr__diag_set(p->diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: closing failed",
                            p->out_path);
    p->out = NULL;
    pass_free(p);
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* The mastering loop                                                                        */
/* ---------------------------------------------------------------------------------------- */

static int same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static objr_status check_config(const objr_master_config *c, unsigned nc, double in_rate_hz,
                                const char *out_path, objr_diag *diag) {
    const objr_master_target *t = &c->target;
    if (!(t->true_peak_dbtp <= 0.0 && t->true_peak_dbtp >= -20.0))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "true-peak ceiling %.2f dBTP outside -20..0", t->true_peak_dbtp);
    if (t->kind != OBJR_TARGET_NONE && !(t->integrated_lufs >= -60.0 && t->integrated_lufs <= 0.0))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "loudness target %.2f LUFS outside -60..0", t->integrated_lufs);
    if (c->bit_depth != 16 && c->bit_depth != 24 && c->bit_depth != 32)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "bit depth %u: use 16, 24 or 32 (float)", c->bit_depth);
    if (!(c->lookahead_ms == 0.0 || (c->lookahead_ms >= 0.5 && c->lookahead_ms <= 50.0)) ||
        !(c->release_ms == 0.0 || (c->release_ms >= 1.0 && c->release_ms <= 5000.0)) ||
        !(c->limiter_margin_db >= 0.0 && c->limiter_margin_db <= 3.0))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "limiter look-ahead %.2f ms (0.5..50), release %.1f ms (1..5000) or "
                              "margin %.2f dB (0..3) out of range",
                              c->lookahead_ms, c->release_ms, c->limiter_margin_db);
    if (!objr_limiter_style_name(c->limiter_style))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "limiter style %d unknown", (int)c->limiter_style);
    if (c->max_passes < 1 || c->max_passes > 8)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "max passes %u outside 1..8", c->max_passes);
    if (c->out_rate_hz != 0.0 && !(c->out_rate_hz >= 8000.0 && c->out_rate_hz <= 768000.0 &&
                                   c->out_rate_hz == floor(c->out_rate_hz)))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "output rate %.1f Hz not supported", c->out_rate_hz);
    if (c->format == OBJR_MASTER_FLAC && (nc > 8 || c->bit_depth == 32))
        return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, NULL, 0, (size_t)-1,
                              "%s: FLAC holds at most 8 channels of 16/24-bit integers (%u "
                              "channels, %u bit asked)",
                              out_path, nc, c->bit_depth);
    if (c->format == OBJR_MASTER_OPUS) {
        double rate = c->out_rate_hz > 0 ? c->out_rate_hz : in_rate_hz;
        SF_INFO probe;
        memset(&probe, 0, sizeof probe);
        probe.channels = (int)nc;
        probe.samplerate = (int)rate;
        probe.format = SF_FORMAT_OGG | SF_FORMAT_OPUS;
        if (rate != 48000.0 || !sf_format_check(&probe))
            return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, NULL, 0, (size_t)-1,
                                  "%s: Opus output is coded at 48 kHz (this master would be %.0f "
                                  "Hz: give the output rate 48000) from at most 8 channels, with "
                                  "a libsndfile built with libopus (%u channels)",
                                  out_path, rate, nc);
    }
    if (c->format == OBJR_MASTER_MP3) {
        SF_INFO probe;
        memset(&probe, 0, sizeof probe);
        probe.channels = (int)nc;
        probe.samplerate = c->out_rate_hz > 0 ? (int)c->out_rate_hz : 48000;
        probe.format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
        if (nc > 2 || !sf_format_check(&probe))
            return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, NULL, 0, (size_t)-1,
                                  "%s: MP3 output needs 1 or 2 channels at 32/44.1/48 kHz and a "
                                  "libsndfile built with LAME (%u channels)",
                                  out_path, nc);
    }
    return OBJR_OK;
}

/* One mastering run, shared by its stages: open -> analyse -> choose the gain -> process ->
 * verify -> (rarely) correct the gain and process again -> deliver. */
typedef struct job {
    const objr_master_config *cfg;
    const char *in_path, *out_path;
    const double *fixed_gain_db; /* album mode: the gain is given */
    objr_diag *diag;
    objr_master_target target; /* album mode: kind NONE (only the ceiling matters) */
    pass p;
    double w[OBJR_LOUDNESS_MAX_CHANNELS];
    objr_master_report rep;
    objr_loudness_meter *analysis; /* the input's meter with its per-poll log */
    float *sim_gain;               /* per-poll limiter gains of the prediction */
    objr_outset *outer; /* album mode and --master: the caller's set, committed by the caller */
    objr_outset *outs;  /* else the pass being written, in a set of its own */
    const char *tmp;    /* the pass's temporary file */
    double frames_out;
    double off_i, off_tp; /* verified minus in-line figures of the last pass (an MP3 codec) */
} job;

/* Validate, open the input, choose the weights and the channel map to write. */
static objr_status job_open(job *j, SNDFILE **sf, SF_INFO *info) {
    const objr_master_config *cfg = j->cfg;
    if (!strcmp(j->in_path, j->out_path) || same_file(j->in_path, j->out_path))
        return objr__diag_set(j->diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "%s: output is the input file; refusing to overwrite it",
                              j->out_path);
    objr_status st = open_input(j->in_path, sf, info, j->diag);
    if (st != OBJR_OK)
        return st;
    const unsigned nc = (unsigned)info->channels;
    st = check_config(cfg, nc, (double)info->samplerate, j->out_path, j->diag);
    if (st == OBJR_OK && (st = file_weights(*sf, nc, cfg->weights, j->w)) != OBJR_OK)
        objr__diag_set(j->diag, st, NULL, 0, (size_t)-1, "%s: channel layout: %s", j->in_path,
                       objr_strerror(st));
    if (st != OBJR_OK) {
        sf_close(*sf);
        *sf = NULL;
        return st;
    }
    pass *p = &j->p;
    p->cfg = cfg;
    p->nc = nc;
    p->in_rate = (double)info->samplerate;
    p->out_rate = cfg->out_rate_hz > 0 ? cfg->out_rate_hz : p->in_rate;
    p->out_path = j->out_path;
    p->diag = j->diag;
    if (sf_command(*sf, SFC_GET_CHANNEL_MAP_INFO, p->map, (int)(nc * sizeof(int))) == SF_TRUE &&
        objr__master_mask_from_sf_map(p->map, nc) != 0)
        p->have_map = 1;
    else if (objr_loudness_default_mask(nc) && !cfg->weights) {
        /* No mask in the input: write the one whose weights we measured with. */
        objr__master_sf_map_from_mask(objr_loudness_default_mask(nc), nc, p->map);
        p->have_map = 1;
    }
    j->rep.n_channels = nc;
    j->rep.in_rate_hz = p->in_rate;
    j->rep.out_rate_hz = p->out_rate;
    memcpy(j->rep.weights, j->w, nc * sizeof(double));
    j->target = cfg->target;
    if (j->fixed_gain_db)
        j->target.kind = OBJR_TARGET_NONE;
    return OBJR_OK;
}

/* The one analysis pass: loudness, peaks and the per-poll log the prediction needs. */
static objr_status job_analyse(job *j, SNDFILE *sf, const SF_INFO *info) {
    measure_out before;
    objr_status st = measure_sf3(sf, info, j->w, MEASURE_TP4_NONE, j->in_path, &before, NULL,
                                 &j->analysis, 1, j->cfg, j->diag);
    if (st != OBJR_OK)
        return st;
    j->rep.before = before.r;
    j->rep.n_clipped_in = before.n_clipped;
    if (before.r.n_frames == 0 || (j->cfg->target.kind != OBJR_TARGET_NONE && !j->fixed_gain_db &&
                                   !isfinite(before.r.integrated_lufs)))
        return objr__diag_set(j->diag, OBJR_ERR_RANGE, NULL, 0, (size_t)-1,
                              "%s: integrated loudness is undefined (silent, or below the -70 "
                              "LUFS absolute gate): nothing to normalise, no file written",
                              j->in_path);
    j->frames_out = (double)before.r.n_frames * j->p.out_rate / j->p.in_rate;
    return OBJR_OK;
}

/* Predicted integrated loudness after @p gain_db and the limiter: the limiter is simulated
 * on the 10 ms log (each poll's requirement ceiling / peak, the style's program-dependent
 * release stepping once per poll) and the gated loudness recomputed from the limited poll
 * energies. The poll peaks are sample peaks (inter-sample peaks add a few tenths of a dB at
 * most). */
static double predict_lufs(job *j, double gain_db, double margin_db) {
    const double *e;
    const float *pk;
    size_t pf, n = objr__loudness_log(j->analysis, &e, &pk, &pf);
    const double g = pow(10.0, gain_db / 20.0);
    const objr__limiter_style_params *sp = objr__limiter_style_get(j->cfg->limiter_style);
    const double thr =
        pow(10.0, (j->target.true_peak_dbtp - margin_db - sp->extra_margin_db) / 20.0);
    objr_limiter_config lc = objr_limiter_config_default();
    lc.rate_hz = j->p.in_rate;
    lc.release_ms = j->cfg->release_ms;
    lc.style = j->cfg->limiter_style;
    objr__release rel;
    objr__release_init(&rel, &lc, (double)pf);
    for (size_t k = 0; k < n; k++) {
        double need = (double)pk[k] * g > thr ? thr / ((double)pk[k] * g) : 1.0;
        j->sim_gain[k] = (float)objr__release_step(&rel, need);
    }
    /* The limiter reaches a peak's gain look-ahead (+ filter support) before it and holds
     * it as long after: for a peak placed uniformly in its poll, a neighbouring poll of
     * length P has on average x^2 / 2P^2 of its frames inside an extension of length x <= P.
     * Those frames take the neighbour's lower gain (energy-weighted). */
    double la_ms, fast_ms, slow_ms;
    objr__limiter_times(&lc, &la_ms, &fast_ms, &slow_ms);
    const double poll_ms = 1000.0 * (double)pf / j->p.in_rate;
    const double sup_ms = 1000.0 * (OBJR_TP_TAPS_PER_PHASE / 2) / j->p.in_rate;
    const double xa = fmin(1.0, (la_ms + sup_ms) / poll_ms),
                 xh = fmin(1.0, (sp->hold_ms + sup_ms) / poll_ms);
    const double fa = xa * xa / 2.0, fh = xh * xh / 2.0;
    double prev = 1.0;
    for (size_t k = 0; k < n; k++) {
        const double gk = j->sim_gain[k], next = k + 1 < n ? j->sim_gain[k + 1] : 1.0;
        const double ga = fmin(gk, next), gh = fmin(gk, prev);
        prev = gk;
        j->sim_gain[k] = (float)sqrt((1.0 - fa - fh) * gk * gk + fa * ga * ga + fh * gh * gh);
    }
    return objr__loudness_integrated_from_polls(e, n, g * g, j->sim_gain);
}

/* The gain of the processing pass: the input's distance to the target, raised by what the
 * limiter is predicted to take away (bisection on the monotonic prediction). */
static double job_choose_gain(job *j, double margin_db) {
    const objr_master_target *t = &j->target;
    const double in_i = j->rep.before.integrated_lufs;
    if (j->fixed_gain_db)
        return *j->fixed_gain_db;
    if (t->kind == OBJR_TARGET_NONE)
        return 0.0;
    if (t->kind == OBJR_TARGET_AT_MOST)
        return in_i > t->integrated_lufs ? t->integrated_lufs - MASTER_LUFS_AIM - in_i : 0.0;
    double lo = t->integrated_lufs - in_i;
    if (predict_lufs(j, lo, margin_db) >= t->integrated_lufs - MASTER_LUFS_AIM / 4)
        return lo;
    double hi = lo + j->cfg->max_reduction_db;
    if (predict_lufs(j, hi, margin_db) < t->integrated_lufs)
        return hi;
    for (int it = 0; it < MASTER_PREDICT_STEPS; it++) {
        double mid = 0.5 * (lo + hi);
        if (predict_lufs(j, mid, margin_db) < t->integrated_lufs)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* Whether the figures meet the target (and the ceiling). */
static void judge(const objr_master_target *t, double li, double tp, objr_master_report *rep) {
    rep->true_peak_ok = tp <= t->true_peak_dbtp;
    if (t->kind == OBJR_TARGET_EXACT)
        rep->loudness_ok = fabs(li - t->integrated_lufs) <= MASTER_LUFS_TOL;
    else if (t->kind == OBJR_TARGET_AT_MOST)
        rep->loudness_ok = li <= t->integrated_lufs;
    else
        rep->loudness_ok = 1;
}

/* One processing pass into a fresh temporary file, then (when the in-line figures of the
 * quantised output pass) the one verification read of the file as written (decoded, for
 * MP3). *li and *tp are the final figures. */
static objr_status job_pass(job *j, double gain_db, double margin_db, double *li, double *tp) {
    int fd = -1;
    objr_status st = make_temp(j->outer, &j->outs, j->in_path, j->out_path, &j->tmp, &fd, j->diag);
    if (st != OBJR_OK)
        return st;
    pass *p = &j->p;
    p->gain_lin = pow(10.0, gain_db / 20.0);
    p->margin_db = margin_db;
    p->n_clipped_out = 0;
    objr_limiter_stats ls;
    measure_out after;
    memset(&after, 0, sizeof after);
    st = run_pass(p, j->in_path, fd, j->frames_out, j->w, &ls, &after.r);
    if (st != OBJR_OK)
        return st;
    /* The written samples' libebur128 4x reading (exactly the file's samples, except for
     * MP3, whose decode the verification meters with libebur128 itself). */
    const int coded = j->cfg->format == OBJR_MASTER_MP3 || j->cfg->format == OBJR_MASTER_OPUS;
    const double tp_ebu = after.r.true_peak_ebur128_dbtp;
    const double in_i = after.r.integrated_lufs, in_tp = fmax(after.r.true_peak_dbtp, tp_ebu);
    *li = in_i + j->off_i;
    *tp = in_tp + j->off_tp;
    judge(&j->target, *li, *tp, &j->rep);
    if (j->rep.true_peak_ok && j->rep.loudness_ok) {
        SNDFILE *ws;
        SF_INFO wi;
        if ((st = open_input(j->tmp, &ws, &wi, j->diag)) != OBJR_OK)
            return st;
        st = measure_sf(ws, &wi, j->w, coded ? MEASURE_TP4_KERNEL : MEASURE_TP4_NONE, j->out_path,
                        &after, 1, j->diag);
        sf_close(ws);
        if (st != OBJR_OK)
            return st;
        if (!coded)
            after.r.true_peak_ebur128_dbtp = tp_ebu;
        *li = after.r.integrated_lufs;
        *tp = fmax(after.r.true_peak_dbtp, after.r.true_peak_ebur128_dbtp);
        j->off_i = isfinite(*li) && isfinite(in_i) ? *li - in_i : 0.0;
        j->off_tp = isfinite(*tp) && isfinite(in_tp) ? fmax(0.0, *tp - in_tp) : 0.0;
        judge(&j->target, *li, *tp, &j->rep);
    }
    j->rep.after = after.r;
    j->rep.gain_db = gain_db;
    j->rep.limiter = ls;
    memcpy(j->rep.gr_history_db, p->gr_db, sizeof p->gr_db);
    j->rep.n_gr_points = p->n_gr;
    j->rep.gr_point_seconds = p->gr_seconds;
    j->rep.lra_ok = !(j->target.lra_max_lu > 0) || after.r.range_lu <= j->target.lra_max_lu;
    return OBJR_OK;
}

/* The correction after a pass missed: a secant step on loudness(gain) through the passes so
 * far (the prediction's slope for the first). Returns 0 when the target is unreachable. */
static int job_correct(job *j, double li, double *gain_db, double *prev_gain, double *prev_i,
                       double margin_db) {
    const objr_master_target *t = &j->target;
    double aim =
        t->kind == OBJR_TARGET_AT_MOST ? t->integrated_lufs - MASTER_LUFS_AIM : t->integrated_lufs;
    double slope;
    if (isfinite(*prev_gain) && *gain_db != *prev_gain)
        slope = (li - *prev_i) / (*gain_db - *prev_gain);
    else
        slope = (predict_lufs(j, *gain_db + 0.25, margin_db) -
                 predict_lufs(j, *gain_db - 0.25, margin_db)) /
                0.5;
    if (li < aim &&
        ((isfinite(*prev_gain) && *gain_db > *prev_gain && slope < MASTER_MIN_LOUDNESS_SLOPE) ||
         j->rep.limiter.max_reduction_db > j->cfg->max_reduction_db))
        return 0;
    slope = slope < MASTER_MIN_LOUDNESS_SLOPE ? MASTER_MIN_LOUDNESS_SLOPE
            : slope > 1.0                     ? 1.0
                                              : slope;
    double step = (aim - li) / slope;
    step = step > MASTER_MAX_STEP_DB    ? MASTER_MAX_STEP_DB
           : step < -MASTER_MAX_STEP_DB ? -MASTER_MAX_STEP_DB
                                        : step;
    *prev_gain = *gain_db;
    *prev_i = li;
    *gain_db += step;
    return 1;
}

/* Refuse a result that misses the target (unless asked to keep it), else rename the
 * temporary file into place. */
static objr_status job_deliver(job *j, int done_ok) {
    objr_master_report *rep = &j->rep;
    const objr_master_target *t = &j->target;
    if (!done_ok && !rep->loudness_ok && rep->true_peak_ok)
        rep->unreachable = 1;
    if (!done_ok && !rep->true_peak_ok)
        return objr__diag_set(j->diag, OBJR_ERR_RANGE, NULL, 0, (size_t)-1,
                              "%s: true peak %.2f dBTP still over the %.1f dBTP ceiling after "
                              "%u passes; no file written",
                              j->out_path,
                              fmax(rep->after.true_peak_dbtp, rep->after.true_peak_ebur128_dbtp),
                              t->true_peak_dbtp, rep->passes);
    if (!done_ok && !j->cfg->keep_unreachable)
        return objr__diag_set(j->diag, OBJR_ERR_RANGE, NULL, 0, (size_t)-1,
                              "%s: target %.1f LUFS unreachable under a %.1f dBTP ceiling: "
                              "reached %.2f LUFS with %.1f dB of gain and %.1f dB of limiting; "
                              "no file written",
                              j->out_path, t->integrated_lufs, t->true_peak_dbtp,
                              rep->after.integrated_lufs, rep->gain_db,
                              rep->limiter.max_reduction_db);
    objr_status st = j->outer ? OBJR_OK : objr_outset_commit(j->outs, j->diag);
    if (st != OBJR_OK)
        return st;
    rep->written = 1; /* with an outer set: complete, put in place by the set's commit */
    return OBJR_OK;
}

/* Master one file. With @p fixed_gain_db (album mode) the gain is given and only the
 * ceiling is iterated on. */
static objr_status master_one(objr_outset *outer, const objr_master_config *cfg,
                              const char *in_path, const char *out_path,
                              const double *fixed_gain_db, objr_master_report *report,
                              objr_diag *diag) {
    if (report)
        memset(report, 0, sizeof *report);
    if (!cfg || !in_path || !out_path)
        return OBJR_ERR_INVALID_ARG;
    if (!strcmp(out_path, "-"))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "-: a master is read back to verify it: write it to a file");
    job *j = objr__calloc(1, sizeof *j);
    if (!j)
        return OBJR_ERR_NOMEM;
    j->outer = outer;
    j->cfg = cfg;
    j->in_path = in_path;
    j->out_path = out_path;
    j->fixed_gain_db = fixed_gain_db;
    j->diag = diag;
    j->rep.lra_ok = 1;
    SNDFILE *sf = NULL;
    SF_INFO info;
    objr_status st = job_open(j, &sf, &info);
    if (st == OBJR_OK) {
        st = job_analyse(j, sf, &info);
        sf_close(sf);
    }
    if (st == OBJR_OK) {
        const double *e;
        const float *pk;
        size_t pf, n = objr__loudness_log(j->analysis, &e, &pk, &pf);
        j->sim_gain = objr__calloc(n + 1, sizeof(float));
        if (!j->sim_gain)
            st = OBJR_ERR_NOMEM;
    }
    int done_ok = 0;
    double margin = cfg->limiter_margin_db, gain_db = 0.0, prev_gain = NAN, prev_i = NAN;
    if (st == OBJR_OK)
        gain_db = job_choose_gain(j, margin);
    for (unsigned k = 1; st == OBJR_OK && k <= cfg->max_passes; k++) {
        double li = NAN, tp = NAN;
        j->rep.passes = k;
        if ((st = job_pass(j, gain_db, margin, &li, &tp)) != OBJR_OK)
            break;
        if (j->rep.true_peak_ok && j->rep.loudness_ok) {
            done_ok = 1;
            break;
        }
        if (!j->rep.true_peak_ok)
            margin += tp - j->target.true_peak_dbtp + MASTER_MARGIN_STEP_DB;
        if (!j->rep.loudness_ok && !job_correct(j, li, &gain_db, &prev_gain, &prev_i, margin)) {
            j->rep.unreachable = 1;
            if (j->rep.true_peak_ok)
                break; /* else one more pass at the same gain to meet the ceiling */
        }
    }
    if (st == OBJR_OK)
        st = job_deliver(j, done_ok);
    objr_outset_destroy(j->outs); /* a pass not committed goes with its temporary file */
    if (outer && st != OBJR_OK && objr__outset_find(outer, out_path))
        objr__outset_drop(outer, objr__outset_find(outer, out_path));
    if (report)
        *report = j->rep;
    objr_loudness_meter_destroy(j->analysis);
    objr__freep(&j->sim_gain);
    objr__freep(&j);
    return st;
}

/* master_one, then (codec_check.c, tags.c) the codec check with its codec-safe re-masters and
 * the delivery tags, on the temporary file before it is put in place. */
static objr_status master_checked(objr_outset *outer, const objr_master_config *cfg,
                                  const char *in_path, const char *out_path,
                                  const double *fixed_gain_db, objr_master_report *report,
                                  objr_diag *diag) {
    if (!cfg || (!cfg->codec_mask && !objr__master_tags_wanted(cfg)))
        return master_one(outer, cfg, in_path, out_path, fixed_gain_db, report, diag);
    objr_outset *own = NULL, *set = outer;
    objr_status st = outer ? OBJR_OK : objr_outset_create(&own);
    if (!outer)
        set = own;
    objr_master_report rep;
    memset(&rep, 0, sizeof rep);
    st = st == OBJR_OK ? objr__master_codec_safe(set, cfg, in_path, out_path, fixed_gain_db, &rep,
                                                 master_one, diag)
                       : st;
    const char *tmp =
        st == OBJR_OK ? objr__outset_temp_path(set, objr__outset_find(set, out_path)) : NULL;
    if (st == OBJR_OK && tmp && objr__master_tags_wanted(cfg)) {
        st = objr__master_tags_write(tmp, cfg, diag);
        rep.tags_embedded = st == OBJR_OK;
    }
    if (st == OBJR_OK && own)
        st = objr_outset_commit(own, diag);
    if (st != OBJR_OK) {
        rep.written = 0;
        if (outer && objr__outset_find(outer, out_path))
            objr__outset_drop(outer, objr__outset_find(outer, out_path));
    }
    objr_outset_destroy(own);
    if (report)
        *report = rep;
    return st;
}

objr_status objr_master_file(const objr_master_config *cfg, const char *in_path,
                             const char *out_path, objr_master_report *report, objr_diag *diag) {
    return master_checked(NULL, cfg, in_path, out_path, NULL, report, diag);
}

objr_status objr_master_file_in(objr_outset *set, const objr_master_config *cfg,
                                const char *in_path, const char *out_path,
                                objr_master_report *report, objr_diag *diag) {
    if (!set)
        return OBJR_ERR_INVALID_ARG;
    return master_checked(set, cfg, in_path, out_path, NULL, report, diag);
}

/* ---------------------------------------------------------------------------------------- */
/* Albums: one gain for every track                                                          */
/* ---------------------------------------------------------------------------------------- */

/* Gated loudness of several files measured as one programme (one meter across them). */
static objr_status measure_set(const char *const *paths, size_t n, const double *w_in,
                               objr_loudness_result *out, objr_diag *diag) {
    objr_loudness_meter *m = NULL;
    objr_status st = OBJR_OK;
    int rate = 0, nc = 0;
    for (size_t i = 0; i < n && st == OBJR_OK; i++) {
        SNDFILE *sf;
        SF_INFO info;
        st = open_input(paths[i], &sf, &info, diag);
        if (st != OBJR_OK)
            break;
        double w[OBJR_LOUDNESS_MAX_CHANNELS];
        if (!m) {
            rate = info.samplerate;
            nc = info.channels;
            st = file_weights(sf, (unsigned)nc, w_in, w);
            objr_loudness_config c = objr_loudness_config_default();
            c.rate_hz = rate;
            c.n_channels = (unsigned)nc;
            c.weights = w;
            if (st == OBJR_OK)
                st = objr_loudness_meter_create(&c, &m);
        } else if (info.samplerate != rate || info.channels != nc) {
            st = objr__diag_set(diag, OBJR_ERR_CONFLICT, NULL, 0, (size_t)-1,
                                "%s: %d channels at %d Hz, but the album's first track has %d "
                                "at %d Hz",
                                paths[i], info.channels, info.samplerate, nc, rate);
        } else {
            st = file_weights(sf, (unsigned)nc, w_in, w);
        }
        measure_out mo;
        if (st == OBJR_OK)
            st = measure_sf2(sf, &info, w, MEASURE_TP4_NONE, paths[i], &mo, m, NULL, diag);
        sf_close(sf);
    }
    if (st == OBJR_OK)
        objr_loudness_meter_get(m, out);
    objr_loudness_meter_destroy(m);
    return st;
}

objr_status objr_master_album(const objr_master_config *cfg, const char *const *in_paths,
                              const char *const *out_paths, size_t n_tracks,
                              objr_master_report *reports, objr_master_album_report *album,
                              objr_diag *diag) {
    if (!cfg || !in_paths || !out_paths || !reports || n_tracks == 0)
        return OBJR_ERR_INVALID_ARG;
    objr_master_album_report ar;
    memset(&ar, 0, sizeof ar);
    for (size_t i = 0; i < n_tracks; i++)
        memset(&reports[i], 0, sizeof reports[i]);
    /* Every track in one set: all in place when the album meets its target, else none (and
     * the files that were there stay). The album is measured on the temporary files. */
    objr_outset *set = NULL;
    const char **written = objr__calloc(n_tracks, sizeof *written);
    objr_status st = written ? objr_outset_create(&set) : OBJR_ERR_NOMEM;
    if (st == OBJR_OK)
        st = measure_set(in_paths, n_tracks, cfg->weights, &ar.before, diag);
    if (st != OBJR_OK)
        goto out;
    const objr_master_target *t = &cfg->target;
    if (t->kind != OBJR_TARGET_NONE && !isfinite(ar.before.integrated_lufs)) {
        st = objr__diag_set(diag, OBJR_ERR_RANGE, NULL, 0, (size_t)-1,
                            "album: integrated loudness is undefined (silent)");
        goto out;
    }
    double gain = 0.0;
    if (t->kind == OBJR_TARGET_EXACT)
        gain = t->integrated_lufs - ar.before.integrated_lufs;
    else if (t->kind == OBJR_TARGET_AT_MOST && ar.before.integrated_lufs > t->integrated_lufs)
        gain = t->integrated_lufs - MASTER_LUFS_AIM - ar.before.integrated_lufs;
    for (unsigned k = 1; k <= cfg->max_passes; k++) {
        ar.passes = k;
        for (size_t i = 0; i < n_tracks; i++) {
            objr_master_config tc = *cfg; /* the track's own ISRC */
            if (cfg->album_isrcs)
                snprintf(tc.isrc, sizeof tc.isrc, "%s",
                         cfg->album_isrcs[i] ? cfg->album_isrcs[i] : "");
            st = master_checked(set, &tc, in_paths[i], out_paths[i], &gain, &reports[i], diag);
            if (st != OBJR_OK)
                goto out;
            written[i] = objr__outset_temp_path(set, objr__outset_find(set, out_paths[i]));
        }
        st = measure_set(written, n_tracks, cfg->weights, &ar.after, diag);
        if (st != OBJR_OK)
            goto out;
        ar.gain_db = gain;
        double li = ar.after.integrated_lufs;
        if (t->kind == OBJR_TARGET_EXACT)
            ar.loudness_ok = fabs(li - t->integrated_lufs) <= MASTER_LUFS_TOL;
        else if (t->kind == OBJR_TARGET_AT_MOST)
            ar.loudness_ok = li <= t->integrated_lufs;
        else
            ar.loudness_ok = 1;
        if (ar.loudness_ok)
            break;
        /* Limiting on some tracks lowered the album: raise the common gain (bounded). */
        double step = (t->kind == OBJR_TARGET_AT_MOST ? t->integrated_lufs - MASTER_LUFS_AIM
                                                      : t->integrated_lufs) -
                      li;
        if (step > 0 && reports[0].limiter.max_reduction_db > cfg->max_reduction_db) {
            ar.unreachable = 1;
            break;
        }
        gain += step;
    }
    if (!ar.loudness_ok && !cfg->keep_unreachable) {
        st = objr__diag_set(diag, OBJR_ERR_RANGE, NULL, 0, (size_t)-1,
                            "album: target %.1f LUFS not reached (%.2f LUFS after %u passes); "
                            "no files kept",
                            t->integrated_lufs, ar.after.integrated_lufs, ar.passes);
        ar.unreachable = 1;
        goto out;
    }
    st = objr_outset_commit(set, diag);
out:
    if (st != OBJR_OK)
        for (size_t i = 0; i < n_tracks; i++)
            reports[i].written = 0;
    objr_outset_destroy(set); /* not committed: nothing of the album is left */
    objr__freep(&written);
    if (album)
        *album = ar;
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* Gain envelopes from renders (for mastering an ADM master)                                 */
/* ---------------------------------------------------------------------------------------- */

objr_status objr_master_envelope_from_renders(const objr_master_config *cfg,
                                              const char *const *render_paths, size_t n_renders,
                                              double gain_db, objr_gain_envelope *out,
                                              objr_diag *diag) {
    if (!cfg || !render_paths || !n_renders || !out || !isfinite(gain_db))
        return OBJR_ERR_INVALID_ARG;
    const double g = pow(10.0, gain_db / 20.0);
    objr_status st = OBJR_OK;
    int rate0 = 0;
    for (size_t r = 0; r < n_renders && st == OBJR_OK; r++) {
        SNDFILE *sf;
        SF_INFO info;
        st = open_input(render_paths[r], &sf, &info, diag);
        if (st != OBJR_OK)
            break;
        if (r == 0)
            rate0 = info.samplerate;
        else if (info.samplerate != rate0) {
            sf_close(sf);
            st = objr__diag_set(diag, OBJR_ERR_CONFLICT, NULL, 0, (size_t)-1,
                                "%s: %d Hz, but the first render is at %d Hz", render_paths[r],
                                info.samplerate, rate0);
            break;
        }
        const unsigned nc = (unsigned)info.channels;
        objr_limiter_config lc = objr_limiter_config_default();
        lc.rate_hz = info.samplerate;
        lc.n_channels = nc;
        lc.ceiling_dbtp = cfg->target.true_peak_dbtp;
        lc.margin_db = cfg->limiter_margin_db;
        lc.lookahead_ms = cfg->lookahead_ms;
        lc.release_ms = cfg->release_ms;
        lc.style = cfg->limiter_style;
        objr_limiter *lim = NULL;
        objr_gain_envelope *env = NULL;
        size_t nb = (size_t)MASTER_BLOCK * nc;
        float *inter = objr__calloc(nb, sizeof(float)), *pl = objr__calloc(nb, sizeof(float));
        float *po = objr__calloc(nb, sizeof(float)), *gain = objr__calloc(MASTER_BLOCK, 4);
        st = objr_limiter_create(&lc, &lim);
        if (st == OBJR_OK)
            st = objr_gain_envelope_create(&env);
        if (st == OBJR_OK && (!inter || !pl || !po || !gain))
            st = OBJR_ERR_NOMEM;
        size_t skip = lim ? objr_limiter_latency_frames(lim) : 0, flush = skip;
        float *in[OBJR_LOUDNESS_MAX_CHANNELS] = {0}, *o[OBJR_LOUDNESS_MAX_CHANNELS] = {0};
        for (unsigned c = 0; c < nc && st == OBJR_OK; c++) {
            in[c] = pl + (size_t)c * MASTER_BLOCK;
            o[c] = po + (size_t)c * MASTER_BLOCK;
        }
        int eof = 0;
        while (st == OBJR_OK && (!eof || flush)) {
            size_t n;
            if (!eof) {
                sf_count_t got = sf_readf_float(sf, inter, MASTER_BLOCK);
                if (got <= 0) {
                    eof = 1;
                    continue;
                }
                n = (size_t)got;
                if (objr__loudness_find_nonfinite(inter, n * nc) != (size_t)-1) {
                    st = objr__diag_set(diag, OBJR_ERR_RANGE, NULL, 0, (size_t)-1,
                                        "%s: non-finite sample", render_paths[r]);
                    break;
                }
                for (unsigned c = 0; c < nc; c++)
                    for (size_t i = 0; i < n; i++)
                        in[c][i] = (float)((double)inter[i * nc + c] * g);
            } else {
                n = flush < MASTER_BLOCK ? flush : MASTER_BLOCK;
                flush -= n;
                for (unsigned c = 0; c < nc; c++)
                    memset(in[c], 0, n * sizeof(float));
            }
            objr_limiter_process(lim, (const float *const *)in, o, n, gain);
            size_t drop = skip < n ? skip : n;
            skip -= drop;
            st = objr_gain_envelope_append(env, gain + drop, n - drop);
        }
        if (st == OBJR_OK)
            st = objr_gain_envelope_min(out, env);
        sf_close(sf);
        objr_limiter_destroy(lim);
        objr_gain_envelope_destroy(env);
        objr__freep(&inter);
        objr__freep(&pl);
        objr__freep(&po);
        objr__freep(&gain);
    }
    return st;
}
