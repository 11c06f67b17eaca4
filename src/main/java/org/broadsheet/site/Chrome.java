package org.broadsheet.site;

/**
 * The frame of one page: the site plus this page's title, description, canonical path and the
 * section to mark as current in the navigation (empty for none).
 */
public record Chrome(
    Site site, String title, String description, String canonicalPath, String currentSection) {

  public String fullTitle() {
    return title.isEmpty() ? site.title() : title + " · " + site.title();
  }

  public String canonicalUrl() {
    return site.links().absolute(canonicalPath);
  }
}
