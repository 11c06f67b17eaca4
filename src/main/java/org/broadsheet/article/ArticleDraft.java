package org.broadsheet.article;

import java.time.Instant;
import java.util.List;

/**
 * What a writer submits to create or change an article. {@code slug} may be blank (made from the
 * headline); {@code publishedAt} may be null (now, when publishing).
 */
public record ArticleDraft(
    String slug,
    String sectionSlug,
    String headline,
    String deck,
    String bodyMarkdown,
    ArticleStatus status,
    Instant publishedAt,
    List<String> authorSlugs,
    List<String> tagNames,
    Image image) {}
