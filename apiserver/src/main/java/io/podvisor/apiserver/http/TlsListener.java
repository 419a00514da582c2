package io.podvisor.apiserver.http;

import java.time.Duration;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The Jetty set-up the API server and the kubelet endpoint share: virtual threads, HTTP/1.1 over TLS only. */
final class TlsListener {

    private TlsListener() {}

    /**
     * A new server (handlers on virtual threads named {@code <name>-N}) with its one connector:
     * TLS only (plain HTTP gets Go's answer, {@link TlsOnlyConnectionFactory}), no server version
     * header, the TLS session's data on each request ({@link SecureRequestCustomizer}).
     */
    static ServerConnector connector(String name, SslContextFactory.Server ssl, String host, int port, Duration idleTimeout) {
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName(name);
        pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor(name + "-"));
        Server s = new Server(pool);
        s.setStopTimeout(2000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        http.addCustomizer(new SecureRequestCustomizer(false));
        SslConnectionFactory tls = new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString());
        ServerConnector connector = new ServerConnector(s, new TlsOnlyConnectionFactory(tls), new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        s.addConnector(connector);
        return connector;
    }
}
