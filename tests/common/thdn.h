/* SPDX-License-Identifier: BSD-3-Clause */
/* THD+N of a sine from first principles: the fundamental (known frequency) is notched by a
 * least-squares fit of a sin + b cos + c (DC) over the window; THD+N is the power of what is
 * left over the power of the fitted sine, in dB. Header-only, no test framework: shared by the
 * unit tests and the benchmarks. */
#ifndef OBJR_TESTS_COMMON_THDN_H
#define OBJR_TESTS_COMMON_THDN_H

#include <math.h>
#include <stddef.h>

/* THD+N (dB) of x[0..n) around a sine at @p freq_hz (rate @p rate_hz); n should span many
 * periods. Returns -INFINITY for a perfect sine and +INFINITY when there is no sine. */
static inline double objr_test_thdn_db(const float *x, size_t n, double freq_hz, double rate_hz) {
    const double w = 2.0 * 3.14159265358979323846 * freq_hz / rate_hz;
    /* normal equations A^T A p = A^T x for the basis (sin, cos, 1) */
    double m[3][4] = {{0}};
    for (size_t i = 0; i < n; i++) {
        double b[3] = {sin(w * (double)i), cos(w * (double)i), 1.0};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++)
                m[r][c] += b[r] * b[c];
            m[r][3] += b[r] * (double)x[i];
        }
    }
    for (int k = 0; k < 3; k++) { /* Gauss-Jordan; the matrix is positive definite */
        double piv = m[k][k];
        if (!(fabs(piv) > 0.0))
            return INFINITY;
        for (int c = k; c < 4; c++)
            m[k][c] /= piv;
        for (int r = 0; r < 3; r++) {
            if (r == k)
                continue;
            double f = m[r][k];
            for (int c = k; c < 4; c++)
                m[r][c] -= f * m[k][c];
        }
    }
    const double a = m[0][3], bc = m[1][3], dc = m[2][3];
    double res = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e = (double)x[i] - (a * sin(w * (double)i) + bc * cos(w * (double)i) + dc);
        res += e * e;
    }
    const double sig = 0.5 * (a * a + bc * bc) * (double)n;
    if (!(sig > 0.0))
        return INFINITY;
    return res > 0.0 ? 10.0 * log10(res / sig) : -INFINITY;
}

#endif /* OBJR_TESTS_COMMON_THDN_H */
