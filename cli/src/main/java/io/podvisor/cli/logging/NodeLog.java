package io.podvisor.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import io.podvisor.apiserver.http.ApiServer;
import io.podvisor.apiserver.tls.SecretFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sets up the node's log, klog-style: {@code -v=0} logs warnings, errors and the node's important
 * information; 2 adds the libraries' information; 3 a line per API request; 4 the node's debug
 * lines; 6 everything the node traces. Lines go to standard error (from a threshold: a {@code podvisor run} keeps its terminal
 * for warnings) and, with a data directory, to {@code DATA-DIR/logs/podvisor.log} (mode 0600 in a
 * 0700 directory), rotated at {@value #FILE_SIZE} keeping {@value #KEPT} older files.
 */
public final class NodeLog {

    /** The size at which the log file is rotated. */
    public static final String FILE_SIZE = "10MB";
    /** How many rotated files are kept ({@code podvisor.1.log} newest … {@code podvisor.5.log}). */
    public static final int KEPT = 5;
    /** The highest verbosity with an effect of its own. */
    public static final int MAX_VERBOSITY = 6;

    private static final String NODE = "io.podvisor";

    private NodeLog() {}

    /** Where the log file of {@code dataDir} is. */
    public static Path file(Path dataDir) {
        return dataDir.resolve("logs").resolve("podvisor.log");
    }

    /**
     * Replaces the logging set-up: lines at {@code verbosity} to {@code dataDir}'s log file (none
     * when {@code dataDir} is null) and those at {@code terminalThreshold} or above to standard
     * error. Also logs uncaught exceptions.
     */
    public static void configure(Path dataDir, int verbosity, Level terminalThreshold) throws IOException {
        LoggerContext context;
        // SLF4J initializes under LoggerFactory's monitor and, while another thread is doing so
        // (the first logger asked for elsewhere), hands out a substitute factory: holding the
        // monitor waits for that initialization to end
        synchronized (LoggerFactory.class) {
            context = (LoggerContext) LoggerFactory.getILoggerFactory();
        }
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbosity >= 2 ? Level.INFO : Level.WARN);
        context.getLogger(NODE).setLevel(verbosity >= MAX_VERBOSITY ? Level.TRACE : verbosity >= 4 ? Level.DEBUG : Level.INFO);
        context.getLogger(ApiServer.REQUEST_LOG).setLevel(verbosity >= 3 ? Level.INFO : Level.OFF);
        root.addAppender(terminal(context, terminalThreshold));
        if (dataDir != null) {
            root.addAppender(file(context, file(dataDir)));
        }
        Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
                LoggerFactory.getLogger(NodeLog.class).error("Unhandled exception in thread {}", thread.getName(), e));
    }

    /** Back to the set-up of a start (for tests and embedding): warnings and errors to standard error only. */
    public static void reset() {
        LoggerContext context;
        // SLF4J initializes under LoggerFactory's monitor and, while another thread is doing so
        // (the first logger asked for elsewhere), hands out a substitute factory: holding the
        // monitor waits for that initialization to end
        synchronized (LoggerFactory.class) {
            context = (LoggerContext) LoggerFactory.getILoggerFactory();
        }
        context.reset();
        quiet(context);
    }

    /** The set-up before (or without) {@link #configure}: warnings and errors to standard error. */
    static void quiet(LoggerContext context) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(terminal(context, Level.WARN));
    }

    private static ConsoleAppender<ILoggingEvent> terminal(LoggerContext context, Level threshold) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder(context));
        ThresholdFilter filter = new ThresholdFilter();
        filter.setLevel(threshold.levelStr);
        filter.start();
        console.addFilter(filter);
        console.start();
        return console;
    }

    private static RollingFileAppender<ILoggingEvent> file(LoggerContext context, Path file) throws IOException {
        Path dir = file.getParent();
        SecretFiles.createPrivateDirectory(dir);
        SecretFiles.createPrivateFile(file);
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("file");
        appender.setFile(file.toString());
        appender.setEncoder(encoder(context));
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(dir.resolve("podvisor.%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(KEPT);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> size = new SizeBasedTriggeringPolicy<>();
        size.setContext(context);
        size.setMaxFileSize(FileSize.valueOf(FILE_SIZE));
        size.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(size);
        appender.start();
        if (!appender.isStarted() || !Files.isWritable(file)) {
            throw new IOException("cannot write the log file " + file);
        }
        return appender;
    }

    private static LayoutWrappingEncoder<ILoggingEvent> encoder(LoggerContext context) {
        KlogLayout layout = new KlogLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(java.nio.charset.StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }
}
