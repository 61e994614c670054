/* SPDX-License-Identifier: BSD-3-Clause */
/* Translation report writers: report.json (machine-readable), report.html (one self-contained
 * page, inline SVG plots, no network, a small script that checks its own plots), and a plain
 * text summary. */
#include "src/check/report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr_check.h"
#include "src/check/checks.h"
#include "src/core/outfile.h"
#include "src/core/sbuf.h"

static const char *const palette[] = {"#1b6ca8", "#d1495b", "#2a9d8f", "#e9a03b",
                                      "#7b4ea3", "#5c8001", "#8d6e63", "#c2185b",
                                      "#00838f", "#455a64", "#f06292", "#827717"};
#define PAL(k) palette[(k) % (sizeof palette / sizeof palette[0])]

/* ---------------------------------------------------------------------------------------- */
/* Text helpers                                                                              */

static void put_json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void put_num(FILE *f, double v) {
    if (isfinite(v))
        fprintf(f, "%.3f", v);
    else
        fputs("null", f);
}

static void put_html(FILE *f, const char *s) {
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

static void fmt_num(char *buf, size_t n, const char *fmt, double v) {
    if (isfinite(v))
        snprintf(buf, n, fmt, v);
    else if (isnan(v))
        snprintf(buf, n, "n/a");
    else
        snprintf(buf, n, v < 0 ? "-inf" : "+inf");
}

/* Reports are written like every output (objr_outfile.h): under a temporary name, renamed
 * into place when complete, never over the file the report is about. */
static objr_status finish(objr_outset *set, FILE *f, objr_diag *diag) {
    objr_status st = ferror(f) ? objr__diag_set(diag, OBJR_ERR_IO, "", 0, (size_t)-1,
                                                "%s: write failed", objr__outset_path(set, f))
                               : objr_outset_commit(set, diag);
    objr_outset_destroy(set);
    return st;
}

static FILE *open_out(const objr_check_report *r, const char *path, objr_outset **set,
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

/* ---------------------------------------------------------------------------------------- */
/* JSON                                                                                      */

static void json_series(FILE *f, const double *v, size_t n) {
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        put_num(f, v[i]);
    }
    fputc(']', f);
}

/* objr_binaural_mode names, as objrender's --binaural-mode. */
static const char *mode_name(int m) {
    static const char *const modes[] = {"default", "off", "near", "mid", "far", "dry"};
    return m >= 0 && m < (int)(sizeof modes / sizeof modes[0]) ? modes[m] : "?";
}

/* Everything before the renders: input, fold-down, binaural set-up, thresholds, mix. */
static void json_header(FILE *f, const objr_check_report *r) {
    const objr_folddown_config *fc = &r->fold;
    fprintf(f, "{\n  \"tool\": \"objrender translation check\",\n  \"input\": ");
    put_json_str(f, r->input);
    fprintf(f, ",\n  \"verdict\": \"%s\",\n  \"sample_rate_hz\": %u,\n  \"duration_s\": ",
            objr__check_verdict_name(objr_check_report_verdict(r)), (unsigned)r->sample_rate_hz);
    put_num(f, r->duration_s);
    fprintf(f, ",\n  \"reference\": \"7.1.4\",\n  \"folddown\": {\"centre_trim_db\": ");
    put_num(f, fc->centre_trim_db);
    fprintf(f, ", \"surround_trim_db\": ");
    put_num(f, fc->surround_trim_db);
    fprintf(f, ", \"height_trim_db\": ");
    put_num(f, fc->height_trim_db <= OBJR_FOLDDOWN_OFF_DB ? -HUGE_VAL : fc->height_trim_db);
    fprintf(f, ", \"back_trim_db\": ");
    put_num(f, fc->back_trim_db);
    fprintf(f, ", \"front_back_balance_db\": ");
    put_num(f, fc->front_back_balance_db);
    fprintf(f, ", \"lfe_policy\": \"%s\", \"lfe_gain_db\": ",
            fc->lfe_policy == OBJR_LFE_FOLD ? "fold" : "drop");
    put_num(f, fc->lfe_policy == OBJR_LFE_FOLD ? fc->lfe_gain_db : -HUGE_VAL);
    fprintf(f, ", \"hilbert_taps\": %d},\n", OBJR_FOLDDOWN_HILBERT_TAPS);
    fprintf(f, "  \"dbmd_notes\": [");
    for (size_t k = 0; k < r->n_dbmd_notes; k++) {
        fprintf(f, k ? ", " : "");
        put_json_str(f, r->dbmd_notes[k]);
    }
    fprintf(f, "],\n");
    if (r->has_binaural) {
        fprintf(f, "  \"binaural\": {\"hrtf\": ");
        put_json_str(f, r->hrtf_path);
        fprintf(f, ", \"mode\": \"%s\", \"objects_measured\": %zu, \"reference_at_ears_lufs\": ",
                mode_name(r->binaural_mode), r->n_objects_binaural);
        put_num(f, r->ear_ref_lufs);
        fprintf(f, ", \"reference_at_ears_band_db\": ");
        json_series(f, r->ear_ref_db, OBJR__CHECK_N_BANDS);
        fprintf(f, "},\n");
    }
    const objr_check_thresholds *t = &r->th;
    fprintf(f,
            "  \"thresholds\": {\"loudness_delta_lu\": [%g, %g], \"lra_delta_lu\": [%g, %g], "
            "\"true_peak_ceiling_dbtp\": %g, \"limiter_fail_db\": %g, \"corr_p5\": [%g, %g], "
            "\"mono_loss_lu\": [%g, %g], \"band_db\": [%g, %g], \"object_drop_db\": [%g, %g], "
            "\"object_mono_lu\": [%g, %g], "
            "\"clip_level_dbfs\": %g, \"clip_run\": %u, \"headroom_dbfs\": [%g, %g], "
            "\"dc_dbfs\": [%g, %g], \"click_ratio\": %g, \"silence_level_dbfs\": %g, "
            "\"lead_silence_s\": %g, \"trail_silence_s\": %g},\n",
            t->loudness_delta_warn_lu, t->loudness_delta_fail_lu, t->lra_delta_warn_lu,
            t->lra_delta_fail_lu, t->true_peak_ceiling_dbtp, t->limiter_fail_db, t->corr_p5_warn,
            t->corr_p5_fail, t->mono_loss_warn_lu, t->mono_loss_fail_lu, t->band_warn_db,
            t->band_fail_db, t->object_drop_warn_db, t->object_drop_fail_db, t->object_mono_warn_lu,
            t->object_mono_fail_lu, t->clip_level_dbfs, t->clip_run, t->headroom_warn_dbfs,
            t->headroom_fail_dbfs, t->dc_warn_dbfs, t->dc_fail_dbfs, t->click_ratio,
            t->silence_level_dbfs, t->lead_silence_warn_s, t->trail_silence_warn_s);
    fprintf(f, "  \"mix\": {\"peak_dbfs\": ");
    put_num(f, r->mix_peak_dbfs);
    fprintf(f, ", \"lead_silence_s\": ");
    put_num(f, r->lead_silence_s);
    fprintf(f, ", \"trail_silence_s\": ");
    put_num(f, r->trail_silence_s);
    fprintf(f, "},\n  \"bands_hz\": [");
    for (int b = 0; b < OBJR__CHECK_N_BANDS; b++)
        fprintf(f, "%s%.1f", b ? ", " : "", objr__check_band_centre_hz(b));
}

static void json_render(FILE *f, const objr_check_report *r, size_t k) {
    const objr__check_render *R = &r->renders[k];
    fprintf(f, "    {\"key\": ");
    put_json_str(f, R->key);
    fprintf(f, ", \"name\": ");
    put_json_str(f, R->name);
    fprintf(f, ", \"reference\": %s, \"folddown\": %s, \"channels\": [",
            R->is_reference ? "true" : "false", R->is_folddown ? "true" : "false");
    for (size_t c = 0; c < R->n_channels; c++) {
        if (c)
            fputs(", ", f);
        put_json_str(f, R->labels[c]);
    }
    fprintf(f, "],\n     \"integrated_lufs\": ");
    put_num(f, R->integrated_lufs);
    fprintf(f, ", \"lra_lu\": ");
    put_num(f, R->lra_lu);
    fprintf(f, ", \"true_peak_dbtp\": ");
    put_num(f, R->true_peak_dbtp);
    fprintf(f, ", \"sample_peak_dbfs\": ");
    put_num(f, R->sample_peak_dbfs);
    fprintf(f, ", \"limiter_reduction_db\": ");
    put_num(f, R->limiter_db);
    fprintf(f, ", \"delta_lu\": ");
    put_num(f, R->delta_lu);
    fprintf(f, ", \"delta_lra_lu\": ");
    put_num(f, R->delta_lra_lu);
    if (R->is_stereo) {
        fprintf(f, ",\n     \"correlation\": {\"global\": ");
        put_num(f, R->corr_global);
        fprintf(f, ", \"p5\": ");
        put_num(f, R->corr_p5);
        fprintf(f, ", \"min\": ");
        put_num(f, R->corr_min);
        fprintf(f, ", \"series_400ms_hop_100ms\": ");
        json_series(f, R->corr, R->n_corr);
        fprintf(f, "}, \"mono_loss_lu\": ");
        put_num(f, R->mono_loss_lu);
        fprintf(f, ", \"s_over_m_db\": ");
        put_num(f, R->s_over_m_db);
    }
    fprintf(f, ",\n     \"band_db\": ");
    json_series(f, R->band_db, OBJR__CHECK_N_BANDS);
    if (!R->is_reference) {
        fprintf(f, ",\n     \"band_delta_db\": [");
        for (int b = 0; b < OBJR__CHECK_N_BANDS; b++) {
            if (b)
                fputc(',', f);
            put_num(f, R->band_valid[b] ? R->band_delta_db[b] : NAN);
        }
        fprintf(f, "], \"tilt_db_per_octave\": ");
        put_num(f, R->tilt_db_per_oct);
    }
    fprintf(f, ",\n     \"true_peak_time_s\": ");
    put_num(f, R->peak_t_s);
    fprintf(f, ", \"short_term_max_lufs\": ");
    put_num(f, R->st_max_lufs);
    fprintf(f, ", \"short_term_max_time_s\": ");
    put_num(f, R->st_max_t_s);
    if (R->is_stereo) {
        fprintf(f, ", \"correlation_min_time_s\": ");
        put_num(f, R->corr_min_t_s);
        fprintf(f, ",\n     \"cancelling_pairs\": [");
        for (size_t i = 0; i < R->n_pairs; i++) {
            const objr__check_pair *P = &R->pairs[i];
            fprintf(f, "%s{\"a\": ", i ? ", " : "");
            put_json_str(f, P->a);
            fprintf(f, ", \"b\": ");
            put_json_str(f, P->b);
            fprintf(f, ", \"worst_loss_db\": ");
            put_num(f, P->worst_db);
            fprintf(f, ", \"worst_time_s\": ");
            put_num(f, P->t_worst_s);
            fprintf(f, ", \"from_s\": ");
            put_num(f, P->t_first_s);
            fprintf(f, ", \"to_s\": ");
            put_num(f, P->t_last_s);
            fprintf(f, "}");
        }
        fprintf(f, "]");
    }
    fprintf(f, ",\n     \"short_term_lufs_hop_100ms\": ");
    json_series(f, R->st, R->n_st);
    fprintf(f, "}%s\n", k + 1 < r->n_renders ? "," : "");
}

static void json_object(FILE *f, const objr_check_report *r, size_t o) {
    const objr__check_object *O = &r->objects[o];
    fprintf(f, "    {\"id\": ");
    put_json_str(f, O->id);
    fprintf(f, ", \"name\": ");
    put_json_str(f, O->name);
    fprintf(f, ", \"level_lufs\": {");
    for (size_t k = 0; k < r->n_renders; k++) {
        if (k)
            fputs(", ", f);
        put_json_str(f, r->renders[k].key);
        fputs(": ", f);
        put_num(f, O->level_lufs[k]);
    }
    fprintf(f, "}, \"delta_db\": {");
    for (size_t k = 1; k < r->n_renders; k++) {
        if (k > 1)
            fputs(", ", f);
        put_json_str(f, r->renders[k].key);
        fputs(": ", f);
        put_num(f, isfinite(O->level_lufs[0]) ? O->delta_db[k] : NAN);
    }
    fprintf(f, "}, \"mono_lufs\": {");
    int first = 1;
    for (size_t k = 0; k < r->n_renders; k++) {
        if (!r->renders[k].is_stereo)
            continue;
        if (!first)
            fputs(", ", f);
        first = 0;
        put_json_str(f, r->renders[k].key);
        fputs(": ", f);
        put_num(f, O->mono_lufs[k]);
    }
    fprintf(f, "}, \"masking_margin_db\": {");
    first = 1;
    for (size_t k = 0; k < r->n_renders; k++) {
        if (isnan(O->margin_db[k]))
            continue;
        if (!first)
            fputs(", ", f);
        first = 0;
        put_json_str(f, r->renders[k].key);
        fputs(": ", f);
        put_num(f, O->margin_db[k]);
    }
    fprintf(f, "}, \"muted\": %s, \"active_s\": ", O->muted ? "true" : "false");
    put_num(f, O->active_s);
    fprintf(f, ", \"positions_xyz\": [");
    for (size_t p = 0; p < O->n_pos; p++)
        fprintf(f, "%s[%.3f,%.3f,%.3f]", p ? "," : "", O->pos[p][0], O->pos[p][1], O->pos[p][2]);
    fprintf(f, "]}%s\n", o + 1 < r->n_objects ? "," : "");
}

static void json_stem(FILE *f, const objr_check_report *r, size_t s) {
    const objr__check_stem *S = &r->stems[s];
    fprintf(f, "    {\"name\": ");
    put_json_str(f, S->name);
    fprintf(f,
            ", \"channels\": %u, \"sample_rate_hz\": %u, \"bits\": %u, \"float\": %s, "
            "\"peak_dbfs\": ",
            (unsigned)S->n_channels, (unsigned)S->sample_rate_hz, (unsigned)S->bits,
            S->is_float ? "true" : "false");
    put_num(f, S->peak_dbfs);
    fprintf(f, ", \"dc_dbfs\": ");
    put_num(f, S->dc_dbfs);
    fprintf(f, ", \"clipped_samples\": %llu, \"clicks\": %llu, \"lead_silence_s\": ",
            (unsigned long long)S->n_clipped, (unsigned long long)S->n_clicks);
    put_num(f, S->lead_silence_s);
    fprintf(f, ", \"trail_silence_s\": ");
    put_num(f, S->trail_silence_s);
    fprintf(f, ", \"click_ranges_s\": [");
    for (size_t i = 0; i < S->n_click_ranges; i++)
        fprintf(f, "%s[%.4f, %.4f, %llu]", i ? ", " : "", S->click_from_s[i], S->click_to_s[i],
                (unsigned long long)S->click_count[i]);
    fprintf(f, "]");
    fprintf(f, "}%s\n", s + 1 < r->n_stems ? "," : "");
}

objr_status objr_check_report_write_json(const objr_check_report *r, const char *path,
                                         objr_diag *diag) {
    objr_outset *set;
    FILE *f = open_out(r, path, &set, diag);
    if (!f)
        return OBJR_ERR_IO;
    json_header(f, r);
    fprintf(f, "],\n  \"renders\": [\n");
    for (size_t k = 0; k < r->n_renders; k++)
        json_render(f, r, k);
    fprintf(f, "  ],\n  \"objects\": [\n");
    for (size_t o = 0; o < r->n_objects; o++)
        json_object(f, r, o);
    fprintf(f, "  ],\n  \"objects_not_measured\": %zu,\n  \"lfe\": {\"rms_dbfs\": ",
            r->n_objects_not_measured);
    put_num(f, r->lfe_rms_dbfs);
    fprintf(f, ", \"above_120hz_under_total_db\": ");
    put_num(f, r->lfe_above_120_db);
    fprintf(f, "},\n  \"programme_start_s\": ");
    put_num(f, r->has_start ? r->start_s : NAN);
    fprintf(f, ",\n  \"stems\": [\n");
    for (size_t s = 0; s < r->n_stems; s++)
        json_stem(f, r, s);
    fprintf(f, "  ],\n  \"findings\": [\n");
    for (size_t i = 0; i < r->n_findings; i++) {
        const objr__check_finding *F = &r->findings[i];
        fprintf(f, "    {\"check\": ");
        put_json_str(f, F->check);
        fprintf(f, ", \"verdict\": \"%s\", \"render\": ", objr__check_verdict_name(F->verdict));
        put_json_str(f, F->render);
        fprintf(f, ", \"subject\": ");
        put_json_str(f, F->subject);
        fprintf(f, ", \"value\": ");
        put_num(f, F->value);
        fprintf(f, ", \"message\": ");
        put_json_str(f, F->message);
        fprintf(f, "}%s\n", i + 1 < r->n_findings ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    return finish(set, f, diag);
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
static int subject_names(const char *subject, const char *lab) {
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
    fmt_num(i1, sizeof i1, "%.1f dB",
            fc->height_trim_db <= OBJR_FOLDDOWN_OFF_DB ? -HUGE_VAL : fc->height_trim_db);
    sb_printf(&b,
              "fold-downs: centre %.1f dB, surround %.1f dB, height %s, back %.1f dB, "
              "front/back balance %+.1f dB, LFE %s",
              fc->centre_trim_db, fc->surround_trim_db, i1, fc->back_trim_db,
              fc->front_back_balance_db, fc->lfe_policy == OBJR_LFE_FOLD ? "folded" : "dropped");
    if (fc->lfe_policy == OBJR_LFE_FOLD)
        sb_printf(&b, " at %+.1f dB", fc->lfe_gain_db);
    if (r->has_binaural)
        sb_printf(&b, "\nbinaural: HRTF %s, room mode %s", r->hrtf_path,
                  mode_name(r->binaural_mode));
    for (size_t k = 0; k < r->n_dbmd_notes; k++)
        sb_printf(&b, "\n%s", r->dbmd_notes[k]);
    sb_printf(&b, "\n%-22s %9s %7s %8s %7s %8s %6s %7s\n", "render", "LUFS", "LRA", "dBTP", "dL",
              "limiter", "corr", "mono");
    for (size_t k = 0; k < r->n_renders; k++) {
        const objr__check_render *R = &r->renders[k];
        fmt_num(i1, sizeof i1, "%.1f", R->integrated_lufs);
        fmt_num(i2, sizeof i2, "%.1f", R->lra_lu);
        fmt_num(i3, sizeof i3, "%.1f", R->true_peak_dbtp);
        fmt_num(i4, sizeof i4, "%+.1f", R->delta_lu);
        sb_printf(&b, "%-22s %9s %7s %8s %7s %8.1f", R->name, i1, i2, i3,
                  R->is_reference ? "ref" : i4, R->limiter_db);
        if (R->is_stereo) {
            fmt_num(i1, sizeof i1, "%.2f", R->corr_p5);
            fmt_num(i2, sizeof i2, "%+.1f", R->mono_loss_lu);
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
            if (F->verdict == OBJR_CHECK_PASS || !subject_names(F->subject, lab))
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

/* ---------------------------------------------------------------------------------------- */
/* HTML                                                                                      */

#define PW 760.0 /* plot width */
#define PH 260.0
#define ML 56.0 /* margins */
#define MR 16.0
#define MT 14.0
#define MB 34.0

static double sx_lin(double v, double lo, double hi) {
    return ML + (v - lo) / (hi - lo) * (PW - ML - MR);
}
static double sy_lin(double v, double lo, double hi) {
    if (v < lo)
        v = lo;
    if (v > hi)
        v = hi;
    return PH - MB - (v - lo) / (hi - lo) * (PH - MT - MB);
}

static void svg_open(FILE *f, const char *id, const char *title) {
    fprintf(f, "<figure><figcaption>");
    put_html(f, title);
    fprintf(f,
            "</figcaption><svg class=\"plot\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" "
            "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">"
            "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n",
            id, PW, PH, PW, PH, PW, PH);
}

static void svg_axes(FILE *f, double xlo, double xhi, double ylo, double yhi, double ystep,
                     const char *xlabel, const char *ylabel, int log_x) {
    fprintf(f, "<g class=\"axes\" stroke=\"#ccc\" stroke-width=\"1\">");
    for (double y = ceil(ylo / ystep) * ystep; y <= yhi + 1e-9; y += ystep)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", ML,
                sy_lin(y, ylo, yhi), PW - MR, sy_lin(y, ylo, yhi));
    fprintf(f, "</g><g font-size=\"11\" fill=\"#333\" font-family=\"sans-serif\">");
    for (double y = ceil(ylo / ystep) * ystep; y <= yhi + 1e-9; y += ystep)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>", ML - 4,
                sy_lin(y, ylo, yhi) + 4, fabs(y) < 1e-9 ? 0.0 : y);
    if (log_x) {
        for (int b = 0; b < OBJR__CHECK_N_BANDS; b += 3)
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                    sx_lin(b, xlo, xhi), PH - MB + 14, objr__check_band_name(b));
    } else {
        double span = xhi - xlo, step = span > 120 ? 30 : span > 30 ? 10 : span > 8 ? 2 : 0.5;
        for (double x = 0; x <= xhi + 1e-9; x += step)
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>",
                    sx_lin(x, xlo, xhi), PH - MB + 14, x);
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (ML + PW - MR) / 2, PH - 4);
    put_html(f, xlabel);
    fprintf(f,
            "</text><text x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" "
            "text-anchor=\"middle\">",
            PH / 2, PH / 2);
    put_html(f, ylabel);
    fprintf(f,
            "</text></g>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
            "fill=\"none\" stroke=\"#888\"/>\n",
            ML, MT, PW - ML - MR, PH - MT - MB);
}

/* A polyline through finite values; gaps split it into several paths. */
static void svg_series(FILE *f, const double *v, size_t n, double x0, double dx, double xlo,
                       double xhi, double ylo, double yhi, const char *colour, const char *name) {
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i]) || v[i] < ylo - 1e6) {
            if (open)
                fprintf(f, "\"/>\n");
            open = 0;
            continue;
        }
        double x = sx_lin(x0 + dx * (double)i, xlo, xhi), y = sy_lin(v[i], ylo, yhi);
        if (!open) {
            fprintf(f, "<path class=\"series\" data-name=\"");
            put_html(f, name);
            fprintf(f, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" d=\"M%.1f %.1f", colour,
                    x, y);
            open = 1;
        } else
            fprintf(f, " L%.1f %.1f", x, y);
    }
    if (open)
        fprintf(f, "\"/>\n");
}

static void svg_legend(FILE *f, const objr_check_report *r, int stereo_only) {
    fprintf(f, "<div class=\"legend\">");
    for (size_t k = 0; k < r->n_renders; k++) {
        if (stereo_only && !r->renders[k].is_stereo)
            continue;
        fprintf(f, "<span><i style=\"background:%s\"></i>", PAL(k));
        put_html(f, r->renders[k].name);
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
        const char *col = PAL(o + 3);
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
            put_html(f, O->id);
            fputc(' ', f);
            put_html(f, O->name);
            fprintf(f, "</title></circle>");
        }
        if (O->n_pos && r->n_objects <= MAX_LABELLED) { /* a label at its first position */
            const double *q = O->pos[0];
            fprintf(f, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" font-size=\"9\" fill=\"%s\">",
                    (side ? cx - q[1] * s : cx + q[0] * s) + 5,
                    (side ? cy - q[2] * s : cy - q[1] * s) - 5, col);
            put_html(f, O->name[0] ? O->name : O->id);
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
        put_html(f, r->renders[k].name);
        fprintf(f, "</text>");
    }
    if (!r->n_objects)
        fprintf(f, "<text x=\"10\" y=\"50\">no objects measured</text>");
    for (size_t o = 0; o < r->n_objects; o++) {
        const objr__check_object *O = &r->objects[o];
        double y = 30 + rh * (double)o;
        fprintf(f, "<text x=\"6\" y=\"%.1f\">", y + 15);
        put_html(f, O->id);
        fputc(' ', f);
        put_html(f, O->name);
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
            fmt_num(txt, sizeof txt, "%+.1f", isfinite(O->level_lufs[0]) ? d : NAN);
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

/* Dashed target lines on a loudness plot over [xlo, xhi]: the 7.1.4 reference's integrated
 * loudness and the loudness-delta warn band around it. */
static void svg_targets(FILE *f, const objr_check_report *r, double xlo, double xhi) {
    double ref = r->n_renders ? r->renders[0].integrated_lufs : NAN;
    if (!isfinite(ref))
        return;
    const double lv[3] = {ref, ref + r->th.loudness_delta_warn_lu,
                          ref - r->th.loudness_delta_warn_lu};
    for (int i = 0; i < 3; i++) {
        if (lv[i] < -60 || lv[i] > 0)
            continue;
        double y = sy_lin(lv[i], -60, 0);
        fprintf(f,
                "<line class=\"target\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#555\" stroke-dasharray=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" "
                "font-size=\"10\" fill=\"#555\">%s %.1f</text>",
                sx_lin(xlo, xlo, xhi), sx_lin(xhi, xlo, xhi), y, y, i ? "2 4" : "6 3",
                sx_lin(xlo, xlo, xhi) + 4, y - 3, i ? "&plusmn; warn" : "7.1.4 integrated", lv[i]);
    }
}

/* Share of the programme's short-term (3 s) loudness values in each 1 LU bin, per render. */
static void svg_st_histogram(FILE *f, const objr_check_report *r) {
    enum { LO = -60, HI = 0, NB = HI - LO };
    svg_open(f, "plot-st-histogram", "Short-term loudness histogram (share of time per 1 LU)");
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
    svg_axes(f, LO, HI, 0, top, 10, "short-term loudness (LUFS)", "% of time", 0);
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
        svg_series(f, h, NB, LO + 0.5, 1.0, LO, HI, 0, top, PAL(k), R->name);
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
        put_html(f, R->name);
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

static const char *css =
    "body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}"
    "h1{font-size:22px}h2{font-size:17px;margin-top:28px}"
    "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 7px;"
    "text-align:right}th{background:#f3f3f3}td.l{text-align:left}"
    ".pass{background:#e8f5e9}.warn{background:#fff8e1}.fail{background:#ffebee}"
    ".badge{display:inline-block;padding:4px 12px;border-radius:4px;font-weight:bold}"
    "figure{margin:10px 0}figcaption{font-size:13px;color:#444;margin-bottom:4px}"
    ".legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:12px;"
    "height:12px;margin-right:4px;vertical-align:middle}.views{display:flex;gap:16px}";

/* The page checks its own plots: every svg.plot must hold drawn elements with geometry. */
static const char *script =
    "(function(){try{var plots=document.querySelectorAll('svg.plot');var ok=0,bad=[];"
    "plots.forEach(function(s){var n=0;s.querySelectorAll('path,circle,rect.cell,rect.speaker')"
    ".forEach(function(e){var b=e.getBBox();if(b.width>0||b.height>0)n++;});"
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
            if (F->verdict == OBJR_CHECK_PASS || !subject_names(F->subject, lab))
                continue;
            if (!open)
                fprintf(f, "<h2>Findings by object</h2><table id=\"by-object\"><tr><th>object"
                           "</th><th>verdict</th><th>check</th><th>render</th><th>detail</th>"
                           "</tr>\n");
            open = 1;
            fprintf(f, "<tr class=\"%s\"><td class=\"l\">", objr__check_verdict_name(F->verdict));
            put_html(f, lab);
            fprintf(f, "</td><td class=\"l\">%s</td><td class=\"l\">",
                    objr__check_verdict_name(F->verdict));
            put_html(f, F->check);
            fprintf(f, "</td><td class=\"l\">");
            put_html(f, F->render);
            fprintf(f, "</td><td class=\"l\">");
            put_html(f, F->message);
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
            css);
    fprintf(f, "<h1>Translation report</h1><p>");
    put_html(f, r->input);
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
        fmt_num(a, sizeof a, "%.1f", R->integrated_lufs);
        fmt_num(b, sizeof b, "%.1f", R->lra_lu);
        fmt_num(c, sizeof c, "%.1f", R->true_peak_dbtp);
        fmt_num(d, sizeof d, "%+.1f", R->is_reference ? NAN : R->delta_lu);
        fmt_num(e, sizeof e, "%.1f", R->limiter_db);
        fmt_num(g, sizeof g, "%.2f", R->is_stereo ? R->corr_p5 : NAN);
        fmt_num(h, sizeof h, "%.2f", R->is_stereo ? R->corr_min : NAN);
        fmt_num(i9, sizeof i9, "%+.1f", R->is_stereo ? R->mono_loss_lu : NAN);
        fprintf(f,
                "<tr><td class=\"l\"><i style=\"display:inline-block;width:10px;height:10px;"
                "background:%s\"></i> ",
                PAL(k));
        put_html(f, R->name);
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
        fmt_num(a, sizeof a, "%.1f dB",
                fc->height_trim_db <= OBJR_FOLDDOWN_OFF_DB ? -HUGE_VAL : fc->height_trim_db);
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
        put_html(f, r->hrtf_path);
        fprintf(f,
                "</code>, room mode %s. Its spectral balance is compared, after loudness "
                "matching, with the 7.1.4 reference heard at the ears (its loudspeakers as "
                "virtual loudspeakers through the same set and room: %.1f LUFS), so the set's "
                "own colouring is in both; %zu of %zu object(s) measured alone in it.</p>\n",
                mode_name(r->binaural_mode), r->ear_ref_lufs, r->n_objects_binaural, r->n_objects);
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
        put_html(f, r->findings[i0].check);
        fprintf(f, "</th></tr>\n");
        for (int pass = 2; pass >= 0; pass--)
            for (size_t i = i0; i < r->n_findings; i++) {
                const objr__check_finding *F = &r->findings[i];
                if ((int)F->verdict != pass || strcmp(F->check, r->findings[i0].check) != 0)
                    continue;
                fprintf(f, "<tr class=\"%s\"><td class=\"l\">%s</td><td class=\"l\">",
                        objr__check_verdict_name(F->verdict), objr__check_verdict_name(F->verdict));
                put_html(f, F->check);
                fprintf(f, "</td><td class=\"l\">");
                put_html(f, F->render);
                fprintf(f, "</td><td class=\"l\">");
                put_html(f, F->subject);
                fprintf(f, "</td><td class=\"l\">");
                put_html(f, F->message);
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
    svg_open(f, "plot-loudness", "Short-term loudness (3 s window, every 100 ms), LUFS");
    svg_axes(f, 0, dur, -60, 0, 10, "time (s)", "LUFS", 0);
    for (size_t k = 0; k < r->n_renders; k++)
        svg_series(f, r->renders[k].st, r->renders[k].n_st, OBJR__CHECK_HOP_S, OBJR__CHECK_HOP_S, 0,
                   dur, -60, 0, PAL(k), r->renders[k].name);
    svg_targets(f, r, 0, dur);
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
    svg_open(f, "plot-spectra", "Long-term third-octave band levels (dB re the loudest band)");
    svg_axes(f, 0, OBJR__CHECK_N_BANDS - 1, -60, 0, 10, "third-octave band", "dB", 1);
    for (size_t k = 0; k < r->n_renders; k++) {
        for (int bb = 0; bb < OBJR__CHECK_N_BANDS; bb++)
            rel[bb] = r->renders[k].band_db[bb] - top;
        svg_series(f, rel, OBJR__CHECK_N_BANDS, 0, 1, 0, OBJR__CHECK_N_BANDS - 1, -60, 0, PAL(k),
                   r->renders[k].name);
    }
    fprintf(f, "</svg>");
    svg_legend(f, r, 0);
    fprintf(f, "</figure>\n");
    svg_open(f, "plot-balance",
             "Spectral balance against the reference after loudness matching, dB");
    svg_axes(f, 0, OBJR__CHECK_N_BANDS - 1, -12, 12, 3, "third-octave band", "dB", 1);
    for (size_t k = 1; k < r->n_renders; k++) {
        for (int bb = 0; bb < OBJR__CHECK_N_BANDS; bb++)
            rel[bb] = r->renders[k].band_valid[bb] ? r->renders[k].band_delta_db[bb] : NAN;
        svg_series(f, rel, OBJR__CHECK_N_BANDS, 0, 1, 0, OBJR__CHECK_N_BANDS - 1, -12, 12, PAL(k),
                   r->renders[k].name);
    }
    fprintf(f, "</svg>");
    svg_legend(f, r, 0);
    fprintf(f, "</figure>\n<h2>Phase correlation</h2>");
    svg_open(f, "plot-correlation", "Stereo phase correlation (400 ms windows)");
    svg_axes(f, 0, dur, -1, 1, 0.5, "time (s)", "r", 0);
    for (size_t k = 0; k < r->n_renders; k++)
        if (r->renders[k].is_stereo)
            svg_series(f, r->renders[k].corr, r->renders[k].n_corr, OBJR__CHECK_HOP_S,
                       OBJR__CHECK_HOP_S, 0, dur, -1, 1, PAL(k), r->renders[k].name);
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
        fprintf(f, "<span><i style=\"background:%s\"></i>", PAL(o + 3));
        put_html(f, r->objects[o].id);
        fputc(' ', f);
        put_html(f, r->objects[o].name);
        fprintf(f, "</span>");
    }
    fprintf(f, " <span>(squares: 7.1.4 speakers; lines: trajectories)</span></div>\n");
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
        fmt_num(a, sizeof a, "%.1f", S->peak_dbfs);
        fmt_num(b, sizeof b, "%.1f", S->dc_dbfs);
        fprintf(f, "<tr><td class=\"l\">");
        put_html(f, S->name);
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
    FILE *f = open_out(r, path, &set, diag);
    if (!f)
        return OBJR_ERR_IO;
    html_head(f, r);
    html_renders(f, r);
    html_findings(f, r);
    html_plots(f, r);
    html_objects(f, r);
    html_stems(f, r);
    fprintf(f, "<script>%s</script>\n</body></html>\n", script);
    return finish(set, f, diag);
}
