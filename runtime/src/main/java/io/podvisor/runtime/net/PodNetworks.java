package io.podvisor.runtime.net;

import io.podvisor.runtime.RuntimeFailure;
import java.nio.file.Path;

/**
 * The pod network of one runtime instance: a Linux bridge holding the CIDR's first address (the
 * pods' gateway), and per sandbox a network namespace with loopback up and a veth pair, one end on
 * the bridge and the other as {@code eth0} in the namespace with an address from the CIDR. The host
 * reaches every pod at its address; pods reach each other over the bridge.
 *
 * <p>Names carry the instance's prefix so instances (and tests) never touch each other's: bridge
 * {@code <prefix>0}, namespaces {@code <prefix>-<sandbox id>}, host-side veths {@code <prefix><n>}
 * (at most 15 characters). Address allocations are recorded under {@code stateDir} so a restart
 * can find and remove what a previous run left.
 *
 * <p>Thread-safe.
 */
public final class PodNetworks implements AutoCloseable {

    /** The default pod CIDR. */
    public static final String DEFAULT_CIDR = "10.88.0.0/16";

    /**
     * A sandbox's network.
     *
     * @param netnsPath    the namespace's bind-mounted file ({@code /run/netns/<name>}), for runc
     * @param ip           the pod's address
     * @param prefixLength the CIDR's prefix length
     */
    public record Attachment(String sandboxId, String netnsName, String netnsPath, String ip, String gateway,
                             int prefixLength) {}

    /**
     * @param prefix   names this instance's bridge, namespaces and links (letters and digits, at most 6)
     * @param cidr     the pod CIDR, e.g. {@link #DEFAULT_CIDR}
     * @param stateDir where allocations are recorded
     */
    public PodNetworks(String prefix, String cidr, Path stateDir) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Creates the bridge if missing and brings it up with the gateway address. Idempotent. */
    public void setUp() throws RuntimeFailure {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Creates the namespace, the veth pair and the address of a new sandbox. Nothing remains on failure. */
    public Attachment attach(String sandboxId) throws RuntimeFailure {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Deletes a sandbox's namespace and link and frees its address. Idempotent; never throws. */
    public void detach(String sandboxId) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Deletes every namespace, link and allocation of this prefix (a previous run's leftovers). */
    public void removeLeftovers() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Detaches every sandbox and deletes the bridge. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
