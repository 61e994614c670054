/* SPDX-License-Identifier: BSD-3-Clause */
/* Translation report: what the JSON and HTML writers share (number text, the output
 * transaction, names), and the plain text summary. The writers are report_json.c and
 * report_html.c. */
#include "src/check/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr_check.h"
#include "src/check/checks.h"
#include "src/core/outfile.h"
#include "src/core/sbuf.h"

/* ---------------------------------------------------------------------------------------- */
/* Text helpers                                                                              */

void objr__report_fmt_num(char *buf, size_t n, const char *fmt, double v) {
    if (isfinite(v))
        snprintf(buf, n, fmt, v);
    else if (isnan(v))
        snprintf(buf, n, "n/a");
    else
        snprintf(buf, n, v < 0 ? "-inf" : "+inf");
}

/* Reports are written like every output (objr_outfile.h): under a temporary name, renamed
 * into place when complete, never over the file the report is about. */
objr_status objr__report_finish(objr_outset *set, FILE *f, objr_diag *diag) {
    objr_status st = ferror(f) ? objr__diag_set(diag, OBJR_ERR_IO, "", 0, (size_t)-1,
                                                "%s: write failed", objr__outset_path(set, f))
                               : objr_outset_commit(set, diag);
    objr_outset_destroy(set);
    return st;
}

FILE *objr__report_open(const objr_check_report *r, const char *path, objr_outset **set,
                        objr_diag *diag) {
    FILE *f = NULL;
    if (objr_outset_create(set) != OBJR_OK) {
        objr__diag_set(diag, OBJR_ERR_NOMEM, "", 0, (size_t)-1, "%s: out of memory", path);
        return NULL;
    }
    if (objr_outset_add_input(*set, r->input, diag) != OBJR_OK ||
        objr_outset_open(*set, path, diag, &f) != OBJR_OK) {
        objr_outset_destroy(*set);
        *set = NULL;
        return NULL;
    }
    return f;
}

/* objr_binaural_mode names, as objrender's --binaural-mode. */
const char *objr__report_mode_name(int m) {
    static const char *const modes[] = {"default", "off", "near", "mid", "far", "dry"};
    return m >= 0 && m < (int)(sizeof modes / sizeof modes[0]) ? modes[m] : "?";
}

/* ---------------------------------------------------------------------------------------- */
/* Text summary                                                                              */

/* the library's text buffer (src/core/sbuf.h) */
typedef objr__sbuf sbuf;
#define sb_printf objr__sb_printf

/* Index of the first finding of F's kind (grouping by kind keeps first-appearance order). */
static size_t first_of_kind(const objr_check_report *r, size_t i) {
    for (size_t j = 0; j < i; j++)
        if (r->findings[j].verdict != OBJR_CHECK_PASS &&
            strcmp(r->findings[j].check, r->findings[i].check) == 0)
            return j;
    return i;
}

/* The subject names the object labelled @p lab (alone, or as one of a pair "A + B", or one of
 * its bed channels "A M+030"). */
int objr__report_subject_names(const char *subject, const char *lab) {
    size_t n = strlen(lab);
    for (const char *p = strstr(subject, lab); p; p = strstr(p + 1, lab))
        if ((p == subject || (p >= subject + 3 && strncmp(p - 3, " + ", 3) == 0)) &&
            (p[n] == 0 || p[n] == ' '))
            return 1;
    return 0;
}

char *objr_check_report_summary(const objr_check_report *r) {
    sbuf b = {NULL, 0, 0, 0};
    char i1[32], i2[32], i3[32], i4[32];
    sb_printf(&b, "translation check: %s\nverdict: %s\n", r->input,
              objr__check_verdict_name(objr_check_report_verdict(r)));
    const objr_folddown_config *fc = &r->fold;
    objr__report_fmt_num(i1, sizeof i1, "%.1f dB",
                         fc->height_trim_db <= OBJR_FOLDDOWN_OFF_DB ? -HUGE_VAL
                                                                    : fc->height_trim_db);
    sb_printf(&b,
              "fold-downs: centre %.1f dB, surround %.1f dB, height %s, back %.1f dB, "
              "front/back balance %+.1f dB, LFE %s",
              fc->centre_trim_db, fc->surround_trim_db, i1, fc->back_trim_db,
              fc->front_back_balance_db, fc->lfe_policy == OBJR_LFE_FOLD ? "folded" : "dropped");
    if (fc->lfe_policy == OBJR_LFE_FOLD)
        sb_printf(&b, " at %+.1f dB", fc->lfe_gain_db);
    if (r->has_binaural)
        sb_printf(&b, "\nbinaural: HRTF %s, room mode %s", r->hrtf_path,
                  objr__report_mode_name(r->binaural_mode));
    for (size_t k = 0; k < r->n_dbmd_notes; k++)
        sb_printf(&b, "\n%s", r->dbmd_notes[k]);
    sb_printf(&b, "\n%-22s %9s %7s %8s %7s %8s %6s %7s\n", "render", "LUFS", "LRA", "dBTP", "dL",
              "limiter", "corr", "mono");
    for (size_t k = 0; k < r->n_renders; k++) {
        const objr__check_render *R = &r->renders[k];
        objr__report_fmt_num(i1, sizeof i1, "%.1f", R->integrated_lufs);
        objr__report_fmt_num(i2, sizeof i2, "%.1f", R->lra_lu);
        objr__report_fmt_num(i3, sizeof i3, "%.1f", R->true_peak_dbtp);
        objr__report_fmt_num(i4, sizeof i4, "%+.1f", R->delta_lu);
        sb_printf(&b, "%-22s %9s %7s %8s %7s %8.1f", R->name, i1, i2, i3,
                  R->is_reference ? "ref" : i4, R->limiter_db);
        if (R->is_stereo) {
            objr__report_fmt_num(i1, sizeof i1, "%.2f", R->corr_p5);
            objr__report_fmt_num(i2, sizeof i2, "%+.1f", R->mono_loss_lu);
            sb_printf(&b, " %6s %7s", i1, i2);
        }
        sb_printf(&b, "\n");
    }
    size_t n_pass = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        n_pass += r->findings[i].verdict == OBJR_CHECK_PASS;
    /* by kind, in the order kinds first appear */
    for (size_t i = 0; i < r->n_findings; i++) {
        const objr__check_finding *F = &r->findings[i];
        if (F->verdict == OBJR_CHECK_PASS || first_of_kind(r, i) != i)
            continue;
        for (size_t j = i; j < r->n_findings; j++) {
            const objr__check_finding *G = &r->findings[j];
            if (G->verdict != OBJR_CHECK_PASS && strcmp(G->check, F->check) == 0)
                sb_printf(&b, "%s %-18s %s\n", G->verdict == OBJR_CHECK_FAIL ? "FAIL" : "warn",
                          G->check, G->message);
        }
    }
    /* by object */
    int header = 0;
    for (size_t o = 0; o < r->n_objects; o++) {
        char lab[200];
        objr__check_object_label(&r->objects[o], lab, sizeof lab);
        size_t n_fail = 0, n_warn = 0;
        char kinds[200] = "";
        for (size_t i = 0; i < r->n_findings; i++) {
            const objr__check_finding *F = &r->findings[i];
            if (F->verdict == OBJR_CHECK_PASS || !objr__report_subject_names(F->subject, lab))
                continue;
            n_fail += F->verdict == OBJR_CHECK_FAIL;
            n_warn += F->verdict == OBJR_CHECK_WARN;
            if (!strstr(kinds, F->check)) {
                size_t l = strlen(kinds);
                snprintf(kinds + l, sizeof kinds - l, "%s%s", l ? ", " : "", F->check);
            }
        }
        if (!n_fail && !n_warn)
            continue;
        if (!header)
            sb_printf(&b, "by object:\n");
        header = 1;
        sb_printf(&b, "  %s: %zu fail, %zu warn (%s)\n", lab, n_fail, n_warn, kinds);
    }
    sb_printf(&b, "%zu checks passed, %zu objects measured\n", n_pass, r->n_objects);
    if (b.bad) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
