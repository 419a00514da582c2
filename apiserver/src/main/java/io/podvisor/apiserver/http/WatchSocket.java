package io.podvisor.apiserver.http;

import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The WebSocket end of a watch ({@link WatchStream#serveWebSocket}): once open the watch's events
 * are sent on it; its closing (or failing) ends the watch. What the client sends is ignored.
 *
 * <p>Public because Jetty's WebSocket layer requires public endpoint classes.
 */
public final class WatchSocket implements Session.Listener.AutoDemanding {

    private final Consumer<Session> opened;
    private final Runnable closed;

    WatchSocket(Consumer<Session> opened, Runnable closed) {
        this.opened = opened;
        this.closed = closed;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        opened.accept(session);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closed.run();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closed.run();
    }
}
