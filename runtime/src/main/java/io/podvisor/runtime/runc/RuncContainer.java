package io.podvisor.runtime.runc;

import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One container instance: its bundle directory and its lifecycle state. Fields under "guarded by
 * this" change only while holding the instance's lock.
 *
 * <pre>
 * CREATED --start--> RUNNING --runc run exits--> EXITED (Completed | Error | OOMKilled)
 * CREATED --start fails------------------------> EXITED (StartError, 128)
 * </pre>
 */
final class RuncContainer {

    final String id;
    final String sandboxId;
    final ContainerConfig config;
    final String imageRef;
    final Instant createdAt;
    /** The bundle: {@code config.json}, {@code rootfs} (the overlay), {@code upper}, {@code work}, pid and log files. */
    final Path dir;
    final String cgroupPath;
    /** Completes once the container has exited (or failed to start). */
    final CompletableFuture<Void> exited = new CompletableFuture<>();

    /** Its stdio for attaching clients, once it runs. */
    volatile io.podvisor.runtime.io.ContainerStdio stdio;

    // guarded by this
    ContainerState state = ContainerState.CREATED;
    Instant startedAt;
    Instant finishedAt;
    int exitCode;
    String reason;
    String message;
    Clock.Timer killTimer;
    Instant killAt;
    private ContainerInfo info;

    RuncContainer(String id, String sandboxId, ContainerConfig config, String imageRef, Instant createdAt, Path dir,
                  String cgroupPath) {
        this.id = id;
        this.sandboxId = sandboxId;
        this.config = config;
        this.imageRef = imageRef;
        this.createdAt = createdAt;
        this.dir = dir;
        this.cgroupPath = cgroupPath;
    }

    Path rootfs() {
        return dir.resolve("rootfs");
    }

    Path pidFile() {
        return dir.resolve("container.pid");
    }

    Path runcLog() {
        return dir.resolve("runc.log");
    }

    synchronized ContainerState state() {
        return state;
    }

    synchronized boolean running() {
        return state == ContainerState.RUNNING;
    }

    /** Records the end; false if it had already ended. Cancels a pending SIGKILL timer. */
    synchronized boolean finish(int code, String why, String text, Instant at) {
        if (state == ContainerState.EXITED) {
            return false;
        }
        state = ContainerState.EXITED;
        exitCode = code;
        reason = why;
        message = text;
        finishedAt = at;
        if (killTimer != null) {
            killTimer.cancel();
            killTimer = null;
        }
        return true;
    }

    /**
     * What the container is now. The same (immutable) object while nothing it shows changed, so
     * listing a thousand containers every second (the relist, each probe's look at its instance)
     * builds nothing new.
     */
    synchronized ContainerInfo info() {
        ContainerInfo last = info;
        if (last == null || last.state() != state || last.startedAt() != startedAt || last.finishedAt() != finishedAt
                || last.exitCode() != exitCode || !Objects.equals(last.reason(), reason)
                || !Objects.equals(last.message(), message)) {
            info = new ContainerInfo(id, sandboxId, config.name(), config.attempt(), config.image(), imageRef, state,
                    createdAt, startedAt, finishedAt, exitCode, reason, message, config.labels(), config.annotations());
        }
        return info;
    }
}
