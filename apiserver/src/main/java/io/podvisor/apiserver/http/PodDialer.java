package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Opens connections to one pod's ports for port-forward. {@link #podIp} dials the pod's IP from
 * this host: a runc pod's address is reachable through its node's bridge, a process-runtime pod
 * shares the host's network ({@code 127.0.0.1}). A pod on another node is reached through its
 * kubelet instead ({@link KubeletClient#portForwardDialer}).
 */
interface PodDialer {

    /** One open connection to a pod's port. */
    interface Connection extends Closeable {
        InputStream input() throws IOException;

        OutputStream output() throws IOException;

        /** The client will send no more (a half-close where the carrier has one). */
        void shutdownOutput() throws IOException;

        /** What the far side reported once the input ended (a kubelet's error channel); empty if nothing. */
        default String error() {
            return "";
        }
    }

    /** The address dialled, as errors show it. */
    String host();

    /** A connection to {@code port}. */
    Connection dial(int port) throws IOException;

    /** Dials {@code status.podIP}, giving up on a connect after {@code connectTimeoutMillis}. */
    static PodDialer podIp(Pod pod, int connectTimeoutMillis) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        return new PodDialer() {
            @Override
            public String host() {
                return ip == null ? "" : ip;
            }

            @Override
            public Connection dial(int port) throws IOException {
                if (ip == null || ip.isEmpty()) {
                    throw new IOException("pod has no IP address yet");
                }
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(ip, port), connectTimeoutMillis);
                    s.setTcpNoDelay(true);
                    return socket(s);
                } catch (IOException e) {
                    s.close();
                    throw e;
                }
            }
        };
    }

    /** A connection over an open socket. */
    static Connection socket(Socket s) {
        return new Connection() {
            @Override
            public InputStream input() throws IOException {
                return s.getInputStream();
            }

            @Override
            public OutputStream output() throws IOException {
                return s.getOutputStream();
            }

            @Override
            public void shutdownOutput() throws IOException {
                if (!s.isClosed()) {
                    s.shutdownOutput();
                }
            }

            @Override
            public void close() throws IOException {
                s.close();
            }
        };
    }
}
