package org.broadsheet.account;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The audit log: who did what to what, when and from where, for every newsroom action. */
public final class Audit {

  /** One entry. */
  public record Entry(
      long id,
      String userEmail,
      String action,
      String target,
      String detail,
      String ip,
      Instant at) {}

  private final Jdbi jdbi;
  private final Clock clock;

  public Audit(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public void record(User user, String action, String target, String detail, String ip) {
    jdbi.useTransaction(
        h ->
            h.createUpdate(
                    "INSERT INTO audit_log (user_id, user_email, action, target, detail, ip, at)"
                        + " VALUES (:u, :e, :a, :t, :d, :ip, :at)")
                .bind("u", user == null ? null : user.id())
                .bind("e", user == null ? "" : user.email())
                .bind("a", action)
                .bind("t", target == null ? "" : target)
                .bind(
                    "d", detail == null ? "" : detail.substring(0, Math.min(2000, detail.length())))
                .bind("ip", ip == null ? "" : ip)
                .bind("at", clock.millis())
                .execute());
  }

  /** The newest entries first. */
  public List<Entry> latest(int limit, int offset) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM audit_log ORDER BY id DESC LIMIT :l OFFSET :o")
                .bind("l", limit)
                .bind("o", offset)
                .map(
                    (rs, c) ->
                        new Entry(
                            rs.getLong("id"),
                            rs.getString("user_email"),
                            rs.getString("action"),
                            rs.getString("target"),
                            rs.getString("detail"),
                            rs.getString("ip"),
                            Instant.ofEpochMilli(rs.getLong("at"))))
                .list());
  }
}
