/* SPDX-License-Identifier: BSD-3-Clause */
/* Translation-check results shared between the measurement (run.c, analyse.c, qc.c, objects.c)
 * and the report writers (report*.c). Internal. */
#ifndef OBJR_SRC_CHECK_CHECKS_H
#define OBJR_SRC_CHECK_CHECKS_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_check.h"
#include "src/check/check_dbmd.h"
#include "src/core/core.h"

/** Third-octave bands, base-10 centres 1000·10^(k/10), k = -15 (31.5 Hz) .. 12 (16 kHz). */
#define OBJR__CHECK_N_BANDS 28
#define OBJR__CHECK_BAND_K0 (-15)
/** Series resolution: one value per 100 ms. */
#define OBJR__CHECK_HOP_S 0.1
/** Shortest programme measured: one BS.1770 gating block (400 ms). */
#define OBJR__CHECK_MIN_S 0.4
/** Spectral balance needs this much programme (the 31.5 Hz band, a few periods per frame). */
#define OBJR__CHECK_MIN_SPECTRAL_S 1.0
/** Correlation window (BS.1770-style 400 ms). */
#define OBJR__CHECK_CORR_HOPS 4
/** Most trajectory points kept per object for the position plots. */
#define OBJR__CHECK_MAX_POS 64

/** Octave bands of the masking estimate: centres 31.5 Hz .. 16 kHz. */
#define OBJR__CHECK_N_OCT 10
/** Cancelling pairs kept per stereo render. */
#define OBJR__CHECK_MAX_PAIRS 6
/** Click time ranges kept per stem (later clicks extend the last range). */
#define OBJR__CHECK_MAX_CLICK_RANGES 8

/** Two sources (objects or bed channels) that cancel when a stereo render is summed to mono. */
typedef struct objr__check_pair {
    char a[160], b[160];
    double energy;   /**< cancelled energy summed over the programme (ranking) */
    double worst_db; /**< the mono loss of the two together in their worst 100 ms */
    double t_first_s, t_last_s, t_worst_s;
} objr__check_pair;

typedef struct objr__check_render {
    char key[16];  /**< "7.1.4", "5.1", "loro", ... */
    char name[48]; /**< "7.1.4", "2.0 Lo/Ro fold-down", ... */
    int is_reference, is_folddown;
    int is_binaural; /**< the headphone render: no correlation/mono checks */
    size_t n_channels;
    char labels[16][16];
    double integrated_lufs, lra_lu, true_peak_dbtp, sample_peak_dbfs;
    double limiter_db; /**< gain reduction a limiter needs to meet the ceiling */
    double delta_lu, delta_lra_lu;
    int is_stereo;
    double corr_global, corr_p5, corr_min, mono_loss_lu, s_over_m_db;
    double *corr; /**< per hop (window ending there), NAN when silent */
    size_t n_corr;
    double *st; /**< short-term loudness per hop, -HUGE_VAL when silent */
    size_t n_st;
    double band_db[OBJR__CHECK_N_BANDS];       /**< long-term band level, dB (relative) */
    double band_delta_db[OBJR__CHECK_N_BANDS]; /**< d_b against the reference */
    int band_valid[OBJR__CHECK_N_BANDS];
    double tilt_db_per_oct, max_abs_band_db;
    int is_ltrt;         /**< correlation and mono judged on the matrix's front paths */
    double peak_t_s;     /**< the 100 ms with the highest sample peak (the true peak's) */
    double corr_min_t_s; /**< end of the worst correlation window, NAN when none */
    double st_max_lufs, st_max_t_s; /**< loudest short-term (3 s) window and its end */
    double surround_share_lu;       /**< ltrt: full Lt/Rt loudness over its front paths' */
    objr__check_pair pairs[OBJR__CHECK_MAX_PAIRS];
    size_t n_pairs;
    /** "spatial coding (N)": the 7.1.4 of the scene clustered to N elements (0: not this) and
     *  the sources' position error against their elements (energy-weighted mean, largest). */
    size_t sc_elements;
    double sc_mean_err_deg, sc_max_err_deg;
} objr__check_render;

typedef struct objr__check_object {
    char id[64];
    char name[128];
    int type;                                  /**< objr_adm_type */
    double level_lufs[OBJR_CHECK_MAX_RENDERS]; /**< NAN: not measured in that render */
    double delta_db[OBJR_CHECK_MAX_RENDERS];
    double mono_lufs[OBJR_CHECK_MAX_RENDERS]; /**< stereo renders: L+R summed, -inf otherwise */
    /** Lt/Rt: the level through the matrix's front paths only (the surround path cancels in
     *  mono by design); the level elsewhere. */
    double front_lufs[OBJR_CHECK_MAX_RENDERS];
    /** Masking estimate: the object's best margin over the rest of the mix (dB, any channel,
     *  any octave band, any 100 ms with the stem active) and when; -inf: nothing reaches the
     *  render; NAN: not measured. */
    double margin_db[OBJR_CHECK_MAX_RENDERS], margin_t_s[OBJR_CHECK_MAX_RENDERS];
    double stem_rms_dbfs; /**< the object's stems over their active time, -inf when silent */
    double active_s;      /**< time its stems carry signal (above the silence level) */
    int muted;            /**< the stem has signal but gain 0 / mute: nothing reaches a render */
    int multi_channel;    /**< positions are several channels (a bed), not one trajectory */
    /** Spatial coding: the largest angle between the object's position and the elements it
     *  was coded into (over its tracks and the 21 ms analysis frames) and when; NAN: not
     *  measured (no spatial coding render, or never active). */
    double sc_err_deg, sc_err_t_s;
    size_t n_pos;
    double pos[OBJR__CHECK_MAX_POS][3]; /**< x (right +), y (front +), z (up +), unit cube */
} objr__check_object;

typedef struct objr__check_stem {
    char name[128];
    uint32_t n_channels, sample_rate_hz, bits;
    int is_float;
    double peak_dbfs, dc_dbfs;
    uint64_t n_clipped, n_clicks;
    double first_clip_s, first_click_s;
    /** Click times grouped into ranges (clicks within 1 s join a range). */
    double click_from_s[OBJR__CHECK_MAX_CLICK_RANGES], click_to_s[OBJR__CHECK_MAX_CLICK_RANGES];
    uint64_t click_count[OBJR__CHECK_MAX_CLICK_RANGES];
    size_t n_click_ranges;
    double lead_silence_s, trail_silence_s;
} objr__check_stem;

typedef struct objr__check_finding {
    char check[32];
    objr_check_verdict verdict;
    char render[48];
    char subject[200];
    double value;
    char message[400];
} objr__check_finding;

struct objr_check_report {
    char input[512];
    uint32_t sample_rate_hz;
    double duration_s;
    objr_check_thresholds th;
    objr_folddown_config fold;
    objr__check_render renders[OBJR_CHECK_MAX_RENDERS];
    size_t n_renders;
    objr__check_object *objects;
    size_t n_objects, n_objects_not_measured;
    objr__check_stem *stems;
    size_t n_stems;
    size_t n_speakers;
    double speakers[16][3]; /**< 7.1.4 positions, unit sphere to cube-ish x,y,z */
    char speaker_labels[16][16];
    double mix_peak_dbfs, lead_silence_s, trail_silence_s;
    objr__check_finding *findings;
    size_t n_findings, cap_findings;
    int has_binaural;
    char hrtf_path[1024]; /**< the SOFA file of the binaural render */
    /** Dolby metadata (dbmd) applied or not, one line each (check_dbmd.h). */
    char dbmd_notes[OBJR__CHECK_DBMD_NOTES][OBJR__CHECK_DBMD_NOTE_SIZE];
    size_t n_dbmd_notes;
    int binaural_mode; /**< objr_binaural_mode used (MID when the default) */
    /** The 7.1.4 reference heard at the ears: its loudspeaker feeds as virtual loudspeakers
     *  through the binaural render's HRTF set and room mode. The binaural render's spectral
     *  balance and its loudness matching are against this. Band levels (dB, the band_db scale)
     *  and integrated loudness. */
    double ear_ref_db[OBJR__CHECK_N_BANDS];
    double ear_ref_lufs;
    size_t n_objects_binaural; /**< objects measured alone in the binaural render */
    /** Programme start (audioProgramme start), shown as timecode beside the seconds when set. */
    int has_start;
    double start_s;
    int too_short; /**< shorter than a 400 ms loudness block: measurements skipped */
    /** The 7.1.4 LFE channel: RMS level (dBFS, -inf when silent) and how far its content above
     *  120 Hz is under its total (dB, positive). */
    double lfe_rms_dbfs, lfe_above_120_db;
};

/** Append a finding (findings.c). @return OBJR_OK, OBJR_ERR_NOMEM. */
OBJR_HIDDEN objr_status OBJR_PRINTF(7, 8)
    objr__check_add_finding(objr_check_report *r, const char *check, objr_check_verdict v,
                            const char *render, const char *subject, double value, const char *fmt,
                            ...);
/** "AO_1001 'Vocal'" (the id alone when the object has no name). */
OBJR_HIDDEN void objr__check_object_label(const objr__check_object *o, char *buf, size_t n);
/** "12.30 s", with the timecode "(10:00:12.300)" when the programme has a start; returns buf. */
OBJR_HIDDEN const char *objr__check_time(const objr_check_report *r, double t_s, char *buf,
                                         size_t n);
/** Every verdict from the measured report (findings.c). */
OBJR_HIDDEN void objr__check_findings(objr_check_report *r);

/** Nominal band name ("40 Hz", "1.25 kHz"). */
OBJR_HIDDEN const char *objr__check_band_name(int b);
OBJR_HIDDEN double objr__check_band_centre_hz(int b);
OBJR_HIDDEN const char *objr__check_verdict_name(objr_check_verdict v);

#endif /* OBJR_SRC_CHECK_CHECKS_H */
