package org.broadsheet.mail;

/**
 * One message to one recipient, as queued in the outbox. {@code idempotencyKey} makes queuing the
 * same message twice (a retried request, a second node) a no-op. Headers are built from these
 * fields by the mail library only, so user data can never add a header.
 *
 * @param recipient address to send to
 * @param subject subject line (line breaks are removed)
 * @param text plain-text body
 * @param html HTML body, or null
 * @param listUnsubscribe the URL for List-Unsubscribe (with one-click POST), or null
 * @param idempotencyKey unique per (purpose, recipient), e.g. {@code
 *     comment-held:42:mod@example.org}
 */
public record MailMessage(
    String recipient,
    String subject,
    String text,
    String html,
    String listUnsubscribe,
    String idempotencyKey) {}
