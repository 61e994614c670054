/* SPDX-License-Identifier: BSD-3-Clause */
/* The translation check's verdicts (REFERENCES.md §5.2), from the measured report: stem QC
 * (clipping, DC, clicks grouped in time, headroom, silence), loudness/LRA/true-peak deltas
 * (ITU-R BS.1770-4, EBU Tech 3342) with the times of the worst moments, correlation and mono
 * compatibility with the cancelling pairs named (Lt/Rt judged on the matrix's front paths:
 * its surround path cancels in mono by design), spectral balance, per-object audibility
 * (falls, masking estimate, muted), and "too short to measure" once. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "src/check/checks.h"

/* Programmes shorter than this get no LRA comparison (EBU Tech 3342 uses 3 s windows). */
#define MIN_LRA_S 3.0
/* Pairs named per failing stereo render. */
#define PAIRS_NAMED 3

/* Thresholds: the defaults and the by-name setter of the thresholds file. */
objr_check_thresholds objr_check_thresholds_default(void) {
    objr_check_thresholds t;
    memset(&t, 0, sizeof t);
    t.loudness_delta_warn_lu = 2.0;
    t.loudness_delta_fail_lu = 4.0;
    t.lra_delta_warn_lu = 3.0;
    t.lra_delta_fail_lu = 6.0;
    t.true_peak_ceiling_dbtp = -1.0;
    t.limiter_fail_db = 3.0;
    t.corr_p5_warn = 0.0;
    t.corr_p5_fail = -0.3;
    t.mono_loss_warn_lu = 3.0;
    t.mono_loss_fail_lu = 6.0;
    t.band_warn_db = 3.0;
    t.band_fail_db = 6.0;
    t.object_drop_warn_db = 4.0;
    t.object_drop_fail_db = 8.0;
    t.object_mono_warn_lu = 4.5;
    t.object_mono_fail_lu = 9.0;
    t.clip_level_dbfs = -0.01;
    t.clip_run = 3;
    t.headroom_warn_dbfs = -3.0;
    t.headroom_fail_dbfs = 0.0;
    t.dc_warn_dbfs = -50.0;
    t.dc_fail_dbfs = -40.0;
    t.click_ratio = 12.0;
    t.silence_level_dbfs = -60.0;
    t.lead_silence_warn_s = 2.0;
    t.trail_silence_warn_s = 5.0;
    t.buried_db = 15.0;
    t.spatial_error_warn_deg = 30.0;
    t.spatial_error_fail_deg = 60.0;
    return t;
}

objr_status objr_check_thresholds_set(objr_check_thresholds *t, const char *name, double value) {
    if (isnan(value))
        return OBJR_ERR_RANGE;
    static const struct {
        const char *name;
        size_t off;
    } tab[] = {
#define F(n, f) {n, offsetof(objr_check_thresholds, f)}
        F("loudness_delta_warn", loudness_delta_warn_lu),
        F("loudness_delta_fail", loudness_delta_fail_lu),
        F("lra_delta_warn", lra_delta_warn_lu),
        F("lra_delta_fail", lra_delta_fail_lu),
        F("true_peak_ceiling", true_peak_ceiling_dbtp),
        F("limiter_fail", limiter_fail_db),
        F("corr_p5_warn", corr_p5_warn),
        F("corr_p5_fail", corr_p5_fail),
        F("mono_loss_warn", mono_loss_warn_lu),
        F("mono_loss_fail", mono_loss_fail_lu),
        F("band_warn", band_warn_db),
        F("band_fail", band_fail_db),
        F("object_drop_warn", object_drop_warn_db),
        F("object_drop_fail", object_drop_fail_db),
        F("object_mono_warn", object_mono_warn_lu),
        F("object_mono_fail", object_mono_fail_lu),
        F("clip_level", clip_level_dbfs),
        F("headroom_warn", headroom_warn_dbfs),
        F("headroom_fail", headroom_fail_dbfs),
        F("dc_warn", dc_warn_dbfs),
        F("dc_fail", dc_fail_dbfs),
        F("click_ratio", click_ratio),
        F("silence_level", silence_level_dbfs),
        F("lead_silence_warn", lead_silence_warn_s),
        F("trail_silence_warn", trail_silence_warn_s),
        F("buried", buried_db),
        F("spatial_error_warn", spatial_error_warn_deg),
        F("spatial_error_fail", spatial_error_fail_deg),
#undef F
    };
    if (strcmp(name, "clip_run") == 0) {
        if (!(value >= 1 && value <= 1000))
            return OBJR_ERR_RANGE;
        t->clip_run = (unsigned)value;
        return OBJR_OK;
    }
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(name, tab[i].name) == 0) {
            double *p = (double *)(void *)((char *)t + tab[i].off);
            *p = value;
            return OBJR_OK;
        }
    return OBJR_ERR_INVALID_ARG;
}

const char *objr__check_verdict_name(objr_check_verdict v) {
    return v == OBJR_CHECK_FAIL ? "fail" : v == OBJR_CHECK_WARN ? "warn" : "pass";
}

objr_status objr__check_add_finding(objr_check_report *r, const char *check, objr_check_verdict v,
                                    const char *render, const char *subject, double value,
                                    const char *fmt, ...) {
    if (r->n_findings == r->cap_findings) {
        size_t cap = r->cap_findings ? 2 * r->cap_findings : 32;
        objr__check_finding *p = objr__realloc_array(r->findings, cap, sizeof *p);
        if (!p)
            return OBJR_ERR_NOMEM;
        r->findings = p;
        r->cap_findings = cap;
    }
    objr__check_finding *f = &r->findings[r->n_findings++];
    memset(f, 0, sizeof *f);
    snprintf(f->check, sizeof f->check, "%s", check);
    f->verdict = v;
    snprintf(f->render, sizeof f->render, "%s", render ? render : "");
    snprintf(f->subject, sizeof f->subject, "%s", subject ? subject : "");
    f->value = value;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    objr__one_line(f->message);
    va_end(ap);
    return OBJR_OK;
}

#define add_finding objr__check_add_finding

void objr__check_object_label(const objr__check_object *o, char *buf, size_t n) {
    if (o->name[0])
        snprintf(buf, n, "%s '%s'", o->id, o->name);
    else
        snprintf(buf, n, "%s", o->id);
}

const char *objr__check_time(const objr_check_report *r, double t_s, char *buf, size_t n) {
    if (!isfinite(t_s)) {
        snprintf(buf, n, "?");
        return buf;
    }
    if (!r->has_start) {
        snprintf(buf, n, "%.2f s", t_s);
        return buf;
    }
    double tc = r->start_s + t_s;
    long ms = lround(tc * 1000.0);
    snprintf(buf, n, "%.2f s (%02ld:%02ld:%02ld.%03ld)", t_s, ms / 3600000, ms / 60000 % 60,
             ms / 1000 % 60, ms % 1000);
    return buf;
}

static objr_check_verdict above(double v, double warn, double fail) {
    return v > fail ? OBJR_CHECK_FAIL : v > warn ? OBJR_CHECK_WARN : OBJR_CHECK_PASS;
}

/* ---- stem QC ----------------------------------------------------------------------------- */

/* "1.20-1.80 s (3), 10.50 s" */
static void click_times(const objr_check_report *r, const objr__check_stem *S, char *out,
                        size_t n) {
    out[0] = 0;
    for (size_t i = 0; i < S->n_click_ranges; i++) {
        char a[48], b[48];
        size_t l = strlen(out);
        objr__check_time(r, S->click_from_s[i], a, sizeof a);
        if (S->click_count[i] > 1) {
            objr__check_time(r, S->click_to_s[i], b, sizeof b);
            snprintf(out + l, n - l, "%s%s to %s (%llu)", i ? ", " : "", a, b,
                     (unsigned long long)S->click_count[i]);
        } else
            snprintf(out + l, n - l, "%s%s", i ? ", " : "", a);
    }
}

static void findings_qc(objr_check_report *r) {
    const objr_check_thresholds *t = &r->th;
    int any_clip = 0, any_dc = 0, any_click = 0;
    char tb[64];
    for (size_t s = 0; s < r->n_stems; s++) {
        const objr__check_stem *S = &r->stems[s];
        if (S->n_clipped) {
            any_clip = 1;
            add_finding(r, "qc_clipping", OBJR_CHECK_FAIL, "", S->name, (double)S->n_clipped,
                        "stem %s has %llu clipped samples (runs of %u at %.2f dBFS or overs), "
                        "first at %s",
                        S->name, (unsigned long long)S->n_clipped, t->clip_run, t->clip_level_dbfs,
                        objr__check_time(r, S->first_clip_s, tb, sizeof tb));
        }
        objr_check_verdict v = above(S->dc_dbfs, t->dc_warn_dbfs, t->dc_fail_dbfs);
        if (v != OBJR_CHECK_PASS) {
            any_dc = 1;
            add_finding(r, "qc_dc", v, "", S->name, S->dc_dbfs,
                        "stem %s has a DC offset of %.1f dBFS", S->name, S->dc_dbfs);
        }
        if (S->n_clicks) {
            any_click = 1;
            char when[300];
            click_times(r, S, when, sizeof when);
            add_finding(r, "qc_clicks", OBJR_CHECK_WARN, "", S->name, (double)S->n_clicks,
                        "stem %s: %llu click(s) at %s (second difference > %.0fx its RMS over "
                        "1 ms around it)",
                        S->name, (unsigned long long)S->n_clicks, when, t->click_ratio);
        }
    }
    if (!any_clip)
        add_finding(r, "qc_clipping", OBJR_CHECK_PASS, "", "", 0,
                    "no clipped samples in %zu stem(s)", r->n_stems);
    if (!any_dc)
        add_finding(r, "qc_dc", OBJR_CHECK_PASS, "", "", 0, "no DC offset above %.0f dBFS",
                    t->dc_warn_dbfs);
    if (!any_click)
        add_finding(r, "qc_clicks", OBJR_CHECK_PASS, "", "", 0, "no clicks found");
    const objr__check_render *A = &r->renders[0];
    add_finding(r, "qc_headroom",
                above(r->mix_peak_dbfs, t->headroom_warn_dbfs, t->headroom_fail_dbfs), A->name, "",
                r->mix_peak_dbfs,
                "the %s render peaks at %.1f dBFS at %s (a mix should peak around -6 dBFS before "
                "mastering)",
                A->name, r->mix_peak_dbfs, objr__check_time(r, A->peak_t_s, tb, sizeof tb));
    objr_check_verdict vs =
        r->lead_silence_s > t->lead_silence_warn_s || r->trail_silence_s > t->trail_silence_warn_s
            ? OBJR_CHECK_WARN
            : OBJR_CHECK_PASS;
    add_finding(r, "qc_silence", vs, A->name, "", r->lead_silence_s,
                "leading silence %.2f s, trailing silence %.2f s (below %.0f dBFS)",
                r->lead_silence_s, r->trail_silence_s, t->silence_level_dbfs);
}

/* ---- loudness ---------------------------------------------------------------------------- */

static void findings_loudness(objr_check_report *r, size_t k) {
    const objr_check_thresholds *t = &r->th;
    const objr__check_render *A = &r->renders[0];
    objr__check_render *B = &r->renders[k];
    char tb[64], tp[64];
    objr__check_time(r, B->st_max_t_s, tb, sizeof tb);
    if (k == 0)
        add_finding(r, "loudness_delta", OBJR_CHECK_PASS, B->name, "", 0.0,
                    "%s reference: %.1f LUFS, LRA %.1f LU; loudest 3 s %.1f LUFS ending at %s",
                    B->name, B->integrated_lufs, B->lra_lu, B->st_max_lufs, tb);
    else {
        if (isfinite(B->integrated_lufs) && isfinite(A->integrated_lufs))
            B->delta_lu = B->integrated_lufs - A->integrated_lufs;
        else
            B->delta_lu = isfinite(A->integrated_lufs) ? -HUGE_VAL : 0.0;
        add_finding(r, "loudness_delta",
                    above(fabs(B->delta_lu), t->loudness_delta_warn_lu, t->loudness_delta_fail_lu),
                    B->name, "", B->delta_lu,
                    "%s: %.1f LUFS, %+.1f LU from the %s reference; loudest 3 s %.1f LUFS ending "
                    "at %s",
                    B->name, B->integrated_lufs, B->delta_lu, A->name, B->st_max_lufs, tb);
        B->delta_lra_lu = B->lra_lu - A->lra_lu;
        if (isfinite(B->delta_lra_lu) && r->duration_s >= MIN_LRA_S)
            add_finding(r, "lra_delta",
                        above(fabs(B->delta_lra_lu), t->lra_delta_warn_lu, t->lra_delta_fail_lu),
                        B->name, "", B->delta_lra_lu, "%s: LRA %.1f LU (%+.1f LU)", B->name,
                        B->lra_lu, B->delta_lra_lu);
    }
    objr_check_verdict v = B->limiter_db <= 0                   ? OBJR_CHECK_PASS
                           : B->limiter_db > t->limiter_fail_db ? OBJR_CHECK_FAIL
                                                                : OBJR_CHECK_WARN;
    add_finding(r, "true_peak", v, B->name, "", B->true_peak_dbtp,
                "%s: true peak %.1f dBTP before limiting, at %s; a %.1f dBTP limiter takes "
                "%.1f dB",
                B->name, B->true_peak_dbtp, objr__check_time(r, B->peak_t_s, tp, sizeof tp),
                t->true_peak_ceiling_dbtp, B->limiter_db);
}

/* ---- stereo: correlation, mono, the pairs that cancel ------------------------------------ */

static void findings_pairs(objr_check_report *r, const objr__check_render *B,
                           objr_check_verdict v) {
    size_t n = B->n_pairs < PAIRS_NAMED ? B->n_pairs : PAIRS_NAMED;
    char ta[64], tb[64], tw[64], subj[200];
    for (size_t i = 0; i < n; i++) {
        const objr__check_pair *P = &B->pairs[i];
        snprintf(subj, sizeof subj, "%.95s + %.95s", P->a, P->b);
        add_finding(r, "phase_pair", v, B->name, subj, -P->worst_db,
                    "%s: %s and %s cancel when summed to mono: together -%.1f dB in their worst "
                    "100 ms (at %s); between %s and %s",
                    B->name, P->a, P->b, P->worst_db,
                    objr__check_time(r, P->t_worst_s, tw, sizeof tw),
                    objr__check_time(r, P->t_first_s, ta, sizeof ta),
                    objr__check_time(r, P->t_last_s, tb, sizeof tb));
    }
    if (n == 0)
        add_finding(r, "phase_pair", OBJR_CHECK_WARN, B->name, "", 0.0,
                    "%s: no pair of objects or bed channels explains the loss (a source's own "
                    "channels, or decorrelated content)",
                    B->name);
}

static void findings_stereo(objr_check_report *r, size_t k) {
    const objr_check_thresholds *t = &r->th;
    const objr__check_render *B = &r->renders[k];
    char tb[64];
    const char *what = B->is_ltrt ? " (front paths L, C, R; the surround path cancels in mono "
                                    "by design)"
                                  : "";
    objr_check_verdict vc = isnan(B->corr_p5)              ? OBJR_CHECK_PASS
                            : B->corr_p5 < t->corr_p5_fail ? OBJR_CHECK_FAIL
                            : B->corr_p5 < t->corr_p5_warn ? OBJR_CHECK_WARN
                                                           : OBJR_CHECK_PASS;
    add_finding(r, "correlation", vc, B->name, "", B->corr_p5,
                "%s%s: correlation %.2f overall, 5th percentile %.2f, minimum %.2f in the 400 ms "
                "ending at %s",
                B->name, what, B->corr_global, B->corr_p5, B->corr_min,
                objr__check_time(r, B->corr_min_t_s, tb, sizeof tb));
    objr_check_verdict vm = above(-B->mono_loss_lu, t->mono_loss_warn_lu, t->mono_loss_fail_lu);
    if (B->is_ltrt)
        add_finding(r, "mono", vm, B->name, "", B->mono_loss_lu,
                    "%s: summed to mono its front paths (L, C, R) change by %+.1f LU; the "
                    "surround path adds %.1f LU to the Lt/Rt and cancels in mono as the matrix "
                    "intends",
                    B->name, B->mono_loss_lu, B->surround_share_lu);
    else
        add_finding(r, "mono", vm, B->name, "", B->mono_loss_lu,
                    "%s: summed to mono it changes by %+.1f LU (S/M %.1f dB)", B->name,
                    B->mono_loss_lu, B->s_over_m_db);
    objr_check_verdict worst = vc > vm ? vc : vm;
    if (worst != OBJR_CHECK_PASS)
        findings_pairs(r, B, worst);
}

/* ---- spectral balance -------------------------------------------------------------------- */

/* d_b = 10 log10(E_b(B)/E_b(A)) - dL, bands within 50 dB of the strongest band of either
 * render. Binaural: against the 7.1.4 heard at the ears (its loudspeakers as virtual
 * loudspeakers through the same HRTF set and room), dL the loudness difference of the two at
 * the ears. */
static void findings_spectral(objr_check_report *r, size_t k) {
    const objr_check_thresholds *t = &r->th;
    const objr__check_render *A = &r->renders[0];
    objr__check_render *B = &r->renders[k];
    const double *ref_db = B->is_binaural ? r->ear_ref_db : A->band_db;
    double maxA = -HUGE_VAL, maxB = -HUGE_VAL;
    for (int b = 0; b < OBJR__CHECK_N_BANDS; b++) {
        maxA = ref_db[b] > maxA ? ref_db[b] : maxA;
        maxB = B->band_db[b] > maxB ? B->band_db[b] : maxB;
    }
    double dl = isfinite(B->delta_lu) ? B->delta_lu : 0.0;
    if (B->is_binaural)
        dl = isfinite(B->integrated_lufs) && isfinite(r->ear_ref_lufs)
                 ? B->integrated_lufs - r->ear_ref_lufs
                 : 0.0;
    double sx = 0, sy = 0, sxx = 0, sxy = 0, nb = 0;
    int flagged = 0;
    B->max_abs_band_db = 0;
    for (int b = 0; b < OBJR__CHECK_N_BANDS; b++) {
        int valid = (isfinite(ref_db[b]) && ref_db[b] > maxA - 50.0) ||
                    (isfinite(B->band_db[b]) && B->band_db[b] > maxB - 50.0);
        B->band_valid[b] = valid;
        B->band_delta_db[b] = 0;
        if (!valid)
            continue;
        double a = isfinite(ref_db[b]) ? ref_db[b] : maxA - 100.0;
        double bb = isfinite(B->band_db[b]) ? B->band_db[b] : maxB - 100.0;
        double d = fmax(-99.0, fmin(99.0, bb - a - dl));
        B->band_delta_db[b] = d;
        B->max_abs_band_db = fmax(B->max_abs_band_db, fabs(d));
        double fc = objr__check_band_centre_hz(b);
        if (fc >= 49.0) {
            double lx = log2(fc / 1000.0);
            sx += lx;
            sy += d;
            sxx += lx * lx;
            sxy += lx * d;
            nb += 1;
        }
        objr_check_verdict vb = above(fabs(d), t->band_warn_db, t->band_fail_db);
        if (vb != OBJR_CHECK_PASS) {
            flagged = 1;
            add_finding(r, "spectral_balance", vb, B->name, objr__check_band_name(b), d,
                        "%s: the %s band is %+.1f dB against %s after %s%s", B->name,
                        objr__check_band_name(b), d, A->name,
                        B->is_binaural ? "loudness matching, both heard at the ears"
                                       : "loudness matching",
                        d <= -40 ? " (lost)" : "");
        }
    }
    B->tilt_db_per_oct =
        nb >= 2 && (nb * sxx - sx * sx) > 0 ? (nb * sxy - sx * sy) / (nb * sxx - sx * sx) : 0.0;
    if (!flagged)
        add_finding(r, "spectral_balance", OBJR_CHECK_PASS, B->name, "", B->max_abs_band_db,
                    "%s: every third-octave band within %.1f dB of %s (largest %.1f dB, tilt "
                    "%+.2f dB/oct)",
                    B->name, t->band_warn_db, A->name, B->max_abs_band_db, B->tilt_db_per_oct);
}

/* ---- objects ------------------------------------------------------------------------------ */

/* An object's fall against its 7.1.4 level in render k. */
static void findings_object_falls(objr_check_report *r, size_t k) {
    const objr_check_thresholds *t = &r->th;
    objr__check_render *B = &r->renders[k];
    int oflag = 0;
    char lab[200];
    for (size_t o = 0; o < r->n_objects; o++) {
        objr__check_object *O = &r->objects[o];
        double la = O->level_lufs[0], lb = O->level_lufs[k];
        O->delta_db[k] = isnan(lb) ? NAN : 0.0;
        if (isnan(lb) || !isfinite(la) || O->muted)
            continue;
        double d = isfinite(lb) ? lb - la : -HUGE_VAL;
        O->delta_db[k] = d;
        objr_check_verdict vo = above(-d, t->object_drop_warn_db, t->object_drop_fail_db);
        if (vo == OBJR_CHECK_PASS)
            continue;
        oflag = 1;
        objr__check_object_label(O, lab, sizeof lab);
        if (isfinite(d))
            add_finding(r, "object_audibility", vo, B->name, lab, d, "%s falls %.1f dB in %s", lab,
                        -d, B->name);
        else
            add_finding(r, "object_audibility", vo, B->name, lab, -HUGE_VAL, "%s vanishes from %s",
                        lab, B->name);
    }
    size_t n_meas = B->is_binaural ? r->n_objects_binaural : r->n_objects;
    if (!oflag && n_meas)
        add_finding(r, "object_audibility", OBJR_CHECK_PASS, B->name, "", 0.0,
                    "%s: no object falls more than %.1f dB", B->name, t->object_drop_warn_db);
    if (n_meas < r->n_objects)
        add_finding(r, "object_audibility", OBJR_CHECK_PASS, B->name, "",
                    (double)(r->n_objects - n_meas),
                    "%s: %zu object(s) past the first %zu not measured alone (binaural renders "
                    "per object are costly: max_binaural_objects)",
                    B->name, r->n_objects - n_meas, n_meas);
}

/* An object's loss when stereo render k is summed to mono, against its level in that render
 * (a hard-panned object loses 3 dB). Lt/Rt: against its level through the front paths; an
 * object only in the surround path is decoded to the surrounds and cancels in mono by design. */
static void findings_object_mono(objr_check_report *r, size_t k) {
    const objr_check_thresholds *t = &r->th;
    const objr__check_render *B = &r->renders[k];
    int mflag = 0;
    size_t n_surround = 0;
    char lab[200];
    for (size_t o = 0; o < r->n_objects; o++) {
        const objr__check_object *O = &r->objects[o];
        double ref = B->is_ltrt ? O->front_lufs[k] : O->level_lufs[k];
        if (!isfinite(O->level_lufs[k]) || O->muted)
            continue;
        if (B->is_ltrt && (!isfinite(ref) || ref < O->level_lufs[k] - 10.0)) {
            n_surround++; /* (almost) all of it in the surround path */
            continue;
        }
        double d = isfinite(O->mono_lufs[k]) ? O->mono_lufs[k] - ref : -HUGE_VAL;
        objr_check_verdict vm = above(-d, t->object_mono_warn_lu, t->object_mono_fail_lu);
        if (vm == OBJR_CHECK_PASS)
            continue;
        mflag = 1;
        objr__check_object_label(O, lab, sizeof lab);
        if (isfinite(d))
            add_finding(r, "object_mono", vm, B->name, lab, d,
                        "%s loses %.1f dB when %s is summed to mono", lab, -d, B->name);
        else
            add_finding(r, "object_mono", vm, B->name, lab, -HUGE_VAL,
                        "%s cancels when %s is summed to mono", lab, B->name);
    }
    if (!mflag && r->n_objects)
        add_finding(r, "object_mono", OBJR_CHECK_PASS, B->name, "", 0.0,
                    "%s: no object loses more than %.1f dB in mono", B->name,
                    t->object_mono_warn_lu);
    if (n_surround)
        add_finding(r, "object_mono", OBJR_CHECK_PASS, B->name, "", (double)n_surround,
                    "%s: %zu object(s) only in the surround path: they cancel in mono as the "
                    "matrix intends (a decoder steers them to the surrounds)",
                    B->name, n_surround);
}

/* Objects whose stems carry signal that no render lets through (gain 0, mute) or that the
 * rest of the mix masks in every loudspeaker render: named in each render. */
static void findings_object_presence(objr_check_report *r) {
    const objr_check_thresholds *t = &r->th;
    char lab[200], tb[64];
    for (size_t o = 0; o < r->n_objects; o++) {
        const objr__check_object *O = &r->objects[o];
        if (!(O->active_s > 0))
            continue;
        objr__check_object_label(O, lab, sizeof lab);
        int buried_all = 1, n_meas = 0;
        for (size_t k = 0; k < r->n_renders; k++) {
            if (r->renders[k].is_binaural || isnan(O->margin_db[k]))
                continue;
            n_meas++;
            if (O->margin_db[k] >= -t->buried_db)
                buried_all = 0;
        }
        if (!n_meas || !(O->muted || buried_all))
            continue;
        for (size_t k = 0; k < r->n_renders; k++) {
            const objr__check_render *B = &r->renders[k];
            if (B->is_binaural || isnan(O->margin_db[k]))
                continue;
            if (O->muted)
                add_finding(r, "object_muted", OBJR_CHECK_FAIL, B->name, lab, -HUGE_VAL,
                            "%s: its stems carry %.1f s of signal (%.1f dBFS RMS) but nothing "
                            "reaches %s (gain 0 or mute)",
                            lab, O->active_s, O->stem_rms_dbfs, B->name);
            else
                add_finding(r, "object_buried",
                            O->margin_db[k] < -2.0 * t->buried_db ? OBJR_CHECK_FAIL
                                                                  : OBJR_CHECK_WARN,
                            B->name, lab, O->margin_db[k],
                            "%s is buried in %s: never closer than %.1f dB to the rest of the "
                            "mix in any channel and octave band (masking estimate; closest at "
                            "%s)",
                            lab, B->name, O->margin_db[k],
                            objr__check_time(r, O->margin_t_s[k], tb, sizeof tb));
        }
    }
}

/* Spatial coding render k: each object's largest position error against the elements it was
 * coded into, with its time; one line for the render. */
static void findings_spatial(objr_check_report *r, size_t k) {
    const objr_check_thresholds *t = &r->th;
    const objr__check_render *B = &r->renders[k];
    char lab[200], tb[64];
    int flag = 0;
    for (size_t o = 0; o < r->n_objects; o++) {
        const objr__check_object *O = &r->objects[o];
        if (isnan(O->sc_err_deg))
            continue;
        objr_check_verdict v =
            above(O->sc_err_deg, t->spatial_error_warn_deg, t->spatial_error_fail_deg);
        if (v == OBJR_CHECK_PASS)
            continue;
        flag = 1;
        objr__check_object_label(O, lab, sizeof lab);
        add_finding(r, "spatial_error", v, B->name, lab, O->sc_err_deg,
                    "%s%s is coded %.0f deg from its position in %s (at %s)", lab,
                    O->multi_channel ? " (its worst channel)" : "", O->sc_err_deg, B->name,
                    objr__check_time(r, O->sc_err_t_s, tb, sizeof tb));
    }
    if (!flag)
        add_finding(r, "spatial_error", OBJR_CHECK_PASS, B->name, "", B->sc_max_err_deg,
                    "%s: no object coded more than %.0f deg from its position (largest %.1f "
                    "deg, energy-weighted mean %.2f deg)",
                    B->name, t->spatial_error_warn_deg, B->sc_max_err_deg, B->sc_mean_err_deg);
}

/* ---- the run ------------------------------------------------------------------------------ */

/* Programmes too short for a measurement say so once; returns 1 when nothing past the QC can
 * be judged. */
static int findings_too_short(objr_check_report *r) {
    if (r->too_short) {
        add_finding(r, "too_short", OBJR_CHECK_WARN, "", "", r->duration_s,
                    "the programme is %.2f s long: too short to measure loudness, correlation, "
                    "mono loss, spectral balance and object levels (they need at least %.1f s)",
                    r->duration_s, OBJR__CHECK_MIN_S);
        return 1;
    }
    if (r->duration_s < OBJR__CHECK_MIN_SPECTRAL_S || r->duration_s < MIN_LRA_S)
        add_finding(r, "too_short", OBJR_CHECK_PASS, "", "", r->duration_s,
                    "the programme is %.2f s long: %s not measured (too short)", r->duration_s,
                    r->duration_s < OBJR__CHECK_MIN_SPECTRAL_S
                        ? "loudness range and spectral balance"
                        : "loudness range");
    return 0;
}

void objr__check_findings(objr_check_report *r) {
    findings_qc(r);
    if (findings_too_short(r))
        return;
    for (size_t k = 0; k < r->n_renders; k++) {
        findings_loudness(r, k);
        if (r->renders[k].is_stereo) {
            findings_stereo(r, k);
            findings_object_mono(r, k);
        }
        if (k == 0)
            continue;
        if (r->duration_s >= OBJR__CHECK_MIN_SPECTRAL_S)
            findings_spectral(r, k);
        if (r->renders[k].sc_elements)
            findings_spatial(r, k); /* object levels are not measured through the clustering */
        else
            findings_object_falls(r, k);
    }
    findings_object_presence(r);
}
