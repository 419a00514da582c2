package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code GET pods/{name}/log}: resolves the container, reads the log options and streams
 * {@link ContainerStreams#logs} as {@code text/plain}; with {@code follow} every write is sent at
 * once, and a follower whose client has closed the connection fails at its next flush
 * ({@link ClientWatchingStream}) and is released. Errors raised before the first byte become
 * Status responses. A pod not yet bound to a node has no logs: an empty answer, as kube-apiserver's.
 */
final class LogsEndpoint {

    private final Registry registry;
    private final ContainerStreams streams;

    LogsEndpoint(Registry registry, ContainerStreams streams) {
        this.registry = registry;
        this.streams = streams;
    }

    void serve(Exchange ex, String namespace, String name) throws IOException {
        Pod pod = (Pod) registry.get(ResourceTypes.PODS, namespace, name);
        Query q = ex.query();
        String container = PodContainers.resolve(pod, q.get("container"));
        ContainerStreams.LogOptions options = new ContainerStreams.LogOptions(q.flag("previous"), q.flag("follow"),
                q.flag("timestamps"), nonNegative(q, "tailLines"), positive(q, "sinceSeconds"), sinceTime(q),
                positive(q, "limitBytes"));
        if (options.sinceSeconds() != null && options.sinceTime() != null) {
            throw new ApiException.BadRequest("at most one of sinceTime or sinceSeconds may be specified");
        }
        if (options.follow()) {
            ex.request.addIdleTimeoutListener(t -> false);
        }
        ex.response.getHeaders().put("Content-Type", "text/plain");
        ex.response.setStatus(200);
        if (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
            return; // not bound to a node yet: no logs, as kube-apiserver answers
        }
        OutputStream out = options.follow()
                ? new ClientWatchingStream(ex.chunkStream(200, "text/plain"), ex.request)
                : new BufferedOutputStream(ex.stream(), 16384);
        streams.logs(pod, container, options, out);
        out.close();
    }

    private static Long nonNegative(Query q, String name) {
        Long v = q.number(name);
        if (v != null && v < 0) {
            throw new ApiException.BadRequest(name + ": Invalid value: " + v + ": must be greater than or equal to 0");
        }
        return v;
    }

    private static Long positive(Query q, String name) {
        Long v = q.number(name);
        if (v != null && v < 1) {
            throw new ApiException.BadRequest(name + ": Invalid value: " + v + ": must be greater than 0");
        }
        return v;
    }

    private static Instant sinceTime(Query q) {
        String v = q.get("sinceTime");
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new ApiException.BadRequest("sinceTime: invalid RFC3339 time " + io.podvisor.api.errors.FieldError.quote(v));
        }
    }
}
