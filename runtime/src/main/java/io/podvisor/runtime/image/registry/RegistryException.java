package io.podvisor.runtime.image.registry;

/**
 * A registry conversation failed; the message is the cause as containerd words it (for example
 * {@code docker.io/library/nosuch:1: not found}), without the {@code failed to pull} prefix.
 */
final class RegistryException extends Exception {

    RegistryException(String message) {
        super(message);
    }

    RegistryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A request that got an answer the puller cannot use, worded like containerd's unexpected-status error. */
    static RegistryException unexpectedStatus(String method, String url, int status) {
        return new RegistryException("unexpected status from " + method + " request to " + url + ": "
                + HttpStatus.text(status));
    }

    /** Content whose digest or size is not the one its descriptor names. */
    static RegistryException commitMismatch(String ref, String actualDigest, long actualSize, String expectedDigest,
                                            long expectedSize) {
        if (expectedSize >= 0 && actualSize != expectedSize) {
            return new RegistryException("failed commit on ref \"" + ref + "\": unexpected commit size " + actualSize
                    + ", expected " + expectedSize + ": failed precondition");
        }
        return new RegistryException("failed commit on ref \"" + ref + "\": unexpected commit digest " + actualDigest
                + ", expected " + expectedDigest + ": failed precondition");
    }
}
