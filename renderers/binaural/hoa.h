/* SPDX-License-Identifier: BSD-3-Clause */
/* Binaural rendering of one HOA pack (ITU-R BS.2076-2 §5.4.3.4 typeDefinition HOA): a
 * dual-band decoder onto virtual loudspeakers covering the sphere (spherical designs and
 * Lebedev rules, exact for the order, up to order 4; a near-uniform spiral above), each of
 * which the scene renders as a static binaural source. Below the crossover the decode is the basic
 * (mode-matching) one, amplitude-normalised so the virtual speakers rebuild the plane wave's
 * pressure; above it max-rE weighted (Zotter & Frank 2012) and energy-preserving (Zotter,
 * Pomberger & Noisternig 2012, "Energy-preserving ambisonic decoding"). The virtual
 * loudspeakers' responses add partly coherently at the ears, so the binaural scene calibrates
 * each pack through the renderer (objr__binaural_hoa_set_high_gain, objr__binaural_hoa_set_eq:
 * diffuse-field energy, then octave-band balance, equal to point sources'). Internal. */
#ifndef OBJR_RENDERERS_BINAURAL_HOA_H
#define OBJR_RENDERERS_BINAURAL_HOA_H

#include <stddef.h>

#include "objrender/objr_status.h"
#include "src/core/core.h"

/** Virtual loudspeakers for highest order N: 8 (cube) up to order 1, 20 (dodecahedron) at 2,
 *  26 (Lebedev) at 3, 50 (Lebedev) at 4; then 2(N+1)^2 up to order 7 (at most 128), above it
 * max(128, 1.25 (N+1)^2) (152 at order 10): about twice the channels, so that the point set
 * resolves the harmonics well, while the per-source cost of the binaural renderer stays bounded. */
#define OBJR__BINAURAL_HOA_MAX_VIRTUAL_LOW 128

/** Diffuse-field equaliser: octave bands from 125 Hz (8 bands: up to 16 kHz). */
#define OBJR__BINAURAL_HOA_EQ_BANDS 8
#define OBJR__BINAURAL_HOA_EQ_LOW_HZ 125.0

typedef struct objr__binaural_hoa objr__binaural_hoa;

/** Number of virtual loudspeakers used for a pack whose highest order is @p max_order. */
OBJR_HIDDEN size_t objr__binaural_hoa_n_virtual_for_order(int max_order);

/**
 * Design the decoder for one pack.
 * @param orders, degrees per channel (any channel order; |degree| <= order <= 10; no
 *        order/degree twice).
 * @param norms per channel normalisation (objr__adm_hoa_norm: SN3D, N3D, FuMa; FuMa up to
 *        order 3).
 * @param sample_rate_hz for the band-splitting crossover.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (bad order/degree/normalisation, duplicate
 *         channel, n_channels 0, bad rate); OBJR_ERR_UNSUPPORTED (order above 10, FuMa above
 *         3); OBJR_ERR_NOMEM; OBJR_ERR_INTERNAL (the design is singular).
 */
OBJR_HIDDEN objr_status objr__binaural_hoa_create(const int *orders, const int *degrees,
                                                  const int *norms, size_t n_channels,
                                                  double sample_rate_hz, objr__binaural_hoa **out);
OBJR_HIDDEN void objr__binaural_hoa_destroy(objr__binaural_hoa *h);

/** Number of virtual loudspeakers (outputs). */
OBJR_HIDDEN size_t objr__binaural_hoa_n_virtual(const objr__binaural_hoa *h);

/** Direction of virtual loudspeaker @p k: ADM polar degrees (azimuth positive left). */
OBJR_HIDDEN void objr__binaural_hoa_direction(const objr__binaural_hoa *h, size_t k, double *az_deg,
                                              double *el_deg);

/** Crossover frequency between the basic and the max-rE band. */
OBJR_HIDDEN double objr__binaural_hoa_crossover_hz(const objr__binaural_hoa *h);

/** The virtual loudspeaker gains of the two bands (before the crossover filters) for a unit
 *  plane wave from @p az_deg, @p el_deg (ADM polar), encoded in the pack's normalisations.
 *  @p s_lf, @p s_hf: n_virtual each. Includes the high-band gain. */
OBJR_HIDDEN void objr__binaural_hoa_plane_wave(const objr__binaural_hoa *h, double az_deg,
                                               double el_deg, double *s_lf, double *s_hf);

/** Scale the high band (a diffuse-field calibration; 1 after create). Not during process. */
OBJR_HIDDEN void objr__binaural_hoa_set_high_gain(objr__binaural_hoa *h, double gain);
OBJR_HIDDEN double objr__binaural_hoa_high_gain(const objr__binaural_hoa *h);

/** Split @p x into the crossover's low band and high band (fresh filter states). */
OBJR_HIDDEN void objr__binaural_hoa_split(const objr__binaural_hoa *h, const float *x, float *lo,
                                          float *hi, size_t n_frames);

/** Centre of equaliser band @p band (octaves from OBJR__BINAURAL_HOA_EQ_LOW_HZ). */
OBJR_HIDDEN double objr__binaural_hoa_eq_center_hz(size_t band);
/** Number of equaliser bands used at this rate (centres below 0.4 x the rate). */
OBJR_HIDDEN size_t objr__binaural_hoa_eq_n_bands(double sample_rate_hz);
/** Filter @p x through the equaliser with these band gains (fresh state). */
OBJR_HIDDEN void objr__binaural_hoa_eq_filter(double sample_rate_hz, const double *gain_db,
                                              const float *x, float *y, size_t n_frames);
/** Energy of @p x in band @p band (4th-order octave band-pass, 0 dB at the centre). */
OBJR_HIDDEN double objr__binaural_hoa_band_energy(double sample_rate_hz, size_t band,
                                                  const float *x, size_t n_frames);
/** Equalise every channel before decoding (gains per band, dB; 0 = flat). Not during
 *  process; the filter history of new sections starts from zero. */
OBJR_HIDDEN void objr__binaural_hoa_set_eq(objr__binaural_hoa *h, const double *gain_db);

/** Forget the filter history. */
OBJR_HIDDEN void objr__binaural_hoa_reset(objr__binaural_hoa *h);

/**
 * Decode @p n_frames frames (any number). Channel c is scaled by a gain ramping linearly
 * from g_from[c] to g_to[c] over a block of @p ramp_frames frames, of which this call covers
 * frames ramp_pos .. ramp_pos + n_frames - 1 (frame j gets g_from + (g_to - g_from) * (j + 1)
 * / ramp_frames).
 * @param in n_channels planar inputs (NULL = silence).
 * @param out n_virtual planar outputs of n_frames each (overwritten) or NULL: then only the
 *        filter states advance (a silent pack).
 * Allocation-free.
 */
OBJR_HIDDEN void objr__binaural_hoa_process(objr__binaural_hoa *h, const float *const *in,
                                            const double *g_from, const double *g_to,
                                            size_t ramp_pos, size_t ramp_frames, float *const *out,
                                            size_t n_frames);

#endif /* OBJR_RENDERERS_BINAURAL_HOA_H */
