package io.wetee.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.wetee.common.Json;

/** JSON answers for the Javalin handlers of this module. Stateless. */
final class Http {
  private Http() {}

  static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status)
          .contentType("application/json")
          .result(Json.strict().writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new AgentException("cannot serialise " + body.getClass().getSimpleName(), e);
    }
  }

  static void problem(Context ctx, int status, String reason, String detail) {
    json(ctx, status, new AgentProtocol.Problem(reason, detail));
  }
}
