/* SPDX-License-Identifier: BSD-3-Clause */
/* The pieces every HTML report page shares: HTML-escaped text, a colour palette, a page style,
 * the script by which a page checks its own plots, and line plots as inline SVG (a plot area of
 * OBJR__PLOT_W x OBJR__PLOT_H pixels with fixed margins, linear axes, polylines through finite
 * values). Used by the translation report (src/check) and the mastering report (src/master).
 * Internal. */
#ifndef OBJR_SRC_CORE_HTML_PLOT_H
#define OBJR_SRC_CORE_HTML_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "src/core/core.h"

#define OBJR__PLOT_W 760.0 /* plot width and height, pixels */
#define OBJR__PLOT_H 260.0
#define OBJR__PLOT_ML 56.0 /* margins: left, right, top, bottom */
#define OBJR__PLOT_MR 16.0
#define OBJR__PLOT_MT 14.0
#define OBJR__PLOT_MB 34.0

/** Write @p s with <, >, &, " and ' escaped. */
OBJR_HIDDEN void objr__html_text(FILE *f, const char *s);
/** Colour k of a 12-colour palette (wraps). */
OBJR_HIDDEN const char *objr__plot_colour(size_t k);
/** The shared page style (CSS text: tables, verdict badges, figures, legends). */
OBJR_HIDDEN const char *objr__html_css(void);
/** A script that checks the page's own plots (every svg.plot holds drawn geometry) and sets the
 *  page title to "objrender report: plots ok (N)", or names the empty plots. */
OBJR_HIDDEN const char *objr__html_plot_check_script(void);

/** Pixel x of @p v on an axis from @p lo to @p hi. */
OBJR_HIDDEN double objr__plot_x(double v, double lo, double hi);
/** Pixel y of @p v on an axis from @p lo to @p hi, clamped to the axis. */
OBJR_HIDDEN double objr__plot_y(double v, double lo, double hi);
/** Open a <figure> with caption @p title and an <svg class="plot" id="@p id">; the caller
 *  closes both ("</svg>" ... "</figure>"). */
OBJR_HIDDEN void objr__plot_open(FILE *f, const char *id, const char *title);

/** Axes of a line plot. x ticks: every @p band_step bands labelled by @p band_label when it is
 *  given (a band axis), else round numbers of seconds or units from 0. */
typedef struct objr__plot_axes {
    double xlo, xhi, ylo, yhi, ystep;
    const char *xlabel, *ylabel;
    const char *(*band_label)(int band); /* NULL: a linear x axis */
    int n_bands, band_step;
} objr__plot_axes;
OBJR_HIDDEN void objr__plot_draw_axes(FILE *f, const objr__plot_axes *a);

/** A polyline of @p n values at x = x0 + dx * i through the finite values (gaps split it),
 *  drawn in @p colour; @p name goes into its data-name attribute. */
OBJR_HIDDEN void objr__plot_series(FILE *f, const double *v, size_t n, double x0, double dx,
                                   const objr__plot_axes *a, const char *colour, const char *name);
/** A dashed horizontal line at @p y labelled "@p label @p y" (@p label is HTML; @p dash an
 *  SVG dash pattern). */
OBJR_HIDDEN void objr__plot_hline(FILE *f, const objr__plot_axes *a, double y, const char *label,
                                  const char *dash);

#endif /* OBJR_SRC_CORE_HTML_PLOT_H */
