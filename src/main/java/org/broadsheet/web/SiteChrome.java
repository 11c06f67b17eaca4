package org.broadsheet.web;

import static org.broadsheet.config.Settings.*;

import org.broadsheet.admin.SiteSettings;
import org.broadsheet.article.ArticleService;
import org.broadsheet.config.Config;
import org.broadsheet.storage.ChangeFeed;

/**
 * Keeps the current {@link Site} (title, tagline, sections for the navigation) and rebuilds it when
 * settings or sections change in the change feed, so pages never query them per request.
 * Thread-safe.
 */
public final class SiteChrome {

  private final ArticleService articles;
  private final SiteSettings settings;
  private final Assets assets;
  private final Links links;
  private final Dates dates;
  private final String language;
  private volatile Site site;

  public SiteChrome(
      Config config,
      ArticleService articles,
      SiteSettings settings,
      Assets assets,
      ChangeFeed changes) {
    this.articles = articles;
    this.settings = settings;
    this.assets = assets;
    this.links = new Links(config.get(TIME_ZONE), config.get(BASE_URL));
    this.dates = new Dates(config.get(TIME_ZONE), config.get(LANGUAGE));
    this.language = config.get(LANGUAGE).toLanguageTag();
    changes.subscribe(
        change -> {
          if (change.entity().equals("section") || change.entity().equals("settings")) {
            site = null;
          }
        });
  }

  public Site site() {
    Site current = site;
    if (current == null) {
      current =
          new Site(
              settings.get(SiteSettings.TITLE, "Broadsheet"),
              settings.get(SiteSettings.TAGLINE, ""),
              language,
              articles.sections(),
              assets,
              links,
              dates,
              settings.get(SiteSettings.LOGO, ""));
      site = current;
    }
    return current;
  }

  public Links links() {
    return links;
  }

  /** The frame for one page. */
  public Chrome chrome(
      String title, String description, String canonicalPath, String currentSection) {
    return new Chrome(site(), title, description, canonicalPath, currentSection);
  }
}
