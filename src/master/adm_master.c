/* SPDX-License-Identifier: BSD-3-Clause */
/* Mastering an ADM BWF itself: one static gain and one limiter envelope applied to every
 * track, computed on the 7.1.4, 5.1, 2.0 and binaural re-renders and refined on the
 * candidate's own re-renders until each meets the ceiling, and loudnessMetadata measured on
 * the result's re-renders (see objr_master_adm_file() in objr_master.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/adm_model.h"
#include "objrender/objr_adm.h"
#include "objrender/objr_binaural.h"
#include "objrender/objr_bwf.h"
#include "objrender/objr_master.h"
#include "objrender/objr_outfile.h"
#include "objrender/objr_render.h"
#include "renderers/binaural/hrtf.h"
#include "src/core/core.h"

#define ADM_MASTER_BLOCK 4096
#define N_RENDERS 4
#define PATH_MAX_LEN 4096

/* The re-renders every master is checked on. "binaural" is what a listener gets from
 * `objrender --layout binaural` with the same --hrtf and --binaural-mode: cfg->hrtf_path and
 * cfg->binaural_mode (by default libmysofa's default SOFA set and the MID room). */
static const char *const render_layouts[N_RENDERS] = {"7.1.4", "5.1", "2.0", "binaural"};
/* Index of the 5.1 render: the basis of integrated loudness, LRA, momentary and short-term. */
#define BASIS_RENDER 1
#define BINAURAL_RENDER 3
/* Limiter look-ahead for the binaural render (see render_envelope()); the limiter's maximum. */
#ifndef BINAURAL_LOOKAHEAD_MS
#define BINAURAL_LOOKAHEAD_MS 45.0
#endif

typedef struct adm_master_ctx {
    const objr_master_config *cfg;
    const char *programme_id;
    const char *in_path, *out_path;
    char in_renders[N_RENDERS][PATH_MAX_LEN];  /* re-renders of the input (kept all along) */
    char out_renders[N_RENDERS][PATH_MAX_LEN]; /* re-renders of the current candidate */
    char mid_path[PATH_MAX_LEN];
    objr_diag *diag;
} adm_master_ctx;

static double lin_to_db(double g) {
    return g > 0 ? 20.0 * log10(g) : -HUGE_VAL;
}

_Static_assert(OBJR_ADM_MASTER_DBMD_NOTES == OBJR_RENDER_MAX_DBMD_NOTES &&
                   OBJR_ADM_MASTER_DBMD_NOTE_SIZE == OBJR_RENDER_DBMD_NOTE_SIZE,
               "dbmd note sizes");

/* Re-render @p input to every layout; with @p report, its dbmd notes are kept there. */
static objr_status render_all(adm_master_ctx *c, const char *input, char (*renders)[PATH_MAX_LEN],
                              objr_adm_master_report *report) {
    objr_render_file_options o = objr_render_file_options_default();
    o.renderer.programme_id = c->programme_id;
    o.renderer.hrtf_path = c->cfg->hrtf_path;
    o.renderer.binaural_mode = c->cfg->binaural_mode;
    o.renderer.binaural_diffuse_eq = c->cfg->binaural_diffuse_eq;
    o.renderer.binaural_peak_limit = 0; /* mastering's own limiter is the true-peak stage */
    o.format = OBJR_BWF_SAMPLE_FLOAT32;
    const char *outs[N_RENDERS];
    for (size_t i = 0; i < N_RENDERS; i++)
        outs[i] = renders[i];
    objr_render_summary *sum = report ? objr__calloc(1, sizeof *sum) : NULL;
    if (report && !sum)
        return OBJR_ERR_NOMEM;
    objr_status st = objr_render_file(input, render_layouts, N_RENDERS, outs, &o, sum, c->diag);
    if (st == OBJR_OK && sum) {
        for (size_t k = 0; k < sum->n_dbmd_notes && k < OBJR_RENDER_MAX_DBMD_NOTES; k++)
            memcpy(report->dbmd_notes[k], sum->dbmd_notes[k], sizeof report->dbmd_notes[k]);
        report->n_dbmd_notes = sum->n_dbmd_notes;
    }
    objr__freep(&sum);
    return st;
}

static objr_status measure_all(adm_master_ctx *c, char (*renders)[PATH_MAX_LEN],
                               objr_loudness_result *res) {
    for (size_t i = 0; i < N_RENDERS; i++) {
        objr_status st =
            objr_master_measure_file(renders[i], NULL, 0, &res[i], NULL, NULL, c->diag);
        if (st != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

/* *out = a × b frame by frame over n_frames (frames beyond either length count as 1.0; b NULL:
 * a copy of a); a new envelope (runs of a constant product stay compact). */
static objr_status envelope_product(const objr_gain_envelope *a, const objr_gain_envelope *b,
                                    size_t n_frames, objr_gain_envelope **out) {
    *out = NULL;
    objr_gain_envelope *e = NULL;
    objr_status st = objr_gain_envelope_create(&e);
    if (st != OBJR_OK)
        return st;
    float buf[ADM_MASTER_BLOCK];
    float *p[1] = {buf};
    for (size_t pos = 0; pos < n_frames && st == OBJR_OK;) {
        size_t n = n_frames - pos < ADM_MASTER_BLOCK ? n_frames - pos : ADM_MASTER_BLOCK;
        for (size_t i = 0; i < n; i++)
            buf[i] = 1.0f;
        st = objr_gain_envelope_apply(a, pos, 1.0, p, 1, n);
        if (st == OBJR_OK && b)
            st = objr_gain_envelope_apply(b, pos, 1.0, p, 1, n);
        if (st == OBJR_OK)
            st = objr_gain_envelope_append(e, buf, n);
        pos += n;
    }
    if (st != OBJR_OK) {
        objr_gain_envelope_destroy(e);
        return st;
    }
    *out = e;
    return OBJR_OK;
}

/* Integrated loudness of render @p path multiplied by gain × env (the prediction of the
 * mastered ADM's re-render: renders are linear in the tracks). */
static objr_status predict_loudness(const char *path, double gain, const objr_gain_envelope *env,
                                    double *out_lufs, objr_diag *diag) {
    objr_bwf *f = NULL;
    objr_status st = objr_bwf_open_file(path, NULL, diag, &f);
    if (st != OBJR_OK)
        return st;
    objr_bwf_format fmt;
    (void)objr_bwf_get_format(f, &fmt);
    double w[OBJR_MASTER_MAX_CHANNELS];
    float *buf = NULL;
    objr_loudness_meter *m = NULL;
    if (fmt.n_channels == 0 || fmt.n_channels > OBJR_MASTER_MAX_CHANNELS) {
        st = objr__diag_set(diag, OBJR_ERR_FORMAT, "", 0, (size_t)-1, "%s: %u channels", path,
                            (unsigned)fmt.n_channels);
        goto done;
    }
    st = objr_loudness_weights_from_mask(fmt.channel_mask, fmt.n_channels, w);
    if (st != OBJR_OK)
        goto done;
    objr_loudness_config lc = objr_loudness_config_default();
    lc.rate_hz = fmt.sample_rate_hz;
    lc.n_channels = fmt.n_channels;
    lc.weights = w;
    lc.true_peak = 0;
    st = objr_loudness_meter_create(&lc, &m);
    if (st != OBJR_OK)
        goto done;
    buf = objr__calloc((size_t)ADM_MASTER_BLOCK * fmt.n_channels, sizeof(float));
    if (!buf) {
        st = OBJR_ERR_NOMEM;
        goto done;
    }
    float *ptr[OBJR_MASTER_MAX_CHANNELS];
    for (unsigned ch = 0; ch < fmt.n_channels; ch++)
        ptr[ch] = buf + (size_t)ch * ADM_MASTER_BLOCK;
    size_t pos = 0;
    for (;;) {
        size_t n = 0;
        st = objr_bwf_read_f32(f, ptr, ADM_MASTER_BLOCK, &n);
        if (st != OBJR_OK || n == 0)
            break;
        st = objr_gain_envelope_apply(env, pos, gain, ptr, fmt.n_channels, n);
        if (st == OBJR_OK)
            st = objr_loudness_meter_add_f32(m, (const float *const *)ptr, n);
        if (st != OBJR_OK)
            break;
        pos += n;
    }
    if (st == OBJR_OK) {
        objr_loudness_result r;
        st = objr_loudness_meter_get(m, &r);
        *out_lufs = r.integrated_lufs;
    }
done:
    free(buf);
    objr_loudness_meter_destroy(m);
    objr_bwf_close(f);
    return st;
}

/* Depth and activity of an envelope over n frames. */
static void envelope_stats(const objr_gain_envelope *env, size_t n_frames, double *max_red_db,
                           double *active) {
    float buf[ADM_MASTER_BLOCK];
    float *p[1] = {buf};
    double min_g = 1.0;
    size_t n_active = 0;
    for (size_t pos = 0; pos < n_frames;) {
        size_t n = n_frames - pos < ADM_MASTER_BLOCK ? n_frames - pos : ADM_MASTER_BLOCK;
        for (size_t i = 0; i < n; i++)
            buf[i] = 1.0f;
        (void)objr_gain_envelope_apply(env, pos, 1.0, p, 1, n);
        for (size_t i = 0; i < n; i++) {
            if (buf[i] < min_g)
                min_g = buf[i];
            if (buf[i] < 0.998849f) /* -0.01 dB */
                n_active++;
        }
        pos += n;
    }
    *max_red_db = min_g < 1.0 ? -lin_to_db(min_g) : 0.0;
    *active = n_frames ? (double)n_active / (double)n_frames : 0.0;
}

/* A writer configuration keeping the source's layout, rate, container and sample format
 * (float for formats the writer does not produce). */
static objr_bwf_writer_config writer_config_for(const objr_bwf_format *fmt) {
    objr_bwf_writer_config wc = objr_bwf_writer_config_default();
    wc.n_channels = fmt->n_channels;
    wc.sample_rate_hz = fmt->sample_rate_hz;
    wc.channel_mask = fmt->channel_mask;
    switch (fmt->sample_format) {
    case OBJR_BWF_SAMPLE_PCM16:
    case OBJR_BWF_SAMPLE_PCM24:
    case OBJR_BWF_SAMPLE_PCM32:
    case OBJR_BWF_SAMPLE_FLOAT32:
        wc.sample_format = fmt->sample_format;
        break;
    default:
        wc.sample_format = OBJR_BWF_SAMPLE_FLOAT32;
        break;
    }
    if (fmt->container != OBJR_BWF_CONTAINER_RIFF)
        wc.large_container = fmt->container;
    return wc;
}

/* The source's bext with the loudness figures of @p loud (when set) into @p w. */
static objr_status copy_bext(objr_bwf *f, objr_bwf_writer *w, const objr__adm_loudness *loud) {
    const objr_bwf_bext *bx = NULL;
    (void)objr_bwf_get_bext(f, &bx);
    if (!bx)
        return OBJR_OK;
    objr_bwf_bext b = *bx;
    if (loud) {
#define LOUD_OR_NAN(bit, v) ((loud->present & (bit)) ? (v) : (double)NAN)
        b.loudness_value_lufs = LOUD_OR_NAN(OBJR__LOUD_INTEGRATED, loud->integrated_lufs);
        b.loudness_range_lu = LOUD_OR_NAN(OBJR__LOUD_RANGE, loud->range_lu);
        b.max_true_peak_level_dbtp = LOUD_OR_NAN(OBJR__LOUD_TRUE_PEAK, loud->max_true_peak_dbtp);
        b.max_momentary_loudness_lufs = LOUD_OR_NAN(OBJR__LOUD_MOMENTARY, loud->max_momentary_lufs);
        b.max_short_term_loudness_lufs =
            LOUD_OR_NAN(OBJR__LOUD_SHORT_TERM, loud->max_short_term_lufs);
#undef LOUD_OR_NAN
        if (b.version < 2)
            b.version = 2;
    }
    return objr_bwf_writer_set_bext(w, &b);
}

/* chna, axml (the given one, else the source's), bext and the other chunks into @p w. */
static objr_status copy_metadata(objr_bwf *f, objr_bwf_writer *w, const char *axml, size_t axml_len,
                                 const objr__adm_loudness *loud) {
    objr_status st = OBJR_OK;
    size_t n_chna = objr_bwf_chna_count(f);
    if (n_chna) {
        objr_bwf_chna_entry *chna = objr__calloc(n_chna, sizeof *chna);
        if (!chna)
            return OBJR_ERR_NOMEM;
        for (size_t i = 0; i < n_chna; i++)
            (void)objr_bwf_get_chna_entry(f, i, &chna[i]);
        st = objr_bwf_writer_set_chna(w, chna, n_chna); /* copied */
        free(chna);
        if (st != OBJR_OK)
            return st;
    }
    if (!axml) {
        const uint8_t *ax = NULL;
        (void)objr_bwf_get_axml(f, &ax, &axml_len);
        axml = (const char *)ax;
    }
    if (axml && (st = objr_bwf_writer_set_axml(w, axml, axml_len)) != OBJR_OK)
        return st;
    if ((st = copy_bext(f, w, loud)) != OBJR_OK)
        return st;
    return objr_bwf_writer_copy_chunks(w, f);
}

/* Every frame of @p f into @p w, multiplied by gain x env when env is set; non-finite
 * samples refused with their place. */
static objr_status copy_audio(objr_bwf *f, objr_bwf_writer *w, uint32_t n_channels, const char *src,
                              const char *dst, double gain, const objr_gain_envelope *env,
                              objr_diag *diag) {
    float *buf = objr__calloc((size_t)ADM_MASTER_BLOCK * n_channels, sizeof(float));
    float **ptr = objr__calloc(n_channels, sizeof *ptr);
    objr_status st = buf && ptr ? OBJR_OK : OBJR_ERR_NOMEM;
    for (uint32_t ch = 0; st == OBJR_OK && ch < n_channels; ch++)
        ptr[ch] = buf + (size_t)ch * ADM_MASTER_BLOCK;
    for (size_t pos = 0; st == OBJR_OK;) {
        size_t n = 0;
        st = objr_bwf_read_f32(f, ptr, ADM_MASTER_BLOCK, &n);
        if (st != OBJR_OK) {
            objr__diag_set(diag, st, "", 0, (size_t)-1, "%s: %s", src, objr_bwf_last_error(f));
            break;
        }
        if (n == 0)
            break;
        if (env && (st = objr_gain_envelope_apply(env, pos, gain, ptr, n_channels, n)) != OBJR_OK)
            break;
        for (uint32_t ch = 0; ch < n_channels && st == OBJR_OK; ch++)
            for (size_t i = 0; i < n; i++)
                if (!isfinite(ptr[ch][i])) {
                    st = objr__diag_set(diag, OBJR_ERR_RANGE, "", 0, (size_t)-1,
                                        "%s: track %u frame %zu: sample is not finite", src,
                                        (unsigned)ch + 1, pos + i);
                    break;
                }
        if (st == OBJR_OK &&
            (st = objr_bwf_writer_write_f32(w, (const float *const *)ptr, n)) != OBJR_OK)
            objr__diag_set(diag, st, "", 0, (size_t)-1, "%s: %s", dst,
                           objr_bwf_writer_last_error(w));
        pos += n;
    }
    free(buf);
    free(ptr);
    return st;
}

/* Copy @p src into a new BWF at @p dst (sample format kept), tracks multiplied by gain × env
 * (env NULL: copied unchanged), with chna, the given axml (or the source's), a bext (the
 * source's, with loudness figures when @p loud is set) and the other chunks. */
static objr_status write_bwf(const char *src, const char *dst, double gain,
                             const objr_gain_envelope *env, const char *axml, size_t axml_len,
                             const objr__adm_loudness *loud, objr_diag *diag) {
    objr_bwf *f = NULL;
    objr_bwf_writer *w = NULL;
    objr_status st = objr_bwf_open_file(src, NULL, diag, &f);
    if (st != OBJR_OK)
        return st;
    objr_bwf_format fmt;
    (void)objr_bwf_get_format(f, &fmt);
    objr_bwf_writer_config wc = writer_config_for(&fmt);
    st = objr_bwf_writer_create(dst, &wc, diag, &w);
    if (st == OBJR_OK)
        st = copy_metadata(f, w, axml, axml_len, loud);
    if (st == OBJR_OK)
        st = copy_audio(f, w, fmt.n_channels, src, dst, gain, env, diag);
    if (st == OBJR_OK) {
        st = objr_bwf_writer_close(w, diag);
        w = NULL;
    }
    objr_bwf_writer_abort(w);
    objr_bwf_close(f);
    return st;
}

/* The source's axml with the programme's loudnessMetadata replaced by @p loud and content
 * loudness removed, written through the ADM model. */
static objr_status build_axml(const char *src, const char *programme_id,
                              const objr__adm_loudness *loud, char **out, size_t *out_len,
                              objr_diag *diag) {
    objr_bwf *f = NULL;
    objr_adm *adm = NULL;
    objr_status st = objr_bwf_open_file(src, NULL, diag, &f);
    if (st != OBJR_OK)
        return st;
    const uint8_t *ax = NULL;
    size_t ax_len = 0;
    (void)objr_bwf_get_axml(f, &ax, &ax_len);
    if (!ax || ax_len == 0) {
        /* A chna-only file: no document to annotate; the bext carries the figures. */
        *out = NULL;
        *out_len = 0;
        objr_bwf_close(f);
        return OBJR_OK;
    }
    objr_bwf_close(f);
    /* read again through the library's own path: a long session's axml in place, its blocks
     * spilled, only the reader's bound */
    objr_adm_config cfg = objr_adm_config_default();
    cfg.max_xml_bytes = (size_t)INT32_MAX;
    st = objr_adm_load_file(src, &cfg, &adm, diag);
    if (st != OBJR_OK)
        return st;
    objr__adm_model *m = objr__adm_get_model_mut(adm);
    int32_t prog = -1;
    for (size_t i = 0; i < m->n_programmes; i++)
        if (!programme_id || strcmp(m->programmes[i].id, programme_id) == 0) {
            prog = (int32_t)i;
            break;
        }
    for (size_t i = 0; i < m->n_contents; i++)
        m->contents[i].loudness.n = 0;
    if (prog >= 0) {
        objr__adm_loudness *x = objr__adm_alloc(m, 1, sizeof *x);
        char *method = objr__adm_strdup(m, "ITU-R BS.1770");
        if (!x || !method) {
            objr_adm_destroy(adm);
            return OBJR_ERR_NOMEM;
        }
        *x = *loud;
        x->method = method;
        x->rec_type = NULL;
        x->correction_type = NULL;
        m->programmes[prog].loudness.items = x;
        m->programmes[prog].loudness.n = 1;
    }
    st = objr_adm_write_mem(adm, out, out_len);
    objr_adm_destroy(adm);
    return st;
}

static int same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (strcmp(a, b) == 0)
        return 1;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static objr_status is_bwf(const char *path, objr_diag *diag) {
    objr_status in_ck = objr_input_check(path, diag);
    if (in_ck != OBJR_OK)
        return in_ck;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return objr__diag_set(diag, OBJR_ERR_IO, "", 0, (size_t)-1, "%s: cannot open", path);
    char h[4] = {0};
    size_t n = fread(h, 1, 4, fp);
    fclose(fp);
    if (n == 4 && (!memcmp(h, "RIFF", 4) || !memcmp(h, "RF64", 4) || !memcmp(h, "BW64", 4)))
        return OBJR_OK;
    return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                          "%s: ADM mastering needs an ADM BWF; pack a mix.xml and its stems "
                          "first (admtool pack)",
                          path);
}

/* The limiter settings objr_master_envelope_from_renders() hands to the limiter, checked here
 * so that a bad configuration gets a message rather than a bare status. */
static objr_status check_config(const objr_master_config *cfg, const char *path, objr_diag *diag) {
    const objr_master_target *t = &cfg->target;
    if (!(t->true_peak_dbtp <= 0.0 && t->true_peak_dbtp >= -20.0))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                              "%s: true-peak ceiling %.2f dBTP outside -20..0", path,
                              t->true_peak_dbtp);
    if (t->kind != OBJR_TARGET_NONE && !(t->integrated_lufs >= -60.0 && t->integrated_lufs <= 0.0))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                              "%s: loudness target %.2f LUFS outside -60..0", path,
                              t->integrated_lufs);
    if (!(cfg->lookahead_ms == 0.0 || (cfg->lookahead_ms >= 0.5 && cfg->lookahead_ms <= 50.0)) ||
        !(cfg->release_ms == 0.0 || (cfg->release_ms >= 1.0 && cfg->release_ms <= 5000.0)) ||
        !objr_limiter_style_name(cfg->limiter_style) ||
        !(cfg->limiter_margin_db >= 0.0 && cfg->limiter_margin_db <= 3.0))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                              "%s: limiter look-ahead %.2f ms (0.5..50), release %.1f ms "
                              "(1..5000) or margin %.2f dB (0..3) out of range",
                              path, cfg->lookahead_ms, cfg->release_ms, cfg->limiter_margin_db);
    if (cfg->max_passes < 1 || cfg->max_passes > 8)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                              "%s: max passes %u outside 1..8", path, cfg->max_passes);
    if (cfg->binaural_mode < OBJR_BINAURAL_MODE_DEFAULT ||
        cfg->binaural_mode > OBJR_BINAURAL_MODE_DRY)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                              "%s: binaural mode %d is not an objr_binaural_mode", path,
                              cfg->binaural_mode);
    return OBJR_OK;
}

static objr_status master_adm(adm_master_ctx *c, objr_adm_master_report *report);

objr_status objr_master_adm_file(const objr_master_config *cfg, const char *programme_id,
                                 const char *in_path, const char *out_path,
                                 objr_adm_master_report *report, objr_diag *diag) {
    objr_adm_master_report local;
    if (!report)
        report = &local;
    memset(report, 0, sizeof *report);
    if (!cfg || !in_path || !out_path)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                              "ADM master: %s missing",
                              !cfg       ? "configuration"
                              : !in_path ? "input path"
                                         : "output path");
    if (diag)
        objr_diag_clear(diag);
    if (same_file(in_path, out_path))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                              "%s: output would overwrite the input", out_path);
    objr_status st = is_bwf(in_path, diag);
    if (st != OBJR_OK)
        return st;
    if ((st = check_config(cfg, in_path, diag)) != OBJR_OK)
        return st;

    adm_master_ctx c;
    memset(&c, 0, sizeof c);
    c.cfg = cfg;
    c.programme_id = programme_id;
    c.in_path = in_path;
    c.out_path = out_path;
    c.diag = diag;
    long pid = (long)getpid();
    for (size_t i = 0; i < N_RENDERS; i++)
        if (snprintf(c.in_renders[i], PATH_MAX_LEN, "%s.tmp-in%zu-%ld.wav", out_path, i, pid) >=
                PATH_MAX_LEN ||
            snprintf(c.out_renders[i], PATH_MAX_LEN, "%s.tmp-out%zu-%ld.wav", out_path, i, pid) >=
                PATH_MAX_LEN)
            return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                                  "%s: path too long", out_path);
    if (snprintf(c.mid_path, PATH_MAX_LEN, "%s.tmp-mid-%ld.wav", out_path, pid) >= PATH_MAX_LEN)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1, "%s: path too long",
                              out_path);
    report->n_renders = N_RENDERS;
    for (size_t i = 0; i < N_RENDERS; i++)
        snprintf(report->layouts[i], sizeof report->layouts[i], "%s", render_layouts[i]);
    {
        const char *hp = cfg->hrtf_path ? cfg->hrtf_path : objr__hrtf_default_path();
        if (strlen(hp) < sizeof report->hrtf_path)
            memcpy(report->hrtf_path, hp, strlen(hp) + 1);
        report->binaural_mode =
            cfg->binaural_mode ? cfg->binaural_mode : (int)OBJR_BINAURAL_MODE_MID;
    }

    /* The intermediate renders are scratch files: removed at the end, and by the signal
     * cleanup if the program is interrupted (objr_outfile.h). */
    objr_outset *scratch = NULL;
    if (objr_outset_create(&scratch) != OBJR_OK)
        return objr__diag_set(diag, OBJR_ERR_NOMEM, "", 0, (size_t)-1, "out of memory");
    st = objr_outset_add_scratch(scratch, c.mid_path);
    for (size_t i = 0; i < N_RENDERS && st == OBJR_OK; i++)
        if ((st = objr_outset_add_scratch(scratch, c.in_renders[i])) == OBJR_OK)
            st = objr_outset_add_scratch(scratch, c.out_renders[i]);
    if (st == OBJR_OK)
        st = master_adm(&c, report);
    objr_outset_destroy(scratch);
    if (st != OBJR_OK && diag && !diag->message[0])
        /* A step that returned a status without detail: still one line naming the file. */
        objr__diag_set(diag, st, "", 0, (size_t)-1, "%s: ADM master failed: %s", in_path,
                       objr_strerror(st));
    return st;
}

/* The limiter envelope of render @p i (file @p path, static gain_db) min-combined into @p out.
 * The binaural render is not a memoryless mix of the tracks: besides the HRTFs (a few ms) its
 * room adds coherent early reflections 3 to 37 ms after the direct sound (renderers/
 * binaural_room.c, -4 to -14 dB). A peak there is built from the tracks up to ~40 ms earlier,
 * so its limiter looks that far ahead: the gain is already down when the reflections'
 * sources pass. The loudspeaker renders keep the configured look-ahead. */
static objr_status render_envelope(adm_master_ctx *c, size_t i, const char *path, double gain_db,
                                   objr_gain_envelope *out) {
    objr_master_config mc = *c->cfg;
    if (i == BINAURAL_RENDER && mc.lookahead_ms < BINAURAL_LOOKAHEAD_MS)
        mc.lookahead_ms = BINAURAL_LOOKAHEAD_MS;
    const char *p[1] = {path};
    return objr_master_envelope_from_renders(&mc, p, 1, gain_db, out, c->diag);
}

/* base × refine (refine NULL: base) into *env, replacing it. */
static objr_status combine(const objr_gain_envelope *base, const objr_gain_envelope *refine,
                           size_t n_frames, objr_gain_envelope **env) {
    objr_gain_envelope *e = NULL;
    objr_status st = envelope_product(base, refine, n_frames, &e);
    if (st != OBJR_OK)
        return st;
    objr_gain_envelope_destroy(*env);
    *env = e;
    return OBJR_OK;
}

/* The limiter envelope of the input's re-renders with static gain_db (exact for the renders
 * that are memoryless mixes of the tracks), times the accumulated refinement. */
static objr_status envelope_at(adm_master_ctx *c, double gain_db, const objr_gain_envelope *refine,
                               size_t n_frames, objr_gain_envelope **env) {
    objr_gain_envelope *base = NULL;
    objr_status st = objr_gain_envelope_create(&base);
    if (st != OBJR_OK)
        return st;
    for (size_t i = 0; i < N_RENDERS && st == OBJR_OK; i++)
        st = render_envelope(c, i, c->in_renders[i], gain_db, base);
    if (st == OBJR_OK)
        st = combine(base, refine, n_frames, env);
    objr_gain_envelope_destroy(base);
    return st;
}

/* Frames of the input BWF. */
static objr_status input_frames(const char *in_path, objr_diag *diag, size_t *n_frames) {
    objr_bwf *f = NULL;
    objr_status st = objr_bwf_open_file(in_path, NULL, diag, &f);
    if (st != OBJR_OK)
        return st;
    objr_bwf_format fmt;
    (void)objr_bwf_get_format(f, &fmt);
    *n_frames = (size_t)fmt.n_frames;
    objr_bwf_close(f);
    return OBJR_OK;
}

/* The static gain from the input's measured basis render to the target. */
static objr_status initial_gain(adm_master_ctx *c, const objr_adm_master_report *report,
                                double *gain_db) {
    const objr_master_target *t = &c->cfg->target;
    const double measured = report->before[BASIS_RENDER].integrated_lufs;
    *gain_db = 0.0;
    if (t->kind == OBJR_TARGET_NONE)
        return OBJR_OK;
    if (!isfinite(measured)) {
        if (t->kind == OBJR_TARGET_EXACT)
            return objr__diag_set(c->diag, OBJR_ERR_RANGE, "", 0, (size_t)-1,
                                  "%s: integrated loudness is undefined (silence): cannot "
                                  "normalise to %.1f LUFS",
                                  c->in_path, t->integrated_lufs);
    } else if (t->kind == OBJR_TARGET_EXACT || measured > t->integrated_lufs)
        *gain_db = t->integrated_lufs - measured;
    return OBJR_OK;
}

/* The envelope at *gain_db; for EXACT targets the gain raised (and the envelope redone)
 * until the predicted loudness of the limited basis render meets the target. */
static objr_status envelope_for_target(adm_master_ctx *c, double *gain_db,
                                       const objr_gain_envelope *refine, size_t n_frames,
                                       objr_gain_envelope **env) {
    const objr_master_target *t = &c->cfg->target;
    objr_status st = envelope_at(c, *gain_db, refine, n_frames, env);
    if (st != OBJR_OK || t->kind != OBJR_TARGET_EXACT)
        return st;
    /* Limiting lowers the loudness: raise the gain until the prediction meets it. */
    for (unsigned k = 0; k < 4; k++) {
        double pred;
        if ((st = predict_loudness(c->in_renders[BASIS_RENDER], pow(10.0, *gain_db / 20.0), *env,
                                   &pred, c->diag)) != OBJR_OK)
            return st;
        if (!isfinite(pred) || fabs(pred - t->integrated_lufs) <= 0.03)
            break;
        *gain_db += t->integrated_lufs - pred;
        if ((st = envelope_at(c, *gain_db, refine, n_frames, env)) != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

/* The candidate's re-renders against the ceiling: the report's figures, the worst render
 * and the ones over the ceiling (over[0 .. *n_over)). */
static void judge_candidate(adm_master_ctx *c, objr_adm_master_report *report, unsigned pass,
                            size_t *worst, size_t *over, size_t *n_over) {
    const objr_master_target *t = &c->cfg->target;
    double tp = -HUGE_VAL;
    *n_over = 0;
    for (size_t i = 0; i < N_RENDERS; i++) {
        if (report->after[i].true_peak_dbtp > tp) {
            tp = report->after[i].true_peak_dbtp;
            *worst = i;
        }
        if (report->after[i].true_peak_dbtp > t->true_peak_dbtp)
            over[(*n_over)++] = i;
    }
    report->true_peak_dbtp = tp;
    report->integrated_lufs = report->after[BASIS_RENDER].integrated_lufs;
    report->passes = pass;
    report->true_peak_ok = *n_over == 0;
}

/* Multiply into *refine the limiter envelopes of the re-renders that overshoot (they are
 * the candidate's, gain 0 dB). */
static objr_status refine_on_overs(adm_master_ctx *c, const size_t *over, size_t n_over,
                                   size_t n_frames, objr_gain_envelope **refine) {
    objr_gain_envelope *r = NULL;
    objr_status st = objr_gain_envelope_create(&r);
    if (st != OBJR_OK)
        return st;
    for (size_t i = 0; i < n_over && st == OBJR_OK; i++)
        st = render_envelope(c, over[i], c->out_renders[over[i]], 0.0, r);
    if (st == OBJR_OK) {
        objr_gain_envelope *prod = NULL;
        st = envelope_product(r, *refine, n_frames, &prod);
        if (st == OBJR_OK) {
            objr_gain_envelope_destroy(*refine);
            *refine = prod;
        }
    }
    objr_gain_envelope_destroy(r);
    return st;
}

/* Passes. Envelope = limiter envelope of the input's re-renders at the static gain (exact
 * for the loudspeaker renders, which are memoryless mixes of the tracks) x a refinement
 * accumulated from the candidate's own re-renders: where one of them still overshoots (the
 * binaural render, whose HRTFs and room smear the gain change in time; sample
 * quantisation), the limiter run on that re-render gives a further gain curve that is
 * multiplied in. Gains only go down where a re-render peaks, so the passes converge; EXACT
 * targets re-raise the static gain so the 5.1 prediction stays on it. */
static objr_status limit_passes(adm_master_ctx *c, objr_adm_master_report *report, double gain_db,
                                size_t n_frames) {
    const objr_master_config *cfg = c->cfg;
    objr_gain_envelope *env = NULL, *refine = NULL;
    objr_status st = OBJR_OK;
    size_t worst = 0;
    for (unsigned pass = 1; pass <= cfg->max_passes; pass++) {
        if ((st = envelope_for_target(c, &gain_db, refine, n_frames, &env)) != OBJR_OK)
            break;
        envelope_stats(env, n_frames, &report->max_reduction_db, &report->active_fraction);
        report->gain_db = gain_db;
        report->untouched = gain_db == 0.0 && report->max_reduction_db <= 0.0;
        if ((st = write_bwf(c->in_path, c->mid_path, pow(10.0, gain_db / 20.0),
                            report->untouched ? NULL : env, NULL, 0, NULL, c->diag)) != OBJR_OK ||
            (st = render_all(c, c->mid_path, c->out_renders, NULL)) != OBJR_OK ||
            (st = measure_all(c, c->out_renders, report->after)) != OBJR_OK)
            break;
        size_t over[N_RENDERS], n_over;
        judge_candidate(c, report, pass, &worst, over, &n_over);
        if (report->true_peak_ok || pass == cfg->max_passes)
            break;
        if ((st = refine_on_overs(c, over, n_over, n_frames, &refine)) != OBJR_OK)
            break;
    }
    objr_gain_envelope_destroy(env);
    objr_gain_envelope_destroy(refine);
    if (st == OBJR_OK && !report->true_peak_ok)
        st = objr__diag_set(c->diag, OBJR_ERR_RANGE, "", 0, (size_t)-1,
                            "%s: the %s re-render still reaches %.2f dBTP (ceiling %.1f dBTP) "
                            "after %u limiter passes; allow more passes or a lower ceiling",
                            c->in_path, render_layouts[worst], report->true_peak_dbtp,
                            cfg->target.true_peak_dbtp, cfg->max_passes);
    return st;
}

/* loudnessMetadata measured on the result, then the final file. */
static objr_status write_final(adm_master_ctx *c, const objr_adm_master_report *report) {
    const objr_loudness_result *b = &report->after[BASIS_RENDER];
    objr__adm_loudness loud;
    memset(&loud, 0, sizeof loud);
    if (isfinite(b->integrated_lufs)) {
        loud.integrated_lufs = b->integrated_lufs;
        loud.present |= OBJR__LOUD_INTEGRATED;
    }
    if (isfinite(b->range_lu)) {
        loud.range_lu = b->range_lu;
        loud.present |= OBJR__LOUD_RANGE;
    }
    if (isfinite(report->true_peak_dbtp)) {
        loud.max_true_peak_dbtp = report->true_peak_dbtp;
        loud.present |= OBJR__LOUD_TRUE_PEAK;
    }
    if (isfinite(b->momentary_max_lufs)) {
        loud.max_momentary_lufs = b->momentary_max_lufs;
        loud.present |= OBJR__LOUD_MOMENTARY;
    }
    if (isfinite(b->short_term_max_lufs)) {
        loud.max_short_term_lufs = b->short_term_max_lufs;
        loud.present |= OBJR__LOUD_SHORT_TERM;
    }
    char *axml = NULL;
    size_t axml_len = 0;
    objr_status st = build_axml(c->mid_path, c->programme_id, &loud, &axml, &axml_len, c->diag);
    if (st == OBJR_OK)
        st = write_bwf(c->mid_path, c->out_path, 1.0, NULL, axml, axml_len, &loud, c->diag);
    free(axml);
    return st;
}

/* Re-render and measure the input -> the static gain -> limiter passes until every
 * re-render is under the ceiling -> judge the loudness -> the final file. */
static objr_status master_adm(adm_master_ctx *c, objr_adm_master_report *report) {
    const objr_master_target *t = &c->cfg->target;
    size_t n_frames = 0;
    double gain_db = 0.0;
    objr_status st = input_frames(c->in_path, c->diag, &n_frames);
    /* 1. Re-render the input once (all layouts in one pass over the file) and measure. */
    if (st == OBJR_OK && (st = render_all(c, c->in_path, c->in_renders, report)) == OBJR_OK &&
        (st = measure_all(c, c->in_renders, report->before)) == OBJR_OK)
        st = initial_gain(c, report, &gain_db);
    /* 2. The limiter passes. */
    if (st == OBJR_OK)
        st = limit_passes(c, report, gain_db, n_frames);
    if (st != OBJR_OK)
        return st;
    const double I = report->integrated_lufs;
    if (t->kind == OBJR_TARGET_EXACT)
        report->loudness_ok = isfinite(I) && fabs(I - t->integrated_lufs) <= 0.1;
    else if (t->kind == OBJR_TARGET_AT_MOST)
        report->loudness_ok = !isfinite(I) || I <= t->integrated_lufs + 0.05;
    else
        report->loudness_ok = 1;
    /* 3. loudnessMetadata measured on the result, then the final file. */
    return write_final(c, report);
}
