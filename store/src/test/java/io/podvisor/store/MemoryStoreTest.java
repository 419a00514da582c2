package io.podvisor.store;

import io.podvisor.core.KeyedExecutor;

class MemoryStoreTest extends StoreContract {

    @Override
    protected Store newStore(KeyedExecutor executor, int historySize, long historyBytes) {
        return new MemoryStore(executor, historySize, historyBytes);
    }
}
