package org.broadsheet.article;

/**
 * What the member saving an article may do with it: publish (or only save and send for review), and
 * whose bylines they may put on it — anyone's (editors and admins), or only their own and those an
 * editor already put there (authors and contributors).
 *
 * @param ownByline the member's own author profile, or null when they have none
 */
public record EditorRights(boolean mayPublish, boolean anyByline, Long ownByline) {}
