package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.broadsheet.account.Role;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.MutableClock;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * People and bylines, on both databases: an invitation offers the least role by default and its
 * link works for a week; the invited reporter accepts, finds her own byline ticked (and no one
 * else's offered), cannot publish under another person's byline even with a forged form, and
 * publishes under hers. A lapsed invitation is resent; one not yet accepted can be withdrawn.
 */
class InvitationIT {

  private static final String LINK = "/admin/password/reset?token=";

  private static String link(TestApp site, String email) throws Exception {
    String mail = NewsroomIT.mailContaining(site, email);
    for (String line : mail.split("\\r?\\n")) {
      int at = line.indexOf(LINK);
      if (at >= 0) {
        return line.substring(at).strip();
      }
    }
    throw new AssertionError("no link in " + mail);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anInvitedReporterAcceptsBylinesHerselfAndPublishes(Backend backend) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    try (TestApp site = TestApp.start(backend, true, Map.of(), clock)) {
      site.app()
          .accounts()
          .create("ada@example.org", "Ada Admin", NewsroomIT.PASSWORD, Role.ADMIN, null);
      Browserless ada = NewsroomIT.client(site);
      ada.signIn("ada@example.org", NewsroomIT.PASSWORD);
      Document people = Jsoup.parse(ada.get("/admin/users").body());
      assertThat(people.selectFirst("#field-role option[selected]").attr("value"))
          .as("the least role by default")
          .isEqualTo("contributor");
      assertThat(
              ada.post(
                      "/admin/users",
                      Map.of(
                          "name", "Rhea Reporter", "email", "rhea@example.org", "role", "author"))
                  .statusCode())
          .isEqualTo(303);
      assertThat(ada.get("/admin/users").body()).contains("Invited: link valid until");
      String invitation = link(site, "rhea@example.org");

      // Monday's invitation, read on Thursday.
      clock.advance(Duration.ofDays(3));
      Browserless rhea = NewsroomIT.client(site);
      assertThat(rhea.get(invitation).body()).contains("Choose a new password");
      String token = invitation.substring(invitation.indexOf("token=") + 6);
      String password = "tide tables and harbour lights";
      assertThat(
              rhea.post("/admin/password/reset", Map.of("token", token, "password", password))
                  .statusCode())
          .isEqualTo(303);
      assertThat(NewsroomIT.client(site).signIn("rhea@example.org", password).statusCode())
          .isEqualTo(303);
      rhea = NewsroomIT.client(site);
      rhea.signIn("rhea@example.org", password);

      Document editor = Jsoup.parse(rhea.get("/admin/articles/new").body());
      assertThat(editor.select("#field-authors input[type=checkbox]").eachAttr("value"))
          .containsExactly("rhea-reporter");
      assertThat(editor.selectFirst("#field-authors input[value=rhea-reporter]").hasAttr("checked"))
          .isTrue();

      // A forged form with another person's byline publishes nothing.
      HttpResponse<String> forged =
          rhea.post(
              "/admin/articles",
              NewsroomIT.article("Ferry timetable changes for winter", "publish", "ines-varga"));
      assertThat(forged.statusCode()).isIn(403, 422);
      assertThat(site.get("/").body()).doesNotContain("Ferry timetable changes for winter");

      HttpResponse<String> published =
          rhea.post(
              "/admin/articles",
              NewsroomIT.article("Ferry timetable changes for winter", "publish", "rhea-reporter"));
      assertThat(published.statusCode()).isEqualTo(303);
      long id = NewsroomIT.idFrom(published);
      var article = site.app().articles().byId(id).orElseThrow();
      assertThat(article.authors()).extracting(a -> a.slug()).containsExactly("rhea-reporter");
      assertThat(Jsoup.parse(site.get(site.path(article)).body()).selectFirst(".byline").text())
          .contains("Rhea Reporter");
      assertThat(ada.get("/admin/users").body()).doesNotContain("Invited: link valid until");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aLapsedInvitationIsResentAndOneNotAcceptedCanBeWithdrawn(Backend backend) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
    try (TestApp site = TestApp.start(backend, true, Map.of(), clock)) {
      site.app()
          .accounts()
          .create("ada@example.org", "Ada Admin", NewsroomIT.PASSWORD, Role.ADMIN, null);
      Browserless ada = NewsroomIT.client(site);
      ada.signIn("ada@example.org", NewsroomIT.PASSWORD);
      ada.get("/admin/users");
      ada.post(
          "/admin/users",
          Map.of("name", "Sam Sub", "email", "sam@example.org", "role", "contributor"));
      ada.post(
          "/admin/users",
          Map.of("name", "Tom Temp", "email", "tom@example.org", "role", "contributor"));
      String first = link(site, "sam@example.org");
      String toms = link(site, "tom@example.org");

      clock.advance(Duration.ofDays(8));
      assertThat(NewsroomIT.client(site).get(first).body()).doesNotContain("Choose a new password");
      ada = NewsroomIT.client(site);
      ada.signIn("ada@example.org", NewsroomIT.PASSWORD);
      assertThat(ada.get("/admin/users").body()).contains("Invited: the link has lapsed");
      long sam = site.app().accounts().byEmail("sam@example.org").orElseThrow().id();
      long tom = site.app().accounts().byEmail("tom@example.org").orElseThrow().id();
      assertThat(ada.post("/admin/users/" + sam + "/invitation/resend", Map.of()).statusCode())
          .isEqualTo(303);
      String again =
          Jsoup.parse(ada.get("/admin/users").body()).text().contains("Invited: link valid until")
              ? newestLink(site, "sam@example.org", first)
              : null;
      assertThat(again).isNotNull().isNotEqualTo(first);
      assertThat(NewsroomIT.client(site).get(again).body()).contains("Choose a new password");

      assertThat(ada.post("/admin/users/" + tom + "/invitation/revoke", Map.of()).statusCode())
          .isEqualTo(303);
      assertThat(site.app().accounts().byId(tom).orElseThrow().active()).isFalse();
      assertThat(NewsroomIT.client(site).get(toms).body()).doesNotContain("Choose a new password");
      assertThat(site.app().audit().latest(20, 0).stream().map(e -> e.action()).toList())
          .contains("user.invite-resend", "user.invite-revoke");
    }
  }

  /** The link of the newest invitation mailed to this address (not the one given). */
  private static String newestLink(TestApp site, String email, String not) throws Exception {
    java.nio.file.Path outbox =
        site.app().config().get(org.broadsheet.config.Settings.DATA_DIR).resolve("outbox");
    return org.broadsheet.testing.Eventually.value(
        "a second invitation",
        () -> {
          site.app().outbox().deliverDue();
          try (var files = java.nio.file.Files.list(outbox)) {
            for (var file : files.toList()) {
              String mail =
                  java.nio.file.Files.readString(file)
                      .replace("=\r\n", "")
                      .replace("=\n", "")
                      .replace("=3D", "=");
              if (!mail.contains(email)) {
                continue;
              }
              for (String line : mail.split("\\r?\\n")) {
                int at = line.indexOf(LINK);
                if (at >= 0) {
                  String path = line.substring(at).strip();
                  if (!path.equals(not)) {
                    return path;
                  }
                }
              }
            }
          } catch (java.io.IOException e) {
            return null;
          }
          return null;
        });
  }
}
