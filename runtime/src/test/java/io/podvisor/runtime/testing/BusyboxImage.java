package io.podvisor.runtime.testing;

import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.OciImageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A busybox image built from the host's statically linked {@code /bin/busybox}: {@code bin/busybox}
 * with a symlink per applet, the usual top-level directories, {@code /etc/passwd} and {@code /etc/group}
 * with root and nobody, and an image config running {@code sh} with a standard PATH. {@link #layout()}
 * gives it as an OCI image (one layer) to write as a layout or archive, {@link #install} puts it into a store.
 */
public final class BusyboxImage {

    /** The host binary the image is made from. */
    public static final Path HOST_BUSYBOX = Path.of("/bin/busybox");

    /** The image's {@code PATH}. */
    public static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";


    private BusyboxImage() {}

    /** True when {@code /bin/busybox} exists and is statically linked (an ELF without an interpreter). */
    public static boolean available() {
        return Files.isExecutable(HOST_BUSYBOX) && isStatic(HOST_BUSYBOX);
    }

    /**
     * The image as one gzip layer (the rootfs above) with its config ({@code Cmd ["sh"]}, a standard
     * {@code PATH}); add a {@link OciLayoutBuilder#tag} or more layers before building if needed.
     */
    public static OciLayoutBuilder layout() {
        try {
            List<TarEntrySpec> entries = new ArrayList<>();
            for (String d : List.of("bin", "proc", "sys", "dev", "etc", "var", "usr", "usr/bin", "sbin")) {
                entries.add(TarEntrySpec.dir(d));
            }
            entries.add(TarEntrySpec.dir("root").mode(0700));
            entries.add(TarEntrySpec.dir("tmp").mode(01777));
            entries.add(TarEntrySpec.file("bin/busybox", Files.readAllBytes(HOST_BUSYBOX)).mode(0755));
            for (String applet : applets()) {
                if (!applet.equals("busybox")) {
                    entries.add(TarEntrySpec.symlink("bin/" + applet, "busybox"));
                }
            }
            entries.add(TarEntrySpec.file("etc/passwd",
                    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"));
            entries.add(TarEntrySpec.file("etc/group", "root:x:0:\nnobody:x:65534:\n"));
            return new OciLayoutBuilder()
                    .layer(OciLayoutBuilder.Compression.GZIP, entries.toArray(TarEntrySpec[]::new))
                    .cmd("sh").env(PATH);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Installs the image under {@code reference} in {@code store} (its blobs written and verified,
     * then {@link OciImageStore#install}); returns what the store says of it.
     */
    public static ImageInfo install(OciImageStore store, String reference) {
        return install(store, reference, layout().build());
    }

    /** Writes every blob of {@code image} into {@code store} and installs its first image as {@code reference}. */
    public static ImageInfo install(OciImageStore store, String reference, BuiltLayout image) {
        try {
            for (var blob : image.blobs().entrySet()) {
                store.writeBlob(blob.getKey(), blob.getValue().length, new ByteArrayInputStream(blob.getValue()), n -> { });
            }
            return store.install(reference, image.image().manifestDigest(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> applets() throws IOException {
        Process p = new ProcessBuilder(HOST_BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.lines().map(String::strip).filter(s -> !s.isEmpty() && !s.contains("/")).toList();
    }

    /** Reads the ELF program headers: static when none is {@code PT_INTERP}. */
    static boolean isStatic(Path file) {
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
                if (ph.getInt(i * phentsize) == 3) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
