package org.broadsheet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.Test;

/**
 * /readyz with the database, disk and search index; request ids; /metrics as Prometheus reads it:
 * requests by route pattern and status, page-cache hits and misses, change-feed lag, outbox depth
 * and delay, mail sent and failed, search latency, the database pool, the JVM and the backups; the
 * metric names the Grafana dashboard and alert rules in packaging/ use are all there.
 */
class MetricsIT {

  @Test
  void theDashboardsMetricsAreServed() throws Exception {
    String token = "a-metrics-token-of-24-chars";
    try (TestApp site =
        TestApp.start(Backend.SQLITE, true, Map.of("BROADSHEET_METRICS_TOKEN", token))) {
      var story =
          site.app().articles().latest(org.broadsheet.article.ArticleFilter.ALL, 1, 0).getFirst();
      String path = site.path(site.app().articles().byId(story.id()).orElseThrow());
      site.get(path);
      site.get(path);
      site.get("/no-such-page");
      site.get("/search?q=council");
      site.get("/api/search/suggest?q=coun");
      var ready = site.get("/readyz");
      assertThat(ready.body()).contains("\"search\":\"ok\"", "\"database\":\"ok\"");
      assertThat(ready.headers().firstValue("X-Request-Id"))
          .as("every answer names its request")
          .isPresent();
      assertThat(
              site.get("/readyz", "X-Request-Id", "from-the-proxy-1")
                  .headers()
                  .firstValue("X-Request-Id"))
          .contains("from-the-proxy-1");
      String metrics = site.get("/metrics", "Authorization", "Bearer " + token).body();
      assertThat(metrics)
          .contains(
              "broadsheet_http_requests_total{method=\"GET\",route=\"/{section}/{year}/{month}/{day}/{slug}\",status=\"200\"}")
          .containsPattern(
              "broadsheet_http_requests_total\\{method=\"GET\",route=\"[^\"]*\",status=\"404\"\\}")
          .contains("broadsheet_page_cache_hits_total", "broadsheet_page_cache_misses_total")
          .contains("broadsheet_change_feed_lag", "broadsheet_outbox_waiting")
          .contains("broadsheet_db_pool_connections{state=\"active\"}")
          .contains("jvm_memory_used_bytes", "process_cpu_usage")
          .contains("broadsheet_backup_last_failed")
          .contains(
              "broadsheet_search_seconds_count{kind=\"search\"} 1",
              "broadsheet_search_seconds_count{kind=\"suggest\"} 1",
              "broadsheet_search_seconds_bucket{kind=\"search\",le=")
          .contains(
              "broadsheet_mail_sent_total",
              "broadsheet_mail_failed_total",
              "broadsheet_mail_deferred_total",
              "broadsheet_outbox_overdue_seconds");
      // Every metric the dashboard and the alert rules ask for exists.
      String dashboard =
          java.nio.file.Files.readString(java.nio.file.Path.of("packaging/grafana-dashboard.json"))
              + java.nio.file.Files.readString(
                  java.nio.file.Path.of("packaging/prometheus-alerts.yml"));
      var used =
          java.util.regex.Pattern.compile("(broadsheet_[a-z_]+|jvm_[a-z_]+|process_[a-z_]+)")
              .matcher(dashboard);
      while (used.find()) {
        String name = used.group(1).replaceAll("_(bucket|count|sum)$", "");
        if (name.startsWith("broadsheet_humancheck")) {
          continue; // counted once readers use the check (HumanCheckHttpIT)
        }
        assertThat(metrics).as("the dashboard uses " + name).contains(name);
      }
    }
  }
}
