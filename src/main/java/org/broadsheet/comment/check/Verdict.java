package org.broadsheet.comment.check;

import java.util.ArrayList;
import java.util.List;

/**
 * What the checks made of a comment: a suspicion score, holds asked for by policies, and the reason
 * each rule gave. A hold, or a score of {@link #HOLD} or more, makes the comment wait for a
 * moderator; a score of {@link #SPAM} or more sends it to spam. Moderators see every reason. Not
 * thread-safe: one per submission.
 */
public final class Verdict {

  public static final int HOLD = 50;
  public static final int SPAM = 100;

  private int score;
  private boolean hold;
  private final List<String> reasons = new ArrayList<>();

  /** Adds suspicion points with the rule's explanation. */
  public void add(int points, String reason) {
    score += points;
    reasons.add(reason + " (+" + points + ")");
  }

  /**
   * Holds the comment for a person to look at, without calling it spam (policies, missing check).
   */
  public void hold(String reason) {
    hold = true;
    reasons.add(reason + " (hold)");
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
    return hold || score >= HOLD;
  }
}
