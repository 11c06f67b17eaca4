package org.broadsheet.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;

/**
 * The embedded default: no mail leaves the machine. Each message is written as an .eml file under
 * {@code <data dir>/outbox/}, where a developer or operator can open it in any mail program.
 */
public final class DevOutboxTransport implements MailTransport {

  private final Path folder;
  private final String from;
  private final Clock clock;
  private final Session session;

  public DevOutboxTransport(Path folder, String from, Clock clock) {
    this.folder = folder;
    this.from = from;
    this.clock = clock;
    MimeMessages.init();
    this.session = Session.getInstance(new Properties());
  }

  @Override
  public void send(MailMessage message, String messageId) throws MailFailure {
    try {
      var mime = MimeMessages.build(session, from, message, messageId, clock);
      Files.createDirectories(folder);
      String name = clock.millis() + "-" + messageId.replaceAll("[^A-Za-z0-9.-]", "_") + ".eml";
      try (OutputStream out = Files.newOutputStream(folder.resolve(name))) {
        mime.writeTo(out);
      }
    } catch (jakarta.mail.internet.AddressException e) {
      throw new MailFailure("invalid address: " + e.getMessage(), true, e);
    } catch (MessagingException | IOException e) {
      throw new MailFailure("could not write to the dev outbox: " + e.getMessage(), false, e);
    }
  }
}
