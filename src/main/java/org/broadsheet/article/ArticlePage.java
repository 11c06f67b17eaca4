package org.broadsheet.article;

import java.util.List;
import org.broadsheet.comment.CommentSection;
import org.broadsheet.site.Chrome;

/** One article as readers see it, with its comments and the "More Articles" list beneath it. */
public record ArticlePage(
    Chrome chrome,
    Article article,
    CommentSection comments,
    List<ArticleSummary> story,
    List<ArticleSummary> more,
    String jsonLd,
    String body,
    String previewNote,
    Presentation presentation,
    org.broadsheet.live.LiveStream live) {

  /**
   * The image a shared link shows (absolute address), or empty: the social one, else the featured.
   */
  public String socialImage(org.broadsheet.site.Links links) {
    String image =
        !presentation.socialImage().isEmpty()
            ? presentation.socialImage()
            : article.hasImage() ? article.image().url() : "";
    return image.startsWith("/") ? links.absolute(image) : image;
  }

  /** A newsroom preview of a story readers cannot see yet (the note says what differs). */
  public boolean isPreview() {
    return !previewNote.isEmpty();
  }
}
