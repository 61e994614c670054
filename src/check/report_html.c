/* SPDX-License-Identifier: BSD-3-Clause */
/* report.html: one self-contained page (inline SVG plots, no network, a small script that
 * checks its own plots). */
#include "src/check/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr_check.h"
#include "src/check/checks.h"
#include "src/core/html_plot.h"
#include "src/core/outfile.h"

/* ---------------------------------------------------------------------------------------- */
/* HTML                                                                                      */

static void svg_legend(FILE *f, const objr_check_report *r, int stereo_only) {
    fprintf(f, "<div class=\"legend\">");
    for (size_t k = 0; k < r->n_renders; k++) {
        if (stereo_only && !r->renders[k].is_stereo)
            continue;
        fprintf(f, "<span><i style=\"background:%s\"></i>", objr__plot_colour(k));
        objr__html_text(f, r->renders[k].name);
        fprintf(f, "</span>");
    }
    fprintf(f, "</div>");
}

/* Views with more objects than this keep their labels in the tooltips only. */
#define MAX_LABELLED 40

static void svg_view(FILE *f, const objr_check_report *r, int side) {
    /* top view: x right, y front (up on the page); side view: y front (left on the page), z up */
    const double W = 360, H = 300, cx = W / 2, cy = H / 2, s = 110;
    fprintf(f,
            "<figure><figcaption>%s</figcaption><svg class=\"plot\" id=\"%s\" "
            "xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\"><rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" "
            "fill=\"#fff\"/>\n",
            side ? "Side view (front to the left, up is up)" : "Top view (front is up)",
            side ? "plot-side" : "plot-top", W, H, W, H, W, H);
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
            "stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>",
            cx - s, cy - s, 2 * s, 2 * s);
    fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#444\"/>", cx, cy);
    for (size_t i = 0; i < r->n_speakers; i++) {
        const double *p = r->speakers[i];
        if (strncmp(r->speaker_labels[i], "LFE", 3) == 0)
            continue;
        double px = side ? cx - p[1] * s : cx + p[0] * s, py = side ? cy - p[2] * s : cy - p[1] * s;
        fprintf(f,
                "<rect class=\"speaker\" x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" "
                "fill=\"%s\" stroke=\"#333\"><title>%s</title></rect>",
                px - 5, py - 5, p[2] > 0.1 ? "#cfd8dc" : "#90a4ae", r->speaker_labels[i]);
    }
    for (size_t o = 0; o < r->n_objects; o++) {
        const objr__check_object *O = &r->objects[o];
        const char *col = objr__plot_colour(o + 3);
        if (O->n_pos > 1 && !O->multi_channel) {
            fprintf(f,
                    "<path class=\"trajectory\" fill=\"none\" stroke=\"%s\" stroke-width=\"1\" "
                    "stroke-opacity=\"0.6\" d=\"",
                    col);
            for (size_t p = 0; p < O->n_pos; p++) {
                const double *q = O->pos[p];
                fprintf(f, "%s%.1f %.1f", p ? " L" : "M", side ? cx - q[1] * s : cx + q[0] * s,
                        side ? cy - q[2] * s : cy - q[1] * s);
            }
            fprintf(f, "\"/>");
        }
        for (size_t p = 0; p < O->n_pos; p++) {
            const double *q = O->pos[p];
            fprintf(f,
                    "<circle class=\"object\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\">"
                    "<title>",
                    side ? cx - q[1] * s : cx + q[0] * s, side ? cy - q[2] * s : cy - q[1] * s,
                    col);
            objr__html_text(f, O->id);
            fputc(' ', f);
            objr__html_text(f, O->name);
            fprintf(f, "</title></circle>");
        }
        if (O->n_pos && r->n_objects <= MAX_LABELLED) { /* a label at its first position */
            const double *q = O->pos[0];
            fprintf(f, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" font-size=\"9\" fill=\"%s\">",
                    (side ? cx - q[1] * s : cx + q[0] * s) + 5,
                    (side ? cy - q[2] * s : cy - q[1] * s) - 5, col);
            objr__html_text(f, O->name[0] ? O->name : O->id);
            fprintf(f, "</text>");
        }
    }
    fprintf(f, "</svg></figure>\n");
}

static void svg_objects(FILE *f, const objr_check_report *r) {
    const double cw = 110, rh = 22, lw = 240;
    double W = lw + cw * (double)(r->n_renders > 1 ? r->n_renders - 1 : 1) + 10;
    double H = 30 + rh * (double)(r->n_objects ? r->n_objects : 1) + 10;
    fprintf(f,
            "<figure><figcaption>Per-object level in each render relative to the 7.1.4 "
            "reference (dB, from each object's signal and the renderer's gains; binaural: the "
            "first objects rendered alone). Colours: green within &plusmn;%.0f dB; amber/red "
            "quieter by more than %.0f/%.0f dB; light/deep blue louder by more than %.0f/%.0f "
            "dB</figcaption><svg class=\"plot\" "
            "id=\"plot-objects\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" "
            "font-size=\"11\"><rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" "
            "fill=\"#fff\"/>\n",
            r->th.object_drop_warn_db, r->th.object_drop_warn_db, r->th.object_drop_fail_db,
            r->th.object_drop_warn_db, r->th.object_drop_fail_db, W, H, W, H, W, H);
    for (size_t k = 1; k < r->n_renders; k++) {
        fprintf(f, "<text x=\"%.1f\" y=\"18\" text-anchor=\"middle\">",
                lw + cw * (double)(k - 1) + cw / 2);
        objr__html_text(f, r->renders[k].name);
        fprintf(f, "</text>");
    }
    if (!r->n_objects)
        fprintf(f, "<text x=\"10\" y=\"50\">no objects measured</text>");
    for (size_t o = 0; o < r->n_objects; o++) {
        const objr__check_object *O = &r->objects[o];
        double y = 30 + rh * (double)o;
        fprintf(f, "<text x=\"6\" y=\"%.1f\">", y + 15);
        objr__html_text(f, O->id);
        fputc(' ', f);
        objr__html_text(f, O->name);
        fprintf(f, "</text>");
        for (size_t k = 1; k < r->n_renders; k++) {
            double d = O->delta_db[k];
            /* quieter: amber then red; louder: light then deep blue; within: green */
            const char *col = !isfinite(O->level_lufs[0]) || isnan(d) ? "#eeeeee"
                              : -d > r->th.object_drop_fail_db        ? "#e57373"
                              : -d > r->th.object_drop_warn_db        ? "#ffd54f"
                              : d > r->th.object_drop_fail_db         ? "#1e88e5"
                              : d > r->th.object_drop_warn_db         ? "#90caf9"
                                                                      : "#a5d6a7";
            char txt[32];
            objr__report_fmt_num(txt, sizeof txt, "%+.1f", isfinite(O->level_lufs[0]) ? d : NAN);
            fprintf(f,
                    "<rect class=\"cell\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    "fill=\"%s\" stroke=\"#fff\"/><text x=\"%.1f\" y=\"%.1f\" "
                    "text-anchor=\"middle\">%s</text>",
                    lw + cw * (double)(k - 1), y, cw, rh, col, lw + cw * (double)(k - 1) + cw / 2,
                    y + 15, txt);
        }
    }
    fprintf(f, "</svg></figure>\n");
}

/* Dashed target lines on a loudness plot: the 7.1.4 reference's integrated
 * loudness and the loudness-delta warn band around it. */
static void svg_targets(FILE *f, const objr_check_report *r, const objr__plot_axes *a) {
    double ref = r->n_renders ? r->renders[0].integrated_lufs : NAN;
    if (!isfinite(ref))
        return;
    const double lv[3] = {ref, ref + r->th.loudness_delta_warn_lu,
                          ref - r->th.loudness_delta_warn_lu};
    for (int i = 0; i < 3; i++)
        if (lv[i] >= a->ylo && lv[i] <= a->yhi)
            objr__plot_hline(f, a, lv[i], i ? "&plusmn; warn" : "7.1.4 integrated",
                             i ? "2 4" : "6 3");
}

/* Share of the programme's short-term (3 s) loudness values in each 1 LU bin, per render. */
static void svg_st_histogram(FILE *f, const objr_check_report *r) {
    enum { LO = -60, HI = 0, NB = HI - LO };
    objr__plot_open(f, "plot-st-histogram",
                    "Short-term loudness histogram (share of time per 1 LU)");
    double top = 1.0, h[NB];
    for (size_t k = 0; k < r->n_renders; k++) {
        const objr__check_render *R = &r->renders[k];
        memset(h, 0, sizeof h);
        size_t n = 0;
        for (size_t i = 0; i < R->n_st; i++)
            if (R->st[i] >= LO && R->st[i] < HI) {
                h[(int)floor(R->st[i] - LO)] += 1.0;
                n++;
            }
        for (int b = 0; b < NB && n; b++)
            top = fmax(top, 100.0 * h[b] / (double)n);
    }
    top = ceil(top / 10.0) * 10.0;
    const objr__plot_axes ax = {LO,          HI,   0, top, 10, "short-term loudness (LUFS)",
                                "% of time", NULL, 0, 0};
    objr__plot_draw_axes(f, &ax);
    for (size_t k = 0; k < r->n_renders; k++) {
        const objr__check_render *R = &r->renders[k];
        memset(h, 0, sizeof h);
        size_t n = 0;
        for (size_t i = 0; i < R->n_st; i++)
            if (R->st[i] >= LO && R->st[i] < HI) {
                h[(int)floor(R->st[i] - LO)] += 1.0;
                n++;
            }
        for (int b = 0; b < NB; b++)
            h[b] = n ? 100.0 * h[b] / (double)n : NAN;
        objr__plot_series(f, h, NB, LO + 0.5, 1.0, &ax, objr__plot_colour(k), R->name);
    }
    fprintf(f, "</svg>");
    svg_legend(f, r, 0);
    fprintf(f, "</figure>\n");
}

/* The LFE: its level in the 7.1.4, its content above 120 Hz, and what each render does with
 * it. */
static void html_lfe(FILE *f, const objr_check_report *r) {
    fprintf(f, "<h2>LFE</h2><p id=\"lfe\">");
    if (!isfinite(r->lfe_rms_dbfs)) {
        fprintf(f, "The 7.1.4 render's LFE channel is silent.</p>\n");
        return;
    }
    fprintf(f, "7.1.4 LFE channel: %.1f dBFS RMS; content above 120 Hz %.1f dB under its total%s. ",
            r->lfe_rms_dbfs, r->lfe_above_120_db,
            r->lfe_above_120_db < 20.0 ? " (a low-pass in the decoder will remove it)" : "");
    fprintf(f, "</p><ul>");
    for (size_t k = 1; k < r->n_renders; k++) {
        const objr__check_render *R = &r->renders[k];
        int has_lfe = 0;
        for (size_t c = 0; c < R->n_channels; c++)
            has_lfe |= strncmp(R->labels[c], "LFE", 3) == 0;
        fprintf(f, "<li>");
        objr__html_text(f, R->name);
        if (R->is_binaural)
            fprintf(f, ": the LFE as the binaural renderer plays it, at the ears.</li>");
        else if (has_lfe)
            fprintf(f, ": carried 1:1 in its LFE channel.</li>");
        else if (r->fold.lfe_policy == OBJR_LFE_FOLD && R->is_folddown)
            fprintf(f, ": folded into L and R at %+.1f dB.</li>", r->fold.lfe_gain_db);
        else
            fprintf(f, ": dropped (no LFE channel).</li>");
    }
    fprintf(f, "</ul>\n");
}

/* 1 when a finding of i's kind comes before i. */
static int any_kind_before(const objr_check_report *r, size_t i) {
    for (size_t j = 0; j < i; j++)
        if (strcmp(r->findings[j].check, r->findings[i].check) == 0)
            return 1;
    return 0;
}

/* Warn/fail findings grouped by object: one row per object and finding. */
static void html_by_object(FILE *f, const objr_check_report *r) {
    int open = 0;
    for (size_t o = 0; o < r->n_objects; o++) {
        char lab[200];
        objr__check_object_label(&r->objects[o], lab, sizeof lab);
        for (size_t i = 0; i < r->n_findings; i++) {
            const objr__check_finding *F = &r->findings[i];
            if (F->verdict == OBJR_CHECK_PASS || !objr__report_subject_names(F->subject, lab))
                continue;
            if (!open)
                fprintf(f, "<h2>Findings by object</h2><table id=\"by-object\"><tr><th>object"
                           "</th><th>verdict</th><th>check</th><th>render</th><th>detail</th>"
                           "</tr>\n");
            open = 1;
            fprintf(f, "<tr class=\"%s\"><td class=\"l\">", objr__check_verdict_name(F->verdict));
            objr__html_text(f, lab);
            fprintf(f, "</td><td class=\"l\">%s</td><td class=\"l\">",
                    objr__check_verdict_name(F->verdict));
            objr__html_text(f, F->check);
            fprintf(f, "</td><td class=\"l\">");
            objr__html_text(f, F->render);
            fprintf(f, "</td><td class=\"l\">");
            objr__html_text(f, F->message);
            fprintf(f, "</td></tr>\n");
        }
    }
    if (open)
        fprintf(f, "</table>\n");
}

/* The page head, title and verdict. */
static void html_head(FILE *f, const objr_check_report *r) {
    objr_check_verdict v = objr_check_report_verdict(r);
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
            "<title>objrender report</title><style>%s</style></head><body>\n",
            objr__html_css());
    fprintf(f, "<h1>Translation report</h1><p>");
    objr__html_text(f, r->input);
    fprintf(f, " &middot; %u Hz &middot; %.2f s &middot; reference 7.1.4</p>\n",
            (unsigned)r->sample_rate_hz, r->duration_s);
    fprintf(f, "<p>Verdict: <span class=\"badge %s\" id=\"verdict\">%s</span></p>\n",
            objr__check_verdict_name(v), objr__check_verdict_name(v));
}

/* The renders table, the fold-down and binaural set-up. */
static void html_renders(FILE *f, const objr_check_report *r) {
    /* renders table */
    fprintf(f, "<h2>Renders</h2><table><tr><th>render</th><th>LUFS</th><th>LRA</th><th>dBTP</th>"
               "<th>&Delta;L</th><th>limiter dB</th><th>corr P5</th><th>corr min</th>"
               "<th>mono &Delta; LU</th><th>tilt dB/oct</th></tr>\n");
    char a[32], b[32], c[32], d[32], e[32], g[32], h[32], i9[32];
    for (size_t k = 0; k < r->n_renders; k++) {
        const objr__check_render *R = &r->renders[k];
        objr__report_fmt_num(a, sizeof a, "%.1f", R->integrated_lufs);
        objr__report_fmt_num(b, sizeof b, "%.1f", R->lra_lu);
        objr__report_fmt_num(c, sizeof c, "%.1f", R->true_peak_dbtp);
        objr__report_fmt_num(d, sizeof d, "%+.1f", R->is_reference ? NAN : R->delta_lu);
        objr__report_fmt_num(e, sizeof e, "%.1f", R->limiter_db);
        objr__report_fmt_num(g, sizeof g, "%.2f", R->is_stereo ? R->corr_p5 : NAN);
        objr__report_fmt_num(h, sizeof h, "%.2f", R->is_stereo ? R->corr_min : NAN);
        objr__report_fmt_num(i9, sizeof i9, "%+.1f", R->is_stereo ? R->mono_loss_lu : NAN);
        fprintf(f,
                "<tr><td class=\"l\"><i style=\"display:inline-block;width:10px;height:10px;"
                "background:%s\"></i> ",
                objr__plot_colour(k));
        objr__html_text(f, R->name);
        fprintf(f,
                "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                "<td>%s</td><td>%s</td><td>",
                a, b, c, R->is_reference ? "ref" : d, e, g, h, i9);
        if (!R->is_reference)
            fprintf(f, "%+.2f", R->tilt_db_per_oct);
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</table>\n");
    {
        const objr_folddown_config *fc = &r->fold;
        objr__report_fmt_num(a, sizeof a, "%.1f dB",
                             fc->height_trim_db <= OBJR_FOLDDOWN_OFF_DB ? -HUGE_VAL
                                                                        : fc->height_trim_db);
        fprintf(f,
                "<p>Fold-downs (ITU-R BS.775 Lo/Ro; Lt/Rt with a %d-tap Hilbert 90&deg; "
                "surround): centre %.1f dB, surround %.1f dB, height %s, back %.1f dB, "
                "front/back balance %+.1f dB; LFE %s",
                OBJR_FOLDDOWN_HILBERT_TAPS, fc->centre_trim_db, fc->surround_trim_db, a,
                fc->back_trim_db, fc->front_back_balance_db,
                fc->lfe_policy == OBJR_LFE_FOLD ? "folded into L/R" : "dropped in 2.0");
        if (fc->lfe_policy == OBJR_LFE_FOLD)
            fprintf(f, " at %+.1f dB", fc->lfe_gain_db);
        fprintf(f, ".</p>\n");
    }
    if (r->has_binaural) {
        fprintf(f, "<p id=\"binaural-setup\">Binaural render: HRTF set <code>");
        objr__html_text(f, r->hrtf_path);
        fprintf(f,
                "</code>, room mode %s. Its spectral balance is compared, after loudness "
                "matching, with the 7.1.4 reference heard at the ears (its loudspeakers as "
                "virtual loudspeakers through the same set and room: %.1f LUFS), so the set's "
                "own colouring is in both; %zu of %zu object(s) measured alone in it.</p>\n",
                objr__report_mode_name(r->binaural_mode), r->ear_ref_lufs, r->n_objects_binaural,
                r->n_objects);
    }
}

/* The findings, grouped by kind, then by object. */
static void html_findings(FILE *f, const objr_check_report *r) {
    /* findings */
    fprintf(f, "<h2>Findings</h2><table id=\"findings\"><tr><th>verdict</th><th>check</th>"
               "<th>render</th><th>subject</th><th>detail</th></tr>\n");
    /* grouped by kind (kinds in order of first appearance), fails first within a kind */
    for (size_t i0 = 0; i0 < r->n_findings; i0++) {
        if (any_kind_before(r, i0))
            continue;
        fprintf(f, "<tr class=\"kind\"><th colspan=\"5\" class=\"l\">");
        objr__html_text(f, r->findings[i0].check);
        fprintf(f, "</th></tr>\n");
        for (int pass = 2; pass >= 0; pass--)
            for (size_t i = i0; i < r->n_findings; i++) {
                const objr__check_finding *F = &r->findings[i];
                if ((int)F->verdict != pass || strcmp(F->check, r->findings[i0].check) != 0)
                    continue;
                fprintf(f, "<tr class=\"%s\"><td class=\"l\">%s</td><td class=\"l\">",
                        objr__check_verdict_name(F->verdict), objr__check_verdict_name(F->verdict));
                objr__html_text(f, F->check);
                fprintf(f, "</td><td class=\"l\">");
                objr__html_text(f, F->render);
                fprintf(f, "</td><td class=\"l\">");
                objr__html_text(f, F->subject);
                fprintf(f, "</td><td class=\"l\">");
                objr__html_text(f, F->message);
                fprintf(f, "</td></tr>\n");
            }
    }
    fprintf(f, "</table>\n");
    html_by_object(f, r);
}

/* Loudness (with targets and histogram), LFE, spectra, balance, correlation. */
static void html_plots(FILE *f, const objr_check_report *r) {
    /* plots */
    double dur = r->duration_s > 0 ? r->duration_s : 1.0;
    fprintf(f, "<h2>Short-term loudness</h2>");
    objr__plot_open(f, "plot-loudness", "Short-term loudness (3 s window, every 100 ms), LUFS");
    const objr__plot_axes lax = {0, dur, -60, 0, 10, "time (s)", "LUFS", NULL, 0, 0};
    objr__plot_draw_axes(f, &lax);
    for (size_t k = 0; k < r->n_renders; k++)
        objr__plot_series(f, r->renders[k].st, r->renders[k].n_st, OBJR__CHECK_HOP_S,
                          OBJR__CHECK_HOP_S, &lax, objr__plot_colour(k), r->renders[k].name);
    svg_targets(f, r, &lax);
    fprintf(f, "</svg>");
    svg_legend(f, r, 0);
    fprintf(f, "</figure>\n");
    svg_st_histogram(f, r);
    html_lfe(f, r);
    fprintf(f, "<h2>Spectra</h2>");
    double top = -HUGE_VAL;
    for (size_t k = 0; k < r->n_renders; k++)
        for (int bb = 0; bb < OBJR__CHECK_N_BANDS; bb++)
            if (r->renders[k].band_db[bb] > top)
                top = r->renders[k].band_db[bb];
    if (!isfinite(top))
        top = 0;
    double rel[OBJR__CHECK_N_BANDS];
    objr__plot_open(f, "plot-spectra",
                    "Long-term third-octave band levels (dB re the loudest band)");
    const objr__plot_axes sax = {0,
                                 OBJR__CHECK_N_BANDS - 1,
                                 -60,
                                 0,
                                 10,
                                 "third-octave band",
                                 "dB",
                                 objr__check_band_name,
                                 OBJR__CHECK_N_BANDS,
                                 3};
    objr__plot_draw_axes(f, &sax);
    for (size_t k = 0; k < r->n_renders; k++) {
        for (int bb = 0; bb < OBJR__CHECK_N_BANDS; bb++)
            rel[bb] = r->renders[k].band_db[bb] - top;
        objr__plot_series(f, rel, OBJR__CHECK_N_BANDS, 0, 1, &sax, objr__plot_colour(k),
                          r->renders[k].name);
    }
    fprintf(f, "</svg>");
    svg_legend(f, r, 0);
    fprintf(f, "</figure>\n");
    objr__plot_open(f, "plot-balance",
                    "Spectral balance against the reference after loudness matching, dB");
    const objr__plot_axes bax = {0,
                                 OBJR__CHECK_N_BANDS - 1,
                                 -12,
                                 12,
                                 3,
                                 "third-octave band",
                                 "dB",
                                 objr__check_band_name,
                                 OBJR__CHECK_N_BANDS,
                                 3};
    objr__plot_draw_axes(f, &bax);
    for (size_t k = 1; k < r->n_renders; k++) {
        for (int bb = 0; bb < OBJR__CHECK_N_BANDS; bb++)
            rel[bb] = r->renders[k].band_valid[bb] ? r->renders[k].band_delta_db[bb] : NAN;
        objr__plot_series(f, rel, OBJR__CHECK_N_BANDS, 0, 1, &bax, objr__plot_colour(k),
                          r->renders[k].name);
    }
    fprintf(f, "</svg>");
    svg_legend(f, r, 0);
    fprintf(f, "</figure>\n<h2>Phase correlation</h2>");
    objr__plot_open(f, "plot-correlation", "Stereo phase correlation (400 ms windows)");
    const objr__plot_axes cax = {0, dur, -1, 1, 0.5, "time (s)", "r", NULL, 0, 0};
    objr__plot_draw_axes(f, &cax);
    for (size_t k = 0; k < r->n_renders; k++)
        if (r->renders[k].is_stereo)
            objr__plot_series(f, r->renders[k].corr, r->renders[k].n_corr, OBJR__CHECK_HOP_S,
                              OBJR__CHECK_HOP_S, &cax, objr__plot_colour(k), r->renders[k].name);
    fprintf(f, "</svg>");
    svg_legend(f, r, 1);
    fprintf(f, "</figure>\n");
}

/* The per-object grid and the top and side views. */
static void html_objects(FILE *f, const objr_check_report *r) {
    fprintf(f, "<h2>Objects</h2>");
    svg_objects(f, r);
    fprintf(f, "<div class=\"views\">");
    svg_view(f, r, 0);
    svg_view(f, r, 1);
    fprintf(f, "</div><div class=\"legend\">");
    for (size_t o = 0; o < r->n_objects; o++) {
        fprintf(f, "<span><i style=\"background:%s\"></i>", objr__plot_colour(o + 3));
        objr__html_text(f, r->objects[o].id);
        fputc(' ', f);
        objr__html_text(f, r->objects[o].name);
        fprintf(f, "</span>");
    }
    fprintf(f, " <span>(squares: 7.1.4 speakers; lines: trajectories)</span></div>\n");
}

static int cmp_sc_err(const void *a, const void *b) {
    const objr__check_object *x = *(const objr__check_object *const *)a,
                             *y = *(const objr__check_object *const *)b;
    return x->sc_err_deg > y->sc_err_deg ? -1 : x->sc_err_deg < y->sc_err_deg;
}

/* Spatial coding: the render's position error and each object's largest, worst first. */
static void html_spatial(FILE *f, const objr_check_report *r) {
    const objr__check_render *R = NULL;
    for (size_t k = 0; k < r->n_renders && !R; k++)
        if (r->renders[k].sc_elements)
            R = &r->renders[k];
    const objr__check_object **v = R ? objr__calloc(r->n_objects + 1, sizeof *v) : NULL;
    if (!v)
        return;
    size_t n = 0;
    for (size_t o = 0; o < r->n_objects; o++)
        if (!isnan(r->objects[o].sc_err_deg))
            v[n++] = &r->objects[o];
    qsort(v, n, sizeof *v, cmp_sc_err);
    fprintf(f,
            "<h2 id=\"spatial\">Spatial coding (%zu elements)</h2><p>Sources' position error "
            "against the elements they are coded into: energy-weighted mean %.2f deg, largest "
            "%.1f deg. Object levels are not measured through the clustering.</p>"
            "<table><tr><th>object</th><th>largest error deg</th><th>at</th></tr>\n",
            R->sc_elements, R->sc_mean_err_deg, R->sc_max_err_deg);
    char lab[200], tb[64];
    for (size_t i = 0; i < n; i++) {
        objr__check_object_label(v[i], lab, sizeof lab);
        fprintf(f, "<tr><td class=\"l\">");
        objr__html_text(f, lab);
        fprintf(f, "</td><td>%.1f</td><td>", v[i]->sc_err_deg);
        objr__html_text(f, objr__check_time(r, v[i]->sc_err_t_s, tb, sizeof tb));
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</table>\n");
    objr__freep(&v);
}

/* The stems' QC table. */
static void html_stems(FILE *f, const objr_check_report *r) {
    char a[32], b[32];
    /* stems */
    fprintf(f, "<h2>Stems (QC)</h2><table><tr><th>stem</th><th>ch</th><th>rate</th><th>bits</th>"
               "<th>peak dBFS</th><th>DC dBFS</th><th>clipped</th><th>clicks</th>"
               "<th>lead s</th><th>trail s</th></tr>\n");
    for (size_t s = 0; s < r->n_stems; s++) {
        const objr__check_stem *S = &r->stems[s];
        objr__report_fmt_num(a, sizeof a, "%.1f", S->peak_dbfs);
        objr__report_fmt_num(b, sizeof b, "%.1f", S->dc_dbfs);
        fprintf(f, "<tr><td class=\"l\">");
        objr__html_text(f, S->name);
        fprintf(f,
                "</td><td>%u</td><td>%u</td><td>%u%s</td><td>%s</td><td>%s</td><td>%llu</td>"
                "<td>%llu</td><td>%.2f</td><td>%.2f</td></tr>\n",
                (unsigned)S->n_channels, (unsigned)S->sample_rate_hz, (unsigned)S->bits,
                S->is_float ? "f" : "", a, b, (unsigned long long)S->n_clipped,
                (unsigned long long)S->n_clicks, S->lead_silence_s, S->trail_silence_s);
    }
    fprintf(f, "</table>\n");
}

objr_status objr_check_report_write_html(const objr_check_report *r, const char *path,
                                         objr_diag *diag) {
    objr_outset *set;
    FILE *f = objr__report_open(r, path, &set, diag);
    if (!f)
        return OBJR_ERR_IO;
    html_head(f, r);
    html_renders(f, r);
    html_findings(f, r);
    html_plots(f, r);
    html_objects(f, r);
    html_spatial(f, r);
    html_stems(f, r);
    fprintf(f, "<script>%s</script>\n</body></html>\n", objr__html_plot_check_script());
    return objr__report_finish(set, f, diag);
}
