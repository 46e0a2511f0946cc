package io.wetee.crypto;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An EIP-712 struct instance: a type name and its members in declaration order. Build one with
 * {@link #builder(String)}.
 *
 * @param typeName the struct's type name, e.g. {@code Verdict}
 * @param fields members in declaration order; names are unique
 */
public record Eip712Struct(String typeName, List<Field> fields) {
  /** One member: its name and typed value. */
  public record Field(String name, Eip712Value value) {
    public Field {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  public Eip712Struct {
    Objects.requireNonNull(typeName, "typeName");
    fields = List.copyOf(fields);
    Set<String> names = new HashSet<>();
    for (Field f : fields) {
      if (!names.add(f.name())) {
        throw new InvalidInputException(Reason.INVALID_ARGUMENT, "duplicate member " + f.name());
      }
    }
  }

  public static Builder builder(String typeName) {
    return new Builder(typeName);
  }

  /** The member list of {@code encodeType}: {@code Name(type1 name1,type2 name2)}. */
  public String memberSignature() {
    StringBuilder sb = new StringBuilder(typeName).append('(');
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      sb.append(i == 0 ? "" : ",").append(f.value().typeName()).append(' ').append(f.name());
    }
    return sb.append(')').toString();
  }

  /** Collects members in order; not thread-safe. */
  public static final class Builder {
    private final String typeName;
    private final List<Field> fields = new ArrayList<>();

    private Builder(String typeName) {
      this.typeName = typeName;
    }

    public Builder field(String name, Eip712Value value) {
      fields.add(new Field(name, value));
      return this;
    }

    /** A {@code uintN} member; {@code value} is read as unsigned 64-bit. */
    public Builder uint(String name, int bits, long value) {
      return field(name, new Eip712Value.Uint(bits, new BigInteger(Long.toUnsignedString(value))));
    }

    public Builder uint(String name, int bits, BigInteger value) {
      return field(name, new Eip712Value.Uint(bits, value));
    }

    public Builder signedInt(String name, int bits, long value) {
      return field(name, new Eip712Value.Int(bits, BigInteger.valueOf(value)));
    }

    public Builder address(String name, Address value) {
      return field(name, new Eip712Value.AddressValue(value));
    }

    public Builder bytes32(String name, Bytes32 value) {
      return field(name, new Eip712Value.Bytes32Value(value));
    }

    public Builder bool(String name, boolean value) {
      return field(name, new Eip712Value.Bool(value));
    }

    public Builder string(String name, String value) {
      return field(name, new Eip712Value.Str(value));
    }

    public Builder struct(String name, Eip712Struct value) {
      return field(name, new Eip712Value.Struct(value));
    }

    public Eip712Struct build() {
      return new Eip712Struct(typeName, fields);
    }
  }
}
