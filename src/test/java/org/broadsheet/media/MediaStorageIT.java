package org.broadsheet.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.broadsheet.storage.Database;
import org.broadsheet.testing.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The media table on both databases (PostgreSQL is skipped locally when it is not running). */
@ParameterizedClass
@EnumSource(Backend.class)
class MediaStorageIT {

  private final Backend backend;

  MediaStorageIT(Backend backend) {
    this.backend = backend;
  }

  @Test
  void storesReadsUpdatesAndDeletesAndForgetsDeletedUploaders() {
    try (Backend.TestDatabase db = backend.create();
        Database database = Database.open(db.config())) {
      database.migrate();
      Clock clock = Clock.fixed(Instant.parse("2026-03-01T09:00:00Z"), ZoneOffset.UTC);
      MediaLibrary library =
          new MediaLibrary(database.jdbi(), db.dataDir().resolve("media"), clock);
      long userId =
          database
              .jdbi()
              .withHandle(
                  h ->
                      h.createUpdate(
                              "INSERT INTO users (email, name, role, created_at)"
                                  + " VALUES ('ed@example.org', 'Ed', 'editor', 0)")
                          .executeAndReturnGeneratedKeys("id")
                          .mapTo(Long.class)
                          .one());

      Media media =
          library.upload(
              "../pier.jpg",
              new ByteArrayInputStream(TestImages.jpeg(900, 450)),
              "The pier in winter",
              "Photo: Ed",
              org.broadsheet.account.Actor.of(
                  new org.broadsheet.account.User(
                      userId,
                      "ed@example.org",
                      "Ed",
                      org.broadsheet.account.Role.EDITOR,
                      null,
                      true,
                      java.time.Instant.EPOCH,
                      java.time.Instant.EPOCH),
                  "127.0.0.1"));

      assertThat(library.byId(media.id())).contains(media);
      assertThat(media.sizes()).containsExactly(480, 800);
      assertThat(media.uploadedBy()).isEqualTo(userId);
      assertThat(media.originalName()).isEqualTo("pier.jpg");
      assertThat(library.latest(5, 0)).containsExactly(media);

      library.updateText(media.id(), "The pier after the storm", "", null, true);
      assertThat(library.byId(media.id()).orElseThrow().alt())
          .isEqualTo("The pier after the storm");

      database.jdbi().useHandle(h -> h.execute("DELETE FROM users WHERE id = ?", userId));
      assertThat(library.byId(media.id()).orElseThrow().uploadedBy()).isNull();

      // Shown on a page: refused, naming where.
      long section =
          database
              .jdbi()
              .withHandle(
                  h ->
                      h.createUpdate(
                              "INSERT INTO sections (slug, name, description, position)"
                                  + " VALUES ('city', 'City', '', 1)")
                          .executeAndReturnGeneratedKeys("id")
                          .mapTo(Long.class)
                          .one());
      long article =
          database
              .jdbi()
              .withHandle(
                  h ->
                      h.createUpdate(
                              "INSERT INTO articles (slug, section_id, headline, status, image_url,"
                                  + " created_at, modified_at) VALUES ('pier', :s, 'Pier reopens',"
                                  + " 'draft', :u, 0, 0)")
                          .bind("s", section)
                          .bind("u", media.url(480))
                          .executeAndReturnGeneratedKeys("id")
                          .mapTo(Long.class)
                          .one());
      assertThatThrownBy(() -> library.delete(media.id(), null))
          .isInstanceOf(org.broadsheet.support.ValidationException.class)
          .hasMessageContaining("Pier reopens");
      assertThat(library.byId(media.id())).isPresent();
      assertThat(library.file(media.storedName())).isPresent();

      database
          .jdbi()
          .useHandle(h -> h.execute("UPDATE articles SET image_url = NULL WHERE id = ?", article));
      library.delete(media.id(), null);
      assertThat(library.byId(media.id())).isEmpty();
      assertThat(library.file(media.storedName())).isEmpty();
    }
  }
}
