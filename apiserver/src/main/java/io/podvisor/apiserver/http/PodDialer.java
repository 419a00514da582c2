package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Opens TCP connections to one pod's ports for port-forward. The default dials the pod's IP from
 * this host: a runc pod's address is reachable through its node's bridge, a process-runtime pod
 * shares the host's network ({@code 127.0.0.1}).
 */
interface PodDialer {

    /** The address dialled, as errors show it. */
    String host();

    /** A connected socket to {@code port}. */
    Socket dial(int port) throws IOException;

    /** Dials {@code status.podIP}, giving up on a connect after {@code connectTimeoutMillis}. */
    static PodDialer podIp(Pod pod, int connectTimeoutMillis) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        return new PodDialer() {
            @Override
            public String host() {
                return ip == null ? "" : ip;
            }

            @Override
            public Socket dial(int port) throws IOException {
                if (ip == null || ip.isEmpty()) {
                    throw new IOException("pod has no IP address yet");
                }
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(ip, port), connectTimeoutMillis);
                    s.setTcpNoDelay(true);
                    return s;
                } catch (IOException e) {
                    s.close();
                    throw e;
                }
            }
        };
    }
}
