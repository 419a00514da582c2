package io.podvisor.cli.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * logback's configuration before a command sets its own ({@link NodeLog#configure}) or for commands
 * that keep none: warnings and errors to standard error, found through the service loader so logback
 * neither looks for a configuration file nor falls back to logging everything.
 */
public final class QuietStart extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        NodeLog.quiet(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
