package org.broadsheet.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs short values (cookie contents, links in mail) with HMAC-SHA256 under the site's secret, so
 * they can be handed to readers and trusted when they come back. Thread-safe.
 */
public final class Signer {

  private final Supplier<String> secret;

  public Signer(Supplier<String> secret) {
    this.secret = secret;
  }

  /** The value with its signature appended: {@code value.signature}. */
  public String sign(String value) {
    return value + "." + mac(value);
  }

  /** The value, if the signed text is intact. */
  public Optional<String> verify(String signed) {
    if (signed == null) {
      return Optional.empty();
    }
    int dot = signed.lastIndexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    String value = signed.substring(0, dot);
    byte[] given = signed.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    byte[] expected = mac(value).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(given, expected) ? Optional.of(value) : Optional.empty();
  }

  /** A thread's HMAC, kept with the secret it was made for (a campaign signs two per reader). */
  private record Keyed(String secret, Mac mac) {}

  private final ThreadLocal<Keyed> macs = new ThreadLocal<>();

  private String mac(String value) {
    try {
      String current = secret.get();
      Keyed keyed = macs.get();
      if (keyed == null || !keyed.secret().equals(current)) {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(current.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        keyed = new Keyed(current, mac);
        macs.set(keyed);
      }
      byte[] digest = keyed.mac().doFinal(value.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 32);
    } catch (Exception e) {
      throw new IllegalStateException("HMAC unavailable", e);
    }
  }
}
