/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM time values: ITU-R BS.2076-2 §5.3/§5.4.3 timecode "hh:mm:ss.fffff" (1..9 fractional
 * digits) and the BS.2076-2 fractional form "hh:mm:ss.NNNSdddd" (NNN/dddd seconds), stored
 * as exact rationals that remember their written form. */
#include "formats/adm_model.h"

#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 objr_i128;

#define MAX_HOURS 999999
#define MAX_DENOMINATOR 1000000000LL

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}

/* Reads 1..max_digits digits; returns the count read (0 = none / too many). */
static int read_uint(const char **p, int max_digits, int64_t *out) {
    int64_t v = 0;
    int n = 0;
    while (is_digit(**p)) {
        if (n == max_digits)
            return 0;
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    *out = v;
    return n;
}

static objr_status fail(char *err, size_t n, const char *text, const char *why) {
    if (err && n)
        snprintf(err, n, "invalid time \"%.40s\": %s", text, why);
    return OBJR_ERR_RANGE;
}

objr_status objr__adm_time_parse(const char *text, objr__adm_time *out, char *err,
                                 size_t err_size) {
    if (!text)
        return fail(err, err_size, "", "missing");
    const char *p = text;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p == '-')
        return fail(err, err_size, text, "negative times are not allowed");
    int64_t h, mi, s, frac = 0, den = 1;
    int n_frac = 0;
    if (!read_uint(&p, 6, &h) || *p++ != ':')
        return fail(err, err_size, text, "expected hh:mm:ss");
    if (!read_uint(&p, 2, &mi) || *p++ != ':')
        return fail(err, err_size, text, "expected hh:mm:ss");
    if (!read_uint(&p, 2, &s))
        return fail(err, err_size, text, "expected hh:mm:ss");
    if (h > MAX_HOURS || mi > 59 || s > 59)
        return fail(err, err_size, text, "field out of range (minutes and seconds 0..59)");
    objr__adm_time t = {0, 1, OBJR__TIME_TIMECODE, 0};
    if (*p == '.') {
        p++;
        const char *start = p;
        n_frac = read_uint(&p, 18, &frac);
        if (n_frac == 0)
            return fail(err, err_size, text, "no digits after '.'");
        if (*p == 'S') {
            p++;
            int n_den = read_uint(&p, 10, &den);
            if (n_den == 0 || den <= 0 || den > MAX_DENOMINATOR)
                return fail(err, err_size, text, "bad denominator after 'S'");
            if (frac >= den)
                return fail(err, err_size, text, "numerator must be below the denominator");
            t.form = OBJR__TIME_FRACTIONAL;
        } else {
            if (n_frac > 9)
                return fail(err, err_size, text, "more than 9 fractional digits");
            den = 1;
            for (int i = 0; i < n_frac; i++)
                den *= 10;
        }
        (void)start;
    }
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p != '\0')
        return fail(err, err_size, text, "unexpected characters");
    objr_i128 secs = (objr_i128)h * 3600 + mi * 60 + s;
    objr_i128 num = secs * den + frac;
    if (num > INT64_MAX)
        return fail(err, err_size, text, "value overflows");
    t.num = (int64_t)num;
    t.den = den;
    t.n_digits = (uint8_t)n_frac;
    *out = t;
    return OBJR_OK;
}

void objr__adm_time_format(objr__adm_time t, char *buf, size_t size) {
    if (t.den <= 0 || t.num < 0) {
        snprintf(buf, size, "00:00:00.00000");
        return;
    }
    int64_t secs = t.num / t.den, frac = t.num % t.den;
    long long h = (long long)(secs / 3600), mi = (long long)(secs / 60 % 60),
              s = (long long)(secs % 60);
    if (t.form == OBJR__TIME_FRACTIONAL)
        snprintf(buf, size, "%02lld:%02lld:%02lld.%0*lldS%lld", h, mi, s, (int)t.n_digits,
                 (long long)frac, (long long)t.den);
    else if (t.den == 1)
        snprintf(buf, size, "%02lld:%02lld:%02lld", h, mi, s);
    else {
        /* decimals need den = 10^d (a sum of times written with different precisions has
         * the finer one); any other denominator is written exactly in the fractional form */
        int64_t p = 1;
        int d = 0;
        while (p < t.den && d < 18) {
            p *= 10;
            d++;
        }
        if (p != t.den)
            snprintf(buf, size, "%02lld:%02lld:%02lld.%lldS%lld", h, mi, s, (long long)frac,
                     (long long)t.den);
        else {
            for (; d < t.n_digits && d < 18; d++)
                frac *= 10;
            snprintf(buf, size, "%02lld:%02lld:%02lld.%0*lld", h, mi, s, d, (long long)frac);
        }
    }
}

int objr__adm_time_cmp(objr__adm_time a, objr__adm_time b) {
    objr_i128 l = (objr_i128)a.num * b.den, r = (objr_i128)b.num * a.den;
    return l < r ? -1 : l > r ? 1 : 0;
}

static int64_t gcd64(int64_t a, int64_t b) {
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

int objr__adm_time_add(objr__adm_time a, objr__adm_time b, objr__adm_time *out) {
    if (a.den <= 0 || b.den <= 0)
        return 0;
    int64_t g = gcd64(a.den, b.den);
    objr_i128 den = (objr_i128)(a.den / g) * b.den;
    objr_i128 num = (objr_i128)a.num * (b.den / g) + (objr_i128)b.num * (a.den / g);
    if (den > INT64_MAX || num > INT64_MAX || num < INT64_MIN)
        return 0;
    objr__adm_time t = a;
    t.num = (int64_t)num;
    t.den = (int64_t)den;
    *out = t;
    return 1;
}
