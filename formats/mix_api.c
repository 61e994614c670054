/* SPDX-License-Identifier: BSD-3-Clause */
/* Public mix API (include/objrender/objr_mix.h) over objr__mix_source. */
#include "objrender/objr_mix.h"

#include <string.h>

#include "formats/mix_source.h"

struct objr_mix {
    objr__mix_source *ms;
    objr_adm *adm; /* a view of the source's model */
};

objr_mix_config objr_mix_config_default(void) {
    objr_mix_config c;
    memset(&c, 0, sizeof c);
    c.validate = 1;
    return c;
}

objr_status objr_mix_open(const char *path, const objr_mix_config *cfg, objr_mix **out,
                          objr_diag *diag) {
    *out = NULL;
    if (diag)
        objr_diag_clear(diag);
    objr_mix_config def = objr_mix_config_default();
    if (!cfg)
        cfg = &def;
    objr__mix_source_config mc = objr__mix_source_config_default();
    mc.validate = cfg->validate;
    mc.allow_external_stems = cfg->allow_external_stems;
    mc.repair_nonfinite = cfg->repair_nonfinite;
    mc.allow_mixed_rates = cfg->allow_mixed_rates;
    objr_mix *m = objr__calloc(1, sizeof *m);
    if (!m)
        return objr__diag_set(diag, OBJR_ERR_NOMEM, "", 0, (size_t)-1, "out of memory");
    objr_status st = objr__mix_source_open(path, &mc, diag, &m->ms);
    if (st == OBJR_OK)
        st = objr__adm_view((objr__adm_model *)objr__mix_source_model(m->ms), &m->adm);
    if (st != OBJR_OK) {
        objr_mix_destroy(m);
        return st;
    }
    *out = m;
    return OBJR_OK;
}

void objr_mix_destroy(objr_mix *mix) {
    if (!mix)
        return;
    objr_adm_destroy(mix->adm);
    objr__mix_source_destroy(mix->ms);
    objr__freep(&mix);
}

objr_adm *objr_mix_adm(objr_mix *mix) {
    return mix->adm;
}

int objr_mix_is_bwf(const objr_mix *mix) {
    return objr__mix_source_is_bwf(mix->ms);
}

static void fill_info(const objr__mix_file *f, objr_mix_file_info *out) {
    memset(out, 0, sizeof *out);
    out->path = f->path;
    out->file = f->file;
    out->n_channels = f->info.n_channels;
    out->n_channels_used = f->n_channels_used;
    out->sample_rate_hz = f->info.sample_rate_hz;
    out->n_frames = f->info.n_frames;
    out->bits_per_sample = f->info.bits_per_sample;
    out->is_float = f->info.is_float;
}

objr_status objr_mix_probe_audio(const char *path, objr_mix_file_info *out, objr_diag *diag) {
    if (diag)
        objr_diag_clear(diag);
    objr__audio_reader *r = NULL;
    objr_status st = objr__audio_reader_open(path, diag, &r);
    if (st != OBJR_OK)
        return st;
    objr__mix_file f;
    memset(&f, 0, sizeof f);
    f.path = f.file = path;
    objr__audio_reader_get_info(r, &f.info);
    f.n_channels_used = f.info.n_channels;
    fill_info(&f, out);
    objr__audio_reader_close(r);
    return OBJR_OK;
}

objr_status objr_mix_open_audio(objr_mix *mix, size_t block_frames, objr_diag *diag) {
    if (block_frames == 0)
        return OBJR_ERR_INVALID_ARG;
    objr_status st = objr__mix_source_open_audio(mix->ms, NULL, 0, diag);
    return st == OBJR_OK ? objr__mix_source_prepare(mix->ms, block_frames) : st;
}

size_t objr_mix_file_count(const objr_mix *mix) {
    return objr__mix_source_file_count(mix->ms);
}

objr_status objr_mix_file_info_get(const objr_mix *mix, size_t i, objr_mix_file_info *out) {
    const objr__mix_file *f = objr__mix_source_file(mix->ms, i);
    if (!f)
        return OBJR_ERR_INVALID_ARG;
    fill_info(f, out);
    return OBJR_OK;
}

uint64_t objr_mix_frames(const objr_mix *mix) {
    return objr__mix_source_n_frames(mix->ms);
}

uint32_t objr_mix_sample_rate(const objr_mix *mix) {
    return objr__mix_source_sample_rate(mix->ms);
}

objr_status objr_mix_read(objr_mix *mix, size_t n_frames, objr_diag *diag) {
    return objr__mix_source_read(mix->ms, n_frames, n_frames, diag);
}

const float *objr_mix_channel(const objr_mix *mix, size_t i, uint32_t ch) {
    const objr__mix_file *f = objr__mix_source_file(mix->ms, i);
    return f && f->buf && ch < f->info.n_channels ? f->buf[ch] : NULL;
}

size_t objr_mix_warning_count(const objr_mix *mix) {
    return objr__mix_source_warning_count(mix->ms);
}

const char *objr_mix_warning(const objr_mix *mix, size_t i) {
    return objr__mix_source_warning(mix->ms, i);
}

uint64_t objr_mix_nonfinite(const objr_mix *mix, char *buf, size_t size) {
    return objr__mix_source_nonfinite(mix->ms, buf, size);
}
