package org.broadsheet.mail;

import static org.broadsheet.config.Settings.*;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.broadsheet.config.Config;
import org.simplejavamail.utils.mail.dkim.DkimMessage;
import org.simplejavamail.utils.mail.dkim.DkimSigner;

/**
 * DKIM signatures (RSA-SHA256, relaxed/relaxed) by the utils-mail-dkim library, with the key from
 * {@code BROADSHEET_DKIM_KEY_FILE} (PKCS#8, DER or PEM). The library never looks the key up in DNS
 * here: publishing the public key is the operator's step.
 */
final class DkimSigning {

  /** The library's signer keeps digest state while signing: one per sending thread. */
  private final ThreadLocal<DkimSigner> signers;

  private DkimSigning(java.util.function.Supplier<DkimSigner> factory) {
    this.signers = ThreadLocal.withInitial(factory);
  }

  static DkimSigning load(Config config) {
    try {
      byte[] raw = Files.readAllBytes(Path.of(config.get(DKIM_KEY_FILE)));
      String text = new String(raw, StandardCharsets.US_ASCII);
      byte[] der =
          text.contains("-----BEGIN")
              ? Base64.getMimeDecoder()
                  .decode(text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))
              : raw;
      RSAPrivateKey key =
          (RSAPrivateKey)
              KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
      java.util.function.Supplier<DkimSigner> factory =
          () -> {
            DkimSigner signer =
                new DkimSigner(config.get(DKIM_DOMAIN), config.get(DKIM_SELECTOR), key);
            signer.setCheckDomainKey(false);
            signer.setHeaderCanonicalization(
                org.simplejavamail.utils.mail.dkim.Canonicalization.RELAXED);
            signer.setBodyCanonicalization(
                org.simplejavamail.utils.mail.dkim.Canonicalization.RELAXED);
            signer.addHeaderToSign("List-Unsubscribe");
            signer.addHeaderToSign("List-Unsubscribe-Post");
            return signer;
          };
      factory.get(); // a bad key fails here, at start
      return new DkimSigning(factory);
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      throw new Config.ConfigException(
          "BROADSHEET_DKIM_KEY_FILE="
              + config.get(DKIM_KEY_FILE)
              + ": not a readable RSA private key in PKCS#8 (DER or PEM): "
              + e.getMessage());
    }
  }

  MimeMessage sign(MimeMessage message) throws MessagingException {
    return new DkimMessage(message, signers.get());
  }
}
