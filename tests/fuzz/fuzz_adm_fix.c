/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness for the intake fix path (formats/adm_fix.c, the severity model, the
 * aggregated finding texts, sample snapping). Invariants: every finding has a kind and a
 * one-line text; a repaired document written out reads back needing no timing repair (the
 * fixes are idempotent); the source text patched with the repairs (objr_adm_patch_mem, what
 * admtool fix writes) reads back needing none of the repairs it splices in and keeps the
 * text's length within the edits; snapping keeps blocks in order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/adm_model.h"
#include "objrender/objr.h"

#define FUZZ_MAX_BYTES (1u << 20)
#define FUZZ_MAX_ELEMENTS 20000u
#define FUZZ_MAX_BLOCKS 50000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static objr_adm *parse(const char *x, size_t n, int strict) {
    objr_adm_config cfg = objr_adm_config_default();
    cfg.max_xml_bytes = FUZZ_MAX_BYTES;
    cfg.max_elements = FUZZ_MAX_ELEMENTS;
    cfg.max_blocks = FUZZ_MAX_BLOCKS;
    cfg.strict = strict;
    objr_adm *a = NULL;
    objr_diag d;
    if (objr_adm_parse_mem(x, n, &cfg, &a, &d) != OBJR_OK) {
        if (!d.message[0])
            abort(); /* every refusal explains itself */
        return NULL;
    }
    return a;
}

static const char *const timing_kinds[] = {"block_overlap", "block_overlap_large",
                                           "block_gap_rounding", "block_gap",
                                           "interpolation_too_long"};
/** What a patched text must no longer need. */
static const char *const patched_kinds[] = {"block_overlap",
                                            "block_overlap_large",
                                            "block_gap_rounding",
                                            "block_gap",
                                            "interpolation_too_long",
                                            "trailing_content",
                                            "type_from_id",
                                            "type_definition_near_miss",
                                            "type_definition_missing",
                                            "type_from_content",
                                            "azimuth_wrap"};

static void check_patch(const objr_adm *a, const char *src, size_t size) {
    char *x = NULL;
    size_t len = 0;
    objr_status st = objr_adm_patch_mem(a, src, size, &x, &len);
    if (st != OBJR_OK) {
        if (x || (st != OBJR_ERR_UNSUPPORTED && st != OBJR_ERR_NOMEM))
            abort();
        return;
    }
    if (!x || x[len] != '\0')
        abort();
    objr_adm *b = parse(x, len, 0);
    if (!b)
        abort(); /* the patched text must read */
    const objr_adm_problem *p;
    size_t n;
    (void)objr_adm_validate(b, 0, &p, &n);
    for (size_t i = 0; i < objr_adm_finding_count(b); i++) {
        objr_adm_finding f;
        (void)objr_adm_get_finding(b, i, &f);
        if (!strncmp(f.kind, "range:", 6))
            abort(); /* a clamped value was not written back */
        for (size_t k = 0; k < sizeof patched_kinds / sizeof patched_kinds[0]; k++)
            if (!strcmp(f.kind, patched_kinds[k]))
                abort(); /* a patched place needs its repair again */
    }
    objr_adm_destroy(b);
    free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    objr_adm *a = parse((const char *)data, size, 0);
    if (!a)
        return 0;
    const objr_adm_problem *p;
    size_t n;
    objr_status st = objr_adm_validate(a, 0, &p, &n);
    for (size_t i = 0; i < objr_adm_finding_count(a); i++) {
        objr_adm_finding f;
        if (objr_adm_get_finding(a, i, &f) != OBJR_OK || !f.kind || !f.text || !f.text[0] ||
            strchr(f.text, '\n') || f.count == 0)
            abort();
    }
    if (st == OBJR_OK)
        check_patch(a, (const char *)data, size);
    char *x = NULL;
    size_t len = 0;
    if (st == OBJR_OK && objr_adm_write_mem(a, &x, &len) == OBJR_OK) {
        objr_adm *b = parse(x, len, 1);
        if (!b)
            abort(); /* the repaired document must read */
        (void)objr_adm_validate(b, 0, &p, &n);
        for (size_t i = 0; i < objr_adm_finding_count(b); i++) {
            objr_adm_finding f;
            (void)objr_adm_get_finding(b, i, &f);
            for (size_t k = 0; k < sizeof timing_kinds / sizeof timing_kinds[0]; k++)
                if (!strcmp(f.kind, timing_kinds[k]))
                    abort(); /* fixed timing needs no second fix */
        }
        objr_adm_destroy(b);
        free(x);
    }
    objr__adm_model *m = objr__adm_get_model_mut(a);
    objr__adm_snap_to_rate(m, 48000);
    for (size_t c = 0; c < m->n_channels; c++) {
        const objr__adm_channel *ch = &m->channels[c];
        if (ch->type != OBJR__TYPE_OBJECTS || st != OBJR_OK)
            continue;
        for (size_t k = 1; k < ch->n_blocks; k++)
            if (ch->objects[k].c.has_rtime && ch->objects[k - 1].c.has_rtime &&
                objr__adm_time_cmp(ch->objects[k].c.rtime, ch->objects[k - 1].c.rtime) < 0)
                abort(); /* snapping reordered blocks */
    }
    objr_adm_destroy(a);
    return 0;
}
