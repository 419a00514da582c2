package io.podvisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the JSON mapper writes (the bytes the store keeps) reads back, whatever the characters. */
class YamlUtf8Test {

    @Test
    void charactersOutsideTheBasicPlaneInKeysAndValuesRoundTripAsUtf8() throws Exception {
        ObjectMapper json = Yaml.newJsonMapper();
        Node node = new NodeBuilder().withNewMetadata().withName("n").addToAnnotations("note", "💥 boom").endMetadata()
                .withNewStatus().addToAllocatable("💥", new Quantity("1")).endStatus().build();
        byte[] bytes = json.writeValueAsBytes(node);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"💥\"", "💥 boom");
        Node back = json.readValue(bytes, Node.class);
        assertThat(back.getStatus().getAllocatable()).containsKey("💥");
        assertThat(back.getMetadata().getAnnotations()).containsEntry("note", "💥 boom");
    }
}
