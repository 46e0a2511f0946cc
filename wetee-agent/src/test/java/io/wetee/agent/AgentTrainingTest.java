package io.wetee.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The AOT training run rehearses an agent start end to end (config file, key, control API, real
 * SIMULATED evidence over HTTP, committee asked) and ends fail-closed as designed.
 */
class AgentTrainingTest {
  @Test
  void rehearsesAStartThatEndsCommitteeUnavailable() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = AgentTraining.run(new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(code).isZero();
  }
}
