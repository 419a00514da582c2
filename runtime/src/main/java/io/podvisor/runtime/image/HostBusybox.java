package io.podvisor.runtime.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The node's one built-in image, {@value #REFERENCE}: made on the spot from the host's statically
 * linked {@code /bin/busybox} (Debian's {@code busybox-static}), so pods can run real containers on
 * a machine that reaches no registry. One uncompressed layer: {@code bin/busybox} with a symlink
 * per applet, the usual top-level directories, {@code /etc/passwd} and {@code /etc/group} with root
 * and nobody; the config runs {@code sh} with a standard {@code PATH}. Its name is in the {@code
 * localhost} domain, as locally built images are named, so it never stands in for a registry's image.
 */
public final class HostBusybox {

    /** The reference the image is installed under. */
    public static final String REFERENCE = "localhost/busybox:host";

    /** The host binary the image is made from. */
    public static final Path BINARY = Path.of("/bin/busybox");

    /** The image's {@code PATH}. */
    public static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final int PT_INTERP = 3;

    private HostBusybox() {}

    /** True when {@code /bin/busybox} exists and is statically linked (an ELF without an interpreter). */
    public static boolean available() {
        return Files.isExecutable(BINARY) && isStatic(BINARY);
    }

    /**
     * Installs {@value #REFERENCE} into {@code store} unless it is there already or the host has no
     * static busybox; returns the image when it is in the store afterwards.
     */
    public static Optional<ImageInfo> ensure(OciImageStore store) throws IOException {
        Optional<ImageInfo> present = store.status(REFERENCE);
        if (present.isPresent() || !available()) {
            return present;
        }
        byte[] layer = layer();
        String layerDigest = Digests.of(layer);
        byte[] config = config(layerDigest);
        String configDigest = Digests.of(config);
        byte[] manifest = manifest(configDigest, config.length, layerDigest, layer.length);
        String manifestDigest = Digests.of(manifest);
        for (byte[] blob : List.of(layer, config, manifest)) {
            store.writeBlob(Digests.of(blob), blob.length, new ByteArrayInputStream(blob), n -> { });
        }
        return Optional.of(store.install(REFERENCE, manifestDigest, null));
    }

    /** The applets the host's busybox offers, as {@code busybox --list} names them. */
    public static List<String> applets() throws IOException {
        Process p = new ProcessBuilder(BINARY.toString(), "--list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing busybox applets", e);
        }
        return out.lines().map(String::strip).filter(s -> !s.isEmpty() && !s.contains("/")).toList();
    }

    /** Reads the ELF program headers: static when none is {@code PT_INTERP}. */
    public static boolean isStatic(Path file) {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer head = ByteBuffer.allocate(64);
            ch.read(head, 0);
            head.flip();
            if (head.limit() < 64 || head.getInt(0) != 0x7f454c46 || head.get(4) != 2) {
                return false; // not a 64-bit ELF
            }
            head.order(head.get(5) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            long phoff = head.getLong(0x20);
            int phentsize = head.getShort(0x36) & 0xffff;
            int phnum = head.getShort(0x38) & 0xffff;
            ByteBuffer ph = ByteBuffer.allocate(phentsize * phnum).order(head.order());
            ch.read(ph, phoff);
            for (int i = 0; i < phnum; i++) {
                if (ph.getInt(i * phentsize) == PT_INTERP) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] layer() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String d : List.of("bin", "dev", "etc", "proc", "sbin", "sys", "usr", "usr/bin", "var")) {
                dir(tar, d, 0755);
            }
            dir(tar, "root", 0700);
            dir(tar, "tmp", 01777);
            file(tar, "bin/busybox", Files.readAllBytes(BINARY), 0755);
            for (String applet : applets()) {
                if (!applet.equals("busybox")) {
                    TarArchiveEntry e = new TarArchiveEntry("bin/" + applet, TarConstants.LF_SYMLINK);
                    e.setLinkName("busybox");
                    e.setMode(0120777);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                }
            }
            file(tar, "etc/passwd", ("root:x:0:0:root:/root:/bin/sh\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n").getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, "etc/group", "root:x:0:\nnobody:x:65534:\n".getBytes(StandardCharsets.UTF_8), 0644);
        }
        return bytes.toByteArray();
    }

    private static void dir(TarArchiveOutputStream tar, String name, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name + "/");
        e.setMode(040000 | mode);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100000 | mode);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static byte[] config(String layerDigest) throws IOException {
        ObjectNode c = ImageManifest.JSON.createObjectNode();
        c.put("architecture", ImageArchives.Platforms.architecture());
        c.put("os", "linux");
        ObjectNode run = c.putObject("config");
        run.putArray("Env").add(PATH);
        run.putArray("Cmd").add("sh");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(layerDigest);
        return ImageManifest.JSON.writeValueAsBytes(c);
    }

    private static byte[] manifest(String configDigest, long configSize, String layerDigest, long layerSize)
            throws IOException {
        ObjectNode m = ImageManifest.JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", ImageManifest.OCI_MANIFEST);
        descriptor(m.putObject("config"), ImageManifest.OCI_CONFIG, configDigest, configSize);
        ArrayNode layers = m.putArray("layers");
        descriptor(layers.addObject(), ImageManifest.OCI_LAYER, layerDigest, layerSize);
        return ImageManifest.JSON.writeValueAsBytes(m);
    }

    private static void descriptor(ObjectNode d, String mediaType, String digest, long size) {
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
    }
}
