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
 * @param proof what the reader's browser shows of earlier approved comments: the signed trust
 *     cookie and the ids of its own comments (signed cookie); trust in an address is granted only
 *     with it, never for merely knowing a trusted commenter's address
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
    Instant receivedAt,
    Proof proof) {

  /** What a browser carries of its earlier comments; {@link #NONE} for none. */
  public record Proof(String trustCookie, java.util.List<Long> ownComments) {
    public static final Proof NONE = new Proof(null, java.util.List.of());
  }

  /** A submission whose browser shows nothing (command line, tests, first visit). */
  public CommentSubmission(
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
      Instant receivedAt) {
    this(
        articleId,
        parentId,
        name,
        email,
        url,
        body,
        notifyReplies,
        humanCheck,
        honeypot,
        ip,
        userAgent,
        receivedAt,
        Proof.NONE);
  }
}
