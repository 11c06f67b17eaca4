package org.broadsheet.site;

import static org.broadsheet.config.Settings.*;

import java.util.List;
import java.util.function.Supplier;
import org.broadsheet.config.Config;
import org.broadsheet.storage.Change;
import org.broadsheet.web.Assets;

/**
 * Keeps the current {@link Site} (title, tagline, sections for the navigation) and rebuilds it when
 * settings or sections change in the change feed, so pages never query them per request.
 * Thread-safe.
 */
public final class SiteChrome {

  private final Supplier<List<Section>> sections;
  private final SiteSettings settings;
  private final Assets assets;
  private final Links links;
  private final Dates dates;
  private final String language;
  private final Pictures pictures;
  private volatile Site site;

  /** {@code sections} lists the site's sections in navigation order (the article feature's). */
  public SiteChrome(
      Config config, Supplier<List<Section>> sections, SiteSettings settings, Assets assets) {
    this(config, sections, settings, assets, Pictures.plain());
  }

  /** With {@code pictures} answering how each image is written (the media library's copies). */
  public SiteChrome(
      Config config,
      Supplier<List<Section>> sections,
      SiteSettings settings,
      Assets assets,
      Pictures pictures) {
    this.pictures = pictures;
    this.sections = sections;
    this.settings = settings;
    this.assets = assets;
    this.links = new Links(config.get(TIME_ZONE), config.get(BASE_URL));
    this.dates = new Dates(config.get(TIME_ZONE), config.get(LANGUAGE));
    this.language = config.get(LANGUAGE).toLanguageTag();
  }

  /** Change-feed listener: a section or a setting changed, so the frame is rebuilt. */
  public void onChange(Change change) {
    if (change.is(Change.Entity.SECTION) || change.is(Change.Entity.SETTINGS)) {
      site = null;
    }
  }

  public Site site() {
    Site current = site;
    if (current == null) {
      current =
          new Site(
              settings.get(SiteSettings.TITLE, "Broadsheet"),
              settings.get(SiteSettings.TAGLINE, ""),
              language,
              sections.get(),
              assets,
              links,
              dates,
              settings.get(SiteSettings.LOGO, ""),
              pictures);
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
