/* SPDX-License-Identifier: BSD-3-Clause */
/* ITU-R BS.1770-4 Annex 1 K-weighting: the analogue prototypes of the 48 kHz coefficients
 * (shelf: f0 1681.97 Hz, +4.0 dB, Q 0.7072; RLB high-pass: f0 38.14 Hz, Q 0.5003), as
 * libebur128 designs them for any rate. */
#include "src/dsp/kweight.h"

#include <math.h>

void objr__kweight_design(double rate_hz, double b[3], double a[5]) {
    double f0 = 1681.974450955533, gdb = 3.999843853973347, q = 0.7071752369554196;
    double k = tan(OBJR_PI * f0 / rate_hz), vh = pow(10.0, gdb / 20.0);
    double vb = pow(vh, 0.4996667741545416), a0 = 1.0 + k / q + k * k;
    b[0] = (vh + vb * k / q + k * k) / a0;
    b[1] = 2.0 * (k * k - vh) / a0;
    b[2] = (vh - vb * k / q + k * k) / a0;
    a[0] = 1.0;
    a[1] = 2.0 * (k * k - 1.0) / a0;
    a[2] = (1.0 - k / q + k * k) / a0;
    f0 = 38.13547087602444;
    q = 0.5003270373238773;
    k = tan(OBJR_PI * f0 / rate_hz);
    a0 = 1.0 + k / q + k * k;
    a[3] = 2.0 * (k * k - 1.0) / a0;
    a[4] = (1.0 - k / q + k * k) / a0;
}

/* |c0 + c1 e^{-jw} + c2 e^{-2jw}|^2 */
static double quad_power(double c0, double c1, double c2, double w) {
    double re = c0 + c1 * cos(w) + c2 * cos(2.0 * w), im = c1 * sin(w) + c2 * sin(2.0 * w);
    return re * re + im * im;
}

double objr__kweight_power(double f_hz, double rate_hz) {
    double b[3], a[5];
    objr__kweight_design(rate_hz, b, a);
    double w = 2.0 * OBJR_PI * f_hz / rate_hz;
    return quad_power(b[0], b[1], b[2], w) / quad_power(1.0, a[1], a[2], w) *
           quad_power(1.0, -2.0, 1.0, w) / quad_power(1.0, a[3], a[4], w);
}
