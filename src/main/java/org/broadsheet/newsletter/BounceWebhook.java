package org.broadsheet.newsletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.broadsheet.support.ValidationException;

/**
 * {@code POST /api/newsletter/bounces}: the mail provider (or a relay script) reports bounces and
 * complaints. Authenticated with {@code Authorization: Bearer <BROADSHEET_BOUNCE_TOKEN>}; off (404)
 * while no token is set. The body is one report or an array of up to 1,000:
 *
 * <pre>{"email": "reader@example.org", "type": "hard|soft|complaint",
 *  "messageId": "&lt;...&gt;", "detail": "550 5.1.1 no such user"}</pre>
 *
 * The whole body is checked first; a bad report rejects the request and records nothing.
 */
public final class BounceWebhook {

  private static final int MAX_REPORTS = 1_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Bounces bounces;
  private final org.broadsheet.web.BearerToken token;

  public BounceWebhook(Bounces bounces, String token) {
    this.bounces = bounces;
    this.token = new org.broadsheet.web.BearerToken(token);
  }

  public void handle(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    switch (token.check(ctx)) {
      case OFF -> {
        reply(ctx, 404, Map.of("error", "The bounce webhook is off: set BROADSHEET_BOUNCE_TOKEN."));
        return;
      }
      case REFUSED -> {
        reply(ctx, 401, Map.of("error", "Send Authorization: Bearer <BROADSHEET_BOUNCE_TOKEN>."));
        return;
      }
      case ACCEPTED -> {}
    }
    JsonNode body;
    try {
      body = JSON.readTree(ctx.bodyAsBytes());
    } catch (java.io.IOException e) {
      reply(ctx, 400, Map.of("error", "The body is not JSON."));
      return;
    }
    List<JsonNode> reports = new ArrayList<>();
    if (body != null && body.isArray()) {
      body.forEach(reports::add);
    } else if (body != null && body.isObject()) {
      reports.add(body);
    }
    if (reports.isEmpty() || reports.size() > MAX_REPORTS) {
      reply(
          ctx,
          400,
          Map.of("error", "Send one report object or an array of 1 to " + MAX_REPORTS + "."));
      return;
    }
    List<Bounces.Kind> kinds = new ArrayList<>();
    for (int i = 0; i < reports.size(); i++) {
      JsonNode r = reports.get(i);
      try {
        if (!r.isObject() || !r.path("email").isTextual()) {
          throw new ValidationException(Map.of("email", "email is missing."));
        }
        Subscriptions.address(r.path("email").asText());
        kinds.add(Bounces.Kind.parse(r.path("type").asText("")));
      } catch (ValidationException e) {
        reply(
            ctx,
            400,
            Map.of(
                "error",
                "Report " + (i + 1) + ": " + String.join(" ", e.fieldErrors().values()),
                "recorded",
                0));
        return;
      }
    }
    List<Map<String, Object>> done = new ArrayList<>();
    for (int i = 0; i < reports.size(); i++) {
      JsonNode r = reports.get(i);
      String messageId = r.path("messageId").asText(r.path("message_id").asText(""));
      Bounces.Outcome outcome =
          bounces.record(
              r.path("email").asText(), kinds.get(i), messageId, r.path("detail").asText(""));
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("email", outcome.email());
      line.put("suppressed", outcome.suppressed());
      done.add(line);
    }
    reply(ctx, 200, Map.of("recorded", done.size(), "reports", done));
  }

  private static void reply(Context ctx, int status, Map<String, Object> body) {
    ctx.status(status);
    ctx.contentType("application/json");
    try {
      ctx.result(JSON.writeValueAsString(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
