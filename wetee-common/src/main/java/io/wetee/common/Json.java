package io.wetee.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one place that builds Jackson mappers. Our own config and API input are strict (unknown
 * properties fail); documents from third parties (Intel PCS, Hardhat artifacts) use {@link
 * #lenient()}. Mappers are immutable after construction and thread-safe.
 */
public final class Json {
  private Json() {}

  /** JSON mapper for our own config and API input: unknown properties fail. */
  public static ObjectMapper strict() {
    return Strict.MAPPER;
  }

  /** JSON mapper for documents we do not own: unknown properties are ignored. */
  public static ObjectMapper lenient() {
    return Lenient.MAPPER;
  }

  /** YAML mapper for our own config and specs: unknown properties fail. */
  public static ObjectMapper yaml() {
    return Yaml.MAPPER;
  }

  // One holder class each: a mapper is built on first use only (a YAML mapper loads the YAML
  // parser; every mapper costs tens of milliseconds of a short process's start).

  private static final class Strict {
    static final ObjectMapper MAPPER =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
  }

  private static final class Lenient {
    static final ObjectMapper MAPPER =
        JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  }

  private static final class Yaml {
    static final ObjectMapper MAPPER =
        YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
  }
}
