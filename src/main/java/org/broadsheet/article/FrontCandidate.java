package org.broadsheet.article;

import java.time.Instant;

/**
 * A story a front may show: published, or scheduled (placed in advance, it appears once it is
 * published).
 */
public record FrontCandidate(long id, String headline, boolean scheduled, Instant publishedAt) {}
