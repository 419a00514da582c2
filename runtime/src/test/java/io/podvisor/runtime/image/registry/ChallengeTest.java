package io.podvisor.runtime.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengeTest {

    @Test
    void parsesDockerHubBearerChallenge() {
        List<Challenge> challenges = Challenge.parse(List.of(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                        + "scope=\"repository:library/busybox:pull\",error=\"insufficient_scope\""));

        assertThat(challenges).hasSize(1);
        Challenge c = challenges.getFirst();
        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.parameter("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(c.parameter("service")).isEqualTo("registry.docker.io");
        assertThat(c.parameter("scope")).isEqualTo("repository:library/busybox:pull");
        assertThat(c.parameter("error")).isEqualTo("insufficient_scope");
        assertThat(c.parameter("missing")).isEmpty();
    }

    @Test
    void parsesSeveralChallengesTokensAndEscapes() {
        List<Challenge> challenges = Challenge.parse(List.of(
                "Basic realm=\"a \\\"quoted\\\" realm\", Bearer realm=https://t.example/token , service=reg",
                "Negotiate"));

        assertThat(challenges).extracting(Challenge::scheme).containsExactly("basic", "bearer", "negotiate");
        assertThat(challenges.get(0).parameter("realm")).isEqualTo("a \"quoted\" realm");
        assertThat(challenges.get(1).parameter("realm")).isEqualTo("https://t.example/token");
        assertThat(challenges.get(1).parameter("service")).isEqualTo("reg");
        assertThat(Challenge.find(challenges, "bearer")).isSameAs(challenges.get(1));
        assertThat(Challenge.find(challenges, "digest")).isNull();
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertThat(Challenge.parse(List.of("BEARER Realm=\"x\"")).getFirst())
                .isEqualTo(new Challenge("bearer", java.util.Map.of("realm", "x")));
    }
}
