package io.podvisor.client.https;

import io.podvisor.api.client.ObjectClient;
import io.podvisor.apiserver.fuzz.FuzzNode;
import io.podvisor.client.contract.ObjectClientContract;
import io.podvisor.core.SystemClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on the HTTPS transport, against a real HTTPS API server in this JVM (the registry on
 * a {@link io.podvisor.store.MemoryStore} with a small watch history behind podvisor's
 * {@code ApiServer}), reached through the kubeconfig it wrote.
 */
class HttpsObjectClientTest extends ObjectClientContract {

    private static final int HISTORY = 8;

    private static FuzzNode node;
    private static SystemClock clock;
    private static HttpsObjectClient client;

    @BeforeAll
    static void start() throws Exception {
        node = new FuzzNode(HISTORY);
        clock = new SystemClock();
        client = HttpsObjectClient.fromKubeconfig(node.kubeconfig(), clock);
    }

    @AfterAll
    static void stop() {
        client.close();
        clock.close();
        node.close();
    }

    @Override
    protected ObjectClient client() {
        return client;
    }

    @Override
    protected int writesToLeaveHistory() {
        return HISTORY + 2;
    }
}
