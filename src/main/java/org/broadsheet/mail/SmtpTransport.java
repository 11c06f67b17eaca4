package org.broadsheet.mail;

import static org.broadsheet.config.Settings.*;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.broadsheet.config.Config;
import org.broadsheet.config.SmtpSecurity;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Delivers over SMTP with Angus Mail, reusing open connections: each sender takes an idle
 * connection (or opens one), sends and puts it back; a connection idle for too long, or after an
 * error, is closed instead. A 5xx reply or an invalid address is permanent; 4xx replies and
 * connection failures are worth a retry. Messages are DKIM-signed when configured. Thread-safe.
 */
public final class SmtpTransport implements MailTransport, AutoCloseable {

  private static final long MAX_IDLE_MILLIS = 20_000;
  private static final int MAX_MESSAGES_PER_CONNECTION = 1_000;

  private final Config config;
  private final Session session;
  private final Clock clock;
  private final DkimSigning dkim;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

  /** An open SMTP connection, when it was last used and how many messages it carried. */
  private record Connection(Transport transport, long lastUsed, int sent) {}

  public SmtpTransport(Config config, Clock clock) {
    this.config = config;
    this.clock = clock;
    MimeMessages.init();
    Properties properties = new Properties();
    properties.put("mail.smtp.host", config.get(SMTP_HOST));
    properties.put("mail.smtp.port", Integer.toString(config.get(SMTP_PORT)));
    properties.put("mail.smtp.connectiontimeout", "10000");
    properties.put("mail.smtp.timeout", "20000");
    properties.put("mail.smtp.writetimeout", "20000");
    properties.put("mail.smtp.auth", Boolean.toString(!config.get(SMTP_USER).isEmpty()));
    properties.put(
        "mail.smtp.starttls.enable",
        Boolean.toString(config.get(SMTP_SECURITY) == SmtpSecurity.STARTTLS));
    properties.put(
        "mail.smtp.starttls.required",
        Boolean.toString(config.get(SMTP_SECURITY) == SmtpSecurity.STARTTLS));
    properties.put(
        "mail.smtp.ssl.enable", Boolean.toString(config.get(SMTP_SECURITY) == SmtpSecurity.TLS));
    this.session = Session.getInstance(properties);
    this.dkim = config.dkimEnabled() ? DkimSigning.load(config) : null;
  }

  @Override
  public void send(MailMessage message, String messageId) throws MailFailure {
    MimeMessage mime;
    try {
      mime = MimeMessages.build(session, config.get(MAIL_FROM), message, messageId, clock);
      if (dkim != null) {
        mime = dkim.sign(mime);
      }
    } catch (AddressException e) {
      throw new MailFailure("invalid address: " + e.getMessage(), true, e);
    } catch (MessagingException e) {
      throw new MailFailure("could not build the message: " + e.getMessage(), true, e);
    }
    try {
      deliver(mime, true);
    } catch (SMTPAddressFailedException e) {
      throw new MailFailure(
          "refused recipient: " + e.getReturnCode() + " " + e.getMessage(),
          e.getReturnCode() >= 500,
          e);
    } catch (SMTPSendFailedException e) {
      throw new MailFailure(
          "refused: " + e.getReturnCode() + " " + e.getMessage(), e.getReturnCode() >= 500, e);
    } catch (SendFailedException e) {
      Throwable next = e.getNextException();
      if (next instanceof SMTPAddressFailedException failed) {
        throw new MailFailure(
            "refused recipient: " + failed.getReturnCode() + " " + failed.getMessage().strip(),
            failed.getReturnCode() >= 500,
            e);
      }
      throw new MailFailure("send failed: " + e.getMessage(), false, e);
    } catch (AuthenticationFailedException e) {
      throw new MailFailure(
          "SMTP authentication failed (check BROADSHEET_SMTP_USER/PASSWORD)", false, e);
    } catch (MessagingException e) {
      throw new MailFailure("SMTP error: " + e.getMessage(), false, e);
    }
  }

  /**
   * Sends over a pooled connection. A reused connection the server has closed meanwhile fails with
   * a plain MessagingException before any reply: then the message is tried once more on a new
   * connection.
   */
  private void deliver(MimeMessage mime, boolean mayRetry) throws MessagingException {
    Connection connection = take();
    try {
      connection.transport().sendMessage(mime, mime.getAllRecipients());
      release(connection);
    } catch (SendFailedException e) {
      discard(connection);
      throw e;
    } catch (MessagingException e) {
      discard(connection);
      if (mayRetry && connection.sent() > 0 && !(e instanceof AuthenticationFailedException)) {
        deliver(mime, false);
        return;
      }
      throw e;
    }
  }

  /** An idle connection that is fresh enough, or a new one. */
  private Connection take() throws MessagingException {
    long now = System.currentTimeMillis();
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      // No NOOP round trip to check it: a stale connection fails fast and is replaced.
      if (now - c.lastUsed() < MAX_IDLE_MILLIS && c.sent() < MAX_MESSAGES_PER_CONNECTION) {
        return c;
      }
      discard(c);
    }
    Transport transport = session.getTransport("smtp");
    transport.connect(
        config.get(SMTP_HOST),
        config.get(SMTP_PORT),
        emptyToNull(config.get(SMTP_USER)),
        emptyToNull(config.get(SMTP_PASSWORD)));
    return new Connection(transport, now, 0);
  }

  private void release(Connection c) {
    idle.offerFirst(new Connection(c.transport(), System.currentTimeMillis(), c.sent() + 1));
  }

  private static void discard(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.transport().close();
    } catch (MessagingException e) {
      // already gone
    }
  }

  @Override
  public void close() {
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      discard(c);
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
