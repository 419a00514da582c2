package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.podvisor.api.errors.FieldError;
import java.util.List;

/**
 * Pod and container security contexts as upstream validates them: user and group ids within
 * 0..2147483647 ({@code IsValidUserID}, {@code IsValidGroupID}), and no privilege escalation
 * turned off for a privileged or {@code CAP_SYS_ADMIN} container.
 */
final class SecurityValidation {

    private static final long MAX_ID = Integer.MAX_VALUE;

    private SecurityValidation() {}

    static void pod(List<FieldError> errs, PodSecurityContext sc, String path) {
        if (sc == null) {
            return;
        }
        id(errs, sc.getRunAsUser(), path + ".runAsUser");
        id(errs, sc.getRunAsGroup(), path + ".runAsGroup");
        id(errs, sc.getFsGroup(), path + ".fsGroup");
        List<Long> groups = VolumeValidation.nonNull(sc.getSupplementalGroups());
        for (int i = 0; i < groups.size(); i++) {
            id(errs, groups.get(i), path + ".supplementalGroups[" + i + "]");
        }
    }

    static void container(List<FieldError> errs, SecurityContext sc, String path) {
        if (sc == null) {
            return;
        }
        id(errs, sc.getRunAsUser(), path + ".runAsUser");
        id(errs, sc.getRunAsGroup(), path + ".runAsGroup");
        if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            if (Boolean.TRUE.equals(sc.getPrivileged())) {
                errs.add(FieldError.invalid(path, "\"\"", "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
            }
            Capabilities caps = sc.getCapabilities();
            if (caps != null && VolumeValidation.nonNull(caps.getAdd()).contains("CAP_SYS_ADMIN")) {
                errs.add(FieldError.invalid(path, "\"\"", "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"));
            }
        }
    }

    private static void id(List<FieldError> errs, Long id, String path) {
        if (id != null && (id < 0 || id > MAX_ID)) {
            errs.add(FieldError.invalid(path, String.valueOf(id), Names.inclusiveRange(0, MAX_ID)));
        }
    }
}
