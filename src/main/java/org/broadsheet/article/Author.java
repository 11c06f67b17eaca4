package org.broadsheet.article;

/** A person who writes for the site, with a public page at {@code /author/{slug}}. */
public record Author(long id, String slug, String name, String bio) {}
