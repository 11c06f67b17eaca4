package org.broadsheet.site;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Builds the site's public URLs, so templates and redirects agree on them. Article URLs carry the
 * publication date in the site's time zone: {@code /{section}/{yyyy}/{mm}/{dd}/{slug}}.
 * Thread-safe.
 */
public final class Links {

  private final ZoneId zone;
  private final String baseUrl;

  public Links(ZoneId zone, String baseUrl) {
    this.zone = zone;
    this.baseUrl = baseUrl;
  }

  public String article(ArticleAddress a) {
    return articlePath(a.section().slug(), a.publishedAt(), a.slug());
  }

  /** The address of the article with that section slug, publication time and slug. */
  public String article(String section, Instant publishedAt, String slug) {
    return articlePath(section, publishedAt, slug);
  }

  private String articlePath(String section, Instant publishedAt, String slug) {
    LocalDate date = LocalDate.ofInstant(publishedAt, zone);
    return String.format(
        "/%s/%04d/%02d/%02d/%s",
        section, date.getYear(), date.getMonthValue(), date.getDayOfMonth(), slug);
  }

  public String section(Section s) {
    return "/section/" + s.slug();
  }

  public String tag(String slug) {
    return "/tag/" + slug;
  }

  public String author(String slug) {
    return "/author/" + slug;
  }

  public String absolute(String path) {
    return baseUrl + path;
  }
}
