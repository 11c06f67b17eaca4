package org.broadsheet.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A machine endpoint's shared secret ({@code Authorization: Bearer …}), compared in constant time.
 * An empty token turns the endpoint off. Thread-safe.
 */
public final class BearerToken {

  /** What the request showed. */
  public enum Check {
    /** No token is configured: the endpoint is off. */
    OFF,
    /** Missing or wrong token. */
    REFUSED,
    ACCEPTED
  }

  private final byte[] token;

  public BearerToken(String token) {
    this.token = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
  }

  public boolean enabled() {
    return token.length > 0;
  }

  /** Checks the request; on {@link Check#REFUSED} it has set {@code WWW-Authenticate}. */
  public Check check(Context ctx) {
    if (token.length == 0) {
      return Check.OFF;
    }
    String auth = ctx.header("Authorization");
    byte[] given =
        auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
            ? auth.substring(7).strip().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    if (!MessageDigest.isEqual(given, token)) {
      ctx.header("WWW-Authenticate", "Bearer");
      return Check.REFUSED;
    }
    return Check.ACCEPTED;
  }
}
