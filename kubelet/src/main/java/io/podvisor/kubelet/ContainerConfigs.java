package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.podvisor.kubelet.env.ConfigException;
import io.podvisor.kubelet.env.EnvResolver;
import io.podvisor.kubelet.env.Expansion;
import io.podvisor.kubelet.env.FieldRefs;
import io.podvisor.kubelet.volume.ContainerMounts;
import io.podvisor.kubelet.volume.PodVolumes;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.Mount;
import io.podvisor.runtime.SecurityConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the runtime's {@link ContainerConfig} for one instance of a pod's container: the resolved
 * environment, {@code $(VAR)}-expanded command and args, volume mounts plus the termination
 * message file, resources and security settings, and the labels the kubelet finds it by.
 */
final class ContainerConfigs {

    /**
     * A built config.
     *
     * @param warnings messages of {@code InvalidEnvironmentVariableNames} events for the pod
     */
    record Built(ContainerConfig config, List<String> warnings) {}

    private final KubeletContext ctx;

    ContainerConfigs(KubeletContext ctx) {
        this.ctx = ctx;
    }

    /** The downward API's view of {@code pod} with the pod IP {@code podIp} (may be null). */
    FieldRefs fieldRefs(Pod pod, String podIp) {
        return new FieldRefs(pod, ctx.config().nodeIp(), podIp == null ? List.of() : List.of(podIp), ctx.allocatable());
    }

    /**
     * Builds the config of instance {@code attempt} of {@code c}.
     *
     * @param imageRef the image's reference as the image manager found it (may be empty)
     * @throws ConfigException when it cannot be built (CreateContainerConfigError)
     */
    Built build(Pod pod, PodContainer c, int attempt, String podIp, PodVolumes volumes, String imageRef)
            throws ConfigException {
        Container spec = c.spec();
        var meta = pod.getMetadata();
        EnvResolver.Result env = new EnvResolver(ctx.cluster(), fieldRefs(pod, podIp)).resolve(spec);
        SecurityConfig security = security(pod, spec);
        List<Mount> mounts = new ArrayList<>(ContainerMounts.of(spec, volumes, env.env()));
        Map<String, String> annotations = new HashMap<>(Map.of(Labels.CONTAINER_HASH, c.hash(),
                Labels.RESTART_COUNT, Integer.toString(attempt), Labels.CONTAINER_KIND, c.kind().name()));
        if (imageRef != null && !imageRef.isEmpty()) {
            annotations.put(Labels.IMAGE_REF, imageRef);
        }
        terminationMessage(meta.getUid(), spec, attempt, mounts, annotations);
        Map<String, String> labels = Map.of(Labels.POD_UID, meta.getUid(), Labels.POD_NAME, meta.getName(),
                Labels.POD_NAMESPACE, meta.getNamespace(), Labels.CONTAINER_NAME, c.name());
        Path log = LogPaths.containerLog(ctx.config(), meta, c.name(), attempt);
        Function<String, String> vars = Expansion.mappingFor(env.env());
        ContainerConfig config = new ContainerConfig(c.name(), attempt, spec.getImage(),
                expand(spec.getCommand(), vars), expand(spec.getArgs(), vars), env.env(),
                spec.getWorkingDir() == null ? "" : spec.getWorkingDir(), log == null ? "" : log.toString(),
                ResourceConfigs.container(spec), labels, annotations, mounts, security)
                .withStdio(new ContainerConfig.Stdio(Boolean.TRUE.equals(spec.getStdin()),
                        Boolean.TRUE.equals(spec.getStdinOnce()), Boolean.TRUE.equals(spec.getTty())));
        return new Built(config, env.warnings());
    }

    private void terminationMessage(String uid, Container spec, int attempt, List<Mount> mounts,
                                    Map<String, String> annotations) throws ConfigException {
        String path = spec.getTerminationMessagePath();
        annotations.put(Labels.TERMINATION_MESSAGE_POLICY,
                spec.getTerminationMessagePolicy() == null ? "File" : spec.getTerminationMessagePolicy());
        if (path == null || path.isEmpty()) {
            return;
        }
        annotations.put(Labels.TERMINATION_MESSAGE_PATH, path);
        try {
            Path file = ctx.messages().create(uid, spec.getName(), attempt);
            if (file != null) {
                mounts.add(new Mount(file.toString(), path, false));
                annotations.put(Labels.TERMINATION_MESSAGE_FILE, file.toString());
            }
        } catch (IOException e) {
            throw new ConfigException("failed to create termination message file: " + e.getMessage());
        }
    }

    private static List<String> expand(List<String> in, Function<String, String> vars) {
        return in == null ? List.of() : in.stream().map(s -> Expansion.expand(s, vars)).toList();
    }

    /** The container's securityContext over the pod's (runAsUser, runAsGroup, runAsNonRoot). */
    static SecurityConfig security(Pod pod, Container c) throws ConfigException {
        PodSecurityContext psc = pod.getSpec().getSecurityContext();
        SecurityContext sc = c.getSecurityContext();
        Long user = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : psc == null ? null : psc.getRunAsUser();
        Long group = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup() : psc == null ? null : psc.getRunAsGroup();
        Boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot()
                : psc == null ? null : psc.getRunAsNonRoot();
        if (Boolean.TRUE.equals(nonRoot) && user != null && user == 0) {
            throw new ConfigException("container's runAsUser breaks non-root policy (pod: \"" + Messages.podDesc(pod)
                    + "\", container: " + c.getName() + ")");
        }
        if (sc == null && user == null && group == null) {
            return SecurityConfig.NONE;
        }
        var caps = sc == null ? null : sc.getCapabilities();
        return new SecurityConfig(user, group, sc != null && Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()),
                sc != null && Boolean.TRUE.equals(sc.getPrivileged()),
                caps == null || caps.getAdd() == null ? List.of() : caps.getAdd(),
                caps == null || caps.getDrop() == null ? List.of() : caps.getDrop());
    }
}
