/* SPDX-License-Identifier: BSD-3-Clause */
/* Translation-check results shared between the measurement (checks.c) and the report writers
 * (report.c). Internal. */
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
/** Correlation window (BS.1770-style 400 ms). */
#define OBJR__CHECK_CORR_HOPS 4
/** Most trajectory points kept per object for the position plots. */
#define OBJR__CHECK_MAX_POS 64

typedef struct objr__check_render {
    char key[16];  /**< "7.1.4", "5.1", "loro", ... */
    char name[48]; /**< "7.1.4", "2.0 Lo/Ro fold-down", ... */
    int is_reference, is_foldown;
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
} objr__check_render;

typedef struct objr__check_object {
    char id[64];
    char name[128];
    int type;                                  /**< objr_adm_type */
    double level_lufs[OBJR_CHECK_MAX_RENDERS]; /**< NAN: not measured in that render */
    double delta_db[OBJR_CHECK_MAX_RENDERS];
    double mono_lufs[OBJR_CHECK_MAX_RENDERS]; /**< stereo renders: L+R summed, -inf otherwise */
    int multi_channel; /**< positions are several channels (a bed), not one trajectory */
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
    objr_foldown_config fold;
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
};

/** Nominal band name ("40 Hz", "1.25 kHz"). */
OBJR_HIDDEN const char *objr__check_band_name(int b);
OBJR_HIDDEN double objr__check_band_centre_hz(int b);
OBJR_HIDDEN const char *objr__check_verdict_name(objr_check_verdict v);

#endif /* OBJR_SRC_CHECK_CHECKS_H */
