package io.podvisor.kubelet.volume;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.podvisor.kubelet.env.ConfigException;
import io.podvisor.kubelet.env.Expansion;
import io.podvisor.runtime.Mount;
import io.podvisor.core.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A container's {@code volumeMounts} as runtime bind mounts: the volume's host path (plus
 * {@code subPath}, created as a directory when missing) at {@code mountPath}; read-only when the
 * mount asks for it or the volume is API data. A {@code subPath} must stay inside its volume;
 * violations fail with upstream's messages. A {@code subPath} of an API-data volume is bound from a
 * copy taken when the container is created ({@code <pod>/volume-subpaths/<volume>/<container>/<index>},
 * as upstream binds the path it resolved then): it never shows later refreshes of the volume, as
 * upstream documents, until the container is created again.
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
        for (int i = 0; i < c.getVolumeMounts().size(); i++) {
            VolumeMount vm = c.getVolumeMounts().get(i);
            PodVolumes.Volume vol = volumes.volumes().get(vm.getName());
            if (vol == null) {
                continue;
            }
            String subPath = subPath(vm, env);
            Path host = subPath.isEmpty() ? vol.hostPath() : subPathOf(vol.hostPath(), subPath, vm, c);
            if (!subPath.isEmpty() && vol.readOnly() && volumes.subPaths() != null) {
                host = snapshot(host, volumes.subPaths().resolve(vm.getName()).resolve(c.getName()).resolve(Integer.toString(i)),
                        vm, c);
            }
            out.add(new Mount(host.toString(), vm.getMountPath(), Boolean.TRUE.equals(vm.getReadOnly()) || vol.readOnly()));
        }
        return out;
    }

    /** A copy of what {@code source} resolves to (a file or a tree) at {@code copy}, replacing an older one. */
    private static Path snapshot(Path source, Path copy, VolumeMount vm, Container c) throws ConfigException {
        try {
            Path real = source.toRealPath();
            FileTrees.delete(copy);
            Files.createDirectories(copy.getParent());
            try (Stream<Path> walk = Files.walk(real)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Files.copy(p, copy.resolve(real.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            return copy;
        } catch (IOException e) {
            throw prepareFailed(vm, c);
        }
    }

    private static ConfigException prepareFailed(VolumeMount vm, Container c) {
        return new ConfigException("failed to prepare subPath for volumeMount \"" + vm.getName()
                + "\" of container \"" + c.getName() + "\"");
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
            throw prepareFailed(vm, c);
        }
        return host;
    }
}
