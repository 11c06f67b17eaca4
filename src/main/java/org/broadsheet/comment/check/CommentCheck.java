package org.broadsheet.comment.check;

/**
 * One rule in the comment pipeline: looks at a candidate and adds points and a reason to the
 * verdict when it has something to say. Implementations are small, stateless and thread-safe.
 */
public interface CommentCheck {

  void check(Candidate candidate, Verdict verdict);
}
