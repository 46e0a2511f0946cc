package io.wetee.agent;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The agent process: {@code java -cp ... io.wetee.agent.AgentMain --config FILE}. Exit codes: 2 for
 * usage or an invalid config (nothing started); in task mode the program's exit code once the run
 * result was fetched (or {@code task.lingerSeconds} passed). SIGTERM stops the program and the
 * agent (the JVM then exits with 143, as on any SIGTERM). A service agent, or one that failed
 * closed, runs until it is stopped, so the worker can read its status.
 */
public final class AgentMain {
  /** When this process reached its main ({@link System#nanoTime}), for the start-up trace. */
  static final long MAIN_AT = System.nanoTime();

  private AgentMain() {}

  public static void main(String[] args) {
    // This is the process's own main, the one place that may end the JVM with a code.
    System.exit(run(args, System.err));
  }

  static int run(String[] args, PrintStream err) {
    if (args.length != 2 || !args[0].equals("--config")) {
      err.println("usage: java -cp ... io.wetee.agent.AgentMain --config FILE");
      return 2;
    }
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "wetee-agent-logback.xml");
    }
    AgentConfig config;
    try {
      config = AgentConfig.load(Path.of(args[1]));
    } catch (AgentException e) {
      err.println(e.getMessage());
      return 2;
    }
    Agent agent = Agent.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "agent-shutdown"));
    int code = agent.exitCode().join();
    agent.close();
    return code;
  }
}
