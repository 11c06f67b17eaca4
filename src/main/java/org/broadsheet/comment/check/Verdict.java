package org.broadsheet.comment.check;

import java.util.ArrayList;
import java.util.List;

/**
 * What the checks made of a comment: a score and the reason each rule gave. At {@link #HOLD} or
 * more the comment waits for a moderator; at {@link #SPAM} or more it goes to spam. Moderators see
 * every reason. Not thread-safe: one per submission.
 */
public final class Verdict {

  public static final int HOLD = 50;
  public static final int SPAM = 100;

  private int score;
  private final List<String> reasons = new ArrayList<>();

  /** Adds points with the rule's explanation. */
  public void add(int points, String reason) {
    score += points;
    reasons.add(reason + " (+" + points + ")");
  }

  public int score() {
    return score;
  }

  public List<String> reasons() {
    return List.copyOf(reasons);
  }

  public boolean spam() {
    return score >= SPAM;
  }

  public boolean held() {
    return score >= HOLD;
  }
}
