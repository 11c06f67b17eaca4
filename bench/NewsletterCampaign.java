import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The newsletter benchmark's driver (bench/newsletter.sh starts the site and the sink):
 *   1. reads the article page at a fixed rate for SECONDS and records latencies (baseline);
 *   2. signs in, publishes a new article (which starts the campaign to every subscriber), and reads
 *      the article page at the same rate until the sink has received EXPECTED messages;
 *   3. prints the delivery rate and both latency distributions.
 * The load is open-loop (requests start on schedule whether or not earlier ones finished), so a
 * slow server shows up as latency instead of fewer requests.
 * Usage: java bench/NewsletterCampaign.java BASE ARTICLE_PATH EMAIL PASSWORD SINK_STATUS EXPECTED RATE SECONDS
 */
public class NewsletterCampaign {

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String articlePath = args[1];
    String email = args[2];
    String password = args[3];
    Path sink = Path.of(args[4]);
    long expected = Long.parseLong(args[5]);
    int rate = Integer.parseInt(args[6]);
    int seconds = Integer.parseInt(args[7]);

    HttpClient reader = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    load(reader, base + articlePath, rate, () -> false, 10_000L); // warm both sides up, discarded
    List<Long> baseline = load(reader, base + articlePath, rate, () -> false, seconds * 1000L);

    HttpClient editor = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    get(editor, base + "/admin/sign-in");
    HttpResponse<String> signedIn =
        post(editor, base + "/admin/sign-in", Map.of("email", email, "password", password, "next", "/admin"));
    if (signedIn.statusCode() != 303) {
      throw new IllegalStateException("sign-in failed: " + signedIn.statusCode());
    }
    String csrf = csrf(get(editor, base + "/admin/articles/new"));
    long published = System.currentTimeMillis();
    HttpResponse<String> saved =
        post(
            editor,
            base + "/admin/articles",
            Map.of(
                "_csrf", csrf,
                "headline", "Harbour ferry timetable changes from Monday",
                "deck", "Earlier departures on weekdays, one more on Sundays.",
                "slug", "",
                "section", "city",
                "body", "The harbour ferry runs on a new timetable from Monday.",
                "tags", "Harbour",
                "authors", "ines-varga",
                "action", "publish"));
    if (saved.statusCode() != 303) {
      throw new IllegalStateException("publishing failed: " + saved.statusCode());
    }
    long[] done = new long[1];
    List<Long> during =
        load(
            reader,
            base + articlePath,
            rate,
            () -> {
              long[] s = sink(sink);
              if (s[0] >= expected) {
                done[0] = s[2];
                return true;
              }
              return false;
            },
            900_000L);
    long[] s = sink(sink);
    double total = (s[2] - published) / 1000.0;
    double delivery = (s[2] - s[1]) / 1000.0;
    System.out.printf(
        "messages=%d publish_to_last_s=%.1f rate_overall=%.0f first_to_last_s=%.1f rate_delivery=%.0f smtp_connections=%d%n",
        s[0], total, s[0] / total, delivery, s[0] / Math.max(0.001, delivery), s[3]);
    System.out.println("baseline " + summary(baseline));
    System.out.println("during " + summary(during));
  }

  interface Stop {
    boolean now() throws Exception;
  }

  /** Requests the page at {@code rate} per second until {@code stop} or {@code maxMillis}. */
  static List<Long> load(HttpClient client, String url, int rate, Stop stop, long maxMillis)
      throws Exception {
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    var workers = Executors.newVirtualThreadPerTaskExecutor();
    long periodNanos = 1_000_000_000L / rate;
    timer.scheduleAtFixedRate(
        () ->
            workers.submit(
                () -> {
                  long start = System.nanoTime();
                  try {
                    HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 200) {
                      errors.add("status " + r.statusCode());
                    }
                  } catch (Exception e) {
                    errors.add(e.toString());
                  }
                  latencies.add(System.nanoTime() - start);
                }),
        0,
        periodNanos,
        TimeUnit.NANOSECONDS);
    long started = System.currentTimeMillis();
    while (System.currentTimeMillis() - started < maxMillis && !stop.now()) {
      Thread.sleep(200);
    }
    timer.shutdownNow();
    workers.shutdown();
    workers.awaitTermination(20, TimeUnit.SECONDS);
    if (!errors.isEmpty()) {
      System.err.println(errors.size() + " failed requests, e.g. " + errors.peek());
    }
    return new ArrayList<>(latencies);
  }

  static long[] sink(Path status) throws Exception {
    if (!Files.exists(status)) {
      return new long[] {0, 0, 0, 0};
    }
    String[] parts = Files.readString(status).strip().split(" ");
    if (parts.length < 4) {
      return new long[] {0, 0, 0, 0};
    }
    return new long[] {
      Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])
    };
  }

  static String summary(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return String.format(
        "requests=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f",
        sorted.size(), pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted.getLast() / 1e6);
  }

  static double pct(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
  }

  static String get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  static HttpResponse<String> post(HttpClient client, String url, Map<String, String> form) throws Exception {
    String body =
        form.entrySet().stream()
            .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    String origin = URI.create(url).resolve("/").toString().replaceAll("/$", "");
    return client.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", origin)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String csrf(String html) {
    Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
    if (!m.find()) {
      throw new IllegalStateException("no CSRF token in the page");
    }
    return m.group(1);
  }
}
