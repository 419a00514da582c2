package io.podvisor.cli.image;

import io.podvisor.runtime.image.ImageInfo;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code podvisor image ls}: the images of a data directory, in the columns {@code crictl images} prints. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List the images of a data directory.")
public final class ImageListCommand implements Callable<Integer> {

    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    @Mixin
    DataDirOption data;

    @Override
    public Integer call() throws java.io.IOException {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"IMAGE", "TAG", "IMAGE ID", "SIZE"});
        for (ImageInfo image : data.store().list()) {
            String id = image.id().substring(image.id().indexOf(':') + 1);
            id = id.substring(0, Math.min(13, id.length()));
            String size = humanSize(image.size());
            if (!image.repoTags().isEmpty()) {
                for (String tag : image.repoTags()) {
                    int colon = tag.lastIndexOf(':');
                    rows.add(new String[] {tag.substring(0, colon), tag.substring(colon + 1), id, size});
                }
            } else if (!image.repoDigests().isEmpty()) {
                for (String digest : image.repoDigests()) {
                    rows.add(new String[] {digest.substring(0, digest.indexOf('@')), "<none>", id, size});
                }
            } else {
                rows.add(new String[] {"<none>", "<none>", id, size});
            }
        }
        System.out.print(table(rows));
        return 0;
    }

    /** Columns at least 20 wide and 3 apart, the last unpadded (crictl's tab writer). */
    static String table(List<String[]> rows) {
        int columns = rows.getFirst().length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < columns - 1; c++) {
                width[c] = Math.max(width[c], Math.max(20, r[c].length() + 3));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int c = 0; c < columns - 1; c++) {
                sb.append(r[c]).append(" ".repeat(width[c] - r[c].length()));
            }
            sb.append(r[columns - 1]).append('\n');
        }
        return sb.toString();
    }

    /** Bytes in decimal units with three significant digits, as {@code crictl images} shows them ({@code 2.16MB}). */
    static String humanSize(long bytes) {
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(size).round(new MathContext(3)).stripTrailingZeros();
        return rounded.toPlainString() + UNITS[unit];
    }
}
