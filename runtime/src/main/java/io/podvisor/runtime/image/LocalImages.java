package io.podvisor.runtime.image;

import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.image.registry.ImagePuller;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The images of a runtime that runs them from a local {@link OciImageStore}: presence, listing and
 * removal read the store (so images imported by another process are seen at once), pulls go through
 * an {@link ImagePuller} on a virtual thread. Concurrent pulls of one reference share one download;
 * every caller's progress listener hears it.
 */
public final class LocalImages implements ImageService {

    private final OciImageStore store;
    private final ImagePuller puller;
    private final Map<String, Pull> pulls = new ConcurrentHashMap<>();
    private final List<PullProgress> observers = new CopyOnWriteArrayList<>();

    public LocalImages(OciImageStore store, ImagePuller puller) {
        this.store = store;
        this.puller = puller;
    }

    /** The store images live in. */
    public OciImageStore store() {
        return store;
    }

    @Override
    public ImageConfig resolve(String reference) throws RuntimeFailure {
        return store.resolve(reference);
    }

    @Override
    public Optional<ImageInfo> status(String reference) {
        return store.status(reference);
    }

    @Override
    public List<ImageInfo> list() {
        return store.list();
    }

    @Override
    public void remove(String reference) throws RuntimeFailure {
        store.remove(reference);
    }

    @Override
    public void observe(PullProgress observer) {
        observers.add(observer);
    }

    @Override
    public CompletionStage<ImageInfo> pull(String reference, List<RegistryAuth> auths, PullProgress progress) {
        String key;
        try {
            key = ImageReference.parse(reference).toString();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new RuntimeFailure(
                    "failed to pull image \"" + reference + "\": " + e.getMessage()));
        }
        while (true) {
            Pull fresh = new Pull();
            Pull running = pulls.putIfAbsent(key, fresh);
            Pull pull = running != null ? running : fresh;
            if (pull.listen(progress)) {
                if (running == null) {
                    Thread.ofVirtual().name("pull " + key).start(() -> fresh.run(key, auths));
                }
                return pull.result.copy();
            }
        }
    }

    /** One running pull and everyone waiting for it. */
    private final class Pull implements PullProgress {
        final CompletableFuture<ImageInfo> result = new CompletableFuture<>();
        final List<PullProgress> listeners = new CopyOnWriteArrayList<>(observers);

        /** Adds a listener; false if the pull has finished meanwhile (a new one must start). */
        synchronized boolean listen(PullProgress progress) {
            if (result.isDone()) {
                return false;
            }
            listeners.add(progress);
            return true;
        }

        void run(String key, List<RegistryAuth> auths) {
            try {
                ImageInfo info = puller.pull(key, auths, this);
                finish(key, info, null);
            } catch (RuntimeFailure e) {
                finish(key, null, e);
            } catch (RuntimeException e) {
                finish(key, null, new RuntimeFailure("failed to pull image \"" + key + "\": " + e, e));
            }
        }

        private synchronized void finish(String key, ImageInfo info, Throwable error) {
            pulls.remove(key, this);
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(info);
            }
        }

        @Override
        public void resolved(String reference, String manifestDigest, int layers, long totalBytes) {
            listeners.forEach(l -> l.resolved(reference, manifestDigest, layers, totalBytes));
        }

        @Override
        public void blob(String digest, long done, long total) {
            listeners.forEach(l -> l.blob(digest, done, total));
        }

        @Override
        public void blobPresent(String digest) {
            listeners.forEach(l -> l.blobPresent(digest));
        }

        @Override
        public void unpacking(String reference) {
            listeners.forEach(l -> l.unpacking(reference));
        }
    }
}
