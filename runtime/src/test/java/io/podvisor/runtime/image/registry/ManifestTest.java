package io.podvisor.runtime.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);
    private static final String D = "sha256:" + "d".repeat(64);

    private static byte[] json(String s) {
        return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static String entry(String digest, String platform) {
        return "{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'" + digest + "','size':10"
                + (platform == null ? "" : ",'platform':" + platform) + "}";
    }

    private static Manifest index(String... entries) throws RegistryException {
        return Manifest.parse(json("{'schemaVersion':2,'manifests':[" + String.join(",", entries) + "]}"),
                "application/vnd.oci.image.index.v1+json");
    }

    @Test
    void parsesAnImageManifestWhateverTheContentTypeSays() throws RegistryException {
        Manifest m = Manifest.parse(json("{'schemaVersion':2,'mediaType':'application/vnd.docker.distribution.manifest.v2+json',"
                + "'config':{'mediaType':'application/vnd.docker.container.image.v1+json','digest':'" + A + "','size':5},"
                + "'layers':[{'mediaType':'x','digest':'" + B + "','size':100},{'mediaType':'y','digest':'" + C + "','size':23}]}"),
                "application/octet-stream");

        assertThat(m.isIndex()).isFalse();
        assertThat(m.mediaType()).isEqualTo(Manifest.DOCKER_MANIFEST);
        assertThat(m.config().digest()).isEqualTo(A);
        assertThat(m.layers()).extracting(Manifest.Descriptor::digest).containsExactly(B, C);
        assertThat(m.layerBytes()).isEqualTo(123);
    }

    @Test
    void picksThisPlatformOutOfAnIndex() throws RegistryException {
        Manifest idx = index(entry(A, "{'os':'linux','architecture':'amd64'}"),
                entry(B, "{'os':'linux','architecture':'arm64'}"),
                entry(C, "{'os':'linux','architecture':'arm64','variant':'v8'}"),
                entry(D, "{'os':'unknown','architecture':'unknown'}"));

        assertThat(idx.isIndex()).isTrue();
        assertThat(idx.select(Platform.forArch("x86_64")).digest()).isEqualTo(A);
        assertThat(idx.select(Platform.forArch("aarch64")).digest()).as("v8 exactly beats no variant").isEqualTo(C);
        assertThat(index(entry(B, "{'os':'linux','architecture':'arm64'}")).select(Platform.forArch("aarch64"))
                .digest()).isEqualTo(B);
    }

    @Test
    void aForeignVariantOrArchitectureDoesNotMatch() throws RegistryException {
        Manifest idx = index(entry(A, "{'os':'linux','architecture':'arm','variant':'v6'}"),
                entry(B, "{'os':'windows','architecture':'amd64'}"));

        assertThatThrownBy(() -> idx.select(Platform.forArch("arm")))
                .hasMessage("no match for platform in manifest: not found");
        assertThatThrownBy(() -> idx.select(Platform.forArch("amd64")))
                .hasMessage("no match for platform in manifest: not found");
    }

    @Test
    void anEntryWithoutPlatformIsTheLastResort() throws RegistryException {
        Manifest idx = index(entry(A, null), entry(B, "{'os':'linux','architecture':'amd64'}"));

        assertThat(idx.select(Platform.forArch("amd64")).digest()).isEqualTo(B);
        assertThat(idx.select(Platform.forArch("s390x")).digest()).isEqualTo(A);
    }

    @Test
    void rejectsSchemaOneAndBadDescriptors() {
        assertThatThrownBy(() -> Manifest.parse(json("{'schemaVersion':1,'fsLayers':[]}"),
                "application/vnd.docker.distribution.manifest.v1+prettyjws"))
                .hasMessage("unsupported manifest media type \"application/vnd.docker.distribution.manifest.v1+prettyjws\"");
        assertThatThrownBy(() -> index("{'digest':'md5:abc','size':1}")).hasMessageContaining("unsupported digest");
        assertThatThrownBy(() -> Manifest.parse(json("[1]"), "")).hasMessageContaining("failed to unmarshal manifest");
    }

    @Test
    void mapsJvmArchitecturesToGoNames() {
        assertThat(Platform.forArch("amd64")).hasToString("linux/amd64");
        assertThat(Platform.forArch("aarch64")).hasToString("linux/arm64/v8");
        assertThat(Platform.forArch("i686")).hasToString("linux/386");
        assertThat(Platform.forArch("ppc64le")).hasToString("linux/ppc64le");
    }
}
