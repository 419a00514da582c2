package io.podvisor.apiserver.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** Sends that wait until Jetty has written the message, so a sender keeps to the pace of its client. */
final class WebSocketSends {

    private WebSocketSends() {}

    static void binary(Session session, ByteBuffer message) throws IOException {
        await(session, cb -> session.sendBinary(message, cb));
    }

    static void text(Session session, String message) throws IOException {
        await(session, cb -> session.sendText(message, cb));
    }

    private static void await(Session session, Consumer<Callback> send) throws IOException {
        if (session == null || !session.isOpen()) {
            throw new IOException("WebSocket closed");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        send.accept(Callback.from(() -> done.complete(null), done::completeExceptionally));
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        } catch (ExecutionException e) {
            throw new IOException("WebSocket write failed", e.getCause());
        }
    }
}
