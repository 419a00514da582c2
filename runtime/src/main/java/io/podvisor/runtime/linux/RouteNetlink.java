package io.podvisor.runtime.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code NETLINK_ROUTE} socket through the FFM API: the few link, address and route requests a pod
 * network needs, each sent with an acknowledgement asked for and waited on, as iproute2's {@code ip}
 * sends them. The socket acts in the network namespace of the thread that opened it, whichever thread
 * uses it later. Not thread-safe: one request at a time, from any thread.
 */
public final class RouteNetlink implements AutoCloseable {

    private static final int AF_NETLINK = 16;
    private static final int AF_INET = 2;
    private static final int SOCK_RAW_CLOEXEC = 3 | 0x80000;
    private static final int NETLINK_ROUTE = 0;

    private static final short RTM_NEWLINK = 16;
    private static final short RTM_NEWADDR = 20;
    private static final short RTM_NEWROUTE = 24;
    private static final short NLMSG_ERROR = 2;
    private static final short NLM_F_REQUEST = 1;
    private static final short NLM_F_ACK = 4;
    private static final short NLM_F_EXCL = 0x200;
    private static final short NLM_F_CREATE = 0x400;

    private static final short IFLA_IFNAME = 3;
    private static final short IFLA_MASTER = 10;
    private static final short IFLA_LINKINFO = 18;
    private static final short IFLA_NET_NS_FD = 28;
    private static final short IFLA_INFO_KIND = 1;
    private static final short IFLA_INFO_DATA = 2;
    private static final short VETH_INFO_PEER = 1;
    private static final int IFF_UP = 1;
    private static final short IFA_ADDRESS = 1;
    private static final short IFA_LOCAL = 2;
    private static final short RTA_OIF = 4;
    private static final short RTA_GATEWAY = 5;
    private static final byte RT_TABLE_MAIN = (byte) 254;
    private static final byte RTPROT_BOOT = 3;
    private static final byte RTN_UNICAST = 1;

    private static final Calls CALLS = new Calls();

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = Libc.callState(arena);
    private final MemorySegment buffer = arena.allocate(8192);
    private int seq;

    private RouteNetlink(int fd) {
        this.fd = fd;
    }

    /** Opens a socket acting in the calling thread's network namespace. */
    public static RouteNetlink open() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            int fd = (int) CALLS.socket.invokeExact(st, AF_NETLINK, SOCK_RAW_CLOEXEC, NETLINK_ROUTE);
            if (fd < 0) {
                throw new IOException("opening a netlink socket: " + Libc.strerror(Libc.errno(st)));
            }
            return new RouteNetlink(fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /**
     * {@code ip link add HOST type veth peer name PEER netns FD}: a veth pair with {@code host} here
     * and {@code peer} in the namespace {@code peerNetnsFd} refers to.
     */
    public void addVethPair(String host, String peer, int peerNetnsFd) throws IOException {
        Message m = new Message(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL).ifinfo(0, 0, 0);
        m.string(IFLA_IFNAME, host);
        int linkinfo = m.begin(IFLA_LINKINFO);
        m.string(IFLA_INFO_KIND, "veth");
        int data = m.begin(IFLA_INFO_DATA);
        int peerInfo = m.begin(VETH_INFO_PEER);
        m.ifinfo(0, 0, 0);
        m.string(IFLA_IFNAME, peer);
        m.int32(IFLA_NET_NS_FD, peerNetnsFd);
        m.end(peerInfo);
        m.end(data);
        m.end(linkinfo);
        request(m, "creating the veth pair " + host + "/" + peer);
    }

    /** {@code ip link set NAME [master MASTER] up}; {@code masterIndex} 0 leaves the master alone. */
    public void setUp(String name, int masterIndex) throws IOException {
        Message m = new Message(RTM_NEWLINK, 0).ifinfo(0, IFF_UP, IFF_UP);
        m.string(IFLA_IFNAME, name);
        if (masterIndex > 0) {
            m.int32(IFLA_MASTER, masterIndex);
        }
        request(m, "setting " + name + " up");
    }

    /** {@code ip addr add ADDRESS/PREFIX dev INDEX}. */
    public void addAddress(int index, String address, int prefixLength) throws IOException {
        byte[] a = ipv4(address);
        Message m = new Message(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
        m.bytes(new byte[] {AF_INET, (byte) prefixLength, 0, 0}).int32(index);
        m.attribute(IFA_LOCAL, a);
        m.attribute(IFA_ADDRESS, a);
        request(m, "adding address " + address + "/" + prefixLength);
    }

    /** {@code ip route add default via GATEWAY dev INDEX}. */
    public void addDefaultRoute(String gateway, int index) throws IOException {
        Message m = new Message(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
        m.bytes(new byte[] {AF_INET, 0, 0, 0, RT_TABLE_MAIN, RTPROT_BOOT, 0, RTN_UNICAST}).int32(0);
        m.attribute(RTA_GATEWAY, ipv4(gateway));
        m.int32(RTA_OIF, index);
        request(m, "adding the default route via " + gateway);
    }

    private void request(Message m, String what) throws IOException {
        int id = ++seq;
        byte[] bytes = m.finish(id);
        MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
        try {
            long sent = (long) CALLS.send.invokeExact(state, fd, buffer, (long) bytes.length, 0);
            if (sent != bytes.length) {
                throw new IOException(what + ": sending: " + Libc.strerror(Libc.errno(state)));
            }
            while (true) {
                long n = (long) CALLS.recv.invokeExact(state, fd, buffer, buffer.byteSize(), 0);
                if (n < 0) {
                    throw new IOException(what + ": receiving: " + Libc.strerror(Libc.errno(state)));
                }
                ByteBuffer in = buffer.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder());
                while (in.remaining() >= 16) {
                    int start = in.position();
                    int len = in.getInt();
                    short type = in.getShort();
                    in.getShort();
                    int replySeq = in.getInt();
                    in.getInt();
                    if (type == NLMSG_ERROR && replySeq == id) {
                        int error = in.getInt();
                        if (error != 0) {
                            throw new IOException(what + ": " + Libc.strerror(-error));
                        }
                        return;
                    }
                    if (len < 16) {
                        break;
                    }
                    in.position(start + align(len));
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(what + ": " + t, t);
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
        arena.close();
    }

    private static byte[] ipv4(String address) throws IOException {
        InetAddress a = InetAddress.ofLiteral(address);
        if (!(a instanceof Inet4Address)) {
            throw new IOException("not an IPv4 address: " + address);
        }
        return a.getAddress();
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    /** A request being written: header, family header, attributes (nested ones begun and ended). */
    private static final class Message {
        private final ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());

        Message(short type, int flags) {
            b.putInt(0).putShort(type).putShort((short) (NLM_F_REQUEST | NLM_F_ACK | flags)).putInt(0).putInt(0);
        }

        Message ifinfo(int index, int flags, int change) {
            b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
            return this;
        }

        Message bytes(byte[] raw) {
            b.put(raw);
            return this;
        }

        Message int32(int v) {
            b.putInt(v);
            return this;
        }

        void int32(short type, int v) {
            attribute(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
        }

        void string(short type, String s) {
            byte[] text = s.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[text.length + 1];
            System.arraycopy(text, 0, z, 0, text.length);
            attribute(type, z);
        }

        void attribute(short type, byte[] value) {
            b.putShort((short) (4 + value.length)).putShort(type).put(value);
            pad();
        }

        int begin(short type) {
            int at = b.position();
            b.putShort((short) 0).putShort(type);
            return at;
        }

        void end(int at) {
            b.putShort(at, (short) (b.position() - at));
        }

        private void pad() {
            while ((b.position() & 3) != 0) {
                b.put((byte) 0);
            }
        }

        byte[] finish(int seq) {
            b.putInt(0, b.position()).putInt(8, seq);
            byte[] out = new byte[b.position()];
            b.get(0, out);
            return out;
        }
    }

    /** Bound on first use. */
    private static final class Calls {
        final MethodHandle socket = Libc.function("socket",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                true);
        final MethodHandle send = Libc.function("send", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), true);
        final MethodHandle recv = Libc.function("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), true);
    }
}
