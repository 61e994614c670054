/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness: SOFA (HDF5) HRTF sets from memory through objr__hrtf_load_mem (the HDF5
 * superblock pre-check, libmysofa, and the validation of everything libmysofa returns). */
#include <stddef.h>
#include <stdint.h>

#include "renderers/binaural/hrtf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    objr__hrtf *h = NULL;
    objr_diag d = {{0}, {0}, 0, 0};
    if (objr__hrtf_load_mem(data, size, "fuzz.sofa", 44100.0, &d, &h) == OBJR_OK)
        objr__hrtf_destroy(h);
    return 0;
}
