package io.podvisor.kubelet.volume;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.podvisor.kubelet.env.ConfigException;
import io.podvisor.kubelet.env.Expansion;
import io.podvisor.runtime.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A container's {@code volumeMounts} as runtime bind mounts: the volume's host path (plus
 * {@code subPath}, created as a directory when missing) at {@code mountPath}; read-only when the
 * mount asks for it or the volume is API data. A {@code subPath} must stay inside its volume;
 * violations fail with upstream's messages.
 */
public final class ContainerMounts {

    private ContainerMounts() {}

    /**
     * The mounts of {@code c}; a mount of a volume without a host path (see {@link PodVolumes}) is
     * left out.
     *
     * @param env the container's resolved environment, for {@code subPathExpr}
     */
    public static List<Mount> of(Container c, PodVolumes volumes, Map<String, String> env) throws ConfigException {
        List<Mount> out = new ArrayList<>();
        if (c.getVolumeMounts() == null) {
            return out;
        }
        for (VolumeMount vm : c.getVolumeMounts()) {
            PodVolumes.Volume vol = volumes.volumes().get(vm.getName());
            if (vol == null) {
                continue;
            }
            String subPath = subPath(vm, env);
            Path host = subPath.isEmpty() ? vol.hostPath() : subPathOf(vol.hostPath(), subPath, vm, c);
            out.add(new Mount(host.toString(), vm.getMountPath(), Boolean.TRUE.equals(vm.getReadOnly()) || vol.readOnly()));
        }
        return out;
    }

    private static String subPath(VolumeMount vm, Map<String, String> env) throws ConfigException {
        String expr = vm.getSubPathExpr();
        if (expr == null || expr.isEmpty()) {
            return vm.getSubPath() == null ? "" : vm.getSubPath();
        }
        TreeSet<String> missing = new TreeSet<>();
        String expanded = Expansion.expand(expr, name -> {
            String v = env.get(name);
            if (v == null || v.isEmpty()) {
                missing.add(name);
                return "";
            }
            return v;
        });
        if (!missing.isEmpty()) {
            throw new ConfigException("missing value for " + String.join(", ", missing));
        }
        return expanded;
    }

    private static Path subPathOf(Path volume, String subPath, VolumeMount vm, Container c) throws ConfigException {
        if (subPath.startsWith("/")) {
            throw new ConfigException("error SubPath `" + subPath + "` must not be an absolute path");
        }
        for (String part : subPath.split("/")) {
            if (part.equals("..")) {
                throw new ConfigException("unable to provision SubPath `" + subPath + "`: must not contain '..'");
            }
        }
        Path host = volume.resolve(subPath);
        try {
            Path root = volume.toRealPath();
            Path existing = host;
            while (!Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (!existing.toRealPath().startsWith(root)) {
                throw new IOException("escapes its volume");
            }
            if (!existing.equals(host)) {
                Files.createDirectories(host);
            }
            if (!host.toRealPath().startsWith(root)) {
                throw new IOException("escapes its volume");
            }
        } catch (IOException e) {
            throw new ConfigException("failed to prepare subPath for volumeMount \"" + vm.getName()
                    + "\" of container \"" + c.getName() + "\"");
        }
        return host;
    }
}
