package io.podvisor.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Status;
import io.podvisor.api.errors.ApiException;
import org.junit.jupiter.api.Test;

class JsonAndMergePatchTest {

    private static final JsonNode POD = Json.of("""
            {'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','labels':{'app':'web'}},
             'spec':{'containers':[{'name':'main','image':'nginx:1.27'}]}}""");

    @Test
    void jsonPatchAddsReplacesAndRemoves() {
        JsonNode patch = Json.of("""
                [{'op':'add','path':'/metadata/labels/tier','value':'front'},
                 {'op':'replace','path':'/spec/containers/0/image','value':'nginx:1.28'},
                 {'op':'remove','path':'/metadata/labels/app'}]""");

        JsonNode out = Patches.json(POD, patch);

        assertThat(out.at("/metadata/labels")).isEqualTo(Json.of("{'tier':'front'}"));
        assertThat(out.at("/spec/containers/0/image").asText()).isEqualTo("nginx:1.28");
        assertThat(POD.at("/metadata/labels/app").asText()).as("input untouched").isEqualTo("web");
    }

    @Test
    void jsonPatchFailingTestIsUnprocessable() {
        JsonNode patch = Json.of("""
                [{'op':'test','path':'/spec/containers/0/image','value':'busybox'},
                 {'op':'replace','path':'/spec/containers/0/image','value':'nginx:1.28'}]""");

        assertThatThrownBy(() -> Patches.json(POD, patch))
                .isInstanceOf(ApiException.Unprocessable.class)
                .hasMessage("the server rejected our request due to an error in our request")
                .satisfies(e -> {
                    Status s = ((ApiException) e).toStatus();
                    assertThat(s.getCode()).isEqualTo(422);
                    assertThat(s.getReason()).isEqualTo("Invalid");
                    assertThat(s.getDetails().getCauses()).singleElement().satisfies(c -> {
                        assertThat(c.getReason()).isEqualTo("UnexpectedServerResponse");
                        assertThat(c.getMessage()).contains("busybox");
                    });
                });
        assertThat(POD.at("/spec/containers/0/image").asText()).isEqualTo("nginx:1.27");
    }

    @Test
    void jsonPatchMissingPathIsUnprocessable() {
        assertThatThrownBy(() -> Patches.json(POD, Json.of("[{'op':'remove','path':'/metadata/annotations/x'}]")))
                .isInstanceOf(ApiException.Unprocessable.class);
        assertThatThrownBy(() -> Patches.json(POD, Json.of("[{'op':'replace','path':'/spec/nope/0','value':1}]")))
                .isInstanceOf(ApiException.Unprocessable.class);
    }

    @Test
    void jsonPatchMustBeAList() {
        assertThatThrownBy(() -> Patches.json(POD, Json.of("{'op':'add'}")))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        assertThatThrownBy(() -> Patches.json(POD, Json.of("[{'op':'frobnicate','path':'/a'}]")))
                .isInstanceOf(ApiException.Unprocessable.class);
    }

    @Test
    void mergePatchFollowsRfc7386() {
        assertThat(Patches.merge(Json.of("{'a':'b'}"), Json.of("{'a':'c'}"))).isEqualTo(Json.of("{'a':'c'}"));
        assertThat(Patches.merge(Json.of("{'a':{'b':'c'}}"), Json.of("{'a':{'b':'d','c':null}}")))
                .isEqualTo(Json.of("{'a':{'b':'d'}}"));
        assertThat(Patches.merge(Json.of("{'a':[{'b':'c'}]}"), Json.of("{'a':[1]}"))).isEqualTo(Json.of("{'a':[1]}"));
        assertThat(Patches.merge(Json.of("{'a':'foo'}"), Json.of("{'a':{'b':{'c':null,'d':1}}}")))
                .isEqualTo(Json.of("{'a':{'b':{'d':1}}}"));
        assertThat(Patches.merge(Json.of("{'e':null,'a':1}"), Json.of("{'a':null}"))).isEqualTo(Json.of("{'e':null}"));
    }

    @Test
    void mergePatchLabelsAsKubectlLabelSends() {
        JsonNode out = Patches.merge(POD, Json.of("{'metadata':{'labels':{'tier':'front'}}}"));

        assertThat(out.at("/metadata/labels")).isEqualTo(Json.of("{'app':'web','tier':'front'}"));
        assertThat(out.at("/spec")).isEqualTo(POD.at("/spec"));
        assertThat(POD.at("/metadata/labels").size()).isEqualTo(1);
    }

    @Test
    void mergePatchMustBeAnObject() {
        assertThatThrownBy(() -> Patches.merge(POD, Json.of("[1]"))).isInstanceOf(ApiException.BadRequest.class);
    }
}
