package io.podvisor.runtime.image.registry;

import io.podvisor.runtime.image.Digests;
import io.podvisor.runtime.image.ImageContentException;
import io.podvisor.runtime.image.ImageReference;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.image.PullProgress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;

/**
 * One pull's steps: resolve the reference to a manifest (through an index for this platform), then fetch
 * the manifest, config and layers into the store, each verified against its descriptor. Errors carry
 * containerd's wording; the caller adds the {@code failed to pull and unpack image} prefix.
 */
final class PullJob {

    /** containerd's limit for a manifest or index document. */
    private static final int MAX_MANIFEST_BYTES = 4 << 20;

    private final RegistryClient client;
    private final OciImageStore store;
    private final ImageReference reference;
    private final Platform platform;
    private final PullProgress progress;

    PullJob(RegistryClient client, OciImageStore store, ImageReference reference, Platform platform,
            PullProgress progress) {
        this.client = client;
        this.store = store;
        this.reference = reference;
        this.platform = platform;
        this.progress = progress;
    }

    /** What the reference resolved to: the top document's bytes and type and their digest. */
    record Resolved(byte[] body, String contentType, String digest) {}

    /** The image manifest to install and the digest reference the image was pulled as. */
    record Target(String manifestDigest, Manifest manifest, byte[] manifestBody, String repoDigest) {}

    /**
     * GETs the reference's manifest or index.
     *
     * @throws RegistryException not found, access denied, unexpected status, transport failures
     */
    Resolved resolve() throws RegistryException, InterruptedException {
        URI uri = client.url("manifests", reference.version());
        HttpResponse<InputStream> response = client.get(uri, Manifest.ACCEPT);
        int status = response.statusCode();
        if (status == 404) {
            RegistryClient.discard(response);
            throw new RegistryException(reference + ": not found");
        }
        if (status != 200) {
            RegistryClient.discard(response);
            throw RegistryException.unexpectedStatus("GET", uri.toString(), status);
        }
        byte[] body = readManifest(response, uri);
        return new Resolved(body, response.headers().firstValue("Content-Type").orElse(""),
                Digests.of(body));
    }

    /** Verifies the resolved document and walks an index down to this platform's image manifest. */
    Target target(Resolved resolved) throws RegistryException, InterruptedException {
        Manifest top = Manifest.parse(resolved.body(), resolved.contentType());
        if (reference.digest() != null && !reference.digest().equals(resolved.digest())) {
            throw RegistryException.commitMismatch(refKey(top.mediaType(), reference.digest()), resolved.digest(),
                    resolved.body().length, reference.digest(), -1);
        }
        String repoDigest = reference.domain() + "/" + reference.repository() + "@" + resolved.digest();
        Manifest manifest = top;
        byte[] body = resolved.body();
        String digest = resolved.digest();
        for (int depth = 0; manifest.isIndex(); depth++) {
            if (depth == 2) {
                throw new RegistryException("index nested too deeply in " + reference);
            }
            Manifest.Descriptor child = manifest.select(platform);
            body = fetchManifest(child);
            digest = child.digest();
            manifest = Manifest.parse(body, child.mediaType());
        }
        return new Target(digest, manifest, body, repoDigest);
    }

    /** Stores the manifest, config and layers (skipping blobs already present). */
    void fetch(Target target) throws RegistryException, IOException, InterruptedException {
        Manifest manifest = target.manifest();
        progress.resolved(reference.toString(), target.manifestDigest(), manifest.layers().size(),
                manifest.layerBytes());
        if (!store.hasBlob(target.manifestDigest())) {
            store.writeBlob(target.manifestDigest(), target.manifestBody().length,
                    new ByteArrayInputStream(target.manifestBody()), done -> {});
        }
        fetchBlob(manifest.config(), "config-");
        for (Manifest.Descriptor layer : manifest.layers()) {
            fetchBlob(layer, "layer-");
        }
    }

    private byte[] fetchManifest(Manifest.Descriptor child) throws RegistryException, InterruptedException {
        HttpResponse<InputStream> response = open(client.url("manifests", child.digest()), Manifest.ACCEPT);
        byte[] body = readManifest(response, response.uri());
        String actual = Digests.of(body);
        if (!actual.equals(child.digest()) || body.length != child.size()) {
            throw RegistryException.commitMismatch(refKey(child.mediaType(), child.digest()), actual, body.length,
                    child.digest(), child.size());
        }
        return body;
    }

    private void fetchBlob(Manifest.Descriptor blob, String refPrefix)
            throws RegistryException, IOException, InterruptedException {
        if (store.hasBlob(blob.digest())) {
            progress.blobPresent(blob.digest());
            return;
        }
        HttpResponse<InputStream> response = open(client.url("blobs", blob.digest()), null);
        try (Digests.Counting in = new Digests.Counting(new NetworkStream(response.body()))) {
            try {
                store.writeBlob(blob.digest(), blob.size(), in,
                        done -> progress.blob(blob.digest(), done, blob.size()));
            } catch (ImageContentException e) {
                throw RegistryException.commitMismatch(refPrefix + blob.digest(), in.digest(), in.count(),
                        blob.digest(), blob.size());
            } catch (NetworkStream.ReadFailure e) {
                throw new RegistryException("failed to copy: " + e.getMessage(), e);
            }
        }
    }

    /** GETs content by digest: anything but 200 is an error worded like containerd's fetcher. */
    private HttpResponse<InputStream> open(URI uri, String accept) throws RegistryException, InterruptedException {
        HttpResponse<InputStream> response;
        try {
            response = client.get(uri, accept);
        } catch (RegistryException e) {
            throw new RegistryException("failed to copy: httpReadSeeker: failed open: " + e.getMessage(), e);
        }
        int status = response.statusCode();
        if (status == 200) {
            return response;
        }
        RegistryClient.discard(response);
        if (status == 404) {
            throw new RegistryException("failed to copy: httpReadSeeker: failed open: content at " + uri
                    + " not found: not found");
        }
        throw new RegistryException("failed to copy: httpReadSeeker: failed open: "
                + RegistryException.unexpectedStatus("GET", uri.toString(), status).getMessage());
    }

    private static byte[] readManifest(HttpResponse<InputStream> response, URI uri) throws RegistryException {
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (body.length > MAX_MANIFEST_BYTES) {
                throw new RegistryException("manifest at " + uri + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new RegistryException("failed to read manifest from " + uri + ": " + e.getMessage(), e);
        }
    }

    /** containerd's ingest ref for a descriptor: {@code index-}, {@code manifest-} or {@code unknown-} + digest. */
    private static String refKey(String mediaType, String digest) {
        return switch (mediaType) {
            case Manifest.OCI_INDEX, Manifest.DOCKER_LIST -> "index-" + digest;
            case Manifest.OCI_MANIFEST, Manifest.DOCKER_MANIFEST -> "manifest-" + digest;
            default -> "unknown-" + digest;
        };
    }
}
