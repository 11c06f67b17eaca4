package org.broadsheet.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every response carries: a strict Content-Security-Policy (no inline script or style,
 * no third-party origins, no framing), nosniff, a referrer policy, and HSTS when the site is served
 * over HTTPS. Thread-safe.
 */
public final class SecurityHeaders {

  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
          + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; report-uri /csp-report";

  public static final String POLICY_HEADER = "Content-Security-Policy";

  private final Map<String, String> headers = new LinkedHashMap<>();

  /**
   * The policy of a page that embeds frames from these origins (click-to-load embeds in a story):
   * they are added to {@code frame-src}, which is created when the policy has none (otherwise
   * {@code default-src 'self'} would refuse them). Nothing else widens.
   */
  public static String allowFrames(String policy, java.util.Collection<String> origins) {
    if (origins.isEmpty()) {
      return policy;
    }
    String list = String.join(" ", new java.util.TreeSet<>(origins));
    if (policy.contains("frame-src ")) {
      return policy.replace("frame-src ", "frame-src " + list + " ");
    }
    return policy.replace("object-src 'none'", "frame-src " + list + "; object-src 'none'");
  }

  public SecurityHeaders(boolean https) {
    this(https, java.util.List.of());
  }

  /**
   * With the origins a chosen third-party human check needs (its script, frames and calls); the
   * policy is widened only when such a provider is configured.
   */
  public SecurityHeaders(boolean https, java.util.List<String> extraOrigins) {
    String extra = extraOrigins.isEmpty() ? "" : " " + String.join(" ", extraOrigins);
    headers.put(
        "Content-Security-Policy",
        extra.isEmpty()
            ? CONTENT_SECURITY_POLICY
            : CONTENT_SECURITY_POLICY
                .replace("script-src 'self'", "script-src 'self'" + extra)
                .replace("connect-src 'self'", "connect-src 'self'" + extra)
                .replace("object-src 'none'", "frame-src" + extra + "; object-src 'none'"));
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "strict-origin-when-cross-origin");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Cross-Origin-Opener-Policy", "same-origin");
    headers.put(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), browsing-topics=()");
    if (https) {
      headers.put("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
  }

  public Map<String, String> headers() {
    return headers;
  }

  public void apply(Context ctx) {
    headers.forEach(ctx::header);
  }
}
