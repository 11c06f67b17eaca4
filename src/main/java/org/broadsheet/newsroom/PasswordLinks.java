package org.broadsheet.newsroom;

import static org.broadsheet.config.Settings.*;

import org.broadsheet.account.Accounts;
import org.broadsheet.config.Config;
import org.broadsheet.mail.MailMessage;
import org.broadsheet.mail.Outbox;
import org.broadsheet.site.SiteChrome;
import org.jdbi.v3.core.Jdbi;

/**
 * Mails single-use links to set a password, for a reset or an invitation. Links are built from the
 * configured base URL, never from the request's Host header. Thread-safe.
 */
public final class PasswordLinks {

  private final Config config;
  private final Outbox outbox;
  private final Jdbi jdbi;
  private final SiteChrome chrome;

  public PasswordLinks(Config config, Outbox outbox, Jdbi jdbi, SiteChrome chrome) {
    this.config = config;
    this.outbox = outbox;
    this.jdbi = jdbi;
    this.chrome = chrome;
  }

  /** Queues the mail with the link for {@code token}; {@code purpose} keys it in the outbox. */
  void send(String email, String purpose, String token, String subject, String intro) {
    String link = config.get(BASE_URL) + "/admin/password/reset?token=" + token;
    jdbi.useTransaction(
        h ->
            outbox.enqueue(
                h,
                new MailMessage(
                    email,
                    subject + " · " + chrome.site().title(),
                    intro
                        + "\n\nChoose your password here (the link works once, for an hour):\n"
                        + link
                        + "\n\nIf you did not expect this, ignore this message: nothing changes.\n",
                    null,
                    null,
                    purpose + ":" + Accounts.sha256Hex(token))));
  }
}
