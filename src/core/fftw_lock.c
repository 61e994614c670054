/* SPDX-License-Identifier: BSD-3-Clause */
/* The single FFTW planner lock (see fftw_lock.h). */
#include "src/core/fftw_lock.h"

#include <pthread.h>

/* The one mutable global the library has: FFTW's planner is itself process-global state,
 * so the lock that guards it must be too. */
static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;

void objr__fftw_lock(void) {
    pthread_mutex_lock(&planner_lock);
}

void objr__fftw_unlock(void) {
    pthread_mutex_unlock(&planner_lock);
}
