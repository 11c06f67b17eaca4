package org.broadsheet.article;

/** A featured image: where it is, what it shows (alt text, required) and whose it is. */
public record Image(String url, String alt, String credit) {}
