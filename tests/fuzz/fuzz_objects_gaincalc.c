/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness for the Objects gain calculator (ITU-R BS.2127-1 §7.3) and the block-timing
 * helper: any block values (polar or cartesian, extent, divergence, channel lock, zones, screen
 * edge lock, conversion) must give finite gains in [0, gain], silent LFE, and never hang. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "layouts/registry.h"
#include "renderers/interp.h"
#include "renderers/loudspeaker/objects_gaincalc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static uint8_t byte(reader *r) {
    if (r->n == 0)
        return 0;
    r->n--;
    return *r->p++;
}

/* A double from 8 raw bytes (any bit pattern, NaN and inf included) or, with the first byte
 * even, a "reasonable" value in [lo, hi] from 2 bytes. */
static double value(reader *r, double lo, double hi) {
    uint8_t tag = byte(r);
    if (tag & 1u) {
        uint64_t bits = 0;
        for (int i = 0; i < 8; i++)
            bits = (bits << 8) | byte(r);
        double v;
        memcpy(&v, &bits, sizeof v);
        return v;
    }
    unsigned u = (unsigned)byte(r) << 8 | byte(r);
    return lo + (hi - lo) * (double)u / 65535.0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const names[] = {"0+2+0", "0+5+0", "4+7+0", "9+10+3", "4+9+0", "7.1.2"};
    reader r = {data, size};
    objr__layout l;
    if (objr__layout_lookup(names[byte(&r) % 6], &l) != OBJR_OK)
        __builtin_trap();
    objr__objects_gaincalc *g = NULL;
    if (objr__objects_gaincalc_create(&l, NULL, &g) != OBJR_OK)
        __builtin_trap();
    objr__adm_block_objects b;
    memset(&b, 0, sizeof b);
    uint8_t flags = byte(&r);
    b.pos.cartesian = flags & 1u;
    b.pos.azimuth_deg = value(&r, -400, 400);
    b.pos.elevation_deg = value(&r, -100, 100);
    b.pos.distance = value(&r, -0.5, 2);
    b.pos.x = value(&r, -1.5, 1.5);
    b.pos.y = value(&r, -1.5, 1.5);
    b.pos.z = value(&r, -1.5, 1.5);
    b.width = value(&r, -10, 400);
    b.height = value(&r, -10, 400);
    b.depth = value(&r, -1, 2);
    b.diffuse = value(&r, -0.2, 1.2);
    b.c.gain = value(&r, 0, 2);
    b.has_divergence = (flags >> 1) & 1u;
    b.divergence = value(&r, -0.2, 1.2);
    b.has_divergence_azimuth_range = 1;
    b.divergence_azimuth_range_deg = value(&r, -200, 400);
    b.has_divergence_position_range = 1;
    b.divergence_position_range = value(&r, -1, 2);
    b.channel_lock = (flags >> 2) & 1u;
    b.has_channel_lock_max_distance = (flags >> 3) & 1u;
    b.channel_lock_max_distance = value(&r, -1, 3);
    b.screen_ref = (flags >> 4) & 1u;
    b.pos.screen_edge_lock_azimuth = b.pos.screen_edge_lock_x = (uint8_t)(byte(&r) % 3);
    b.pos.screen_edge_lock_elevation = b.pos.screen_edge_lock_z = (uint8_t)(byte(&r) % 3);
    objr__adm_zone zones[2];
    memset(zones, 0, sizeof zones);
    b.n_zones = byte(&r) % 3;
    for (size_t k = 0; k < b.n_zones; k++) {
        zones[k].cartesian = byte(&r) & 1u;
        zones[k].min_x = value(&r, -1, 1), zones[k].max_x = value(&r, -1, 1);
        zones[k].min_y = value(&r, -1, 1), zones[k].max_y = value(&r, -1, 1);
        zones[k].min_z = value(&r, -1, 1), zones[k].max_z = value(&r, -1, 1);
        zones[k].min_elevation_deg = value(&r, -90, 90);
        zones[k].max_elevation_deg = value(&r, -90, 90);
        zones[k].min_azimuth_deg = value(&r, -360, 360);
        zones[k].max_azimuth_deg = value(&r, -360, 360);
    }
    b.zones = zones;
    objr__objects_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.conversion = (flags >> 5) % 3;
    ctx.bs2076_version = (flags >> 7) ? 2 : 0;
    double d[OBJR__MAX_SPEAKERS], f[OBJR__MAX_SPEAKERS];
    objr__objects_gaincalc_calc(g, &b, &ctx, d, f);
    double gmax = isfinite(b.c.gain) ? fabs(b.c.gain) : 0.0;
    for (size_t i = 0; i < l.n_speakers; i++) {
        if (!isfinite(d[i]) || !isfinite(f[i]) || fabs(d[i]) > gmax * 1.5 + 1e-9 ||
            fabs(f[i]) > gmax * 1.5 + 1e-9)
            __builtin_trap();
        if (l.speakers[i].is_lfe && (d[i] != 0.0 || f[i] != 0.0))
            __builtin_trap();
    }
    objr__objects_gaincalc_destroy(g);

    /* block timing with whatever rtime/duration/interpolation length the bytes give */
    objr__interp_state st;
    objr__interp_init(&st);
    objr__interp_timeline tl = {48000.0, 0.0, 0.0, 0};
    tl.start_s = (double)byte(&r) / (1 + byte(&r));
    for (int i = 0; i < 4 && r.n > 0; i++) {
        objr__adm_block_objects tb;
        memset(&tb, 0, sizeof tb);
        uint8_t tf = byte(&r);
        tb.c.has_rtime = tf & 1u;
        tb.c.has_duration = (tf >> 1) & 1u;
        tb.c.rtime.num = (int64_t)(int8_t)byte(&r) * 1000 + byte(&r);
        tb.c.rtime.den = (int64_t)(int8_t)byte(&r);
        tb.c.duration.num = (int64_t)(int8_t)byte(&r) * 1000 + byte(&r);
        tb.c.duration.den = 1 + byte(&r);
        tb.jump_position = (tf >> 2) & 1u;
        tb.has_interpolation_length = (tf >> 3) & 1u;
        tb.interpolation_length_s = value(&r, -1, 2);
        objr__interp_seg s;
        if (objr__interp_next(&st, &tl, &tb.c, &tb, &s) == OBJR_OK) {
            if (s.ramp_end_sample < s.first_sample || s.last_sample < s.ramp_end_sample)
                __builtin_trap();
        }
    }
    return 0;
}
