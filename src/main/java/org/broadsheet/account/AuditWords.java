package org.broadsheet.account;

import java.util.Locale;
import java.util.Map;

/**
 * The audit log's event codes in words for the newsroom ("article.create-publish" → "created and
 * published a story"). A code without words of its own (added by a newer version, or rare) is shown
 * readably from its parts, never hidden. Stateless.
 */
public final class AuditWords {

  private static final Map<String, String> WORDS =
      Map.ofEntries(
          Map.entry("article.create-save", "started a story"),
          Map.entry("article.create-review", "wrote a story and sent it for review"),
          Map.entry("article.create-publish", "wrote and published a story"),
          Map.entry("article.create-schedule", "wrote and scheduled a story"),
          Map.entry("article.save", "saved a story"),
          Map.entry("article.review", "sent a story for review"),
          Map.entry("article.publish", "published a story"),
          Map.entry("article.schedule", "scheduled a story"),
          Map.entry("article.unschedule", "unscheduled a story"),
          Map.entry("article.unpublish", "unpublished a story"),
          Map.entry(
              "article.keep-changes", "saved changes to a live story without publishing them"),
          Map.entry("article.discard-changes", "discarded unpublished changes to a live story"),
          Map.entry("article.correction", "appended a correction"),
          Map.entry("article.erase", "erased a story for good"),
          Map.entry("article.restore", "restored an earlier revision"),
          Map.entry("front.arrange", "arranged a front page"),
          Map.entry("author.create", "added an author profile"),
          Map.entry("author.update", "changed an author profile"),
          Map.entry("section.create", "added a section"),
          Map.entry("section.update", "changed a section"),
          Map.entry("tag.rename", "renamed a tag"),
          Map.entry("media.upload", "uploaded a picture"),
          Map.entry("media.update", "changed a picture's alt text or credit"),
          Map.entry("media.delete", "deleted a picture"),
          Map.entry("comment.reply", "replied to a comment"),
          Map.entry("comment.block", "added to the blocklist"),
          Map.entry("comment.unblock", "took off the blocklist"),
          Map.entry("comment.approve", "approved a comment"),
          Map.entry("comment.spam", "marked a comment as spam"),
          Map.entry("comment.trash", "trashed a comment"),
          Map.entry("newsletter.create", "created a newsletter"),
          Map.entry("newsletter.update", "changed a newsletter"),
          Map.entry("newsletter.test", "sent a test newsletter"),
          Map.entry("newsletter.article-campaign", "started mailing a story"),
          Map.entry("subscribers.import", "imported subscribers"),
          Map.entry("subscribers.import-dry-run", "tried a subscriber import"),
          Map.entry("subscribers.export", "exported the subscribers"),
          Map.entry("subscriber.delete", "removed a subscriber"),
          Map.entry("subscriber.erase", "erased a subscriber's data"),
          Map.entry("import.wxr", "imported a WordPress export"),
          Map.entry("import.wxr-dry-run", "tried a WordPress import"),
          Map.entry("settings.update", "changed the settings"),
          Map.entry("settings.test-mail", "sent a test mail"),
          Map.entry("site.setup", "set up the site"),
          Map.entry("site.title", "changed the site's title"),
          Map.entry("site.tagline", "changed the tagline"),
          Map.entry("site.logo", "changed the logo"),
          Map.entry("user.invite", "invited a member"),
          Map.entry("user.invite-resend", "sent an invitation again"),
          Map.entry("user.invite-revoke", "withdrew an invitation"),
          Map.entry("user.create", "added a member"),
          Map.entry("user.role", "changed a member's role"),
          Map.entry("user.activate", "reactivated a member"),
          Map.entry("user.deactivate", "deactivated a member"),
          Map.entry("user.byline", "gave a member a byline"),
          Map.entry("user.sign-in", "signed in"),
          Map.entry("user.sign-out", "signed out"),
          Map.entry("user.sign-out-everywhere", "signed out on every device"),
          Map.entry("user.password-set", "chose a new password"),
          Map.entry("user.password-reset-requested", "asked for a password reset link"));

  private AuditWords() {}

  /** The event in words, for a sentence that starts with who did it. */
  public static String of(String action) {
    String known = WORDS.get(action);
    if (known != null) {
      return known;
    }
    return action.replace('.', ' ').replace('-', ' ').toLowerCase(Locale.ROOT);
  }
}
