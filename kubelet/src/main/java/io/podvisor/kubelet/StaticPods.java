package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.Yaml;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.kubelet.staticpod.StaticPodManifest;
import io.podvisor.kubelet.staticpod.StaticPodSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs the static pods of the manifest directory and keeps their mirror pods in the API.
 *
 * <pre>
 * event                              what happens
 * file added                         the pod runs (after an older pod of the same name finished)
 * file removed / edited (new UID)    the old pod is stopped gracefully; once it finished, its
 *                                    mirror is deleted and a waiting new version starts
 * mirror missing / deleted via API   a mirror is (re)created; the static pod keeps running
 * mirror being deleted or outdated   it is removed at once (grace 0) and recreated
 * mirror changed via API             ignored: the file is the truth; only the status is shown
 * </pre>
 *
 * The kubelet's status of a static pod is sent to its mirror (whose UID differs).
 *
 * <p>Thread-safety: all methods synchronize on this object.
 */
final class StaticPods implements StaticPodSource.Listener {

    private static final System.Logger LOG = System.getLogger(StaticPods.class.getName());

    private final Kubelet kubelet;
    private final ObjectClient objects;
    private final String nodeName;
    /** The UID of this node's Node as registered, or null before that. */
    private final Supplier<String> nodeUid;
    /** By full name: the static pod that runs (or is being stopped). */
    private final Map<String, Pod> active = new LinkedHashMap<>();
    /** By full name: a new version waiting for the old one to finish. */
    private final Map<String, Pod> waiting = new HashMap<>();
    private final Set<String> stopping = new HashSet<>();
    /** By full name: the mirror pod as last seen or created. */
    private final Map<String, Pod> mirrors = new HashMap<>();
    /** UIDs of mirrors this kubelet deleted: late events about them are ignored. */
    private final Set<String> deletedMirrors = new HashSet<>();

    StaticPods(Kubelet kubelet, ObjectClient objects, String nodeName, Supplier<String> nodeUid) {
        this.kubelet = kubelet;
        this.objects = objects;
        this.nodeName = nodeName;
        this.nodeUid = nodeUid;
    }

    @Override
    public synchronized void added(Pod pod) {
        String key = fullName(pod);
        if (active.containsKey(key)) {
            waiting.put(key, pod);
            return;
        }
        active.put(key, pod);
        kubelet.runPod(Yaml.copy(pod));
        ensureMirror(key);
    }

    @Override
    public synchronized void removed(Pod pod) {
        String key = fullName(pod);
        Pod next = waiting.get(key);
        if (next != null && uid(next).equals(uid(pod))) {
            waiting.remove(key);
            return;
        }
        Pod current = active.get(key);
        if (current != null && uid(current).equals(uid(pod)) && stopping.add(uid(pod))) {
            kubelet.stopStaticPod(uid(pod));
        }
    }

    @Override
    public synchronized void scanned() {
        List.copyOf(active.keySet()).forEach(this::ensureMirror);
    }

    /** A static pod finished stopping: its mirror goes, its worker is dropped, a waiting version starts. */
    synchronized void terminated(Pod pod) {
        String key = fullName(pod);
        Pod current = active.get(key);
        if (current != null && uid(current).equals(uid(pod))) {
            active.remove(key);
            stopping.remove(uid(pod));
            deleteMirror(key);
        }
        kubelet.dropWorker(uid(pod));
        Pod next = waiting.remove(key);
        if (next != null) {
            added(next);
        }
    }

    /** A mirror pod was created or changed in the API. */
    synchronized void onMirrorUpsert(Pod mirror) {
        String key = fullName(mirror);
        if (deletedMirrors.contains(uid(mirror))) {
            return;
        }
        mirrors.put(key, mirror);
        Pod st = active.get(key);
        if (st == null) {
            if (!waiting.containsKey(key)) {
                deleteMirror(key); // orphaned: no static pod of that name
            }
            return;
        }
        boolean outdated = !stopping.contains(uid(st)) && !StaticPodManifest.hashOf(st).equals(StaticPodManifest.hashOf(mirror));
        if (mirror.getMetadata().getDeletionTimestamp() != null || outdated) {
            deleteMirror(key);
            ensureMirror(key);
        }
        kubelet.requestSync(uid(st));
    }

    /** A mirror pod was removed from the API: it is recreated while its static pod runs. */
    synchronized void onMirrorDelete(Pod mirror) {
        String key = fullName(mirror);
        deletedMirrors.remove(uid(mirror));
        Pod known = mirrors.get(key);
        if (known != null && uid(known).equals(uid(mirror))) {
            mirrors.remove(key);
        }
        ensureMirror(key);
    }

    /** The UID of the API object showing the static pod's status, or null if there is none yet. */
    synchronized String apiUid(Pod staticPod) {
        Pod m = mirrors.get(fullName(staticPod));
        boolean usable = m != null && m.getMetadata().getDeletionTimestamp() == null
                && StaticPodManifest.hashOf(staticPod).equals(StaticPodManifest.hashOf(m));
        return usable ? uid(m) : null;
    }

    /** The static pod a mirror pod shows, or null. */
    synchronized Pod staticPodOf(Pod mirror) {
        return active.get(fullName(mirror));
    }

    private void ensureMirror(String key) {
        Pod st = active.get(key);
        if (objects == null || st == null || stopping.contains(uid(st)) || mirrors.containsKey(key)) {
            return;
        }
        String owner = nodeUid.get();
        if (owner == null) {
            return; // retried after the next scan, once the node is registered
        }
        try {
            mirrors.put(key, objects.create(mirrorOf(st, nodeName, owner)));
            kubelet.requestSync(uid(st));
        } catch (ApiException.AlreadyExists e) {
            // a mirror from before a restart comes through the pod source (onMirrorUpsert); another pod stays
            LOG.log(System.Logger.Level.DEBUG, "Mirror pod " + key + " exists already: " + e.getMessage());
        } catch (ApiException e) {
            LOG.log(System.Logger.Level.WARNING, "Failed creating a mirror pod " + key + ": " + e.getMessage());
        }
    }

    private void deleteMirror(String key) {
        Pod m = mirrors.remove(key);
        if (objects == null || m == null) {
            return;
        }
        try {
            deletedMirrors.add(uid(m));
            objects.delete(Pod.class, m.getMetadata().getNamespace(), m.getMetadata().getName(), 0L);
        } catch (ApiException.NotFound e) {
            // already gone
        } catch (ApiException e) {
            LOG.log(System.Logger.Level.WARNING, "Failed deleting mirror pod " + key + ": " + e.getMessage());
        }
    }

    /** The mirror of a static pod: same name, labels, annotations and spec, owned by the Node. */
    private static Pod mirrorOf(Pod st, String nodeName, String nodeUid) {
        ObjectMeta src = st.getMetadata();
        Map<String, String> annotations = new LinkedHashMap<>(src.getAnnotations());
        annotations.put(StaticPodManifest.CONFIG_MIRROR, StaticPodManifest.hashOf(st));
        ObjectMeta meta = new ObjectMeta();
        meta.setName(src.getName());
        meta.setNamespace(src.getNamespace());
        meta.setLabels(src.getLabels() == null ? null : new LinkedHashMap<>(src.getLabels()));
        meta.setAnnotations(annotations);
        OwnerReference owner = new OwnerReference();
        owner.setApiVersion("v1");
        owner.setKind("Node");
        owner.setName(nodeName);
        owner.setUid(nodeUid);
        owner.setController(true);
        meta.setOwnerReferences(List.of(owner));
        Pod m = new Pod();
        m.setApiVersion("v1");
        m.setKind("Pod");
        m.setMetadata(meta);
        m.setSpec(Yaml.copy(st.getSpec()));
        return m;
    }

    private static String fullName(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    private static String uid(Pod p) {
        return p.getMetadata().getUid();
    }
}
