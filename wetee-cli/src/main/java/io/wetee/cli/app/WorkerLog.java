package io.wetee.cli.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Turns the worker's log on in a CLI process, whose logging is otherwise off (logback.xml): what
 * the reconciler decides (launches, starts on chain, settlements, renewals, stops) and every error
 * go to {@code dataDir/worker.log} (appended; the provider reads it) and, for {@code wetee worker
 * run}, to stderr as well.
 */
public final class WorkerLog {
  /** The log file's name inside the worker's data directory. */
  public static final String FILE = "worker.log";

  private static final String PATTERN = "%d{ISO8601} %-5level [%thread] %logger{0} - %msg%n";

  private WorkerLog() {}

  /**
   * Adds the appenders; idempotent per data directory.
   *
   * @param dataDir the worker's data directory (created if missing)
   * @param ownProcess the process runs only this worker ({@code wetee worker run}): every logger
   *     writes (WARN, {@code io.wetee} INFO) to the file and to stderr. Otherwise (the devnet's
   *     worker beside its secret nodes) only the worker's own loggers ({@code io.wetee.worker},
   *     {@code io.wetee.agent}) write, to the file only.
   * @return false when another SLF4J provider than Logback is in use (it then decides)
   */
  public static synchronized boolean enable(Path dataDir, boolean ownProcess) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext lc)) {
      return false;
    }
    String name = "worker-file:" + dataDir.toAbsolutePath();
    Logger root = lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    List<Logger> targets =
        ownProcess
            ? List.of(root)
            : List.of(lc.getLogger("io.wetee.worker"), lc.getLogger("io.wetee.agent"));
    if (targets.get(0).getAppender(name) != null) {
      return true;
    }
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dataDir, e);
    }
    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setContext(lc);
    file.setName(name);
    file.setFile(dataDir.resolve(FILE).toString());
    file.setAppend(true);
    file.setEncoder(encoder(lc));
    file.start();
    for (Logger l : targets) {
      l.addAppender(file);
      l.setLevel(Level.INFO);
    }
    if (ownProcess) {
      ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
      err.setContext(lc);
      err.setName("worker-stderr");
      err.setTarget("System.err");
      err.setEncoder(encoder(lc));
      err.start();
      root.addAppender(err);
      root.setLevel(Level.WARN);
      lc.getLogger("io.wetee").setLevel(Level.INFO);
    }
    return true;
  }

  private static PatternLayoutEncoder encoder(LoggerContext lc) {
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setContext(lc);
    e.setPattern(PATTERN);
    e.start();
    return e;
  }
}
