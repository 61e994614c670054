/* SPDX-License-Identifier: BSD-3-Clause */
/* The offline demo scene: a seeded, deterministic, streaming synthesiser of a 30 s musical
 * piece (a 7.1.2 bed of drums, bass and pad; a lead and four effects as objects) and the
 * trajectories of its objects. Internal; used by tools/objdemo.c and its unit test. */
#ifndef OBJR_TOOLS_DEMO_DEMO_SYNTH_H
#define OBJR_TOOLS_DEMO_DEMO_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_status.h"

#ifndef OBJR_PI
#define OBJR_PI 3.14159265358979323846
#endif

/** Sample rate of every demo track. */
#define OBJR__DEMO_RATE_HZ 48000
/** Length of the piece: 12 bars at 100 BPM (28.8 s) plus a 1.2 s tail. */
#define OBJR__DEMO_DURATION_S 30.0
/** Tempo of the piece. */
#define OBJR__DEMO_TEMPO_BPM 100.0
/** Number of bed channels (7.1.2). */
#define OBJR__DEMO_N_BED 10

/** Track order of the synthesiser's planar output. Tracks 0..9 are the 7.1.2 bed in the
 *  order of objr__demo_bed_labels; the rest are mono objects. */
enum objr__demo_track {
    OBJR__DEMO_TRACK_LEAD = OBJR__DEMO_N_BED, /**< polar object, slowly moving across the front */
    OBJR__DEMO_TRACK_FLYBY,                   /**< cartesian object circling the room */
    OBJR__DEMO_TRACK_OVERHEAD,                /**< polar object rotating overhead */
    OBJR__DEMO_TRACK_WIDE,    /**< polar object with a time-varying width/height extent */
    OBJR__DEMO_TRACK_DIFFUSE, /**< static rear object with diffuse = 0.8 */
    OBJR__DEMO_N_TRACKS
};

/** Index of the LFE channel in the bed. */
#define OBJR__DEMO_BED_LFE 3
/** Cut-off of the low-pass that feeds the LFE channel (4th-order Butterworth). */
#define OBJR__DEMO_LFE_CUTOFF_HZ 120.0

/** BS.2051 speaker labels of the 7.1.2 bed in track order (the order of the BS.2094 pack
 *  AP_00010016 "9.1_7.1.2"): M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135 U+090 U-090. */
extern const char *const objr__demo_bed_labels[OBJR__DEMO_N_BED];
/** Nominal BS.2051 azimuth/elevation of each bed channel (degrees, azimuth positive left). */
extern const double objr__demo_bed_azimuth_deg[OBJR__DEMO_N_BED];
extern const double objr__demo_bed_elevation_deg[OBJR__DEMO_N_BED];

/** Target peak levels after normalisation (dBFS). */
#define OBJR__DEMO_BED_PEAK_DBFS (-8.0)
#define OBJR__DEMO_LFE_PEAK_DBFS (-14.0)

/** Object metadata at one instant. Polar: ADM convention (azimuth positive to the left,
 *  elevation up, distance 1 = the loudspeaker sphere); cartesian: X right, Y front, Z up in
 *  [-1, 1]. width/height in degrees (polar). */
typedef struct objr__demo_pos {
    int cartesian;
    double azimuth_deg, elevation_deg, distance;
    double x, y, z;
    double width_deg, height_deg, depth;
    double diffuse;
} objr__demo_pos;

/** Short name (file stem) and display name of each object track (NULL for bed tracks). */
const char *objr__demo_track_name(int track);
const char *objr__demo_track_title(int track);
/** Target peak of an object track after normalisation, in dBFS. */
double objr__demo_track_peak_dbfs(int track);
/** 1 when the object moves (gets time-varying blocks), 0 for a static one. */
int objr__demo_track_moves(int track);
/** Metadata of object track @p track at time @p t_s (seconds). */
void objr__demo_position(int track, double t_s, objr__demo_pos *out);

/** Total frames of the piece at OBJR__DEMO_RATE_HZ. */
size_t objr__demo_n_frames(void);

typedef struct objr__demo_synth objr__demo_synth;

/**
 * Create the synthesiser for @p seed. The score (drum variations, bass line, melody, bell
 * arpeggios, droplets) is drawn from the seed; the same seed always gives the same samples,
 * whatever the block sizes used to render. Creation renders the piece once internally to
 * measure its peaks, then sets per-track gains so that the bed peaks at
 * OBJR__DEMO_BED_PEAK_DBFS, the LFE at OBJR__DEMO_LFE_PEAK_DBFS and each object at its target.
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG (out NULL), OBJR_ERR_NOMEM. *out is NULL on failure.
 */
objr_status objr__demo_synth_create(uint64_t seed, objr__demo_synth **out);
/** NULL-safe. */
void objr__demo_synth_destroy(objr__demo_synth *s);
/** Rewind to frame 0. */
void objr__demo_synth_reset(objr__demo_synth *s);
/**
 * Render the next @p n_frames frames into @p out (planar: OBJR__DEMO_N_TRACKS pointers, each
 * to n_frames floats). Frames past the end of the piece are zero. Returns the number of
 * frames that were inside the piece (0 at the end).
 */
size_t objr__demo_synth_render(objr__demo_synth *s, float *const *out, size_t n_frames);

#endif /* OBJR_TOOLS_DEMO_DEMO_SYNTH_H */
