package io.podvisor.runtime.image;

import java.io.IOException;

/** Image content that is corrupt (a digest or size mismatch), malformed or unsafe (a path escaping the root). */
public final class ImageContentException extends IOException {
    public ImageContentException(String message) {
        super(message);
    }

    public ImageContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
