package org.broadsheet.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;

/**
 * Builds MIME messages with the mail library's own header encoding: addresses are parsed strictly,
 * the subject is folded and encoded, and no header is ever assembled from raw user text.
 */
final class MimeMessages {

  /**
   * Jakarta Mail 2.1 looks its stream provider up through the ServiceLoader on every encoded part
   * (jakartaee/mail-api#861), which scans the class path each time and costs more than building the
   * message; naming the provider makes the lookup a plain class load.
   */
  static {
    if (System.getProperty("jakarta.mail.util.StreamProvider") == null) {
      System.setProperty(
          "jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
    }
  }

  private MimeMessages() {}

  /** Makes sure the lookup above is in place before a mail session is created. */
  static void init() {
    // the static initialiser does the work
  }

  static InternetAddress address(String text) throws AddressException {
    InternetAddress address = new InternetAddress(text, true);
    address.validate();
    return address;
  }

  static MimeMessage build(
      Session session, String from, MailMessage m, String messageId, Clock clock)
      throws MessagingException {
    MimeMessage message =
        new MimeMessage(session) {
          @Override
          protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
          }
        };
    message.setFrom(address(from));
    message.setRecipient(MimeMessage.RecipientType.TO, address(m.recipient()));
    message.setSubject(m.subject().replaceAll("[\\r\\n\\t]+", " "), StandardCharsets.UTF_8.name());
    message.setSentDate(Date.from(clock.instant()));
    if (m.listUnsubscribe() != null) {
      message.setHeader(
          "List-Unsubscribe", "<" + m.listUnsubscribe().replaceAll("[\\r\\n<>]", "") + ">");
      message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
    if (m.html() == null) {
      message.setText(m.text(), StandardCharsets.UTF_8.name());
    } else {
      MimeMultipart alternative = new MimeMultipart("alternative");
      MimeBodyPart text = new MimeBodyPart();
      text.setText(m.text(), StandardCharsets.UTF_8.name());
      MimeBodyPart html = new MimeBodyPart();
      html.setText(m.html(), StandardCharsets.UTF_8.name(), "html");
      alternative.addBodyPart(text);
      alternative.addBodyPart(html);
      message.setContent(alternative);
    }
    message.saveChanges();
    return message;
  }
}
