/* SPDX-License-Identifier: BSD-3-Clause */
/* Codec check: the master encoded with the real lossy encoders streaming services use (LAME
 * MP3, libopus in Ogg, both through libsndfile >= 1.1), decoded, and measured with objrender's
 * own BS.1770-4 meter (Annex 2 true peak, 8x): the inter-sample overs a listener hears after
 * the transcode. */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include "src/master/master.h"

#include <dlfcn.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/core/outfile.h"
#include "src/master/loudness.h"

/* Frames per block of the encode and decode loops. */
#define CODEC_BLOCK 4096
/* libsndfile's CBR MP3 bitrate from its compression level: 320 - level x (320 - 32) kbps at
 * 32 kHz and above (MPEG-1 Layer III), truncated to an integer. */
#define MP3_KBPS_MAX 320.0
#define MP3_KBPS_MIN 32.0
/* libsndfile's Opus bitrate: ((1 - level) x 250000 + 6000) bit/s per channel. */
#define OPUS_BPS_SPAN 250000.0
#define OPUS_BPS_MIN 6000.0

const char *objr_codec_name(objr_codec codec) {
    switch (codec) {
    case OBJR_CODEC_MP3:
        return "mp3";
    case OBJR_CODEC_OPUS:
        return "opus";
    case OBJR_CODEC_AAC:
        return "aac";
    }
    return NULL;
}

objr_codec_check_config objr_codec_check_config_default(void) {
    objr_codec_check_config c;
    memset(&c, 0, sizeof c);
    c.codec_mask = OBJR_CODEC_BIT(OBJR_CODEC_MP3) | OBJR_CODEC_BIT(OBJR_CODEC_OPUS);
    c.bitrate_kbps = OBJR_CODEC_DEFAULT_KBPS;
    c.ceiling_dbtp = -1.0;
    c.weights = NULL;
    return c;
}

/* The version string of the encoder library libsndfile loaded (looked up by name in the
 * process: the library objrender's libsndfile links, so the one that encodes). */
static const char *library_version(const char *symbol) {
    typedef const char *(*version_fn)(void);
    void *sym = dlsym(RTLD_DEFAULT, symbol);
    version_fn fn = NULL;
    if (!sym)
        return NULL;
    memcpy(&fn, &sym, sizeof fn);
    return fn();
}

static void describe_encoder(objr_codec codec, char *out, size_t n) {
    const char *sf = sf_version_string();
    if (codec == OBJR_CODEC_MP3) {
        const char *v = library_version("get_lame_version");
        snprintf(out, n, "LAME %s CBR (libmp3lame via %s)", v ? v : "(version unknown)", sf);
    } else {
        const char *v = library_version("opus_get_version_string");
        snprintf(out, n, "%s VBR (Ogg Opus via %s)", v ? v : "libopus (version unknown)", sf);
    }
}

/* The libsndfile format and its compression level for @p kbps, or 0 with a note saying why
 * the codec cannot take this file. */
static int codec_format(objr_codec codec, const SF_INFO *in, double kbps, double *level, char *note,
                        size_t n) {
    SF_INFO probe;
    memset(&probe, 0, sizeof probe);
    probe.channels = in->channels;
    probe.samplerate = in->samplerate;
    if (codec == OBJR_CODEC_AAC) {
        snprintf(note, n, "not checked: no AAC encoder in this build (libsndfile has none)");
        return 0;
    }
    if (codec == OBJR_CODEC_MP3) {
        probe.format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
        if (in->channels > 2 || in->samplerate < 32000 || in->samplerate > 48000) {
            snprintf(note, n,
                     "not checked: MP3 (MPEG-1 Layer III) takes 1-2 channels at 32-48 "
                     "kHz; the master has %d at %d Hz",
                     in->channels, in->samplerate);
            return 0;
        }
        /* Half a kbps up so that the truncation lands on the asked rate. */
        *level = (MP3_KBPS_MAX - (kbps + 0.5)) / (MP3_KBPS_MAX - MP3_KBPS_MIN);
    } else {
        probe.format = SF_FORMAT_OGG | SF_FORMAT_OPUS;
        int r = in->samplerate;
        if (r != 8000 && r != 12000 && r != 16000 && r != 24000 && r != 48000) {
            snprintf(note, n,
                     "not checked: Opus encodes at 8/12/16/24/48 kHz; the master is at "
                     "%d Hz",
                     r);
            return 0;
        }
        double per_ch = kbps * 1000.0 / in->channels;
        *level = 1.0 - (per_ch - OPUS_BPS_MIN) / OPUS_BPS_SPAN;
    }
    *level = *level < 0.0 ? 0.0 : *level > 1.0 ? 1.0 : *level;
    if (!sf_format_check(&probe)) {
        snprintf(note, n, "not checked: this libsndfile (%s) cannot write %s", sf_version_string(),
                 codec == OBJR_CODEC_MP3 ? "MP3" : "Ogg Opus");
        return 0;
    }
    return probe.format;
}

/* Decode @p sf through a meter with @p w: true peak, sample peak, integrated loudness. */
static objr_status measure_decode(SNDFILE *sf, const SF_INFO *info, const double *w,
                                  objr_codec_result *r, const char *what, objr_diag *diag) {
    objr_loudness_config mc = objr_loudness_config_default();
    mc.rate_hz = info->samplerate;
    mc.n_channels = (unsigned)info->channels;
    mc.weights = w;
    objr_loudness_meter *m = NULL;
    objr_status st = objr_loudness_meter_create(&mc, &m);
    float *buf = objr__calloc((size_t)CODEC_BLOCK * (size_t)info->channels, sizeof(float));
    if (st == OBJR_OK && !buf)
        st = OBJR_ERR_NOMEM;
    sf_count_t got;
    while (st == OBJR_OK && (got = sf_readf_float(sf, buf, CODEC_BLOCK)) > 0)
        st = objr_loudness_meter_add_interleaved_f32(m, buf, (size_t)got);
    if (st == OBJR_OK && sf_error(sf) != SF_ERR_NO_ERROR)
        st = OBJR_ERR_IO;
    if (st == OBJR_OK) {
        objr_loudness_result lr;
        objr_loudness_meter_get(m, &lr);
        r->true_peak_dbtp = lr.true_peak_dbtp;
        r->sample_peak_dbfs = lr.sample_peak_dbfs;
        r->integrated_lufs = lr.integrated_lufs;
    } else {
        objr__diag_set(diag, st, NULL, 0, (size_t)-1, "%s: decoding failed: %s", what,
                       st == OBJR_ERR_IO ? sf_strerror(sf) : objr_strerror(st));
    }
    objr__freep(&buf);
    objr_loudness_meter_destroy(m);
    return st;
}

/* Copy the master into the encoder @p enc; *n_frames counts what was written. */
static objr_status encode_all(SNDFILE *in, SNDFILE *enc, unsigned nc, size_t *n_frames,
                              const char *path, objr_diag *diag) {
    float *buf = objr__calloc((size_t)CODEC_BLOCK * nc, sizeof(float));
    if (!buf)
        return OBJR_ERR_NOMEM;
    objr_status st = OBJR_OK;
    sf_count_t got;
    *n_frames = 0;
    while ((got = sf_readf_float(in, buf, CODEC_BLOCK)) > 0) {
        size_t bad = objr__loudness_find_nonfinite(buf, (size_t)got * nc);
        if (bad != (size_t)-1) {
            st = objr__diag_set(diag, OBJR_ERR_RANGE, NULL, 0, (size_t)-1,
                                "%s: non-finite sample at frame %zu", path, *n_frames + bad / nc);
            break;
        }
        if (sf_writef_float(enc, buf, got) != got) {
            st = objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: encoder: %s", path,
                                sf_strerror(enc));
            break;
        }
        *n_frames += (size_t)got;
    }
    objr__freep(&buf);
    return st;
}

/* One codec: encode into an anonymous temporary file, decode, measure. */
static objr_status check_one(objr_codec codec, const objr_codec_check_config *cfg, const char *path,
                             const double *w, objr_codec_result *r, objr_diag *diag) {
    SF_INFO ii;
    memset(&ii, 0, sizeof ii);
    SNDFILE *in = sf_open(path, SFM_READ, &ii);
    if (!in)
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot open: %s", path,
                              sf_strerror(NULL));
    double level = 0.0;
    int format = codec_format(codec, &ii, cfg->bitrate_kbps, &level, r->note, sizeof r->note);
    if (!format) {
        sf_close(in);
        return OBJR_OK; /* skipped, r->note says why */
    }
    describe_encoder(codec, r->encoder, sizeof r->encoder);
    FILE *tf = tmpfile();
    if (!tf) {
        sf_close(in);
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                              "%s: no temporary file for the %s check", path,
                              objr_codec_name(codec));
    }
    objr_status st = OBJR_OK;
    SF_INFO oi;
    memset(&oi, 0, sizeof oi);
    oi.samplerate = ii.samplerate;
    oi.channels = ii.channels;
    oi.format = format;
    int fd = dup(fileno(tf));
    SNDFILE *enc = fd >= 0 ? sf_open_fd(fd, SFM_WRITE, &oi, SF_TRUE) : NULL;
    if (!enc) {
        if (fd >= 0)
            close(fd);
        snprintf(r->note, sizeof r->note, "not checked: the encoder refused the master: %s",
                 sf_strerror(NULL));
        r->encoder[0] = 0;
        sf_close(in);
        fclose(tf);
        return OBJR_OK;
    }
    if (codec == OBJR_CODEC_MP3) {
        int mode = SF_BITRATE_MODE_CONSTANT;
        sf_command(enc, SFC_SET_BITRATE_MODE, &mode, sizeof mode);
    }
    sf_command(enc, SFC_SET_COMPRESSION_LEVEL, &level, sizeof level);
    size_t frames = 0;
    st = encode_all(in, enc, (unsigned)ii.channels, &frames, path, diag);
    sf_close(enc);
    sf_close(in);
    struct stat sb;
    if (st == OBJR_OK && fstat(fileno(tf), &sb) == 0 && frames > 0)
        r->real_kbps = (double)sb.st_size * 8.0 / ((double)frames / ii.samplerate) / 1000.0;
    SF_INFO di;
    memset(&di, 0, sizeof di);
    SNDFILE *dec = NULL;
    if (st == OBJR_OK) {
        fd = dup(fileno(tf));
        if (fd >= 0 && lseek(fd, 0, SEEK_SET) == 0)
            dec = sf_open_fd(fd, SFM_READ, &di, SF_TRUE);
        else if (fd >= 0)
            close(fd);
        if (!dec)
            st = objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                                "%s: cannot decode its %s encode: %s", path, objr_codec_name(codec),
                                sf_strerror(NULL));
    }
    if (st == OBJR_OK && di.channels != ii.channels) {
        snprintf(r->note, sizeof r->note,
                 "not checked: the decode has %d channels, the master %d (this libsndfile's "
                 "multichannel %s)",
                 di.channels, ii.channels, objr_codec_name(codec));
        sf_close(dec);
        fclose(tf);
        return OBJR_OK;
    }
    if (st == OBJR_OK)
        st = measure_decode(dec, &di, w, r, path, diag);
    if (st == OBJR_OK) {
        r->checked = 1;
        r->rate_hz = di.samplerate;
    }
    if (dec)
        sf_close(dec);
    fclose(tf);
    return st;
}

objr_status objr_codec_check_file(const objr_codec_check_config *cfg, const char *path,
                                  objr_codec_report *out, objr_diag *diag) {
    if (!cfg || !path || !out)
        return OBJR_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (!(cfg->bitrate_kbps >= 32.0 && cfg->bitrate_kbps <= 320.0) ||
        !(cfg->ceiling_dbtp <= 0.0 && cfg->ceiling_dbtp >= -20.0))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "codec check: bitrate %.1f kbps (32..320) or ceiling %.2f dBTP "
                              "(-20..0) out of range",
                              cfg->bitrate_kbps, cfg->ceiling_dbtp);
    out->ceiling_dbtp = out->limiter_ceiling_dbtp = cfg->ceiling_dbtp;
    out->all_ok = 1;
    objr_loudness_result master;
    double w[OBJR_MASTER_MAX_CHANNELS];
    unsigned nc = 0;
    objr_status st = objr_master_measure_file(path, cfg->weights, 0, &master, w, &nc, diag);
    if (st != OBJR_OK)
        return st;
    for (unsigned c = 0; c < OBJR_CODEC_COUNT && st == OBJR_OK; c++) {
        if (!(cfg->codec_mask & OBJR_CODEC_BIT(c)))
            continue;
        objr_codec_result *r = &out->results[out->n_results++];
        r->codec = (objr_codec)c;
        r->bitrate_kbps = cfg->bitrate_kbps;
        r->true_peak_dbtp = r->sample_peak_dbfs = r->integrated_lufs = -HUGE_VAL;
        r->master_true_peak_dbtp = master.true_peak_dbtp;
        r->master_integrated_lufs = master.integrated_lufs;
        st = check_one((objr_codec)c, cfg, path, w, r, diag);
        r->over_ceiling = r->checked && r->true_peak_dbtp > cfg->ceiling_dbtp;
        if (r->over_ceiling)
            out->all_ok = 0;
    }
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* Codec-safe mastering: lower the limiter ceiling until every decode holds the ceiling       */
/* ---------------------------------------------------------------------------------------- */

/* Extra step below the measured over per re-master: the codec's overshoot grows a little
 * with the level it is fed, so aiming exactly at the ceiling would take another pass. */
#define CODEC_SAFE_STEP_DB 0.25

/* The largest over of a checked decode above the delivery ceiling (<= 0 when all hold). */
static double worst_over(const objr_codec_report *r) {
    double worst = -HUGE_VAL;
    for (unsigned i = 0; i < r->n_results; i++)
        if (r->results[i].checked && r->results[i].true_peak_dbtp - r->ceiling_dbtp > worst)
            worst = r->results[i].true_peak_dbtp - r->ceiling_dbtp;
    return worst;
}

objr_status objr__master_codec_safe(objr_outset *set, const objr_master_config *cfg,
                                    const char *in_path, const char *out_path,
                                    const double *fixed_gain_db, objr_master_report *report,
                                    objr__master_run_fn run, objr_diag *diag) {
    objr_master_config c = *cfg;
    const double ceiling = cfg->target.true_peak_dbtp;
    unsigned max_passes = cfg->codec_safe_max_passes ? cfg->codec_safe_max_passes : 1;
    if (max_passes > 8)
        max_passes = 8;
    objr_codec_report cr;
    memset(&cr, 0, sizeof cr);
    objr_status st = OBJR_OK;
    for (unsigned k = 0;; k++) {
        st = run(set, &c, in_path, out_path, fixed_gain_db, report, diag);
        if (st != OBJR_OK || !cfg->codec_mask)
            return st;
        objr_codec_check_config cc = objr_codec_check_config_default();
        cc.codec_mask = cfg->codec_mask;
        cc.bitrate_kbps = cfg->codec_kbps;
        cc.ceiling_dbtp = ceiling;
        cc.weights = report->weights;
        const char *tmp = objr__outset_temp_path(set, objr__outset_find(set, out_path));
        if (!tmp)
            return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                                  "%s: a codec check needs a regular file", out_path);
        st = objr_codec_check_file(&cc, tmp, &cr, diag);
        cr.remasters = k;
        cr.limiter_ceiling_dbtp = c.target.true_peak_dbtp;
        report->codec = cr;
        if (st != OBJR_OK || !cfg->codec_safe || cr.all_ok)
            return st;
        double next = c.target.true_peak_dbtp - worst_over(&cr) - CODEC_SAFE_STEP_DB;
        if (k + 1 > max_passes || next < -20.0)
            break;
        c.target.true_peak_dbtp = next;
    }
    report->unreachable = 1; /* the ceiling the codecs need is out of reach */
    if (cfg->keep_unreachable)
        return OBJR_OK;
    return objr__diag_set(diag, OBJR_ERR_RANGE, NULL, 0, (size_t)-1,
                          "%s: after %u codec-safe re-masters (limiter ceiling %.2f dBTP) a "
                          "decode still peaks %.2f dB over the %.1f dBTP ceiling; no file written",
                          out_path, cr.remasters, cr.limiter_ceiling_dbtp, worst_over(&cr),
                          ceiling);
}
