package io.podvisor.cli.harness;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.apiserver.registry.Registries;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The API as the node's own parts see it ({@link ObjectClient} and {@link ClusterClient} over the
 * registries), recording every call as {@code method(Kind)} — {@code Kind} the simple name of the
 * first {@code Class} argument or the class of the first object argument, if any — so a test can
 * tell which requests the kubelet makes.
 *
 * <p>Thread-safety: records under a lock; the harness is single-threaded anyway.
 */
final class ApiCalls {

    private final List<String> calls = new ArrayList<>();
    private final Object proxy;

    ApiCalls(Registries target) {
        this.proxy = Proxy.newProxyInstance(ApiCalls.class.getClassLoader(),
                new Class<?>[] {ObjectClient.class, ClusterClient.class}, (p, method, args) -> {
                    record(method.getName(), args);
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private synchronized void record(String method, Object[] args) {
        String kind = args == null ? "" : Arrays.stream(args)
                .filter(a -> a instanceof Class<?> || a instanceof HasMetadata)
                .map(a -> a instanceof Class<?> c ? c.getSimpleName() : a.getClass().getSimpleName())
                .findFirst().orElse("");
        calls.add(method + "(" + kind + ")");
    }

    ObjectClient objects() {
        return (ObjectClient) proxy;
    }

    ClusterClient cluster() {
        return (ClusterClient) proxy;
    }

    /** The calls so far whose text contains {@code part}, e.g. {@code "ConfigMap"}, in order. */
    synchronized List<String> matching(String part) {
        return calls.stream().filter(c -> c.contains(part)).collect(Collectors.toList());
    }
}
