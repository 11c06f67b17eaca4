package org.broadsheet.embed;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** SQL for embed cards, keyed by the hash of the link. Stateless and thread-safe. */
final class EmbedCardStore {

  /** The fetched cards among these links' hashes. */
  Map<String, EmbedCard> ready(Handle h, Collection<String> hashes) {
    Map<String, EmbedCard> found = new HashMap<>();
    if (hashes.isEmpty()) {
      return found;
    }
    h.createQuery(
            "SELECT url_hash, title, author, thumbnail, thumb_width, thumb_height FROM embed_cards"
                + " WHERE state = 'ready' AND url_hash IN (<hashes>)")
        .bindList("hashes", hashes)
        .map(
            (rs, ctx) -> {
              found.put(
                  rs.getString("url_hash"),
                  new EmbedCard(
                      rs.getString("title"),
                      rs.getString("author"),
                      rs.getString("thumbnail"),
                      rs.getInt("thumb_width"),
                      rs.getInt("thumb_height")));
              return 0;
            })
        .list();
    return found;
  }

  /**
   * Claims a link for fetching: true when this call may fetch it (no row yet, or a failed or
   * abandoned attempt older than {@code retryBefore}).
   */
  boolean claim(Handle h, String hash, String url, String provider, long now, long retryBefore) {
    int inserted =
        h.createUpdate(
                "INSERT INTO embed_cards (url_hash, url, provider, state, updated_at)"
                    + " VALUES (:hash, :url, :provider, 'fetching', :now)"
                    + " ON CONFLICT (url_hash) DO NOTHING")
            .bind("hash", hash)
            .bind("url", url)
            .bind("provider", provider)
            .bind("now", now)
            .execute();
    if (inserted == 1) {
      return true;
    }
    return h.createUpdate(
                "UPDATE embed_cards SET state = 'fetching', updated_at = :now"
                    + " WHERE url_hash = :hash AND state <> 'ready' AND updated_at < :retryBefore")
            .bind("hash", hash)
            .bind("now", now)
            .bind("retryBefore", retryBefore)
            .execute()
        == 1;
  }

  void fetched(Handle h, String hash, EmbedCard card, long now) {
    h.createUpdate(
            "UPDATE embed_cards SET state = 'ready', title = :title, author = :author,"
                + " thumbnail = :thumbnail, thumb_width = :width, thumb_height = :height,"
                + " error = '', updated_at = :now WHERE url_hash = :hash")
        .bind("hash", hash)
        .bind("title", card.title())
        .bind("author", card.author())
        .bind("thumbnail", card.thumbnail())
        .bind("width", card.width())
        .bind("height", card.height())
        .bind("now", now)
        .execute();
  }

  void failed(Handle h, String hash, String error, long now) {
    h.createUpdate(
            "UPDATE embed_cards SET state = 'failed', error = :error, updated_at = :now"
                + " WHERE url_hash = :hash")
        .bind("hash", hash)
        .bind("error", error.length() > 500 ? error.substring(0, 500) : error)
        .bind("now", now)
        .execute();
  }
}
