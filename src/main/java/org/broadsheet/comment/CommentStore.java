package org.broadsheet.comment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.broadsheet.comment.check.Checks;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** SQL for comments and the blocklist; portable between SQLite and PostgreSQL. Thread-safe. */
final class CommentStore {

  static final RowMapper<Comment> COMMENT = (rs, ctx) -> map(rs);

  private final Jdbi jdbi;

  CommentStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  static Comment map(ResultSet rs) throws SQLException {
    long parent = rs.getLong("parent_id");
    Long parentId = rs.wasNull() ? null : parent;
    long moderated = rs.getLong("moderated_at");
    Instant moderatedAt = rs.wasNull() ? null : Instant.ofEpochMilli(moderated);
    String reasons = rs.getString("reasons");
    return new Comment(
        rs.getLong("id"),
        rs.getLong("article_id"),
        parentId,
        rs.getInt("depth"),
        rs.getString("author_name"),
        rs.getString("author_email"),
        rs.getString("author_url"),
        rs.getString("body"),
        CommentStatus.fromDb(rs.getString("status")),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        moderatedAt,
        rs.getString("ip"),
        rs.getString("user_agent"),
        rs.getInt("score"),
        reasons == null || reasons.isEmpty() ? List.of() : Arrays.asList(reasons.split("\n")),
        rs.getInt("notify_replies") == 1,
        rs.getString("origin"));
  }

  long insert(Handle h, Comment c, String bodyHash) {
    return h.createUpdate(
            "INSERT INTO comments (article_id, parent_id, depth, author_name, author_email, author_url, body, status,"
                + " created_at, moderated_at, ip, user_agent, score, reasons, notify_replies, body_hash, origin) VALUES"
                + " (:article, :parent, :depth, :name, :email, :url, :body, :status, :created, :moderated, :ip, :ua,"
                + " :score, :reasons, :notify, :hash, :origin)")
        .bind("article", c.articleId())
        .bind("parent", c.parentId())
        .bind("depth", c.depth())
        .bind("name", c.authorName())
        .bind("email", c.authorEmail())
        .bind("url", c.authorUrl())
        .bind("body", c.body())
        .bind("status", c.status().dbValue())
        .bind("created", c.createdAt())
        .bind("moderated", c.moderatedAt())
        .bind("ip", c.ip())
        .bind("ua", c.userAgent())
        .bind("score", c.score())
        .bind("reasons", String.join("\n", c.reasons()))
        .bind("notify", c.notifyReplies() ? 1 : 0)
        .bind("hash", bodyHash)
        .bind("origin", c.origin())
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  Optional<Comment> find(long id) {
    return jdbi.withHandle(h -> find(h, id));
  }

  Optional<Comment> find(Handle h, long id) {
    return h.createQuery("SELECT * FROM comments WHERE id = :id")
        .bind("id", id)
        .map(COMMENT)
        .findOne();
  }

  List<Comment> approvedFor(long articleId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM comments WHERE article_id = :a AND status = 'approved' ORDER BY created_at, id")
                .bind("a", articleId)
                .map(COMMENT)
                .list());
  }

  List<Comment> byIds(List<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM comments WHERE id IN (<ids>) ORDER BY created_at, id")
                .bindList("ids", ids)
                .map(COMMENT)
                .list());
  }

  List<Comment> byStatus(CommentStatus status, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM comments WHERE status = :s ORDER BY created_at DESC, id DESC LIMIT :l")
                .bind("s", status.dbValue())
                .bind("l", limit)
                .map(COMMENT)
                .list());
  }

  int countByStatus(CommentStatus status) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM comments WHERE status = :s")
                .bind("s", status.dbValue())
                .mapTo(Integer.class)
                .one());
  }

  /** A page of one status, optionally for one article, newest first. */
  List<Comment> byStatus(CommentStatus status, Long articleId, int limit, int offset) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM comments WHERE status = :s"
                        + (articleId == null ? "" : " AND article_id = :a")
                        + " ORDER BY created_at DESC, id DESC LIMIT :l OFFSET :o")
                .bind("s", status.dbValue())
                .bind("a", articleId)
                .bind("l", limit)
                .bind("o", offset)
                .map(COMMENT)
                .list());
  }

  List<Comment> byEmail(String email) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT * FROM comments WHERE LOWER(author_email) = LOWER(:e) ORDER BY created_at, id")
                .bind("e", email)
                .map(COMMENT)
                .list());
  }

  boolean hasApproved(Handle h, String email) {
    return !email.isEmpty()
        && h.createQuery(
                    "SELECT COUNT(*) FROM comments WHERE LOWER(author_email) = LOWER(:e) AND status = 'approved'")
                .bind("e", email)
                .mapTo(Integer.class)
                .one()
            > 0;
  }

  /** Whether one of these comments is approved and was written with this address. */
  boolean hasApprovedAmong(Handle h, String email, List<Long> ids) {
    return h.createQuery(
                "SELECT COUNT(*) FROM comments WHERE id IN (<ids>)"
                    + " AND LOWER(author_email) = LOWER(:e) AND status = 'approved'")
            .bindList("ids", ids)
            .bind("e", email)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  boolean duplicateExists(Handle h, String bodyHash) {
    return h.createQuery("SELECT COUNT(*) FROM comments WHERE body_hash = :h AND status <> 'trash'")
            .bind("h", bodyHash)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  void setStatus(Handle h, long id, CommentStatus status, Instant at) {
    h.createUpdate("UPDATE comments SET status = :s, moderated_at = :at WHERE id = :id")
        .bind("s", status.dbValue())
        .bind("at", at)
        .bind("id", id)
        .execute();
  }

  void setNotify(Handle h, long id, boolean notify) {
    h.createUpdate("UPDATE comments SET notify_replies = :n WHERE id = :id")
        .bind("n", notify ? 1 : 0)
        .bind("id", id)
        .execute();
  }

  int forgetAddressesBefore(Instant before) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                    "UPDATE comments SET ip = NULL, user_agent = NULL WHERE created_at < :before"
                        + " AND (ip IS NOT NULL OR user_agent IS NOT NULL)")
                .bind("before", before)
                .execute());
  }

  /** Erases a commenter: unpublished comments are deleted, published ones anonymised. */
  int[] erase(Handle h, String email) {
    int deleted =
        h.createUpdate(
                "DELETE FROM comments WHERE LOWER(author_email) = LOWER(:e) AND status <> 'approved'"
                    + " AND id NOT IN (SELECT parent_id FROM comments WHERE parent_id IS NOT NULL)")
            .bind("e", email)
            .execute();
    int anonymised =
        h.createUpdate(
                "UPDATE comments SET author_name = 'Anonymous', author_email = '', author_url = '', ip = NULL,"
                    + " user_agent = NULL, notify_replies = 0, status = CASE WHEN status = 'approved' THEN status"
                    + " ELSE 'trash' END WHERE LOWER(author_email) = LOWER(:e)")
            .bind("e", email)
            .execute();
    return new int[] {deleted, anonymised};
  }

  List<Long> articleIdsOf(Handle h, String email) {
    return h.createQuery(
            "SELECT DISTINCT article_id FROM comments WHERE LOWER(author_email) = LOWER(:e)")
        .bind("e", email)
        .mapTo(Long.class)
        .list();
  }

  Checks.Blocklist blocklist() {
    return jdbi.withHandle(
        h -> {
          var rows =
              h.createQuery("SELECT kind, value FROM comment_blocklist ORDER BY id")
                  .mapToMap()
                  .list();
          java.util.function.Function<String, List<String>> of =
              kind ->
                  rows.stream()
                      .filter(r -> kind.equals(r.get("kind")))
                      .map(r -> (String) r.get("value"))
                      .toList();
          return new Checks.Blocklist(
              of.apply("word"), of.apply("email"), of.apply("domain"), of.apply("ip"));
        });
  }

  List<CommentService.Block> blocks() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT id, kind, value FROM comment_blocklist ORDER BY kind, value")
                .map(
                    (rs, c) ->
                        new CommentService.Block(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list());
  }

  boolean removeBlock(Handle h, long id) {
    return h.createUpdate("DELETE FROM comment_blocklist WHERE id = :id").bind("id", id).execute()
        == 1;
  }

  void addBlock(Handle h, String kind, String value) {
    h.createUpdate(
            "INSERT INTO comment_blocklist (kind, value) VALUES (:k, :v) ON CONFLICT (kind, value) DO NOTHING")
        .bind("k", kind)
        .bind("v", value)
        .execute();
  }

  /** Article facts the comment rules need. */
  record ArticleFacts(
      long id,
      String headline,
      String slug,
      boolean published,
      Instant publishedAt,
      boolean closed,
      String sectionSlug,
      List<String> authorEmails) {}

  Optional<ArticleFacts> articleFacts(Handle h, long articleId) {
    return h.createQuery(
            "SELECT a.id, a.headline, a.slug, a.status, a.published_at, a.comments_closed,"
                + " s.slug AS section_slug FROM articles a JOIN sections s ON s.id = a.section_id"
                + " WHERE a.id = :id")
        .bind("id", articleId)
        .map(
            (rs, ctx) -> {
              long published = rs.getLong("published_at");
              Instant publishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(published);
              return new ArticleFacts(
                  rs.getLong("id"),
                  rs.getString("headline"),
                  rs.getString("slug"),
                  "published".equals(rs.getString("status")),
                  publishedAt,
                  rs.getInt("comments_closed") == 1,
                  rs.getString("section_slug"),
                  List.of());
            })
        .findOne()
        .map(
            facts ->
                new ArticleFacts(
                    facts.id(),
                    facts.headline(),
                    facts.slug(),
                    facts.published(),
                    facts.publishedAt(),
                    facts.closed(),
                    facts.sectionSlug(),
                    h.createQuery(
                            "SELECT au.email FROM article_authors aa JOIN authors au ON au.id = aa.author_id"
                                + " WHERE aa.article_id = :id AND au.email <> '' ORDER BY aa.position")
                        .bind("id", articleId)
                        .mapTo(String.class)
                        .list()));
  }

  void setClosed(Handle h, long articleId, boolean closed) {
    h.createUpdate("UPDATE articles SET comments_closed = :c WHERE id = :id")
        .bind("c", closed ? 1 : 0)
        .bind("id", articleId)
        .execute();
  }
}
