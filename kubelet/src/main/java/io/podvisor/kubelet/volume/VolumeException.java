package io.podvisor.kubelet.volume;

/**
 * A volume could not be set up (a missing ConfigMap or Secret, a failed hostPath type check): the
 * pod's containers keep waiting in {@code ContainerCreating} and a {@code FailedMount} event says
 * {@link #eventMessage()}.
 */
public final class VolumeException extends Exception {

    private final String volume;

    public VolumeException(String volume, String message) {
        super(message);
        this.volume = volume;
    }

    /** The volume's name in the pod spec. */
    public String volume() {
        return volume;
    }

    /** {@code MountVolume.SetUp failed for volume "<name>" : <message>}, upstream's event text. */
    public String eventMessage() {
        return "MountVolume.SetUp failed for volume \"" + volume + "\" : " + getMessage();
    }
}
