/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness for custom loudspeaker layout files (layouts/custom.c): any bytes must
 * give OBJR_OK or an error with a message, never a crash; an accepted layout must pan. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "objrender/objr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    objr_layout *l = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_layout_load_mem((const char *)data, size, "fuzz", &l, &d);
    if (st == OBJR_OK) {
        size_t n = objr_layout_n_channels(l);
        for (size_t i = 0; i < n; i++) {
            objr_speaker_info si;
            if (objr_layout_channel_info(l, i, &si) != OBJR_OK)
                __builtin_trap();
        }
        objr_layout_destroy(l);
    } else if (l != NULL || d.message[0] == '\0') {
        __builtin_trap();
    }
    return 0;
}
