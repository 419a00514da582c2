package io.podvisor.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.podvisor.api.errors.ApiException;
import org.junit.jupiter.api.Test;

class ServerSideApplyTest {

    private static final String T0 = "2026-11-22T00:00:00Z";
    private static final String T1 = "2026-11-22T00:01:00Z";
    private static final String T2 = "2026-11-22T00:02:00Z";

    private static JsonNode manifest(String image, String labels) {
        return Json.of("""
                {'apiVersion':'v1','kind':'Pod','metadata':{'name':'demo','namespace':'default','labels':%s},
                 'spec':{'containers':[{'name':'main','image':'%s','ports':[{'containerPort':80}]}]}}"""
                .formatted(labels, image));
    }

    private static JsonNode entry(JsonNode object, String manager) {
        for (JsonNode e : object.at("/metadata/managedFields")) {
            if (e.path("manager").asText().equals(manager)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void createByApplyRecordsTheAppliedFields() {
        JsonNode applied = manifest("nginx:1.27", "{'app':'demo'}");

        JsonNode out = ServerSideApply.apply(null, applied, "kubectl", false, T0);

        assertThat(out.at("/spec")).isEqualTo(applied.at("/spec"));
        assertThat(out.at("/metadata/labels")).isEqualTo(applied.at("/metadata/labels"));
        assertThat(out.at("/metadata/managedFields")).isEqualTo(Json.of("""
                [{'manager':'kubectl','operation':'Apply','apiVersion':'v1','time':'2026-11-22T00:00:00Z',
                  'fieldsType':'FieldsV1','fieldsV1':{
                    'f:metadata':{'f:labels':{'f:app':{}}},
                    'f:spec':{'f:containers':{'k:{\\'name\\':\\'main\\'}':{'.':{},'f:image':{},'f:name':{},
                      'f:ports':{'k:{\\'containerPort\\':80,\\'protocol\\':\\'TCP\\'}':{'.':{},'f:containerPort':{}}}}}}}}]
                """.replace("\\'", "\\\"")));
        assertThat(applied.at("/metadata/managedFields").isMissingNode()).as("input untouched").isTrue();
    }

    @Test
    void reapplyWithAChangeUpdatesTheObjectAndTheEntry() {
        JsonNode live = ServerSideApply.apply(null, manifest("nginx:1.27", "{'app':'demo'}"), "kubectl", false, T0);

        JsonNode out = ServerSideApply.apply(live, manifest("nginx:1.28", "{'app':'demo'}"), "kubectl", false, T1);

        assertThat(out.at("/spec/containers/0/image").asText()).isEqualTo("nginx:1.28");
        assertThat(out.at("/metadata/managedFields").size()).isEqualTo(1);
        assertThat(entry(out, "kubectl").path("time").asText()).isEqualTo(T1);
        assertThat(live.at("/spec/containers/0/image").asText()).isEqualTo("nginx:1.27");
    }

    @Test
    void unchangedReapplyReturnsTheLiveObject() {
        JsonNode live = ServerSideApply.apply(null, manifest("nginx:1.27", "{'app':'demo'}"), "kubectl", false, T0);

        JsonNode out = ServerSideApply.apply(live, manifest("nginx:1.27", "{'app':'demo'}"), "kubectl", false, T1);

        assertThat(out).isEqualTo(live);
    }

    @Test
    void aFieldNoLongerAppliedIsRemovedUnlessSomeoneElseOwnsIt() {
        JsonNode live = ServerSideApply.apply(null, manifest("nginx:1.27", "{'app':'demo','tier':'web'}"), "kubectl", false, T0);

        JsonNode out = ServerSideApply.apply(live, manifest("nginx:1.27", "{'app':'demo'}"), "kubectl", false, T1);

        assertThat(out.at("/metadata/labels")).isEqualTo(Json.of("{'app':'demo'}"));
        assertThat(entry(out, "kubectl").at("/fieldsV1/f:metadata/f:labels")).isEqualTo(Json.of("{'f:app':{}}"));

        JsonNode shared = ServerSideApply.apply(live, manifest("nginx:1.27", "{'tier':'web'}"), "other", false, T1);
        JsonNode kept = ServerSideApply.apply(shared, manifest("nginx:1.27", "{'app':'demo'}"), "kubectl", false, T2);

        assertThat(kept.at("/metadata/labels")).as("tier is still applied by other")
                .isEqualTo(Json.of("{'app':'demo','tier':'web'}"));
    }

    @Test
    void aContainerNoLongerAppliedIsRemoved() {
        JsonNode two = Json.of("""
                {'apiVersion':'v1','kind':'Pod','metadata':{'name':'demo'},
                 'spec':{'containers':[{'name':'main','image':'a'},{'name':'side','image':'b'}]}}""");
        JsonNode live = ServerSideApply.apply(null, two, "kubectl", false, T0);

        JsonNode out = ServerSideApply.apply(live, Json.of("""
                {'apiVersion':'v1','kind':'Pod','metadata':{'name':'demo'},'spec':{'containers':[{'name':'main','image':'a'}]}}"""),
                "kubectl", false, T1);

        assertThat(out.at("/spec/containers")).isEqualTo(Json.of("[{'name':'main','image':'a'}]"));
    }

    @Test
    void applyAfterClientSideApplyConflictsOnTheChangedImage() {
        JsonNode created = ManagedFields.recordUpdate(null, manifest("nginx:1.27", "{'app':'demo'}"),
                "kubectl-client-side-apply", "v1", T0);

        assertThatThrownBy(() -> ServerSideApply.apply(created, manifest("nginx:1.28", "{'app':'demo'}"), "kubectl", false, T1))
                .isInstanceOfSatisfying(ApiException.Conflict.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with "
                            + "\"kubectl-client-side-apply\" using v1: .spec.containers[name=\"main\"].image");
                    Status status = e.toStatus();
                    assertThat(status.getCode()).isEqualTo(409);
                    assertThat(status.getReason()).isEqualTo("Conflict");
                    StatusCause cause = status.getDetails().getCauses().getFirst();
                    assertThat(status.getDetails().getCauses()).hasSize(1);
                    assertThat(cause.getReason()).isEqualTo("FieldManagerConflict");
                    assertThat(cause.getMessage()).isEqualTo("conflict with \"kubectl-client-side-apply\" using v1");
                    assertThat(cause.getField()).isEqualTo(".spec.containers[name=\"main\"].image");
                });
    }

    @Test
    void applyingTheSameValuesSharesOwnershipWithoutConflict() {
        JsonNode created = ManagedFields.recordUpdate(null, manifest("nginx:1.27", "{'app':'demo'}"),
                "kubectl-client-side-apply", "v1", T0);

        JsonNode out = ServerSideApply.apply(created, manifest("nginx:1.27", "{'app':'demo'}"), "kubectl", false, T1);

        assertThat(entry(out, "kubectl").at("/fieldsV1/f:spec/f:containers")).isNotEmpty();
        assertThat(entry(out, "kubectl-client-side-apply").at("/fieldsV1/f:spec/f:containers/k:{\"name\":\"main\"}/f:image"))
                .isEqualTo(Json.of("{}"));
        assertThat(out.at("/metadata/managedFields/0/operation").asText()).as("Apply entries sort first").isEqualTo("Apply");
    }

    @Test
    void severalConflictsAreListedPerManager() {
        JsonNode created = ManagedFields.recordUpdate(null, manifest("nginx:1.27", "{'app':'demo'}"), "m", "v1", T0);
        JsonNode relabelled = ServerSideApply.apply(created,
                Json.of("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'demo','labels':{'tier':'x'}}}"), "a", false, T1);

        assertThatThrownBy(() -> ServerSideApply.apply(relabelled, manifest("nginx:1.28", "{'app':'other','tier':'y'}"),
                "kubectl", false, T2))
                .isInstanceOfSatisfying(ApiException.Conflict.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("""
                            Apply failed with 3 conflicts: conflicts with "a":
                            - .metadata.labels.tier
                            conflicts with "m" using v1:
                            - .metadata.labels.app
                            - .spec.containers[name="main"].image""");
                    assertThat(e.causes()).extracting(StatusCause::getMessage)
                            .containsExactly("conflict with \"a\"", "conflict with \"m\" using v1", "conflict with \"m\" using v1");
                });
    }

    @Test
    void forceTakesOwnershipOfTheConflictingFields() {
        JsonNode created = ManagedFields.recordUpdate(null, manifest("nginx:1.27", "{'app':'demo'}"),
                "kubectl-client-side-apply", "v1", T0);

        JsonNode out = ServerSideApply.apply(created, manifest("nginx:1.28", "{'app':'demo'}"), "kubectl", true, T1);

        assertThat(out.at("/spec/containers/0/image").asText()).isEqualTo("nginx:1.28");
        JsonNode csa = entry(out, "kubectl-client-side-apply").at("/fieldsV1/f:spec/f:containers/k:{\"name\":\"main\"}");
        assertThat(csa.has("f:image")).isFalse();
        assertThat(csa.has("f:name")).isTrue();
        assertThat(entry(out, "kubectl").at("/fieldsV1/f:spec/f:containers/k:{\"name\":\"main\"}/f:image"))
                .isEqualTo(Json.of("{}"));
        assertThat(entry(out, "kubectl-client-side-apply").path("time").asText()).isEqualTo(T0);
    }

    @Test
    void badApplyRequests() {
        JsonNode noKey = Json.of("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'demo'},'spec':{'containers':[{'image':'a'}]}}");
        JsonNode dup = Json.of("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'demo'},'spec':{'containers':[{'name':'a'},{'name':'a'}]}}");
        JsonNode managed = Json.of("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'demo','managedFields':[]}}");

        assertThatThrownBy(() -> ServerSideApply.apply(null, noKey, "kubectl", false, T0))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessage(".spec.containers: element 0: associative list with keys has an element that omits key "
                        + "field \"name\" (and doesn't have default value)");
        assertThatThrownBy(() -> ServerSideApply.apply(null, dup, "kubectl", false, T0))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessage(".spec.containers: duplicate entries for key [name=\"a\"]");
        assertThatThrownBy(() -> ServerSideApply.apply(null, managed, "kubectl", false, T0))
                .isInstanceOf(ApiException.BadRequest.class).hasMessage("metadata.managedFields must be nil");
        assertThatThrownBy(() -> ServerSideApply.apply(null, manifest("a", "{}"), "", false, T0))
                .isInstanceOf(ApiException.BadRequest.class);
    }
}
