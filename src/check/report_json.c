/* SPDX-License-Identifier: BSD-3-Clause */
/* report.json: the translation report, machine-readable (every figure, finding and series). */
#include "src/check/report.h"

#include <math.h>
#include <stdio.h>

#include "objrender/objr_check.h"
#include "objrender/objr_json.h"
#include "src/check/checks.h"
#include "src/core/outfile.h"

/* ---------------------------------------------------------------------------------------- */
/* JSON                                                                                      */

static void json_series(FILE *f, const double *v, size_t n) {
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        objr_json_write_number(f, v[i], 3);
    }
    fputc(']', f);
}

/* Everything before the renders: input, fold-down, binaural set-up, thresholds, mix. */
static void json_header(FILE *f, const objr_check_report *r) {
    const objr_folddown_config *fc = &r->fold;
    fprintf(f, "{\n  \"tool\": \"objrender translation check\",\n  \"input\": ");
    objr_json_write_string(f, r->input);
    fprintf(f, ",\n  \"verdict\": \"%s\",\n  \"sample_rate_hz\": %u,\n  \"duration_s\": ",
            objr__check_verdict_name(objr_check_report_verdict(r)), (unsigned)r->sample_rate_hz);
    objr_json_write_number(f, r->duration_s, 3);
    fprintf(f, ",\n  \"reference\": \"7.1.4\",\n  \"folddown\": {\"centre_trim_db\": ");
    objr_json_write_number(f, fc->centre_trim_db, 3);
    fprintf(f, ", \"surround_trim_db\": ");
    objr_json_write_number(f, fc->surround_trim_db, 3);
    fprintf(f, ", \"height_trim_db\": ");
    objr_json_write_number(
        f, fc->height_trim_db <= OBJR_FOLDDOWN_OFF_DB ? -HUGE_VAL : fc->height_trim_db, 3);
    fprintf(f, ", \"back_trim_db\": ");
    objr_json_write_number(f, fc->back_trim_db, 3);
    fprintf(f, ", \"front_back_balance_db\": ");
    objr_json_write_number(f, fc->front_back_balance_db, 3);
    fprintf(f, ", \"lfe_policy\": \"%s\", \"lfe_gain_db\": ",
            fc->lfe_policy == OBJR_LFE_FOLD ? "fold" : "drop");
    objr_json_write_number(f, fc->lfe_policy == OBJR_LFE_FOLD ? fc->lfe_gain_db : -HUGE_VAL, 3);
    fprintf(f, ", \"hilbert_taps\": %d},\n", OBJR_FOLDDOWN_HILBERT_TAPS);
    fprintf(f, "  \"dbmd_notes\": [");
    for (size_t k = 0; k < r->n_dbmd_notes; k++) {
        fprintf(f, k ? ", " : "");
        objr_json_write_string(f, r->dbmd_notes[k]);
    }
    fprintf(f, "],\n");
    if (r->has_binaural) {
        fprintf(f, "  \"binaural\": {\"hrtf\": ");
        objr_json_write_string(f, r->hrtf_path);
        fprintf(f, ", \"mode\": \"%s\", \"objects_measured\": %zu, \"reference_at_ears_lufs\": ",
                objr__report_mode_name(r->binaural_mode), r->n_objects_binaural);
        objr_json_write_number(f, r->ear_ref_lufs, 3);
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
    objr_json_write_number(f, r->mix_peak_dbfs, 3);
    fprintf(f, ", \"lead_silence_s\": ");
    objr_json_write_number(f, r->lead_silence_s, 3);
    fprintf(f, ", \"trail_silence_s\": ");
    objr_json_write_number(f, r->trail_silence_s, 3);
    fprintf(f, "},\n  \"bands_hz\": [");
    for (int b = 0; b < OBJR__CHECK_N_BANDS; b++)
        fprintf(f, "%s%.1f", b ? ", " : "", objr__check_band_centre_hz(b));
}

static void json_render(FILE *f, const objr_check_report *r, size_t k) {
    const objr__check_render *R = &r->renders[k];
    fprintf(f, "    {\"key\": ");
    objr_json_write_string(f, R->key);
    fprintf(f, ", \"name\": ");
    objr_json_write_string(f, R->name);
    fprintf(f, ", \"reference\": %s, \"folddown\": %s, \"channels\": [",
            R->is_reference ? "true" : "false", R->is_folddown ? "true" : "false");
    for (size_t c = 0; c < R->n_channels; c++) {
        if (c)
            fputs(", ", f);
        objr_json_write_string(f, R->labels[c]);
    }
    fprintf(f, "],\n     \"integrated_lufs\": ");
    objr_json_write_number(f, R->integrated_lufs, 3);
    fprintf(f, ", \"lra_lu\": ");
    objr_json_write_number(f, R->lra_lu, 3);
    fprintf(f, ", \"true_peak_dbtp\": ");
    objr_json_write_number(f, R->true_peak_dbtp, 3);
    fprintf(f, ", \"sample_peak_dbfs\": ");
    objr_json_write_number(f, R->sample_peak_dbfs, 3);
    fprintf(f, ", \"limiter_reduction_db\": ");
    objr_json_write_number(f, R->limiter_db, 3);
    fprintf(f, ", \"delta_lu\": ");
    objr_json_write_number(f, R->delta_lu, 3);
    fprintf(f, ", \"delta_lra_lu\": ");
    objr_json_write_number(f, R->delta_lra_lu, 3);
    if (R->is_stereo) {
        fprintf(f, ",\n     \"correlation\": {\"global\": ");
        objr_json_write_number(f, R->corr_global, 3);
        fprintf(f, ", \"p5\": ");
        objr_json_write_number(f, R->corr_p5, 3);
        fprintf(f, ", \"min\": ");
        objr_json_write_number(f, R->corr_min, 3);
        fprintf(f, ", \"series_400ms_hop_100ms\": ");
        json_series(f, R->corr, R->n_corr);
        fprintf(f, "}, \"mono_loss_lu\": ");
        objr_json_write_number(f, R->mono_loss_lu, 3);
        fprintf(f, ", \"s_over_m_db\": ");
        objr_json_write_number(f, R->s_over_m_db, 3);
    }
    fprintf(f, ",\n     \"band_db\": ");
    json_series(f, R->band_db, OBJR__CHECK_N_BANDS);
    if (!R->is_reference) {
        fprintf(f, ",\n     \"band_delta_db\": [");
        for (int b = 0; b < OBJR__CHECK_N_BANDS; b++) {
            if (b)
                fputc(',', f);
            objr_json_write_number(f, R->band_valid[b] ? R->band_delta_db[b] : NAN, 3);
        }
        fprintf(f, "], \"tilt_db_per_octave\": ");
        objr_json_write_number(f, R->tilt_db_per_oct, 3);
    }
    fprintf(f, ",\n     \"true_peak_time_s\": ");
    objr_json_write_number(f, R->peak_t_s, 3);
    fprintf(f, ", \"short_term_max_lufs\": ");
    objr_json_write_number(f, R->st_max_lufs, 3);
    fprintf(f, ", \"short_term_max_time_s\": ");
    objr_json_write_number(f, R->st_max_t_s, 3);
    if (R->is_stereo) {
        fprintf(f, ", \"correlation_min_time_s\": ");
        objr_json_write_number(f, R->corr_min_t_s, 3);
        fprintf(f, ",\n     \"cancelling_pairs\": [");
        for (size_t i = 0; i < R->n_pairs; i++) {
            const objr__check_pair *P = &R->pairs[i];
            fprintf(f, "%s{\"a\": ", i ? ", " : "");
            objr_json_write_string(f, P->a);
            fprintf(f, ", \"b\": ");
            objr_json_write_string(f, P->b);
            fprintf(f, ", \"worst_loss_db\": ");
            objr_json_write_number(f, P->worst_db, 3);
            fprintf(f, ", \"worst_time_s\": ");
            objr_json_write_number(f, P->t_worst_s, 3);
            fprintf(f, ", \"from_s\": ");
            objr_json_write_number(f, P->t_first_s, 3);
            fprintf(f, ", \"to_s\": ");
            objr_json_write_number(f, P->t_last_s, 3);
            fprintf(f, "}");
        }
        fprintf(f, "]");
    }
    if (R->sc_elements) {
        fprintf(f, ",\n     \"spatial_coding\": {\"elements\": %zu, \"mean_error_deg\": ",
                R->sc_elements);
        objr_json_write_number(f, R->sc_mean_err_deg, 3);
        fprintf(f, ", \"max_error_deg\": ");
        objr_json_write_number(f, R->sc_max_err_deg, 3);
        fprintf(f, "}");
    }
    fprintf(f, ",\n     \"short_term_lufs_hop_100ms\": ");
    json_series(f, R->st, R->n_st);
    fprintf(f, "}%s\n", k + 1 < r->n_renders ? "," : "");
}

static void json_object(FILE *f, const objr_check_report *r, size_t o) {
    const objr__check_object *O = &r->objects[o];
    fprintf(f, "    {\"id\": ");
    objr_json_write_string(f, O->id);
    fprintf(f, ", \"name\": ");
    objr_json_write_string(f, O->name);
    fprintf(f, ", \"level_lufs\": {");
    for (size_t k = 0; k < r->n_renders; k++) {
        if (k)
            fputs(", ", f);
        objr_json_write_string(f, r->renders[k].key);
        fputs(": ", f);
        objr_json_write_number(f, O->level_lufs[k], 3);
    }
    fprintf(f, "}, \"delta_db\": {");
    for (size_t k = 1; k < r->n_renders; k++) {
        if (k > 1)
            fputs(", ", f);
        objr_json_write_string(f, r->renders[k].key);
        fputs(": ", f);
        objr_json_write_number(f, isfinite(O->level_lufs[0]) ? O->delta_db[k] : NAN, 3);
    }
    fprintf(f, "}, \"mono_lufs\": {");
    int first = 1;
    for (size_t k = 0; k < r->n_renders; k++) {
        if (!r->renders[k].is_stereo)
            continue;
        if (!first)
            fputs(", ", f);
        first = 0;
        objr_json_write_string(f, r->renders[k].key);
        fputs(": ", f);
        objr_json_write_number(f, O->mono_lufs[k], 3);
    }
    fprintf(f, "}, \"masking_margin_db\": {");
    first = 1;
    for (size_t k = 0; k < r->n_renders; k++) {
        if (isnan(O->margin_db[k]))
            continue;
        if (!first)
            fputs(", ", f);
        first = 0;
        objr_json_write_string(f, r->renders[k].key);
        fputs(": ", f);
        objr_json_write_number(f, O->margin_db[k], 3);
    }
    fprintf(f, "}, \"muted\": %s, \"active_s\": ", O->muted ? "true" : "false");
    objr_json_write_number(f, O->active_s, 3);
    if (!isnan(O->sc_err_deg)) { /* with a spatial coding render */
        fprintf(f, ", \"spatial_error_deg\": ");
        objr_json_write_number(f, O->sc_err_deg, 3);
        fprintf(f, ", \"spatial_error_time_s\": ");
        objr_json_write_number(f, O->sc_err_t_s, 3);
    }
    fprintf(f, ", \"positions_xyz\": [");
    for (size_t p = 0; p < O->n_pos; p++)
        fprintf(f, "%s[%.3f,%.3f,%.3f]", p ? "," : "", O->pos[p][0], O->pos[p][1], O->pos[p][2]);
    fprintf(f, "]}%s\n", o + 1 < r->n_objects ? "," : "");
}

static void json_stem(FILE *f, const objr_check_report *r, size_t s) {
    const objr__check_stem *S = &r->stems[s];
    fprintf(f, "    {\"name\": ");
    objr_json_write_string(f, S->name);
    fprintf(f,
            ", \"channels\": %u, \"sample_rate_hz\": %u, \"bits\": %u, \"float\": %s, "
            "\"peak_dbfs\": ",
            (unsigned)S->n_channels, (unsigned)S->sample_rate_hz, (unsigned)S->bits,
            S->is_float ? "true" : "false");
    objr_json_write_number(f, S->peak_dbfs, 3);
    fprintf(f, ", \"dc_dbfs\": ");
    objr_json_write_number(f, S->dc_dbfs, 3);
    fprintf(f, ", \"clipped_samples\": %llu, \"clicks\": %llu, \"lead_silence_s\": ",
            (unsigned long long)S->n_clipped, (unsigned long long)S->n_clicks);
    objr_json_write_number(f, S->lead_silence_s, 3);
    fprintf(f, ", \"trail_silence_s\": ");
    objr_json_write_number(f, S->trail_silence_s, 3);
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
    FILE *f = objr__report_open(r, path, &set, diag);
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
    objr_json_write_number(f, r->lfe_rms_dbfs, 3);
    fprintf(f, ", \"above_120hz_under_total_db\": ");
    objr_json_write_number(f, r->lfe_above_120_db, 3);
    fprintf(f, "},\n  \"programme_start_s\": ");
    objr_json_write_number(f, r->has_start ? r->start_s : NAN, 3);
    fprintf(f, ",\n  \"stems\": [\n");
    for (size_t s = 0; s < r->n_stems; s++)
        json_stem(f, r, s);
    fprintf(f, "  ],\n  \"findings\": [\n");
    for (size_t i = 0; i < r->n_findings; i++) {
        const objr__check_finding *F = &r->findings[i];
        fprintf(f, "    {\"check\": ");
        objr_json_write_string(f, F->check);
        fprintf(f, ", \"verdict\": \"%s\", \"render\": ", objr__check_verdict_name(F->verdict));
        objr_json_write_string(f, F->render);
        fprintf(f, ", \"subject\": ");
        objr_json_write_string(f, F->subject);
        fprintf(f, ", \"value\": ");
        objr_json_write_number(f, F->value, 3);
        fprintf(f, ", \"message\": ");
        objr_json_write_string(f, F->message);
        fprintf(f, "}%s\n", i + 1 < r->n_findings ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    return objr__report_finish(set, f, diag);
}
