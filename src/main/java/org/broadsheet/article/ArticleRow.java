package org.broadsheet.article;

import java.time.Instant;

/**
 * One line of the newsroom's article list: editorial status ({@code in_review} for drafts sent for
 * review) and its label, section, bylines and the time that matters (publication, or last change).
 */
public record ArticleRow(
    long id,
    String headline,
    EditorialStatus status,
    String section,
    String authors,
    Instant when) {}
