/* SPDX-License-Identifier: BSD-3-Clause */
/* DirectSpeakers gain calculation, ITU-R BS.2127-1 §8: for channels of the ITU
 * common-definition packs, the standard's mapping-rule table (with its left/right mirror
 * rules); else a speakerLabel naming an output speaker; else the unique closest speaker within
 * the position bounds (nominal positions); else point-source panning of the position; LFE
 * channels only ever reach LFE1 (dropped when the layout has none, as in BS.775). */
#include "renderers/loudspeaker/direct_speakers.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layouts/registry.h"

#define DS_TOL 1e-5              /* BS.2127 bounds / closest-speaker tolerance */
#define LFE_MAX_LOWPASS_HZ 200.0 /* BS.2127: lowPass <= 200 Hz (and no highPass) means LFE */

struct objr__direct_speakers {
    objr__layout layout;
    const objr__psp *psp;
    objr__ds_allo_hooks allo;
    int has_allo;
    int out_bit;                           /* BS.2051 system of the output (IN_* bit), or 0 */
    int screen_lock;                       /* apply screenEdgeLock */
    double edges[4];                       /* left az, right az, bottom el, top el (degrees) */
    double nominal[OBJR__MAX_SPEAKERS][3]; /* nominal positions, cartesian, distance 1 */
};

/* ------------------------------------------------------------------------------------- */
/* Mapping rules (BS.2127 §8.4 table; each rule also applies mirrored left/right)          */

enum {
    IN_0_2_0 = 1 << 0,
    IN_0_5_0 = 1 << 1,
    IN_2_5_0 = 1 << 2,
    IN_4_5_0 = 1 << 3,
    IN_4_5_1 = 1 << 4,
    IN_3_7_0 = 1 << 5,
    IN_4_9_0 = 1 << 6,
    IN_9_10_3 = 1 << 7,
    IN_0_7_0 = 1 << 8,
    IN_4_7_0 = 1 << 9,
    IN_0_1_0 = 1 << 10,
};

typedef struct ds_rule {
    const char *label;
    int n;
    const char *out[4];
    double g2[4]; /* squared gains */
    int in_mask;  /* 0 = any input layout */
    int out_mask; /* 0 = any output layout */
} ds_rule;

#define R1(l, a, ga)                                                                               \
    { l, 1, {a}, {ga}, 0, 0 }
#define R2(l, a, ga, b, gb)                                                                        \
    { l, 2, {a, b}, {ga, gb}, 0, 0 }
#define R4(l, a, b, c, d)                                                                          \
    { l, 4, {a, b, c, d}, {0.25, 0.25, 0.25, 0.25}, 0, 0 }
#define H (1.0 / 2.0)
#define T1 (1.0 / 3.0)
#define T2 (2.0 / 3.0)
#define Q (1.0 / 4.0)

static const ds_rule rules[] = {
    R1("M+000", "M+000", 1),
    R2("M+000", "M+030", H, "M-030", H),

    R1("M+060", "M+060", 1),
    R2("M+060", "M+030", T2, "M+110", T1),
    R2("M+060", "M+030", H, "M+090", H),
    R1("M+060", "M+030", 1),

    R1("M+090", "M+090", 1),
    {"M+090", 2, {"M+030", "M+110"}, {T1, T2}, IN_9_10_3, 0},
    R2("M+090", "M+030", H, "M+110", H),
    R1("M+090", "M+030", H),

    R1("M+110", "M+110", 1),
    R1("M+110", "M+135", 1),
    R1("M+110", "M+030", H),

    R1("M+135", "M+135", 1),
    R1("M+135", "M+110", 1),
    R1("M+135", "M+030", H),

    R1("M+180", "M+180", 1),
    R2("M+180", "M+135", H, "M-135", H),
    R2("M+180", "M+110", H, "M-110", H),
    R2("M+180", "M+030", Q, "M-030", Q),

    R1("U+000", "U+000", 1),
    R2("U+000", "U+030", H, "U-030", H),
    R2("U+000", "U+045", H, "U-045", H),
    R1("U+000", "M+000", 1),
    R2("U+000", "M+030", H, "M-030", H),

    R1("U+030", "U+030", 1),
    R1("U+030", "U+045", 1),
    R1("U+030", "M+030", 1),

    R1("U+045", "U+045", 1),
    R1("U+045", "U+030", 1),
    R1("U+045", "M+030", 1),

    R1("U+090", "U+090", 1),
    {"U+090", 2, {"U+045", "UH+180"}, {T2, T1}, IN_9_10_3, 0},
    R2("U+090", "U+030", H, "U+110", H),
    R2("U+090", "U+045", H, "U+135", H),
    R1("U+090", "M+090", 1),
    R2("U+090", "U+030", H, "M+110", H),
    R2("U+090", "M+030", H, "M+110", H),
    R1("U+090", "M+030", H),

    R1("U+110", "U+110", 1),
    R1("U+110", "U+135", 1),
    R2("U+110", "U+045", H, "UH+180", H),
    R1("U+110", "M+110", 1),
    R1("U+110", "M+135", 1),
    R1("U+110", "M+030", H),

    R1("U+135", "U+135", 1),
    R1("U+135", "U+110", 1),
    {"U+135", 2, {"U+045", "UH+180"}, {T1, T2}, IN_9_10_3, 0},
    R2("U+135", "U+045", H, "UH+180", H),
    R1("U+135", "M+135", 1),
    R1("U+135", "M+110", 1),
    R1("U+135", "M+030", H),

    R1("U+180", "U+180", 1),
    R1("U+180", "UH+180", 1),
    R2("U+180", "U+135", H, "U-135", H),
    R2("U+180", "U+110", H, "U-110", H),
    R2("U+180", "M+135", H, "M-135", H),
    R2("U+180", "M+110", H, "M-110", H),
    R2("U+180", "M+030", Q, "M-030", Q),

    R1("UH+180", "UH+180", 1),
    R1("UH+180", "U+180", 1),
    R2("UH+180", "U+135", H, "U-135", H),
    R2("UH+180", "U+110", H, "U-110", H),
    R2("UH+180", "M+135", H, "M-135", H),
    R2("UH+180", "M+110", H, "M-110", H),
    R2("UH+180", "M+030", Q, "M-030", Q),

    R1("T+000", "T+000", 1),
    R4("T+000", "U+045", "U-045", "U+135", "U-135"),
    R4("T+000", "U+030", "U-030", "U+110", "U-110"),
    {"T+000", 3, {"U+045", "U-045", "UH+180"}, {T1, T1, T1}, 0, 0},
    R4("T+000", "U+045", "U-045", "M+135", "M-135"),
    R4("T+000", "U+030", "U-030", "M+110", "M-110"),
    R4("T+000", "M+030", "M-030", "M+135", "M-135"),
    R4("T+000", "M+030", "M-030", "M+110", "M-110"),
    R2("T+000", "M+030", Q, "M-030", Q),

    R1("B+000", "B+000", 1),
    R1("B+000", "M+000", 1),
    R2("B+000", "M+030", H, "M-030", H),

    R1("B+045", "B+045", 1),
    R1("B+045", "M+030", 1),

    {"LFE1", 1, {"LFE1"}, {1}, IN_9_10_3 | IN_3_7_0, IN_9_10_3 | IN_3_7_0},
    {"LFE2", 1, {"LFE2"}, {1}, IN_9_10_3 | IN_3_7_0, IN_9_10_3 | IN_3_7_0},
    {"LFE1", 1, {"LFE1"}, {H}, IN_9_10_3 | IN_3_7_0, 0},
    {"LFE2", 1, {"LFE1"}, {H}, IN_9_10_3 | IN_3_7_0, 0},
    R1("LFE1", "LFE1", 1),
};

/* BS.2127's table of ITU common-definition packs and the BS.2051 layout each stands for. */
static const struct {
    const char *pack;
    int layout;
} itu_packs[] = {
    {"AP_00010001", IN_0_1_0},  {"AP_00010002", IN_0_2_0}, {"AP_0001000c", IN_0_5_0},
    {"AP_00010003", IN_0_5_0},  {"AP_00010004", IN_2_5_0}, {"AP_00010005", IN_4_5_0},
    {"AP_00010010", IN_4_5_1},  {"AP_00010007", IN_3_7_0}, {"AP_00010008", IN_4_9_0},
    {"AP_00010009", IN_9_10_3}, {"AP_0001000f", IN_0_7_0}, {"AP_00010017", IN_4_7_0},
};

static int layout_bit(const char *name) {
    static const struct {
        const char *name;
        int bit;
    } m[] = {{"0+2+0", IN_0_2_0}, {"0+5+0", IN_0_5_0}, {"2+5+0", IN_2_5_0}, {"4+5+0", IN_4_5_0},
             {"4+5+1", IN_4_5_1}, {"3+7+0", IN_3_7_0}, {"4+9+0", IN_4_9_0}, {"9+10+3", IN_9_10_3},
             {"0+7+0", IN_0_7_0}, {"4+7+0", IN_4_7_0}, {"0+1+0", IN_0_1_0}};
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
        if (strcmp(m[i].name, name) == 0)
            return m[i].bit;
    return 0;
}

static int ieq(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* The mirrored label: + and - swapped, except at 000 and 180. */
static void opposite(const char *in, char *out) {
    size_t n = strlen(in);
    snprintf(out, OBJR__SPEAKER_LABEL_SIZE, "%s", in);
    if (n >= 3 && (strcmp(in + n - 3, "000") == 0 || strcmp(in + n - 3, "180") == 0))
        return;
    char *p = strchr(out, '+');
    if (p)
        *p = '-';
    else if ((p = strchr(out, '-')) != NULL)
        *p = '+';
}

/* Try one rule (mirrored when @p mirror); fills gains and returns 1 when it applies. */
static int try_rule(const objr__direct_speakers *ds, const ds_rule *r, int mirror, int in_bit,
                    const char *label, double *gains) {
    if (r->in_mask && !(r->in_mask & in_bit))
        return 0;
    if (r->out_mask && !(r->out_mask & ds->out_bit))
        return 0;
    char name[OBJR__SPEAKER_LABEL_SIZE];
    if (mirror)
        opposite(r->label, name);
    else
        snprintf(name, sizeof(name), "%s", r->label);
    if (strcmp(name, label) != 0)
        return 0;
    int idx[4];
    for (int i = 0; i < r->n; i++) {
        char o[OBJR__SPEAKER_LABEL_SIZE];
        if (mirror)
            opposite(r->out[i], o);
        else
            snprintf(o, sizeof(o), "%s", r->out[i]);
        idx[i] = -1;
        for (size_t k = 0; k < ds->layout.n_speakers; k++)
            if (strcmp(ds->layout.speakers[k].label, o) == 0)
                idx[i] = (int)k;
        if (idx[i] < 0)
            return 0;
    }
    memset(gains, 0, ds->layout.n_speakers * sizeof(*gains));
    for (int i = 0; i < r->n; i++)
        gains[idx[i]] = sqrt(r->g2[i]);
    return 1;
}

/* Is the mirrored rule distinct from the rule (same label and same gain set otherwise)? */
static int mirror_distinct(const ds_rule *r) {
    char a[OBJR__SPEAKER_LABEL_SIZE];
    opposite(r->label, a);
    if (strcmp(a, r->label) != 0)
        return 1;
    for (int i = 0; i < r->n; i++) {
        char o[OBJR__SPEAKER_LABEL_SIZE];
        opposite(r->out[i], o);
        int found = 0;
        for (int j = 0; j < r->n && !found; j++)
            found = strcmp(o, r->out[j]) == 0 && r->g2[i] == r->g2[j];
        if (!found)
            return 1;
    }
    return 0;
}

static int apply_rules(const objr__direct_speakers *ds, int in_bit, const char *label,
                       double *gains) {
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        if (try_rule(ds, &rules[i], 0, in_bit, label, gains))
            return 1;
        if (mirror_distinct(&rules[i]) && try_rule(ds, &rules[i], 1, in_bit, label, gains))
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Labels                                                                                  */

static const struct {
    const char *alt, *itu;
} alternates[] = {
    {"L", "M+030"},   {"R", "M-030"},   {"C", "M+000"},   {"Ls", "M+110"},  {"Rs", "M-110"},
    {"Lss", "M+090"}, {"Rss", "M-090"}, {"Lsr", "M+135"}, {"Rsr", "M-135"}, {"Lrs", "M+135"},
    {"Rrs", "M-135"}, {"Lb", "M+135"},  {"Rb", "M-135"},  {"Lw", "M+060"},  {"Rw", "M-060"},
    {"Cs", "M+180"},  {"Bc", "M+180"},  {"Ltf", "U+045"}, {"Rtf", "U-045"}, {"Ltm", "U+090"},
    {"Rtm", "U-090"}, {"Lts", "U+090"}, {"Rts", "U-090"}, {"Ltr", "U+135"}, {"Rtr", "U-135"},
    {"Ltb", "U+135"}, {"Rtb", "U-135"}, {"Tc", "T+000"},  {"Lfh", "U+030"}, {"Rfh", "U-030"},
    {"Lrh", "U+110"}, {"Rrh", "U-110"}, {"LFE", "LFE1"},  {"LFEL", "LFE1"}, {"LFER", "LFE2"},
    {"LFE1", "LFE1"}, {"LFE2", "LFE2"},
};

int objr__ds_canonical_label(const char *label, char *out) {
    static const char urn[] = "urn:itu:bs:2051:";
    const char *l = label ? label : "";
    if (strncmp(l, urn, sizeof(urn) - 1) == 0) {
        const char *p = l + sizeof(urn) - 1;
        const char *q = p;
        while (isdigit((unsigned char)*q))
            q++;
        if (q > p && strncmp(q, ":speaker:", 9) == 0)
            l = q + 9;
    }
    /* BS.2127: LFE, LFEL, LFER are LFE1, LFE1, LFE2 (exact) */
    if (strcmp(l, "LFE") == 0 || strcmp(l, "LFEL") == 0) {
        snprintf(out, OBJR__SPEAKER_LABEL_SIZE, "LFE1");
        return 1;
    }
    if (strcmp(l, "LFER") == 0) {
        snprintf(out, OBJR__SPEAKER_LABEL_SIZE, "LFE2");
        return 1;
    }
    double az, el;
    if (objr__layout_label_direction(l, &az, &el) || strcmp(l, "LFE1") == 0 ||
        strcmp(l, "LFE2") == 0) {
        snprintf(out, OBJR__SPEAKER_LABEL_SIZE, "%s", l);
        return 1;
    }
    /* short forms: "M+30", "u-110", "B+0" */
    {
        const char *p = l;
        char layer[3] = {0};
        if (toupper((unsigned char)p[0]) == 'U' && toupper((unsigned char)p[1]) == 'H') {
            layer[0] = 'U';
            layer[1] = 'H';
            p += 2;
        } else if (strchr("MUTBmutb", p[0]) && p[0]) {
            layer[0] = (char)toupper((unsigned char)p[0]);
            p++;
        }
        if (layer[0] && (*p == '+' || *p == '-')) {
            char sign = *p++;
            size_t nd = 0;
            while (isdigit((unsigned char)p[nd]))
                nd++;
            if (nd >= 1 && nd <= 3 && p[nd] == '\0') {
                int a = 0;
                for (size_t i = 0; i < nd; i++)
                    a = a * 10 + (p[i] - '0');
                if (a <= 180) {
                    char buf[OBJR__SPEAKER_LABEL_SIZE];
                    snprintf(buf, sizeof(buf), "%s%c%03d", layer, sign, a);
                    if (objr__layout_label_direction(buf, &az, &el)) {
                        snprintf(out, OBJR__SPEAKER_LABEL_SIZE, "%s", buf);
                        return 1;
                    }
                }
            } else if (toupper((unsigned char)p[0]) == 'S' && toupper((unsigned char)p[1]) == 'C' &&
                       p[2] == '\0' && layer[0] == 'M' && layer[1] == '\0') {
                snprintf(out, OBJR__SPEAKER_LABEL_SIZE, "M%cSC", sign);
                return 1;
            }
        }
    }
    /* alternates, optionally with the Dolby room-centric prefix RC_ */
    const char *a = l;
    if ((a[0] == 'R' || a[0] == 'r') && (a[1] == 'C' || a[1] == 'c') && a[2] == '_')
        a += 3;
    for (size_t i = 0; i < sizeof(alternates) / sizeof(alternates[0]); i++) {
        if (ieq(a, alternates[i].alt)) {
            snprintf(out, OBJR__SPEAKER_LABEL_SIZE, "%s", alternates[i].itu);
            return 1;
        }
    }
    snprintf(out, OBJR__SPEAKER_LABEL_SIZE, "%s", l);
    return 0;
}

/* EAR/BS.2127 nominal label: URN stripped, LFE/LFEL/LFER substituted, nothing else. */
static void nominal_label(const char *label, char *out) {
    static const char urn[] = "urn:itu:bs:2051:";
    const char *l = label ? label : "";
    if (strncmp(l, urn, sizeof(urn) - 1) == 0) {
        const char *q = l + sizeof(urn) - 1;
        const char *p = q;
        while (isdigit((unsigned char)*q))
            q++;
        if (q > p && strncmp(q, ":speaker:", 9) == 0)
            l = q + 9;
    }
    if (strcmp(l, "LFE") == 0 || strcmp(l, "LFEL") == 0)
        l = "LFE1";
    else if (strcmp(l, "LFER") == 0)
        l = "LFE2";
    snprintf(out, OBJR__SPEAKER_LABEL_SIZE, "%s", l);
}

/* ------------------------------------------------------------------------------------- */

objr_status objr__ds_create(const objr__layout *layout, const objr__psp *psp,
                            const objr__ds_allo_hooks *allo, objr__direct_speakers **out) {
    if (!layout || !psp || !out || layout->n_speakers > OBJR__MAX_SPEAKERS)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    objr__direct_speakers *ds = objr__calloc(1, sizeof(*ds));
    if (!ds)
        return OBJR_ERR_NOMEM;
    ds->layout = *layout;
    ds->psp = psp;
    if (allo && allo->speaker_positions && allo->pan) {
        ds->allo = *allo;
        ds->has_allo = 1;
    }
    ds->screen_lock = !(allo && allo->no_screen);
    if (allo && allo->has_screen_edges) {
        memcpy(ds->edges, allo->screen_edges_deg, sizeof(ds->edges));
    } else {
        /* BS.2076 default screen: centred, widthAzimuth 58, aspect ratio 1.78; edges of the
         * flat screen at distance 1 (BS.2127 PolarEdges) */
        double half_w = tan(29.0 * OBJR_PI / 180.0), half_h = half_w / 1.78;
        ds->edges[0] = atan(half_w) * 180.0 / OBJR_PI;
        ds->edges[1] = -ds->edges[0];
        ds->edges[2] = -atan(half_h) * 180.0 / OBJR_PI;
        ds->edges[3] = -ds->edges[2];
    }
    /* which BS.2051 system the output is: by name, or (for a renamed custom layout built on
     * one) by its speaker labels */
    ds->out_bit = layout_bit(layout->name);
    for (size_t k = 0; k < objr__layout_builtin_count() && !ds->out_bit; k++) {
        const objr__layout_def *def = objr__layout_builtin_def(k);
        if (!def->is_bs2051 || def->n_speakers != layout->n_speakers)
            continue;
        int same = 1;
        for (size_t i = 0; i < def->n_speakers && same; i++)
            same = strcmp(def->speakers[i].label, layout->speakers[i].label) == 0;
        if (same)
            ds->out_bit = layout_bit(def->name);
    }
    for (size_t i = 0; i < layout->n_speakers; i++) {
        const objr__speaker *s = &layout->speakers[i];
        objr__geom_cart(s->nominal_azimuth_deg, s->nominal_elevation_deg, 1.0, ds->nominal[i]);
    }
    *out = ds;
    return OBJR_OK;
}

void objr__ds_destroy(objr__direct_speakers *ds) {
    objr__freep(&ds);
}

static void bound_range(const objr__adm_bounded *b, double *lo, double *hi) {
    *lo = b->has_min ? b->min : b->value;
    *hi = b->has_max ? b->max : b->value;
}

/* A simple room-to-sphere mapping for cartesian positions when no allocentric hooks are
 * given: the direction of (X, Y, Z) in the BS.2127 cartesian frame. */
static void cart_fallback_dir(const double xyz[3], double dir[3]) {
    dir[0] = xyz[0];
    dir[1] = xyz[1];
    dir[2] = xyz[2];
}

/* Whether the block is an LFE channel: by frequency (lowPass <= 200 Hz, no highPass) or by
 * label. */
static int block_is_lfe(const objr__adm_block_direct_speakers *block, double low_pass_hz,
                        double high_pass_hz) {
    int lfe_freq = low_pass_hz > 0.0 && low_pass_hz <= LFE_MAX_LOWPASS_HZ && !(high_pass_hz > 0.0);
    int lfe_name = 0;
    for (size_t i = 0; i < block->n_speaker_labels; i++) {
        char c[OBJR__SPEAKER_LABEL_SIZE];
        objr__ds_canonical_label(block->speaker_labels[i], c);
        if (strcmp(c, "LFE1") == 0 || strcmp(c, "LFE2") == 0)
            lfe_name = 1;
    }
    return lfe_freq || lfe_name;
}

/* Step 1: the mapping rules for the ITU common-definition packs (first speakerLabel); returns
 * whether a rule routed the channel. */
static int route_by_rule(const objr__direct_speakers *ds,
                         const objr__adm_block_direct_speakers *block, const char *pack_id,
                         double *gains) {
    if (!pack_id || block->n_speaker_labels == 0)
        return 0;
    int in_bit = 0;
    for (size_t i = 0; i < sizeof(itu_packs) / sizeof(itu_packs[0]); i++)
        if (ieq(itu_packs[i].pack, pack_id))
            in_bit = itu_packs[i].layout;
    if (!in_bit)
        return 0;
    char c[OBJR__SPEAKER_LABEL_SIZE];
    objr__ds_canonical_label(block->speaker_labels[0], c);
    return apply_rules(ds, in_bit, c, gains);
}

/* Step 2: a speakerLabel naming an output speaker of the right type; earlier labels first.
 * The BS.2127 form of the label is tried first, then objrender's alternates. Returns whether
 * a label routed the channel. */
static int route_by_label(const objr__direct_speakers *ds,
                          const objr__adm_block_direct_speakers *block, int is_lfe, double *gains) {
    const objr__layout *L = &ds->layout;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < block->n_speaker_labels; i++) {
            char c[OBJR__SPEAKER_LABEL_SIZE];
            if (pass == 0)
                nominal_label(block->speaker_labels[i], c);
            else if (!objr__ds_canonical_label(block->speaker_labels[i], c))
                continue;
            for (size_t k = 0; k < L->n_speakers; k++) {
                if (strcmp(L->speakers[k].label, c) == 0 && L->speakers[k].is_lfe == is_lfe) {
                    gains[k] = 1.0;
                    return 1;
                }
            }
        }
    }
    return 0;
}

/* Step 3, polar: the speakers of the right type within the position bounds into @p cand (their
 * count returned), and the (screen-edge-locked) position as a direction vector in @p target. */
static size_t polar_candidates(const objr__direct_speakers *ds,
                               const objr__adm_block_direct_speakers *block, int is_lfe, int *cand,
                               double target[3]) {
    const objr__layout *L = &ds->layout;
    const double tol = DS_TOL;
    size_t n_cand = 0;
    double az_lo, az_hi, el_lo, el_hi, d_lo, d_hi;
    /* screenEdgeLock moves the position (not the bounds) to the screen edge */
    double az_v = block->coord[0].value, el_v = block->coord[1].value;
    if (ds->screen_lock) {
        if (block->coord[0].screen_edge_lock == 1)
            az_v = ds->edges[0];
        else if (block->coord[0].screen_edge_lock == 2)
            az_v = ds->edges[1];
        if (block->coord[1].screen_edge_lock == 1)
            el_v = ds->edges[2];
        else if (block->coord[1].screen_edge_lock == 2)
            el_v = ds->edges[3];
    }
    objr__adm_bounded az_b = block->coord[0], el_b = block->coord[1];
    az_b.value = az_v; /* a missing min/max defaults to the (locked) value */
    el_b.value = el_v;
    bound_range(&az_b, &az_lo, &az_hi);
    bound_range(&el_b, &el_lo, &el_hi);
    objr__adm_bounded dist = block->coord[2];
    if (!block->has_distance) {
        dist.value = 1.0;
        dist.has_min = dist.has_max = 0;
    }
    bound_range(&dist, &d_lo, &d_hi);
    objr__geom_cart(az_v, el_v, dist.value, target);
    for (size_t k = 0; k < L->n_speakers; k++) {
        const objr__speaker *s = &L->speakers[k];
        if (s->is_lfe != is_lfe)
            continue;
        double az = s->nominal_azimuth_deg, el = s->nominal_elevation_deg, d = 1.0;
        int az_ok = objr__angle_in_range(az, az_lo, az_hi, tol) || fabs(el) >= 90.0 - tol;
        if (az_ok && el > el_lo - tol && el < el_hi + tol && d > d_lo - tol && d < d_hi + tol)
            cand[n_cand++] = (int)k;
    }
    return n_cand;
}

/* Step 3, cartesian with allocentric speaker positions: the speakers of the right type within
 * the bounds into @p cand (their count returned). */
static size_t cartesian_candidates(const objr__direct_speakers *ds,
                                   const objr__adm_block_direct_speakers *block, int is_lfe,
                                   int *cand) {
    const objr__layout *L = &ds->layout;
    const double tol = DS_TOL;
    const double(*pos)[3] = ds->allo.speaker_positions;
    size_t n_cand = 0;
    double lo[3], hi[3];
    for (int c = 0; c < 3; c++)
        bound_range(&block->coord[c], &lo[c], &hi[c]);
    for (size_t k = 0; k < L->n_speakers; k++) {
        if (L->speakers[k].is_lfe != is_lfe)
            continue;
        int ok = 1;
        for (int c = 0; c < 3; c++)
            ok &= pos[k][c] + tol >= lo[c] && pos[k][c] - tol <= hi[c];
        if (ok)
            cand[n_cand++] = (int)k;
    }
    return n_cand;
}

/* Step 3's choice: the candidate closest to @p target when no other is as close (within the
 * tolerance), else -1. */
static int unique_closest(const double (*pos)[3], const int *cand, size_t n_cand,
                          const double target[3]) {
    const double tol = DS_TOL;
    double dist[OBJR__MAX_SPEAKERS], best = HUGE_VAL;
    size_t best_i = 0;
    for (size_t i = 0; i < n_cand; i++) {
        const double *p = pos[cand[i]];
        double dx = p[0] - target[0], dy = p[1] - target[1], dz = p[2] - target[2];
        dist[i] = sqrt(dx * dx + dy * dy + dz * dz);
        if (dist[i] < best) {
            best = dist[i];
            best_i = i;
        }
    }
    size_t n_close = 0;
    for (size_t i = 0; i < n_cand; i++)
        n_close += fabs(best - dist[i]) < tol;
    return n_close == 1 ? cand[best_i] : -1;
}

/* Step 4: LFE to LFE1 when there is one, else dropped; others panned at the position
 * (@p target: the polar direction from step 3). */
static objr__ds_route route_fallback(const objr__direct_speakers *ds,
                                     const objr__adm_block_direct_speakers *block, int is_lfe,
                                     const double target[3], double *gains) {
    const objr__layout *L = &ds->layout;
    if (is_lfe) {
        int k = objr__layout_find_label(L, "LFE1");
        if (k >= 0 && L->speakers[k].is_lfe) {
            gains[k] = 1.0;
            return OBJR__DS_ROUTE_LFE1;
        }
        return OBJR__DS_ROUTE_LFE_DROPPED;
    }
    if (block->cartesian) {
        double xyz[3] = {block->coord[0].value, block->coord[1].value, block->coord[2].value};
        if (ds->has_allo) {
            ds->allo.pan(ds->allo.ctx, xyz, gains);
            return OBJR__DS_ROUTE_PANNED;
        }
        double dir[3];
        cart_fallback_dir(xyz, dir);
        objr__psp_gains(ds->psp, dir, gains);
        return OBJR__DS_ROUTE_PANNED;
    }
    objr__psp_gains(ds->psp, target, gains);
    return OBJR__DS_ROUTE_PANNED;
}

void objr__ds_gains(const objr__direct_speakers *ds, const objr__adm_block_direct_speakers *block,
                    double low_pass_hz, double high_pass_hz, const char *pack_id, double *gains,
                    objr__ds_route *route) {
    objr__ds_route rt_local;
    if (!route)
        route = &rt_local;
    memset(gains, 0, ds->layout.n_speakers * sizeof(*gains));
    int is_lfe = block_is_lfe(block, low_pass_hz, high_pass_hz);
    if (route_by_rule(ds, block, pack_id, gains)) {
        *route = OBJR__DS_ROUTE_RULE;
        return;
    }
    if (route_by_label(ds, block, is_lfe, gains)) {
        *route = OBJR__DS_ROUTE_LABEL;
        return;
    }
    /* 3. the unique closest speaker of the right type within the position bounds */
    int cand[OBJR__MAX_SPEAKERS];
    size_t n_cand = 0;
    double target[3];
    const double(*pos)[3] = ds->nominal;
    if (!block->cartesian) {
        n_cand = polar_candidates(ds, block, is_lfe, cand, target);
    } else {
        for (int c = 0; c < 3; c++)
            target[c] = block->coord[c].value;
        if (ds->has_allo) {
            pos = ds->allo.speaker_positions;
            n_cand = cartesian_candidates(ds, block, is_lfe, cand);
        }
    }
    int k = n_cand > 0 ? unique_closest(pos, cand, n_cand, target) : -1;
    if (k >= 0) {
        gains[k] = 1.0;
        *route = OBJR__DS_ROUTE_BOUNDS;
        return;
    }
    *route = route_fallback(ds, block, is_lfe, target, gains);
}
