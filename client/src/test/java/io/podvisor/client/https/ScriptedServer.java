package io.podvisor.client.https;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.podvisor.apiserver.tls.CertificateMinter;
import io.podvisor.apiserver.tls.Pem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS server on loopback that answers each request with the next scripted {@link Reply} and
 * records what it was asked, for what a real API server cannot be made to do on cue (429, 5xx, a
 * stream that ends, bookmarks). Its CA also signs client certificates.
 */
final class ScriptedServer implements AutoCloseable {

    /** One answer; {@code body} lines of a stream are flushed one by one, then it waits for {@code hold}. */
    record Reply(int code, List<String> headers, List<String> lines, java.util.concurrent.CountDownLatch hold) {
        static Reply json(int code, String body, String... headers) {
            return new Reply(code, List.of(headers), List.of(body), null);
        }

        static Reply stream(java.util.concurrent.CountDownLatch hold, String... lines) {
            return new Reply(200, List.of(), List.of(lines), hold);
        }
    }

    /** One request as received. */
    record Seen(String method, String uri, String authorization, String body, String clientSubject) {}

    final CertificateMinter.Issuer ca = CertificateMinter.newCa("scripted-ca", Instant.now());
    final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    final List<Seen> seen = new ArrayList<>();
    private final HttpsServer server;

    ScriptedServer(boolean needClientCertificate) throws Exception {
        KeyPair keys = CertificateMinter.newKeyPair();
        X509Certificate cert = CertificateMinter.newServingCertificate(ca, keys, "scripted", List.of("127.0.0.1"),
                List.of("localhost"), Instant.now());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", keys.getPrivate(), new char[0], new Certificate[] {cert, ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
                params.setNeedClientAuth(needClientCertificate);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    String caPem() {
        return Pem.encode(ca.certificate());
    }

    /** A client certificate (PEM) for {@code keys}, signed by this server's CA. */
    String clientCertificate(KeyPair keys, String name) {
        return Pem.encode(CertificateMinter.newClientCertificate(ca, keys, "CN=" + name, Instant.now()));
    }

    synchronized List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void answer(HttpExchange ex) throws IOException {
        String subject = null;
        if (ex instanceof com.sun.net.httpserver.HttpsExchange https) {
            SSLSession session = https.getSSLSession();
            try {
                subject = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
                // no client certificate
            }
        }
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        synchronized (this) {
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(),
                    ex.getRequestHeaders().getFirst("Authorization"), body, subject));
        }
        Reply r;
        try {
            r = replies.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (r == null) {
            r = Reply.json(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"no reply scripted\"}");
        }
        ex.getResponseHeaders().add("Content-Type", "application/json");
        for (String h : r.headers()) {
            String[] kv = h.split(":", 2);
            ex.getResponseHeaders().add(kv[0].trim(), kv[1].trim());
        }
        try (OutputStream out = ex.getResponseBody()) {
            ex.sendResponseHeaders(r.code(), 0);
            for (String line : r.lines()) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (r.hold() != null) {
                r.hold().await(10, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
