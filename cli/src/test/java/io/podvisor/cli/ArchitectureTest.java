package io.podvisor.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module directions of docs/architecture.md and the clock rule, checked on the built classes. */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")) // other modules' test-jars
                .importPackages("io.podvisor");
    }

    @Test
    void coreKnowsNothingOfKubernetesOrOtherModules() {
        noClasses().that().resideInAPackage("io.podvisor.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "io.podvisor.api..",
                        "io.podvisor.runtime..", "io.podvisor.kubelet..", "io.podvisor.cli..", "io.podvisor.store..",
                        "io.podvisor.apiserver..", "io.podvisor.controllers..", "io.podvisor.client..")
                .check(classes);
    }

    @Test
    void runtimeSpiImportsNoKubernetesType() {
        noClasses().that().resideInAPackage("io.podvisor.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "io.podvisor.api..",
                        "io.podvisor.kubelet..", "io.podvisor.cli..", "io.podvisor.store..", "io.podvisor.apiserver..",
                        "io.podvisor.controllers..")
                .check(classes);
    }

    @Test
    void apiDependsOnNeitherRuntimeNorKubelet() {
        noClasses().that().resideInAPackage("io.podvisor.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.podvisor.runtime..",
                        "io.podvisor.kubelet..", "io.podvisor.cli..", "io.podvisor.store..", "io.podvisor.apiserver..",
                        "io.podvisor.controllers..", "io.podvisor.client..")
                .check(classes);
    }

    @Test
    void clientKnowsOnlyTheApiAndCore() {
        noClasses().that().resideInAPackage("io.podvisor.client..")
                .should().dependOnClassesThat().resideInAnyPackage("io.podvisor.apiserver..", "io.podvisor.store..",
                        "io.podvisor.runtime..", "io.podvisor.kubelet..", "io.podvisor.controllers..",
                        "io.podvisor.cli..", "java.sql..")
                .check(classes);
    }

    /**
     * The kubelet talks to the API only through {@code api.ClusterClient} (and {@code ObjectClient}
     * for its Node, Lease and mirror pods); the informer caches it reads from are wired in by the
     * composition root ({@code client.node.CachedClusterClient}), so the kubelet itself knows no
     * transport and no cache (its tests wire the real API in at test scope).
     */
    @Test
    void kubeletImportsNeitherHttpServerNorStoreNorClientLayer() {
        noClasses().that().resideInAPackage("io.podvisor.kubelet..")
                .should().dependOnClassesThat().resideInAnyPackage("io.podvisor.apiserver..",
                        "io.podvisor.store..", "io.podvisor.cli..", "io.podvisor.client..", "org.eclipse.jetty..",
                        "java.sql..")
                .check(classes);
    }

    @Test
    void storeKnowsNoKubernetesType() {
        noClasses().that().resideInAPackage("io.podvisor.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "io.podvisor.api..",
                        "io.podvisor.runtime..", "io.podvisor.kubelet..", "io.podvisor.apiserver..",
                        "io.podvisor.controllers..", "io.podvisor.cli..")
                .check(classes);
    }

    @Test
    void controllersUseOnlyTheApiClient() {
        noClasses().that().resideInAPackage("io.podvisor.controllers..")
                .should().dependOnClassesThat().resideInAnyPackage("io.podvisor.apiserver..", "io.podvisor.store..",
                        "io.podvisor.runtime..", "io.podvisor.kubelet..", "io.podvisor.cli..",
                        "org.eclipse.jetty..", "java.sql..")
                .check(classes);
    }

    @Test
    void apiServerKnowsNeitherNodeNorControllers() {
        noClasses().that().resideInAPackage("io.podvisor.apiserver..")
                .should().dependOnClassesThat().resideInAnyPackage("io.podvisor.runtime..", "io.podvisor.kubelet..",
                        "io.podvisor.controllers..", "io.podvisor.cli..", "io.podvisor.client..")
                .check(classes);
    }

    @Test
    void onlySystemClockReadsTheWallClock() {
        noClasses().that().doNotHaveFullyQualifiedName("io.podvisor.core.SystemClock")
                .should().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .check(classes);
    }
}
