/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness for the ADM XML reader (objr_adm_parse_mem), the validator, the chna
 * merge and the writer. Invariant checked: whatever the reader accepts, the writer's output
 * reads back to an equal model. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/adm_model_eq.h"
#include "formats/adm_model.h"
#include "objrender/objr.h"

/* Small limits keep every input bounded in time and memory. */
#define FUZZ_MAX_BYTES (1u << 20)
#define FUZZ_MAX_ELEMENTS 20000u
#define FUZZ_MAX_BLOCKS 50000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    objr_adm_config cfg = objr_adm_config_default();
    cfg.max_xml_bytes = FUZZ_MAX_BYTES;
    cfg.max_elements = FUZZ_MAX_ELEMENTS;
    cfg.max_blocks = FUZZ_MAX_BLOCKS;
    cfg.base_dir = "/stems";
    objr_adm *a = NULL;
    objr_diag d;
    if (objr_adm_parse_mem((const char *)data, size, &cfg, &a, &d) != OBJR_OK)
        return 0;
    const objr_adm_problem *p;
    size_t n;
    (void)objr_adm_validate(a, 8, &p, &n);
    for (size_t i = 0; i < objr_adm_count(a, OBJR_ADM_PACK); i++) {
        objr_adm_pack_info pi;
        (void)objr_adm_get_pack(a, i, &pi);
    }
    for (size_t i = 0; i < objr_adm_count(a, OBJR_ADM_OBJECT); i++) {
        objr_adm_object_info oi;
        (void)objr_adm_get_object(a, i, &oi);
    }
    char *x = NULL;
    size_t len = 0;
    if (objr_adm_write_mem(a, &x, &len) == OBJR_OK) {
        objr_adm *b = NULL;
        cfg.max_xml_bytes = 0;
        if (objr_adm_parse_mem(x, len, &cfg, &b, &d) != OBJR_OK)
            abort(); /* the writer produced something the reader refuses */
        char why[256];
        if (!test_adm_model_equal(objr__adm_get_model(a), objr__adm_get_model(b), why,
                                  sizeof why)) {
            fprintf(stderr, "round trip differs: %s\n", why);
            abort();
        }
        objr_adm_destroy(b);
        free(x);
    }
    /* merge a chna that links the first UIDs to common-definition tracks */
    objr_bwf_chna_entry e[2] = {{1, "ATU_00000001", "AT_00010001_01", "AP_00010002"},
                                {2, "ATU_00000002", "AT_00010002_01", "AP_00010002"}};
    if (objr_adm_apply_chna(a, e, 2, &d) != OBJR_OK && d.message[0] == 0)
        abort(); /* every failure must explain itself */
    (void)objr_adm_validate(a, 1, &p, &n);
    objr_adm_destroy(a);
    return 0;
}
