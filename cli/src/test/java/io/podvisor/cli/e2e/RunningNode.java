package io.podvisor.cli.e2e;

import io.podvisor.cli.server.NodeServer;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.runtime.fake.FakeRuntime;
import java.io.IOException;
import java.nio.file.Path;

/** A real node in this JVM (real clock, HTTPS API, SQLite store) on the scripted fake runtime. */
final class RunningNode implements AutoCloseable {

    static final String NODE = "e2e-node";

    final Path dataDir;
    final SystemClock clock = new SystemClock();
    final FakeRuntime runtime = new FakeRuntime(clock);
    final NodeServer server;
    final Kubectl kubectl;

    RunningNode(Path dataDir, Path home) throws IOException {
        this.dataDir = dataDir;
        this.server = NodeServer.start(new NodeServer.Options(dataDir, 0, "127.0.0.1", NODE, null), clock,
                new VirtualThreadKeyedExecutor(), runtime);
        this.kubectl = new Kubectl(server.kubeconfig(), home);
    }

    @Override
    public void close() {
        server.close();
        clock.close();
    }
}
