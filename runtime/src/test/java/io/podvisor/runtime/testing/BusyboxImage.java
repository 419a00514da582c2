package io.podvisor.runtime.testing;

import io.podvisor.runtime.image.HostBusybox;
import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.OciImageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    public static final Path HOST_BUSYBOX = HostBusybox.BINARY;

    /** The image's {@code PATH}. */
    public static final String PATH = HostBusybox.PATH;


    private BusyboxImage() {}

    /** True when {@code /bin/busybox} exists and is statically linked (an ELF without an interpreter). */
    public static boolean available() {
        return HostBusybox.available();
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
            for (String applet : HostBusybox.applets()) {
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
}
