package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.broadsheet.account.Role;
import org.broadsheet.storage.Backups;
import org.broadsheet.support.OperatorNotices;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's "Site health" for whoever may change settings: when the last good backup was
 * taken (found again in the folder after a restart), and how the mail flows; editors do not see it.
 * A failed backup says so on the same line.
 */
class DashboardHealthIT {

  @Test
  void anAdministratorSeesTheLastBackupAndTheMailAnEditorDoesNot() throws Exception {
    try (TestApp site = TestApp.start(Backend.SQLITE, false)) {
      var accounts = site.app().accounts();
      accounts.create("ada@example.org", "Ada", NewsroomIT.PASSWORD, Role.ADMIN, null);
      accounts.create("ed@example.org", "Ed", NewsroomIT.PASSWORD, Role.EDITOR, null);
      Browserless ada = NewsroomIT.client(site);
      ada.signIn("ada@example.org", NewsroomIT.PASSWORD);
      Browserless ed = NewsroomIT.client(site);
      ed.signIn("ed@example.org", NewsroomIT.PASSWORD);

      String before = health(ada.get("/admin").body());
      assertThat(before).contains("Backups: none taken yet. Next one daily at 03:30.");
      assertThat(before).contains("Mail: nothing waiting; 0 sent, 0 failed for good");
      assertThat(ed.get("/admin").body()).doesNotContain("Site health");

      Backups.Result taken = site.app().backups().run();
      assertThat(taken.ok()).isTrue();
      String after = health(ada.get("/admin").body());
      assertThat(after)
          .contains("Backups: last good backup taken")
          .contains("checked, in " + site.app().backups().plan().folder())
          .doesNotContain("Needs attention");

      // After a restart the figure comes from the folder: only checked copies carry a final name.
      Backups restarted =
          new Backups(
              site.app().database(),
              null,
              site.app().backups().plan(),
              java.time.Clock.systemUTC(),
              new OperatorNotices(java.time.Clock.systemUTC()));
      assertThat(restarted.last()).isPresent();
      assertThat(restarted.last().get().file()).isEqualTo(taken.file());
      assertThat(restarted.last().get().bytes()).isEqualTo(taken.bytes());
      assertThat(restarted.last().get().at().getEpochSecond())
          .isEqualTo(taken.at().getEpochSecond());
    }
  }

  private static String health(String page) {
    var list = Jsoup.parse(page).selectFirst("ul.health-list");
    assertThat(list).as("a Site health list").isNotNull();
    return list.text();
  }
}
