package io.podvisor.apiserver.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of Kubernetes' port-forward protocol over one SPDY/3.1 connection, whatever carries
 * its bytes (a WebSocket tunnel, {@link PortForwardTunnel}). SPDY framing and header compression are
 * Netty's {@link SpdyFrameCodec} on an {@link EmbeddedChannel}; this class only decides what the
 * frames mean, as the kubelet's port-forward handler does:
 * <ul>
 *   <li>each forwarded connection is a pair of streams opened by the client, {@code streamtype:
 *   error} and {@code streamtype: data}, sharing a {@code requestid} and naming the {@code port};
 *   every stream gets a SYN_REPLY (with its {@code streamtype}: Go's framer needs a header block), a stream without a valid port or type a RST_STREAM;</li>
 *   <li>once both are open the pod's port is dialled ({@link PodDialer}); bytes of the data stream
 *   go to the connection and the connection's bytes come back on it, each side's end as a FIN;</li>
 *   <li>a failure is written to the error stream as upstream's {@code error forwarding port P to pod
 *   ID, uid : …}; the error stream is closed (FIN) when the connection is done;</li>
 *   <li>PINGs are answered, RST_STREAM closes the connection, GOAWAY or the end of the carrier
 *   closes them all. Flow control is not enforced in either direction (as Go's spdystream).</li>
 * </ul>
 *
 * <p>Thread-safety: frames are decoded and encoded under one lock (header compression is ordered);
 * each forwarded connection has a virtual thread per direction.
 */
final class SpdyPortForward {

    /** Where encoded SPDY bytes go, in order. May block (back-pressure). */
    interface Outbound {
        void send(byte[] bytes) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SpdyPortForward.class);

    private final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1, false));
    private final Outbound out;
    private final PodDialer dialer;
    private final String podId;
    private final Map<String, Pair> pairs = new HashMap<>();
    private final Map<Integer, Pair> byStream = new HashMap<>();
    private boolean closed;

    SpdyPortForward(Outbound out, PodDialer dialer, String podId) {
        this.out = out;
        this.dialer = dialer;
        this.podId = podId;
    }

    /** Feeds bytes that arrived from the client. */
    void receive(ByteBuffer bytes) {
        synchronized (this) {
            if (closed) {
                return;
            }
            codec.writeInbound(Unpooled.copiedBuffer(bytes)); // the carrier reuses its buffer; the codec may keep a partial frame
            for (Object frame; (frame = codec.readInbound()) != null; ) {
                try {
                    handle((SpdyFrame) frame);
                } finally {
                    ReferenceCountUtil.release(frame);
                }
            }
        }
    }

    /** The carrier ended: every forwarded connection is closed. Idempotent. */
    void close() {
        Map<String, Pair> open;
        synchronized (this) {
            closed = true;
            open = new HashMap<>(pairs);
            pairs.clear();
            byStream.clear();
        }
        open.values().forEach(Pair::abort);
        synchronized (this) {
            codec.finishAndReleaseAll();
        }
    }

    private void handle(SpdyFrame frame) {
        switch (frame) {
            case SpdySynStreamFrame syn -> open(syn);
            case SpdyDataFrame data -> {
                Pair p = byStream.get(data.streamId());
                if (p != null && p.connection != null && p.data.id() == data.streamId()) {
                    p.fromClient(ByteBufUtil.getBytes(data.content()), data.isLast());
                }
            }
            case SpdyRstStreamFrame rst -> {
                Pair p = byStream.get(rst.streamId());
                if (p != null) {
                    forget(p);
                    p.abort();
                }
            }
            case SpdyPingFrame ping -> write(new DefaultSpdyPingFrame(ping.id()));
            case SpdyGoAwayFrame ignored -> {
                for (Pair p : new java.util.ArrayList<>(pairs.values())) {
                    forget(p);
                    p.abort();
                }
            }
            default -> { } // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do
        }
    }

    private void open(SpdySynStreamFrame syn) {
        int id = syn.streamId();
        String portText = syn.headers().getAsString("port");
        String type = syn.headers().getAsString("streamtype");
        String problem = null;
        int port = 0;
        if (portText == null || portText.isEmpty()) {
            problem = "\"port\" header is required";
        } else {
            try {
                port = Integer.parseInt(portText);
                if (port < 1) {
                    problem = "port \"" + portText + "\" must be > 0";
                } else if (port > 65535) {
                    problem = "unable to parse \"" + portText + "\" as a port: strconv.ParseUint: parsing \""
                            + portText + "\": value out of range";
                }
            } catch (NumberFormatException e) {
                problem = "unable to parse \"" + portText + "\" as a port: strconv.ParseUint: parsing \""
                        + portText + "\": invalid syntax";
            }
        }
        if (problem == null && (type == null || type.isEmpty())) {
            problem = "\"streamType\" header is required";
        } else if (problem == null && !type.equals("error") && !type.equals("data")) {
            problem = "invalid stream type \"" + type + "\"";
        }
        if (problem != null) {
            LOG.debug("refusing port-forward stream {}: {}", id, problem);
            write(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.REFUSED_STREAM));
            return;
        }
        // Go's SPDY framer cannot read a SYN_REPLY without a header block, and Netty writes none for
        // no headers: the reply names the stream's type
        DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(id);
        reply.headers().set("streamtype", type);
        write(reply);
        String requestId = syn.headers().getAsString("requestid");
        if (requestId == null || requestId.isEmpty()) { // an old client: the ids of a pair are consecutive
            requestId = Integer.toString(type.equals("error") ? id : id - 2);
        }
        Pair p = pairs.computeIfAbsent(requestId, Pair::new);
        Stream s = new Stream(id);
        if (type.equals("error")) {
            if (p.error != null) {
                writeText(p.error, "error processing stream for request " + requestId + ": error stream already assigned");
                return;
            }
            p.error = s;
        } else {
            if (p.data != null) {
                writeText(p.error, "error processing stream for request " + requestId + ": data stream already assigned");
                return;
            }
            p.data = s;
            p.connection = new PodConnection(dialer, podId, port, p);
        }
        byStream.put(id, p);
        if (p.error != null && p.data != null) {
            p.start();
        }
    }

    private void forget(Pair p) {
        pairs.remove(p.requestId, p);
        if (p.error != null) {
            byStream.remove(p.error.id);
        }
        if (p.data != null) {
            byStream.remove(p.data.id);
        }
    }

    private synchronized void write(SpdyFrame frame) {
        if (closed) {
            ReferenceCountUtil.release(frame);
            return;
        }
        codec.writeOutbound(frame);
        for (Object buf; (buf = codec.readOutbound()) != null; ) {
            try {
                out.send(ByteBufUtil.getBytes((ByteBuf) buf));
            } catch (IOException e) {
                LOG.debug("port-forward carrier write failed", e);
            } finally {
                ReferenceCountUtil.release(buf);
            }
        }
    }

    private void writeData(Stream s, byte[] bytes, int len, boolean last) {
        if (s != null) {
            write(new DefaultSpdyDataFrame(s.id, Unpooled.wrappedBuffer(bytes, 0, len)).setLast(last));
        }
    }

    private void writeText(Stream s, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        writeData(s, b, b.length, false);
    }

    private record Stream(int id) {}

    /** One forwarded connection: its two streams and the pod's side. */
    private final class Pair implements PodConnection.Client {
        final String requestId;
        Stream error;
        Stream data;
        PodConnection connection;

        Pair(String requestId) {
            this.requestId = requestId;
        }

        void start() {
            connection.start();
        }

        void fromClient(byte[] bytes, boolean last) {
            connection.fromClient(bytes, last);
        }

        void abort() {
            if (connection != null) {
                connection.abort();
            }
        }

        @Override
        public void data(byte[] bytes, int len) {
            writeData(data, bytes, len, false);
        }

        @Override
        public void end() {
            writeData(data, new byte[0], 0, true);
        }

        @Override
        public void error(String message) {
            writeText(error, message);
            end();
        }

        @Override
        public void done() {
            writeData(error, new byte[0], 0, true);
            synchronized (SpdyPortForward.this) {
                forget(this);
            }
        }
    }
}
