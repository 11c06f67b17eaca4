package org.broadsheet.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing with Argon2id (Bouncy Castle), stored in the PHC string format so parameters can
 * be raised later without breaking existing hashes. Defaults follow OWASP's recommendation (19 MiB,
 * 2 passes, 1 lane). Thread-safe.
 */
public final class Passwords {

  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 256;

  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final SecureRandom random;
  private final int memoryKib;
  private final int iterations;

  public Passwords(SecureRandom random) {
    this(random, 19_456, 2);
  }

  /** Cheaper parameters, for tests only. */
  public Passwords(SecureRandom random, int memoryKib, int iterations) {
    this.random = random;
    this.memoryKib = memoryKib;
    this.iterations = iterations;
  }

  /** A problem with a new password a person can fix, or null when it is acceptable. */
  public static String problem(String password) {
    if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
      return "Use at least " + MIN_LENGTH + " characters; a few unrelated words work well.";
    }
    if (password.length() > MAX_LENGTH) {
      return "Use at most " + MAX_LENGTH + " characters.";
    }
    return null;
  }

  public String hash(String password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, memoryKib, iterations, 1);
    return "$argon2id$v=19$m="
        + memoryKib
        + ",t="
        + iterations
        + ",p=1$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /** Whether the password matches the stored PHC string (constant-time comparison). */
  public boolean verify(String password, String stored) {
    if (password == null || stored == null || password.length() > MAX_LENGTH) {
      return false;
    }
    String[] parts = stored.split("\\$");
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    if (parts.length != 6 || !parts[1].equals("argon2id")) {
      return false;
    }
    Map<String, Integer> params = new HashMap<>();
    for (String kv : parts[3].split(",")) {
      String[] pair = kv.split("=", 2);
      if (pair.length == 2) {
        params.put(pair[0], Integer.parseInt(pair[1]));
      }
    }
    byte[] salt = B64D.decode(parts[4]);
    byte[] expected = B64D.decode(parts[5]);
    byte[] actual =
        derive(
            password,
            salt,
            params.getOrDefault("m", memoryKib),
            params.getOrDefault("t", iterations),
            params.getOrDefault("p", 1));
    return MessageDigest.isEqual(expected, actual);
  }

  /** A hash to verify against when the account does not exist, so timing does not tell. */
  public String decoy() {
    return hash("decoy password that nobody has");
  }

  private static byte[] derive(
      String password, byte[] salt, int memoryKib, int iterations, int lanes) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(lanes)
            .withSalt(salt)
            .build());
    byte[] out = new byte[32];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
