/* SPDX-License-Identifier: BSD-3-Clause */
/* Broadcast WAVE files: RIFF/WAVE, RF64 (EBU Tech 3306) and BW64 (ITU-R BS.2088) reading and
 * writing, with the `chna`, `axml` (EBU Tech 3285 s5/s7) and `bext` (EBU Tech 3285 v2)
 * chunks, streaming planar float32 audio in blocks. */
#ifndef OBJR_OBJR_BWF_H
#define OBJR_OBJR_BWF_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_outfile.h"
#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open BWF/WAV file being read. Opaque; one thread at a time. */
typedef struct objr_bwf objr_bwf;
/** A BWF/WAV file being written. Opaque; one thread at a time. */
typedef struct objr_bwf_writer objr_bwf_writer;

/** The outer container of a WAVE file. */
typedef enum objr_bwf_container {
    OBJR_BWF_CONTAINER_RIFF = 0, /**< classic RIFF/WAVE, < 4 GiB */
    OBJR_BWF_CONTAINER_RF64 = 1, /**< EBU Tech 3306 RF64 with ds64 */
    OBJR_BWF_CONTAINER_BW64 = 2, /**< ITU-R BS.2088 BW64 with ds64 */
    /** Writer only: BW64 when ADM chunks (chna/axml) are written, RF64 otherwise. */
    OBJR_BWF_CONTAINER_AUTO = 3,
} objr_bwf_container;

/** Sample encoding of the `data` chunk. */
typedef enum objr_bwf_sample_format {
    OBJR_BWF_SAMPLE_PCM8 = 1,    /**< unsigned 8-bit (read only) */
    OBJR_BWF_SAMPLE_PCM16 = 2,   /**< signed 16-bit little-endian */
    OBJR_BWF_SAMPLE_PCM24 = 3,   /**< signed 24-bit little-endian, packed in 3 bytes */
    OBJR_BWF_SAMPLE_PCM32 = 4,   /**< signed 32-bit little-endian */
    OBJR_BWF_SAMPLE_FLOAT32 = 5, /**< IEEE 754 binary32 */
    OBJR_BWF_SAMPLE_FLOAT64 = 6, /**< IEEE 754 binary64 */
} objr_bwf_sample_format;

/**
 * @brief I/O callbacks for objr_bwf_open_io() (like libsndfile's SF_VIRTUAL_IO).
 *
 * All three are required. Offsets are absolute byte positions from the start of the stream.
 */
typedef struct objr_bwf_io {
    /** Read up to @p n bytes into @p buf; return the count read (< n only at end or on error). */
    size_t (*read)(void *user, void *buf, size_t n);
    /** Move to @p offset (whence: 0 = from start, 2 = from end); return 0 on success. */
    int (*seek)(void *user, int64_t offset, int whence);
    /** Current position, or -1 on error. */
    int64_t (*tell)(void *user);
} objr_bwf_io;

/** @brief Reader settings; always start from objr_bwf_read_config_default(). */
typedef struct objr_bwf_read_config {
    uint64_t max_axml_bytes;  /**< larger `axml` -> OBJR_ERR_LIMIT. @default 2 GiB - 1 (the
                                   XML reader's bound). A file opened by its path has a large
                                   axml mapped, not copied; through callbacks it is copied,
                                   and copies over 256 MiB are refused */
    uint64_t max_chunk_bytes; /**< larger chna/bext/other kept chunk -> OBJR_ERR_LIMIT
                                   (unknown chunks above it are skipped). @default 64 MiB */
    uint32_t max_channels;    /**< more channels in `fmt ` -> OBJR_ERR_LIMIT. @default 4096 */
    uint32_t max_chunks;      /**< more chunks -> OBJR_ERR_LIMIT. @default 65536 */
    int keep_unknown_chunks;  /**< keep unknown chunks (iXML, dbmd, ...) as bytes. @default 1 */
} objr_bwf_read_config;

/** @brief Defaults for objr_bwf_read_config. */
OBJR_API objr_bwf_read_config objr_bwf_read_config_default(void);

/** @brief The audio format of an open file (a value type). */
typedef struct objr_bwf_format {
    objr_bwf_container container;         /**< RIFF, RF64 or BW64 */
    objr_bwf_sample_format sample_format; /**< encoding of the samples */
    uint32_t n_channels;                  /**< channels (tracks) per frame */
    uint32_t sample_rate_hz;              /**< frames per second */
    uint64_t n_frames;                    /**< whole frames in `data` */
    uint16_t bits_per_sample;             /**< container bits (8/16/24/32/64) */
    uint16_t valid_bits;                  /**< significant bits (== bits unless extensible) */
    uint16_t format_tag;                  /**< 1 PCM, 3 float, 0xFFFE extensible */
    uint32_t channel_mask;                /**< WAVE_FORMAT_EXTENSIBLE mask, 0 if none */
    uint64_t data_offset;                 /**< byte offset of the first sample */
    uint64_t data_bytes;                  /**< size of the `data` chunk payload */
} objr_bwf_format;

/** @brief One `chna` audioID entry (EBU Tech 3285 s7), strings NUL-terminated and trimmed. */
typedef struct objr_bwf_chna_entry {
    uint16_t track_index; /**< 1-based track in `data` */
    char uid[13];         /**< "ATU_xxxxxxxx" */
    char track_ref[15];   /**< "AT_yyyyxxxx_zz" (or a channel ref "AC_yyyyxxxx_00") or "" */
    char pack_ref[12];    /**< "AP_yyyyxxxx" or "" */
} objr_bwf_chna_entry;

/**
 * @brief The `bext` chunk (EBU Tech 3285 v2). Strings are NUL-terminated copies of the
 *        fixed fields (trailing NULs and spaces kept as written, minus NUL padding).
 */
typedef struct objr_bwf_bext {
    char description[257];          /**< 256 chars */
    char originator[33];            /**< 32 chars */
    char originator_reference[33];  /**< 32 chars */
    char origination_date[11];      /**< "yyyy-mm-dd" */
    char origination_time[9];       /**< "hh-mm-ss" */
    uint64_t time_reference_frames; /**< first sample's count since midnight */
    uint16_t version;               /**< 0, 1 or 2 */
    uint8_t umid[64];               /**< SMPTE 330M UMID (v1+), zeros if none */
    /** v2 loudness (EBU R128 / BS.1770); NaN when absent (version < 2 or 0x7FFF). */
    double loudness_value_lufs;
    double loudness_range_lu;
    double max_true_peak_level_dbtp;
    double max_momentary_loudness_lufs;
    double max_short_term_loudness_lufs;
    /** Coding history (CR/LF-separated lines), NUL-terminated; "" or NULL if none. */
    const char *coding_history;
} objr_bwf_bext;

/** @brief Description of one chunk found in the file, in file order. */
typedef struct objr_bwf_chunk {
    char id[5];          /**< four-character code, NUL-terminated */
    uint64_t offset;     /**< byte offset of the chunk header */
    uint64_t size;       /**< payload size (after ds64 substitution) */
    const uint8_t *data; /**< payload bytes when kept in memory, else NULL (data, JUNK, ...) */
} objr_bwf_chunk;

/**
 * @brief Open a WAVE/RF64/BW64 stream through callbacks and parse all its chunks except the
 *        audio, which is read on demand with objr_bwf_read_f32().
 * @param[in] io callbacks, copied; @p user must outlive the handle.
 * @param[in] user passed to every callback.
 * @param[in] cfg NULL for defaults.
 * @param[out] diag optional: message, chunk id (element_id) and byte offset of the error.
 * @param[out] out the handle, NULL on failure.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG; OBJR_ERR_IO (a callback failed); OBJR_ERR_FORMAT (not
 *         WAVE, bad `fmt `, no `data`); OBJR_ERR_TRUNCATED (a chunk claims more bytes than the
 *         stream has); OBJR_ERR_LIMIT (a chunk or channel count above the configured limits);
 *         OBJR_ERR_UNSUPPORTED (a compressed or unknown sample encoding); OBJR_ERR_NOMEM.
 */
OBJR_API OBJR_NODISCARD objr_status objr_bwf_open_io(const objr_bwf_io *io, void *user,
                                                     const objr_bwf_read_config *cfg,
                                                     objr_diag *diag, objr_bwf **out)
    OBJR_NONNULL(1, 5);

/**
 * @brief objr_bwf_open_io() on a file. The diag message starts with the path.
 * @return as objr_bwf_open_io(); OBJR_ERR_IO when the file cannot be opened.
 */
OBJR_API OBJR_NODISCARD objr_status objr_bwf_open_file(const char *path,
                                                       const objr_bwf_read_config *cfg,
                                                       objr_diag *diag, objr_bwf **out)
    OBJR_NONNULL(1, 4);

/** @brief Close and free everything the handle owns. NULL-safe. */
OBJR_API void objr_bwf_close(objr_bwf *f);

/** @brief The audio format. @return OBJR_OK or OBJR_ERR_INVALID_ARG (out untouched). */
OBJR_API objr_status objr_bwf_get_format(const objr_bwf *f, objr_bwf_format *out)
    OBJR_NONNULL(1, 2);

/**
 * @brief The `axml` payload (ADM XML bytes, trailing NULs removed), owned by the handle.
 * @param[out] data NULL when the file has no `axml`. @param[out] size its length in bytes.
 * @return OBJR_OK or OBJR_ERR_INVALID_ARG.
 */
OBJR_API objr_status objr_bwf_get_axml(const objr_bwf *f, const uint8_t **data, size_t *size)
    OBJR_NONNULL(1, 2, 3);

/** @brief Number of valid `chna` entries (trackIndex 0 dropped); 0 if no `chna`. */
OBJR_API size_t objr_bwf_chna_count(const objr_bwf *f) OBJR_NONNULL(1);

/** @brief Copy `chna` entry @p i. @return OBJR_OK or OBJR_ERR_INVALID_ARG (i out of range). */
OBJR_API objr_status objr_bwf_get_chna_entry(const objr_bwf *f, size_t i, objr_bwf_chna_entry *out)
    OBJR_NONNULL(1, 3);

/**
 * @brief The parsed `bext` chunk, owned by the handle; *out is NULL when the file has none.
 * @return OBJR_OK or OBJR_ERR_INVALID_ARG.
 */
OBJR_API objr_status objr_bwf_get_bext(const objr_bwf *f, const objr_bwf_bext **out)
    OBJR_NONNULL(1, 2);

/** @brief Number of chunks in the file (including fmt, data, JUNK). */
OBJR_API size_t objr_bwf_chunk_count(const objr_bwf *f) OBJR_NONNULL(1);

/**
 * @brief Describe chunk @p i (file order). Kept payloads (chna, axml, bext, iXML, dbmd and other
 *        unknown chunks up to max_chunk_bytes) stay valid until objr_bwf_close().
 * @return OBJR_OK or OBJR_ERR_INVALID_ARG.
 */
OBJR_API objr_status objr_bwf_get_chunk(const objr_bwf *f, size_t i, objr_bwf_chunk *out)
    OBJR_NONNULL(1, 3);

/**
 * @brief Decode up to @p n_frames frames from the current position to planar float32.
 *
 * Integers map to [-1, 1) by dividing by 2^(bits-1) (exact; same as libsndfile); floats are
 * copied (float64 rounded to float32).
 * @param[out] planar_out n_channels pointers to buffers of at least n_frames floats.
 * @param[out] n_read frames decoded; < n_frames only at the end of the data.
 * @return OBJR_OK (also at the end, with *n_read 0); OBJR_ERR_IO (read failed: *n_read has the
 *         frames decoded before the error; the position is then undefined until the next seek).
 */
OBJR_API OBJR_NODISCARD objr_status objr_bwf_read_f32(objr_bwf *f, float *const *planar_out,
                                                      size_t n_frames, size_t *n_read)
    OBJR_NONNULL(1, 4);

/**
 * @brief Move the read position to frame @p frame (0 .. n_frames; n_frames is the end).
 * @return OBJR_OK; OBJR_ERR_RANGE (beyond the end, position unchanged); OBJR_ERR_IO.
 */
OBJR_API objr_status objr_bwf_seek_frame(objr_bwf *f, uint64_t frame) OBJR_NONNULL(1);

/** @brief Text of the handle's last error, "" if none. Never NULL. */
OBJR_API const char *objr_bwf_last_error(const objr_bwf *f);

/** @brief Writer settings; always start from objr_bwf_writer_config_default(). */
typedef struct objr_bwf_writer_config {
    uint32_t n_channels;                  /**< 1..65535. @default 0 (must be set) */
    uint32_t sample_rate_hz;              /**< @default 48000 */
    objr_bwf_sample_format sample_format; /**< PCM16/24/32, FLOAT32. @default PCM24 */
    uint32_t channel_mask;                /**< WAVE_FORMAT_EXTENSIBLE mask. @default 0 */
    /** Header used if the file passes 4 GiB: RF64, BW64 or AUTO (BW64 if chna/axml were
     *  written, RF64 otherwise). Below 4 GiB the file is plain RIFF. @default AUTO */
    objr_bwf_container large_container;
} objr_bwf_writer_config;

/** @brief Defaults for objr_bwf_writer_config. */
OBJR_API objr_bwf_writer_config objr_bwf_writer_config_default(void);

/**
 * @brief Start writing @p path, as the one output of its own objr_outset: audio goes to
 *        "<path>.tmp-XXXXXX" in the target's folder and is renamed to @p path by
 *        objr_bwf_writer_close(); an existing @p path is untouched until then. "-" is stdout
 *        and a character device is written directly (see objr_outset_open()); on a stream
 *        the RIFF and data sizes stay 0xFFFFFFFF (unknown) and no chunk may follow the audio.
 *
 * Layout: RIFF/WAVE, a 52-byte JUNK chunk (turned into ds64 if the file passes 4 GiB),
 * `fmt ` (WAVE_FORMAT_EXTENSIBLE), `fact` for float, then the chunks added before the first
 * audio block (so readers that stop at `data` see them, as libbw64 and EAR expect), `data`,
 * and after it the chunks added after the first block (as Pro Tools does for axml, useful
 * when metadata is only known at the end of a render).
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (bad config); OBJR_ERR_IO (folder not writable; the
 *         diag names the path and the OS error); OBJR_ERR_NOMEM.
 */
OBJR_API OBJR_NODISCARD objr_status objr_bwf_writer_create(const char *path,
                                                           const objr_bwf_writer_config *cfg,
                                                           objr_diag *diag, objr_bwf_writer **out)
    OBJR_NONNULL(1, 2, 4);

/**
 * @brief As objr_bwf_writer_create(), but the file is an output of @p set (which must outlive
 *        the writer): objr_bwf_writer_close() completes it and objr_outset_commit() puts it in
 *        place with the set's other outputs. A writer that fails or is aborted leaves the set.
 * @return as objr_bwf_writer_create(), plus those of objr_outset_open().
 */
OBJR_API OBJR_NODISCARD objr_status objr_bwf_writer_create_in(objr_outset *set, const char *path,
                                                              const objr_bwf_writer_config *cfg,
                                                              objr_diag *diag,
                                                              objr_bwf_writer **out)
    OBJR_NONNULL(1, 2, 3, 5);

/**
 * @brief Add a `chna` chunk built from @p entries (numTracks computed, 40-byte audioIDs).
 *        Replaces an earlier one that has not been written yet.
 * Set before the first audio block, it goes before `data`; set later, after `data`.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (track index 0 or beyond n_channels, > 65535
 *         entries); OBJR_ERR_STATE (failed writer, or this chunk was already written before
 *         `data`); OBJR_ERR_NOMEM.
 */
OBJR_API objr_status objr_bwf_writer_set_chna(objr_bwf_writer *w,
                                              const objr_bwf_chna_entry *entries, size_t n_entries)
    OBJR_NONNULL(1);

/** @brief Add the `axml` chunk (ADM XML bytes, copied). @return as set_chna; OBJR_ERR_LIMIT
 *         above 4 GiB - 1. */
OBJR_API objr_status objr_bwf_writer_set_axml(objr_bwf_writer *w, const void *xml, size_t n)
    OBJR_NONNULL(1);

/** @brief Add a `bext` chunk (version 2 when any loudness field is set, else 1). */
OBJR_API objr_status objr_bwf_writer_set_bext(objr_bwf_writer *w, const objr_bwf_bext *bext)
    OBJR_NONNULL(1, 2);

/**
 * @brief Add any other chunk (dbmd, iXML, ...) as opaque bytes (copied).
 * @param[in] id four characters; "RIFF", "WAVE", "fmt ", "data", "ds64", "fact" are refused.
 * @return as set_chna.
 */
OBJR_API objr_status objr_bwf_writer_add_chunk(objr_bwf_writer *w, const char id[4],
                                               const void *data, size_t n) OBJR_NONNULL(1, 2);

/**
 * @brief Carry over the opaque chunks of @p src (dbmd, iXML, LIST, unknown ...), in file
 *        order, as objr_bwf_writer_add_chunk() does. Skips the structural chunks (fmt, data,
 *        ds64, fact, JUNK/FLLR/PAD) and chna/axml/bext, which the caller sets itself.
 *        Chunks that @p src did not keep in memory (above its max_chunk_bytes) are skipped.
 * @return as objr_bwf_writer_add_chunk().
 */
OBJR_API objr_status objr_bwf_writer_copy_chunks(objr_bwf_writer *w, const objr_bwf *src)
    OBJR_NONNULL(1, 2);

/**
 * @brief Append @p n_frames frames of planar float32 audio, encoded to the configured format
 *        (integers: x * 2^(bits-1), rounded to nearest and clipped to the integer range).
 * @return OBJR_OK; OBJR_ERR_IO (write failed, e.g. disk full: the writer is then failed and
 *         only abort/close, which removes the temp file, are valid); OBJR_ERR_STATE.
 */
OBJR_API OBJR_NODISCARD objr_status objr_bwf_writer_write_f32(objr_bwf_writer *w,
                                                              const float *const *planar,
                                                              size_t n_frames) OBJR_NONNULL(1);

/**
 * @brief Finish the file (sizes, ds64 if needed, trailing chunks), flush, and rename it into
 *        place. Frees the writer in every case. On failure the temp file is removed and an
 *        existing destination is untouched.
 * @param[out] diag optional: why it failed (path and OS error).
 * @return OBJR_OK; OBJR_ERR_IO; OBJR_ERR_STATE (the writer had failed earlier);
 *         OBJR_ERR_INVALID_ARG (NULL writer).
 */
OBJR_API objr_status objr_bwf_writer_close(objr_bwf_writer *w, objr_diag *diag);

/** @brief Give up: remove the temp file and free the writer. NULL-safe. */
OBJR_API void objr_bwf_writer_abort(objr_bwf_writer *w);

/** @brief Text of the writer's last error, "" if none. Never NULL. */
OBJR_API const char *objr_bwf_writer_last_error(const objr_bwf_writer *w);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_BWF_H */
