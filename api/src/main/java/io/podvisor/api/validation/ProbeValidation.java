package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SleepAction;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.podvisor.api.errors.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Probes and lifecycle hooks: one handler, its fields, non-negative timings, per-kind thresholds. */
final class ProbeValidation {

    private ProbeValidation() {}

    /** The handler fields of a probe or hook; null members are unset. */
    private record Handler(ExecAction exec, HTTPGetAction httpGet, TCPSocketAction tcpSocket, GRPCAction grpc,
            SleepAction sleep) {}

    static List<FieldError> liveness(Probe p, Long grace, String path) {
        return withSuccessOne(p, grace, path);
    }

    static List<FieldError> startup(Probe p, Long grace, String path) {
        return withSuccessOne(p, grace, path);
    }

    static List<FieldError> readiness(Probe p, Long grace, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (p == null) {
            return errs;
        }
        errs.addAll(probe(p, grace, path));
        if (p.getTerminationGracePeriodSeconds() != null) {
            errs.add(FieldError.invalid(path + ".terminationGracePeriodSeconds",
                    String.valueOf(p.getTerminationGracePeriodSeconds()), "must not be set for readinessProbes"));
        }
        return errs;
    }

    private static List<FieldError> withSuccessOne(Probe p, Long grace, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (p == null) {
            return errs;
        }
        errs.addAll(probe(p, grace, path));
        int success = p.getSuccessThreshold() == null ? 0 : p.getSuccessThreshold();
        if (success != 1) {
            errs.add(FieldError.invalid(path + ".successThreshold", String.valueOf(success), "must be 1"));
        }
        return errs;
    }

    private static List<FieldError> probe(Probe p, Long grace, String path) {
        List<FieldError> errs = new ArrayList<>(handler(
                new Handler(p.getExec(), p.getHttpGet(), p.getTcpSocket(), p.getGrpc(), null), grace, path));
        Errs.nonNegative(errs, path + ".initialDelaySeconds", p.getInitialDelaySeconds());
        Errs.nonNegative(errs, path + ".timeoutSeconds", p.getTimeoutSeconds());
        Errs.nonNegative(errs, path + ".periodSeconds", p.getPeriodSeconds());
        Errs.nonNegative(errs, path + ".successThreshold", p.getSuccessThreshold());
        Errs.nonNegative(errs, path + ".failureThreshold", p.getFailureThreshold());
        Long probeGrace = p.getTerminationGracePeriodSeconds();
        if (probeGrace != null && probeGrace <= 0) {
            errs.add(FieldError.invalid(path + ".terminationGracePeriodSeconds", String.valueOf(probeGrace),
                    "must be greater than 0"));
        }
        return errs;
    }

    static List<FieldError> lifecycle(Lifecycle l, Long grace, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (l.getPostStart() != null) {
            errs.addAll(handler(of(l.getPostStart()), grace, path + ".postStart"));
        }
        if (l.getPreStop() != null) {
            errs.addAll(handler(of(l.getPreStop()), grace, path + ".preStop"));
        }
        return errs;
    }

    private static Handler of(LifecycleHandler h) {
        return new Handler(h.getExec(), h.getHttpGet(), h.getTcpSocket(), null, h.getSleep());
    }

    private static List<FieldError> handler(Handler h, Long grace, String path) {
        List<FieldError> errs = new ArrayList<>();
        int count = 0;
        count = one(errs, h.exec(), count, path + ".exec", () -> exec(h.exec(), path + ".exec"));
        count = one(errs, h.httpGet(), count, path + ".httpGet", () -> httpGet(h.httpGet(), path + ".httpGet"));
        count = one(errs, h.tcpSocket(), count, path + ".tcpSocket",
                () -> port(h.tcpSocket().getPort(), path + ".tcpSocket.port"));
        count = one(errs, h.grpc(), count, path + ".grpc", () -> grpc(h.grpc(), path + ".grpc"));
        count = one(errs, h.sleep(), count, path + ".sleep", () -> sleep(h.sleep(), grace, path + ".sleep"));
        if (count == 0) {
            errs.add(FieldError.required(path, "must specify a handler type"));
        }
        return errs;
    }

    private static int one(List<FieldError> errs, Object handler, int count, String path,
            java.util.function.Supplier<List<FieldError>> check) {
        if (handler == null) {
            return count;
        }
        if (count > 0) {
            errs.add(FieldError.forbidden(path, "may not specify more than 1 handler type"));
            return count;
        }
        errs.addAll(check.get());
        return count + 1;
    }

    private static List<FieldError> exec(ExecAction e, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (e.getCommand() == null || e.getCommand().isEmpty()) {
            errs.add(FieldError.required(path + ".command", null));
        }
        return errs;
    }

    private static List<FieldError> httpGet(HTTPGetAction h, String path) {
        List<FieldError> errs = new ArrayList<>();
        Errs.required(errs, path + ".path", h.getPath());
        errs.addAll(port(h.getPort(), path + ".port"));
        String scheme = h.getScheme() == null ? "" : h.getScheme();
        if (!scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
            errs.add(FieldError.notSupported(path + ".scheme", Errs.q(scheme), List.of("HTTP", "HTTPS")));
        }
        return errs;
    }

    private static List<FieldError> grpc(GRPCAction g, String path) {
        List<FieldError> errs = new ArrayList<>();
        int port = g.getPort() == null ? 0 : g.getPort();
        Errs.each(errs, path + ".port", String.valueOf(port), Names.portNumber(port));
        return errs;
    }

    private static List<FieldError> sleep(SleepAction s, Long grace, String path) {
        List<FieldError> errs = new ArrayList<>();
        long seconds = s.getSeconds() == null ? 0 : s.getSeconds();
        if (grace != null && (seconds <= 0 || seconds > grace)) {
            errs.add(FieldError.invalid(path, String.valueOf(seconds),
                    "must be greater than 0 and less than terminationGracePeriodSeconds (" + grace + ")"));
        }
        return errs;
    }

    /** A port given as a number (1–65535) or a port name (IANA rules). */
    static List<FieldError> port(IntOrString port, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (port == null || (port.getIntVal() == null && port.getStrVal() == null)) {
            Errs.each(errs, path, "0", Names.portNumber(0));
        } else if (port.getIntVal() != null) {
            Errs.each(errs, path, String.valueOf(port.getIntVal()), Names.portNumber(port.getIntVal()));
        } else {
            Errs.each(errs, path, Errs.q(port.getStrVal()), Names.portName(port.getStrVal()));
        }
        return errs;
    }
}
