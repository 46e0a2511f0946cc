package io.wetee.chain;

import com.fasterxml.jackson.databind.JsonNode;
import io.wetee.common.Hex;
import io.wetee.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;

/**
 * Decodes revert data into {@link ContractError}s using the ABIs bundled with the wrappers
 * (resources {@code io/wetee/chain/abi/NAME.abi}). Custom errors are identified by their 4-byte
 * selector (Solidity docs, "Errors and the Revert Statement"); {@code Error(string)} is {@code
 * 0x08c379a0} and {@code Panic(uint256)} is {@code 0x4e487b71}. Immutable and thread-safe.
 */
final class ErrorDecoder {
  static final List<String> CONTRACTS = List.of("Subnet", "Committee", "Cloud");
  private static final String ERROR_STRING = "08c379a0";
  private static final String PANIC = "4e487b71";

  private record Declared(String contract, String name, List<String> names, List<String> types) {}

  private final Map<String, Declared> bySelector;

  private ErrorDecoder(Map<String, Declared> bySelector) {
    this.bySelector = Map.copyOf(bySelector);
  }

  /** Loads the ABIs bundled on the class path. */
  static ErrorDecoder bundled() {
    Map<String, Declared> map = new HashMap<>();
    for (String contract : CONTRACTS) {
      String resource = "/io/wetee/chain/abi/" + contract + ".abi";
      try (InputStream in = ErrorDecoder.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new ChainException("ABI resource missing from the build: " + resource);
        }
        for (JsonNode entry : Json.lenient().readTree(in)) {
          if ("error".equals(entry.path("type").asText())) {
            Declared d = declared(contract, entry);
            map.putIfAbsent(selector(d), d);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ErrorDecoder(map);
  }

  private static Declared declared(String contract, JsonNode entry) {
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (JsonNode input : entry.path("inputs")) {
      names.add(input.path("name").asText());
      types.add(input.path("type").asText());
    }
    return new Declared(contract, entry.path("name").asText(), names, types);
  }

  private static String selector(Declared d) {
    String signature = d.name() + "(" + String.join(",", d.types()) + ")";
    return Hash.sha3String(signature).substring(2, 10);
  }

  /** Decodes revert data (hex, with or without 0x); empty when it is not a known error. */
  Optional<ContractError> decode(String revertData) {
    String hex = revertData.startsWith("0x") ? revertData.substring(2) : revertData;
    if (hex.length() < 8) {
      return Optional.empty();
    }
    String sel = hex.substring(0, 8).toLowerCase(java.util.Locale.ROOT);
    String body = "0x" + hex.substring(8);
    if (sel.equals(ERROR_STRING)) {
      return Optional.of(
          decodeWith("Solidity", "Error", List.of("reason"), List.of("string"), body));
    }
    if (sel.equals(PANIC)) {
      return Optional.of(
          decodeWith("Solidity", "Panic", List.of("code"), List.of("uint256"), body));
    }
    Declared d = bySelector.get(sel);
    return d == null
        ? Optional.empty()
        : Optional.of(decodeWith(d.contract(), d.name(), d.names(), d.types(), body));
  }

  /** Decodes, or names the raw selector when the data does not match a known error. */
  ContractError decodeOrRaw(String revertData) {
    return decode(revertData)
        .orElseGet(
            () ->
                new ContractError(
                    "Unknown",
                    "Revert",
                    List.of(new ContractError.Arg("data", "bytes", revertData))));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ContractError decodeWith(
      String contract, String name, List<String> names, List<String> types, String body) {
    List<TypeReference<Type>> refs = new ArrayList<>();
    try {
      for (String t : types) {
        refs.add((TypeReference) TypeReference.makeTypeReference(t));
      }
      List<Type> values = FunctionReturnDecoder.decode(body, refs);
      List<ContractError.Arg> args = new ArrayList<>();
      for (int i = 0; i < types.size(); i++) {
        Object v = i < values.size() ? plain(values.get(i).getValue()) : "?";
        args.add(new ContractError.Arg(names.get(i), types.get(i), v));
      }
      return new ContractError(contract, name, args);
    } catch (ClassNotFoundException | RuntimeException e) {
      return new ContractError(
          contract, name, List.of(new ContractError.Arg("data", "bytes", "0x" + body)));
    }
  }

  private static Object plain(Object v) {
    if (v instanceof byte[] b) {
      return Hex.encode0x(b);
    }
    if (v instanceof BigInteger || v instanceof String) {
      return v;
    }
    return String.valueOf(v);
  }
}
