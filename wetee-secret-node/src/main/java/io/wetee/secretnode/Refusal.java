package io.wetee.secretnode;

import java.util.Objects;

/**
 * A refused release as the API answers it: {@code {"reason": "<code>", "detail": "..."}}.
 *
 * @param reason stable code of {@link RefusalReason}
 * @param detail for people; never contains a secret
 */
public record Refusal(String reason, String detail) {
  public Refusal {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }

  public static Refusal of(RefusalReason reason, String detail) {
    return new Refusal(reason.code(), detail);
  }
}
