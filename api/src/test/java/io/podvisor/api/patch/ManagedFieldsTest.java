package io.podvisor.api.patch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagedFieldsTest {

    private static final JsonNode POD = Json.of("""
            {'apiVersion':'v1','kind':'Pod',
             'metadata':{'name':'web','namespace':'default','uid':'u1','resourceVersion':'7','creationTimestamp':'2026-11-22T00:00:00Z',
                         'labels':{'app':'web'},'finalizers':['f1']},
             'spec':{'containers':[{'name':'main','image':'nginx','env':[{'name':'A','value':'1'}]}],'tolerations':[{'key':'k'}]},
             'status':{'phase':'Pending'}}""");

    @Test
    void createOwnsEverySetFieldButIdentityAndStatus() {
        JsonNode out = ManagedFields.recordUpdate(null, POD, "kubectl-create", "v1", "T0");

        JsonNode entry = out.at("/metadata/managedFields/0");
        assertThat(out.at("/metadata/managedFields").size()).isEqualTo(1);
        assertThat(entry.path("manager").asText()).isEqualTo("kubectl-create");
        assertThat(entry.path("operation").asText()).isEqualTo("Update");
        assertThat(entry.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(entry.path("time").asText()).isEqualTo("T0");
        assertThat(entry.path("fieldsV1")).isEqualTo(expectedCreateFields());
        assertThat(POD.at("/metadata/managedFields").isMissingNode()).isTrue();
    }

    /** Lists that appeared are owned as nodes ("."); maps and structs are not (a simplification for maps). */
    private static JsonNode expectedCreateFields() {
        return Json.of("""
                {'f:metadata':{'f:finalizers':{'.':{},'v:\\'f1\\'':{}},'f:labels':{'f:app':{}}},
                 'f:spec':{'f:containers':{'.':{},'k:{\\'name\\':\\'main\\'}':{'.':{},
                     'f:env':{'.':{},'k:{\\'name\\':\\'A\\'}':{'.':{},'f:name':{},'f:value':{}}},'f:image':{},'f:name':{}}},
                   'f:tolerations':{}}}""".replace("\\'", "\\\""));
    }

    @Test
    void laterWritersTakeTheFieldsTheyChange() {
        JsonNode created = ManagedFields.recordUpdate(null, POD, "kubectl-create", "v1", "T0");
        JsonNode labelled = Patches.merge(created, Json.of("{'metadata':{'labels':{'tier':'front','app':'web2'}}}"));

        JsonNode out = ManagedFields.recordUpdate(created, labelled, "kubectl-label", "v1", "T1");

        JsonNode create = out.at("/metadata/managedFields/0");
        JsonNode label = out.at("/metadata/managedFields/1");
        assertThat(create.path("manager").asText()).isEqualTo("kubectl-create");
        assertThat(create.at("/fieldsV1/f:metadata/f:labels").has("f:app")).isFalse();
        assertThat(create.at("/fieldsV1/f:spec")).isNotEmpty();
        assertThat(label.path("manager").asText()).isEqualTo("kubectl-label");
        assertThat(label.at("/fieldsV1")).isEqualTo(Json.of("{'f:metadata':{'f:labels':{'f:app':{},'f:tier':{}}}}"));
    }

    @Test
    void removedFieldsLeaveTheirUpdateOwnersAndUnchangedWritesKeepTheTime() {
        JsonNode created = ManagedFields.recordUpdate(null, POD, "kubectl-create", "v1", "T0");
        JsonNode unlabelled = Patches.merge(created, Json.of("{'metadata':{'labels':null}}"));

        JsonNode out = ManagedFields.recordUpdate(created, unlabelled, "kubectl-edit", "v1", "T1");
        JsonNode again = ManagedFields.recordUpdate(created, created, "kubectl-create", "v1", "T2");

        assertThat(out.at("/metadata/managedFields")).hasSize(1);
        assertThat(out.at("/metadata/managedFields/0/fieldsV1/f:metadata").has("f:labels")).isFalse();
        assertThat(again.at("/metadata/managedFields/0/time").asText()).isEqualTo("T0");
    }

    @Test
    void fieldsV1RoundTripsAndPrintsPathsAsUpstream() {
        JsonNode v1 = Json.of("""
                {'f:metadata':{'f:labels':{'.':{},'f:app':{}}},'f:spec':{'f:containers':{'k:{\\'name\\':\\'main\\'}':{'.':{},'f:image':{}}}}}"""
                .replace("\\'", "\\\""));

        FieldSet set = FieldSet.fromFieldsV1(v1);

        assertThat(set.toFieldsV1()).isEqualTo(v1);
        assertThat(set.paths()).extracting(FieldSet::describe).containsExactly(
                ".metadata.labels", ".metadata.labels.app", ".spec.containers[name=\"main\"]",
                ".spec.containers[name=\"main\"].image");
        assertThat(FieldSet.describe(List.of("f:spec", "f:ports", "k:{\"port\":80,\"protocol\":\"TCP\"}")))
                .isEqualTo(".spec.ports[port=80,protocol=\"TCP\"]");
        assertThat(FieldSet.describe(List.of("f:metadata", "f:finalizers", "v:\"a\""))).isEqualTo(".metadata.finalizers[=\"a\"]");
    }
}
