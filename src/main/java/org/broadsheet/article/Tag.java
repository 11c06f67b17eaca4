package org.broadsheet.article;

/** A topic label on articles, with a public page at {@code /tag/{slug}}. */
public record Tag(long id, String slug, String name) {}
