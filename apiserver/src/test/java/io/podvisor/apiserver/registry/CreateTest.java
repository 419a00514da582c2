package io.podvisor.apiserver.registry;

import static io.podvisor.apiserver.registry.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.FieldValidation;
import io.podvisor.apiserver.registry.Registry.WriteOptions;
import io.podvisor.apiserver.registry.Registry.WriteResult;
import org.junit.jupiter.api.Test;

class CreateTest {

    private final Fixture f = new Fixture();

    @Test
    void createFillsSystemFieldsAndPodStatus() {
        WriteResult r = f.reg.create(ResourceTypes.PODS, "default",
                json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web'},'spec':{'containers':[{'name':'c','image':'i'}]},"
                        + "'status':{'phase':'Running','podIP':'1.2.3.4'}}"),
                WriteOptions.DEFAULT);
        Pod p = (Pod) r.object();
        assertThat(r.created()).isTrue();
        assertThat(p.getKind()).isEqualTo("Pod");
        assertThat(p.getApiVersion()).isEqualTo("v1");
        assertThat(p.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(p.getMetadata().getUid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(p.getMetadata().getCreationTimestamp()).isEqualTo("2026-11-22T02:00:00Z");
        assertThat(p.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(p.getMetadata().getResourceVersion()).isEqualTo(Long.toString(f.store.currentRevision()));
        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(p.getStatus().getPodIP()).isNull();
        assertThat(p.getStatus().getQosClass()).isEqualTo("BestEffort");
        Pod again = (Pod) f.get(ResourceTypes.PODS, "default", "web");
        assertThat(again).isEqualTo(p);
    }

    @Test
    void storedValueHasNoResourceVersion() {
        f.createPod("default", "web");
        String stored = new String(f.store.get("/registry/core/pods/default/web").orElseThrow().value());
        assertThat(stored).contains("\"name\":\"web\"").doesNotContain("resourceVersion");
    }

    @Test
    void alreadyExistsShape() {
        f.createPod("default", "web");
        ApiException e = catchThrowableOfType(ApiException.class, () -> f.createPod("default", "web"));
        Status s = e.toStatus();
        assertThat(s.getCode()).isEqualTo(409);
        assertThat(s.getReason()).isEqualTo("AlreadyExists");
        assertThat(s.getMessage()).isEqualTo("pods \"web\" already exists");
        assertThat(s.getDetails().getKind()).isEqualTo("pods");
        assertThat(s.getDetails().getName()).isEqualTo("web");
    }

    @Test
    void notFoundShape() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> f.get(ResourceTypes.PODS, "default", "nope"));
        assertThat(e.toStatus().getCode()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("pods \"nope\" not found");
        assertThat(f.reg.get(Pod.class, "default", "nope")).isNull();
    }

    @Test
    void namespaceMustExistAndMatch() {
        assertThatThrownBy(() -> f.createPod("nope", "web")).isInstanceOf(ApiException.NotFound.class)
                .hasMessage("namespaces \"nope\" not found");
        assertThatThrownBy(() -> f.reg.create(ResourceTypes.PODS, "kube-system",
                json("{'metadata':{'name':'web','namespace':'default'},'spec':{'containers':[{'name':'c','image':'i'}]}}"),
                WriteOptions.DEFAULT))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("the namespace of the provided object does not match the namespace sent on the request");
    }

    @Test
    void terminatingNamespaceIsForbidden() {
        f.create(ResourceTypes.NAMESPACES, null, "{'metadata':{'name':'team'}}");
        f.create(ResourceTypes.CONFIGMAPS, "team", "{'metadata':{'name':'keep','finalizers':['x/y']}}");
        f.reg.delete(ResourceTypes.NAMESPACES, null, "team", null);
        ApiException e = catchThrowableOfType(ApiException.class, () -> f.createPod("team", "web"));
        assertThat(e.code()).isEqualTo(403);
        assertThat(e.getMessage()).isEqualTo(
                "pods \"web\" is forbidden: unable to create new content in namespace team because it is being terminated");
    }

    @Test
    void generateNameAddsFiveChars() {
        WriteResult r = f.create(ResourceTypes.CONFIGMAPS, "default", "{'metadata':{'generateName':'cfg-'}}");
        assertThat(r.object().getMetadata().getName()).matches("cfg-[a-z0-9]{5}");
        assertThat(r.object().getMetadata().getGeneration()).isNull();
    }

    @Test
    void missingNameIsInvalid() {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> f.create(ResourceTypes.CONFIGMAPS, "default", "{'metadata':{}}"));
        Status s = e.toStatus();
        assertThat(s.getCode()).isEqualTo(422);
        assertThat(s.getReason()).isEqualTo("Invalid");
        assertThat(s.getDetails().getKind()).isEqualTo("ConfigMap");
        assertThat(s.getDetails().getCauses()).singleElement().satisfies(c -> {
            assertThat(c.getField()).isEqualTo("metadata.name");
            assertThat(c.getReason()).isEqualTo("FieldValueRequired");
            assertThat(c.getMessage()).isEqualTo("Required value: name or generateName is required");
        });
    }

    @Test
    void kindOrVersionMismatchIsBadRequest() {
        assertThatThrownBy(() -> f.create(ResourceTypes.PODS, "default", "{'kind':'Service','apiVersion':'v1','metadata':{'name':'x'}}"))
                .isInstanceOf(ApiException.BadRequest.class).hasMessageContaining("(Service)");
        assertThatThrownBy(() -> f.create(ResourceTypes.PODS, "default", "{'kind':'Pod','apiVersion':'batch/v1','metadata':{'name':'x'}}"))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("the API version in the data (batch/v1) does not match the expected API version (v1)");
    }

    @Test
    void jsonTypeMismatchesAreRefusedAsGoWordsThem() {
        String[][] cases = {
            {"'metadata':{'name':'web','labels':{'a':1}}",
                "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"},
            {"'metadata':{'name':'web','annotations':{'a':true}}",
                "json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string"},
            {"'metadata':{'name':'web'},'spec':{'containers':[{'name':'c','image':'i','ports':[{'containerPort':'80'}]}]}",
                "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"},
            {"'metadata':{'name':'web'},'spec':{'terminationGracePeriodSeconds':1.5,'containers':[{'name':'c','image':'i'}]}",
                "json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64"},
            {"'metadata':{'name':'web'},'spec':{'containers':'c'}",
                "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"},
            {"'metadata':{'name':'web'},'spec':[]",
                "json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec"},
            {"'metadata':{'name':'web','labels':[]}",
                "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> f.reg.create(ResourceTypes.PODS, "default",
                    json("{'apiVersion':'v1','kind':'Pod'," + c[0] + "}"), WriteOptions.DEFAULT))
                    .isInstanceOf(ApiException.BadRequest.class)
                    .hasMessage("Pod in version \"v1\" cannot be handled as a Pod: " + c[1]);
        }
        assertThat(f.reg.list(ResourceTypes.PODS, new Registry.ListOptions("default", null, null, null, 0, null, false))
                .items()).isEmpty();
        f.reg.create(ResourceTypes.PODS, "default", json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web',"
                + "'labels':null},'spec':{'containers':[{'name':'c','image':'i','ports':[{'containerPort':80}]}]}}"),
                WriteOptions.DEFAULT);
    }

    @Test
    void dryRunStoresNothing() {
        long before = f.store.currentRevision();
        WriteResult r = f.reg.create(ResourceTypes.PODS, "default", Fixture.pod("web"),
                new WriteOptions(true, null, FieldValidation.STRICT, false));
        assertThat(r.object().getMetadata().getUid()).isNotNull();
        assertThat(((Pod) r.object()).getStatus().getPhase()).isEqualTo("Pending");
        assertThat(f.store.currentRevision()).isEqualTo(before);
        assertThat(f.reg.get(Pod.class, "default", "web")).isNull();
    }

    @Test
    void failedCreateWritesNothing() {
        f.create(ResourceTypes.SERVICES, "default", "{'metadata':{'name':'a'},'spec':{'clusterIP':'10.96.0.10','ports':[{'port':80}]}}");
        long writes = f.store.currentRevision(); // every store write takes a new revision
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> f.create(ResourceTypes.SERVICES, "default", "{'metadata':{'name':'b'},'spec':{'clusterIP':'10.96.0.10','ports':[{'port':80}]}}"));
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).contains("provided IP is already allocated");
        assertThat(f.store.currentRevision()).isEqualTo(writes);
    }

    @Test
    void strictWarnAndIgnoreFieldValidation() {
        String body = "{'metadata':{'name':'web'},'spec':{'foo':1,'containers':[{'name':'c','image':'i','bar':2}]}}";
        ApiException e = catchThrowableOfType(ApiException.class, () -> f.reg.create(ResourceTypes.PODS, "default", json(body),
                new WriteOptions(false, null, FieldValidation.STRICT, false)));
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: "
                + "unknown field \"spec.foo\", unknown field \"spec.containers[0].bar\"");

        WriteResult warned = f.reg.create(ResourceTypes.PODS, "default", json(body),
                new WriteOptions(false, null, FieldValidation.WARN, false));
        assertThat(warned.warnings()).containsExactly("unknown field \"spec.foo\"", "unknown field \"spec.containers[0].bar\"");
        assertThat(new String(f.store.get("/registry/core/pods/default/web").orElseThrow().value()))
                .doesNotContain("foo").doesNotContain("bar");

        WriteResult ignored = f.reg.create(ResourceTypes.PODS, "default", json(body.replace("web", "web2")),
                new WriteOptions(false, null, FieldValidation.IGNORE, false));
        assertThat(ignored.warnings()).isEmpty();
        assertThat(new String(f.store.get("/registry/core/pods/default/web2").orElseThrow().value())).doesNotContain("foo");
    }

    @Test
    void typedClientCreatesToo() {
        Pod p = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("t").withNamespace("default")
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();
        Pod created = f.reg.create(p);
        assertThat(created.getMetadata().getResourceVersion()).isNotNull();
        assertThat(p.getMetadata().getResourceVersion()).isNull();
        assertThat(f.reg.get(Pod.class, "default", "t").getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    }
}
