package io.podvisor.runtime.image;

import io.podvisor.runtime.RuntimeFailure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The images of a runtime that ignores them (host processes): every valid reference counts as
 * present, a pull completes at once, there is nothing to list or remove. The id is derived from the
 * normalized reference.
 */
public final class PresentImages implements ImageService {

    @Override
    public ImageConfig resolve(String reference) throws RuntimeFailure {
        ImageInfo info = status(reference).orElseThrow(() -> new RuntimeFailure("invalid reference format: " + reference));
        return new ImageConfig(info.repoTags().getFirst(), info.id(), null, List.of(), List.of(), List.of(), "", "");
    }

    @Override
    public Optional<ImageInfo> status(String reference) {
        try {
            String ref = ImageReference.parse(reference).toString();
            return Optional.of(new ImageInfo(id(ref), List.of(ref), List.of(), 0));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public CompletionStage<ImageInfo> pull(String reference, List<RegistryAuth> auths, PullProgress progress) {
        return status(reference).map(CompletableFuture::completedFuture).orElseGet(() ->
                CompletableFuture.failedFuture(new RuntimeFailure("failed to pull image \"" + reference
                        + "\": invalid reference format")));
    }

    @Override
    public List<ImageInfo> list() {
        return List.of();
    }

    @Override
    public void remove(String reference) throws RuntimeFailure {
        throw new RuntimeFailure("no such image: " + reference);
    }

    private static String id(String ref) {
        return Digests.of(ref.getBytes(StandardCharsets.UTF_8));
    }
}
