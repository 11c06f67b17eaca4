package org.broadsheet.article;

import java.time.Instant;

/**
 * A page of published articles for the API: a filter, a publication window, changes since a time,
 * and a keyset position (the last item of the previous page), newest first. Paging by position
 * rather than by offset keeps pages stable while stories are published: nothing repeats or is
 * skipped. Null fields do not filter.
 */
public record ArticleQuery(
    ArticleFilter filter,
    Instant from,
    Instant until,
    Instant updatedSince,
    Instant afterPublishedAt,
    Long afterId,
    int limit) {}
