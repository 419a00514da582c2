package io.podvisor.runtime.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.runtime.image.ImageReference;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.image.PullProgress;
import io.podvisor.runtime.image.RegistryAuth;
import io.podvisor.runtime.testing.BuiltLayout;
import io.podvisor.runtime.testing.LocalRegistry;
import io.podvisor.runtime.testing.OciLayoutBuilder;
import io.podvisor.runtime.testing.OciLayoutBuilder.Compression;
import io.podvisor.runtime.testing.TarEntrySpec;
import io.podvisor.runtime.testing.TokenAuthProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Resolving references against a real registry on loopback, directly and behind a bearer-token front. */
class RegistryResolveTest {

    private static LocalRegistry registry;
    private static TokenAuthProxy proxy;
    private static BuiltLayout multi;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void startRegistry() throws Exception {
        assumeTrue(LocalRegistry.available(), "docker-registry and skopeo are needed");
        registry = LocalRegistry.start();
        OciLayoutBuilder builder = new OciLayoutBuilder().platform("linux", "amd64");
        builder.layer(Compression.GZIP, TarEntrySpec.file("arch", "amd64"));
        builder.addPlatform("linux", "arm64").layer(Compression.GZIP, List.of(TarEntrySpec.file("arch", "arm64")));
        multi = builder.build();
        registry.push(multi, "resolve/multi:1");
        proxy = TokenAuthProxy.start(registry, "alice", "s3cret", "refresh-me");
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static PullJob job(String domain, String ref, List<RegistryAuth> auths, String arch) {
        ImageReference reference = ImageReference.parse(domain + "/" + ref);
        RegistryClient client = new RegistryClient(HTTP, URI.create("http://" + domain), reference.repository(), auths);
        return new PullJob(client, new OciImageStore(Path.of("/nonexistent")), reference, Platform.forArch(arch),
                PullProgress.NONE);
    }

    @Test
    void resolvesAnIndexToEachPlatformsManifest() throws Exception {
        PullJob amd = job(registry.host(), "resolve/multi:1", List.of(), "amd64");
        PullJob.Resolved resolved = amd.resolve();
        assertThat(resolved.digest()).isEqualTo(multi.digest());

        PullJob.Target target = amd.target(resolved);
        assertThat(target.manifestDigest()).isEqualTo(multi.images().get(0).manifestDigest());
        assertThat(target.repoDigest()).isEqualTo(registry.host() + "/resolve/multi@" + multi.digest());

        PullJob arm = job(registry.host(), "resolve/multi:1", List.of(), "aarch64");
        assertThat(arm.target(arm.resolve()).manifestDigest()).isEqualTo(multi.images().get(1).manifestDigest());
    }

    @Test
    void aMissingTagIsNotFound() {
        assertThatThrownBy(() -> job(registry.host(), "resolve/multi:2", List.of(), "amd64").resolve())
                .hasMessage(registry.host() + "/resolve/multi:2: not found");
        assertThatThrownBy(() -> job(registry.host(), "resolve/nosuch:1", List.of(), "amd64").resolve())
                .hasMessage(registry.host() + "/resolve/nosuch:1: not found");
    }

    @Test
    void bearerTokenForBasicCredentials() throws Exception {
        PullJob job = job(proxy.host(), "resolve/multi:1",
                List.of(new RegistryAuth("mallory", "guess", ""), new RegistryAuth("alice", "s3cret", "")), "amd64");

        assertThat(job.resolve().digest()).isEqualTo(multi.digest());
        assertThat(proxy.tokenRequests()).contains(
                "GET basic:mallory scope=repository:resolve/multi:pull rejected",
                "GET basic:alice scope=repository:resolve/multi:pull");
    }

    @Test
    void bearerTokenForAnIdentityToken() throws Exception {
        PullJob job = job(proxy.host(), "resolve/multi:1", List.of(new RegistryAuth("", "", "refresh-me")), "amd64");

        assertThat(job.resolve().digest()).isEqualTo(multi.digest());
        assertThat(proxy.tokenRequests()).contains("POST refresh_token scope=repository:resolve/multi:pull");
    }

    @Test
    void anonymousIsDeniedLikeDockerHubDeniesIt() {
        assertThatThrownBy(() -> job(proxy.host(), "resolve/multi:1", List.of(), "amd64").resolve())
                .hasMessage("pull access denied, repository does not exist or may require authorization: "
                        + "server message: insufficient_scope: authorization failed");
    }

    @Test
    void wrongCredentialsFailAtTheTokenServer() {
        assertThatThrownBy(() -> job(proxy.host(), "resolve/multi:1",
                List.of(new RegistryAuth("alice", "wrong", "")), "amd64").resolve())
                .hasMessageStartingWith("failed to fetch oauth token: unexpected status from GET request to http://"
                        + proxy.host() + "/token?service=" + TokenAuthProxy.SERVICE + "&scope=repository%3Aresolve%2Fmulti%3Apull: 401 Unauthorized");
    }
}
