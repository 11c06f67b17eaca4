package org.broadsheet.newsletter;

/**
 * One of the site's newsletters, e.g. "Breaking" (each article tagged {@code breaking}, as it is
 * published) or "Morning briefing" (every article, in a daily digest).
 *
 * @param tagSlug only articles with this tag, or null for every article
 * @param cadence {@code each}, {@code daily} or {@code weekly}; null when each reader chooses
 */
public record Newsletter(
    long id,
    String slug,
    String name,
    String description,
    String tagSlug,
    String cadence,
    int position,
    boolean archived) {

  /** When a reader who chose {@code frequency} gets this newsletter. */
  public String cadenceFor(String frequency) {
    return cadence == null ? frequency : cadence;
  }

  /** How the newsletter is sent, in words. */
  public String cadenceLabel() {
    return switch (cadence == null ? "" : cadence) {
      case "each" -> "each article as it is published";
      case "daily" -> "a daily digest";
      case "weekly" -> "a weekly digest on Mondays";
      default -> "as often as you choose";
    };
  }
}
