package io.podvisor.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.ListOptions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Object content upstream refuses, through the registry's whole create path (decoding, defaulting,
 * validation): each answers 400 or 422 with upstream's message, the store does not move, and the
 * listing of pods still works afterwards.
 */
class BadContentTest {

    private static final String QUANTITY = "quantities must match the regular expression "
            + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    private static String pod(String spec) {
        return "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'bad'},'spec':{" + spec + "}}";
    }

    private static String app(String extra) {
        return pod("'containers':[{'name':'app','image':'busybox'" + extra + "}]");
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of(ResourceTypes.PODS, pod("'readinessGates':[null],'containers':[{'name':'app','image':'busybox'}]"),
                        422, "Pod \"bad\" is invalid: [spec.readinessGates[0].conditionType: Invalid value: \"\": name part must be non-empty"),
                Arguments.of(ResourceTypes.PODS, pod("'containers':[null]"), 422,
                        "Pod \"bad\" is invalid: [spec.containers[0].name: Required value, spec.containers[0].image: Required value"),
                Arguments.of(ResourceTypes.PODS, pod("'initContainers':[null],'containers':[{'name':'app','image':'busybox'}]"), 422,
                        "spec.initContainers[0].name: Required value"),
                Arguments.of(ResourceTypes.PODS, pod("'volumes':[null],'containers':[{'name':'app','image':'busybox'}]"), 422,
                        "spec.volumes[0]: Required value: must specify a volume type"),
                Arguments.of(ResourceTypes.PODS, app(",'env':[null]"), 422, "spec.containers[0].env[0].name: Required value"),
                Arguments.of(ResourceTypes.PODS, app(",'ports':[null]"), 422, "spec.containers[0].ports[0].containerPort: Required value"),
                Arguments.of(ResourceTypes.PODS, app(",'volumeMounts':[null]"), 422, "spec.containers[0].volumeMounts[0].name: Required value"),
                Arguments.of(ResourceTypes.PODS, pod("'tolerations':[null],'containers':[{'name':'app','image':'busybox'}]"), 422,
                        "spec.tolerations[0].operator: Invalid value: \"\": operator must be Exists when `key` is empty"),
                Arguments.of(ResourceTypes.PODS, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'bad','finalizers':[null]},"
                        + "'spec':{'containers':[{'name':'app','image':'busybox'}]}}", 422, "metadata.finalizers: Invalid value: \"\""),
                Arguments.of(ResourceTypes.PODS, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'bad','ownerReferences':[null]},"
                        + "'spec':{'containers':[{'name':'app','image':'busybox'}]}}", 422,
                        "metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be empty"),
                Arguments.of(ResourceTypes.PODS, app(",'resources':{'limits':{'cpu':'12XB'}}"), 400,
                        "Pod in version \"v1\" cannot be handled as a Pod: " + QUANTITY),
                Arguments.of(ResourceTypes.PODS, app(",'resources':{'requests':{'memory':'1.5.5'}}"), 400, QUANTITY),
                Arguments.of(ResourceTypes.PODS, app(",'resources':{'requests':{'ephemeral-storage':'NaN'}}"), 400, QUANTITY),
                Arguments.of(ResourceTypes.PODS, app(",'resources':{'limits':{'memory':true}}"), 400, QUANTITY),
                Arguments.of(ResourceTypes.PODS, app(",'resources':{'limits':{'memory':'1e99999999999'}}"), 400, "quantity"),
                Arguments.of(ResourceTypes.PODS, pod("'volumes':[{'name':'v','emptyDir':{'sizeLimit':'12XB'}}],"
                        + "'containers':[{'name':'app','image':'busybox'}]"), 400, QUANTITY),
                Arguments.of(ResourceTypes.PODS, app(",'env':[{'name':'A','value':'x','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}]"),
                        422, "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty"),
                Arguments.of(ResourceTypes.PODS, app(",'securityContext':{'runAsUser':-1}"), 422,
                        "spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive"),
                Arguments.of(ResourceTypes.PODS, pod("'volumes':[{'name':'v','secret':{'secretName':'s','defaultMode':4095,"
                        + "'items':[{'key':'k','path':'../x'}]}}],'containers':[{'name':'app','image':'busybox',"
                        + "'volumeMounts':[{'name':'v','mountPath':'/v','subPath':'/abs'}]}]"), 422,
                        "[spec.volumes[0].secret.defaultMode: Invalid value: 4095: must be a number between 0 and 0777 (octal), both inclusive, "
                        + "spec.volumes[0].secret.items[0].path: Invalid value: \"../x\": must not contain '..', "
                        + "spec.containers[0].volumeMounts[0].name: Not found: \"v\", spec.containers[0].volumeMounts.subPath: Invalid value: \"/abs\": must be a relative path]"),
                Arguments.of(ResourceTypes.SECRETS, "{'apiVersion':'v1','kind':'Secret','metadata':{'name':'bad'},'data':{'user':'admin'}}",
                        400, "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 4"),
                Arguments.of(ResourceTypes.SERVICES, "{'apiVersion':'v1','kind':'Service','metadata':{'name':'bad'},'spec':{'ports':[null]}}",
                        422, "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"),
                Arguments.of(ResourceTypes.JOBS, "{'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'bad'},"
                        + "'spec':{'template':{'spec':{'restartPolicy':'Never','containers':[null]}}}}",
                        422, "spec.template.spec.containers[0].name: Required value"),
                Arguments.of(ResourceTypes.ENDPOINTS, "{'apiVersion':'v1','kind':'Endpoints','metadata':{'name':'bad'},"
                        + "'subsets':[{'addresses':[{'ip':'999.1.1.1'}],'ports':[{'port':80},{'name':'b','port':70000}]}]}", 422,
                        "[subsets[0].addresses[0].ip: Invalid value: \"999.1.1.1\": must be a valid IP address, (e.g. 10.9.8.7 or "
                        + "2001:db8::ffff), subsets[0].ports[0].name: Required value, subsets[0].ports[1].port: Invalid value: 70000: "
                        + "must be between 1 and 65535, inclusive]"),
                Arguments.of(ResourceTypes.ENDPOINTS, "{'apiVersion':'v1','kind':'Endpoints','metadata':{'name':'bad'},'subsets':[{}]}",
                        422, "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"),
                Arguments.of(ResourceTypes.ENDPOINT_SLICES, "{'apiVersion':'discovery.k8s.io/v1','kind':'EndpointSlice','metadata':"
                        + "{'name':'bad'},'addressType':'Bogus','endpoints':[{'addresses':[]}]}", 422,
                        "[addressType: Unsupported value: \"Bogus\": supported values: \"FQDN\", \"IPv4\", \"IPv6\", "
                        + "endpoints[0].addresses: Required value: must contain at least 1 address]"),
                Arguments.of(ResourceTypes.ENDPOINT_SLICES, "{'apiVersion':'discovery.k8s.io/v1','kind':'EndpointSlice','metadata':"
                        + "{'name':'bad'},'addressType':'IPv4','endpoints':[{'addresses':['::1']}]}", 422,
                        "endpoints[0].addresses[0]: Invalid value: \"::1\": must be a valid IPv4 address"),
                Arguments.of(ResourceTypes.NODES, "{'apiVersion':'v1','kind':'Node','metadata':{'name':'bad'},'spec':{'taints':["
                        + "{'key':'k','effect':'Bogus'},{'key':'a','effect':'NoSchedule'},{'key':'a','value':'v','effect':'NoSchedule'}]},"
                        + "'status':{'capacity':{'cpu':'-1'}}}", 422,
                        "[spec.taints[0].effect: Unsupported value: \"Bogus\": supported values: \"NoSchedule\", \"PreferNoSchedule\", "
                        + "\"NoExecute\", spec.taints[2]: Duplicate value: core.Taint{Key:\"a\", Value:\"v\", Effect:\"NoSchedule\", "
                        + "TimeAdded:<nil>}: taints must be unique by key and effect pair, status.capacity.cpu: Invalid value: \"-1\": "
                        + "must be greater than or equal to 0]"),
                Arguments.of(ResourceTypes.EVENTS, "{'apiVersion':'v1','kind':'Event','metadata':{'name':'bad'},"
                        + "'involvedObject':{'kind':'Pod','namespace':'other','name':'p'}}", 422,
                        "involvedObject.namespace: Invalid value: \"other\": does not match event.namespace"),
                Arguments.of(ResourceTypes.EVENTS_V1, "{'apiVersion':'events.k8s.io/v1','kind':'Event','metadata':{'name':'bad'},"
                        + "'type':'Bogus','reportingController':'c','action':'" + "a".repeat(129) + "'}", 422,
                        "[eventTime: Required value, type: Invalid value: \"\": has invalid value: Bogus, reportingInstance: Required value, "
                        + "action: Invalid value: \"\": can have at most 128 characters, reason: Required value]"),
                Arguments.of(ResourceTypes.LEASES, "{'apiVersion':'coordination.k8s.io/v1','kind':'Lease','metadata':{'name':'bad'},"
                        + "'spec':{'leaseDurationSeconds':0,'leaseTransitions':-1}}", 422,
                        "[spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0, "
                        + "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0]"),
                Arguments.of(ResourceTypes.EVENTS, "{'apiVersion':'v1','kind':'Event','metadata':{'name':'bad'},"
                        + "'involvedObject':{'kind':'Pod','name':'p'},'lastTimestamp':'99999999999999999999999'}", 400,
                        "Event in version \"v1\" cannot be handled as a Event: parsing time \"99999999999999999999999\" as "
                        + "\"2006-01-02T15:04:05Z07:00\": cannot parse \"9999999999999999999\" as \"-\""));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void isRefusedWithUpstreamsCodeAndMessageAndStoresNothing(ResourceType type, String body, int code, String message) {
        Fixture f = new Fixture();
        f.createPod("default", "good");
        long before = f.store.currentRevision();
        ApiException e = catchThrowableOfType(ApiException.class, () -> f.create(type, "default", body));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).contains(message);
        f.drain();
        assertThat(f.store.currentRevision()).isEqualTo(before);
        assertThat(f.reg.list(ResourceTypes.PODS, ListOptions.all(null)).items()).hasSize(1);
    }

    @Test
    void aNullQuantityIsZeroAsInGo() {
        Fixture f = new Fixture();
        Pod pod = (Pod) f.create(ResourceTypes.PODS, "default", app(",'resources':{'limits':{'cpu':null}}")).object();
        assertThat(pod.getSpec().getContainers().getFirst().getResources().getLimits().get("cpu").toString()).isEqualTo("0");
    }

    @Test
    void endpointPortsDefaultToTcp() {
        Fixture f = new Fixture();
        var ep = (io.fabric8.kubernetes.api.model.Endpoints) f.create(ResourceTypes.ENDPOINTS, "default",
                "{'apiVersion':'v1','kind':'Endpoints','metadata':{'name':'web'},"
                + "'subsets':[{'addresses':[{'ip':'10.1.0.5'}],'ports':[{'port':80}]}]}").object();
        assertThat(ep.getSubsets().getFirst().getPorts().getFirst().getProtocol()).isEqualTo("TCP");
    }

    @Test
    void anObjectStoredBeforeARuleExistedCanStillBeUpdatedButGainsNothingNewThatTheRuleRefuses() {
        Fixture f = new Fixture();
        Pod created = (Pod) f.createPod("default", "old").object();
        // as stored by an earlier version, which did not check user ids
        created.getSpec().getContainers().getFirst().setSecurityContext(new io.fabric8.kubernetes.api.model.SecurityContextBuilder()
                .withRunAsUser(-1L).build());
        created.getMetadata().setFinalizers(new java.util.ArrayList<>(java.util.List.of("example.com/keep")));
        f.store.update(Keys.key(ResourceTypes.PODS, "default", "old"),
                new ObjectCodec().encode(ResourceTypes.PODS, created), Fixture.rv(created));
        Pod stored = (Pod) f.get(ResourceTypes.PODS, "default", "old");
        assertThat(stored.getSpec().getContainers().getFirst().getSecurityContext().getRunAsUser()).isEqualTo(-1L);

        stored.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
        assertThat(f.reg.updateStatus(stored).getStatus().getPhase()).isEqualTo("Running");
        f.mergePatch(ResourceTypes.PODS, "default", "old", "{'metadata':{'finalizers':null,'labels':{'more':'x'}}}");
        assertThat(f.get(ResourceTypes.PODS, "default", "old").getMetadata().getFinalizers()).isNullOrEmpty();

        ApiException e = catchThrowableOfType(ApiException.class, () -> f.mergePatch(ResourceTypes.PODS, "default", "old",
                "{'spec':{'activeDeadlineSeconds':0}}"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("spec.activeDeadlineSeconds: Invalid value: 0")
                .doesNotContain("runAsUser");
    }
}
