package io.wetee.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.PrintWriter;
import java.math.BigInteger;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Writes command results: JSON for {@code --json} (wei amounts as strings, so no JavaScript client
 * loses precision), plain text otherwise, always through picocli's writer.
 */
public final class Output {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(
              new SimpleModule().addSerializer(BigInteger.class, ToStringSerializer.instance))
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private Output() {}

  /** Prints {@code value} as JSON. */
  public static void json(CommandSpec spec, Object value) {
    PrintWriter out = spec.commandLine().getOut();
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
    out.flush();
  }

  /** Prints a line of text. */
  public static void line(CommandSpec spec, String format, Object... args) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(args.length == 0 ? format : String.format(format, args));
    out.flush();
  }
}
