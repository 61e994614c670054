/* SPDX-License-Identifier: BSD-3-Clause */
/* HRTF sets for the binaural renderer: SOFA (AES69 SimpleFreeFieldHRIR) loading through
 * libmysofa with validation of everything it returns, one-time resampling to the render rate,
 * onset (time-of-arrival) extraction, the measurement grid's convex-hull triangulation and
 * onset-aligned barycentric interpolation with the delays kept apart. Internal. */
#ifndef OBJR_RENDERERS_BINAURAL_HRTF_H
#define OBJR_RENDERERS_BINAURAL_HRTF_H

#include <stddef.h>

#include "objrender/objr_status.h"
#include "src/core/core.h"

/** Largest SOFA file we read (bytes). */
#define OBJR__HRTF_MAX_FILE_BYTES ((size_t)512 * 1024 * 1024)
/** Limits on what a SOFA file may announce (AES69 M and N). */
#define OBJR__HRTF_MAX_MEASUREMENTS 20000u /* the largest published sets hold ~16,000 */
#define OBJR__HRTF_MAX_TAPS 32768u
/** Limit on measurements x 2 ears x taps after resampling (floats: 256 MiB). */
#define OBJR__HRTF_MAX_SAMPLES ((size_t)1 << 26)
/** Limit on the spread of the responses' onsets (seconds): an ITD is under 1 ms; larger
 *  spreads mean inconsistent measurement distances or delays, and long filters. */
#define OBJR__HRTF_MAX_DELAY_S 0.010
/** Diffuse-field energy of each ear's responses after normalisation (-3 dB: the two ears
 *  together carry a source's power, as a power-normalised loudspeaker pan does). */
#define OBJR__HRTF_DIFFUSE_ENERGY 0.5
/** Onset threshold relative to an impulse response's peak (-20 dB). */
#define OBJR__HRTF_ONSET_REL 0.1

/**
 * An immutable HRTF set at one sample rate. Directions are unit vectors in the SOFA/ADM
 * frame: x front, y left, z up (azimuth counter-clockwise, i.e. positive to the LEFT, as in
 * ADM polar). May be shared read-only between threads.
 */
typedef struct objr__hrtf {
    double rate_hz;      /**< sample rate of the filters (the render rate) */
    double sofa_rate_hz; /**< the file's own rate */
    size_t n_meas;       /**< measurements kept (duplicates removed) */
    size_t n_taps;       /**< length of each onset-aligned response */
    float *dirs;         /**< n_meas x 3 unit vectors */
    float *ir;           /**< n_meas x 2 (left, right) x n_taps, onset-aligned */
    int *delay;          /**< n_meas x 2 delays in samples (>= 0) restoring each onset */
    double *energy;      /**< n_meas x 2 sum of squares of ir */
    int max_delay;       /**< max of delay[] */
    double norm_gain;    /**< linear gain applied to the file's responses (see load) */
    size_t n_tri;        /**< triangles of the measurement grid's convex hull */
    int *tri;            /**< n_tri x 3 vertex indices, outward counter-clockwise */
    int *adj;            /**< n_tri x 3: triangle across the edge opposite vertex k */
    double *tri_inv;     /**< n_tri x 9: inverse of the matrix whose columns are the vertices */
    double *dfw;         /**< n_meas diffuse-field weights (area each direction covers; sum 1) */
} objr__hrtf;

/**
 * Load a SOFA file held in memory. @p name is used in error messages only.
 * Responses are resampled to @p rate_hz (once, libsamplerate SRC_SINC_MEDIUM_QUALITY: 97 dB,
 * 90 % band) and multiplied by one gain (norm_gain) so that each ear's diffuse-field energy
 * (directions weighted by the area they cover) is OBJR__HRTF_DIFFUSE_ENERGY; the set's own
 * spectra, ITDs and ILDs are kept (no diffuse-field equalisation).
 * @return OBJR_OK; OBJR_ERR_HRTF (malformed, hostile or unusable set; @p diag says why);
 *         OBJR_ERR_NOMEM; OBJR_ERR_INVALID_ARG. *out is NULL on failure.
 */
OBJR_HIDDEN objr_status objr__hrtf_load_mem(const void *data, size_t size, const char *name,
                                            double rate_hz, objr_diag *diag, objr__hrtf **out);
struct MYSOFA_HRTF;
/**
 * The set from a libmysofa structure (what objr__hrtf_load_mem does after parsing): every
 * dimension, array size and value libmysofa returns is validated here. @p s is not freed
 * (mysofa_check may normalise it in place).
 */
OBJR_HIDDEN objr_status objr__hrtf_from_mysofa(struct MYSOFA_HRTF *s, const char *name,
                                               double rate_hz, objr_diag *diag, objr__hrtf **out);
/** Read @p path (at most OBJR__HRTF_MAX_FILE_BYTES) and call objr__hrtf_load_mem. */
OBJR_HIDDEN objr_status objr__hrtf_load_file(const char *path, double rate_hz, objr_diag *diag,
                                             objr__hrtf **out);
OBJR_HIDDEN void objr__hrtf_destroy(objr__hrtf *h);

/** The default SOFA file (Debian's libmysofa MIT KEMAR set). */
OBJR_HIDDEN const char *objr__hrtf_default_path(void);

/**
 * Interpolation weights for direction @p dir (any non-zero vector, SOFA frame): the three
 * vertices of the hull triangle the direction passes through and their barycentric weights
 * (>= 0, sum 1). @p hint is a triangle to start the walk from (or -1). Returns the triangle.
 */
OBJR_HIDDEN int objr__hrtf_locate(const objr__hrtf *h, const double dir[3], int hint, int idx[3],
                                  double w[3]);

/** Length of filters made by objr__hrtf_filter: n_taps + max_delay + 1. */
OBJR_HIDDEN size_t objr__hrtf_filter_len(const objr__hrtf *h);

/**
 * The binaural filter pair for a direction: the onset-aligned responses of the triangle's
 * vertices mixed with the barycentric weights and scaled to the weighted mean of their
 * energies, each delayed by the weighted mean of the vertices' delays (rounded to a sample).
 * At a measured direction this reproduces the measurement exactly.
 * @param[out] left, right objr__hrtf_filter_len() samples each.
 * @param[out] delay_smp optional: the two delays applied (samples).
 */
OBJR_HIDDEN int objr__hrtf_filter(const objr__hrtf *h, const double dir[3], int hint, float *left,
                                  float *right, int delay_smp[2]);

/**
 * Diffuse-field equalisation filter for the set (the same for both ears, so ITDs and ILDs are
 * kept): minimum phase, @p taps long, the inverse of the diffuse-field power response (the
 * aligned responses of both ears, each direction weighted by dfw) smoothed to a third of an
 * octave, flat below 150 Hz and above min(16 kHz, 0.45 x the file's rate), limited to
 * +-15 dB around the middle of its range; where not limited, the equalised diffuse-field power
 * response of each ear is OBJR__HRTF_DIFFUSE_ENERGY at every frequency.
 * @return OBJR_OK; OBJR_ERR_NOMEM; OBJR_ERR_INVALID_ARG (taps < 16 or > 16384);
 *         OBJR_ERR_INTERNAL (FFTW planning failed).
 */
OBJR_HIDDEN objr_status objr__hrtf_diffuse_eq(const objr__hrtf *h, size_t taps, float *out);

/** ADM polar (degrees, azimuth positive to the left) to a SOFA-frame unit vector. */
OBJR_HIDDEN void objr__hrtf_dir_from_polar(double azimuth_deg, double elevation_deg, double out[3]);

#endif /* OBJR_RENDERERS_BINAURAL_HRTF_H */
