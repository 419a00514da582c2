package io.podvisor.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One line per event in klog's header format, {@code Lmmdd hh:mm:ss.uuuuuu thread logger] message}
 * ({@code L} = I, W, E, D or T), the stack trace of a cause below it; the whole text passes through
 * {@link Redaction} so a known secret never reaches a log.
 */
final class KlogLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMdd HH:mm:ss.SSSSSS")
            .withZone(ZoneId.systemDefault());

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(128);
        b.append(letter(event.getLevel()));
        TIME.formatTo(event.getInstant(), b);
        b.append(' ').append(event.getThreadName()).append(' ').append(shortName(event.getLoggerName())).append("] ")
                .append(event.getFormattedMessage()).append('\n');
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            b.append(ThrowableProxyUtil.asString(thrown)).append('\n');
        }
        return Redaction.apply(b.toString());
    }

    private static char letter(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> 'E';
            case Level.WARN_INT -> 'W';
            case Level.INFO_INT -> 'I';
            case Level.DEBUG_INT -> 'D';
            default -> 'T';
        };
    }

    private static String shortName(String logger) {
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }
}
