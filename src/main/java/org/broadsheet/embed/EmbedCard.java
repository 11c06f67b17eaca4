package org.broadsheet.embed;

/**
 * What readers see on an embed's card before they load it: the provider's title and author for the
 * link, and a thumbnail copied into the site's media folder (empty when fetching is off or found
 * nothing).
 */
public record EmbedCard(String title, String author, String thumbnail, int width, int height) {

  static final EmbedCard PLAIN = new EmbedCard("", "", "", 0, 0);

  public boolean hasThumbnail() {
    return !thumbnail.isEmpty() && width > 0 && height > 0;
  }
}
