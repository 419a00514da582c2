package io.podvisor.runtime.fake;

import io.podvisor.core.Clock;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.image.ImageConfig;
import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.ImageReference;
import io.podvisor.runtime.image.ImageService;
import io.podvisor.runtime.image.PullProgress;
import io.podvisor.runtime.image.RegistryAuth;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A scripted image service on the fake runtime's {@link Clock}, with a pretend registry behind it.
 * By default every image is present and every image can be pulled; a pull takes no virtual time
 * and reports {@link #DEFAULT_SIZE} bytes. Scripting ({@code "busybox"} and
 * {@code "docker.io/library/busybox:latest"} name the same image):
 * <ul>
 *   <li>{@link #startEmpty()} / {@link #present} / {@link #absent}: what is on the node;</li>
 *   <li>{@link #missing}: images the registry does not have (containerd's "not found" error);</li>
 *   <li>{@link #pullTakes}: how long pulls take; {@link #failFirst}: the first N pulls fail;</li>
 *   <li>{@link #requireAuth}: pulls succeed only with the given credentials.</li>
 * </ul>
 * Every pull is recorded ({@link #pulls()}), with the credentials it was given and when it ran.
 *
 * <p>Thread-safety: all methods synchronize on this object; completions run outside the lock.
 */
public final class FakeImages implements ImageService {

    /** The size every image reports unless {@link #size} says otherwise. */
    public static final long DEFAULT_SIZE = 4_194_304;

    /**
     * One pull as the registry saw it.
     *
     * @param reference the normalized reference pulled
     * @param auths     the credentials it was given, in order
     * @param started   when it began
     * @param finished  when it ended (null while it runs)
     * @param error     the failure's message, or null when it succeeded (or still runs)
     */
    public record Pull(String reference, List<RegistryAuth> auths, Instant started, Instant finished, String error) {}

    private final Clock clock;
    private boolean allPresent = true;
    private final Set<String> present = new HashSet<>();
    private final Set<String> absent = new HashSet<>();
    private final Set<String> missing = new HashSet<>();
    private final Map<String, Duration> durations = new HashMap<>();
    private Duration defaultDuration = Duration.ZERO;
    private final Map<String, Integer> failuresLeft = new HashMap<>();
    private final Map<String, String> failureMessages = new HashMap<>();
    private final Map<String, RegistryAuth> requiredAuth = new HashMap<>();
    private final Map<String, Long> sizes = new HashMap<>();
    private final List<Pull> pulls = new ArrayList<>();
    private int running;
    private int maxRunning;

    public FakeImages(Clock clock) {
        this.clock = clock;
    }

    // ---- scripting ----

    /** Nothing is present until pulled or named by {@link #present}. */
    public synchronized FakeImages startEmpty() {
        allPresent = false;
        present.clear();
        return this;
    }

    /** These images are present on the node. */
    public synchronized FakeImages present(String... references) {
        for (String r : references) {
            present.add(key(r));
            absent.remove(key(r));
        }
        return this;
    }

    /** These images are not present on the node (until pulled). */
    public synchronized FakeImages absent(String... references) {
        for (String r : references) {
            absent.add(key(r));
            present.remove(key(r));
        }
        return this;
    }

    /** The registry does not have these images: they are absent and every pull fails with "not found". */
    public synchronized FakeImages missing(String... references) {
        absent(references);
        for (String r : references) {
            missing.add(key(r));
        }
        return this;
    }

    /** Every pull of {@code reference} takes {@code duration} of virtual time. */
    public synchronized FakeImages pullTakes(String reference, Duration duration) {
        durations.put(key(reference), duration);
        return this;
    }

    /** Every pull of an image without its own duration takes {@code duration}. */
    public synchronized FakeImages pullTakes(Duration duration) {
        defaultDuration = duration;
        return this;
    }

    /**
     * The next {@code attempts} pulls of {@code reference} fail with {@code message} (null: the
     * registry answers 503).
     */
    public synchronized FakeImages failFirst(String reference, int attempts, String message) {
        String key = key(reference);
        failuresLeft.put(key, attempts);
        failureMessages.put(key, message != null ? message : "failed to pull and unpack image \"" + key
                + "\": failed to resolve reference \"" + key + "\": unexpected status from HEAD request to https://"
                + ImageReference.parse(key).domain() + "/v2/: 503 Service Unavailable");
        return this;
    }

    /** Pulls of {@code reference} succeed only when one of their credentials has this user and password. */
    public synchronized FakeImages requireAuth(String reference, String username, String password) {
        requiredAuth.put(key(reference), new RegistryAuth(username, password, ""));
        return this;
    }

    /** The size {@code reference} reports once pulled. */
    public synchronized FakeImages size(String reference, long bytes) {
        sizes.put(key(reference), bytes);
        return this;
    }

    // ---- what happened ----

    /** Every pull so far, oldest first. */
    public synchronized List<Pull> pulls() {
        return List.copyOf(pulls);
    }

    /** The most pulls that ever ran at the same time. */
    public synchronized int maxConcurrentPulls() {
        return maxRunning;
    }

    // ---- the image service ----

    @Override
    public synchronized Optional<ImageInfo> status(String reference) {
        String key;
        try {
            key = key(reference);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean here = present.contains(key) || (allPresent && !absent.contains(key));
        return here ? Optional.of(info(key)) : Optional.empty();
    }

    @Override
    public ImageConfig resolve(String reference) throws RuntimeFailure {
        ImageInfo info = status(reference).orElseThrow(() -> new RuntimeFailure("image \"" + reference + "\" not found"));
        return new ImageConfig(info.repoTags().isEmpty() ? reference : info.repoTags().getFirst(), info.id(), null,
                List.of(), List.of(), List.of(), "", "");
    }

    @Override
    public CompletionStage<ImageInfo> pull(String reference, List<RegistryAuth> auths, PullProgress progress) {
        String key;
        try {
            key = key(reference);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new RuntimeFailure("failed to pull image \"" + reference + "\": " + e.getMessage()));
        }
        CompletableFuture<ImageInfo> done = new CompletableFuture<>();
        Duration duration;
        int index;
        synchronized (this) {
            index = pulls.size();
            pulls.add(new Pull(key, List.copyOf(auths), clock.now(), null, null));
            running++;
            maxRunning = Math.max(maxRunning, running);
            duration = durations.getOrDefault(key, defaultDuration);
        }
        if (duration.isZero() || duration.isNegative()) {
            finish(index, key, auths, done);
        } else {
            clock.schedule(duration, () -> finish(index, key, auths, done));
        }
        return done;
    }

    @Override
    public synchronized List<ImageInfo> list() {
        return present.stream().sorted().map(this::info).toList();
    }

    @Override
    public synchronized void remove(String reference) throws RuntimeFailure {
        if (status(reference).isEmpty()) {
            throw new RuntimeFailure("no such image: " + reference);
        }
        absent(reference);
    }

    // ---- internals ----

    private void finish(int index, String key, List<RegistryAuth> auths, CompletableFuture<ImageInfo> done) {
        String error;
        ImageInfo info = null;
        synchronized (this) {
            running--;
            error = outcome(key, auths);
            if (error == null) {
                present(key);
                info = info(key);
            }
            Pull p = pulls.get(index);
            pulls.set(index, new Pull(p.reference(), p.auths(), p.started(), clock.now(), error));
        }
        if (error == null) {
            done.complete(info);
        } else {
            done.completeExceptionally(new RuntimeFailure(error));
        }
    }

    /** Why a pull of {@code key} fails, or null when it succeeds. */
    private String outcome(String key, List<RegistryAuth> auths) {
        if (missing.contains(key)) {
            return "failed to pull and unpack image \"" + key + "\": failed to resolve reference \"" + key + "\": "
                    + key + ": not found";
        }
        RegistryAuth required = requiredAuth.get(key);
        if (required != null && auths.stream().noneMatch(a -> a.username().equals(required.username())
                && a.password().equals(required.password()))) {
            return "failed to pull and unpack image \"" + key + "\": failed to resolve reference \"" + key
                    + "\": pull access denied, repository does not exist or may require authorization: "
                    + "server message: insufficient_scope: authorization failed";
        }
        int left = failuresLeft.getOrDefault(key, 0);
        if (left > 0) {
            failuresLeft.put(key, left - 1);
            return failureMessages.get(key);
        }
        return null;
    }

    private ImageInfo info(String key) {
        ImageReference ref = ImageReference.parse(key);
        String repo = ref.domain() + "/" + ref.repository();
        String digest = ref.digest() != null ? ref.digest() : "sha256:" + sha256(key);
        List<String> tags = ref.tag() == null ? List.of() : List.of(key);
        return new ImageInfo("sha256:" + sha256(key + "#config"), tags, List.of(repo + "@" + digest),
                sizes.getOrDefault(key, DEFAULT_SIZE));
    }

    private static String key(String reference) {
        return ImageReference.parse(reference).toString();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
