package io.podvisor.apiserver.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.podvisor.api.errors.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorTest {

    private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "front", "example.com/team", "a");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "app=web | true",
        "app==web | true",
        "app=db | false",
        "app!=db | true",
        "app!=web | false",
        "missing!=x | true",
        "app in (db, web) | true",
        "app in (db) | false",
        "app notin (db) | true",
        "app notin (web,db) | false",
        "missing notin (x) | true",
        "tier | true",
        "missing | false",
        "!missing | true",
        "!tier | false",
        "app=web,tier=front | true",
        "app=web,tier=back | false",
        "app in (web),!missing,tier | true",
        "example.com/team=a | true",
        "'' | true",
    })
    void labelSelectorTable(String selector, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"app in web", "a b c", "app=web,", "Bad Key=x", "app=-x"})
    void malformedLabelSelectorIsBadRequest(String selector) {
        assertThatThrownBy(() -> LabelSelector.parse(selector)).isInstanceOf(ApiException.BadRequest.class)
                .hasMessageStartingWith("unable to parse requirement: ");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "metadata.name=web | true",
        "metadata.name==web | true",
        "metadata.name!=web | false",
        "metadata.namespace=default,spec.nodeName=node-1 | true",
        "spec.nodeName= | false",
        "status.phase=Running | true",
        "status.phase!=Pending | true",
        "spec.restartPolicy=Always | true",
        "spec.schedulerName=default-scheduler | true",
        "spec.serviceAccountName=default | true",
        "status.podIP=10.0.0.5 | true",
    })
    void podFieldSelectorTable(String selector, boolean expected) {
        Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("node-1").withRestartPolicy("Always").withSchedulerName("default-scheduler")
                .withServiceAccountName("default").endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.0.0.5").endStatus().build();
        assertThat(Selection.parse(Pod.class, null, selector).matches(pod)).isEqualTo(expected);
    }

    @Test
    void eventFieldSelectors() {
        Event e = new EventBuilder().withNewMetadata().withName("web.1").withNamespace("default").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("web").withNamespace("default").withUid("u1")
                .withApiVersion("v1").endInvolvedObject().withReason("Pulled").withType("Normal")
                .withNewSource().withComponent("kubelet").endSource().build();
        assertThat(Selection.parse(Event.class, null,
                "involvedObject.kind=Pod,involvedObject.apiVersion=v1,involvedObject.name=web").matches(e)).isTrue();
        assertThat(Selection.parse(Event.class, null, "involvedObject.uid=u1,involvedObject.namespace=default,type=Normal,"
                + "source=kubelet,reason=Pulled").matches(e)).isTrue();
        assertThat(Selection.parse(Event.class, null, "involvedObject.uid=u2").matches(e)).isFalse();
    }

    @Test
    void unsupportedOrMalformedFieldSelector() {
        assertThatThrownBy(() -> Selection.parse(Pod.class, null, "spec.foo=x"))
                .isInstanceOf(ApiException.BadRequest.class).hasMessage("field label not supported: spec.foo");
        assertThatThrownBy(() -> Selection.parse(io.fabric8.kubernetes.api.model.ConfigMap.class, null, "status.phase=x"))
                .isInstanceOf(ApiException.BadRequest.class);
        assertThatThrownBy(() -> Selection.parse(Pod.class, null, "metadata.name"))
                .isInstanceOf(ApiException.BadRequest.class);
    }

    @Test
    void escapedCommaInFieldValue() {
        FieldSelector s = FieldSelector.parse("metadata.name=a\\,b", java.util.Set.of("metadata.name"));
        assertThat(s.matches(Map.of("metadata.name", "a,b"))).isTrue();
    }
}
