package io.podvisor.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvisor.api.errors.ApiException;
import org.junit.jupiter.api.Test;

class StrategicMergeTest {

    private static final JsonNode DEMO = Json.of("""
            {'apiVersion':'v1','kind':'Pod',
             'metadata':{'name':'demo','namespace':'default','labels':{'app':'demo'},
                         'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'v1'}},
             'spec':{'containers':[{'name':'main','image':'nginx:1.27','ports':[{'containerPort':80,'protocol':'TCP'}]}],
                     'restartPolicy':'Always'}}""");

    private static JsonNode pod(JsonNode target, String patch) {
        return Patches.strategic(target, Json.of(patch), "v1", "Pod");
    }

    @Test
    void kubectlApplyLabelAddedAndImageChanged() {
        JsonNode out = pod(DEMO, """
                {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'v2'},'labels':{'tier':'web'}},
                 'spec':{'$setElementOrder/containers':[{'name':'main'}],'containers':[{'image':'nginx:1.28','name':'main'}]}}""");

        assertThat(out).isEqualTo(Json.of("""
                {'apiVersion':'v1','kind':'Pod',
                 'metadata':{'name':'demo','namespace':'default','labels':{'app':'demo','tier':'web'},
                             'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'v2'}},
                 'spec':{'containers':[{'name':'main','image':'nginx:1.28','ports':[{'containerPort':80,'protocol':'TCP'}]}],
                         'restartPolicy':'Always'}}"""));
    }

    @Test
    void kubectlApplyLabelRemovedPortsDeletedContainerAdded() {
        JsonNode live = pod(DEMO, "{'metadata':{'labels':{'tier':'web'}}}");

        JsonNode out = pod(live, """
                {'metadata':{'labels':{'tier':null}},
                 'spec':{'$setElementOrder/containers':[{'name':'main'},{'name':'side'}],
                         'containers':[{'env':[{'name':'A','value':'1'}],'name':'main','ports':null},
                                       {'command':['sleep','3600'],'image':'busybox','name':'side'}]}}""");

        assertThat(out.at("/metadata/labels")).isEqualTo(Json.of("{'app':'demo'}"));
        assertThat(out.at("/spec/containers")).isEqualTo(Json.of("""
                [{'name':'main','image':'nginx:1.27','env':[{'name':'A','value':'1'}]},
                 {'name':'side','image':'busybox','command':['sleep','3600']}]"""));
    }

    @Test
    void kubectlApplyContainerRemovedWithDeleteDirective() {
        JsonNode live = pod(DEMO, """
                {'spec':{'containers':[{'command':['sleep','3600'],'image':'busybox','name':'side'}]}}""");
        assertThat(live.at("/spec/containers").size()).isEqualTo(2);

        JsonNode out = pod(live, """
                {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'v3'}},
                 'spec':{'$setElementOrder/containers':[{'name':'side'}],
                         'containers':[{'command':['sleep','7200'],'name':'side'},{'$patch':'delete','name':'main'}]}}""");

        assertThat(out.at("/spec/containers")).isEqualTo(Json.of("""
                [{'name':'side','image':'busybox','command':['sleep','7200']}]"""));
        assertThat(out.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").asText())
                .isEqualTo("v3");
    }

    @Test
    void setImageBodyChangesOnlyTheImage() {
        JsonNode out = pod(DEMO, """
                {'spec':{'$setElementOrder/containers':[{'name':'main'}],'containers':[{'image':'nginx:1.29','name':'main'}]}}""");

        assertThat(out.at("/spec/containers/0")).isEqualTo(Json.of("""
                {'name':'main','image':'nginx:1.29','ports':[{'containerPort':80,'protocol':'TCP'}]}"""));
    }

    @Test
    void inputsAreNotModified() {
        JsonNode target = DEMO.deepCopy();
        JsonNode patch = Json.of("""
                {'metadata':{'labels':{'app':null}},'spec':{'$setElementOrder/containers':[{'name':'main'}],
                 'containers':[{'$patch':'delete','name':'main'}]}}""");
        JsonNode patchCopy = patch.deepCopy();

        Patches.strategic(target, patch, "v1", "Pod");

        assertThat(target).isEqualTo(DEMO);
        assertThat(patch).isEqualTo(patchCopy);
    }

    @Test
    void envMergesByName() {
        JsonNode live = pod(DEMO, "{'spec':{'containers':[{'name':'main','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]}}");

        JsonNode out = pod(live, "{'spec':{'containers':[{'name':'main','env':[{'name':'B','value':'3'},{'name':'C','value':'4'}]}]}}");

        assertThat(out.at("/spec/containers/0/env")).isEqualTo(Json.of("""
                [{'name':'A','value':'1'},{'name':'B','value':'3'},{'name':'C','value':'4'}]"""));
    }

    @Test
    void volumeMountsMergeByMountPathAndPortsByContainerPort() {
        JsonNode live = pod(DEMO, "{'spec':{'containers':[{'name':'main','volumeMounts':[{'name':'data','mountPath':'/data'},{'name':'logs','mountPath':'/logs'}]}]}}");

        JsonNode out = pod(live, """
                {'spec':{'containers':[{'name':'main','volumeMounts':[{'name':'cache','mountPath':'/data','readOnly':true}],
                  'ports':[{'containerPort':80,'name':'http'},{'containerPort':443}]}]}}""");

        assertThat(out.at("/spec/containers/0/volumeMounts")).isEqualTo(Json.of("""
                [{'name':'cache','mountPath':'/data','readOnly':true},{'name':'logs','mountPath':'/logs'}]"""));
        assertThat(out.at("/spec/containers/0/ports")).isEqualTo(Json.of("""
                [{'containerPort':80,'protocol':'TCP','name':'http'},{'containerPort':443}]"""));
    }

    @Test
    void tolerationsCommandAndArgsAreReplacedWhole() {
        JsonNode live = pod(DEMO, """
                {'spec':{'tolerations':[{'key':'a','operator':'Exists'}],'containers':[{'name':'main','command':['a','b'],'args':['x']}]}}""");

        JsonNode out = pod(live, """
                {'spec':{'tolerations':[{'key':'b','operator':'Exists'}],'containers':[{'name':'main','command':['c'],'args':[]}]}}""");

        assertThat(out.at("/spec/tolerations")).isEqualTo(Json.of("[{'key':'b','operator':'Exists'}]"));
        assertThat(out.at("/spec/containers/0/command")).isEqualTo(Json.of("['c']"));
        assertThat(out.at("/spec/containers/0/args")).isEqualTo(Json.of("[]"));
    }

    @Test
    void finalizersMergeAsASetAndDeleteFromPrimitiveListRemoves() {
        JsonNode live = pod(DEMO, "{'metadata':{'finalizers':['a','b']}}");

        JsonNode merged = pod(live, "{'metadata':{'finalizers':['b','c']}}");
        JsonNode removed = pod(merged, "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a','c']}}");

        assertThat(merged.at("/metadata/finalizers")).isEqualTo(Json.of("['a','b','c']"));
        assertThat(removed.at("/metadata/finalizers")).isEqualTo(Json.of("['b']"));
    }

    @Test
    void retainKeysDropsTheOldVolumeSource() {
        JsonNode live = pod(DEMO, "{'spec':{'volumes':[{'name':'v','emptyDir':{}},{'name':'w','emptyDir':{}}]}}");

        JsonNode out = pod(live, """
                {'spec':{'volumes':[{'$retainKeys':['configMap','name'],'name':'v','configMap':{'name':'cm'}}]}}""");

        assertThat(out.at("/spec/volumes")).isEqualTo(Json.of("""
                [{'name':'v','configMap':{'name':'cm'}},{'name':'w','emptyDir':{}}]"""));
    }

    @Test
    void replaceAndDeleteDirectivesOnMapsAndLists() {
        JsonNode labels = pod(DEMO, "{'metadata':{'labels':{'$patch':'replace','x':'1'}}}");
        JsonNode noAnnotations = pod(DEMO, "{'metadata':{'annotations':{'$patch':'delete'}}}");
        JsonNode explicitMerge = pod(DEMO, "{'metadata':{'labels':{'$patch':'merge','x':'1'}}}");
        JsonNode containers = pod(DEMO, "{'spec':{'containers':[{'$patch':'replace'},{'name':'only','image':'i'}]}}");

        assertThat(labels.at("/metadata/labels")).isEqualTo(Json.of("{'x':'1'}"));
        assertThat(noAnnotations.at("/metadata/annotations")).isEqualTo(Json.of("{}"));
        assertThat(explicitMerge.at("/metadata/labels")).isEqualTo(Json.of("{'app':'demo','x':'1'}"));
        assertThat(containers.at("/spec/containers")).isEqualTo(Json.of("[{'name':'only','image':'i'}]"));
    }

    @Test
    void setElementOrderReordersAndUnorderedNewElementsComeFirstAsUpstream() {
        JsonNode live = pod(DEMO, "{'spec':{'containers':[{'$patch':'replace'},{'name':'a'},{'name':'s'},{'name':'b'}]}}");

        JsonNode out = pod(live, "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}}");
        JsonNode appended = pod(live, "{'spec':{'containers':[{'name':'c'}]}}");

        assertThat(out.at("/spec/containers")).isEqualTo(Json.of("[{'name':'s'},{'name':'b'},{'name':'a'}]"));
        assertThat(appended.at("/spec/containers"))
                .as("without $setElementOrder a new element is not in the live order, so it goes first")
                .isEqualTo(Json.of("[{'name':'c'},{'name':'a'},{'name':'s'},{'name':'b'}]"));
    }

    @Test
    void servicePortsMergeByPort() {
        JsonNode svc = Json.of("{'apiVersion':'v1','kind':'Service','spec':{'ports':[{'port':80,'targetPort':8080},{'port':443}]}}");

        JsonNode out = Patches.strategic(svc, Json.of("{'spec':{'ports':[{'port':80,'targetPort':9090}]}}"), "v1", "Service");

        assertThat(out.at("/spec/ports")).isEqualTo(Json.of("[{'port':80,'targetPort':9090},{'port':443}]"));
    }

    @Test
    void jobPodTemplateContainersMergeByName() {
        JsonNode job = Json.of("""
                {'apiVersion':'batch/v1','kind':'Job','spec':{'template':{'spec':{'containers':[{'name':'pi','image':'perl'},{'name':'x','image':'y'}]}}}}""");

        JsonNode out = Patches.strategic(job, Json.of("{'spec':{'template':{'spec':{'containers':[{'name':'pi','image':'perl:5'}]}}}}"),
                "batch/v1", "Job");

        assertThat(out.at("/spec/template/spec/containers"))
                .isEqualTo(Json.of("[{'name':'pi','image':'perl:5'},{'name':'x','image':'y'}]"));
    }

    @Test
    void unknownKindsReplaceListsLikeAMergePatch() {
        JsonNode cr = Json.of("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'finalizers':['a']},'spec':{'items':[{'name':'a','x':1}]}}");

        JsonNode out = Patches.strategic(cr, Json.of("{'metadata':{'finalizers':['b']},'spec':{'items':[{'name':'a','y':2}]}}"),
                "example.com/v1", "Widget");

        assertThat(out.at("/spec/items")).isEqualTo(Json.of("[{'name':'a','y':2}]"));
        assertThat(out.at("/metadata/finalizers")).as("metadata is common to all kinds").isEqualTo(Json.of("['b','a']"));
        assertThat(MergeKeys.known("example.com/v1", "Widget")).isFalse();
        assertThat(MergeKeys.known("v1", "Pod")).isTrue();
    }

    @Test
    void badDirectivesAreBadRequests() {
        assertBad("{'metadata':{'labels':{'$patch':'bogus'}}}", "unknown patch type: bogus in map: map[$patch:bogus]");
        assertBad("{'spec':{'containers':[{'$patch':'delete'}]}}",
                "map: map[$patch:delete] does not contain declared merge key: name");
        assertBad("{'spec':{'containers':[{'image':'x'}]}}", "map: map[image:x] does not contain declared merge key: name");
        assertBad("{'spec':{'containers':[{'$patch':'merge'}]}}", "merging lists cannot yet be specified in the patch");
        assertBad("{'spec':{'volumes':[{'$retainKeys':'name','name':'v'}]}}", "invalid patch format of retainKeys");
        assertBad("{'spec':{'volumes':[{'$retainKeys':['name'],'name':'v','emptyDir':{}}]}}", "invalid patch format of retainKeys");
        assertBad("{'spec':{'$setElementOrder/containers':{'name':'main'}}}", "invalid patch format of setElementOrder list");
        assertBad("{'spec':{'$setElementOrder/containers':[{'image':'x'}]}}",
                "map: map[image:x] does not contain declared merge key: name");
        assertBad("{'metadata':{'$deleteFromPrimitiveList/finalizers':'a'}}", "invalid patch format of primitive list");
        assertBad("{'spec':{'containers':[{'name':'main','args':[['a']]}]}}", "lists of lists are not supported");
        assertBad("{'spec':{'$bogus':1}}", "unknown patch directive \"$bogus\" in map: map[$bogus:1]");
        assertThatThrownBy(() -> Patches.strategic(DEMO, Json.of("[]"), "v1", "Pod"))
                .isInstanceOf(ApiException.BadRequest.class).hasMessage("invalid JSON document");
    }

    private static void assertBad(String patch, String message) {
        assertThatThrownBy(() -> pod(DEMO, patch)).isInstanceOf(ApiException.BadRequest.class).hasMessage(message);
    }
}
