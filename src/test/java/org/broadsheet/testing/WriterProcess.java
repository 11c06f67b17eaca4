package org.broadsheet.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.broadsheet.app.Broadsheet;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;

/**
 * A separate JVM that writes articles as fast as it can from two threads, printing {@code ACK slug}
 * after each commit, until it is killed. The crash test kills it with SIGKILL mid-stream.
 */
public final class WriterProcess {

  private WriterProcess() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    Broadsheet app = Broadsheet.create(Backend.baseConfig(dataDir));
    if (app.articles().sections().isEmpty()) {
      app.articles().createSection("city", "City", "");
      app.articles().createAuthor("writer", "Writer", "");
    }
    // Started, so the search index follows every write and is killed mid-indexing too.
    app.start();
    System.out.println("READY");
    System.out.flush();
    AtomicInteger counter = new AtomicInteger();
    Runnable writer =
        () -> {
          while (true) {
            String slug =
                "story-" + ProcessHandle.current().pid() + "-" + counter.incrementAndGet();
            app.articles()
                .create(
                    new ArticleDraft(
                        slug,
                        "city",
                        "Story " + slug,
                        "Deck",
                        "Body text ".repeat(200),
                        ArticleStatus.PUBLISHED,
                        null,
                        List.of("writer"),
                        List.of("Crash"),
                        null));
            synchronized (System.out) {
              System.out.println("ACK " + slug);
              System.out.flush();
            }
          }
        };
    Thread one = new Thread(writer);
    Thread two = new Thread(writer);
    one.start();
    two.start();
    one.join();
  }
}
