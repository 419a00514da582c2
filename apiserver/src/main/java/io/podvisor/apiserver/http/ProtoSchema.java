package io.podvisor.apiserver.http;

import java.util.HashMap;
import java.util.Map;

/**
 * Protobuf field numbers of the Kubernetes types that {@code kubectl create}/{@code run}/{@code auth} send in
 * protobuf, mapped to their JSON names and shapes. Field numbers follow the upstream
 * {@code generated.proto} files of {@code core/v1}, {@code batch/v1}, {@code apps/v1},
 * {@code authentication/v1}, {@code authorization/v1} and {@code meta/v1}.
 */
final class ProtoSchema {

    /** How a field's value is encoded on the wire and rendered in JSON. */
    enum Kind {
        STRING, BYTES, BOOL, INT, TIME, INT_OR_STRING, QUANTITY, MESSAGE, MAP, IGNORED
    }

    /**
     * One field: {@code pointer} fields are kept whenever present (Go pointers), others are omitted
     * when they hold the zero value ({@code omitempty}). {@code valueKind} is a map's value kind.
     */
    record Field(int number, String json, Kind kind, boolean repeated, boolean pointer, Message message, Kind valueKind) {}

    /** A message: its fields by number. */
    static final class Message {
        final String name;
        final Map<Integer, Field> fields = new HashMap<>();

        Message(String name) {
            this.name = name;
        }

        private Message add(int n, String json, Kind kind, boolean repeated, boolean pointer, Message m, Kind valueKind) {
            fields.put(n, new Field(n, json, kind, repeated, pointer, m, valueKind));
            return this;
        }

        Message str(int n, String json) {
            return add(n, json, Kind.STRING, false, false, null, null);
        }

        Message strPtr(int n, String json) {
            return add(n, json, Kind.STRING, false, true, null, null);
        }

        Message strs(int n, String json) {
            return add(n, json, Kind.STRING, true, false, null, null);
        }

        Message bool(int n, String json) {
            return add(n, json, Kind.BOOL, false, false, null, null);
        }

        Message boolPtr(int n, String json) {
            return add(n, json, Kind.BOOL, false, true, null, null);
        }

        Message num(int n, String json) {
            return add(n, json, Kind.INT, false, false, null, null);
        }

        Message numPtr(int n, String json) {
            return add(n, json, Kind.INT, false, true, null, null);
        }

        Message nums(int n, String json) {
            return add(n, json, Kind.INT, true, false, null, null);
        }

        Message time(int n, String json) {
            return add(n, json, Kind.TIME, false, false, null, null);
        }

        Message intOrString(int n, String json, boolean pointer) {
            return add(n, json, Kind.INT_OR_STRING, false, pointer, null, null);
        }

        Message quantity(int n, String json) {
            return add(n, json, Kind.QUANTITY, false, false, null, null);
        }

        Message msg(int n, String json, Message m) {
            return add(n, json, Kind.MESSAGE, false, false, m, null);
        }

        Message msgPtr(int n, String json, Message m) {
            return add(n, json, Kind.MESSAGE, false, true, m, null);
        }

        Message msgs(int n, String json, Message m) {
            return add(n, json, Kind.MESSAGE, true, false, m, null);
        }

        Message map(int n, String json, Kind valueKind) {
            return add(n, json, Kind.MAP, false, false, null, valueKind);
        }

        Message ignore(int n, String json) {
            return add(n, json, Kind.IGNORED, false, false, null, null);
        }
    }

    static final Message OWNER_REFERENCE = new Message("OwnerReference").str(5, "apiVersion").str(1, "kind").str(3, "name")
            .str(4, "uid").boolPtr(6, "controller").boolPtr(7, "blockOwnerDeletion");

    static final Message OBJECT_META = new Message("ObjectMeta").str(1, "name").str(2, "generateName").str(3, "namespace")
            .str(4, "selfLink").str(5, "uid").str(6, "resourceVersion").num(7, "generation").time(8, "creationTimestamp")
            .time(9, "deletionTimestamp").numPtr(10, "deletionGracePeriodSeconds").map(11, "labels", Kind.STRING)
            .map(12, "annotations", Kind.STRING).msgs(13, "ownerReferences", OWNER_REFERENCE).strs(14, "finalizers");

    static final Message SELECTOR_REQUIREMENT = new Message("LabelSelectorRequirement").str(1, "key").str(2, "operator")
            .strs(3, "values");

    static final Message LABEL_SELECTOR = new Message("LabelSelector").map(1, "matchLabels", Kind.STRING)
            .msgs(2, "matchExpressions", SELECTOR_REQUIREMENT);

    static final Message LOCAL_OBJECT_REFERENCE = new Message("LocalObjectReference").str(1, "name");

    static final Message OBJECT_REFERENCE = new Message("ObjectReference").str(1, "kind").str(2, "namespace").str(3, "name")
            .str(4, "uid").str(5, "apiVersion").str(6, "resourceVersion").str(7, "fieldPath");

    static final Message RESOURCES = new Message("ResourceRequirements").map(1, "limits", Kind.QUANTITY)
            .map(2, "requests", Kind.QUANTITY);

    static final Message ENV_VAR = new Message("EnvVar").str(1, "name").str(2, "value");

    static final Message CONTAINER_PORT = new Message("ContainerPort").str(1, "name").num(2, "hostPort")
            .num(3, "containerPort").str(4, "protocol").str(5, "hostIP");

    static final Message VOLUME_MOUNT = new Message("VolumeMount").str(1, "name").bool(2, "readOnly").str(3, "mountPath")
            .str(4, "subPath");

    static final Message CAPABILITIES = new Message("Capabilities").strs(1, "add").strs(2, "drop");

    static final Message SECURITY_CONTEXT = new Message("SecurityContext").msgPtr(1, "capabilities", CAPABILITIES)
            .boolPtr(2, "privileged").numPtr(4, "runAsUser").boolPtr(5, "runAsNonRoot").boolPtr(6, "readOnlyRootFilesystem")
            .boolPtr(7, "allowPrivilegeEscalation").numPtr(8, "runAsGroup");

    static final Message CONTAINER = new Message("Container").str(1, "name").str(2, "image").strs(3, "command")
            .strs(4, "args").str(5, "workingDir").msgs(6, "ports", CONTAINER_PORT).msgs(7, "env", ENV_VAR)
            .msg(8, "resources", RESOURCES).msgs(9, "volumeMounts", VOLUME_MOUNT).str(13, "terminationMessagePath")
            .str(14, "imagePullPolicy").msgPtr(15, "securityContext", SECURITY_CONTEXT).bool(16, "stdin")
            .bool(17, "stdinOnce").bool(18, "tty").str(20, "terminationMessagePolicy");

    static final Message POD_SECURITY_CONTEXT = new Message("PodSecurityContext").numPtr(2, "runAsUser")
            .boolPtr(3, "runAsNonRoot").nums(4, "supplementalGroups").numPtr(5, "fsGroup").numPtr(6, "runAsGroup");

    static final Message POD_SPEC = new Message("PodSpec").msgs(2, "containers", CONTAINER).str(3, "restartPolicy")
            .numPtr(4, "terminationGracePeriodSeconds").numPtr(5, "activeDeadlineSeconds").str(6, "dnsPolicy")
            .map(7, "nodeSelector", Kind.STRING).str(8, "serviceAccountName").str(9, "serviceAccount").str(10, "nodeName")
            .bool(11, "hostNetwork").bool(12, "hostPID").bool(13, "hostIPC")
            .msgPtr(14, "securityContext", POD_SECURITY_CONTEXT).msgs(15, "imagePullSecrets", LOCAL_OBJECT_REFERENCE)
            .str(16, "hostname").str(17, "subdomain").str(19, "schedulerName").msgs(20, "initContainers", CONTAINER)
            .boolPtr(21, "automountServiceAccountToken").str(24, "priorityClassName").numPtr(25, "priority")
            .boolPtr(30, "enableServiceLinks");

    static final Message POD_TEMPLATE = new Message("PodTemplateSpec").msg(1, "metadata", OBJECT_META).msg(2, "spec", POD_SPEC);

    static final Message JOB_SPEC = new Message("JobSpec").numPtr(1, "parallelism").numPtr(2, "completions")
            .numPtr(3, "activeDeadlineSeconds").msgPtr(4, "selector", LABEL_SELECTOR).boolPtr(5, "manualSelector")
            .msg(6, "template", POD_TEMPLATE).numPtr(7, "backoffLimit").numPtr(8, "ttlSecondsAfterFinished")
            .strPtr(9, "completionMode").boolPtr(10, "suspend");

    static final Message JOB_TEMPLATE = new Message("JobTemplateSpec").msg(1, "metadata", OBJECT_META).msg(2, "spec", JOB_SPEC);

    static final Message CRON_JOB_SPEC = new Message("CronJobSpec").str(1, "schedule").numPtr(2, "startingDeadlineSeconds")
            .str(3, "concurrencyPolicy").boolPtr(4, "suspend").msg(5, "jobTemplate", JOB_TEMPLATE)
            .numPtr(6, "successfulJobsHistoryLimit").numPtr(7, "failedJobsHistoryLimit").strPtr(8, "timeZone");

    static final Message ROLLING_UPDATE = new Message("RollingUpdateDeployment").intOrString(1, "maxUnavailable", true)
            .intOrString(2, "maxSurge", true);

    static final Message STRATEGY = new Message("DeploymentStrategy").str(1, "type").msgPtr(2, "rollingUpdate", ROLLING_UPDATE);

    static final Message DEPLOYMENT_SPEC = new Message("DeploymentSpec").numPtr(1, "replicas")
            .msgPtr(2, "selector", LABEL_SELECTOR).msg(3, "template", POD_TEMPLATE).msg(4, "strategy", STRATEGY)
            .num(5, "minReadySeconds").numPtr(6, "revisionHistoryLimit").bool(7, "paused").numPtr(9, "progressDeadlineSeconds");

    static final Message SERVICE_PORT = new Message("ServicePort").str(1, "name").str(2, "protocol").num(3, "port")
            .intOrString(4, "targetPort", false).num(5, "nodePort").strPtr(6, "appProtocol");

    static final Message SERVICE_SPEC = new Message("ServiceSpec").msgs(1, "ports", SERVICE_PORT)
            .map(2, "selector", Kind.STRING).str(3, "clusterIP").str(4, "type").strs(5, "externalIPs")
            .str(7, "sessionAffinity").str(8, "loadBalancerIP").strs(9, "loadBalancerSourceRanges").str(10, "externalName")
            .str(11, "externalTrafficPolicy").num(12, "healthCheckNodePort").bool(13, "publishNotReadyAddresses")
            .strs(18, "clusterIPs");

    static final Message NAMESPACE_SPEC = new Message("NamespaceSpec").strs(1, "finalizers");

    static final Message SELECTOR_ATTRIBUTES = new Message("SelectorAttributes").str(1, "rawSelector")
            .msgs(2, "requirements", SELECTOR_REQUIREMENT);

    static final Message RESOURCE_ATTRIBUTES = new Message("ResourceAttributes").str(1, "namespace").str(2, "verb")
            .str(3, "group").str(4, "version").str(5, "resource").str(6, "subresource").str(7, "name")
            .msgPtr(8, "fieldSelector", SELECTOR_ATTRIBUTES).msgPtr(9, "labelSelector", SELECTOR_ATTRIBUTES);

    static final Message ACCESS_REVIEW_SPEC = new Message("SelfSubjectAccessReviewSpec")
            .msgPtr(1, "resourceAttributes", RESOURCE_ATTRIBUTES)
            .msgPtr(2, "nonResourceAttributes", new Message("NonResourceAttributes").str(1, "path").str(2, "verb"));

    static final Message TOKEN_REQUEST_SPEC = new Message("TokenRequestSpec").strs(1, "audiences")
            .msgPtr(3, "boundObjectRef", new Message("BoundObjectReference").str(1, "kind").str(2, "apiVersion")
                    .str(3, "name").str(4, "uid"))
            .numPtr(4, "expirationSeconds");

    private static final Map<String, Message> TYPES = Map.ofEntries(
            Map.entry("authentication.k8s.io/v1/TokenRequest", top("TokenRequest").msg(2, "spec", TOKEN_REQUEST_SPEC)
                    .ignore(3, "status")),
            Map.entry("authentication.k8s.io/v1/SelfSubjectReview", top("SelfSubjectReview").ignore(2, "status")),
            Map.entry("authorization.k8s.io/v1/SelfSubjectAccessReview", top("SelfSubjectAccessReview")
                    .msg(2, "spec", ACCESS_REVIEW_SPEC).ignore(3, "status")),
            Map.entry("authorization.k8s.io/v1/SelfSubjectRulesReview", top("SelfSubjectRulesReview")
                    .msg(2, "spec", new Message("SelfSubjectRulesReviewSpec").str(1, "namespace")).ignore(3, "status")),
            Map.entry("v1/ConfigMap", top("ConfigMap").map(2, "data", Kind.STRING).map(3, "binaryData", Kind.BYTES)
                    .boolPtr(4, "immutable")),
            Map.entry("v1/Secret", top("Secret").map(2, "data", Kind.BYTES).str(3, "type").map(4, "stringData", Kind.STRING)
                    .boolPtr(5, "immutable")),
            Map.entry("v1/Namespace", top("Namespace").msg(2, "spec", NAMESPACE_SPEC).ignore(3, "status")),
            Map.entry("v1/ServiceAccount", top("ServiceAccount").msgs(2, "secrets", OBJECT_REFERENCE)
                    .msgs(3, "imagePullSecrets", LOCAL_OBJECT_REFERENCE).boolPtr(4, "automountServiceAccountToken")),
            Map.entry("v1/Service", top("Service").msg(2, "spec", SERVICE_SPEC).ignore(3, "status")),
            Map.entry("v1/Pod", top("Pod").msg(2, "spec", POD_SPEC).ignore(3, "status")),
            Map.entry("batch/v1/Job", top("Job").msg(2, "spec", JOB_SPEC).ignore(3, "status")),
            Map.entry("batch/v1/CronJob", top("CronJob").msg(2, "spec", CRON_JOB_SPEC).ignore(3, "status")),
            Map.entry("apps/v1/Deployment", top("Deployment").msg(2, "spec", DEPLOYMENT_SPEC).ignore(3, "status")));

    private ProtoSchema() {}

    private static Message top(String kind) {
        return new Message(kind).msg(1, "metadata", OBJECT_META);
    }

    /** The schema of {@code apiVersion}/{@code kind}, or null when it is not in the table. */
    static Message of(String apiVersion, String kind) {
        return TYPES.get(apiVersion + "/" + kind);
    }
}
