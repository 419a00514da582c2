package io.podvisor.bench;

import io.podvisor.cli.server.NodeServer;
import io.podvisor.core.FileTrees;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.runtime.fake.FakeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node in this JVM for the API benchmarks: fake runtime, SQLite store in a temp directory,
 * kubelet and controllers running, the HTTPS API on a free loopback port. Closing it stops the
 * node and removes the directory.
 */
final class LocalNode implements AutoCloseable {

    /** The temp directory (the node's data dir is {@code node/} in it; benchmarks may put more beside). */
    final Path tmp;
    final Path data;
    private final SystemClock clock = new SystemClock();
    private NodeServer server;

    private LocalNode(Path tmp) {
        this.tmp = tmp;
        this.data = tmp.resolve("node");
    }

    /** Starts a node in a new temp directory named {@code prefix…}. */
    static LocalNode start(String prefix) throws Exception {
        LocalNode node = new LocalNode(Files.createTempDirectory(prefix));
        try {
            node.server = NodeServer.start(new NodeServer.Options(node.data, 0, "127.0.0.1", "bench", null), node.clock,
                    new VirtualThreadKeyedExecutor(), new FakeRuntime(node.clock));
            return node;
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
    }

    NodeServer server() {
        return server;
    }

    /** A client of the node's HTTPS API. */
    NodeApi api() throws Exception {
        return new NodeApi(server.port(), data);
    }

    /** Stops the node but keeps the temp directory until {@link #close()}. */
    void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public void close() throws java.io.IOException {
        stopServer();
        clock.close();
        FileTrees.delete(tmp);
    }
}
