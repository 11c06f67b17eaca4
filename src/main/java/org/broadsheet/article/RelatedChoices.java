package org.broadsheet.article;

import java.util.List;

/**
 * Where an article's "More Articles" and "The story so far" come from, and the newsroom's say in
 * them: the stored ranked lists (computed by search when articles change) and the editors' pins and
 * exclusions. Implemented by the search feature; thread-safe.
 */
public interface RelatedChoices {

  /** An editor's decision about one article in another's lists. */
  enum Action {
    PIN,
    EXCLUDE
  }

  /** One pin or exclusion. */
  record Choice(long otherId, Action action) {}

  /** No lists at all (before search has computed any, or without search). */
  RelatedChoices NONE =
      new RelatedChoices() {
        @Override
        public RelatedLinks links(long articleId) {
          return RelatedLinks.NONE;
        }

        @Override
        public List<Choice> choices(long articleId) {
          return List.of();
        }

        @Override
        public void decide(
            long articleId, long otherId, Action action, org.broadsheet.account.Actor actor) {
          throw new UnsupportedOperationException("No related lists to decide on");
        }
      };

  /** The stored candidates, the same-story ones, and the pins and exclusions. */
  RelatedLinks links(long articleId);

  /** The pins and exclusions of an article, in the order they were made. */
  List<Choice> choices(long articleId);

  /**
   * Pins or excludes {@code otherId} in the article's lists (a null action forgets the choice),
   * with its audit entry, in one transaction.
   */
  void decide(long articleId, long otherId, Action action, org.broadsheet.account.Actor actor);
}
