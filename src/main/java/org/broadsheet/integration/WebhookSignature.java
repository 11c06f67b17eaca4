package org.broadsheet.integration;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs deliveries as Standard Webhooks does: {@code webhook-id}, {@code webhook-timestamp} (Unix
 * seconds) and {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, keyed
 * with the endpoint's {@code whsec_…} secret (base64 after the prefix), so receivers can verify
 * with any Standard Webhooks library. Pure.
 */
public final class WebhookSignature {

  public static final String PREFIX = "whsec_";

  private WebhookSignature() {}

  /** A new secret: 32 random bytes. */
  public static String newSecret(SecureRandom random) {
    byte[] key = new byte[32];
    random.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The three headers of one try. */
  public static Map<String, String> headers(
      String secret, String messageId, long timestampSeconds, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", messageId);
    headers.put("webhook-timestamp", Long.toString(timestampSeconds));
    headers.put("webhook-signature", "v1," + sign(secret, messageId, timestampSeconds, body));
    return headers;
  }

  static String sign(String secret, String messageId, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              Base64.getDecoder().decode(secret.substring(PREFIX.length())), "HmacSHA256"));
      mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      mac.update(body);
      return Base64.getEncoder().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
