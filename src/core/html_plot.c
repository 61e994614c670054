/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared HTML report pieces: escaping, palette, style, plot self-check, SVG line plots. */
#include "src/core/html_plot.h"

#include <math.h>

#define PW OBJR__PLOT_W
#define PH OBJR__PLOT_H
#define ML OBJR__PLOT_ML
#define MR OBJR__PLOT_MR
#define MT OBJR__PLOT_MT
#define MB OBJR__PLOT_MB

void objr__html_text(FILE *f, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

const char *objr__plot_colour(size_t k) {
    static const char *const palette[] = {"#1b6ca8", "#d1495b", "#2a9d8f", "#e9a03b",
                                          "#7b4ea3", "#5c8001", "#8d6e63", "#c2185b",
                                          "#00838f", "#455a64", "#f06292", "#827717"};
    return palette[k % (sizeof palette / sizeof palette[0])];
}

const char *objr__html_css(void) {
    return "body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}"
           "h1{font-size:22px}h2{font-size:17px;margin-top:28px}"
           "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;"
           "padding:3px 7px;text-align:right}th{background:#f3f3f3}td.l{text-align:left}"
           ".pass{background:#e8f5e9}.warn{background:#fff8e1}.fail{background:#ffebee}"
           ".badge{display:inline-block;padding:4px 12px;border-radius:4px;font-weight:bold}"
           "figure{margin:10px 0}figcaption{font-size:13px;color:#444;margin-bottom:4px}"
           ".legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;"
           "width:12px;height:12px;margin-right:4px;vertical-align:middle}"
           ".views{display:flex;gap:16px}";
}

const char *objr__html_plot_check_script(void) {
    return "(function(){try{var plots=document.querySelectorAll('svg.plot');var ok=0,bad=[];"
           "plots.forEach(function(s){var n=0;s.querySelectorAll('path,circle,rect.cell,"
           "rect.speaker').forEach(function(e){var b=e.getBBox();if(b.width>0||b.height>0)n++;});"
           "if(n>0)ok++;else bad.push(s.id);});"
           "document.body.setAttribute('data-plots-rendered',String(ok));"
           "document.body.setAttribute('data-plots-total',String(plots.length));"
           "var rects=[];plots.forEach(function(s){var b=s.getBoundingClientRect();"
           "rects.push([s.id,Math.round(b.left+window.scrollX),Math.round(b.top+window.scrollY),"
           "Math.round(b.width),Math.round(b.height)].join(','));});"
           "document.body.setAttribute('data-plot-rects',rects.join(';'));"
           "if(bad.length){console.error('objrender report: empty plots: '+bad.join(','));"
           "document.title='objrender report: PLOTS EMPTY';}"
           "else{document.title='objrender report: plots ok ('+ok+')';}"
           "}catch(e){console.error('objrender report: '+e);document.title='objrender report: "
           "SCRIPT ERROR';}})();";
}

double objr__plot_x(double v, double lo, double hi) {
    return ML + (v - lo) / (hi - lo) * (PW - ML - MR);
}

double objr__plot_y(double v, double lo, double hi) {
    if (v < lo)
        v = lo;
    if (v > hi)
        v = hi;
    return PH - MB - (v - lo) / (hi - lo) * (PH - MT - MB);
}

void objr__plot_open(FILE *f, const char *id, const char *title) {
    fprintf(f, "<figure><figcaption>");
    objr__html_text(f, title);
    fprintf(f,
            "</figcaption><svg class=\"plot\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" "
            "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">"
            "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n",
            id, PW, PH, PW, PH, PW, PH);
}

/* x tick labels: bands, or round numbers from 0 with a step that suits the span. */
static void x_ticks(FILE *f, const objr__plot_axes *a) {
    if (a->band_label) {
        for (int b = 0; b<a->n_bands; b += a->band_step> 0 ? a->band_step : 1)
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                    objr__plot_x(b, a->xlo, a->xhi), PH - MB + 14, a->band_label(b));
        return;
    }
    double span = a->xhi - a->xlo, step = span > 120 ? 30 : span > 30 ? 10 : span > 8 ? 2 : 0.5;
    for (double x = 0; x <= a->xhi + 1e-9; x += step)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>",
                objr__plot_x(x, a->xlo, a->xhi), PH - MB + 14, x);
}

void objr__plot_draw_axes(FILE *f, const objr__plot_axes *a) {
    double y0 = ceil(a->ylo / a->ystep) * a->ystep;
    fprintf(f, "<g class=\"axes\" stroke=\"#ccc\" stroke-width=\"1\">");
    for (double y = y0; y <= a->yhi + 1e-9; y += a->ystep)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", ML,
                objr__plot_y(y, a->ylo, a->yhi), PW - MR, objr__plot_y(y, a->ylo, a->yhi));
    fprintf(f, "</g><g font-size=\"11\" fill=\"#333\" font-family=\"sans-serif\">");
    for (double y = y0; y <= a->yhi + 1e-9; y += a->ystep)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>", ML - 4,
                objr__plot_y(y, a->ylo, a->yhi) + 4, fabs(y) < 1e-9 ? 0.0 : y);
    x_ticks(f, a);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (ML + PW - MR) / 2, PH - 4);
    objr__html_text(f, a->xlabel);
    fprintf(f,
            "</text><text x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" "
            "text-anchor=\"middle\">",
            PH / 2, PH / 2);
    objr__html_text(f, a->ylabel);
    fprintf(f,
            "</text></g>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
            "fill=\"none\" stroke=\"#888\"/>\n",
            ML, MT, PW - ML - MR, PH - MT - MB);
}

void objr__plot_series(FILE *f, const double *v, size_t n, double x0, double dx,
                       const objr__plot_axes *a, const char *colour, const char *name) {
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i]) || v[i] < a->ylo - 1e6) {
            if (open)
                fprintf(f, "\"/>\n");
            open = 0;
            continue;
        }
        double x = objr__plot_x(x0 + dx * (double)i, a->xlo, a->xhi),
               y = objr__plot_y(v[i], a->ylo, a->yhi);
        if (!open) {
            fprintf(f, "<path class=\"series\" data-name=\"");
            objr__html_text(f, name);
            fprintf(f, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" d=\"M%.1f %.1f", colour,
                    x, y);
            open = 1;
        } else
            fprintf(f, " L%.1f %.1f", x, y);
    }
    if (open)
        fprintf(f, "\"/>\n");
}

void objr__plot_hline(FILE *f, const objr__plot_axes *a, double y, const char *label,
                      const char *dash) {
    double py = objr__plot_y(y, a->ylo, a->yhi), x0 = objr__plot_x(a->xlo, a->xlo, a->xhi);
    fprintf(f,
            "<line class=\"target\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"#555\" stroke-dasharray=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" "
            "font-size=\"10\" fill=\"#555\">%s %.1f</text>",
            x0, objr__plot_x(a->xhi, a->xlo, a->xhi), py, py, dash, x0 + 4, py - 3, label, y);
}
