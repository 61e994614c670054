/* SPDX-License-Identifier: BSD-3-Clause */
/* objrender status codes, diagnostics, version and CPU-feature mask: the shared vocabulary of
 * every public header. */
#ifndef OBJR_OBJR_STATUS_H
#define OBJR_OBJR_STATUS_H

#include <stddef.h>

#include "objrender/objr_export.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define OBJR_NODISCARD __attribute__((warn_unused_result))
#define OBJR_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#else
#define OBJR_NODISCARD
#define OBJR_NONNULL(...)
#endif

/**
 * @brief Result of every fallible objrender call. OBJR_OK is 0, errors are negative.
 *
 * Values are stable within a major version: new codes are appended, never renumbered.
 */
typedef enum objr_status {
    OBJR_OK = 0,
    OBJR_ERR_INVALID_ARG = -1,  /**< a NULL pointer, a zero count or a value out of range */
    OBJR_ERR_NOMEM = -2,        /**< an allocation failed or a size overflowed */
    OBJR_ERR_IO = -3,           /**< reading or writing a file or stream failed */
    OBJR_ERR_FORMAT = -4,       /**< the input is not in the expected format (bad container) */
    OBJR_ERR_TRUNCATED = -5,    /**< the input ends before a structure it announces */
    OBJR_ERR_XML = -6,          /**< the XML is not well-formed */
    OBJR_ERR_ADM = -7,          /**< the ADM metadata is invalid (bad value, missing element) */
    OBJR_ERR_REFERENCE = -8,    /**< an ID reference is dangling, cyclic or of the wrong kind */
    OBJR_ERR_DUPLICATE = -9,    /**< an ID is defined twice */
    OBJR_ERR_UNSUPPORTED = -10, /**< valid input that this version cannot process */
    OBJR_ERR_LAYOUT = -11,      /**< unknown or invalid loudspeaker layout */
    OBJR_ERR_CONFLICT = -12,    /**< two sources of the same fact disagree (chna vs. axml) */
    OBJR_ERR_RANGE = -13,       /**< a number is NaN, infinite or outside its allowed range */
    OBJR_ERR_LIMIT = -14,       /**< a size limit was exceeded (element count, chunk size) */
    OBJR_ERR_STATE = -15,       /**< the call is not valid in the handle's current state */
    OBJR_ERR_HRTF = -16,        /**< an HRTF (SOFA) file is unusable */
    OBJR_ERR_INTERNAL = -17,    /**< an internal invariant failed: a bug, please report it */
} objr_status;

/**
 * @brief A short English description of @p status.
 * @return a static string, never NULL (unknown codes get a generic text).
 */
OBJR_API const char *objr_strerror(objr_status status);

/** Size of the message buffer in objr_diag, including the terminating NUL. */
#define OBJR_DIAG_MESSAGE_SIZE 512
/** Size of the element-ID buffer in objr_diag, including the terminating NUL. */
#define OBJR_DIAG_ID_SIZE 64

/**
 * @brief Detail about the first error a parser met: what, where (line, element, byte offset).
 *
 * A value type: the caller owns it and passes it to a parser; a parser that fails fills it
 * in. Fields that do not apply are 0 / empty / (size_t)-1 for @c byte_offset.
 */
/** Progress of a long job (a file render, a master, a check), for a progress display. */
typedef struct objr_progress {
    const char *stage;    /**< what is running: "rendering", "measuring", "mastering", ... */
    double fraction;      /**< of this stage, 0..1 */
    double media_done_s;  /**< seconds of audio this stage has processed */
    double media_total_s; /**< seconds of audio this stage processes (0 when unknown) */
} objr_progress;

/** Progress callback: called now and then from the job's thread; must not call back into the
 *  job's handle. @p p is valid for the call only. */
typedef void (*objr_progress_fn)(void *user, const objr_progress *p);

typedef struct objr_diag {
    char message[OBJR_DIAG_MESSAGE_SIZE]; /**< one line, no trailing newline */
    char element_id[OBJR_DIAG_ID_SIZE];   /**< ADM ID (e.g. "AO_1001") or chunk id, or "" */
    long line;                            /**< 1-based XML line, or 0 */
    size_t byte_offset;                   /**< offset in the file, or (size_t)-1 */
} objr_diag;

/** @brief Reset @p d to "no error". NULL-safe. */
OBJR_API void objr_diag_clear(objr_diag *d);

/** @brief The library version as "MAJOR.MINOR.PATCH". Never NULL. */
OBJR_API const char *objr_version_string(void);

/** CPU feature bits used by objr_set_cpu_mask() and the OBJR_CPU_MASK environment variable. */
enum objr_cpu_feature {
    OBJR_CPU_SSE2 = 1u << 0,
    OBJR_CPU_AVX2 = 1u << 1, /**< AVX2 together with FMA and OS support for YMM state */
    OBJR_CPU_NEON = 1u << 2,
};

/**
 * @brief Features this CPU offers, after the mask (see objr_set_cpu_mask()) is applied.
 */
OBJR_API unsigned objr_cpu_features(void);

/**
 * @brief Restrict the SIMD features that handles created afterwards may use (for tests and
 *        for comparing kernels). 0 selects the portable C reference everywhere.
 * @param[in] mask bitwise OR of objr_cpu_feature values; ~0u allows everything (@default).
 *
 * Not thread-safe with concurrent handle creation; set it once at start-up. The environment
 * variable OBJR_CPU_MASK (decimal or 0x hex) gives the initial value.
 */
OBJR_API void objr_set_cpu_mask(unsigned mask);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_STATUS_H */
