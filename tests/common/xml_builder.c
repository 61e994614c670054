/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM XML text builder for tests and benchmarks (see xml_builder.h). */
#include "tests/common/xml_builder.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void objr_test_xml_reset(objr_test_xml *b) {
    b->s = b->inline_buf;
    b->cap = sizeof b->inline_buf;
    b->n = 0;
    b->s[0] = '\0';
}

static void grow(objr_test_xml *b, size_t need) {
    size_t cap = b->cap;
    while (cap - b->n <= need)
        cap = cap * 2;
    char *s = b->s == b->inline_buf ? malloc(cap) : realloc(b->s, cap);
    if (!s) {
        fprintf(stderr, "xml_builder: out of memory (%zu bytes)\n", cap);
        abort();
    }
    if (b->s == b->inline_buf)
        memcpy(s, b->inline_buf, b->n + 1);
    b->s = s;
    b->cap = cap;
}

void objr_test_xml_ap(objr_test_xml *b, const char *fmt, ...) {
    if (!b->s || b->cap == 0)
        objr_test_xml_reset(b);
    va_list va;
    va_start(va, fmt);
    int k = vsnprintf(b->s + b->n, b->cap - b->n, fmt, va);
    va_end(va);
    if (k < 0) {
        fprintf(stderr, "xml_builder: bad format '%s'\n", fmt);
        abort();
    }
    if ((size_t)k >= b->cap - b->n) {
        grow(b, (size_t)k + 1);
        va_start(va, fmt);
        vsnprintf(b->s + b->n, b->cap - b->n, fmt, va);
        va_end(va);
    }
    b->n += (size_t)k;
}

void objr_test_xml_head(objr_test_xml *b) {
    objr_test_xml_reset(b);
    objr_test_xml_ap(b, "<?xml version=\"1.0\"?>\n<ebuCoreMain "
                        "xmlns=\"urn:ebu:metadata-schema:ebuCore_2016\"><coreMetadata><format>"
                        "<audioFormatExtended version=\"ITU-R_BS.2076-2\">\n");
}

void objr_test_xml_tail(objr_test_xml *b) {
    objr_test_xml_ap(b, "</audioFormatExtended></format></coreMetadata></ebuCoreMain>\n");
}

void objr_test_xml_track_uid(objr_test_xml *b, int n, const char *ac, const char *pack) {
    objr_test_xml_ap(b,
                     "<audioTrackUID UID=\"ATU_%08X\"><audioChannelFormatIDRef>%s"
                     "</audioChannelFormatIDRef><audioPackFormatIDRef>%s</audioPackFormatIDRef>"
                     "</audioTrackUID>\n",
                     n, ac, pack);
}

void objr_test_xml_free(objr_test_xml *b) {
    if (b->s && b->s != b->inline_buf)
        free(b->s);
    objr_test_xml_reset(b);
}

char *objr_test_xml_take(objr_test_xml *b, size_t *len) {
    char *s = b->s;
    if (s == b->inline_buf) {
        s = malloc(b->n + 1);
        if (!s) {
            fprintf(stderr, "xml_builder: out of memory (%zu bytes)\n", b->n + 1);
            abort();
        }
        memcpy(s, b->inline_buf, b->n + 1);
    }
    if (len)
        *len = b->n;
    objr_test_xml_reset(b);
    return s;
}
