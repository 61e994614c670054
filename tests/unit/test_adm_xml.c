/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM XML reader and writer: every root form, BS.2076 defaults, every block parameter, the
 * mix.xml stem extension, round trips, bad input (malformed, dangling, cycles, duplicates,
 * NaN, limits, entity expansion, external entities) and allocation failures. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/adm_model_eq.h"
#include "formats/adm_model.h"
#include "objrender/objr.h"

#define AFE_OPEN "<audioFormatExtended>"
#define AFE_CLOSE "</audioFormatExtended>"

/* A small but complete scene: programme -> content -> object -> pack -> channel (2 blocks),
 * stream, track, UID. */
static const char *const scene_body =
    "<audioProgramme audioProgrammeID=\"APR_1001\" audioProgrammeName=\"P\">"
    "<audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>"
    "<audioContent audioContentID=\"ACO_1001\" audioContentName=\"C\">"
    "<audioObjectIDRef>AO_1001</audioObjectIDRef></audioContent>"
    "<audioObject audioObjectID=\"AO_1001\" audioObjectName=\"O\">"
    "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
    "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>"
    "<audioPackFormat audioPackFormatID=\"AP_00031001\" typeDefinition=\"Objects\">"
    "<audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef></audioPackFormat>"
    "<audioChannelFormat audioChannelFormatID=\"AC_00031001\" typeLabel=\"0003\">"
    "<audioBlockFormat audioBlockFormatID=\"AB_00031001_00000001\" rtime=\"00:00:00.00000\" "
    "duration=\"00:00:01.00000\"><position coordinate=\"azimuth\">30</position></audioBlockFormat>"
    "<audioBlockFormat audioBlockFormatID=\"AB_00031001_00000002\" rtime=\"00:00:01.00000\" "
    "duration=\"00:00:01.00000\"><position coordinate=\"azimuth\">-30</position>"
    "<position coordinate=\"elevation\">10</position></audioBlockFormat></audioChannelFormat>"
    "<audioStreamFormat audioStreamFormatID=\"AS_00031001\" formatLabel=\"0001\">"
    "<audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef>"
    "<audioTrackFormatIDRef>AT_00031001_01</audioTrackFormatIDRef></audioStreamFormat>"
    "<audioTrackFormat audioTrackFormatID=\"AT_00031001_01\">"
    "<audioStreamFormatIDRef>AS_00031001</audioStreamFormatIDRef></audioTrackFormat>"
    "<audioTrackUID UID=\"ATU_00000001\" sampleRate=\"48000\" bitDepth=\"24\">"
    "<audioTrackFormatIDRef>AT_00031001_01</audioTrackFormatIDRef>"
    "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef></audioTrackUID>";

static char *wrap(const char *pre, const char *body, const char *post) {
    size_t n = strlen(pre) + strlen(body) + strlen(post) + 1;
    char *s = malloc(n);
    ck_assert_ptr_nonnull(s);
    snprintf(s, n, "%s%s%s", pre, body, post);
    return s;
}

static objr_adm *parse_ok(const char *xml) {
    objr_adm *a = NULL;
    objr_diag d;
    objr_status st = objr_adm_parse_mem(xml, strlen(xml), NULL, &a, &d);
    ck_assert_msg(st == OBJR_OK, "parse failed: %s", d.message);
    return a;
}

static objr_status parse_fail(const char *xml, objr_diag *d) {
    objr_adm *a = NULL;
    objr_status st = objr_adm_parse_mem(xml, strlen(xml), NULL, &a, d);
    ck_assert_ptr_null(a);
    ck_assert_int_ne(st, OBJR_OK);
    ck_assert(d->message[0] != '\0');
    return st;
}

static void check_scene(const objr_adm *a) {
    const objr__adm_model *m = objr__adm_get_model(a);
    ck_assert_uint_eq(m->n_programmes, 1);
    ck_assert_uint_eq(m->n_objects, 1);
    ck_assert_uint_eq(m->n_channels, 1);
    ck_assert_uint_eq(m->channels[0].n_blocks, 2);
    ck_assert_int_eq(m->channels[0].type, OBJR__TYPE_OBJECTS);
    ck_assert_double_eq(m->channels[0].objects[1].pos.azimuth_deg, -30.0);
    ck_assert_int_eq(objr__adm_uid_channel(m, 0), 0);
    ck_assert_int_eq(m->programmes[0].contents.items[0].idx, 0);
    ck_assert_int_eq(m->objects[0].packs.items[0].idx, 0);
}

START_TEST(root_forms) {
    static const char *const pre[] = {
        "<?xml version=\"1.0\"?><ebuCoreMain xmlns=\"urn:ebu:metadata-schema:ebuCore_2014\">"
        "<coreMetadata><format>" AFE_OPEN,
        "<ebuCoreMain><coreMetadata><format>" AFE_OPEN,
        "<ituADM xmlns=\"urn:metadata-schema:adm\"><coreMetadata><format>" AFE_OPEN,
        "<ituADM>" AFE_OPEN,
        AFE_OPEN,
        "<frame version=\"ITU-R_BS.2125-1\"><frameHeader/>" AFE_OPEN,
        "<!-- licence\n text -->\n<?xml "
        "version=\"1.0\"?>\n<ebuCoreMain><coreMetadata><format>" AFE_OPEN,
    };
    static const char *const post[] = {
        AFE_CLOSE "</format></coreMetadata></ebuCoreMain>",
        AFE_CLOSE "</format></coreMetadata></ebuCoreMain>",
        AFE_CLOSE "</format></coreMetadata></ituADM>",
        AFE_CLOSE "</ituADM>",
        AFE_CLOSE,
        AFE_CLOSE "</frame>",
        AFE_CLOSE "</format></coreMetadata></ebuCoreMain>",
    };
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++) {
        char *x = wrap(pre[i], scene_body, post[i]);
        objr_adm *a = parse_ok(x);
        check_scene(a);
        objr_adm_destroy(a);
        free(x);
    }
}
END_TEST

START_TEST(sadm_transport_tracks) {
    const char *x =
        "<frame><frameHeader><transportTrackFormat transportID=\"TP_0001\">"
        "<audioTrack trackID=\"3\"><audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioTrack>"
        "</transportTrackFormat></frameHeader><audioFormatExtended>"
        "<audioObject "
        "audioObjectID=\"AO_1\"><audioPackFormatIDRef>AP_00010002</audioPackFormatIDRef>"
        "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>"
        "<audioTrackUID UID=\"ATU_00000001\"><audioChannelFormatIDRef>AC_00010002"
        "</audioChannelFormatIDRef><audioPackFormatIDRef>AP_00010002</audioPackFormatIDRef>"
        "</audioTrackUID></audioFormatExtended></frame>";
    objr_adm *a = parse_ok(x);
    objr_adm_track_uid_info u;
    ck_assert_int_eq(objr_adm_get_track_uid(a, 0, &u), OBJR_OK);
    ck_assert_uint_eq(u.track_index, 3);
    ck_assert_str_eq(u.channel_id, "AC_00010002");
    ck_assert_str_eq(u.pack_id, "AP_00010002");
    objr_adm_pack_info p;
    ck_assert_int_eq(objr_adm_get_pack(a, 0, &p), OBJR_OK);
    ck_assert_str_eq(p.layout, "0+2+0");
    ck_assert(p.is_common_definition);
    objr_adm_destroy(a);
}
END_TEST

/* Objects defaults from BS.2076-2 §5.4.3.3 when the elements are omitted. */
START_TEST(objects_defaults) {
    const char *x = AFE_OPEN
        "<audioChannelFormat audioChannelFormatID=\"AC_00031001\" typeDefinition=\"Objects\">"
        "<audioBlockFormat audioBlockFormatID=\"AB_00031001_00000001\">"
        "<position coordinate=\"azimuth\">-45</position></audioBlockFormat>"
        "<audioBlockFormat audioBlockFormatID=\"AB_00031001_00000002\">"
        "<position coordinate=\"X\">0.5</position><position coordinate=\"Y\">1</position>"
        "</audioBlockFormat></audioChannelFormat>" AFE_CLOSE;
    objr_adm *a = parse_ok(x);
    const objr__adm_block_objects *b = objr__adm_get_model(a)->channels[0].objects;
    ck_assert_int_eq(b[0].pos.cartesian, 0);
    ck_assert_double_eq(b[0].pos.elevation_deg, 0.0);
    ck_assert_double_eq(b[0].pos.distance, 1.0);
    ck_assert_double_eq(b[0].c.gain, 1.0);
    ck_assert_int_eq(b[0].c.importance, 10);
    ck_assert_double_eq(b[0].width, 0.0);
    ck_assert_double_eq(b[0].diffuse, 0.0);
    ck_assert_int_eq(b[0].channel_lock, 0);
    ck_assert_int_eq(b[0].jump_position, 0);
    ck_assert_double_eq(b[0].divergence_azimuth_range_deg, 45.0);
    /* cartesian inferred from X/Y, Z omitted = 0 (Dolby profile) */
    ck_assert_int_eq(b[1].pos.cartesian, 1);
    ck_assert_double_eq(b[1].pos.x, 0.5);
    ck_assert_double_eq(b[1].pos.z, 0.0);
    objr_adm_destroy(a);
}
END_TEST

/* A document with every parameter: read, check values, write, read again, same XML. */
static const char *const every_param_parts[] = {
    "<?xml version=\"1.0\"?><ebuCoreMain><coreMetadata><format>",
    "<audioFormatExtended version=\"ITU-R_BS.2076-2\">",
    "<audioProgramme audioProgrammeID=\"APR_1001\" audioProgrammeName=\"A &amp; B\" ",
    "audioProgrammeLanguage=\"en\" start=\"00:00:00.00000\" end=\"00:00:10.1S48000\" ",
    "maxDuckingDepth=\"-8.5\"><audioContentIDRef>ACO_1001</audioContentIDRef>",
    "<loudnessMetadata loudnessMethod=\"ITU-R BS.1770\" loudnessRecType=\"EBU R128\" ",
    "loudnessCorrectionType=\"\"><integratedLoudness>-23.1</integratedLoudness>",
    "<loudnessRange>7.5</loudnessRange><maxTruePeak>-1.2</maxTruePeak>",
    "<maxMomentary>-12</maxMomentary><maxShortTerm>-15.25</maxShortTerm>",
    "<dialogueLoudness>-24</dialogueLoudness></loudnessMetadata>",
    "<audioProgrammeReferenceScreen aspectRatio=\"2.39\"><screenCentrePosition ",
    "azimuth=\"0\" elevation=\"5\" distance=\"1\"/><screenWidth azimuth=\"58\"/>",
    "</audioProgrammeReferenceScreen><audioProgrammeLabel language=\"fr\">Le programme",
    "</audioProgrammeLabel></audioProgramme>",
    "<audioContent audioContentID=\"ACO_1001\" audioContentName=\"C\" ",
    "audioContentLanguage=\"de\"><audioObjectIDRef>AO_1001</audioObjectIDRef>",
    "<audioObjectIDRef>AO_1002</audioObjectIDRef><dialogue dialogueContentKind=\"2\">1",
    "</dialogue></audioContent>",
    "<audioObject audioObjectID=\"AO_1001\" audioObjectName=\"Parent\" start=\"00:00:01.5\" ",
    "duration=\"00:00:05.00000\" dialogue=\"1\" importance=\"7\" interact=\"1\" ",
    "disableDucking=\"1\"><audioObjectIDRef>AO_1002</audioObjectIDRef>",
    "<audioComplementaryObjectIDRef>AO_1003</audioComplementaryObjectIDRef>",
    "<audioObjectLabel language=\"en\">lead</audioObjectLabel>",
    "<gain gainUnit=\"dB\">-6</gain><mute>0</mute><headLocked>1</headLocked>",
    "<positionOffset coordinate=\"azimuth\">10</positionOffset>",
    "<audioObjectInteraction onOffInteract=\"1\" gainInteract=\"1\" positionInteract=\"1\">",
    "<gainInteractionRange bound=\"min\">0.5</gainInteractionRange>",
    "<gainInteractionRange bound=\"max\">2</gainInteractionRange>",
    "<positionInteractionRange coordinate=\"azimuth\" bound=\"min\">-30",
    "</positionInteractionRange></audioObjectInteraction></audioObject>",
    "<audioObject audioObjectID=\"AO_1002\" audioObjectName=\"Child\">",
    "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>",
    "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>",
    "<audioObject audioObjectID=\"AO_1003\" audioObjectName=\"Bed\">",
    "<audioPackFormatIDRef>AP_00010016</audioPackFormatIDRef>",
    "<audioPackFormatIDRef>AP_00041001</audioPackFormatIDRef>",
    "<audioPackFormatIDRef>AP_00021001</audioPackFormatIDRef>",
    "<audioPackFormatIDRef>AP_00051001</audioPackFormatIDRef></audioObject>",
    "<audioPackFormat audioPackFormatID=\"AP_00031001\" audioPackFormatName=\"obj\" ",
    "typeLabel=\"0003\" typeDefinition=\"Objects\" importance=\"9\">",
    "<audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef>",
    "<absoluteDistance>4.5</absoluteDistance></audioPackFormat>",
    "<audioPackFormat audioPackFormatID=\"AP_00041001\" typeLabel=\"0004\">",
    "<audioChannelFormatIDRef>AC_00041001</audioChannelFormatIDRef>",
    "<normalization>N3D</normalization><nfcRefDist>2</nfcRefDist><screenRef>1</screenRef>",
    "</audioPackFormat>",
    "<audioPackFormat audioPackFormatID=\"AP_00021001\" typeDefinition=\"Matrix\">",
    "<audioChannelFormatIDRef>AC_00021001</audioChannelFormatIDRef>",
    "<inputPackFormatIDRef>AP_00010002</inputPackFormatIDRef>",
    "<decodePackFormatIDRef>AP_00021001</decodePackFormatIDRef></audioPackFormat>",
    "<audioPackFormat audioPackFormatID=\"AP_00051001\" typeDefinition=\"Binaural\">",
    "<audioChannelFormatIDRef>AC_00050001</audioChannelFormatIDRef>",
    "<audioChannelFormatIDRef>AC_00050002</audioChannelFormatIDRef></audioPackFormat>",
    "<audioChannelFormat audioChannelFormatID=\"AC_00031001\" typeDefinition=\"Objects\">",
    "<audioBlockFormat audioBlockFormatID=\"AB_00031001_00000001\" rtime=\"00:00:00.00000\" ",
    "duration=\"00:00:00.1S3\"><cartesian>0</cartesian>",
    "<position coordinate=\"azimuth\" screenEdgeLock=\"left\">12.5</position>",
    "<position coordinate=\"elevation\" screenEdgeLock=\"top\">-3</position>",
    "<position coordinate=\"distance\">0.5</position><gain>0.8</gain>",
    "<importance>4</importance><headLocked>1</headLocked>",
    "<headphoneVirtualise bypass=\"1\" DRR=\"-3\"/><width>20</width><height>10</height>",
    "<depth>0.2</depth><diffuse>0.3</diffuse><channelLock maxDistance=\"0.4\">1</channelLock>",
    "<objectDivergence azimuthRange=\"30\">0.5</objectDivergence>",
    "<jumpPosition interpolationLength=\"0.05\">1</jumpPosition><screenRef>1</screenRef>",
    "<zoneExclusion><zone minElevation=\"-90\" maxElevation=\"0\" minAzimuth=\"-180\" ",
    "maxAzimuth=\"-90\">RearLeft</zone><zone minX=\"-1\" maxX=\"-0.5\" minY=\"-1\" maxY=\"1\" ",
    "minZ=\"0\" maxZ=\"1\">Left</zone></zoneExclusion></audioBlockFormat>",
    "<audioBlockFormat audioBlockFormatID=\"AB_00031001_00000002\" rtime=\"00:00:00.1S3\" ",
    "duration=\"00:00:01.000000000\"><cartesian>1</cartesian><position coordinate=\"X\" ",
    "screenEdgeLock=\"right\">-0.25</position><position coordinate=\"Y\">0.75</position>",
    "<position coordinate=\"Z\">0.1</position><gain gainUnit=\"dB\">-3</gain>",
    "<objectDivergence positionRange=\"0.2\">0.1</objectDivergence></audioBlockFormat>",
    "</audioChannelFormat>",
    "<audioChannelFormat audioChannelFormatID=\"AC_00011001\" typeDefinition=\"DirectSpeakers\">",
    "<frequency typeDefinition=\"lowPass\">120</frequency>",
    "<frequency typeDefinition=\"highPass\">20</frequency>",
    "<audioBlockFormat audioBlockFormatID=\"AB_00011001_00000001\">",
    "<speakerLabel>RC_LFE</speakerLabel><speakerLabel>LFE</speakerLabel>",
    "<position coordinate=\"azimuth\">0</position>",
    "<position coordinate=\"azimuth\" bound=\"min\">-10</position>",
    "<position coordinate=\"azimuth\" bound=\"max\">10</position>",
    "<position coordinate=\"elevation\">-30</position></audioBlockFormat></audioChannelFormat>",
    "<audioChannelFormat audioChannelFormatID=\"AC_00011002\" typeDefinition=\"DirectSpeakers\">",
    "<audioBlockFormat audioBlockFormatID=\"AB_00011002_00000001\">",
    "<speakerLabel>RC_L</speakerLabel><position coordinate=\"X\">-1</position>",
    "<position coordinate=\"Y\">1</position><position coordinate=\"Z\">0</position>",
    "</audioBlockFormat></audioChannelFormat>",
    "<audioChannelFormat audioChannelFormatID=\"AC_00041001\" typeDefinition=\"HOA\">",
    "<audioBlockFormat audioBlockFormatID=\"AB_00041001_00000001\"><order>1</order>",
    "<degree>-1</degree><normalization>SN3D</normalization><nfcRefDist>1.5</nfcRefDist>",
    "<screenRef>0</screenRef><equation>sin(x)</equation></audioBlockFormat>",
    "</audioChannelFormat>",
    "<audioChannelFormat audioChannelFormatID=\"AC_00021001\" typeDefinition=\"Matrix\">",
    "<audioBlockFormat audioBlockFormatID=\"AB_00021001_00000001\"><matrix>",
    "<coefficient gain=\"0.7\" phase=\"90\" delay=\"1.5\">AC_00010001</coefficient>",
    "<coefficient gainVar=\"g\" phaseVar=\"p\" delayVar=\"d\">AC_00010002</coefficient>",
    "</matrix><outputChannelFormatIDRef>AC_00010003</outputChannelFormatIDRef>",
    "</audioBlockFormat></audioChannelFormat>",
    "<audioStreamFormat audioStreamFormatID=\"AS_00031001\" audioStreamFormatName=\"s\" ",
    "formatLabel=\"0001\" formatDefinition=\"PCM\">",
    "<audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef>",
    "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>",
    "<audioTrackFormatIDRef>AT_00031001_01</audioTrackFormatIDRef></audioStreamFormat>",
    "<audioTrackFormat audioTrackFormatID=\"AT_00031001_01\" formatLabel=\"0001\">",
    "<audioStreamFormatIDRef>AS_00031001</audioStreamFormatIDRef></audioTrackFormat>",
    "<audioTrackUID UID=\"ATU_00000001\" sampleRate=\"48000\" bitDepth=\"24\">",
    "<audioTrackFormatIDRef>AT_00031001_01</audioTrackFormatIDRef></audioTrackUID>",
    "</audioFormatExtended></format></coreMetadata></ebuCoreMain>",
    NULL};

static char *every_param_doc(void) {
    size_t n = 1;
    for (size_t i = 0; every_param_parts[i]; i++)
        n += strlen(every_param_parts[i]);
    char *s = malloc(n);
    ck_assert_ptr_nonnull(s);
    s[0] = '\0';
    for (size_t i = 0; every_param_parts[i]; i++)
        strcat(s, every_param_parts[i]);
    return s;
}

START_TEST(every_parameter) {
    char *doc = every_param_doc();
    objr_adm *a = parse_ok(doc);
    free(doc);
    const objr__adm_model *m = objr__adm_get_model(a);
    const objr__adm_programme *p = &m->programmes[0];
    ck_assert_str_eq(p->name, "A & B");
    ck_assert_double_eq(p->max_ducking_depth_db, -8.5);
    ck_assert_int_eq(p->end.den, 48000);
    ck_assert_double_eq(p->loudness.items[0].integrated_lufs, -23.1);
    ck_assert_uint_eq(p->loudness.items[0].present, 0x3f);
    ck_assert_str_eq(p->loudness.items[0].correction_type, "");
    ck_assert_double_eq(p->screen.aspect_ratio, 2.39);
    ck_assert_double_eq(p->screen.width, 58.0);
    ck_assert_str_eq(p->labels.items[0].language, "fr");
    ck_assert_int_eq(m->contents[0].dialogue, 1);
    ck_assert_int_eq(m->contents[0].content_kind, 2);
    const objr__adm_object *o = &m->objects[0];
    ck_assert_double_eq_tol(o->gain, pow(10.0, -6.0 / 20.0), 1e-12);
    ck_assert_int_eq(o->importance, 7);
    ck_assert_int_eq(o->objects.items[0].idx, 1);
    ck_assert_int_eq(o->complementary.items[0].idx, 2);
    ck_assert_double_eq(o->interaction.gain_max, 2.0);
    ck_assert_double_eq(o->offset[0], 10.0);
    /* object order: parent before child */
    ck_assert_int_eq(m->object_order[0], 0);
    const objr__adm_channel *c = &m->channels[objr__adm_find(m, OBJR__KIND_CHANNEL, "AC_00031001")];
    const objr__adm_block_objects *b = &c->objects[0];
    ck_assert_double_eq(b->pos.azimuth_deg, 12.5);
    ck_assert_int_eq(b->pos.screen_edge_lock_azimuth, 1);
    ck_assert_int_eq(b->pos.screen_edge_lock_elevation, 2);
    ck_assert_double_eq(b->width, 20.0);
    ck_assert_double_eq(b->channel_lock_max_distance, 0.4);
    ck_assert_double_eq(b->divergence, 0.5);
    ck_assert_double_eq(b->divergence_azimuth_range_deg, 30.0);
    ck_assert_double_eq(b->interpolation_length_s, 0.05);
    ck_assert_uint_eq(b->n_zones, 2);
    ck_assert_int_eq(b->zones[1].cartesian, 1);
    ck_assert_str_eq(b->zones[0].label, "RearLeft");
    ck_assert_int_eq(b->c.headphone_virtualise.bypass, 1);
    ck_assert_double_eq(b->c.headphone_virtualise.drr_db, -3.0);
    ck_assert_double_eq_tol(c->objects[1].c.gain, pow(10.0, -3.0 / 20.0), 1e-12);
    ck_assert_int_eq(c->objects[1].pos.cartesian, 1);
    const objr__adm_channel *ds =
        &m->channels[objr__adm_find(m, OBJR__KIND_CHANNEL, "AC_00011001")];
    ck_assert_double_eq(ds->low_pass_hz, 120.0);
    ck_assert_double_eq(ds->direct_speakers[0].coord[0].min, -10.0);
    ck_assert_uint_eq(ds->direct_speakers[0].n_speaker_labels, 2);
    const objr__adm_channel *ds2 =
        &m->channels[objr__adm_find(m, OBJR__KIND_CHANNEL, "AC_00011002")];
    ck_assert_int_eq(ds2->direct_speakers[0].cartesian, 1); /* inferred from X/Y/Z */
    const objr__adm_channel *h = &m->channels[objr__adm_find(m, OBJR__KIND_CHANNEL, "AC_00041001")];
    ck_assert_int_eq(h->hoa[0].degree, -1);
    ck_assert_str_eq(h->hoa[0].equation, "sin(x)");
    const objr__adm_channel *mx =
        &m->channels[objr__adm_find(m, OBJR__KIND_CHANNEL, "AC_00021001")];
    ck_assert_uint_eq(mx->matrix[0].n_coefs, 2);
    ck_assert_double_eq(mx->matrix[0].coefs[0].phase_deg, 90.0);
    ck_assert_int_eq(mx->matrix[0].coefs[1].input_channel,
                     objr__adm_find(m, OBJR__KIND_CHANNEL, "AC_00010002"));
    ck_assert_int_ge(mx->matrix[0].output_channel, 0);
    /* 7.1.2 common pack: SideLeft/SideRight, not the erratum */
    int32_t bed = objr__adm_find(m, OBJR__KIND_PACK, "AP_00010016");
    ck_assert_int_ge(bed, 0);
    ck_assert_str_eq(objr__adm_pack_layout_name(m, bed), "7.1.2");
    ck_assert_str_eq(m->channels[m->packs[bed].flat_channels[4]].id, "AC_0001000a");
    ck_assert_str_eq(m->channels[m->packs[bed].flat_channels[5]].id, "AC_0001000b");
    ck_assert_int_eq(objr__adm_uid_pack(m, 0), objr__adm_find(m, OBJR__KIND_PACK, "AP_00031001"));

    /* round trip: XML -> model -> XML -> model -> XML */
    char *x1, *x2;
    size_t l1, l2;
    ck_assert_int_eq(objr_adm_write_mem(a, &x1, &l1), OBJR_OK);
    ck_assert_ptr_null(strstr(x1, "AP_00010016\"")); /* common defs only referenced */
    objr_adm *b2 = parse_ok(x1);
    ck_assert_int_eq(objr_adm_write_mem(b2, &x2, &l2), OBJR_OK);
    ck_assert_str_eq(x1, x2);
    char why[256];
    ck_assert_msg(test_adm_model_equal(m, objr__adm_get_model(b2), why, sizeof why), "%s", why);
    free(x1);
    free(x2);
    objr_adm_destroy(b2);
    objr_adm_destroy(a);
}
END_TEST

START_TEST(mix_xml_stems) {
    const char *x =
        "<ebuCoreMain xmlns:objr=\"urn:objrender:mix:1\"><coreMetadata><format>" AFE_OPEN
        "<audioObject audioObjectID=\"AO_1\"><audioPackFormatIDRef>AP_00010002"
        "</audioPackFormatIDRef><audioTrackUIDRef>ATU_00000001</audioTrackUIDRef>"
        "<audioTrackUIDRef>ATU_00000002</audioTrackUIDRef></audioObject>"
        "<audioTrackUID UID=\"ATU_00000001\" objr:file=\"stems/drums.wav\" "
        "objr:channel=\"1\"><audioTrackFormatIDRef>AT_00010001_01"
        "</audioTrackFormatIDRef></audioTrackUID>"
        "<audioTrackUID UID=\"ATU_00000002\" objr:file=\"/abs/drums.wav\" "
        "objr:channel=\"2\"><audioTrackFormatIDRef>AT_00010002_01"
        "</audioTrackFormatIDRef></audioTrackUID>" AFE_CLOSE
        "</format></coreMetadata></ebuCoreMain>";
    objr_adm_config cfg = objr_adm_config_default();
    cfg.base_dir = "/mixes/song";
    objr_adm *a = NULL;
    objr_diag d;
    ck_assert_int_eq(objr_adm_parse_mem(x, strlen(x), &cfg, &a, &d), OBJR_OK);
    objr_adm_track_uid_info u;
    ck_assert_int_eq(objr_adm_get_track_uid(a, 0, &u), OBJR_OK);
    ck_assert_str_eq(u.stem_path, "/mixes/song/stems/drums.wav");
    ck_assert_uint_eq(u.stem_channel, 1);
    ck_assert_str_eq(u.channel_id, "AC_00010001");
    ck_assert_int_eq(objr_adm_get_track_uid(a, 1, &u), OBJR_OK);
    ck_assert_str_eq(u.stem_path, "/abs/drums.wav");
    ck_assert_uint_eq(u.stem_channel, 2);
    char *w;
    ck_assert_int_eq(objr_adm_write_mem(a, &w, NULL), OBJR_OK);
    ck_assert_ptr_nonnull(strstr(w, "xmlns:objr=\"urn:objrender:mix:1\""));
    ck_assert_ptr_nonnull(strstr(w, "objr:file=\"stems/drums.wav\" objr:channel=\"1\""));
    objr_adm_destroy(a);
    /* without the extension's namespace the document is plain ADM: attributes ignored */
    objr_adm *b = parse_ok(w);
    ck_assert_str_eq(objr__adm_get_model(b)->uids[0].stem_file, "stems/drums.wav");
    objr_adm_destroy(b);
    free(w);
    /* bad channel */
    const char *bad =
        "<audioFormatExtended xmlns:objr=\"urn:objrender:mix:1\">"
        "<audioTrackUID UID=\"ATU_1\" objr:file=\"a.wav\" objr:channel=\"0\"/>" AFE_CLOSE;
    ck_assert_int_eq(parse_fail(bad, &d), OBJR_ERR_RANGE);
    ck_assert_str_eq(d.element_id, "ATU_1");
}
END_TEST

START_TEST(bad_inputs) {
    objr_diag d;
    /* malformed XML: line reported */
    ck_assert_int_eq(parse_fail(AFE_OPEN "\n<audioObject audioObjectID=\"AO_1\">\n" AFE_CLOSE, &d),
                     OBJR_ERR_XML);
    ck_assert_int_ge(d.line, 2);
    /* dangling reference */
    char *x = wrap(AFE_OPEN "<audioObject audioObjectID=\"AO_1001\">\n<audioPackFormatIDRef>"
                            "AP_00031999</audioPackFormatIDRef></audioObject>",
                   "", AFE_CLOSE);
    ck_assert_int_eq(parse_fail(x, &d), OBJR_ERR_REFERENCE);
    ck_assert_str_eq(d.element_id, "AO_1001");
    ck_assert_ptr_nonnull(strstr(d.message, "AP_00031999"));
    ck_assert_int_eq(d.line, 1);
    free(x);
    /* object cycle */
    ck_assert_int_eq(
        parse_fail(AFE_OPEN "<audioObject audioObjectID=\"AO_1\"><audioObjectIDRef>AO_2"
                            "</audioObjectIDRef></audioObject><audioObject audioObjectID=\"AO_2\">"
                            "<audioObjectIDRef>AO_1</audioObjectIDRef></audioObject>" AFE_CLOSE,
                   &d),
        OBJR_ERR_REFERENCE);
    ck_assert_ptr_nonnull(strstr(d.message, "cycle"));
    /* pack cycle */
    ck_assert_int_eq(
        parse_fail(AFE_OPEN "<audioPackFormat audioPackFormatID=\"AP_00031001\" typeLabel=\"0003\">"
                            "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
                            "</audioPackFormat>" AFE_CLOSE,
                   &d),
        OBJR_ERR_REFERENCE);
    ck_assert_str_eq(d.element_id, "AP_00031001");
    /* duplicate ID */
    ck_assert_int_eq(parse_fail(AFE_OPEN "<audioObject audioObjectID=\"AO_1\"/>\n"
                                         "<audioObject audioObjectID=\"AO_1\"/>" AFE_CLOSE,
                                &d),
                     OBJR_ERR_DUPLICATE);
    ck_assert_str_eq(d.element_id, "AO_1");
    ck_assert_int_eq(d.line, 2);
    /* NaN / inf coordinates */
    static const char *const nonfinite[] = {"nan", "inf", "-INF", "1e999"};
    for (size_t i = 0; i < 4; i++) {
        char buf[600];
        snprintf(buf, sizeof buf,
                 AFE_OPEN "<audioChannelFormat audioChannelFormatID=\"AC_00031001\" "
                          "typeLabel=\"0003\"><audioBlockFormat audioBlockFormatID=\"AB_00031001_"
                          "00000001\"><position coordinate=\"azimuth\">%s</position>"
                          "</audioBlockFormat></audioChannelFormat>" AFE_CLOSE,
                 nonfinite[i]);
        ck_assert_int_eq(parse_fail(buf, &d), OBJR_ERR_RANGE);
        ck_assert_str_eq(d.element_id, "AB_00031001_00000001");
    }
    /* negative time */
    ck_assert_int_eq(
        parse_fail(AFE_OPEN "<audioChannelFormat audioChannelFormatID=\"AC_00031001\" "
                            "typeLabel=\"0003\"><audioBlockFormat audioBlockFormatID="
                            "\"AB_1\" rtime=\"-00:00:01.00000\"/></audioChannelFormat>" AFE_CLOSE,
                   &d),
        OBJR_ERR_RANGE);
    ck_assert_str_eq(d.element_id, "AB_1");
    /* unknown type (not a near miss of a name), missing ID, not ADM at all */
    ck_assert_int_eq(parse_fail(AFE_OPEN "<audioPackFormat audioPackFormatID=\"AP_1\" "
                                         "typeDefinition=\"Objekt\"/>" AFE_CLOSE,
                                &d),
                     OBJR_ERR_ADM);
    ck_assert_int_eq(parse_fail(AFE_OPEN "<audioObject/>" AFE_CLOSE, &d), OBJR_ERR_ADM);
    ck_assert_int_eq(parse_fail("<html><body/></html>", &d), OBJR_ERR_ADM);
    ck_assert_int_eq(parse_fail("", &d), OBJR_ERR_XML);
}
END_TEST

START_TEST(entities_refused) {
    objr_diag d;
    const char *laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
        "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>"
        "<audioFormatExtended><audioObject audioObjectID=\"AO_1\" "
        "audioObjectName=\"&lol4;\"/>" AFE_CLOSE;
    ck_assert_int_eq(parse_fail(laughs, &d), OBJR_ERR_XML);
    ck_assert_ptr_nonnull(strstr(d.message, "DOCTYPE"));

    /* external entity pointing at a local secret: must never be read */
    char path[512];
    snprintf(path, sizeof path, "%s/secret.txt", objr_test_tmpdir());
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("TOPSECRET-4711", f);
    fclose(f);
    char xxe[1200];
    snprintf(xxe, sizeof xxe,
             "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY xxe SYSTEM \"file://%s\">]>\n"
             "<audioFormatExtended><audioObject audioObjectID=\"AO_1\" audioObjectName=\"x\">"
             "<audioObjectLabel>&xxe;</audioObjectLabel></audioObject>" AFE_CLOSE,
             path);
    ck_assert_int_eq(parse_fail(xxe, &d), OBJR_ERR_XML);
    ck_assert_ptr_null(strstr(d.message, "TOPSECRET"));
    /* a DOCTYPE hidden behind a comment is refused too */
    snprintf(xxe, sizeof xxe,
             "<!-- c --><!DOCTYPE a [<!ENTITY xxe SYSTEM \"file://%s\">]>"
             "<audioFormatExtended><audioObject audioObjectID=\"&xxe;\"/>" AFE_CLOSE,
             path);
    ck_assert_int_eq(parse_fail(xxe, &d), OBJR_ERR_XML);
    ck_assert_ptr_null(strstr(d.message, "TOPSECRET"));
}
END_TEST

START_TEST(limits) {
    char *x = wrap("<ebuCoreMain><coreMetadata><format>" AFE_OPEN, scene_body,
                   AFE_CLOSE "</format></coreMetadata></ebuCoreMain>");
    objr_adm_config cfg = objr_adm_config_default();
    objr_adm *a = NULL;
    objr_diag d;
    cfg.max_xml_bytes = 100;
    ck_assert_int_eq(objr_adm_parse_mem(x, strlen(x), &cfg, &a, &d), OBJR_ERR_LIMIT);
    ck_assert_ptr_null(a);
    cfg = objr_adm_config_default();
    cfg.max_elements = 3;
    ck_assert_int_eq(objr_adm_parse_mem(x, strlen(x), &cfg, &a, &d), OBJR_ERR_LIMIT);
    cfg = objr_adm_config_default();
    cfg.max_blocks = 1;
    ck_assert_int_eq(objr_adm_parse_mem(x, strlen(x), &cfg, &a, &d), OBJR_ERR_LIMIT);
    ck_assert_str_eq(d.element_id, "AC_00031001");
    cfg.max_blocks = 2;
    ck_assert_int_eq(objr_adm_parse_mem(x, strlen(x), &cfg, &a, &d), OBJR_OK);
    objr_adm_destroy(a);
    free(x);
}
END_TEST

/* Streaming keeps only what is read: an unknown element's subtree is skipped even when it holds
 * elements that are known elsewhere (an audioTrackUIDRef inside <x> is not the object's), and
 * reported; a start tag with more than 64 attributes is refused before libxml2 parses it; an
 * error past line 65535 names its own line, not the parser's. */
START_TEST(streaming_keeps_only_known) {
    const char *obj = "<audioObject audioObjectID=\"AO_1001\" audioObjectName=\"O\">";
    char *body = wrap("", scene_body, "");
    char *at = strstr(body, obj);
    ck_assert_ptr_nonnull(at);
    at += strlen(obj);
    char *padded = malloc(strlen(body) + 200);
    ck_assert_ptr_nonnull(padded);
    snprintf(padded, strlen(body) + 200,
             "%.*s<x><audioTrackUIDRef>ATU_00000009</audioTrackUIDRef>"
             "</x>%s",
             (int)(at - body), body, at);
    char *x = wrap(AFE_OPEN, padded, AFE_CLOSE);
    objr_adm *a = parse_ok(x);
    objr_adm_object_info oi;
    ck_assert_int_eq(objr_adm_get_object(a, 0, &oi), OBJR_OK);
    ck_assert_uint_eq(oi.n_track_uids, 1);
    int reported = 0;
    for (size_t k = 0; k < objr_adm_finding_count(a); k++) {
        objr_adm_finding f;
        ck_assert_int_eq(objr_adm_get_finding(a, k, &f), OBJR_OK);
        reported |= strstr(f.text, "<x>") != NULL;
    }
    ck_assert(reported);
    objr_adm_destroy(a);
    free(x);

    char tag[1200] = "<audioFormatExtended a0=\"1\"";
    for (int i = 1; i <= 64; i++)
        snprintf(tag + strlen(tag), sizeof tag - strlen(tag), " a%d=\"1\"", i);
    x = wrap(tag, ">", AFE_CLOSE);
    objr_diag d;
    ck_assert_int_eq(objr_adm_parse_mem(x, strlen(x), NULL, &a, &d), OBJR_ERR_LIMIT);
    ck_assert_ptr_nonnull(strstr(d.message, "more than 64 attributes"));
    free(x);

    size_t n_lines = 70000, nb = strlen(body);
    char *big = malloc(n_lines + nb + 200);
    ck_assert_ptr_nonnull(big);
    memset(big, '\n', n_lines);
    snprintf(big + n_lines, nb + 200,
             "%s<audioObject audioObjectID=\"AO_9\"><gain>zz</gain>"
             "</audioObject>",
             body);
    x = wrap(AFE_OPEN, big, AFE_CLOSE);
    ck_assert_int_eq(objr_adm_parse_mem(x, strlen(x), NULL, &a, &d), OBJR_ERR_ADM);
    ck_assert_int_eq(d.line, (long)n_lines + 1);
    free(x);
    free(big);
    free(padded);
    free(body);
}
END_TEST

/* Fail the Nth allocation for every N: a clean error or success, never a crash or leak
 * (ASan checks the leaks in the sanitizer build). */
START_TEST(allocation_failures) {
    char *x = wrap("<ebuCoreMain><coreMetadata><format>" AFE_OPEN, scene_body,
                   "<audioObject audioObjectID=\"AO_2\"><audioPackFormatIDRef>AP_00010017"
                   "</audioPackFormatIDRef></audioObject>" AFE_CLOSE
                   "</format></coreMetadata></ebuCoreMain>");
    int ok_run = 0, failures = 0;
    for (long n = 1; n < 5000 && ok_run < 5; n++) {
        objr_adm *a = NULL;
        objr_diag d;
        objr__alloc_fail_after(n);
        objr_status st = objr_adm_parse_mem(x, strlen(x), NULL, &a, &d);
        if (st == OBJR_OK) {
            char *w = NULL;
            objr_status ws = objr_adm_write_mem(a, &w, NULL);
            ck_assert(ws == OBJR_OK || ws == OBJR_ERR_NOMEM);
            if (ws == OBJR_OK)
                ck_assert_ptr_nonnull(strstr(w, "AO_1001"));
            free(w);
            objr_adm_destroy(a);
            ok_run = ws == OBJR_OK ? ok_run + 1 : 0;
        } else {
            ck_assert_ptr_null(a);
            ck_assert_int_eq(st, OBJR_ERR_NOMEM);
            failures++;
            ok_run = 0;
        }
        objr__alloc_fail_after(0);
    }
    ck_assert_int_eq(ok_run, 5);
    ck_assert_int_gt(failures, 10);
    objr__alloc_fail_after(0);
    free(x);
}
END_TEST

START_TEST(load_file_names_file) {
    char path[512];
    snprintf(path, sizeof path, "%s/broken.xml", objr_test_tmpdir());
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(AFE_OPEN "\n<audioObject>", f);
    fclose(f);
    objr_adm *a = NULL;
    objr_diag d;
    ck_assert_int_eq(objr_adm_load_file(path, NULL, &a, &d), OBJR_ERR_XML);
    ck_assert_ptr_nonnull(strstr(d.message, "broken.xml"));
    ck_assert_int_eq(objr_adm_load_file("/nonexistent/x.xml", NULL, &a, &d), OBJR_ERR_IO);
}
END_TEST

static Suite *adm_xml_suite(void) {
    Suite *s = suite_create("adm_xml");
    TCase *tc = tcase_create("xml");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, root_forms);
    tcase_add_test(tc, sadm_transport_tracks);
    tcase_add_test(tc, objects_defaults);
    tcase_add_test(tc, every_parameter);
    tcase_add_test(tc, mix_xml_stems);
    tcase_add_test(tc, bad_inputs);
    tcase_add_test(tc, entities_refused);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, streaming_keeps_only_known);
    tcase_add_test(tc, allocation_failures);
    tcase_add_test(tc, load_file_names_file);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(adm_xml_suite)
