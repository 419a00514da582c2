package io.podvisor.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.ShellRuntimeContract;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The runtime contract on runc (root, runc and a static busybox needed; skipped otherwise). Each test
 * gets its own instance name; after it, nothing of the instance may remain on the host.
 */
class RuncRuntimeContractTest extends ShellRuntimeContract {

    private RuncRuntime.Options options;

    @Override
    protected ContainerRuntime newRuntime() throws Exception {
        RuncHost.assumeUsable();
        options = RuncHost.options(RuncHost.uniqueName(), dir, "10.238.0.0/16", clock());
        return RuncRuntime.start(options);
    }

    @Override
    protected void closeRuntime(ContainerRuntime rt) {
        rt.shutdown();
        try {
            assertThat(RuncHost.leftovers(options)).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A container's first process is its PID namespace's init, which SIGTERM does not kill by default. */
    @Override
    protected Behaviour runsUntilStopped() {
        return new Behaviour(uniqueName("runs"), sh("trap 'exit 143' TERM; echo ready; sleep 100000 & wait"));
    }
}
