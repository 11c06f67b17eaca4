package org.broadsheet.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Retention of daily backups: the newest of the last days, and of the last weeks besides. */
class BackupsTest {

  @Test
  void keepsTheNewestOfEachOfTheLastDaysAndWeeks() {
    List<LocalDateTime> backups = new ArrayList<>();
    // Six weeks of nightly backups (2026-10-26 is a Monday), and a second one on the last day.
    LocalDateTime first = LocalDateTime.of(2026, 10, 26, 3, 30);
    for (int day = 0; day < 42; day++) {
      backups.add(first.plusDays(day));
    }
    LocalDateTime lastDay = first.plusDays(41);
    backups.add(lastDay.plusHours(12));

    Set<LocalDateTime> keep = Backups.keep(backups, 7, 4);

    // The last 7 days: the newest of each (on the last day, the later one).
    for (int d = 0; d < 7; d++) {
      LocalDateTime day = lastDay.minusDays(d);
      assertThat(keep).contains(d == 0 ? day.plusHours(12) : day);
    }
    assertThat(keep).doesNotContain(lastDay);
    // 4 weeks: the newest of each of the last 4 ISO weeks (Sundays, and the last day itself).
    assertThat(keep)
        .contains(
            first.plusDays(34), // Sunday of the 5th week
            first.plusDays(27), // 4th week
            first.plusDays(20)); // 3rd week
    assertThat(keep).doesNotContain(first.plusDays(13), first.plusDays(6), first);
    assertThat(keep).hasSize(7 + 3);
  }

  @Test
  void fewBackupsAreAllKept() {
    LocalDateTime t = LocalDateTime.of(2026, 12, 6, 3, 30);
    assertThat(Backups.keep(List.of(t, t.minusDays(1)), 7, 4)).hasSize(2);
    assertThat(Backups.keep(List.of(), 7, 4)).isEmpty();
  }
}
