package org.broadsheet.site;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats instants in the site's time zone and language, for people and for {@code <time
 * datetime>}.
 */
public final class Dates {

  private final DateTimeFormatter human;
  private final DateTimeFormatter shortDate;
  private final DateTimeFormatter machine;

  public Dates(ZoneId zone, Locale locale) {
    this.human = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm zzz", locale).withZone(zone);
    this.shortDate = DateTimeFormatter.ofPattern("d MMM yyyy", locale).withZone(zone);
    this.machine = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(zone);
  }

  public String human(Instant instant) {
    return human.format(instant);
  }

  public String shortDate(Instant instant) {
    return shortDate.format(instant);
  }

  public String iso(Instant instant) {
    return machine.format(instant);
  }
}
