package org.broadsheet.newsletter;

import java.util.List;

/**
 * What the newsletter mails show, for the HTML templates under {@code mail/} and for the plain-text
 * part built here from the same data.
 */
public final class MailViews {

  private MailViews() {}

  /** Why the reader gets the mail, and the links to change or stop it. */
  public record Footer(
      String siteTitle, String newsletters, String preferences, String unsubscribe) {

    String text() {
      return "You get this from "
          + siteTitle
          + (newsletters.isEmpty() ? "" : " (" + newsletters + ")")
          + ".\nChange what you receive: "
          + preferences
          + "\nUnsubscribe with one click: "
          + unsubscribe
          + "\n";
    }
  }

  /** A mail's picture: an absolute address and the size it is shown at (600 px wide). */
  public record MailImage(String src, String alt, int width, int height) {
    public static final MailImage NONE = new MailImage("", "", 0, 0);

    public boolean present() {
      return !src.isEmpty() && height > 0;
    }
  }

  /** One new article. */
  public record ArticleMail(
      String headline,
      String deck,
      String byline,
      String section,
      String url,
      MailImage image,
      Footer footer) {

    public String text() {
      return headline
          + "\n\n"
          + (deck.isEmpty() ? "" : deck + "\n\n")
          + (byline.isEmpty() ? "" : "By " + byline + "\n\n")
          + "Read it: "
          + url
          + "\n\n-- \n"
          + footer.text();
    }
  }

  /** One line of a digest. */
  public record Item(String headline, String deck, String section, String url) {}

  /** A daily or weekly digest. */
  public record DigestMail(String heading, List<Item> items, Footer footer) {

    public String text() {
      StringBuilder text = new StringBuilder(heading).append("\n\n");
      for (Item item : items) {
        text.append("* ").append(item.headline()).append('\n');
        if (!item.deck().isEmpty()) {
          text.append("  ").append(item.deck()).append('\n');
        }
        text.append("  ").append(item.url()).append("\n\n");
      }
      return text.append("-- \n").append(footer.text()).toString();
    }
  }
}
