package org.broadsheet.comment;

import java.time.Instant;

/**
 * A comment as a reader sends it, with the request facts the checks need. Text fields are raw as
 * received; the service cleans and validates them.
 *
 * @param articleId the article commented on
 * @param parentId the comment replied to, or null
 * @param humanCheck the human-check answer from the form field (may be empty)
 * @param honeypot the hidden field bots fill in
 * @param ip the reader's address (after trusted proxies)
 * @param receivedAt when the server received it
 */
public record CommentSubmission(
    long articleId,
    Long parentId,
    String name,
    String email,
    String url,
    String body,
    boolean notifyReplies,
    String humanCheck,
    String honeypot,
    String ip,
    String userAgent,
    Instant receivedAt) {}
