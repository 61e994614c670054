/* SPDX-License-Identifier: BSD-3-Clause */
/* Public layout API (include/objrender/objr_layout.h) over the internal objr__layout. It sits
 * above the renderers because a custom layout is valid when the renderer can pan it. */
#include "objrender/objr_layout.h"

#include <string.h>

#include "layouts/registry.h"
#include "renderers/loudspeaker/psp.h"

struct objr_layout {
    objr__layout l;
};

const objr__layout *objr__layout_of(const objr_layout *layout) {
    return layout ? &layout->l : NULL;
}

objr_status objr_layout_from_name(const char *name, objr_layout **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (!name)
        return OBJR_ERR_INVALID_ARG;
    objr_layout *h = objr__calloc(1, sizeof(*h));
    if (!h)
        return OBJR_ERR_NOMEM;
    objr_status st = objr__layout_lookup(name, &h->l);
    if (st != OBJR_OK) {
        objr__freep(&h);
        return st;
    }
    *out = h;
    return OBJR_OK;
}

objr_status objr_layout_load_mem(const char *text, size_t n_bytes, const char *source_name,
                                 objr_layout **out, objr_diag *diag) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (!text && n_bytes)
        return OBJR_ERR_INVALID_ARG;
    objr_layout *h = objr__calloc(1, sizeof(*h));
    if (!h)
        return OBJR_ERR_NOMEM;
    objr_status st = objr__layout_parse(text ? text : "", n_bytes, source_name, &h->l, diag);
    if (st == OBJR_OK)
        st = objr__layout_check_pannable(&h->l, source_name ? source_name : "<layout>", diag);
    if (st != OBJR_OK) {
        objr__freep(&h);
        return st;
    }
    *out = h;
    return OBJR_OK;
}

objr_status objr_layout_load_file(const char *path, objr_layout **out, objr_diag *diag) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (!path)
        return OBJR_ERR_INVALID_ARG;
    objr_layout *h = objr__calloc(1, sizeof(*h));
    if (!h)
        return OBJR_ERR_NOMEM;
    objr_status st = objr__layout_load_file(path, &h->l, diag);
    if (st == OBJR_OK)
        st = objr__layout_check_pannable(&h->l, path, diag);
    if (st != OBJR_OK) {
        objr__freep(&h);
        return st;
    }
    *out = h;
    return OBJR_OK;
}

void objr_layout_destroy(objr_layout *layout) {
    objr__freep(&layout);
}

const char *objr_layout_name(const objr_layout *layout) {
    return layout ? layout->l.name : "";
}

const char *objr_layout_common_name(const objr_layout *layout) {
    return layout ? layout->l.common_name : "";
}

size_t objr_layout_n_channels(const objr_layout *layout) {
    return layout ? layout->l.n_speakers : 0;
}

objr_status objr_layout_channel_info(const objr_layout *layout, size_t channel,
                                     objr_speaker_info *out) {
    if (!layout || !out || channel >= layout->l.n_speakers)
        return OBJR_ERR_INVALID_ARG;
    const objr__speaker *s = &layout->l.speakers[layout->l.file_order[channel]];
    memset(out, 0, sizeof(*out));
    memcpy(out->label, s->label, sizeof(out->label));
    out->label[sizeof(out->label) - 1] = '\0';
    out->azimuth_deg = s->azimuth_deg;
    out->elevation_deg = s->elevation_deg;
    out->distance_m = s->distance_m;
    out->is_lfe = s->is_lfe;
    out->wav_mask_bit = s->wav_mask_bit;
    return OBJR_OK;
}

uint32_t objr_layout_channel_mask(const objr_layout *layout) {
    return layout ? layout->l.channel_mask : 0;
}

const char *objr_layout_warning(const objr_layout *layout) {
    return layout ? layout->l.warning : "";
}

size_t objr_layout_known_count(void) {
    return objr__layout_builtin_count();
}

const char *objr_layout_known_name(size_t index) {
    const objr__layout_def *d = objr__layout_builtin_def(index);
    return d ? d->name : NULL;
}

const char *objr_layout_known_aliases(size_t index) {
    const objr__layout_def *d = objr__layout_builtin_def(index);
    return d ? d->aliases : NULL;
}

objr_status objr_layout_resolve_name(const char *name, char *out, size_t out_size) {
    if (!name || !out || !out_size)
        return OBJR_ERR_INVALID_ARG;
    return objr__layout_resolve_name(name, out, out_size) ? OBJR_OK : OBJR_ERR_LAYOUT;
}

int objr_layout_name_is_path(const char *name) {
    return name ? objr__layout_name_is_path(name) : 0;
}

size_t objr_layout_suggest(const char *name, char *out, size_t out_size) {
    return name ? objr__layout_suggest(name, out, out_size) : 0;
}
