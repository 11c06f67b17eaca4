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

  /** RFC 5322 date-time, e.g. {@code Fri, 27 Nov 2026 16:02:09 +0000}. */
  private static final java.time.format.DateTimeFormatter DATE =
      java.time.format.DateTimeFormatter.ofPattern(
              "EEE, d MMM yyyy HH:mm:ss Z", java.util.Locale.ROOT)
          .withZone(java.time.ZoneOffset.UTC);

  /** Makes sure the lookup above is in place before a mail session is created. */
  static void init() {
    // the static initialiser does the work
  }

  static InternetAddress address(String text) throws AddressException {
    InternetAddress address = new InternetAddress(text, true);
    address.validate();
    return address;
  }

  /**
   * The transfer encoding for a text part, chosen here in one pass instead of by the mail library
   * (which writes the whole part through a checking stream first): 7bit for ASCII with short lines,
   * quoted-printable otherwise.
   */
  static String transferEncoding(String text) {
    int lineLength = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        lineLength = 0;
        continue;
      }
      if (c >= 0x80 || c == 0 || ++lineLength > 900) {
        return "quoted-printable";
      }
    }
    return "7bit";
  }

  /**
   * HTML with every non-ASCII character written as a numeric character reference, which means the
   * same to any HTML reader and lets the part travel as 7bit instead of quoted-printable.
   */
  static String asciiHtml(String html) {
    int i = 0;
    while (i < html.length() && html.charAt(i) < 0x80) {
      i++;
    }
    if (i == html.length()) {
      return html;
    }
    StringBuilder out = new StringBuilder(html.length() + 64).append(html, 0, i);
    html.codePoints()
        .skip(html.codePointCount(0, i))
        .forEach(
            cp -> {
              if (cp < 0x80) {
                out.append((char) cp);
              } else {
                out.append("&#").append(cp).append(';');
              }
            });
    return out.toString();
  }

  /**
   * A text part encoded here, once, into the bytes that go on the wire. Left to the mail library,
   * the text would be written byte by byte through its content handler's stream chain, which costs
   * more than everything else in sending a newsletter.
   */
  static MimeBodyPart encodedPart(String content, String subtype) throws MessagingException {
    String text = content.replace("\r\n", "\n").replace("\n", "\r\n");
    String encoding = transferEncoding(text);
    jakarta.mail.internet.InternetHeaders headers = new jakarta.mail.internet.InternetHeaders();
    headers.setHeader("Content-Type", "text/" + subtype + "; charset=UTF-8");
    headers.setHeader("Content-Transfer-Encoding", encoding);
    byte[] bytes;
    if (encoding.equals("7bit")) {
      bytes = text.getBytes(StandardCharsets.US_ASCII);
    } else {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length() + 256);
      try (java.io.OutputStream encoder =
          jakarta.mail.internet.MimeUtility.encode(out, "quoted-printable")) {
        encoder.write(text.getBytes(StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new MessagingException("could not encode the text", e);
      }
      bytes = out.toByteArray();
    }
    return new MimeBodyPart(headers, bytes);
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
    message.setHeader("Date", DATE.format(clock.instant()));
    if (m.listUnsubscribe() != null) {
      message.setHeader(
          "List-Unsubscribe", "<" + m.listUnsubscribe().replaceAll("[\\r\\n<>]", "") + ">");
      message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
    if (m.html() == null) {
      message.setText(m.text(), StandardCharsets.UTF_8.name());
      message.setHeader("Content-Transfer-Encoding", transferEncoding(m.text()));
    } else {
      MimeMultipart alternative = new MimeMultipart("alternative");
      alternative.addBodyPart(encodedPart(m.text(), "plain"));
      alternative.addBodyPart(encodedPart(asciiHtml(m.html()), "html"));
      message.setContent(alternative);
    }
    message.saveChanges();
    return message;
  }
}
