package org.broadsheet.article;

import java.util.List;
import java.util.Set;

/**
 * What search and the newsroom say about an article's neighbours: the same-story articles, the
 * ranked "More Articles" candidates, the ones an editor pinned (in order) and the ones an editor
 * excluded.
 */
public record RelatedLinks(
    List<Long> story, List<Long> ranked, List<Long> pinned, Set<Long> excluded) {

  public static final RelatedLinks NONE =
      new RelatedLinks(List.of(), List.of(), List.of(), Set.of());
}
