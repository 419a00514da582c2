package io.podvisor.apiserver.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Mutated objects of every served kind through the HTTPS API (see {@link FuzzRun}): no 5xx, no
 * request without an answer, nothing stored by a rejected request, every listing still served.
 * Seeded, so a failure reproduces; {@code bench/run fuzz} runs more.
 */
class ApiFuzzTest {

    @Test
    void mutatedObjectsOfEveryKindAreAnsweredWithoutServerErrorsAndRejectionsStoreNothing() throws Exception {
        try (FuzzNode node = new FuzzNode()) {
            FuzzRun.Result result = new FuzzRun(node, 17).run(2000);
            assertThat(result.failures()).as(FuzzRun.describe(result)).isEmpty();
            assertThat(result.codes()).as("some mutations are accepted and some rejected")
                    .containsKeys(200, 201, 400, 422);
        }
    }
}
