/* SPDX-License-Identifier: BSD-3-Clause */
/* The ITU-R BS.2094-1 common definitions, as the project's own compact table: DirectSpeakers
 * channels (BS.2051 speaker labels and nominal polar positions) and packs AP_00010001..17
 * (with the corrected 7.1.2 pack AP_00010016: M+090/M-090 side pair), HOA channels and
 * nested packs (SN3D/N3D ACN channels to order 10 and packs to order 6, FuMa to order 3, the 2D and
 * mixed-order packs), the binaural pack AP_00050001, and the 1:1 stream (AS_yyyyxxxx) and track
 * (AT_yyyyxxxx_01) formats. IDs a document references but does not define are instantiated
 * from here on demand. */
#include "formats/adm_commondefs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cd_channel {
    uint16_t id; /* xxxx of AC_0001xxxx */
    const char *name;
    const char *label; /* BS.2051 speaker label (short form) */
    double azimuth_deg, elevation_deg;
    int lfe; /* carries frequency lowPass 120 Hz */
} cd_channel;

#define CD_MAX_PACK_CH 24
typedef struct cd_pack {
    uint16_t id; /* xxxx of AP_0001xxxx */
    const char *name;
    uint8_t n;
    uint8_t ch[CD_MAX_PACK_CH]; /* xxxx of each AC_0001xxxx, in pack order */
} cd_pack;

/* LFE channels: low-pass 120 Hz (BS.2094-1). */
#define CD_LFE_LOW_PASS_HZ 120.0
#define CD_HOA_MAX_ORDER 6          /* packs AP_000400x1..6 */
#define CD_HOA_MAX_CHANNEL_ORDER 10 /* channels AC_000400xx / AC_000401xx to ACN 120 */
#define CD_FUMA_MAX_ORDER 3

static const cd_channel ds_channels[] = {
    {0x01, "FrontLeft", "M+030", 30.0, 0.0, 0},
    {0x02, "FrontRight", "M-030", -30.0, 0.0, 0},
    {0x03, "FrontCentre", "M+000", 0.0, 0.0, 0},
    {0x04, "LowFrequencyEffects", "LFE", 0.0, -30.0, 1},
    {0x05, "SurroundLeft", "M+110", 110.0, 0.0, 0},
    {0x06, "SurroundRight", "M-110", -110.0, 0.0, 0},
    {0x07, "FrontLeftOfCentre", "M+022", 22.5, 0.0, 0},
    {0x08, "FrontRightOfCentre", "M-022", -22.5, 0.0, 0},
    {0x09, "BackCentre", "M+180", 180.0, 0.0, 0},
    {0x0a, "SideLeft", "M+090", 90.0, 0.0, 0},
    {0x0b, "SideRight", "M-090", -90.0, 0.0, 0},
    {0x0c, "TopCentre", "T+000", 0.0, 90.0, 0},
    {0x0d, "TopFrontLeft", "U+030", 30.0, 30.0, 0},
    {0x0e, "TopFrontCentre", "U+000", 0.0, 30.0, 0},
    {0x0f, "TopFrontRight", "U-030", -30.0, 30.0, 0},
    {0x10, "TopSurroundLeft", "U+110", 110.0, 30.0, 0},
    {0x11, "TopBackCentre", "U+180", 180.0, 30.0, 0},
    {0x12, "TopSurroundRight", "U-110", -110.0, 30.0, 0},
    {0x13, "TopSideLeft", "U+090", 90.0, 30.0, 0},
    {0x14, "TopSideRight", "U-090", -90.0, 30.0, 0},
    {0x15, "BottomFrontCentre", "B+000", 0.0, -30.0, 0},
    {0x16, "BottomFrontLeftMid", "B+045", 45.0, -30.0, 0},
    {0x17, "BottomFrontRightMid", "B-045", -45.0, -30.0, 0},
    {0x18, "FrontLeftWide", "M+060", 60.0, 0.0, 0},
    {0x19, "FrontRightWide", "M-060", -60.0, 0.0, 0},
    {0x1a, "BackLeftMidDiffuse", "M+135_Diff", 135.0, 0.0, 0},
    {0x1b, "BackRightMidDiffuse", "M-135_Diff", -135.0, 0.0, 0},
    {0x1c, "BackLeftMid", "M+135", 135.0, 0.0, 0},
    {0x1d, "BackRightMid", "M-135", -135.0, 0.0, 0},
    {0x1e, "TopBackLeftMid", "U+135", 135.0, 30.0, 0},
    {0x1f, "TopBackRightMid", "U-135", -135.0, 30.0, 0},
    {0x20, "LowFrequencyEffectsL", "LFEL", 45.0, -30.0, 1},
    {0x21, "LowFrequencyEffectsR", "LFER", -45.0, -30.0, 1},
    {0x22, "TopFrontLeftMid", "U+045", 45.0, 30.0, 0},
    {0x23, "TopFrontRightMid", "U-045", -45.0, 30.0, 0},
    {0x24, "FrontLeftScreen", "M+SC", 25.0, 0.0, 0},
    {0x25, "FrontRightScreen", "M-SC", -25.0, 0.0, 0},
    {0x26, "FrontLeftMid", "M+045", 45.0, 0.0, 0},
    {0x27, "FrontRightMid", "M-045", -45.0, 0.0, 0},
    {0x28, "UpperTopBackCentre", "UH+180", 180.0, 45.0, 0},
};
static const cd_pack ds_packs[] = {
    {0x01, "urn:itu:bs:775:3:pack:mono_(0+1+0)", 1, {0x03}},
    {0x02, "urn:itu:bs:2051:0:pack:stereo_(0+2+0)", 2, {0x01, 0x02}},
    {0x0a, "urn:itu:bs:775:3:pack:3.0_(0+3+0)", 3, {0x01, 0x02, 0x03}},
    {0x0b, "urn:itu:bs:775:3:pack:4.0_(0+4+0)", 4, {0x01, 0x02, 0x03, 0x09}},
    {0x0c, "urn:itu:bs:2051:0:pack:5.0_(0+5+0)", 5, {0x01, 0x02, 0x03, 0x05, 0x06}},
    {0x03, "urn:itu:bs:2051:0:pack:5.1_(0+5+0)", 6, {0x01, 0x02, 0x03, 0x04, 0x05, 0x06}},
    {0x0d, "6.1_(0+6+0)", 7, {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x09}},
    {0x0e, "7.1front_(0+7+0)", 8, {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x26, 0x27}},
    {0x0f, "7.1back_(0+7+0)", 8, {0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x1c, 0x1d}},
    {0x04,
     "urn:itu:bs:2051:0:pack:7.1top_(2+5+0)",
     8,
     {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0d, 0x0f}},
    {0x12, "7.1side_5.1+sc_(0+7+0)", 8, {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x24, 0x25}},
    {0x13, "7.1topside_5.1.2_(2+5+0)", 8, {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x13, 0x14}},
    {0x14,
     "9.1screen_5.1.2+sc_(2+7+0)",
     10,
     {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x13, 0x14, 0x24, 0x25}},
    {0x16, "9.1_7.1.2_(2+7+0)", 10, {0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x1c, 0x1d, 0x13, 0x14}},
    {0x05,
     "urn:itu:bs:2051:0:pack:9.1_5.1.4_(4+5+0)",
     10,
     {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0d, 0x0f, 0x10, 0x12}},
    {0x10,
     "urn:itu:bs:2051:0:pack:10.1_(4+5+1)",
     11,
     {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0d, 0x0f, 0x10, 0x12, 0x15}},
    {0x07,
     "urn:itu:bs:2051:0:pack:10.2_(3+7+0)",
     12,
     {0x03, 0x01, 0x02, 0x22, 0x23, 0x0a, 0x0b, 0x1c, 0x1d, 0x28, 0x20, 0x21}},
    {0x15,
     "11.1_5.1.4+sc_(4+7+0)",
     12,
     {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0d, 0x0f, 0x10, 0x12, 0x24, 0x25}},
    {0x17,
     "11.1_7.1.4_(4+7+0)",
     12,
     {0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x1c, 0x1d, 0x22, 0x23, 0x1e, 0x1f}},
    {0x08,
     "urn:itu:bs:2051:0:pack:13.1_(4+9+0)",
     14,
     {0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x1c, 0x1d, 0x22, 0x23, 0x1e, 0x1f, 0x24, 0x25}},
    {0x09, "urn:itu:bs:2051:0:pack:22.2_(9+10+3)", 24, {0x18, 0x19, 0x03, 0x20, 0x1c, 0x1d,
                                                        0x01, 0x02, 0x09, 0x21, 0x0a, 0x0b,
                                                        0x22, 0x23, 0x0e, 0x0c, 0x1e, 0x1f,
                                                        0x13, 0x14, 0x11, 0x15, 0x16, 0x17}},
    {0x11,
     "Auro-3D_(9+9+0)",
     19,
     {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0b, 0x1a, 0x1b, 0x0d, 0x0f, 0x0e, 0x10, 0x12,
      0x13, 0x14, 0x1e, 0x1f}},
};

/* HOA mixed-order and 2D packs (BS.2094-1): N3D channel offsets (ACN + 1 in AC_000401xx)
 * and the nested pack. */
typedef struct cd_hoa_pack {
    uint16_t id;
    const char *name;
    uint8_t n;
    uint8_t acn[5];
    uint16_t nested; /* 0 = none */
} cd_hoa_pack;

static const cd_hoa_pack hoa_special_packs[] = {
    {0x0111, "2D_Order1_N3D_ACN", 3, {0, 1, 3}, 0},
    {0x0112, "2D_Order2_N3D_ACN", 2, {4, 8}, 0x0111},
    {0x0210, "2H1P_N3D_ACN", 2, {4, 8}, 0x0011},
    {0x0211, "3H1P_N3D_ACN", 2, {9, 15}, 0x0210},
    {0x0310, "2H1V_N3D_ACN", 4, {4, 5, 7, 8}, 0x0011},
};

static const char *const fuma_names = "WYZXVTRSUQOMKLNP";

/* ---------------------------------------------------------------------------------------- */
/* ID parsing                                                                                */

static int hexval(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "PP_yyyyxxxx" -> yyyy, xxxx; suffix after the 8 hex digits must match @p tail. */
static int parse_id(const char *id, const char *prefix, const char *tail, unsigned *type,
                    unsigned *num) {
    size_t pl = strlen(prefix);
    if (strncmp(id, prefix, pl) != 0)
        return 0;
    unsigned v = 0;
    for (size_t i = 0; i < 8; i++) {
        int h = hexval(id[pl + i]);
        if (h < 0)
            return 0;
        v = v << 4 | (unsigned)h;
    }
    if (strcmp(id + pl + 8, tail) != 0)
        return 0;
    *type = v >> 16;
    *num = v & 0xffffu;
    return 1;
}

static const cd_channel *ds_channel(unsigned num) {
    for (size_t i = 0; i < sizeof ds_channels / sizeof ds_channels[0]; i++)
        if (ds_channels[i].id == num)
            return &ds_channels[i];
    return NULL;
}

static const cd_pack *ds_pack(unsigned num) {
    for (size_t i = 0; i < sizeof ds_packs / sizeof ds_packs[0]; i++)
        if (ds_packs[i].id == num)
            return &ds_packs[i];
    return NULL;
}

/* HOA channel xxxx -> normalisation block (0 SN3D, 1 N3D, 2 FuMa) and ACN. */
static int hoa_channel(unsigned num, int *norm, int *acn) {
    unsigned blk = num >> 8, k = num & 0xff;
    int max_order = blk == 2 ? CD_FUMA_MAX_ORDER : CD_HOA_MAX_CHANNEL_ORDER;
    if (blk > 2 || k < 1 || (int)k > (max_order + 1) * (max_order + 1))
        return 0;
    *norm = (int)blk;
    *acn = (int)k - 1;
    return 1;
}

/* HOA 3D pack xxxx -> normalisation and order. */
static int hoa_pack(unsigned num, int *norm, int *order) {
    unsigned blk = (num >> 4) & 0xf, o = num & 0xf;
    if (num > 0xff || blk > 2 || o < 1)
        return 0;
    if ((int)o > (blk == 2 ? CD_FUMA_MAX_ORDER : CD_HOA_MAX_ORDER))
        return 0;
    *norm = (int)blk;
    *order = (int)o;
    return 1;
}

static const cd_hoa_pack *hoa_special(unsigned num) {
    for (size_t i = 0; i < sizeof hoa_special_packs / sizeof hoa_special_packs[0]; i++)
        if (hoa_special_packs[i].id == num)
            return &hoa_special_packs[i];
    return NULL;
}

static int channel_known(unsigned type, unsigned num) {
    int a, b;
    switch (type) {
    case OBJR__TYPE_DIRECT_SPEAKERS:
        return ds_channel(num) != NULL;
    case OBJR__TYPE_HOA:
        return hoa_channel(num, &a, &b);
    case OBJR__TYPE_BINAURAL:
        return num == 1 || num == 2;
    default:
        return 0;
    }
}

static int pack_known(unsigned type, unsigned num) {
    int a, b;
    switch (type) {
    case OBJR__TYPE_DIRECT_SPEAKERS:
        return ds_pack(num) != NULL;
    case OBJR__TYPE_HOA:
        return hoa_pack(num, &a, &b) || hoa_special(num) != NULL;
    case OBJR__TYPE_BINAURAL:
        return num == 1;
    default:
        return 0;
    }
}

int objr__adm_commondefs_has(objr__adm_kind kind, const char *id) {
    unsigned type, num;
    if (!id)
        return 0;
    switch (kind) {
    case OBJR__KIND_PACK:
        return parse_id(id, "AP_", "", &type, &num) && pack_known(type, num);
    case OBJR__KIND_CHANNEL:
        return parse_id(id, "AC_", "", &type, &num) && channel_known(type, num);
    case OBJR__KIND_STREAM:
        return parse_id(id, "AS_", "", &type, &num) && channel_known(type, num);
    case OBJR__KIND_TRACK:
        return parse_id(id, "AT_", "_01", &type, &num) && channel_known(type, num);
    default:
        return 0;
    }
}

size_t objr__adm_commondefs_pack_count(void) {
    return sizeof ds_packs / sizeof ds_packs[0] + 6 + 6 + 3 +
           sizeof hoa_special_packs / sizeof hoa_special_packs[0] + 1;
}

const char *objr__adm_commondefs_pack_id(size_t i) {
    static _Thread_local char buf[16];
    size_t nds = sizeof ds_packs / sizeof ds_packs[0];
    unsigned type, num;
    if (i < nds) {
        type = 1;
        num = ds_packs[i].id;
    } else if ((i -= nds) < 15) {
        type = 4;
        num = i < 6    ? (unsigned)(i + 1)
              : i < 12 ? (unsigned)(0x10 + i - 5)
                       : (unsigned)(0x20 + i - 11);
    } else if ((i -= 15) < sizeof hoa_special_packs / sizeof hoa_special_packs[0]) {
        type = 4;
        num = hoa_special_packs[i].id;
    } else {
        type = 5;
        num = 1;
    }
    snprintf(buf, sizeof buf, "AP_%04x%04x", type, num);
    return buf;
}

/* ---------------------------------------------------------------------------------------- */
/* Instantiation                                                                             */

static objr_status set_ref(objr__adm_model *m, objr__adm_ref *r, const char *id, int32_t idx) {
    r->id = objr__adm_strdup(m, id);
    r->idx = idx;
    return r->id ? OBJR_OK : OBJR_ERR_NOMEM;
}

static int32_t new_element(objr__adm_model *m, objr__adm_kind kind, const char *id,
                           objr_status *st) {
    int32_t idx = objr__adm_add(m, kind, st);
    if (idx < 0)
        return -1;
    char *cid = objr__adm_strdup(m, id);
    if (!cid) {
        *st = OBJR_ERR_NOMEM;
        return -1;
    }
    /* every element starts with `char *id` */
    switch (kind) {
    case OBJR__KIND_PACK:
        m->packs[idx].id = cid;
        m->packs[idx].is_common = 1;
        break;
    case OBJR__KIND_CHANNEL:
        m->channels[idx].id = cid;
        m->channels[idx].is_common = 1;
        break;
    case OBJR__KIND_STREAM:
        m->streams[idx].id = cid;
        m->streams[idx].is_common = 1;
        break;
    case OBJR__KIND_TRACK:
        m->tracks[idx].id = cid;
        m->tracks[idx].is_common = 1;
        break;
    default:
        *st = OBJR_ERR_INTERNAL;
        return -1;
    }
    *st = objr__adm_index_add(m, kind, idx);
    return *st == OBJR_OK ? idx : -1;
}

static void block_common_defaults(objr__adm_block_common *c, unsigned type, unsigned num) {
    snprintf(c->id, sizeof c->id, "AB_%04x%04x_00000001", type, num);
    c->gain = 1.0;
    c->importance = 10;
}

static int32_t make_channel(objr__adm_model *m, unsigned type, unsigned num, objr_status *st) {
    char id[16], name[32];
    snprintf(id, sizeof id, "AC_%04x%04x", type, num);
    int32_t have = objr__adm_find(m, OBJR__KIND_CHANNEL, id);
    if (have >= 0) {
        *st = OBJR_OK;
        return have;
    }
    if (objr__adm_count_blocks(m, 1) != OBJR_OK) {
        *st = OBJR_ERR_LIMIT;
        return -1;
    }
    int32_t c = new_element(m, OBJR__KIND_CHANNEL, id, st);
    if (c < 0)
        return -1;
    objr__adm_channel *ch = &m->channels[c];
    ch->type = (int)type;
    ch->has_type_label = ch->has_type_definition = 1;
    ch->n_blocks = 1;
    if (type == OBJR__TYPE_DIRECT_SPEAKERS) {
        const cd_channel *d = ds_channel(num);
        objr__adm_block_direct_speakers *b = objr__adm_alloc(m, 1, sizeof *b);
        char label[48];
        snprintf(label, sizeof label, "urn:itu:bs:2051:0:speaker:%s", d->label);
        ch->name = objr__adm_strdup(m, d->name);
        if (!b || !ch->name)
            goto nomem;
        ch->direct_speakers = b;
        block_common_defaults(&b->c, type, num);
        b->coord[0].value = d->azimuth_deg;
        b->coord[1].value = d->elevation_deg;
        b->coord[2].value = 1.0;
        b->has_distance = 1;
        b->speaker_labels = objr__adm_alloc(m, 1, sizeof(char *));
        if (!b->speaker_labels || !(b->speaker_labels[0] = objr__adm_strdup(m, label)))
            goto nomem;
        b->n_speaker_labels = 1;
        if (d->lfe) {
            ch->low_pass_hz = CD_LFE_LOW_PASS_HZ;
            ch->has_low_pass = 1;
        }
    } else if (type == OBJR__TYPE_HOA) {
        int norm = 0, acn = 0;
        hoa_channel(num, &norm, &acn);
        objr__adm_block_hoa *b = objr__adm_alloc(m, 1, sizeof *b);
        if (!b)
            goto nomem;
        ch->hoa = b;
        block_common_defaults(&b->c, type, num);
        int order = 0;
        while ((order + 1) * (order + 1) <= acn)
            order++;
        b->order = order;
        b->degree = acn - order * order - order;
        b->has_order_degree = 1;
        b->normalization = norm == 0 ? OBJR__HOA_SN3D : norm == 1 ? OBJR__HOA_N3D : OBJR__HOA_FUMA;
        b->has_normalization = 1;
        if (norm == 2)
            snprintf(name, sizeof name, "FuMa_%c", fuma_names[acn]);
        else
            snprintf(name, sizeof name, "%s_ACN_%d", norm == 0 ? "SN3D" : "N3D", acn);
        ch->name = objr__adm_strdup(m, name);
        if (!ch->name)
            goto nomem;
    } else { /* binaural */
        objr__adm_block_binaural *b = objr__adm_alloc(m, 1, sizeof *b);
        ch->name = objr__adm_strdup(m, num == 1 ? "LeftEar" : "RightEar");
        if (!b || !ch->name)
            goto nomem;
        ch->binaural = b;
        block_common_defaults(&b->c, type, num);
    }
    *st = OBJR_OK;
    return c;
nomem:
    *st = OBJR_ERR_NOMEM;
    return -1;
}

static objr_status pack_add_channel(objr__adm_model *m, int32_t p, size_t slot, unsigned type,
                                    unsigned num) {
    objr_status st;
    int32_t c = make_channel(m, type, num, &st);
    if (c < 0)
        return st;
    char id[16];
    snprintf(id, sizeof id, "AC_%04x%04x", type, num);
    return set_ref(m, &m->packs[p].channels.items[slot], id, c);
}

static int32_t make_pack(objr__adm_model *m, unsigned type, unsigned num, objr_status *st,
                         int depth);

static objr_status pack_set_nested(objr__adm_model *m, int32_t p, unsigned type, unsigned num,
                                   int depth) {
    objr_status st;
    int32_t n = make_pack(m, type, num, &st, depth + 1);
    if (n < 0)
        return st;
    char id[16];
    snprintf(id, sizeof id, "AP_%04x%04x", type, num);
    m->packs[p].packs.items = objr__adm_alloc(m, 1, sizeof(objr__adm_ref));
    if (!m->packs[p].packs.items)
        return OBJR_ERR_NOMEM;
    m->packs[p].packs.n = 1;
    return set_ref(m, &m->packs[p].packs.items[0], id, n);
}

static int32_t make_pack(objr__adm_model *m, unsigned type, unsigned num, objr_status *st,
                         int depth) {
    char id[16];
    snprintf(id, sizeof id, "AP_%04x%04x", type, num);
    int32_t have = objr__adm_find(m, OBJR__KIND_PACK, id);
    if (have >= 0) {
        *st = OBJR_OK;
        return have;
    }
    if (depth > CD_HOA_MAX_ORDER + 2) {
        *st = OBJR_ERR_INTERNAL;
        return -1;
    }
    int32_t p = new_element(m, OBJR__KIND_PACK, id, st);
    if (p < 0)
        return -1;
    objr__adm_pack *pk = &m->packs[p];
    pk->type = (int)type;
    pk->has_type_label = pk->has_type_definition = 1;
    unsigned chans[CD_MAX_PACK_CH];
    size_t n = 0;
    unsigned nested = 0;
    char name[48];
    const char *pname = NULL;
    if (type == OBJR__TYPE_DIRECT_SPEAKERS) {
        const cd_pack *d = ds_pack(num);
        pname = d->name;
        for (n = 0; n < d->n; n++)
            chans[n] = d->ch[n];
    } else if (type == OBJR__TYPE_BINAURAL) {
        pname = "Binaural";
        chans[n++] = 1;
        chans[n++] = 2;
    } else {
        int norm = 1, order = 0;
        const cd_hoa_pack *sp = hoa_special(num);
        if (sp) {
            pname = sp->name;
            for (n = 0; n < sp->n; n++)
                chans[n] = 0x100u + sp->acn[n] + 1u;
            nested = sp->nested;
        } else {
            hoa_pack(num, &norm, &order);
            unsigned base = (unsigned)norm << 8;
            int first = order == 1 ? 0 : order * order;
            for (int a = first; a < (order + 1) * (order + 1); a++)
                chans[n++] = base + (unsigned)a + 1u;
            if (order > 1)
                nested = num - 1;
            snprintf(name, sizeof name, "3D_order%d_%s", order,
                     norm == 0   ? "SN3D_ACN"
                     : norm == 1 ? "N3D_ACN"
                                 : "FuMa");
            pname = name;
        }
        pk = &m->packs[p];
        pk->normalization = norm == 0 ? OBJR__HOA_SN3D : norm == 1 ? OBJR__HOA_N3D : OBJR__HOA_FUMA;
        if (sp)
            pk->normalization = OBJR__HOA_N3D;
    }
    pk = &m->packs[p];
    pk->name = objr__adm_strdup(m, pname);
    pk->channels.items = objr__adm_alloc(m, n, sizeof(objr__adm_ref));
    if (!pk->name || !pk->channels.items) {
        *st = OBJR_ERR_NOMEM;
        return -1;
    }
    pk->channels.n = n;
    for (size_t i = 0; i < n; i++) {
        *st = pack_add_channel(m, p, i, type, chans[i]);
        if (*st != OBJR_OK)
            return -1;
    }
    if (nested) {
        *st = pack_set_nested(m, p, type, nested, depth);
        if (*st != OBJR_OK)
            return -1;
    }
    *st = OBJR_OK;
    return p;
}

/* Stream AS_yyyyxxxx <-> track AT_yyyyxxxx_01 <-> channel AC_yyyyxxxx. */
static int32_t make_stream_track(objr__adm_model *m, unsigned type, unsigned num,
                                 objr__adm_kind want, objr_status *st) {
    char sid[16], tid[20], cid[16], name[64];
    snprintf(sid, sizeof sid, "AS_%04x%04x", type, num);
    snprintf(tid, sizeof tid, "AT_%04x%04x_01", type, num);
    snprintf(cid, sizeof cid, "AC_%04x%04x", type, num);
    int32_t c = make_channel(m, type, num, st);
    if (c < 0)
        return -1;
    int32_t s = objr__adm_find(m, OBJR__KIND_STREAM, sid);
    int32_t t = objr__adm_find(m, OBJR__KIND_TRACK, tid);
    snprintf(name, sizeof name, "PCM_%s", m->channels[c].name ? m->channels[c].name : "");
    if (s < 0) {
        s = new_element(m, OBJR__KIND_STREAM, sid, st);
        if (s < 0)
            return -1;
        objr__adm_stream *sf = &m->streams[s];
        sf->name = objr__adm_strdup(m, name);
        sf->format_label = objr__adm_strdup(m, "0001");
        sf->format_definition = objr__adm_strdup(m, "PCM");
        sf->tracks.items = objr__adm_alloc(m, 1, sizeof(objr__adm_ref));
        if (!sf->name || !sf->format_label || !sf->format_definition || !sf->tracks.items) {
            *st = OBJR_ERR_NOMEM;
            return -1;
        }
        sf->tracks.n = 1;
        if ((*st = set_ref(m, &sf->channel, cid, c)) != OBJR_OK ||
            (*st = set_ref(m, &sf->tracks.items[0], tid, t)) != OBJR_OK)
            return -1;
    }
    if (t < 0) {
        t = new_element(m, OBJR__KIND_TRACK, tid, st);
        if (t < 0)
            return -1;
        objr__adm_track *tf = &m->tracks[t];
        tf->name = objr__adm_strdup(m, name);
        tf->format_label = objr__adm_strdup(m, "0001");
        tf->format_definition = objr__adm_strdup(m, "PCM");
        if (!tf->name || !tf->format_label || !tf->format_definition) {
            *st = OBJR_ERR_NOMEM;
            return -1;
        }
        if ((*st = set_ref(m, &tf->stream, sid, s)) != OBJR_OK)
            return -1;
        if (m->streams[s].is_common)
            m->streams[s].tracks.items[0].idx = t;
    }
    *st = OBJR_OK;
    return want == OBJR__KIND_STREAM ? s : t;
}

int32_t objr__adm_commondefs_instantiate(objr__adm_model *m, objr__adm_kind kind, const char *id,
                                         objr_status *st) {
    unsigned type, num;
    *st = OBJR_OK;
    if (!objr__adm_commondefs_has(kind, id))
        return -1;
    switch (kind) {
    case OBJR__KIND_PACK:
        parse_id(id, "AP_", "", &type, &num);
        return make_pack(m, type, num, st, 0);
    case OBJR__KIND_CHANNEL:
        parse_id(id, "AC_", "", &type, &num);
        return make_channel(m, type, num, st);
    case OBJR__KIND_STREAM:
        parse_id(id, "AS_", "", &type, &num);
        return make_stream_track(m, type, num, kind, st);
    case OBJR__KIND_TRACK:
        parse_id(id, "AT_", "_01", &type, &num);
        return make_stream_track(m, type, num, kind, st);
    default:
        return -1;
    }
}
