package io.wetee.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {
  record Config(String name, Secret passphrase) {}

  @Test
  void neverShowsItsValueInToStringOfEnclosingRecords() {
    Config c = new Config("node", Secret.of("hunter2"));
    assertThat(c.toString()).isEqualTo("Config[name=node, passphrase=<redacted>]");
    assertThat(new String(c.passphrase().reveal())).isEqualTo("hunter2");
    c.passphrase().destroy();
    assertThat(c.passphrase().reveal()).containsOnly('\0');
  }
}
