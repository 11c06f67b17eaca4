package org.broadsheet.media;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** The {@code media} table: one row per image, written after its files. Thread-safe. */
final class MediaStore {

  private static final String COLUMNS =
      "id, stored_name, original_name, content_type, width, height, byte_size, alt_text, credit,"
          + " sizes, uploaded_by, created_at";

  private final Jdbi jdbi;

  MediaStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Inserts the image (its id is ignored) and returns the new id. */
  long insert(org.jdbi.v3.core.Handle h, Media media) {
    return h.createUpdate(
            "INSERT INTO media (stored_name, original_name, content_type, width, height,"
                + " byte_size, alt_text, credit, sizes, uploaded_by, created_at) VALUES"
                + " (:stored, :original, :type, :w, :h, :bytes, :alt, :credit, :sizes,"
                + " :by, :at)")
        .bind("stored", media.storedName())
        .bind("original", media.originalName())
        .bind("type", media.contentType())
        .bind("w", media.width())
        .bind("h", media.height())
        .bind("bytes", media.bytes())
        .bind("alt", media.alt())
        .bind("credit", media.credit())
        .bind("sizes", media.sizes().stream().map(String::valueOf).collect(Collectors.joining(",")))
        .bind("by", media.uploadedBy())
        .bind("at", media.createdAt().toEpochMilli())
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  Optional<Media> byStoredName(String storedName) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM media WHERE stored_name = :n")
                .bind("n", storedName)
                .map((rs, ctx) -> map(rs))
                .findOne());
  }

  Optional<Media> byId(org.jdbi.v3.core.Handle h, long id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM media WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  Optional<Media> byId(long id) {
    return jdbi.withHandle(h -> byId(h, id));
  }

  List<Media> latest(int limit, int offset) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM media ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET"
                        + " :offset")
                .bind("limit", limit)
                .bind("offset", offset)
                .map((rs, ctx) -> map(rs))
                .list());
  }

  /** Changes the alt text and credit; false when there is no such image. */
  boolean updateText(org.jdbi.v3.core.Handle h, long id, String alt, String credit) {
    return h.createUpdate("UPDATE media SET alt_text = :alt, credit = :credit WHERE id = :id")
            .bind("alt", alt)
            .bind("credit", credit)
            .bind("id", id)
            .execute()
        > 0;
  }

  /** Who uploaded the image: empty when there is no such image, a 0 when nobody recorded. */
  Optional<Long> uploader(org.jdbi.v3.core.Handle h, long id) {
    return h.createQuery("SELECT COALESCE(uploaded_by, 0) FROM media WHERE id = :id")
        .bind("id", id)
        .mapTo(Long.class)
        .findOne();
  }

  /**
   * Where the image (or one of its copies) is shown: articles whose picture or body uses it,
   * bylines whose photo it is, the site's logo. Each as a line for the newsroom.
   */
  List<String> usedBy(org.jdbi.v3.core.Handle h, String storedName) {
    String pattern =
        "%" + Media.URL_PREFIX + storedName.substring(0, storedName.lastIndexOf('.')) + "%";
    List<String> uses = new java.util.ArrayList<>();
    h.createQuery(
            "SELECT headline FROM articles WHERE image_url LIKE :p OR body_markdown LIKE :p"
                + " ORDER BY id")
        .bind("p", pattern)
        .mapTo(String.class)
        .forEach(headline -> uses.add("the article \u201c" + headline + "\u201d"));
    h.createQuery("SELECT name FROM authors WHERE photo_url LIKE :p ORDER BY id")
        .bind("p", pattern)
        .mapTo(String.class)
        .forEach(name -> uses.add("the byline photo of " + name));
    h.createQuery("SELECT name FROM settings WHERE value LIKE :p")
        .bind("p", pattern)
        .mapTo(String.class)
        .forEach(name -> uses.add("the site setting " + name));
    return uses;
  }

  /** Deletes the row and returns what it was, if there was one. */
  Optional<Media> delete(org.jdbi.v3.core.Handle h, long id) {
    {
      {
        Optional<Media> media =
            h.createQuery("SELECT " + COLUMNS + " FROM media WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne();
        if (media.isPresent()) {
          h.createUpdate("DELETE FROM media WHERE id = :id").bind("id", id).execute();
        }
        return media;
      }
    }
  }

  private static Media map(ResultSet rs) throws SQLException {
    long by = rs.getLong("uploaded_by");
    Long uploadedBy = rs.wasNull() ? null : by;
    return new Media(
        rs.getLong("id"),
        rs.getString("stored_name"),
        rs.getString("original_name"),
        rs.getString("content_type"),
        rs.getInt("width"),
        rs.getInt("height"),
        rs.getLong("byte_size"),
        rs.getString("alt_text"),
        rs.getString("credit"),
        sizes(rs.getString("sizes")),
        uploadedBy,
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  private static List<Integer> sizes(String column) {
    List<Integer> sizes = new ArrayList<>();
    if (column != null && !column.isBlank()) {
      for (String size : column.split(",")) {
        sizes.add(Integer.parseInt(size.strip()));
      }
    }
    return sizes;
  }
}
