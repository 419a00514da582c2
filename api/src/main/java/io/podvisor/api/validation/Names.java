package io.podvisor.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The string-format checks of the API (names, labels, keys, ports), each returning upstream's
 * messages in upstream's order; an empty list means valid.
 */
public final class Names {

    private static final String LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String SUBDOMAIN_FMT = LABEL_FMT + "(\\." + LABEL_FMT + ")*";
    private static final String DNS1035_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String LABEL_VALUE_FMT = "(" + QNAME_FMT + ")?";
    private static final String CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
    private static final String QNAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character";

    private static final Pattern LABEL = Pattern.compile(LABEL_FMT);
    private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FMT);
    private static final Pattern DNS1035 = Pattern.compile(DNS1035_FMT);
    private static final Pattern QNAME = Pattern.compile(QNAME_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
    private static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_FMT);
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    private static final Pattern ONE_LETTER = Pattern.compile(".*[a-z].*");

    private Names() {}

    /** {@code must be no more than N characters}. */
    public static String maxLen(int n) {
        return "must be no more than " + n + " characters";
    }

    /** Upstream's regex error: {@code <msg> (e.g. 'a',  or 'b', regex used for validation is '<fmt>')}. */
    static String regexError(String msg, String fmt, String... examples) {
        if (examples.length == 0) {
            return msg + " (regex used for validation is '" + fmt + "')";
        }
        StringBuilder b = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                b.append(" or ");
            }
            b.append('\'').append(examples[i]).append("', ");
        }
        return b.append("regex used for validation is '").append(fmt).append("')").toString();
    }

    /** A lowercase RFC 1123 label (container, volume, port and namespace names). */
    public static List<String> dns1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!LABEL.matcher(value).matches()) {
            if (SUBDOMAIN.matcher(value).matches()) {
                errs.add("must not contain dots");
            } else {
                errs.add(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
                        + "or '-', and must start and end with an alphanumeric character", LABEL_FMT, "my-name", "123-abc"));
            }
        }
        return errs;
    }

    /** A lowercase RFC 1123 subdomain (pod, config map, secret, job names). */
    public static List<String> dns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) {
            errs.add(maxLen(253));
        }
        if (!SUBDOMAIN.matcher(value).matches()) {
            errs.add(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                    + "'-' or '.', and must start and end with an alphanumeric character", SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    /** A DNS-1035 label (service names). */
    public static List<String> dns1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!DNS1035.matcher(value).matches()) {
            errs.add(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
                    + "with an alphabetic character, and end with an alphanumeric character", DNS1035_FMT, "my-name", "abc-123"));
        }
        return errs;
    }

    /** A qualified name ({@code [prefix/]name}): label and annotation keys. */
    public static List<String> qualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            name = parts[1];
            if (parts[0].isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                dns1123Subdomain(parts[0]).forEach(m -> errs.add("prefix part " + m));
            }
        } else {
            errs.add("a qualified name " + regexError(QNAME_MSG, QNAME_FMT, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errs.add("name part " + maxLen(63));
        }
        if (!QNAME.matcher(name).matches()) {
            errs.add("name part " + regexError(QNAME_MSG, QNAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    /** A label value: empty, or up to 63 characters of a qualified name. */
    public static List<String> labelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', "
                    + "'_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT,
                    "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    /** A config map or secret key. */
    public static List<String> configMapKey(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) {
            errs.add(maxLen(253));
        }
        if (!CONFIG_KEY.matcher(value).matches()) {
            errs.add(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                    CONFIG_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
        }
        if (value.equals(".")) {
            errs.add("must not be '.'");
        } else if (value.equals("..")) {
            errs.add("must not be '..'");
        } else if (value.startsWith("..")) {
            errs.add("must not start with '..'");
        }
        return errs;
    }

    /** A named port (IANA service name rules). */
    public static List<String> portName(String port) {
        List<String> errs = new ArrayList<>();
        if (port.length() > 15) {
            errs.add(maxLen(15));
        }
        if (!PORT_NAME_CHARS.matcher(port).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!ONE_LETTER.matcher(port).matches()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (port.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!port.isEmpty() && (port.startsWith("-") || port.endsWith("-"))) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    /** A port number: {@code must be between 1 and 65535, inclusive}. */
    public static List<String> portNumber(long port) {
        return port < 1 || port > 65535 ? List.of(inclusiveRange(1, 65535)) : List.of();
    }

    /** {@code must be between lo and hi, inclusive}. */
    public static String inclusiveRange(long lo, long hi) {
        return "must be between " + lo + " and " + hi + ", inclusive";
    }

    /** An environment variable name (relaxed rules: printable ASCII except {@code =}). */
    public static List<String> envVarName(String value) {
        List<String> errs = new ArrayList<>();
        if (value.isEmpty()) {
            errs.add("environment variable name must be non-empty");
        }
        for (char c : value.toCharArray()) {
            if (c > 126 || c < 32 || c == '=') {
                errs.add("a valid environment variable name must consist only of printable ASCII characters other than '='");
                break;
            }
        }
        return errs;
    }

    /** A name checked as a generated-name prefix: a trailing dash is allowed. */
    static String maskTrailingDash(String name) {
        return name.length() > 1 && name.endsWith("-") ? name.substring(0, name.length() - 2) + "a" : name;
    }
}
