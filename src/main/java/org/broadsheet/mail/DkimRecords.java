package org.broadsheet.mail;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/** The DKIM DNS record's public key, made from the private key the site signs with. */
public final class DkimRecords {

  private DkimRecords() {}

  /** The base64 public key for {@code p=} in the DKIM TXT record. */
  public static String publicKeyOf(Path privateKeyFile) throws IOException {
    byte[] raw = Files.readAllBytes(privateKeyFile);
    String text = new String(raw, StandardCharsets.US_ASCII);
    byte[] der =
        text.contains("-----BEGIN")
            ? Base64.getMimeDecoder()
                .decode(text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))
            : raw;
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
      BigInteger modulus = key.getModulus();
      return Base64.getEncoder()
          .encodeToString(
              rsa.generatePublic(new RSAPublicKeySpec(modulus, key.getPublicExponent()))
                  .getEncoded());
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IOException("not an RSA private key in PKCS#8 (DER or PEM)", e);
    }
  }
}
