/* SPDX-License-Identifier: BSD-3-Clause */
/* Generic audio source for stems: objr_bwf for WAVE-family files, libsndfile otherwise,
 * delivering planar float32 blocks. */
#include "formats/audio_io.h"
#include "objrender/objr_outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "formats/bwf_internal.h"

/* Interleaved scratch for libsndfile reads: about 256 KiB. */
#define SNDFILE_BLOCK_BYTES (256u * 1024u)

struct objr__audio_reader {
    objr_bwf *bwf;
    SNDFILE *snd;
    objr__audio_info info;
    float *scratch;
    size_t scratch_frames;
    uint64_t pos_frame;
    char last_error[OBJR_DIAG_MESSAGE_SIZE];
    char bwf_refusal[OBJR_DIAG_MESSAGE_SIZE]; /* why objr_bwf left a WAVE file to libsndfile */
};

/* 1 for RIFF/RF64/BW64 WAVE, 0 for anything else, -1 when the file cannot be opened. */
static int is_wave_family(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    unsigned char h[12];
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    return n == sizeof h &&
           (!memcmp(h, "RIFF", 4) || !memcmp(h, "RF64", 4) || !memcmp(h, "BW64", 4)) &&
           !memcmp(h + 8, "WAVE", 4);
}

static unsigned sndfile_bits(int format, int *is_float) {
    *is_float = 0;
    switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
        return 8;
    case SF_FORMAT_PCM_16:
        return 16;
    case SF_FORMAT_PCM_24:
        return 24;
    case SF_FORMAT_PCM_32:
        return 32;
    case SF_FORMAT_FLOAT:
        *is_float = 1;
        return 32;
    case SF_FORMAT_DOUBLE:
        *is_float = 1;
        return 64;
    default:
        return 0;
    }
}

void objr__audio_reader_close(objr__audio_reader *r) {
    if (!r)
        return;
    objr_bwf_close(r->bwf);
    if (r->snd)
        sf_close(r->snd);
    objr__freep(&r->scratch);
    free(r);
}

objr_status objr__audio_reader_open(const char *path, objr_diag *diag, objr__audio_reader **out) {
    *out = NULL;
    objr_status in_ck = objr_input_check(path, diag);
    if (in_ck != OBJR_OK)
        return in_ck;
    objr__audio_reader *r = objr__calloc(1, sizeof *r);
    if (!r)
        return objr__diag_set(diag, OBJR_ERR_NOMEM, NULL, 0, (size_t)-1, "%s: out of memory", path);
    objr_status st;
    int wave = is_wave_family(path);
    if (wave < 0) {
        st = objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot open: %s", path,
                            strerror(errno));
        objr__audio_reader_close(r);
        return st;
    }
    if (wave) {
        objr_diag local;
        objr_diag_clear(&local);
        st = objr_bwf_open_file(path, NULL, &local, &r->bwf);
        if (st == OBJR_OK) {
            objr_bwf_format f;
            (void)objr_bwf_get_format(r->bwf, &f);
            r->info.n_channels = f.n_channels;
            r->info.sample_rate_hz = f.sample_rate_hz;
            r->info.n_frames = f.n_frames;
            r->info.bits_per_sample = f.valid_bits;
            r->info.is_float = f.sample_format == OBJR_BWF_SAMPLE_FLOAT32 ||
                               f.sample_format == OBJR_BWF_SAMPLE_FLOAT64;
            r->info.is_bwf = 1;
            *out = r;
            return OBJR_OK;
        }
        if (st != OBJR_ERR_UNSUPPORTED) {
            if (diag && !diag->message[0])
                *diag = local;
            objr__audio_reader_close(r);
            return st;
        }
        /* A WAVE encoding objr_bwf does not decode (ADPCM, mu-law, ...): libsndfile. */
        snprintf(r->bwf_refusal, sizeof r->bwf_refusal, "%s", local.message);
    }
    SF_INFO si;
    memset(&si, 0, sizeof si);
    r->snd = sf_open(path, SFM_READ, &si);
    if (!r->snd) {
        st = objr__diag_set(diag, OBJR_ERR_FORMAT, NULL, 0, (size_t)-1, "%s: cannot read audio: %s",
                            path, sf_strerror(NULL));
        objr__audio_reader_close(r);
        return st;
    }
    if (si.channels <= 0 || si.samplerate <= 0 || si.frames < 0) {
        st = objr__diag_set(diag, OBJR_ERR_FORMAT, NULL, 0, (size_t)-1,
                            "%s: invalid audio format (%d channels, %d Hz)", path, si.channels,
                            si.samplerate);
        objr__audio_reader_close(r);
        return st;
    }
    r->info.n_channels = (uint32_t)si.channels;
    r->info.sample_rate_hz = (uint32_t)si.samplerate;
    r->info.n_frames = (uint64_t)si.frames;
    r->info.bits_per_sample = (uint16_t)sndfile_bits(si.format, &r->info.is_float);
    r->scratch_frames = SNDFILE_BLOCK_BYTES / (sizeof(float) * (size_t)si.channels);
    if (r->scratch_frames == 0)
        r->scratch_frames = 1;
    r->scratch = objr__calloc(r->scratch_frames * (size_t)si.channels, sizeof(float));
    if (!r->scratch) {
        objr__audio_reader_close(r);
        return objr__diag_set(diag, OBJR_ERR_NOMEM, NULL, 0, (size_t)-1, "%s: out of memory", path);
    }
    *out = r;
    return OBJR_OK;
}

void objr__audio_reader_get_info(const objr__audio_reader *r, objr__audio_info *out) {
    *out = r->info;
}

const objr_bwf *objr__audio_reader_bwf(const objr__audio_reader *r) {
    return r->bwf;
}

void objr__audio_reader_release_axml(objr__audio_reader *r) {
    objr__bwf_release_axml(r->bwf);
}

const char *objr__audio_reader_bwf_refusal(const objr__audio_reader *r) {
    return r->bwf_refusal;
}

const char *objr__audio_reader_last_error(const objr__audio_reader *r) {
    if (r->bwf)
        return objr_bwf_last_error(r->bwf);
    return r->last_error;
}

objr_status objr__audio_reader_read_f32(objr__audio_reader *r, float *const *planar,
                                        size_t n_frames, size_t *n_read) {
    if (r->bwf)
        return objr_bwf_read_f32(r->bwf, planar, n_frames, n_read);
    *n_read = 0;
    size_t nch = r->info.n_channels;
    size_t done = 0;
    while (done < n_frames) {
        size_t k = n_frames - done < r->scratch_frames ? n_frames - done : r->scratch_frames;
        sf_count_t got = sf_readf_float(r->snd, r->scratch, (sf_count_t)k);
        if (got < 0) {
            snprintf(r->last_error, sizeof r->last_error, "libsndfile: %s", sf_strerror(r->snd));
            *n_read = done;
            return OBJR_ERR_IO;
        }
        for (size_t c = 0; c < nch; c++) {
            float *o = planar[c] + done;
            const float *s = r->scratch + c;
            for (size_t i = 0; i < (size_t)got; i++)
                o[i] = s[i * nch];
        }
        done += (size_t)got;
        r->pos_frame += (uint64_t)got;
        if ((size_t)got < k) {
            if (sf_error(r->snd) != SF_ERR_NO_ERROR) {
                snprintf(r->last_error, sizeof r->last_error, "libsndfile: %s",
                         sf_strerror(r->snd));
                *n_read = done;
                return OBJR_ERR_IO;
            }
            break; /* end of file */
        }
    }
    *n_read = done;
    return OBJR_OK;
}

objr_status objr__audio_reader_seek(objr__audio_reader *r, uint64_t frame) {
    if (r->bwf)
        return objr_bwf_seek_frame(r->bwf, frame);
    if (frame > r->info.n_frames) {
        snprintf(r->last_error, sizeof r->last_error, "seek to frame %llu beyond the end",
                 (unsigned long long)frame);
        return OBJR_ERR_RANGE;
    }
    if (sf_seek(r->snd, (sf_count_t)frame, SEEK_SET) < 0) {
        snprintf(r->last_error, sizeof r->last_error, "libsndfile seek: %s", sf_strerror(r->snd));
        return OBJR_ERR_IO;
    }
    r->pos_frame = frame;
    return OBJR_OK;
}
