package org.broadsheet.testing;

import static org.broadsheet.config.Settings.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.broadsheet.account.Actor;
import org.broadsheet.app.Broadsheet;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.comment.CommentStatus;
import org.broadsheet.config.Config;
import org.broadsheet.newsletter.Subscriptions;
import org.broadsheet.site.Links;

/**
 * One node of a {@link Cluster}: Broadsheet in its own JVM, configured by {@code NAME=value}
 * arguments, taking commands on standard input and answering on standard output. Every protocol
 * line starts with {@code @@ } (anything else is the node's log): {@code @@ READY <port>} once it
 * listens, then {@code @@ OK <seq> <result>} or {@code @@ ERR <seq> <message>} for each command
 * line {@code <seq> <command> <arguments>}. Commands run at once, each on its own thread, through
 * the node's own services, so writes on two nodes really are simultaneous. Closing standard input
 * stops the node cleanly.
 */
public final class ClusterNode {

  private ClusterNode() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      settings.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Broadsheet app = Broadsheet.create(Config.defaults().with(settings));
    app.start();
    Links links = new Links(app.config().get(TIME_ZONE), app.config().get(BASE_URL));
    reply("READY " + app.port());
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] parts = line.split(" ", 3);
      pool.submit(
          () -> {
            try {
              reply(
                  "OK "
                      + parts[0]
                      + " "
                      + run(app, links, parts[1], parts.length > 2 ? parts[2] : ""));
            } catch (Throwable e) {
              reply("ERR " + parts[0] + " " + e.toString().replace('\n', ' '));
            }
          });
    }
    pool.shutdown();
    app.close();
    System.exit(0);
  }

  private static synchronized void reply(String line) {
    System.out.println("@@ " + line);
    System.out.flush();
  }

  private static String run(Broadsheet app, Links links, String command, String args) {
    Actor actor = Actor.system("cluster test");
    return switch (command) {
      case "approve" -> {
        app.comments().moderate(Long.parseLong(args), CommentStatus.APPROVED, actor);
        yield "approved";
      }
      case "headline" -> {
        String[] a = args.split(" ", 2);
        long id = Long.parseLong(a[0]);
        Article article = app.articles().byId(id).orElseThrow();
        app.articles().update(id, draft(article, a[1], article.status()));
        yield "saved";
      }
      case "publish" -> {
        app.articles().changeStatus(Long.parseLong(args), ArticleStatus.PUBLISHED, actor);
        yield "published";
      }
      case "path" -> links.article(app.articles().byId(Long.parseLong(args)).orElseThrow());
      case "rotate" -> Long.toString(app.humanCheckKeys().rotate().id());
      case "key" -> Long.toString(app.humanCheckKeys().current().id());
      case "check" ->
          org.broadsheet.captcha.ProofOfWork.solve(app.proofOfWork().issue(args), 100_000);
      case "verify" -> {
        String[] a = args.split(" ", 2);
        yield Boolean.toString(app.proofOfWork().verify(a[1], a[0], "").isPassed());
      }
      case "setup" -> {
        try {
          app.newsroom()
              .setUp("Cluster Times", "Admin", args, "a long enough password here", "test", "");
          yield "created";
        } catch (org.broadsheet.newsroom.NewsroomService.AlreadySetUp e) {
          yield "already";
        }
      }
      case "subscribe" -> {
        try {
          app.subscriptions()
              .subscribe(
                  args,
                  "",
                  new Subscriptions.Choices(List.of(), "each", List.of()),
                  "203.0.113.0/24");
          yield "accepted";
        } catch (Subscriptions.RateLimited e) {
          yield "limited";
        }
      }
      case "signin" -> {
        String[] a = args.split(" ", 2);
        yield app.accounts()
            .signIn(a[0], a[1], "198.51.100.0/24", false)
            .getClass()
            .getSimpleName();
      }
      case "live-start" -> {
        app.liveCoverage().start(Long.parseLong(args), actor);
        yield "live";
      }
      case "live-post" -> {
        String[] a = args.split(" ", 2);
        yield Long.toString(app.liveCoverage().post(Long.parseLong(a[0]), "", a[1], actor));
      }
      case "caught-up" -> Boolean.toString(app.changes().caughtUp());
      case "mail-idle" -> Boolean.toString(app.mailings().idle() && app.outbox().untried() == 0);
      default -> throw new IllegalArgumentException("unknown command " + command);
    };
  }

  private static ArticleDraft draft(Article a, String headline, ArticleStatus status) {
    return new ArticleDraft(
        a.slug(),
        a.section().slug(),
        headline,
        a.deck(),
        a.bodyMarkdown(),
        status,
        a.publishedAt(),
        a.authors().stream().map(x -> x.slug()).toList(),
        a.tags().stream().map(t -> t.name()).toList(),
        a.image());
  }
}
