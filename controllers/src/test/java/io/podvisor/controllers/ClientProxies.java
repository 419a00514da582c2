package io.podvisor.controllers;

import io.podvisor.api.client.ObjectClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/** {@link ObjectClient}s that pass every call to a delegate through a test's interceptor. */
final class ClientProxies {

    /** What a test does around one call; {@code proceed} passes it on to the delegate. */
    interface Interceptor {
        Object call(Method method, Object[] args, Proceed proceed) throws Throwable;
    }

    interface Proceed {
        Object call() throws Throwable;
    }

    private ClientProxies() {}

    static ObjectClient intercept(ObjectClient delegate, Interceptor interceptor) {
        return (ObjectClient) Proxy.newProxyInstance(ObjectClient.class.getClassLoader(),
                new Class<?>[] {ObjectClient.class}, (proxy, method, args) -> interceptor.call(method, args, () -> {
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }
}
