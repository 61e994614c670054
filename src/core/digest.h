/* SPDX-License-Identifier: BSD-3-Clause */
/* A fast digest of a stream of 32-bit words (non-cryptographic: it detects corruption, not
 * tampering), the same however the stream is cut into calls: a written file's samples are
 * compared with what was produced when it is read back. Internal API. */
#ifndef OBJR_SRC_CORE_DIGEST_H
#define OBJR_SRC_CORE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "src/core/core.h"

#define OBJR__DIGEST_LANES 4

typedef struct objr__digest {
    uint64_t lane[OBJR__DIGEST_LANES]; /* word k goes to lane k mod OBJR__DIGEST_LANES */
    uint64_t n_words;
} objr__digest;

OBJR_HIDDEN void objr__digest_init(objr__digest *d);
/** Add @p n_words 32-bit words (native byte order) read from @p words (any alignment). */
OBJR_HIDDEN void objr__digest_add(objr__digest *d, const void *words, size_t n_words);
/** The digest of every word added so far (the state is unchanged). */
OBJR_HIDDEN uint64_t objr__digest_value(const objr__digest *d);

#endif /* OBJR_SRC_CORE_DIGEST_H */
