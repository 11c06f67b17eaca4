package org.broadsheet.site;

/**
 * A section of the site (City, Politics, ...), listed in the navigation in {@code position} order.
 * The slug is the first segment of every article URL in the section.
 */
public record Section(long id, String slug, String name, String description, int position) {}
