package io.podvisor.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.podvisor.client.informers.Lister;
import io.podvisor.core.FakeClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpectationsTest {

    private final FakeClock clock = new FakeClock(TestCluster.START);
    private final Expectations expectations = new Expectations(clock);
    private final Map<String, ConfigMap> cached = new HashMap<>();
    private final Lister<ConfigMap> cache = new Lister<>() {
        @Override
        public ConfigMap get(String namespace, String name) {
            return cached.get(namespace + "/" + name);
        }

        @Override
        public ConfigMap getByKey(String key) {
            return cached.get(key);
        }

        @Override
        public List<ConfigMap> list() {
            return List.copyOf(cached.values());
        }

        @Override
        public List<ConfigMap> list(String namespace) {
            return list();
        }

        @Override
        public List<ConfigMap> byIndex(String indexName, String value) {
            return List.of();
        }

        @Override
        public List<String> keys() {
            return List.copyOf(cached.keySet());
        }
    };

    private static ConfigMap cm(String name, String uid, String rv, boolean deleting) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid(uid)
                .withResourceVersion(rv).withDeletionTimestamp(deleting ? "2025-06-01T10:00:00Z" : null)
                .endMetadata().build();
    }

    @Test
    void aWriteIsShownByItsVersionEvenWhenALaterOneFollowsAndTheDeferredOwnerComesBack() {
        expectations.expectVersion("ns/owner", cm("a", "u1", "5", false), cache);
        expectations.expectVersion("ns/owner", cm("b", "u2", "6", false), cache);
        assertThat(expectations.satisfied("ns/owner")).isFalse();

        assertThat(expectations.observe(cm("a", "u1", "4", false), false)).as("an older version").isNull();
        assertThat(expectations.observe(cm("a", "u1", "5", false), false)).as("b still pending").isNull();
        assertThat(expectations.observe(cm("b", "u2", "6", false), false)).isEqualTo("ns/owner");
        assertThat(expectations.observe(cm("b", "u2", "7", false), false)).as("handed back once").isNull();
        assertThat(expectations.satisfied("ns/owner")).isTrue();
    }

    @Test
    void aVersionTheCacheHoldsAlreadyIsNotAwaited() {
        cached.put("ns/a", cm("a", "u1", "5", false));
        expectations.expectVersion("ns/owner", cm("a", "u1", "5", false), cache);
        assertThat(expectations.satisfied("ns/owner")).isTrue();
    }

    @Test
    void aCacheAlreadyPastTheVersionWrittenShowsIt() {
        // another writer (the scheduler binding the pod just created) changed the object before the
        // controller recorded its expectation: the event of the version written has passed already
        cached.put("ns/a", cm("a", "u1", "7", false));
        expectations.expectVersion("ns/owner", cm("a", "u1", "5", false), cache);
        assertThat(expectations.satisfied("ns/owner")).isTrue();

        expectations.expectVersion("ns/owner", cm("b", "u2", "8", false), cache);
        assertThat(expectations.satisfied("ns/owner")).isFalse();
        assertThat(expectations.observe(cm("b", "u2", "9", false), false)).as("a later version shows it").isEqualTo("ns/owner");
        assertThat(expectations.satisfied("ns/owner")).isTrue();
    }

    @Test
    void aWriteThatLetAnObjectGoIsShownWhenTheCacheNoLongerHoldsIt() {
        // the last finalizer taken off a pod being deleted: the API deleted it, and the informer
        // dropped it from the cache before the controller recorded what it wrote
        expectations.expectVersion("ns/owner", cm("a", "u1", "9", true), cache);
        assertThat(expectations.satisfied("ns/owner")).isTrue();
        // a created object the cache does not hold yet is still awaited
        expectations.expectVersion("ns/owner", cm("b", "u2", "10", false), cache);
        assertThat(expectations.satisfied("ns/owner")).isFalse();
    }

    @Test
    void aDeleteIsShownByADeletionTimestampARemovalOrAnotherUid() {
        cached.put("ns/a", cm("a", "u1", "5", false));
        expectations.expectDeletion("ns/owner", cm("a", "u1", "5", false), cache);
        assertThat(expectations.satisfied("ns/owner")).isFalse();
        assertThat(expectations.observe(cm("a", "u1", "6", true), false)).isEqualTo("ns/owner");

        expectations.expectDeletion("ns/owner", cm("a", "u1", "6", false), cache);
        assertThat(expectations.observe(cm("a", "u9", "8", false), false)).as("replaced by a new object: shown, no sync was held back").isNull();
        assertThat(expectations.satisfied("ns/owner")).isTrue();

        cached.clear();
        expectations.expectDeletion("ns/owner", cm("gone", "u3", "2", false), cache);
        assertThat(expectations.satisfied("ns/owner")).as("not cached: already gone").isTrue();
    }

    @Test
    void pendingWritesExpireAfterFiveMinutes() {
        expectations.expectVersion("ns/owner", cm("a", "u1", "5", false), cache);
        clock.advance(Duration.ofMinutes(4));
        assertThat(expectations.satisfied("ns/owner")).isFalse();
        assertThat(expectations.untilExpiry("ns/owner")).isEqualTo(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(expectations.satisfied("ns/owner")).isTrue();
        assertThat(expectations.untilExpiry("ns/owner")).isZero();
    }
}
