package io.podvisor.apiserver.registry;

import static io.podvisor.apiserver.registry.Fixture.json;
import static io.podvisor.apiserver.registry.Fixture.rv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.patch.PatchType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.Part;
import io.podvisor.apiserver.registry.Registry.WriteOptions;
import io.podvisor.apiserver.registry.Registry.WriteResult;
import org.junit.jupiter.api.Test;

class UpdateTest {

    private final Fixture f = new Fixture();

    private WriteResult put(HasMetadata o, Part part) {
        return f.reg.update(ResourceTypes.PODS, "default", o.getMetadata().getName(), Fixture.tree(o), WriteOptions.DEFAULT, part);
    }

    @Test
    void staleResourceVersionIsConflict() {
        Pod p = (Pod) f.createPod("default", "web").object();
        p.getMetadata().getLabels().put("v", "2");
        put(p, Part.MAIN);
        p.getMetadata().getLabels().put("v", "3");
        ApiException e = catchThrowableOfType(ApiException.class, () -> put(p, Part.MAIN));
        assertThat(e.toStatus().getCode()).isEqualTo(409);
        assertThat(e.toStatus().getReason()).isEqualTo("Conflict");
        assertThat(e.getMessage()).isEqualTo("Operation cannot be fulfilled on pods \"web\": the object has been modified; "
                + "please apply your changes to the latest version and try again");
    }

    @Test
    void updateWithoutResourceVersionWritesLatest() {
        Pod p = (Pod) f.createPod("default", "web").object();
        p.getMetadata().setResourceVersion(null);
        p.getMetadata().getLabels().put("v", "2");
        Pod out = (Pod) put(p, Part.MAIN).object();
        assertThat(out.getMetadata().getLabels()).containsEntry("v", "2");
    }

    @Test
    void noOpKeepsResourceVersionAndRvIsMonotonic() {
        Pod p = (Pod) f.createPod("default", "web").object();
        long rv1 = rv(p);
        long rev = f.store.currentRevision();
        Pod same = (Pod) put(p, Part.MAIN).object();
        assertThat(rv(same)).isEqualTo(rv1);
        assertThat(f.store.currentRevision()).isEqualTo(rev);
        p.getMetadata().getLabels().put("x", "y");
        Pod changed = (Pod) put(p, Part.MAIN).object();
        assertThat(rv(changed)).isGreaterThan(rv1);
        ConfigMap cm = (ConfigMap) f.create(ResourceTypes.CONFIGMAPS, "default", "{'metadata':{'name':'c'}}").object();
        assertThat(rv(cm)).isGreaterThan(rv(changed));
    }

    @Test
    void mainKeepsStatusAndStatusKeepsSpec() {
        Pod p = (Pod) f.createPod("default", "web").object();
        p.getStatus().setPhase("Running");
        p.getSpec().setActiveDeadlineSeconds(30L);
        Pod afterMain = (Pod) put(p, Part.MAIN).object();
        assertThat(afterMain.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(afterMain.getSpec().getActiveDeadlineSeconds()).isEqualTo(30L);
        assertThat(afterMain.getMetadata().getGeneration()).isEqualTo(2L);

        afterMain.getStatus().setPhase("Running");
        afterMain.getSpec().setActiveDeadlineSeconds(99L);
        afterMain.getMetadata().getLabels().put("sneaky", "yes");
        Pod afterStatus = (Pod) put(afterMain, Part.STATUS).object();
        assertThat(afterStatus.getStatus().getPhase()).isEqualTo("Running");
        assertThat(afterStatus.getSpec().getActiveDeadlineSeconds()).isEqualTo(30L);
        assertThat(afterStatus.getMetadata().getLabels()).doesNotContainKey("sneaky");
        assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void systemFieldsAreKept() {
        Pod p = (Pod) f.createPod("default", "web").object();
        Pod edit = (Pod) io.podvisor.api.Yaml.copy(p);
        edit.getMetadata().setCreationTimestamp("1999-01-01T00:00:00Z");
        edit.getMetadata().setUid(null);
        edit.getMetadata().getLabels().put("a", "b");
        Pod out = (Pod) put(edit, Part.MAIN).object();
        assertThat(out.getMetadata().getCreationTimestamp()).isEqualTo(p.getMetadata().getCreationTimestamp());
        assertThat(out.getMetadata().getUid()).isEqualTo(p.getMetadata().getUid());
        edit.getMetadata().setUid("other");
        edit.getMetadata().setResourceVersion(null);
        assertThatThrownBy(() -> put(edit, Part.MAIN)).isInstanceOf(ApiException.Invalid.class)
                .hasMessageContaining("metadata.uid: Invalid value: \"other\": field is immutable");
    }

    @Test
    void nameMismatchAndMissingObject() {
        assertThatThrownBy(() -> f.reg.update(ResourceTypes.PODS, "default", "web", Fixture.pod("other"), WriteOptions.DEFAULT, Part.MAIN))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("the name of the object (other) does not match the name on the URL (web)");
        assertThatThrownBy(() -> f.reg.update(ResourceTypes.PODS, "default", "web", Fixture.pod("web"), WriteOptions.DEFAULT, Part.MAIN))
                .isInstanceOf(ApiException.NotFound.class);
    }

    @Test
    void dryRunUpdateStoresNothing() {
        Pod p = (Pod) f.createPod("default", "web").object();
        p.getMetadata().getLabels().put("x", "y");
        long rev = f.store.currentRevision();
        WriteResult r = f.reg.update(ResourceTypes.PODS, "default", "web", Fixture.tree(p),
                new WriteOptions(true, null, Registry.FieldValidation.STRICT, false), Part.MAIN);
        assertThat(r.object().getMetadata().getLabels()).containsEntry("x", "y");
        assertThat(f.store.currentRevision()).isEqualTo(rev);
        assertThat(f.get(ResourceTypes.PODS, "default", "web").getMetadata().getLabels()).doesNotContainKey("x");
    }

    @Test
    void removingLastFinalizerOfDeletedObjectRemovesIt() {
        f.create(ResourceTypes.CONFIGMAPS, "default", "{'metadata':{'name':'c','finalizers':['a/b']}}");
        Registry.DeleteResult d = f.reg.delete(ResourceTypes.CONFIGMAPS, "default", "c", null);
        assertThat(d.gone()).isFalse();
        assertThat(d.object().getMetadata().getDeletionTimestamp()).isEqualTo("2026-11-22T02:00:00Z");
        f.mergePatch(ResourceTypes.CONFIGMAPS, "default", "c", "{'metadata':{'finalizers':null}}");
        assertThat(f.reg.get(ConfigMap.class, "default", "c")).isNull();
    }

    @Test
    void patchAppliesToLatestAndHonoursResourceVersion() {
        Pod p = (Pod) f.createPod("default", "web").object();
        f.mergePatch(ResourceTypes.PODS, "default", "web", "{'metadata':{'labels':{'a':'1'}}}");
        WriteResult r = f.mergePatch(ResourceTypes.PODS, "default", "web", "{'metadata':{'labels':{'b':'2'}}}");
        assertThat(r.object().getMetadata().getLabels()).containsEntry("a", "1").containsEntry("b", "2").containsEntry("app", "web");
        assertThatThrownBy(() -> f.mergePatch(ResourceTypes.PODS, "default", "web",
                "{'metadata':{'resourceVersion':'" + rv(p) + "','labels':{'c':'3'}}}"))
                .isInstanceOf(ApiException.Conflict.class);
        assertThatThrownBy(() -> f.mergePatch(ResourceTypes.PODS, "default", "nope", "{}"))
                .isInstanceOf(ApiException.NotFound.class);
    }

    @Test
    void patchStatusPartOnlyTouchesStatus() {
        f.createPod("default", "web");
        WriteResult r = f.reg.patch(ResourceTypes.PODS, "default", "web", PatchType.MERGE,
                "{\"status\":{\"phase\":\"Running\"},\"metadata\":{\"labels\":{\"z\":\"z\"}}}".getBytes(),
                WriteOptions.DEFAULT, Part.STATUS);
        assertThat(((Pod) r.object()).getStatus().getPhase()).isEqualTo("Running");
        assertThat(r.object().getMetadata().getLabels()).doesNotContainKey("z");
    }

    private static WriteResult patch(Fixture f, PatchType type, String body, Registry.FieldValidation mode) {
        return f.reg.patch(ResourceTypes.PODS, "default", "web", type, body.getBytes(),
                new WriteOptions(false, "m", mode, true), Part.MAIN);
    }

    private static String invalid(ApiException e) {
        assertThat(e.toStatus().getCode()).isEqualTo(422);
        assertThat(e.toStatus().getReason()).isEqualTo("Invalid");
        return e.getMessage();
    }

    @Test
    void repeatedKeysInPatchesFollowFieldValidation() {
        Fixture f = Fixture.standard();
        f.createPod("default", "web");
        Registry.FieldValidation strict = Registry.FieldValidation.STRICT;
        String labels = "{\"metadata\":{\"labels\":{\"a\":\"1\",\"a\":\"2\"}}";

        assertThat(invalid(catchThrowableOfType(ApiException.class,
                () -> patch(f, PatchType.MERGE, labels + ",\"spec\":{\"bogus\":1}}", strict))))
                .startsWith(" \"\" is invalid: patch: Invalid value: \"{")
                .endsWith("\": strict decoding error: duplicate field \"a\", unknown field \"spec.bogus\"");
        assertThat(invalid(catchThrowableOfType(ApiException.class, () -> patch(f, PatchType.STRATEGIC, labels + "}", strict))))
                .isEqualTo(" \"\" is invalid: patch: Invalid value: \"map[metadata:map[labels:map[a:2]]]\": "
                        + "strict decoding error: duplicate field \"a\"");
        assertThat(invalid(catchThrowableOfType(ApiException.class, () -> patch(f, PatchType.JSON,
                "[{\"op\":\"add\",\"path\":\"/metadata/labels/b\",\"path\":\"/metadata/labels/b\",\"value\":\"1\"}]",
                strict)))).endsWith("\": strict decoding error: json patch duplicate field \"path\"");
        String apply = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {a: \"1\", a: \"2\"}\n";
        assertThatThrownBy(() -> patch(f, PatchType.APPLY, apply, strict)).isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n"
                        + "  line 5: key \"a\" already set in map");
        assertThat(f.reg.get(ResourceTypes.PODS, "default", "web").getMetadata().getLabels())
                .doesNotContainKeys("a", "b");

        WriteResult warned = patch(f, PatchType.STRATEGIC, labels + "}", Registry.FieldValidation.WARN);
        assertThat(warned.warnings()).containsExactly("duplicate field \"a\"");
        assertThat(warned.object().getMetadata().getLabels()).as("the last value counts, as in Go").containsEntry("a", "2");
        assertThat(patch(f, PatchType.APPLY, apply, Registry.FieldValidation.WARN).warnings())
                .containsExactly("line 5: key \"a\" already set in map");
        assertThat(patch(f, PatchType.MERGE, labels + "}", Registry.FieldValidation.IGNORE).warnings()).isEmpty();
    }

    @Test
    void applyCreatesWhenMissing() {
        WriteResult r = f.reg.patch(ResourceTypes.CONFIGMAPS, "default", "cfg", PatchType.APPLY,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\"},\"data\":{\"k\":\"v\"}}".getBytes(),
                new WriteOptions(false, "kubectl", Registry.FieldValidation.STRICT, false), Part.MAIN);
        assertThat(r.created()).isTrue();
        assertThat(((ConfigMap) r.object()).getData()).containsEntry("k", "v");
        WriteResult again = f.reg.patch(ResourceTypes.CONFIGMAPS, "default", "cfg", PatchType.APPLY,
                "{\"data\":{\"k\":\"w\"}}".getBytes(), new WriteOptions(false, "kubectl", Registry.FieldValidation.STRICT, false),
                Part.MAIN);
        assertThat(again.created()).isFalse();
        assertThat(((ConfigMap) again.object()).getData()).containsEntry("k", "w");
    }

    @Test
    void typedUpdateAndUpdateStatus() {
        Pod p = (Pod) f.createPod("default", "web").object();
        p.getStatus().setPhase("Running");
        Pod s = f.reg.updateStatus(p);
        assertThat(s.getStatus().getPhase()).isEqualTo("Running");
        assertThatThrownBy(() -> f.reg.update(p)).isInstanceOf(ApiException.Conflict.class);
        s.getMetadata().getLabels().put("k", "v");
        Pod u = f.reg.update(s);
        assertThat(u.getMetadata().getLabels()).containsEntry("k", "v");
        assertThat(u.getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void serviceKeepsClusterIpOnUpdate() {
        var svc = f.create(ResourceTypes.SERVICES, "default", "{'metadata':{'name':'s'},'spec':{'ports':[{'port':80}]}}").object();
        String ip = ((io.fabric8.kubernetes.api.model.Service) svc).getSpec().getClusterIP();
        var out = f.reg.update(ResourceTypes.SERVICES, "default", "s",
                json("{'metadata':{'name':'s','labels':{'a':'b'}},'spec':{'ports':[{'port':81}]}}"), WriteOptions.DEFAULT, Part.MAIN);
        assertThat(((io.fabric8.kubernetes.api.model.Service) out.object()).getSpec().getClusterIP()).isEqualTo(ip);
    }
}
