package org.broadsheet.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpCachingTest {

  @Test
  void gzipIsUsedOnlyWhenAccepted() {
    assertThat(HttpCaching.acceptsGzip("gzip, deflate, br")).isTrue();
    assertThat(HttpCaching.acceptsGzip("br;q=1.0, gzip;q=0.8")).isTrue();
    assertThat(HttpCaching.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(HttpCaching.acceptsGzip("identity")).isFalse();
    assertThat(HttpCaching.acceptsGzip(null)).isFalse();
  }

  @Test
  void cachedPagesHaveStrongEtagsPerEncoding() {
    CachedPage page =
        new CachedPage(
            "<p>hi</p>".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.time.Instant.EPOCH,
            java.util.Set.of());
    assertThat(page.etag()).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
    assertThat(page.gzipEtag()).isNotEqualTo(page.etag());
    assertThat(page.gzip()).isSameAs(page.gzip());
  }
}
