package io.podvisor.client.contract;

import io.podvisor.api.client.ObjectClient;
import io.podvisor.apiserver.registry.Registries;
import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.FakeClock;
import io.podvisor.store.MemoryStore;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;

/**
 * The contract on the in-process transport: the real registry on a {@link MemoryStore} with a
 * small watch history, in virtual time (one {@link FakeClock}, one {@link DeterministicExecutor}).
 */
class InProcessObjectClientTest extends ObjectClientContract {

    private static final int HISTORY = 8;

    private final FakeClock clock = new FakeClock(Instant.parse("2026-06-01T00:00:00Z"));
    private final DeterministicExecutor executor = new DeterministicExecutor();
    private final MemoryStore store = new MemoryStore(executor, HISTORY);
    private final Registries api = new Registries(store, clock, executor);

    InProcessObjectClientTest() {
        clock.afterEachTimer(executor::runUntilIdle);
        api.start();
        executor.runUntilIdle();
    }

    @Override
    protected ObjectClient client() {
        return api;
    }

    @Override
    protected int writesToLeaveHistory() {
        return HISTORY + 2;
    }

    @Override
    protected void settle() {
        executor.runUntilIdle();
    }

    @AfterEach
    void close() {
        api.close();
        store.close();
    }
}
