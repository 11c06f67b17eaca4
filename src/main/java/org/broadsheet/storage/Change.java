package org.broadsheet.storage;

import java.time.Instant;

/**
 * One row of the change feed: something happened to one entity. Ids grow monotonically, so a
 * follower that remembers the last id it applied can always catch up.
 *
 * @param id position in the feed
 * @param entity what kind of thing changed, e.g. {@code article}
 * @param entityId the changed thing's id
 * @param kind what happened, e.g. {@code published}
 * @param at when it was recorded
 */
public record Change(long id, String entity, long entityId, String kind, Instant at) {}
