package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource quantities as the API reads and prints them (spec §9.1): parsing of {@code 500m},
 * {@code 1.5Gi}, {@code 1e3}; the canonical form ({@code 0.5} → {@code 500m}, {@code 1024Mi} →
 * {@code 1Gi}, {@code 1.5Gi} → {@code 1536Mi}); and the error text for strings that are not quantities.
 */
public final class Quantities {

    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    /** The message upstream gives for a string that is not a quantity. */
    public static final String FORMAT_ERROR =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    /** Upstream's {@code ErrSuffix}: the number is fine, its suffix is not one of the known ones. */
    public static final String SUFFIX_ERROR = "unable to parse quantity's suffix";

    private static final Pattern GRAMMAR = Pattern.compile("[+-]?[0-9]*(\\.[0-9]*)?[eEinumkKMGTP]*[-+]?[0-9]*");

    /** How a quantity was written, which its canonical form keeps. */
    public enum Format { BINARY_SI, DECIMAL_SI, DECIMAL_EXPONENT }

    /** A parsed quantity: its exact value and its notation family. */
    public record Parsed(BigDecimal value, Format format) {}

    private static final Pattern NUMBER = Pattern.compile("([+-]?)([0-9]*)(?:\\.([0-9]*))?(.*)");
    private static final Pattern EXPONENT = Pattern.compile("[eE]([+-]?[0-9]+)");
    private static final Map<String, Integer> DECIMAL = Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3,
            "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
    private static final Map<String, Integer> BINARY = Map.of("Ki", 1, "Mi", 2, "Gi", 3, "Ti", 4, "Pi", 5, "Ei", 6);
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigInteger KI = BigInteger.valueOf(1024);

    private Quantities() {}

    /** The quantity's text as written ({@code amount} followed by {@code format}). */
    public static String text(Quantity q) {
        String amount = q.getAmount() == null ? "" : q.getAmount();
        return q.getFormat() == null ? amount : amount + q.getFormat();
    }

    /** Parses a quantity string; empty when it is not one. */
    public static Optional<Parsed> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        Matcher m = NUMBER.matcher(s.trim().equals(s) ? s : "x");
        if (!m.matches()) {
            return Optional.empty();
        }
        String whole = m.group(2);
        String fraction = m.group(3) == null ? "" : m.group(3);
        if (whole.isEmpty() && fraction.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal((whole.isEmpty() ? "0" : whole) + (fraction.isEmpty() ? "" : "." + fraction));
        if (m.group(1).equals("-")) {
            number = number.negate();
        }
        return withSuffix(number, m.group(4));
    }

    /**
     * Why a string is not a quantity, in {@code resource.ParseQuantity}'s words: {@link #FORMAT_ERROR}
     * when it does not have a quantity's shape, {@link #SUFFIX_ERROR} when only its suffix is unknown;
     * null when it parses.
     */
    public static String problem(String s) {
        if (parse(s).isPresent()) {
            return null;
        }
        return s != null && !s.isEmpty() && s.matches(".*[0-9].*") && GRAMMAR.matcher(s).matches() ? SUFFIX_ERROR : FORMAT_ERROR;
    }

    private static Optional<Parsed> withSuffix(BigDecimal number, String suffix) {
        Integer decimal = DECIMAL.get(suffix);
        if (decimal != null) {
            return Optional.of(new Parsed(number.scaleByPowerOfTen(decimal), Format.DECIMAL_SI));
        }
        Integer binary = BINARY.get(suffix);
        if (binary != null) {
            return Optional.of(new Parsed(number.multiply(new BigDecimal(KI.pow(binary))), Format.BINARY_SI));
        }
        Matcher e = EXPONENT.matcher(suffix);
        if (e.matches() && e.group(1).replaceFirst("^[+-]", "").length() <= 9) {
            return Optional.of(new Parsed(number.scaleByPowerOfTen(Integer.parseInt(e.group(1))), Format.DECIMAL_EXPONENT));
        }
        return Optional.empty();
    }

    /** The exact value of a model quantity; empty when its text is not a quantity. */
    public static Optional<BigDecimal> value(Quantity q) {
        return parse(text(q)).map(Parsed::value);
    }

    /**
     * {@code v} limited to what a long holds (a larger magnitude saturates) and, when nonzero, to at least
     * 10^-9 in magnitude: sums and comparisons of bounded values stay cheap, where adding {@code 1e999999999}
     * to {@code 1Mi} would build a number of a billion digits.
     */
    public static BigDecimal bounded(BigDecimal v) {
        if (v.compareTo(LONG_MAX) > 0) {
            return LONG_MAX;
        }
        if (v.compareTo(LONG_MIN) < 0) {
            return LONG_MIN;
        }
        if (v.signum() != 0 && v.precision() - v.scale() <= -9) {
            return BigDecimal.valueOf(v.signum(), 9);
        }
        return v;
    }

    /**
     * {@code v} rounded up to a whole number and saturated at {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE}
     * instead of expanded or wrapped: a limit of {@code 1e999999999} is "more than anything" without building
     * a number of a billion digits, and {@code 1e-999999999} rounds up to 1 without dividing by one.
     */
    public static long ceilSaturated(BigDecimal v) {
        if (v.signum() == 0) {
            return 0;
        }
        if (v.compareTo(LONG_MAX) >= 0) {
            return Long.MAX_VALUE;
        }
        if (v.compareTo(LONG_MIN) <= 0) {
            return Long.MIN_VALUE;
        }
        if (v.abs().compareTo(BigDecimal.ONE) < 0) {
            return v.signum() > 0 ? 1 : 0;
        }
        return v.setScale(0, RoundingMode.CEILING).longValue(); // |v| >= 1: the scale is below the digits written
    }

    /** The canonical text of a quantity string, as upstream prints it; the input itself when unparsable. */
    public static String canonical(String s) {
        return parse(s).map(Quantities::canonical).orElse(s);
    }

    /**
     * The canonical text: the largest exact suffix of the written family, rounded up to nano units. The
     * SI family stops at {@code E} (10^18); the exponent form has no such cap ({@code 1e21} stays
     * {@code 1e21}, as upstream prints it), so no power of ten the text only names is ever expanded.
     */
    public static String canonical(Parsed p) {
        BigDecimal v = p.value();
        if (v.scale() > 9) {
            v = roundedUpToNano(v);
        }
        if (v.signum() == 0) {
            return "0";
        }
        String sign = v.signum() < 0 ? "-" : "";
        v = v.abs().stripTrailingZeros();
        Format format = p.format();
        boolean integral = v.scale() <= 0;
        if (format == Format.BINARY_SI && (!integral || v.compareTo(BigDecimal.valueOf(1024)) < 0)) {
            format = Format.DECIMAL_SI;
        }
        if (format == Format.BINARY_SI) {
            return sign + binary(v.toBigIntegerExact());
        }
        int exponent = Math.floorDiv(-v.scale(), 3) * 3;
        if (format == Format.DECIMAL_SI) {
            exponent = Math.min(18, exponent);
        }
        BigInteger mantissa = v.scaleByPowerOfTen(-exponent).toBigIntegerExact();
        if (format == Format.DECIMAL_EXPONENT) {
            return sign + mantissa + (exponent == 0 ? "" : "e" + exponent);
        }
        return sign + mantissa + decimalSuffix(exponent);
    }

    /**
     * Rounds away from zero to nano units. A nonzero value below 10^-9 becomes ±10^-9 directly: rounding it
     * with {@code setScale} would divide by 10 to the power of its scale, which {@code 1e-999999999} makes huge.
     */
    private static BigDecimal roundedUpToNano(BigDecimal v) {
        if (v.precision() - v.scale() <= -9) {
            return BigDecimal.valueOf(v.signum(), 9);
        }
        return v.setScale(9, RoundingMode.UP);
    }

    private static String binary(BigInteger i) {
        int power = 0;
        while (power < 6 && i.mod(KI).signum() == 0) {
            i = i.divide(KI);
            power++;
        }
        return i + BINARY_SUFFIXES[power];
    }

    private static String decimalSuffix(int exponent) {
        return DECIMAL.entrySet().stream().filter(e -> e.getValue() == exponent).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }
}
