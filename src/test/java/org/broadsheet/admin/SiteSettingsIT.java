package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.broadsheet.site.SiteSettings;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.storage.Database;
import org.broadsheet.testing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
class SiteSettingsIT {

  private final Backend backend;

  SiteSettingsIT(Backend backend) {
    this.backend = backend;
  }

  @Test
  void settingsPersistAndEveryNodeSeesAChange() {
    try (Backend.TestDatabase db = backend.create();
        Database database = Database.open(db.config())) {
      database.migrate();
      ChangeFeed feedOne =
          new ChangeFeed(database.jdbi(), Clock.systemUTC(), java.time.Duration.ofSeconds(1));
      ChangeFeed feedTwo =
          new ChangeFeed(database.jdbi(), Clock.systemUTC(), java.time.Duration.ofSeconds(1));
      SiteSettings nodeOne = new SiteSettings(database.jdbi(), feedOne);
      SiteSettings nodeTwo = new SiteSettings(database.jdbi(), feedTwo);
      feedOne.follow("settings", nodeOne::onChange);
      feedTwo.follow("settings", nodeTwo::onChange);

      assertThat(nodeOne.get(SiteSettings.TITLE, "Broadsheet")).isEqualTo("Broadsheet");
      assertThat(nodeTwo.get(SiteSettings.TITLE, "Broadsheet")).isEqualTo("Broadsheet");
      nodeOne.put(SiteSettings.TITLE, "Вісник Гальдена");
      assertThat(nodeOne.get(SiteSettings.TITLE, "Broadsheet")).isEqualTo("Вісник Гальдена");

      assertThat(nodeTwo.get(SiteSettings.TITLE, "Broadsheet"))
          .as("the other node still has its copy until it follows the feed")
          .isEqualTo("Broadsheet");
      feedTwo.pump();
      assertThat(nodeTwo.get(SiteSettings.TITLE, "Broadsheet")).isEqualTo("Вісник Гальдена");

      nodeTwo.put(SiteSettings.TITLE, "The Halden Courier");
      feedOne.pump();
      assertThat(nodeOne.get(SiteSettings.TITLE, "")).isEqualTo("The Halden Courier");
    }
  }
}
