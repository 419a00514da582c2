package io.podvisor.runtime.io;

/**
 * Threads for reading a child process's pipes for as long as it runs (container logs, discarded
 * output). Platform threads, not virtual ones: a read on a pipe blocks in the kernel and pins its
 * carrier, and with a pump or two per container a node of a hundred pods would hold every carrier
 * of the virtual-thread scheduler, starving everything else (the API, the kubelet). Small stacks:
 * a reader only copies bytes.
 */
public final class PipeReaders {

    private static final long STACK_BYTES = 256 * 1024;

    private PipeReaders() {}

    /** Starts {@code reader} on a daemon platform thread named {@code name}. */
    public static Thread start(String name, Runnable reader) {
        return Thread.ofPlatform().name(name).daemon().stackSize(STACK_BYTES).start(reader);
    }
}
