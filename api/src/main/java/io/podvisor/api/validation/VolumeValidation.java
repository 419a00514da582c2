package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.podvisor.api.errors.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Upstream's rules for the content of the volume sources the node serves, past the type itself:
 * item paths relative and free of {@code ..} ({@code validateLocalNonReservedPath}), file modes
 * within 0..0777, host path types, downward API field and resource selectors, projected sources
 * (one type each, no duplicate paths, token lifetimes), a non-negative {@code emptyDir} size.
 */
final class VolumeValidation {

    /** Upstream's {@code fileModeErrorMsg}. */
    static final String FILE_MODE = "must be a number between 0 and 0777 (octal), both inclusive";
    static final List<String> HOST_PATH_TYPES = List.of("", "BlockDevice", "CharDevice", "Directory",
            "DirectoryOrCreate", "File", "FileOrCreate", "Socket");
    private static final List<String> VOLUME_FIELD_PATHS = List.of("metadata.annotations", "metadata.labels",
            "metadata.name", "metadata.namespace", "metadata.uid");
    private static final String DUPLICATE_PATHS = "conflicting duplicate paths";

    private VolumeValidation() {}

    /** The checks of {@code v}'s source (the one set, as {@code PodValidation} made sure). */
    static void source(List<FieldError> errs, Volume v, String path) {
        if (v.getHostPath() != null) {
            String at = path + ".hostPath";
            String p = v.getHostPath().getPath();
            if (!Errs.required(errs, at + ".path", p)) {
                noBacksteps(errs, p, at + ".path");
            }
            String type = v.getHostPath().getType();
            if (type != null && !HOST_PATH_TYPES.contains(type)) {
                errs.add(FieldError.notSupported(at + ".type", Errs.q(type), HOST_PATH_TYPES));
            }
        } else if (v.getSecret() != null) {
            Errs.required(errs, path + ".secret.secretName", v.getSecret().getSecretName());
            mode(errs, v.getSecret().getDefaultMode(), path + ".secret.defaultMode");
            items(errs, v.getSecret().getItems(), path + ".secret.items");
        } else if (v.getConfigMap() != null) {
            Errs.required(errs, path + ".configMap.name", v.getConfigMap().getName());
            mode(errs, v.getConfigMap().getDefaultMode(), path + ".configMap.defaultMode");
            items(errs, v.getConfigMap().getItems(), path + ".configMap.items");
        } else if (v.getDownwardAPI() != null) {
            mode(errs, v.getDownwardAPI().getDefaultMode(), path + ".downwardAPI.defaultMode");
            for (DownwardAPIVolumeFile f : nonNull(v.getDownwardAPI().getItems())) {
                downwardFile(errs, f, path + ".downwardAPI");
            }
        } else if (v.getProjected() != null) {
            projected(errs, v.getProjected(), path + ".projected");
        } else if (v.getPersistentVolumeClaim() != null) {
            Errs.required(errs, path + ".persistentVolumeClaim.claimName", v.getPersistentVolumeClaim().getClaimName());
        } else if (v.getEmptyDir() != null && v.getEmptyDir().getSizeLimit() != null) {
            Quantities.value(v.getEmptyDir().getSizeLimit()).filter(q -> q.signum() < 0).ifPresent(q -> errs.add(
                    FieldError.forbidden(path + ".emptyDir.sizeLimit", "SizeLimit field must be a valid resource quantity")));
        }
    }

    /** {@code validateKeyToPath} for each item. */
    private static void items(List<FieldError> errs, List<KeyToPath> items, String path) {
        List<KeyToPath> list = nonNull(items);
        for (int i = 0; i < list.size(); i++) {
            KeyToPath kp = list.get(i);
            String at = path + "[" + i + "]";
            Errs.required(errs, at + ".key", kp.getKey());
            String p = kp.getPath() == null ? "" : kp.getPath();
            Errs.required(errs, at + ".path", p);
            localNonReservedPath(errs, p, at + ".path");
            mode(errs, kp.getMode(), at + ".mode");
        }
    }

    private static void downwardFile(List<FieldError> errs, DownwardAPIVolumeFile f, String path) {
        String p = f.getPath() == null ? "" : f.getPath();
        Errs.required(errs, path + ".path", p);
        localNonReservedPath(errs, p, path + ".path");
        if (f.getFieldRef() != null) {
            EnvValidation.fieldSelector(errs, f.getFieldRef(), VOLUME_FIELD_PATHS, path + ".fieldRef");
            if (f.getResourceFieldRef() != null) {
                errs.add(FieldError.invalid(path, Errs.q("resource"), "fieldRef and resourceFieldRef can not be specified simultaneously"));
            }
        } else if (f.getResourceFieldRef() != null) {
            EnvValidation.resourceSelector(errs, f.getResourceFieldRef(), path + ".resourceFieldRef", true);
        } else {
            errs.add(FieldError.required(path, "one of fieldRef and resourceFieldRef is required"));
        }
        mode(errs, f.getMode(), path + ".mode");
    }

    private static void projected(List<FieldError> errs, ProjectedVolumeSource p, String path) {
        mode(errs, p.getDefaultMode(), path + ".defaultMode");
        Set<String> paths = new HashSet<>();
        List<VolumeProjection> sources = nonNull(p.getSources());
        for (int i = 0; i < sources.size(); i++) {
            VolumeProjection s = sources.get(i);
            String at = path + ".sources[" + i + "]";
            int count = 0;
            if (s.getSecret() != null) {
                count++;
                SecretProjection sp = s.getSecret();
                keyProjection(errs, sp.getName(), sp.getItems(), at + ".secret", paths, path);
            }
            if (s.getConfigMap() != null) {
                count++;
                ConfigMapProjection cp = s.getConfigMap();
                keyProjection(errs, cp.getName(), cp.getItems(), at + ".configMap", paths, path);
            }
            if (s.getDownwardAPI() != null) {
                count++;
                for (DownwardAPIVolumeFile f : nonNull(s.getDownwardAPI().getItems())) {
                    downwardFile(errs, f, at + ".downwardAPI");
                    if (f.getPath() != null && !f.getPath().isEmpty() && !paths.add(f.getPath())) {
                        errs.add(FieldError.invalid(path, Errs.q(f.getPath()), DUPLICATE_PATHS));
                    }
                }
            }
            if (s.getServiceAccountToken() != null) {
                count++;
                token(errs, s.getServiceAccountToken(), at + ".serviceAccountToken", path);
            }
            if (count > 1) {
                errs.add(FieldError.forbidden(at, "may not specify more than 1 volume type per source"));
            }
        }
    }

    /** A secret or config map projection: its name, items, and no path another source already has. */
    private static void keyProjection(List<FieldError> errs, String name, List<KeyToPath> items, String at,
            Set<String> paths, String path) {
        Errs.required(errs, at + ".name", name);
        items(errs, items, at + ".items");
        for (KeyToPath kp : nonNull(items)) {
            if (kp.getPath() != null && !kp.getPath().isEmpty() && !paths.add(kp.getPath())) {
                errs.add(FieldError.invalid(path, Errs.q(name), DUPLICATE_PATHS));
            }
        }
    }

    /** An unset lifetime is upstream's default, an hour. */
    private static void token(List<FieldError> errs, ServiceAccountTokenProjection t, String at, String projected) {
        long seconds = t.getExpirationSeconds() == null ? 3600 : t.getExpirationSeconds();
        if (seconds < 600) {
            errs.add(FieldError.invalid(at + ".expirationSeconds", String.valueOf(seconds), "may not specify a duration less than 10 minutes"));
        }
        if (seconds > (1L << 32)) {
            errs.add(FieldError.invalid(at + ".expirationSeconds", String.valueOf(seconds), "may not specify a duration larger than 2^32 seconds"));
        }
        if (t.getPath() == null || t.getPath().isEmpty()) {
            errs.add(FieldError.required(projected + ".path", null));
        }
    }

    static void mode(List<FieldError> errs, Integer mode, String path) {
        if (mode != null && (mode < 0 || mode > 0777)) {
            errs.add(FieldError.invalid(path, String.valueOf(mode), FILE_MODE));
        }
    }

    /** Upstream's {@code validateLocalDescendingPath}: relative, without a {@code ..} element. */
    static void localDescendingPath(List<FieldError> errs, String p, String path) {
        if (p.startsWith("/")) {
            errs.add(FieldError.invalid(path, Errs.q(p), "must be a relative path"));
        }
        noBacksteps(errs, p, path);
    }

    /** Upstream's {@code ValidateLocalNonReservedPath}: also no leading {@code ..} (as in {@code ..data}). */
    static void localNonReservedPath(List<FieldError> errs, String p, String path) {
        localDescendingPath(errs, p, path);
        if (p.startsWith("..") && !p.startsWith("../")) {
            errs.add(FieldError.invalid(path, Errs.q(p), "must not start with '..'"));
        }
    }

    private static void noBacksteps(List<FieldError> errs, String p, String path) {
        for (String part : p.split("/", -1)) {
            if (part.equals("..")) {
                errs.add(FieldError.invalid(path, Errs.q(p), "must not contain '..'"));
                return;
            }
        }
    }

    static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
