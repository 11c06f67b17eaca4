package org.broadsheet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.comment.Comment;
import org.broadsheet.comment.CommentSubmission;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

/** With the page cache off, the object caches beneath it still follow every change at once. */
class UncachedPagesIT {

  @Test
  void editsCommentsAndUnpublishingShowImmediatelyWithoutThePageCache() {
    try (TestApp site =
        TestApp.start(
            Backend.SQLITE,
            false,
            Map.of(
                "BROADSHEET_PAGE_CACHE",
                "false",
                "BROADSHEET_COMMENTS_POLICY",
                "none",
                "BROADSHEET_COMMENTS_MIN_FILL_SECONDS",
                "0"))) {
      Article article = site.article("Before the edit");
      Article neighbour = site.article("A neighbouring story");
      String path = site.path(article);
      assertThat(site.get(path).body()).contains("Before the edit", "A neighbouring story");
      assertThat(site.get(path).headers().firstValue("ETag")).isPresent();

      site.app()
          .articles()
          .update(
              article.id(),
              new ArticleDraft(
                  article.slug(),
                  "news",
                  "After the edit",
                  "",
                  "Body.",
                  ArticleStatus.PUBLISHED,
                  null,
                  List.of("reporter"),
                  List.of(),
                  null));
      assertThat(site.get(path).body())
          .contains("After the edit")
          .doesNotContain("Before the edit");

      Comment comment =
          site.app()
              .comments()
              .submit(
                  new CommentSubmission(
                      article.id(),
                      null,
                      "Una",
                      "una@example.org",
                      "",
                      "Seen at once.",
                      false,
                      site.solvedCheck("comment:" + article.id()),
                      "",
                      "192.0.2.3",
                      "JUnit",
                      java.time.Instant.now().plusSeconds(10)));
      assertThat(comment.isApproved()).isTrue();
      assertThat(site.get(path).body()).contains("Seen at once.", "1 comment");

      site.app()
          .articles()
          .update(
              neighbour.id(),
              new ArticleDraft(
                  neighbour.slug(),
                  "news",
                  neighbour.headline(),
                  "",
                  "Body.",
                  ArticleStatus.UNPUBLISHED,
                  null,
                  List.of("reporter"),
                  List.of(),
                  null));
      assertThat(site.get(path).body()).doesNotContain("A neighbouring story");
      assertThat(site.get(site.path(neighbour)).statusCode()).isEqualTo(404);
    }
  }
}
