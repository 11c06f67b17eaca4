package org.broadsheet.testing;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.internet.MimeMessage;
import java.util.List;

/**
 * What a test site has mailed to the test SMTP server, waited for by condition rather than by time:
 * {@link #atLeast} when a test knows how many messages must come, {@link #settled} when it must
 * also know that nothing more is coming (no change left to apply, no campaign being queued, no
 * message untried).
 */
public final class Mailbox {

  private Mailbox() {}

  /** Delivers what is due until the server has at least {@code count} messages; returns all. */
  public static List<MimeMessage> atLeast(TestApp site, GreenMailExtension smtp, int count) {
    Eventually.until(
        count + " messages at the SMTP server",
        () -> {
          site.app().outbox().deliverDue();
          return smtp.getReceivedMessages().length >= count;
        });
    return List.of(smtp.getReceivedMessages());
  }

  /** The {@code n}th message (1-based) the server received, once it has come. */
  public static MimeMessage nth(TestApp site, GreenMailExtension smtp, int n) {
    return atLeast(site, smtp, n).get(n - 1);
  }

  /**
   * Waits until the site has nothing left to mail: every follower of the change feed has applied
   * every change, no campaign is waiting to be queued, and every queued message has been tried;
   * returns everything the server received.
   */
  public static List<MimeMessage> settled(TestApp site, GreenMailExtension smtp) {
    Eventually.until(
        "the site to finish mailing",
        () -> {
          site.app().outbox().deliverDue();
          return site.app().changes().caughtUp()
              && site.app().mailings().idle()
              && site.app().outbox().untried() == 0;
        });
    return List.of(smtp.getReceivedMessages());
  }
}
