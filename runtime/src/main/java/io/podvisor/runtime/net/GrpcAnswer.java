package io.podvisor.runtime.net;

import io.podvisor.runtime.PodNetwork.NetResult;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;

/** Turns a finished {@code Health/Check} answer (HTTP status, trailers, body) into the probe's result. */
final class GrpcAnswer {

    private static final List<String> CODES = List.of("OK", "Canceled", "Unknown", "InvalidArgument",
            "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted",
            "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable", "DataLoss",
            "Unauthenticated");
    private static final int UNIMPLEMENTED = 12;
    private static final int DEADLINE_EXCEEDED = 4;

    private GrpcAnswer() {}

    static NetResult of(int httpStatus, HttpFields trailers, byte[] body, String timeout) {
        if (httpStatus != 200) {
            return NetResult.failed("error: health rpc probe failed: rpc error: code = Unknown desc = unexpected HTTP status code "
                    + "received from server: " + httpStatus);
        }
        String st = trailers.get("grpc-status");
        if (st == null) {
            return NetResult.failed("error: health rpc probe failed: rpc error: code = Internal desc = server closed the "
                    + "stream without sending trailers");
        }
        int code;
        try {
            code = Integer.parseInt(st.strip());
        } catch (NumberFormatException e) {
            code = 2;
        }
        if (code != 0) {
            String msg = trailers.get("grpc-message");
            String desc = msg == null ? "" : URLDecoder.decode(msg.replace("+", "%2B"), StandardCharsets.UTF_8);
            String err = "rpc error: code = " + codeName(code) + " desc = " + desc;
            if (code == UNIMPLEMENTED) {
                return NetResult.failed("error: this server does not implement the grpc health protocol "
                        + "(grpc.health.v1.Health): " + err);
            }
            if (code == DEADLINE_EXCEEDED) {
                return NetResult.failed("timeout: health rpc did not complete within " + timeout);
            }
            return NetResult.failed("error: health rpc probe failed: " + err);
        }
        int serving = servingStatus(body);
        return serving == 1 ? NetResult.OK
                : NetResult.failed("service unhealthy (responded with \"" + GrpcHealthProbe.statusName(serving) + "\")");
    }

    private static String codeName(int code) {
        return code >= 0 && code < CODES.size() ? CODES.get(code) : "Code(" + code + ")";
    }

    /** Field 1 (varint) of the first message in {@code body}; 0 (UNKNOWN) if absent. */
    static int servingStatus(byte[] body) {
        if (body.length < 5) {
            return 0;
        }
        int len = ((body[1] & 255) << 24) | ((body[2] & 255) << 16) | ((body[3] & 255) << 8) | (body[4] & 255);
        int end = Math.min(body.length, 5 + len);
        int i = 5;
        int status = 0;
        while (i < end) {
            int tag = body[i++] & 255;
            int wire = tag & 7;
            if (wire == 0) {
                long v = 0;
                int shift = 0;
                while (i < end) {
                    int b = body[i++] & 255;
                    v |= (long) (b & 0x7F) << shift;
                    shift += 7;
                    if (b < 0x80) {
                        break;
                    }
                }
                if (tag >>> 3 == 1) {
                    status = (int) v;
                }
            } else if (wire == 2 && i < end) {
                i += 1 + (body[i] & 255); // short length-delimited fields only; the response has none
            } else {
                break;
            }
        }
        return status;
    }
}
