package org.broadsheet.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.broadsheet.app.Broadsheet;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;

/**
 * Broadsheet in its own JVM on an embedded database, with one article to comment on, for tests that
 * kill the server with SIGKILL. Prints {@code READY <port> <articleId>} once it listens.
 */
public final class ServerProcess {

  private ServerProcess() {}

  public static void main(String[] args) {
    Path dataDir = Path.of(args[0]);
    Broadsheet app =
        Broadsheet.create(
            Backend.baseConfig(dataDir)
                .with(
                    Map.of(
                        "BROADSHEET_COMMENTS_POLICY", "none",
                        "BROADSHEET_COMMENTS_MIN_FILL_SECONDS", "0",
                        "BROADSHEET_COMMENTS_PER_IP_PER_MINUTE", "100000",
                        "BROADSHEET_COMMENTS_PER_EMAIL_PER_MINUTE", "100000",
                        "BROADSHEET_HUMAN_CHECK_DIFFICULTY", "1000")));
    if (app.articles().sections().isEmpty()) {
      app.articles().createSection("news", "News", "");
      app.articles().createAuthor("reporter", "Rita Reporter", "");
      app.articles()
          .create(
              new ArticleDraft(
                  "",
                  "news",
                  "Crash-proof comments",
                  "",
                  "Body",
                  ArticleStatus.PUBLISHED,
                  null,
                  List.of("reporter"),
                  List.of(),
                  null));
    }
    long articleId = app.articles().bySlug("crash-proof-comments").orElseThrow().id();
    app.start();
    System.out.println("READY " + app.port() + " " + articleId);
    System.out.flush();
  }
}
