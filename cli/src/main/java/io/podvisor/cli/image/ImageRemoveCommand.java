package io.podvisor.cli.image;

import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.image.ImageReference;
import io.podvisor.runtime.image.OciImageStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code podvisor image rm REF…}: removes references; an image's content goes with its last one. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = "Remove images by reference or image id (refused while a container uses the image).")
public final class ImageRemoveCommand implements Callable<Integer> {

    @Mixin
    DataDirOption data;

    @Parameters(arity = "1..*", paramLabel = "REF", description = "Image references or ids.")
    List<String> references;

    @Override
    public Integer call() throws java.io.IOException {
        OciImageStore store = data.store();
        int code = 0;
        for (String ref : references) {
            try {
                List<String> names = deletedNames(store, ref);
                store.remove(ref);
                names.forEach(n -> System.out.println("Deleted: " + n));
            } catch (RuntimeFailure e) {
                System.err.println("podvisor image rm: " + e.getMessage());
                code = 1;
            }
        }
        return code;
    }

    /** What removing {@code ref} deletes: every name of the image for an id, else the normalized reference. */
    private static List<String> deletedNames(OciImageStore store, String ref) {
        if (ref.matches("(sha256:)?[0-9a-f]{64}")) {
            return store.status(ref).map(i -> i.repoTags().isEmpty() ? i.repoDigests() : i.repoTags())
                    .filter(l -> !l.isEmpty()).orElse(List.of(ref));
        }
        try {
            return List.of(ImageReference.parse(ref).toString());
        } catch (IllegalArgumentException e) {
            return List.of(ref);
        }
    }
}
