package org.broadsheet.importer;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * SQL for imports from another site: which of its items became which of ours, the old addresses
 * that redirect to the new ones, and imported comments as they were (status, dates, thread). Every
 * method takes the caller's handle. Stateless and thread-safe.
 */
final class ImportStore {

  /** An imported comment's row. */
  record ImportedComment(
      long articleId,
      Long parentId,
      int depth,
      String authorName,
      String authorEmail,
      String authorUrl,
      String body,
      String status,
      long createdAt,
      Long moderatedAt,
      String ip,
      String origin) {}

  Optional<Long> mapped(Handle h, String source, String kind, String id) {
    return h.createQuery(
            "SELECT target_id FROM import_map WHERE source = :s AND kind = :k AND source_id = :i")
        .bind("s", source)
        .bind("k", kind)
        .bind("i", id)
        .mapTo(Long.class)
        .findOne();
  }

  void map(Handle h, String source, String kind, String id, long target) {
    h.createUpdate(
            "INSERT INTO import_map (source, kind, source_id, target_id) VALUES (:s, :k, :i, :t)")
        .bind("s", source)
        .bind("k", kind)
        .bind("i", id)
        .bind("t", target)
        .execute();
  }

  int redirect(Handle h, String path, String target) {
    return h.createUpdate(
            "INSERT INTO redirects (path, target) VALUES (:p, :t) ON CONFLICT (path) DO NOTHING")
        .bind("p", path)
        .bind("t", target)
        .execute();
  }

  Optional<String> redirectFor(Handle h, String path) {
    return h.createQuery("SELECT target FROM redirects WHERE path = :p")
        .bind("p", path)
        .mapTo(String.class)
        .findOne();
  }

  long insertComment(Handle h, ImportedComment c) {
    return h.createUpdate(
            "INSERT INTO comments (article_id, parent_id, depth, author_name, author_email,"
                + " author_url, body, status, created_at, moderated_at, ip, user_agent, score,"
                + " reasons, notify_replies, body_hash, origin) VALUES (:a, :p, :d, :n, :e, :u, :b,"
                + " :s, :at, :m, :ip, '', 0, '', 0, :hash, :hash)")
        .bind("a", c.articleId())
        .bind("p", c.parentId())
        .bind("d", c.depth())
        .bind("n", c.authorName())
        .bind("e", c.authorEmail())
        .bind("u", c.authorUrl())
        .bind("b", c.body())
        .bind("s", c.status())
        .bind("at", c.createdAt())
        .bind("m", c.moderatedAt())
        .bind("ip", c.ip())
        .bind("hash", c.origin())
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }
}
