package io.podvisor.apiserver.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Valid objects of every served kind, rich enough that mutations reach most of each schema: a pod
 * with every volume type the node serves, env sources, ports, resources, probes, hooks, security
 * contexts, tolerations, readiness gates and owner references; a job; services; endpoints and
 * slices; config maps, secrets, service accounts, events of both groups, nodes, leases and
 * namespaces. Each seed has no name; the runner gives each request its own.
 */
public final class FuzzCorpus {

    /** One seed: the kind and a valid body for it. */
    public record Seed(ResourceType type, ObjectNode body) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CONTAINER = """
            {'name':'main','image':'busybox','command':['sh','-c','sleep 1'],'args':['x'],'workingDir':'/tmp',
             'ports':[{'name':'http','containerPort':8080,'protocol':'TCP'},{'containerPort':9090,'hostPort':9090}],
             'env':[{'name':'A','value':'1'},{'name':'B','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}},
                    {'name':'C','valueFrom':{'configMapKeyRef':{'name':'cm','key':'k','optional':true}}},
                    {'name':'D','valueFrom':{'secretKeyRef':{'name':'s','key':'k'}}},
                    {'name':'E','valueFrom':{'resourceFieldRef':{'resource':'limits.memory','divisor':'1Mi'}}}],
             'envFrom':[{'prefix':'P_','configMapRef':{'name':'cm'}},{'secretRef':{'name':'s','optional':true}}],
             'resources':{'requests':{'cpu':'100m','memory':'64Mi','ephemeral-storage':'1Gi'},
                          'limits':{'cpu':'1','memory':'128Mi'}},
             'volumeMounts':[{'name':'data','mountPath':'/data','subPath':'sub'},{'name':'cfg','mountPath':'/cfg','readOnly':true},
                             {'name':'mem','mountPath':'/mem','subPathExpr':'$(A)'}],
             'livenessProbe':{'httpGet':{'path':'/healthz','port':'http','httpHeaders':[{'name':'X','value':'y'}]},
                              'initialDelaySeconds':1,'periodSeconds':5,'timeoutSeconds':1,'failureThreshold':3},
             'readinessProbe':{'tcpSocket':{'port':8080},'periodSeconds':2},
             'startupProbe':{'exec':{'command':['true']},'failureThreshold':30},
             'lifecycle':{'postStart':{'exec':{'command':['true']}},'preStop':{'sleep':{'seconds':1}}},
             'securityContext':{'runAsUser':1000,'runAsGroup':1000,'runAsNonRoot':true,'readOnlyRootFilesystem':false,
                                'allowPrivilegeEscalation':false,'capabilities':{'add':['NET_ADMIN'],'drop':['ALL']}},
             'terminationMessagePath':'/dev/termination-log','terminationMessagePolicy':'File','imagePullPolicy':'IfNotPresent'}
            """;

    private static final String POD_SPEC = """
            {'restartPolicy':'Always','terminationGracePeriodSeconds':5,'activeDeadlineSeconds':600,
             'dnsPolicy':'ClusterFirst','nodeSelector':{'disk':'ssd'},'serviceAccountName':'default',
             'hostname':'h','subdomain':'sub','priority':0,
             'securityContext':{'runAsUser':1000,'fsGroup':2000,'supplementalGroups':[3000],
                                'sysctls':[{'name':'net.ipv4.ping_group_range','value':'0 1'}]},
             'imagePullSecrets':[{'name':'reg'}],
             'tolerations':[{'key':'k','operator':'Equal','value':'v','effect':'NoSchedule'},
                            {'operator':'Exists','effect':'NoExecute','tolerationSeconds':30}],
             'readinessGates':[{'conditionType':'example.com/ready'}],
             'hostAliases':[{'ip':'10.0.0.1','hostnames':['a.local']}],
             'dnsConfig':{'nameservers':['1.1.1.1'],'searches':['svc.local'],'options':[{'name':'ndots','value':'2'}]},
             'volumes':[{'name':'data','emptyDir':{'sizeLimit':'1Gi'}},{'name':'mem','emptyDir':{'medium':'Memory'}},
                        {'name':'cfg','configMap':{'name':'cm','defaultMode':420,'items':[{'key':'k','path':'dir/k','mode':256}]}},
                        {'name':'sec','secret':{'secretName':'s','optional':true,'items':[{'key':'k','path':'k'}]}},
                        {'name':'host','hostPath':{'path':'/var/tmp','type':'DirectoryOrCreate'}},
                        {'name':'dapi','downwardAPI':{'items':[{'path':'labels','fieldRef':{'fieldPath':'metadata.labels'}},
                                 {'path':'cpu','resourceFieldRef':{'containerName':'main','resource':'limits.cpu'}}]}},
                        {'name':'proj','projected':{'defaultMode':292,'sources':[{'configMap':{'name':'cm'}},
                                 {'secret':{'name':'s','items':[{'key':'k','path':'p/k'}]}},
                                 {'downwardAPI':{'items':[{'path':'name','fieldRef':{'fieldPath':'metadata.name'}}]}},
                                 {'serviceAccountToken':{'path':'token','expirationSeconds':3600}}]}},
                        {'name':'pvc','persistentVolumeClaim':{'claimName':'claim'}}],
             'initContainers':[{'name':'init','image':'busybox','command':['true']},
                               {'name':'side','image':'busybox','restartPolicy':'Always','command':['sleep','9']}],
             'containers':[CONTAINER]}
            """.replace("CONTAINER", CONTAINER);

    private static final List<String> SEEDS = List.of(
            "pods", """
            {'apiVersion':'v1','kind':'Pod','metadata':{'labels':{'app':'web'},'annotations':{'a.example.com/x':'y'},
             'finalizers':['example.com/f'],
             'ownerReferences':[{'apiVersion':'v1','kind':'ConfigMap','name':'owner','uid':'6a1f0f4e-0c4a-4bb6-9d5b-4b1a1b1b1b1b'}]},
             'spec':POD_SPEC}
            """.replace("POD_SPEC", POD_SPEC),
            "batch/jobs", """
            {'apiVersion':'batch/v1','kind':'Job','metadata':{'labels':{'app':'batch'}},
             'spec':{'parallelism':2,'completions':3,'backoffLimit':4,'activeDeadlineSeconds':100,'ttlSecondsAfterFinished':60,
                     'completionMode':'Indexed',
                     'template':{'metadata':{'labels':{'app':'batch'}},'spec':{'restartPolicy':'Never',
                        'containers':[{'name':'work','image':'busybox','command':['true'],
                                       'resources':{'limits':{'cpu':'500m'}}}]}}}}
            """,
            "services", """
            {'apiVersion':'v1','kind':'Service','metadata':{'labels':{'app':'web'}},
             'spec':{'selector':{'app':'web'},'type':'ClusterIP','sessionAffinity':'None',
                     'ports':[{'name':'http','port':80,'targetPort':'http','protocol':'TCP'},
                              {'name':'metrics','port':9090,'targetPort':9090}]}}
            """,
            "services", """
            {'apiVersion':'v1','kind':'Service','spec':{'type':'ExternalName','externalName':'example.com'}}
            """,
            "endpoints", """
            {'apiVersion':'v1','kind':'Endpoints','subsets':[{'addresses':[{'ip':'10.1.0.5','targetRef':{'kind':'Pod','name':'p'}}],
             'notReadyAddresses':[{'ip':'10.1.0.6'}],'ports':[{'name':'http','port':80,'protocol':'TCP'}]}]}
            """,
            "discovery.k8s.io/endpointslices", """
            {'apiVersion':'discovery.k8s.io/v1','kind':'EndpointSlice','metadata':{'labels':{'kubernetes.io/service-name':'web'}},
             'addressType':'IPv4','endpoints':[{'addresses':['10.1.0.5'],'conditions':{'ready':true,'serving':true},
             'nodeName':'node-1','targetRef':{'kind':'Pod','name':'p'}}],'ports':[{'name':'http','port':80,'protocol':'TCP'}]}
            """,
            "configmaps", """
            {'apiVersion':'v1','kind':'ConfigMap','data':{'k':'v','file.txt':'hello'},'binaryData':{'bin':'AAEC'}}
            """,
            "secrets", """
            {'apiVersion':'v1','kind':'Secret','type':'Opaque','data':{'k':'dmFsdWU='},'stringData':{'s':'plain'}}
            """,
            "secrets", """
            {'apiVersion':'v1','kind':'Secret','type':'kubernetes.io/basic-auth','data':{'username':'dQ==','password':'cA=='}}
            """,
            "serviceaccounts", """
            {'apiVersion':'v1','kind':'ServiceAccount','secrets':[{'name':'s'}],'imagePullSecrets':[{'name':'reg'}],
             'automountServiceAccountToken':false}
            """,
            "events", """
            {'apiVersion':'v1','kind':'Event','involvedObject':{'kind':'Pod','namespace':'default','name':'p','uid':'u'},
             'reason':'Started','message':'Started container','type':'Normal','count':2,
             'firstTimestamp':'2026-01-01T00:00:00Z','lastTimestamp':'2026-01-01T00:01:00Z','source':{'component':'kubelet'}}
            """,
            "events.k8s.io/events", """
            {'apiVersion':'events.k8s.io/v1','kind':'Event','eventTime':'2026-01-01T00:00:00.000000Z','reportingController':'example.com/c',
             'reportingInstance':'i','action':'Act','reason':'Why','type':'Warning','note':'n',
             'regarding':{'kind':'Pod','namespace':'default','name':'p'}}
            """,
            "nodes", """
            {'apiVersion':'v1','kind':'Node','metadata':{'labels':{'kubernetes.io/hostname':'n'}},
             'spec':{'podCIDR':'10.9.0.0/24','taints':[{'key':'k','value':'v','effect':'NoSchedule'}]},
             'status':{'capacity':{'cpu':'2','memory':'2Gi','pods':'110'},'allocatable':{'cpu':'2','memory':'2Gi','pods':'110'},
                       'conditions':[{'type':'Ready','status':'True','reason':'KubeletReady'}],
                       'addresses':[{'type':'InternalIP','address':'10.0.0.2'}]}}
            """,
            "coordination.k8s.io/leases", """
            {'apiVersion':'coordination.k8s.io/v1','kind':'Lease','spec':{'holderIdentity':'me','leaseDurationSeconds':40,
             'renewTime':'2026-01-01T00:00:00.000000Z','leaseTransitions':1}}
            """,
            "namespaces", """
            {'apiVersion':'v1','kind':'Namespace','metadata':{'labels':{'team':'a'}},'spec':{'finalizers':['kubernetes']}}
            """);

    private FuzzCorpus() {}

    /** Every seed, a fresh copy each call. */
    public static List<Seed> seeds() {
        List<Seed> out = new java.util.ArrayList<>();
        for (int i = 0; i < SEEDS.size(); i += 2) {
            out.add(new Seed(type(SEEDS.get(i)), parse(SEEDS.get(i + 1))));
        }
        return out;
    }

    private static ResourceType type(String name) {
        String group = name.contains("/") ? name.substring(0, name.indexOf('/')) : "";
        String plural = name.substring(name.indexOf('/') + 1);
        return ResourceTypes.ALL_TYPES.stream().filter(t -> t.group().equals(group) && t.plural().equals(plural))
                .findFirst().orElseThrow();
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
