package org.broadsheet.mail;

/**
 * Delivers one message: over SMTP, or into the dev outbox folder. Implementations are thread-safe.
 */
public interface MailTransport {

  /** Sends the message; throws {@link MailFailure} saying whether a retry may succeed. */
  void send(MailMessage message, String messageId) throws MailFailure;

  /** A delivery that did not happen, and whether trying again later may help. */
  final class MailFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean permanent;

    public MailFailure(String message, boolean permanent, Throwable cause) {
      super(message, cause);
      this.permanent = permanent;
    }

    public boolean permanent() {
      return permanent;
    }
  }
}
