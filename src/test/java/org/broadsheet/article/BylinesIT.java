package org.broadsheet.article;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.broadsheet.account.Role;
import org.broadsheet.account.User;
import org.broadsheet.cli.Cli;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whose name goes on an article: authors and contributors sign with their own byline only; editors
 * and admins may credit anyone; every member, however added, has a byline to sign with.
 */
class BylinesIT {

  private static final String PASSWORD = "correct horse battery staple";

  private static Map<String, Object> form(String headline, String action, List<String> authors) {
    return Map.of(
        "headline", headline,
        "deck", "",
        "slug", "",
        "section", "city",
        "body", "Words.",
        "tags", "",
        "authors", authors,
        "action", action);
  }

  private static Browserless signedIn(TestApp site, String email) {
    Browserless b = new Browserless(site.url(""));
    assertThat(b.signIn(email, PASSWORD).statusCode()).isEqualTo(303);
    return b;
  }

  private static String bylineOf(TestApp site, String email) {
    User user = site.app().accounts().byEmail(email).orElseThrow();
    assertThat(user.authorId()).as("%s has a byline", email).isNotNull();
    return site.app().articles().authors().stream()
        .filter(a -> a.id() == user.authorId())
        .findFirst()
        .orElseThrow()
        .slug();
  }

  private static int articles(TestApp site) {
    return site.app()
        .database()
        .jdbi()
        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM articles").mapTo(Integer.class).one());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anAuthorCannotPublishUnderSomeoneElsesByline(Backend backend) {
    try (TestApp site = TestApp.start(backend, true)) {
      site.app()
          .newsroom()
          .addMember(
              "ada@example.org",
              "Ada Admin",
              PASSWORD,
              Role.ADMIN,
              org.broadsheet.account.Actor.system("test"));
      site.app()
          .newsroom()
          .addMember(
              "tom@example.org",
              "Tom Writer",
              PASSWORD,
              Role.AUTHOR,
              org.broadsheet.account.Actor.system("test"));
      String adas = bylineOf(site, "ada@example.org");
      String toms = bylineOf(site, "tom@example.org");
      Browserless tom = signedIn(site, "tom@example.org");

      String editor = tom.get("/admin/articles/new").body();
      assertThat(editor)
          .contains("value=\"" + toms + "\"")
          .doesNotContain("value=\"" + adas + "\"");
      int before = articles(site);
      HttpResponse<String> forged =
          tom.post("/admin/articles", form("Signed by the boss", "publish", List.of(adas)));
      assertThat(forged.statusCode()).isEqualTo(422);
      assertThat(forged.body()).contains("only with your own byline");
      HttpResponse<String> shared =
          tom.post("/admin/articles", form("Signed by two", "publish", List.of(toms, adas)));
      assertThat(shared.statusCode()).isEqualTo(422);
      assertThat(articles(site)).as("nothing stored").isEqualTo(before);

      HttpResponse<String> own =
          tom.post("/admin/articles", form("Signed by myself", "publish", List.of(toms)));
      assertThat(own.statusCode()).isEqualTo(303);

      // An editor may credit anyone, and the author keeps that credit when editing later.
      site.app()
          .newsroom()
          .addMember(
              "eve@example.org",
              "Eve Editor",
              PASSWORD,
              Role.EDITOR,
              org.broadsheet.account.Actor.system("test"));
      Browserless eve = signedIn(site, "eve@example.org");
      eve.get("/admin/articles/new");
      HttpResponse<String> credited =
          eve.post("/admin/articles", form("Written together", "publish", List.of(toms, adas)));
      assertThat(credited.statusCode()).isEqualTo(303);
      String location = credited.headers().firstValue("Location").orElseThrow();
      String path = location.replaceAll("\\?.*$", "");
      tom.get(path);
      assertThat(
              tom.post(
                      path,
                      form("Written together, corrected", "publish-confirmed", List.of(toms, adas)))
                  .statusCode())
          .isEqualTo(303);
    }
  }

  @Test
  void membersAddedOnTheCommandLineOrEarlierWithoutOneGetTheirOwnByline() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      InputStreamSwap.withStdin(
          PASSWORD + "\n",
          () -> {
            List<String> args =
                new ArrayList<>(
                    List.of(
                        "create-user",
                        "--email",
                        "cli@example.org",
                        "--name",
                        "Cleo Line",
                        "--role",
                        "author"));
            args.addAll(site.cliOptions());
            StringWriter err = new StringWriter();
            int code =
                Cli.run(
                    new PrintWriter(new StringWriter(), true),
                    new PrintWriter(err, true),
                    args.toArray(String[]::new));
            assertThat(code).as("%s", err).isZero();
          });
      String cleos = bylineOf(site, "cli@example.org");
      Browserless cleo = signedIn(site, "cli@example.org");
      cleo.get("/admin/articles/new");
      assertThat(
              cleo.post("/admin/articles", form("From the command line", "publish", List.of(cleos)))
                  .statusCode())
          .isEqualTo(303);

      // A member stored without a byline (as older versions did) gets one at the next start.
      site.app().accounts().create("old@example.org", "Olga Old", PASSWORD, Role.AUTHOR, null);
      assertThat(site.app().accounts().byEmail("old@example.org").orElseThrow().authorId())
          .isNull();
      assertThat(site.app().newsroom().giveBylines()).isEqualTo(1);
      assertThat(site.app().newsroom().giveBylines()).as("only once").isZero();
      bylineOf(site, "old@example.org");
    }
  }

  /** Runs a command with this text on standard input, as a piped password. */
  static final class InputStreamSwap {
    static void withStdin(String text, Runnable run) {
      var saved = System.in;
      System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
      try {
        run.run();
      } finally {
        System.setIn(saved);
      }
    }
  }
}
