package org.broadsheet.newsletter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * SQL for subscribers, their choices of newsletters and sections, and the sign-up requests counted
 * for the limits. Every method takes the caller's handle. Stateless and thread-safe.
 */
final class SubscriberStore {

  /** A subscriber as exported, with the network their consent came from. */
  record Exported(Subscriber subscriber, String consentIp) {}

  private final RowMapper<Subscriber> subscriber = ConstructorMapper.of(Subscriber.class);

  private final RowMapper<Exported> exported =
      new RowMapper<>() {
        @Override
        public Exported map(ResultSet rs, StatementContext ctx) throws SQLException {
          return specialize(rs, ctx).map(rs, ctx);
        }

        @Override
        public RowMapper<Exported> specialize(ResultSet rs, StatementContext ctx)
            throws SQLException {
          RowMapper<Subscriber> columns = subscriber.specialize(rs, ctx);
          return (r, c) -> new Exported(columns.map(r, c), r.getString("consent_ip"));
        }
      };

  private static final RowMapper<Map.Entry<Long, Long>> ID_PAIR =
      (rs, c) -> Map.entry(rs.getLong(1), rs.getLong(2));

  private static final RowMapper<Map.Entry<Long, String>> ID_NAME =
      (rs, c) -> Map.entry(rs.getLong(1), rs.getString(2));

  // ---- one subscriber

  Optional<Subscriber> byId(Handle h, long id) {
    return h.createQuery("SELECT * FROM subscribers WHERE id = :id")
        .bind("id", id)
        .map(subscriber)
        .findOne();
  }

  Optional<Subscriber> byEmail(Handle h, String email) {
    return h.createQuery("SELECT * FROM subscribers WHERE email = :e")
        .bind("e", email)
        .map(subscriber)
        .findOne();
  }

  Optional<String> statusOf(Handle h, String email) {
    return h.createQuery("SELECT status FROM subscribers WHERE email = :e")
        .bind("e", email)
        .mapTo(String.class)
        .findOne();
  }

  Optional<String> emailOf(Handle h, long id) {
    return h.createQuery("SELECT email FROM subscribers WHERE id = :id")
        .bind("id", id)
        .mapTo(String.class)
        .findOne();
  }

  long idOf(Handle h, String email) {
    return h.createQuery("SELECT id FROM subscribers WHERE email = :e")
        .bind("e", email)
        .mapTo(Long.class)
        .one();
  }

  int countByEmail(Handle h, String email) {
    return h.createQuery("SELECT COUNT(*) FROM subscribers WHERE email = :e")
        .bind("e", email)
        .mapTo(Integer.class)
        .one();
  }

  long insertPending(Handle h, String email, String name, String frequency, long now, String ip) {
    return h.createUpdate(
            "INSERT INTO subscribers (email, name, status, frequency, created_at, consent_ip)"
                + " VALUES (:e, :n, 'pending', :f, :now, :ip)")
        .bind("e", email)
        .bind("n", name)
        .bind("f", frequency)
        .bind("now", now)
        .bind("ip", ip)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /** Makes a known subscriber pending again, with a new name, frequency and consent network. */
  void markPending(Handle h, long id, String name, String frequency, String ip) {
    h.createUpdate(
            "UPDATE subscribers SET status = 'pending', name = :n, frequency = :f,"
                + " consent_ip = :ip WHERE id = :id")
        .bind("n", name)
        .bind("f", frequency)
        .bind("ip", ip)
        .bind("id", id)
        .execute();
  }

  /** Confirms a pending subscriber; returns 1 if it was pending, 0 otherwise. */
  int confirm(Handle h, long id, long now) {
    return h.createUpdate(
            "UPDATE subscribers SET status = 'confirmed', confirmed_at = :now WHERE id = :id AND status = 'pending'")
        .bind("now", now)
        .bind("id", id)
        .execute();
  }

  /** Unsubscribes a pending or confirmed subscriber; anyone else stays as they are. */
  void unsubscribe(Handle h, long id, long now) {
    h.createUpdate(
            "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = :now"
                + " WHERE id = :id AND status IN ('pending', 'confirmed')")
        .bind("now", now)
        .bind("id", id)
        .execute();
  }

  long insertImported(
      Handle h,
      String email,
      String name,
      String status,
      String frequency,
      long now,
      Long confirmedAt) {
    return h.createUpdate(
            "INSERT INTO subscribers (email, name, status, frequency, created_at, confirmed_at, consent_ip)"
                + " VALUES (:e, :n, :s, :f, :now, :confirmed, 'import')")
        .bind("e", email)
        .bind("n", name)
        .bind("s", status)
        .bind("f", frequency)
        .bind("now", now)
        .bind("confirmed", confirmedAt)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  void updateImported(Handle h, long id, String name, String status) {
    h.createUpdate("UPDATE subscribers SET name = :n, status = :s WHERE id = :id")
        .bind("n", name)
        .bind("s", status)
        .bind("id", id)
        .execute();
  }

  /** Sets the status of the address's subscription unless it complained; returns rows changed. */
  int markSuppressed(Handle h, String email, String reason) {
    return h.createUpdate(
            "UPDATE subscribers SET status = :r WHERE email = :e AND status <> 'complained'")
        .bind("r", reason)
        .bind("e", email)
        .execute();
  }

  void delete(Handle h, long id) {
    h.createUpdate("DELETE FROM subscribers WHERE id = :id").bind("id", id).execute();
  }

  void deleteByEmail(Handle h, String email) {
    h.createUpdate("DELETE FROM subscribers WHERE email = :e").bind("e", email).execute();
  }

  // ---- choices

  /**
   * Replaces a subscriber's frequency, newsletters and sections. Choices of archived newsletters
   * stay, so bringing one back restores its readers.
   */
  void replaceChoices(Handle h, long id, Subscriptions.Choices choices) {
    h.createUpdate("UPDATE subscribers SET frequency = :f WHERE id = :id")
        .bind("f", choices.frequency())
        .bind("id", id)
        .execute();
    h.createUpdate(
            "DELETE FROM subscriber_newsletters WHERE subscriber_id = :id"
                + " AND newsletter_id IN (SELECT id FROM newsletters WHERE archived = :no)")
        .bind("id", id)
        .bind("no", false)
        .execute();
    h.createUpdate("DELETE FROM subscriber_sections WHERE subscriber_id = :id")
        .bind("id", id)
        .execute();
    for (long n : choices.newsletters()) {
      h.createUpdate(
              "INSERT INTO subscriber_newsletters (subscriber_id, newsletter_id) VALUES (:id, :n)")
          .bind("id", id)
          .bind("n", n)
          .execute();
    }
    for (long s : choices.sections()) {
      h.createUpdate("INSERT INTO subscriber_sections (subscriber_id, section_id) VALUES (:id, :s)")
          .bind("id", id)
          .bind("s", s)
          .execute();
    }
  }

  List<Long> newsletterIds(Handle h, long id) {
    return h.createQuery(
            "SELECT newsletter_id FROM subscriber_newsletters WHERE subscriber_id = :id ORDER BY newsletter_id")
        .bind("id", id)
        .mapTo(Long.class)
        .list();
  }

  Optional<String> frequency(Handle h, long id) {
    return h.createQuery("SELECT frequency FROM subscribers WHERE id = :id")
        .bind("id", id)
        .mapTo(String.class)
        .findOne();
  }

  List<Long> sectionIds(Handle h, long id) {
    return h.createQuery(
            "SELECT section_id FROM subscriber_sections WHERE subscriber_id = :id ORDER BY section_id")
        .bind("id", id)
        .mapTo(Long.class)
        .list();
  }

  /** (subscriber, newsletter name) for the given subscribers, in the newsroom's order. */
  List<Map.Entry<Long, String>> newsletterNames(Handle h, List<Long> ids) {
    return h.createQuery(
            "SELECT sn.subscriber_id, n.name FROM subscriber_newsletters sn JOIN newsletters n ON n.id = sn.newsletter_id"
                + " WHERE sn.subscriber_id IN (<ids>) ORDER BY n.position, n.id")
        .bindList("ids", ids)
        .map(ID_NAME)
        .list();
  }

  /** (subscriber, section name) for the given subscribers, by name. */
  List<Map.Entry<Long, String>> sectionNames(Handle h, List<Long> ids) {
    return h.createQuery(
            "SELECT ss.subscriber_id, s.name FROM subscriber_sections ss JOIN sections s ON s.id = ss.section_id"
                + " WHERE ss.subscriber_id IN (<ids>) ORDER BY s.name")
        .bindList("ids", ids)
        .map(ID_NAME)
        .list();
  }

  /** (subscriber, newsletter) for subscribers with ids from first to last. */
  List<Map.Entry<Long, Long>> newsletterPairs(Handle h, long first, long last) {
    return h.createQuery(
            "SELECT subscriber_id, newsletter_id FROM subscriber_newsletters"
                + " WHERE subscriber_id BETWEEN :first AND :last ORDER BY 1, 2")
        .bind("first", first)
        .bind("last", last)
        .map(ID_PAIR)
        .list();
  }

  /** (subscriber, section) for subscribers with ids from first to last. */
  List<Map.Entry<Long, Long>> sectionPairs(Handle h, long first, long last) {
    return h.createQuery(
            "SELECT subscriber_id, section_id FROM subscriber_sections"
                + " WHERE subscriber_id BETWEEN :first AND :last ORDER BY 1, 2")
        .bind("first", first)
        .bind("last", last)
        .map(ID_PAIR)
        .list();
  }

  // ---- lists

  private static final String MATCHING =
      " WHERE (:q = '' OR LOWER(email) LIKE :like ESCAPE '!' OR LOWER(name) LIKE :like ESCAPE '!')"
          + " AND (:st = '' OR status = :st)";

  /**
   * How many subscribers match: {@code like} against address or name (with ! as escape) unless
   * {@code q} is empty, and status {@code st} unless it is empty.
   */
  int countMatching(Handle h, String q, String like, String st) {
    return h.createQuery("SELECT COUNT(*) FROM subscribers" + MATCHING)
        .bind("q", q)
        .bind("like", like)
        .bind("st", st)
        .mapTo(Integer.class)
        .one();
  }

  /** One page of the subscribers {@link #countMatching} counts, newest first. */
  List<Subscriber> matching(Handle h, String q, String like, String st, int limit, int offset) {
    return h.createQuery(
            "SELECT * FROM subscribers" + MATCHING + " ORDER BY id DESC LIMIT :n OFFSET :o")
        .bind("q", q)
        .bind("like", like)
        .bind("st", st)
        .bind("n", limit)
        .bind("o", offset)
        .map(subscriber)
        .list();
  }

  /** Up to 1000 subscribers after id {@code after}, in id order. */
  List<Exported> exportPage(Handle h, long after) {
    return h.createQuery("SELECT * FROM subscribers WHERE id > :after ORDER BY id LIMIT 1000")
        .bind("after", after)
        .map(exported)
        .list();
  }

  /** (status, how many) for every status that has subscribers. */
  List<Map.Entry<String, Integer>> countsByStatus(Handle h) {
    return h.createQuery("SELECT status, COUNT(*) FROM subscribers GROUP BY status")
        .map((rs, c) -> Map.entry(rs.getString(1), rs.getInt(2)))
        .list();
  }

  // ---- recipients of a mailing

  /**
   * Confirmed subscribers after id {@code after}, confirmed by {@code confirmedBy}, whose address
   * is not suppressed, who chose one of the newsletters {@code ids} at {@code cadence} and (when
   * {@code sectionId} is not null) follow that section or every section; in id order.
   */
  List<Subscriber> recipients(
      Handle h,
      List<Long> ids,
      String cadence,
      Long sectionId,
      long confirmedBy,
      long after,
      int limit) {
    return h.createQuery(
            "SELECT s.* FROM subscribers s WHERE s.status = 'confirmed' AND s.id > :after"
                + " AND COALESCE(s.confirmed_at, 0) <= :confirmedBy"
                + " AND EXISTS (SELECT 1 FROM subscriber_newsletters sn JOIN newsletters n ON n.id = sn.newsletter_id"
                + "   WHERE sn.subscriber_id = s.id AND sn.newsletter_id IN (<ids>)"
                + "   AND COALESCE(n.cadence, s.frequency) = :cadence)"
                + (sectionId == null
                    ? ""
                    : " AND (NOT EXISTS (SELECT 1 FROM subscriber_sections x WHERE x.subscriber_id = s.id)"
                        + "   OR EXISTS (SELECT 1 FROM subscriber_sections x WHERE x.subscriber_id = s.id AND x.section_id = :section))")
                + " AND NOT EXISTS (SELECT 1 FROM mail_suppressions m WHERE m.email = s.email)"
                + " ORDER BY s.id LIMIT :n")
        .bindList("ids", ids)
        .bind("after", after)
        .bind("confirmedBy", confirmedBy)
        .bind("cadence", cadence)
        .bind("section", sectionId)
        .bind("n", limit)
        .map(subscriber)
        .list();
  }

  /** (subscriber, newsletter) for subscribers from first to last, among the newsletters ids. */
  List<Map.Entry<Long, Long>> chosenAmong(Handle h, long first, long last, List<Long> ids) {
    return h.createQuery(
            "SELECT subscriber_id, newsletter_id FROM subscriber_newsletters"
                + " WHERE subscriber_id BETWEEN :first AND :last AND newsletter_id IN (<ids>)")
        .bind("first", first)
        .bind("last", last)
        .bindList("ids", ids)
        .map(ID_PAIR)
        .list();
  }

  /** (subscriber, section) for subscribers from first to last. */
  List<Map.Entry<Long, Long>> followedSections(Handle h, long first, long last) {
    return h.createQuery(
            "SELECT subscriber_id, section_id FROM subscriber_sections"
                + " WHERE subscriber_id BETWEEN :first AND :last")
        .bind("first", first)
        .bind("last", last)
        .map(ID_PAIR)
        .list();
  }

  // ---- sign-up requests

  /** How many requests in {@code scope} came after {@code since} (epoch millis). */
  /**
   * Locks a counted scope until the caller's transaction ends, before it counts: two requests at
   * once then take turns. The first write of a transaction, so on SQLite it also takes the write
   * lock before any read.
   */
  void lockScope(Handle h, String scope) {
    org.broadsheet.storage.Locks.exclusive(h, scope);
  }

  /** Forgets counted requests older than {@code before}, and the locks of scopes left empty. */
  int purgeRequests(Handle h, long before) {
    int gone =
        h.createUpdate("DELETE FROM subscribe_requests WHERE at < :b").bind("b", before).execute();
    h.execute(
        "DELETE FROM rate_locks WHERE NOT EXISTS"
            + " (SELECT 1 FROM subscribe_requests r WHERE r.scope = rate_locks.scope)");
    return gone;
  }

  int requests(Handle h, String scope, long since) {
    return h.createQuery("SELECT COUNT(*) FROM subscribe_requests WHERE scope = :s AND at > :since")
        .bind("s", scope)
        .bind("since", since)
        .mapTo(Integer.class)
        .one();
  }

  void addRequest(Handle h, String scope, long at) {
    h.createUpdate("INSERT INTO subscribe_requests (scope, at) VALUES (:s, :at)")
        .bind("s", scope)
        .bind("at", at)
        .execute();
  }

  /** Forgets the confirmation mails counted for the address. */
  void deleteMailRequests(Handle h, String email) {
    h.createUpdate("DELETE FROM subscribe_requests WHERE scope = 'mail:' || :e")
        .bind("e", email)
        .execute();
  }
}
