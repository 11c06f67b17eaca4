package org.broadsheet.article;

import java.time.Instant;

/** One saved version of an article: what it said, its status then, who saved it and when. */
public record Revision(
    long id,
    long articleId,
    String savedBy,
    String headline,
    String deck,
    String bodyMarkdown,
    ArticleStatus status,
    Instant savedAt) {}
