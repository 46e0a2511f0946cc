package io.wetee.agent;

import io.wetee.secretnode.ReleaseOutcome;
import java.util.List;

/**
 * Where the agent is in its life. Transitions: {@code Attesting → Running → Finished}, {@code
 * Attesting → Failed} (fail closed: the program never started), and any state {@code → Stopped}
 * when the agent is closed. Immutable values; {@link #code()} is the stable {@code state} of the
 * status document.
 */
public sealed interface AgentState
    permits AgentState.Attesting,
        AgentState.Failed,
        AgentState.Running,
        AgentState.Finished,
        AgentState.Stopped {

  /** Stable lower-case name. */
  String code();

  /** Getting evidence, verdicts and secrets; the program has not started. */
  record Attesting() implements AgentState {
    @Override
    public String code() {
      return "attesting";
    }
  }

  /**
   * Failed closed: the program was never started.
   *
   * @param reason why
   * @param detail for people; never a secret
   * @param refusals the members that did not release, and why (for {@code release-refused})
   */
  record Failed(FailureReason reason, String detail, List<ReleaseOutcome.NodeError> refusals)
      implements AgentState {
    public Failed {
      refusals = List.copyOf(refusals);
    }

    @Override
    public String code() {
      return "failed";
    }
  }

  /** Attested; the program runs (or waits for a restart). */
  record Running() implements AgentState {
    @Override
    public String code() {
      return "running";
    }
  }

  /**
   * The program ended for good: a task completed, or a service's restart policy gave up.
   *
   * @param exitCode the last exit code (124 after a task timeout)
   * @param timedOut whether the task's timeout ended it
   */
  record Finished(int exitCode, boolean timedOut) implements AgentState {
    @Override
    public String code() {
      return "finished";
    }
  }

  /** The agent was closed (the worker stopped the instance). */
  record Stopped() implements AgentState {
    @Override
    public String code() {
      return "stopped";
    }
  }
}
