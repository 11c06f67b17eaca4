package org.broadsheet.search;

import java.time.Instant;
import java.util.List;

/** What the search index keeps of an article: its text, people, place in the site and date. */
public record IndexedArticle(
    long id,
    String slug,
    String headline,
    String deck,
    String body,
    String section,
    List<String> authors,
    List<String> tags,
    Instant publishedAt) {}
