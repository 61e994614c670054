/* SPDX-License-Identifier: BSD-3-Clause */
/* A fast digest of a stream of 32-bit words (non-cryptographic: it detects corruption, not
 * tampering): a sum over the words of a function of each word and its position, so that it
 * is the same however the stream is cut into calls, and parts digested apart (on two
 * threads) add up to the whole. A written file's samples are compared with what was produced
 * when it is read back. Internal API. */
#ifndef OBJR_SRC_CORE_DIGEST_H
#define OBJR_SRC_CORE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "src/core/core.h"

typedef struct objr__digest {
    uint64_t sum;     /* of f(k, word k) mod 2^64 */
    uint64_t next;    /* the position of the next word */
    uint64_t n_words; /* words added */
} objr__digest;

/** Start a digest whose first word is word @p first_word of the stream. */
OBJR_HIDDEN void objr__digest_init(objr__digest *d, uint64_t first_word);
/** Add the next @p n_words 32-bit words (native byte order) read from @p words (any
 *  alignment). */
OBJR_HIDDEN void objr__digest_add(objr__digest *d, const void *words, size_t n_words);
/** Fold @p part (the words right after @p d's) into @p d. Returns 0 (and leaves @p d) when
 *  @p part does not start where @p d ends. */
OBJR_HIDDEN int objr__digest_append(objr__digest *d, const objr__digest *part);

#endif /* OBJR_SRC_CORE_DIGEST_H */
