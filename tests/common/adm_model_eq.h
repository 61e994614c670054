/* SPDX-License-Identifier: BSD-3-Clause */
/* Deep comparison of two ADM models, field by field (round-trip tests of the XML reader and
 * writer, the corpus and the ADM master). */
#ifndef OBJR_TESTS_COMMON_ADM_MODEL_EQ_H
#define OBJR_TESTS_COMMON_ADM_MODEL_EQ_H

#include <stddef.h>

#include "formats/adm_model.h"

/* 1 when @p a and @p b hold the same scene, else 0 and the first difference in @p why. */
int test_adm_model_equal(const objr__adm_model *a, const objr__adm_model *b, char *why,
                         size_t why_size);

#endif /* OBJR_TESTS_COMMON_ADM_MODEL_EQ_H */
