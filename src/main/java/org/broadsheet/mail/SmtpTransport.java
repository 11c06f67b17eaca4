package org.broadsheet.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import java.time.Clock;
import java.util.Properties;
import org.broadsheet.Config;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Delivers over SMTP with Angus Mail. A 5xx reply or an invalid address is permanent; 4xx replies
 * and connection failures are worth a retry. Thread-safe.
 */
public final class SmtpTransport implements MailTransport {

  private final Config.MailConfig config;
  private final Session session;
  private final Clock clock;

  public SmtpTransport(Config.MailConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    Properties properties = new Properties();
    properties.put("mail.smtp.host", config.smtpHost());
    properties.put("mail.smtp.port", Integer.toString(config.smtpPort()));
    properties.put("mail.smtp.connectiontimeout", "10000");
    properties.put("mail.smtp.timeout", "20000");
    properties.put("mail.smtp.writetimeout", "20000");
    properties.put("mail.smtp.auth", Boolean.toString(!config.smtpUser().isEmpty()));
    properties.put(
        "mail.smtp.starttls.enable", Boolean.toString(config.smtpSecurity().equals("starttls")));
    properties.put(
        "mail.smtp.starttls.required", Boolean.toString(config.smtpSecurity().equals("starttls")));
    properties.put("mail.smtp.ssl.enable", Boolean.toString(config.smtpSecurity().equals("tls")));
    this.session = Session.getInstance(properties);
  }

  @Override
  public void send(MailMessage message, String messageId) throws MailFailure {
    try {
      var mime = MimeMessages.build(session, config.from(), message, messageId, clock);
      try (Transport transport = session.getTransport("smtp")) {
        transport.connect(
            config.smtpHost(),
            config.smtpPort(),
            emptyToNull(config.smtpUser()),
            emptyToNull(config.smtpPassword()));
        transport.sendMessage(mime, mime.getAllRecipients());
      }
    } catch (AddressException e) {
      throw new MailFailure("invalid address: " + e.getMessage(), true, e);
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
            "refused recipient: " + failed.getReturnCode(), failed.getReturnCode() >= 500, e);
      }
      throw new MailFailure("send failed: " + e.getMessage(), false, e);
    } catch (AuthenticationFailedException e) {
      throw new MailFailure(
          "SMTP authentication failed (check BROADSHEET_SMTP_USER/PASSWORD)", false, e);
    } catch (MessagingException e) {
      throw new MailFailure("SMTP error: " + e.getMessage(), false, e);
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
