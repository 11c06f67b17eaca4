package org.broadsheet.account;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for the audit log. Writes take the caller's transaction. Stateless and thread-safe. */
final class AuditStore {

  void insert(Handle h, Actor actor, String action, String target, String detail, Instant at) {
    h.createUpdate(
            "INSERT INTO audit_log (user_id, user_email, action, target, detail, ip, at)"
                + " VALUES (:u, :e, :a, :t, :d, :ip, :at)")
        .bind("u", actor.userId())
        .bind("e", actor.email())
        .bind("a", action)
        .bind("t", target == null ? "" : target)
        .bind("d", detail == null ? "" : detail.substring(0, Math.min(2000, detail.length())))
        .bind("ip", actor.address() == null ? "" : actor.address())
        .bind("at", at)
        .execute();
  }

  List<Audit.Entry> latest(Handle h, int limit, int offset) {
    return h.createQuery(
            "SELECT id, user_email, action, target, detail, ip, at FROM audit_log"
                + " ORDER BY id DESC LIMIT :l OFFSET :o")
        .bind("l", limit)
        .bind("o", offset)
        .map(ConstructorMapper.of(Audit.Entry.class))
        .list();
  }
}
