/* SPDX-License-Identifier: BSD-3-Clause */
/* Translation report writers (report_json.c, report_html.c, and the text summary in report.c);
 * the public entry points are objr_check_report_write_json/_html/_summary in objr_check.h.
 * What the writers share is declared here. Internal. */
#ifndef OBJR_SRC_CHECK_REPORT_H
#define OBJR_SRC_CHECK_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "objrender/objr_outfile.h"
#include "src/check/checks.h"

/** @p v printed with @p fmt, or "n/a" / "-inf" / "+inf" when not finite. */
OBJR_HIDDEN void objr__report_fmt_num(char *buf, size_t n, const char *fmt, double v);
/** Open @p path for writing inside a new output set (never over the report's input). */
OBJR_HIDDEN FILE *objr__report_open(const objr_check_report *r, const char *path, objr_outset **set,
                                    objr_diag *diag);
/** Commit (or, after a write error, abandon) the output set, then destroy it. */
OBJR_HIDDEN objr_status objr__report_finish(objr_outset *set, FILE *f, objr_diag *diag);
/** objr_binaural_mode names, as objrender's --binaural-mode. */
OBJR_HIDDEN const char *objr__report_mode_name(int m);
/** 1 when a finding's subject names the object labelled @p lab (alone, one of a pair
 *  "A + B", or one of its bed channels "A M+030"). */
OBJR_HIDDEN int objr__report_subject_names(const char *subject, const char *lab);

#endif /* OBJR_SRC_CHECK_REPORT_H */
