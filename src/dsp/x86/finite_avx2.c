/* SPDX-License-Identifier: BSD-3-Clause */
/* AVX2 variant of the largest-magnitude scan (the meters' sample peak and the true-peak skip
 * bound; IEEE 754 binary32 bit patterns, see src/dsp/finite.h): the same unsigned integer
 * maximum as objr__absmax_bits_c, eight lanes at a time, so the result is identical. */
#include "src/dsp/finite.h"

#include <immintrin.h>

uint32_t objr__absmax_bits_avx2(const float *x, size_t n) {
    const __m256i mask = _mm256_set1_epi32(0x7fffffff);
    __m256i m0 = _mm256_setzero_si256(), m1 = m0, m2 = m0, m3 = m0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(x + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(x + i + 8));
        __m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(x + i + 16));
        __m256i d = _mm256_loadu_si256((const __m256i *)(const void *)(x + i + 24));
        m0 = _mm256_max_epu32(m0, _mm256_and_si256(a, mask));
        m1 = _mm256_max_epu32(m1, _mm256_and_si256(b, mask));
        m2 = _mm256_max_epu32(m2, _mm256_and_si256(c, mask));
        m3 = _mm256_max_epu32(m3, _mm256_and_si256(d, mask));
    }
    for (; i + 8 <= n; i += 8)
        m0 = _mm256_max_epu32(
            m0, _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(const void *)(x + i)), mask));
    m0 = _mm256_max_epu32(_mm256_max_epu32(m0, m1), _mm256_max_epu32(m2, m3));
    __m128i h = _mm_max_epu32(_mm256_castsi256_si128(m0), _mm256_extracti128_si256(m0, 1));
    h = _mm_max_epu32(h, _mm_shuffle_epi32(h, 0x4e));
    h = _mm_max_epu32(h, _mm_shuffle_epi32(h, 0xb1));
    uint32_t m = (uint32_t)_mm_cvtsi128_si32(h);
    uint32_t t = objr__absmax_bits(x + i, n - i);
    return t > m ? t : m;
}
