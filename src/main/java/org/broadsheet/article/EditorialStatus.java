package org.broadsheet.article;

import java.util.Locale;
import java.util.Optional;

/**
 * Where an article is in the newsroom's work: its {@link ArticleStatus}, with drafts sent for
 * review told apart. The newsroom's list filters and shows these.
 */
public enum EditorialStatus {
  DRAFT("Draft"),
  IN_REVIEW("In review"),
  SCHEDULED("Scheduled"),
  PUBLISHED("Published"),
  UNPUBLISHED("Unpublished");

  private final String label;

  EditorialStatus(String label) {
    this.label = label;
  }

  /** How the newsroom shows it. */
  public String label() {
    return label;
  }

  /** How addresses and style classes spell it ({@code in_review}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status an address names, or empty for none or an unknown one. */
  public static Optional<EditorialStatus> parse(String id) {
    for (EditorialStatus s : values()) {
      if (s.id().equals(id)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** An article's editorial status from its status and review flag. */
  public static EditorialStatus of(ArticleStatus status, boolean inReview) {
    return switch (status) {
      case DRAFT -> inReview ? IN_REVIEW : DRAFT;
      case SCHEDULED -> SCHEDULED;
      case PUBLISHED -> PUBLISHED;
      case UNPUBLISHED -> UNPUBLISHED;
    };
  }
}
