package org.broadsheet.comment.check;

import java.time.Instant;

/**
 * A cleaned, valid comment on its way through the checks, with the facts the rules look at.
 *
 * @param startedAt when the reader started the form (from the signed challenge), or null
 * @param humanCheckHeld why the human check could not decide (no JavaScript...), or null
 * @param hasApprovedBefore whether this email address has an approved comment already and the
 *     browser proved it wrote one (a signed cookie), not merely that it knows the address
 */
public record Candidate(
    String name,
    String email,
    String url,
    String body,
    String honeypot,
    String ip,
    Instant receivedAt,
    Instant startedAt,
    String humanCheckHeld,
    boolean hasApprovedBefore) {}
