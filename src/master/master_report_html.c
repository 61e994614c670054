/* SPDX-License-Identifier: BSD-3-Clause */
/* The mastering report as one self-contained HTML page: the deliveries' figures, and per
 * master its short-term loudness over time (ITU-R BS.1770-4, EBU Tech 3341 3 s window) before
 * and after, with the target, above the limiter's gain reduction on the same time axis. */
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <string.h>

#include "objrender/objr_master.h"
#include "src/core/core.h"
#include "src/core/html_plot.h"
#include "src/core/outfile.h"
#include "src/master/truepeak.h"

/* Short-term loudness and true peak (the deepest of each hop; linked over the channels,
 * BS.1770-4 Annex 2 with objrender's 8x detector) every OBJR_MASTER_HTML_HOP_S of a file,
 * plus the offset. */
typedef struct st_curve {
    double *lufs, *peak_db;
    size_t n;
    double hop_s, duration_s;
} st_curve;

static objr_loudness_meter *curve_meter(const objr_master_report *r, const SF_INFO *info) {
    objr_loudness_config lc = objr_loudness_config_default();
    lc.rate_hz = (double)info->samplerate;
    lc.n_channels = (unsigned)info->channels;
    lc.weights = (unsigned)info->channels == r->n_channels ? r->weights : NULL;
    lc.true_peak = 0;
    objr_loudness_meter *m = NULL;
    return objr_loudness_meter_create(&lc, &m) == OBJR_OK ? m : NULL;
}

static objr_status grow(st_curve *c, size_t *cap) {
    size_t n = *cap ? 2 * *cap : 1024;
    double *p = objr__realloc_array(c->lufs, n, sizeof *p);
    if (p)
        c->lufs = p;
    double *q = p ? objr__realloc_array(c->peak_db, n, sizeof *q) : NULL;
    if (!q)
        return OBJR_ERR_NOMEM;
    c->peak_db = q;
    *cap = n;
    return OBJR_OK;
}

/* The hop's true peak (dB) from the detector's per-frame linked peaks. */
static double hop_peak_db(const float *linked, size_t n) {
    float m = 0.0f;
    for (size_t i = 0; i < n; i++)
        m = linked[i] > m ? linked[i] : m;
    return m > 0.0f ? 20.0 * log10((double)m) : -HUGE_VAL;
}

static void curve_free(st_curve *c) {
    objr__freep(&c->lufs);
    objr__freep(&c->peak_db);
}

/* Read @p path (@p shown names it in messages) once, polling the meter after every hop. */
static objr_status read_curve(const char *path, const char *shown, const objr_master_report *r,
                              double offset_db, st_curve *c, objr_diag *diag) {
    SF_INFO info;
    memset(&info, 0, sizeof info);
    memset(c, 0, sizeof *c);
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf)
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot read: %s", shown,
                              sf_strerror(NULL));
    size_t hop = (size_t)lround((double)info.samplerate * OBJR_MASTER_HTML_HOP_S);
    size_t cap = 0; /* grown as read: a decoder's frame count may be an estimate */
    objr_loudness_meter *m = info.channels > 0 && hop ? curve_meter(r, &info) : NULL;
    float *buf = objr__calloc(hop * (size_t)(info.channels > 0 ? info.channels : 1), sizeof *buf);
    float *linked = objr__calloc(hop ? hop : 1, sizeof *linked);
    objr__tp *tp = NULL;
    objr_status st = !buf || !linked ? OBJR_ERR_NOMEM : !m ? OBJR_ERR_FORMAT : OBJR_OK;
    if (st == OBJR_OK)
        st = objr__tp_create((unsigned)info.channels, (double)info.samplerate, &tp);
    size_t frames = 0;
    while (st == OBJR_OK) {
        sf_count_t got = sf_readf_float(sf, buf, (sf_count_t)hop);
        if (got <= 0)
            break;
        frames += (size_t)got;
        st = objr_loudness_meter_add_interleaved_f32(m, buf, (size_t)got);
        if (st == OBJR_OK && c->n == cap)
            st = grow(c, &cap);
        if (st == OBJR_OK)
            objr__tp_process_interleaved(tp, buf, (size_t)got, linked);
        double mom, s;
        if (st == OBJR_OK && (size_t)got == hop &&
            objr_loudness_meter_get_current(m, &mom, &s) == OBJR_OK) {
            c->peak_db[c->n] = hop_peak_db(linked, hop) + offset_db;
            c->lufs[c->n++] = isfinite(s) ? s + offset_db : -HUGE_VAL;
        }
    }
    if (st == OBJR_ERR_RANGE)
        objr__diag_set(diag, st, NULL, 0, (size_t)-1, "%s: a sample is NaN or infinite", shown);
    else if (st == OBJR_ERR_FORMAT)
        objr__diag_set(diag, st, NULL, 0, (size_t)-1, "%s: cannot be metered (%d channels, %d Hz)",
                       shown, info.channels, info.samplerate);
    else if (st != OBJR_OK)
        objr__diag_set(diag, st, NULL, 0, (size_t)-1, "%s: out of memory", shown);
    c->hop_s = hop ? (double)hop / (double)info.samplerate : OBJR_MASTER_HTML_HOP_S;
    c->duration_s = info.samplerate > 0 ? (double)frames / (double)info.samplerate : 0.0;
    objr_loudness_meter_destroy(m);
    objr__tp_destroy(tp);
    objr__freep(&buf);
    objr__freep(&linked);
    sf_close(sf);
    if (st != OBJR_OK)
        curve_free(c);
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* Text                                                                                      */

static void num(FILE *f, const char *fmt, double v) {
    if (isfinite(v))
        fprintf(f, fmt, v);
    else
        fputs(isnan(v) ? "n/a" : v < 0 ? "-inf" : "+inf", f);
}

/* A table cell with a key for readers of the page (tests, scripts). */
static void cell(FILE *f, const char *key, const char *fmt, double v) {
    fprintf(f, "<td data-k=\"%s\">", key);
    num(f, fmt, v);
    fputs("</td>", f);
}

static const char *label_of(const objr_master_delivery *d) {
    const char *p = d->label ? d->label : d->out_path;
    const char *s = d->label ? NULL : strrchr(p, '/');
    return s ? s + 1 : p;
}

static const char *kind_name(objr_target_kind k) {
    return k == OBJR_TARGET_EXACT ? "exactly" : k == OBJR_TARGET_AT_MOST ? "at most" : "none";
}

static const char *format_name(objr_master_format f) {
    static const char *const names[] = {"WAV", "FLAC", "MP3", "Opus", "ALAC (CAF)"};
    return (unsigned)f < 5 ? names[f] : "?";
}

static void html_head(FILE *f, size_t n, const objr_master_album_report *album) {
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
            "<title>objrender report</title><style>%s</style></head><body>\n",
            objr__html_css());
    fprintf(f,
            "<h1>Mastering report</h1><p>%zu deliver%s. Loudness per ITU-R BS.1770-4 "
            "(EBU R 128), true peak with objrender's 8x meter; the curves below were "
            "measured for this page by reading every input and master once more.</p>\n",
            n, n == 1 ? "y" : "ies");
    if (!album)
        return;
    fprintf(f, "<p id=\"album\">Album (all tracks as one programme): integrated ");
    num(f, "%.2f", album->before.integrated_lufs);
    fputs(" &rarr; ", f);
    num(f, "%.2f", album->after.integrated_lufs);
    fprintf(f,
            " LUFS with one gain of %+.2f dB on every track (%u pass%s); loudness "
            "<span class=\"badge %s\">%s</span></p>\n",
            album->gain_db, album->passes, album->passes == 1 ? "" : "es",
            album->loudness_ok ? "pass" : "fail", album->loudness_ok ? "PASS" : "FAIL");
}

/* The deepest true peak of the checked codec decodes, -inf when none was checked. */
static double codec_worst_tp(const objr_codec_report *c) {
    double w = -HUGE_VAL;
    for (unsigned k = 0; k < c->n_results && k < OBJR_CODEC_COUNT; k++)
        if (c->results[k].checked && c->results[k].true_peak_dbtp > w)
            w = c->results[k].true_peak_dbtp;
    return w;
}

static void html_row(FILE *f, size_t i, const objr_master_delivery *d) {
    const objr_master_report *r = d->report;
    const objr_master_config *c = d->cfg;
    const objr_master_target *t = &c->target;
    int ok = r->loudness_ok && r->true_peak_ok && r->lra_ok && !r->unreachable;
    fprintf(f, "<tr id=\"delivery-%zu\" class=\"%s\"><td class=\"l\"><a href=\"#master-%zu\">", i,
            ok ? "pass" : "fail", i);
    objr__html_text(f, label_of(d));
    fprintf(f, "</a></td><td class=\"l\">%s %u%s, %.0f Hz</td><td class=\"l\">",
            format_name(c->format), c->bit_depth, c->bit_depth == 32 ? "f" : "", r->out_rate_hz);
    objr__html_text(f, t->name);
    fprintf(f, ": %s ", kind_name(t->kind));
    num(f, "%.1f", t->kind == OBJR_TARGET_NONE ? NAN : t->integrated_lufs);
    fprintf(f, " LUFS, &le; %.1f dBTP</td>", t->true_peak_dbtp);
    cell(f, "i_before", "%.2f", r->before.integrated_lufs);
    cell(f, "i_after", "%.2f", r->after.integrated_lufs);
    cell(f, "lra_before", "%.1f", r->before.range_lu);
    cell(f, "lra_after", "%.1f", r->after.range_lu);
    cell(f, "tp_before", "%.2f", r->before.true_peak_dbtp);
    cell(f, "tp_after", "%.2f", r->after.true_peak_dbtp);
    cell(f, "gain_db", "%+.2f", r->gain_db);
    fprintf(f, "<td class=\"l\" data-k=\"style\">%s</td>",
            objr_limiter_style_name(c->limiter_style) ? objr_limiter_style_name(c->limiter_style)
                                                      : "?");
    cell(f, "gr_max_db", "%.2f", r->limiter.max_reduction_db);
    cell(f, "gr_over_1db_percent", "%.1f", 100.0 * r->limiter.over_1db_fraction);
    fprintf(f, "<td data-k=\"passes\">%u (%s)</td>", r->passes,
            r->passes > 1 ? "second pass: yes" : "second pass: no");
    if (r->codec.n_results)
        cell(f, "codec_tp_max", "%.2f", codec_worst_tp(&r->codec));
    else
        fputs("<td data-k=\"codec_tp_max\">not checked</td>", f);
    fprintf(f, "<td class=\"l\" data-k=\"verdict\">loudness %s, true peak %s%s%s</td></tr>\n",
            r->loudness_ok ? "PASS" : "FAIL", r->true_peak_ok ? "PASS" : "FAIL",
            t->lra_max_lu > 0 ? (r->lra_ok ? ", LRA PASS" : ", LRA FAIL") : "",
            r->unreachable ? " (unreachable)" : "");
}

static void html_table(FILE *f, const objr_master_delivery *d, size_t n) {
    fputs("<h2>Deliveries</h2><table id=\"deliveries\"><tr><th>master</th><th>format</th>"
          "<th>target</th><th>I before LUFS</th><th>I after LUFS</th><th>LRA before LU</th>"
          "<th>LRA after LU</th><th>TP before dBTP</th><th>TP after dBTP</th><th>gain dB</th>"
          "<th>limiter</th><th>GR max dB</th><th>GR &gt; 1 dB %</th><th>passes</th>"
          "<th>codec TP max dBTP</th><th>verdict</th></tr>\n",
          f);
    for (size_t i = 0; i < n; i++)
        html_row(f, i, &d[i]);
    fputs("</table>\n", f);
}

/* The codec check of one master: each codec's decode. */
static void html_codecs(FILE *f, size_t i, const objr_codec_report *c) {
    if (!c->n_results)
        return;
    fprintf(f,
            "<table id=\"codecs-%zu\"><tr><th>codec</th><th>encoder</th><th>kbps</th>"
            "<th>decode TP dBTP</th><th>decode I LUFS</th><th>verdict</th></tr>\n",
            i);
    for (unsigned k = 0; k < c->n_results && k < OBJR_CODEC_COUNT; k++) {
        const objr_codec_result *x = &c->results[k];
        const char *name = objr_codec_name(x->codec);
        fprintf(f, "<tr class=\"%s\"><td class=\"l\">%s</td><td class=\"l\">",
                !x->checked       ? "warn"
                : x->over_ceiling ? "fail"
                                  : "pass",
                name ? name : "?");
        objr__html_text(f, x->checked ? x->encoder : x->note);
        fputs("</td>", f);
        cell(f, "kbps", "%.0f", x->checked ? x->real_kbps : NAN);
        cell(f, "codec_tp", "%.2f", x->checked ? x->true_peak_dbtp : NAN);
        cell(f, "codec_i", "%.2f", x->checked ? x->integrated_lufs : NAN);
        fprintf(f, "<td class=\"l\">%s</td></tr>\n",
                !x->checked       ? "skipped"
                : x->over_ceiling ? "over the ceiling"
                                  : "under the ceiling");
    }
    fprintf(f,
            "</table><p>Ceiling %.1f dBTP; the master was limited to %.1f dBTP (%u codec-safe "
            "re-master%s).</p>\n",
            c->ceiling_dbtp, c->limiter_ceiling_dbtp, c->remasters, c->remasters == 1 ? "" : "s");
}

/* ---------------------------------------------------------------------------------------- */
/* Plots                                                                                     */

/* Tolerance band drawn around an exact target: EBU R 128's ±1 LU (where exact normalisation is
 * not practical); the master itself is held to ±0.1 LU (the table's verdict). */
#define BAND_LU 1.0
/* Span of the loudness plot's y axis (LU) and its grid step. */
#define LOUDNESS_SPAN_LU 36.0
#define LOUDNESS_STEP_LU 6.0

static double curve_max(const st_curve *c) {
    double m = -HUGE_VAL;
    for (size_t i = 0; i < c->n; i++)
        if (c->lufs[i] > m)
            m = c->lufs[i];
    return m;
}

/* Legend of @p n series drawn in palette colours first_colour, first_colour + 1, ... */
static void legend(FILE *f, const char *const *names, size_t n, size_t first_colour) {
    fputs("<div class=\"legend\">", f);
    for (size_t k = 0; k < n; k++)
        fprintf(f, "<span><i style=\"background:%s\"></i>%s</span>",
                objr__plot_colour(first_colour + k), names[k]);
    fputs("</div>", f);
}

static void plot_loudness(FILE *f, size_t i, const objr_master_delivery *d, const st_curve *in,
                          const st_curve *out, double dur) {
    const objr_master_target *t = &d->cfg->target;
    double top = fmax(curve_max(in), curve_max(out));
    if (t->kind != OBJR_TARGET_NONE)
        top = fmax(top, t->integrated_lufs + BAND_LU);
    if (!isfinite(top))
        top = -LOUDNESS_STEP_LU;
    double yhi = ceil((top + 3.0) / LOUDNESS_STEP_LU) * LOUDNESS_STEP_LU;
    const objr__plot_axes ax = {
        0, dur, yhi - LOUDNESS_SPAN_LU, yhi, LOUDNESS_STEP_LU, "time (s)", "LUFS", NULL, 0, 0};
    char id[48];
    snprintf(id, sizeof id, "plot-loudness-%zu", i);
    objr__plot_open(f, id,
                    "Short-term loudness (3 s window, every 100 ms): the input after the "
                    "static gain, and the master");
    objr__plot_draw_axes(f, &ax);
    objr__plot_series(f, in->lufs, in->n, in->hop_s, in->hop_s, &ax, objr__plot_colour(0),
                      "input + gain");
    objr__plot_series(f, out->lufs, out->n, out->hop_s, out->hop_s, &ax, objr__plot_colour(1),
                      "master");
    if (t->kind == OBJR_TARGET_EXACT) { /* the band shaded: lines 1 LU apart crowd labels */
        double y0 = objr__plot_y(t->integrated_lufs + BAND_LU, ax.ylo, ax.yhi),
               y1 = objr__plot_y(t->integrated_lufs - BAND_LU, ax.ylo, ax.yhi);
        fprintf(f,
                "<rect class=\"band\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"#555\" fill-opacity=\"0.08\"/>",
                OBJR__PLOT_ML, y0, OBJR__PLOT_W - OBJR__PLOT_ML - OBJR__PLOT_MR, y1 - y0);
    }
    if (t->kind != OBJR_TARGET_NONE)
        objr__plot_hline(f, &ax, t->integrated_lufs,
                         t->kind == OBJR_TARGET_EXACT ? "integrated target (shaded: &plusmn;1 LU)"
                                                      : "integrated at most",
                         "6 3");
    fputs("</svg>", f);
    static const char *const names[] = {"input + gain", "master"};
    legend(f, names, 2, 0);
    fputs("</figure>\n", f);
}

/* Span and grid step of the true-peak plot's y axis (dB). */
#define PEAK_SPAN_DB 24.0
#define PEAK_STEP_DB 3.0

/* Step of the gain-reduction axis for a depth of @p depth dB. */
static double gr_step(double depth) {
    return depth <= 2 ? 0.5 : depth <= 6 ? 1 : depth <= 12 ? 2 : depth <= 30 ? 5 : 10;
}

static void plot_gain_reduction(FILE *f, size_t i, const objr_master_delivery *d, double dur) {
    const objr_master_report *r = d->report;
    double deepest = 0, v[OBJR_MASTER_GR_POINTS];
    size_t n = r->n_gr_points < OBJR_MASTER_GR_POINTS ? r->n_gr_points : OBJR_MASTER_GR_POINTS;
    for (size_t k = 0; k < n; k++) {
        v[k] = -(double)r->gr_history_db[k];
        deepest = fmax(deepest, (double)r->gr_history_db[k]);
    }
    /* at least 1 dB deep, so the 1 dB line (the table's "GR > 1 dB") is always on the plot */
    double step = gr_step(deepest), ylo = -fmax(1.0, ceil(deepest * 1.1 / step) * step);
    const objr__plot_axes ax = {0,    dur, ylo, 0, step, "time (s)", "gain reduction (dB)",
                                NULL, 0,   0};
    char id[48];
    snprintf(id, sizeof id, "plot-gr-%zu", i);
    const char *style = objr_limiter_style_name(d->cfg->limiter_style);
    char title[160];
    snprintf(title, sizeof title,
             "Limiter gain reduction, dB (%s style, ceiling %.1f dBTP; the deepest in each "
             "%.0f ms)",
             style ? style : "?", d->cfg->target.true_peak_dbtp, 1000.0 * r->gr_point_seconds);
    objr__plot_open(f, id, title);
    /* the scale, for readers that map the drawing back to dB */
    fprintf(f, "<g class=\"scale\" data-ylo=\"%g\" data-yhi=\"0\" data-point-seconds=\"%g\"/>", ylo,
            r->gr_point_seconds);
    objr__plot_draw_axes(f, &ax);
    objr__plot_series(f, v, n, 0.5 * r->gr_point_seconds, r->gr_point_seconds, &ax,
                      objr__plot_colour(2), "gain reduction");
    objr__plot_hline(f, &ax, -1.0, "", "2 4");
    fputs("</svg>", f);
    static const char *const names[] = {"gain reduction"};
    legend(f, names, 1, 2);
    fputs("</figure>\n", f);
}

static double peak_max(const st_curve *c) {
    double m = -HUGE_VAL;
    for (size_t i = 0; i < c->n; i++)
        m = fmax(m, c->peak_db[i]);
    return m;
}

/* True peak per hop of the input after the gain and of the master, with the ceiling. */
static void plot_peaks(FILE *f, size_t i, const objr_master_delivery *d, const st_curve *in,
                       const st_curve *out, double dur) {
    double ceiling = d->cfg->target.true_peak_dbtp;
    double top = fmax(fmax(peak_max(in), peak_max(out)), ceiling);
    double yhi = ceil((isfinite(top) ? top : 0.0) / PEAK_STEP_DB + 0.5) * PEAK_STEP_DB;
    const objr__plot_axes ax = {
        0, dur, yhi - PEAK_SPAN_DB, yhi, PEAK_STEP_DB, "time (s)", "dBTP", NULL, 0, 0};
    char id[48];
    snprintf(id, sizeof id, "plot-peak-%zu", i);
    objr__plot_open(f, id,
                    "True peak in each 100 ms (8x oversampled, the loudest channel): "
                    "the input after the static gain, and the master");
    fprintf(f, "<g class=\"scale\" data-ylo=\"%g\" data-yhi=\"%g\"/>", ax.ylo, ax.yhi);
    objr__plot_draw_axes(f, &ax);
    objr__plot_series(f, in->peak_db, in->n, in->hop_s, in->hop_s, &ax, objr__plot_colour(0),
                      "input + gain");
    objr__plot_series(f, out->peak_db, out->n, out->hop_s, out->hop_s, &ax, objr__plot_colour(1),
                      "master");
    objr__plot_hline(f, &ax, ceiling, "ceiling", "6 3");
    fputs("</svg>", f);
    static const char *const names[] = {"input + gain", "master"};
    legend(f, names, 2, 0);
    fputs("</figure>\n", f);
}

/* The file to read for a master: its temporary file while it is an uncommitted output of
 * @p set. */
static const char *readable(objr_outset *set, const char *path) {
    FILE *fp = set ? objr__outset_find(set, path) : NULL;
    const char *tmp = fp ? objr__outset_temp_path(set, fp) : NULL;
    return tmp ? tmp : path;
}

static objr_status html_delivery(FILE *f, objr_outset *set, size_t i, const objr_master_delivery *d,
                                 objr_diag *diag) {
    const objr_master_report *r = d->report;
    st_curve in, out;
    objr_status st = read_curve(d->in_path, d->in_path, r, r->gain_db, &in, diag);
    if (st != OBJR_OK)
        return st;
    st = read_curve(readable(set, d->out_path), d->out_path, r, 0.0, &out, diag);
    if (st != OBJR_OK) {
        curve_free(&in);
        return st;
    }
    double dur =
        fmax(fmax(in.duration_s, out.duration_s), (double)r->n_gr_points * r->gr_point_seconds);
    fprintf(f, "<h2 id=\"master-%zu\">", i);
    objr__html_text(f, label_of(d));
    fputs("</h2><p>", f);
    objr__html_text(f, d->in_label ? d->in_label : d->in_path);
    fputs(" &rarr; ", f);
    objr__html_text(f, d->out_path);
    fprintf(f, " &middot; %u channels &middot; %.2f s</p>\n", r->n_channels, out.duration_s);
    plot_loudness(f, i, d, &in, &out, dur > 0 ? dur : 1.0);
    plot_gain_reduction(f, i, d, dur > 0 ? dur : 1.0);
    plot_peaks(f, i, d, &in, &out, dur > 0 ? dur : 1.0);
    html_codecs(f, i, &r->codec);
    curve_free(&in);
    curve_free(&out);
    return OBJR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Entry point                                                                               */

/* Open the page in @p set (or in a set of its own, *own), the inputs and masters recorded as
 * files it must not replace. */
static objr_status page_open(objr_outset *set, objr_outset **own, const char *path,
                             const objr_master_delivery *d, size_t n, FILE **f, objr_diag *diag) {
    *own = NULL;
    *f = NULL;
    if (!set) {
        if (objr_outset_create(own) != OBJR_OK)
            return objr__diag_set(diag, OBJR_ERR_NOMEM, NULL, 0, (size_t)-1, "%s: out of memory",
                                  path);
        set = *own;
    }
    objr_status st = OBJR_OK;
    for (size_t i = 0; i < n && st == OBJR_OK; i++) {
        st = objr_outset_add_input(set, d[i].in_path, diag);
        if (st == OBJR_OK && !objr__outset_find(set, d[i].out_path))
            st = objr_outset_add_input(set, d[i].out_path, diag);
    }
    if (st == OBJR_OK)
        st = objr_outset_open(set, path, diag, f);
    if (st != OBJR_OK) {
        objr_outset_destroy(*own);
        *own = NULL;
        *f = NULL;
    }
    return st;
}

objr_status objr_master_report_write_html(objr_outset *set, const char *path,
                                          const objr_master_delivery *deliveries, size_t n,
                                          const objr_master_album_report *album, objr_diag *diag) {
    if (!path || !deliveries || !n)
        return OBJR_ERR_INVALID_ARG;
    for (size_t i = 0; i < n; i++)
        if (!deliveries[i].report || !deliveries[i].cfg || !deliveries[i].in_path ||
            !deliveries[i].out_path)
            return OBJR_ERR_INVALID_ARG;
    objr_outset *own = NULL;
    FILE *f = NULL;
    objr_status st = page_open(set, &own, path, deliveries, n, &f, diag);
    if (st != OBJR_OK)
        return st;
    html_head(f, n, album);
    html_table(f, deliveries, n);
    for (size_t i = 0; i < n && st == OBJR_OK; i++)
        st = html_delivery(f, own ? own : set, i, &deliveries[i], diag);
    fprintf(f, "<script>%s</script>\n</body></html>\n", objr__html_plot_check_script());
    if (st == OBJR_OK && ferror(f))
        st = objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: write failed", path);
    if (st != OBJR_OK)
        objr__outset_drop(own ? own : set, f);
    else if (own)
        st = objr_outset_commit(own, diag);
    objr_outset_destroy(own);
    return st;
}
