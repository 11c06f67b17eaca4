package org.broadsheet.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.broadsheet.site.Picture;
import org.broadsheet.storage.Change;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.support.OutboundHttp;
import org.broadsheet.support.TaskQueue;
import org.jdbi.v3.core.Jdbi;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds in stories. Reading: a link alone in its paragraph that {@link EmbedLinks} recognises
 * becomes a click-to-load card (the provider, what it is, the title and a local thumbnail when
 * known, a button and the plain link), and the page learns which frame origins its
 * Content-Security-Policy must allow; no request goes to the provider until the reader clicks.
 * Writing, only when the operator allows outbound fetches: when a story is saved, each new link's
 * oEmbed answer and thumbnail are fetched once (one node claims each link) through {@link
 * OutboundHttp}, the thumbnail re-encoded into the media folder, and the story's pages evicted.
 * Thread-safe.
 */
public final class EmbedCards {

  private static final Logger LOG = LoggerFactory.getLogger(EmbedCards.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int OEMBED_BYTES = 256 * 1024;
  private static final int THUMBNAIL_BYTES = 3 * 1024 * 1024;
  private static final Duration RETRY_AFTER = Duration.ofHours(1);

  /** A body ready for the page, and the frame origins the page must allow. */
  public record Rendered(String html, Set<String> frameOrigins) {}

  /** What fetching needs; absent when the operator has not allowed outbound fetches. */
  public record Fetching(
      OutboundHttp http,
      TaskQueue queue,
      LongFunction<Optional<String>> bodies,
      Function<byte[], Optional<Picture>> thumbnails,
      Function<Provider, String> endpoints) {

    public Fetching(
        OutboundHttp http,
        TaskQueue queue,
        LongFunction<Optional<String>> bodies,
        Function<byte[], Optional<Picture>> thumbnails) {
      this(http, queue, bodies, thumbnails, Provider::oembedEndpoint);
    }
  }

  private final Jdbi jdbi;
  private final ChangeFeed changes;
  private final Clock clock;
  private final Optional<Fetching> fetching;
  private final EmbedCardStore store = new EmbedCardStore();

  public EmbedCards(Jdbi jdbi, ChangeFeed changes, Clock clock, Optional<Fetching> fetching) {
    this.jdbi = jdbi;
    this.changes = changes;
    this.clock = clock;
    this.fetching = fetching;
  }

  public boolean fetches() {
    return fetching.isPresent();
  }

  /** The embeds in a sanitized body, in order: links alone in their paragraph that we know. */
  public static List<Embed> find(String bodyHtml) {
    List<Embed> found = new ArrayList<>();
    if (bodyHtml == null || !bodyHtml.contains("http")) {
      return found;
    }
    Document doc = Jsoup.parseBodyFragment(bodyHtml);
    for (Element block : doc.body().children()) {
      linkAlone(block).flatMap(EmbedLinks::recognize).ifPresent(found::add);
    }
    return found;
  }

  /** The body with each embed as its card; unknown links stay as they are. */
  public Rendered render(String bodyHtml) {
    List<Embed> embeds = find(bodyHtml);
    if (embeds.isEmpty()) {
      return new Rendered(bodyHtml, Set.of());
    }
    Map<String, String> hashes = new LinkedHashMap<>();
    embeds.forEach(e -> hashes.put(e.url(), hash(e.url())));
    Map<String, EmbedCard> cards = jdbi.withHandle(h -> store.ready(h, hashes.values()));
    Document doc = Jsoup.parseBodyFragment(bodyHtml);
    doc.outputSettings().prettyPrint(false);
    Set<String> origins = new LinkedHashSet<>();
    for (Element block : new ArrayList<>(doc.body().children())) {
      Optional<Embed> embed = linkAlone(block).flatMap(EmbedLinks::recognize);
      if (embed.isPresent()) {
        Embed e = embed.get();
        block.replaceWith(card(e, cards.getOrDefault(hashes.get(e.url()), EmbedCard.PLAIN)));
        origins.add(e.provider().frameOrigin());
      }
    }
    return new Rendered(doc.body().html(), origins);
  }

  /**
   * The link a paragraph holds and nothing else: bare text, or one link whose text is its address.
   */
  private static Optional<String> linkAlone(Element block) {
    if (block.tagName().equals("figure")
        && block.childrenSize() == 1
        && block.ownText().isBlank()) {
      // WordPress's embed block, imported: <figure><div>the link</div></figure>.
      return linkAlone(block.child(0));
    }
    if (!block.tagName().equals("p") && !block.tagName().equals("div")) {
      return Optional.empty();
    }
    if (block.childrenSize() == 0) {
      String text = block.text().strip();
      return text.contains(" ") ? Optional.empty() : Optional.of(text);
    }
    if (block.childrenSize() == 1 && block.ownText().isBlank()) {
      Element a = block.child(0);
      String href = a.attr("href").strip();
      String text = a.text().strip();
      if (a.tagName().equals("a") && a.childrenSize() == 0 && sameLink(href, text)) {
        return Optional.of(href);
      }
    }
    return Optional.empty();
  }

  private static boolean sameLink(String href, String text) {
    return href.equals(text)
        || href.equals(text + "/")
        || href.equals("https://" + text)
        || href.equals("http://" + text);
  }

  private static Element card(Embed embed, EmbedCard known) {
    Provider p = embed.provider();
    String what = p.displayName() + " " + p.kind();
    Element figure =
        new Element("figure")
            .addClass("embed")
            .addClass(embed.shape().cssClass())
            .attr("data-embed", embed.frameSrc())
            .attr("data-embed-title", known.title().isEmpty() ? what : what + ": " + known.title());
    Element card = figure.appendElement("div").addClass("embed-card");
    if (known.hasThumbnail()) {
      card.appendElement("img")
          .addClass("embed-thumb")
          .attr("src", known.thumbnail())
          .attr("srcset", known.thumbnail() + " " + known.width() + "w")
          .attr("sizes", "(max-width: 44rem) 100vw, 42rem")
          .attr("alt", "")
          .attr("width", Integer.toString(known.width()))
          .attr("height", Integer.toString(known.height()))
          .attr("loading", "lazy")
          .attr("decoding", "async");
    }
    Element text = card.appendElement("div").addClass("embed-text");
    text.appendElement("p").addClass("embed-provider").text(what);
    if (!known.title().isEmpty()) {
      text.appendElement("p").addClass("embed-title").text(known.title());
    }
    if (!known.author().isEmpty()) {
      text.appendElement("p").addClass("embed-author").text(known.author());
    }
    text.appendElement("button")
        .attr("type", "button")
        .addClass("embed-load")
        .attr("hidden", true)
        .text(p.action());
    Element note = text.appendElement("p").addClass("embed-note");
    note.appendText("Loading it connects to " + p.displayName() + ", which may set cookies. ");
    note.appendElement("a")
        .attr("href", embed.url())
        .attr("rel", "noopener")
        .text("Open on " + p.displayName());
    return figure;
  }

  /** Follows the change feed (only when fetching is on): a saved story's new links are fetched. */
  public void onChange(Change change) {
    if (fetching.isEmpty()
        || !change.is(Change.Entity.ARTICLE)
        || change.kind() == Change.Kind.EMBEDS
        || change.kind() == Change.Kind.ERASED) {
      return;
    }
    Fetching f = fetching.get();
    long articleId = change.entityId();
    f.queue().submit(() -> f.bodies().apply(articleId).ifPresent(b -> fetchFor(articleId, b)));
  }

  /**
   * Fetches the cards of a story's embeds that no node has fetched (or whose last try failed over
   * an hour ago); evicts the story's pages when any was stored. Runs on the caller's thread.
   */
  public void fetchFor(long articleId, String bodyHtml) {
    if (fetching.isEmpty()) {
      return;
    }
    Fetching f = fetching.get();
    boolean stored = false;
    for (Embed embed : find(bodyHtml)) {
      String hash = hash(embed.url());
      long now = clock.millis();
      boolean mine =
          jdbi.withHandle(
              h ->
                  store.claim(
                      h,
                      hash,
                      embed.url(),
                      embed.provider().name(),
                      now,
                      now - RETRY_AFTER.toMillis()));
      if (!mine) {
        continue;
      }
      try {
        EmbedCard card = fetch(f, embed);
        jdbi.useHandle(h -> store.fetched(h, hash, card, clock.millis()));
        stored = true;
      } catch (OutboundHttp.Refused | RuntimeException e) {
        LOG.warn("No card for the embedded link {}: {}", embed.url(), e.getMessage());
        jdbi.useHandle(h -> store.failed(h, hash, String.valueOf(e.getMessage()), clock.millis()));
      }
    }
    if (stored) {
      jdbi.useTransaction(
          h -> changes.record(h, Change.Entity.ARTICLE, articleId, Change.Kind.EMBEDS));
    }
  }

  private static EmbedCard fetch(Fetching f, Embed embed) throws OutboundHttp.Refused {
    String endpoint = f.endpoints().apply(embed.provider());
    if (endpoint.isEmpty()) {
      throw new OutboundHttp.Refused(embed.provider().displayName() + " has no open oEmbed API");
    }
    URI uri = URI.create(endpoint + URLEncoder.encode(embed.url(), StandardCharsets.UTF_8));
    OutboundHttp.Answer answer = f.http().get(uri, OEMBED_BYTES, "application/json");
    if (answer.status() != 200) {
      throw new OutboundHttp.Refused("oEmbed answered " + answer.status());
    }
    JsonNode json;
    try {
      json = JSON.readTree(answer.body());
    } catch (java.io.IOException e) {
      throw new OutboundHttp.Refused("oEmbed answer is not JSON");
    }
    if (json == null || !json.isObject()) {
      throw new OutboundHttp.Refused("oEmbed answer is not a JSON object");
    }
    String title = clean(json.path("title").asText(""), 200);
    if (title.isEmpty() && embed.provider() == Provider.X) {
      // X answers with the post as a quote: its first paragraph is the text.
      Element quote = Jsoup.parse(json.path("html").asText("")).selectFirst("blockquote p");
      title = quote == null ? "" : clean(quote.text(), 280);
    }
    String author = clean(json.path("author_name").asText(""), 100);
    Optional<Picture> thumb = Optional.empty();
    String thumbnail = json.path("thumbnail_url").asText("");
    if (!thumbnail.isEmpty()) {
      try {
        OutboundHttp.Answer image =
            f.http().get(URI.create(thumbnail), THUMBNAIL_BYTES, "image/jpeg,image/png,image/*");
        if (image.status() == 200) {
          thumb = f.thumbnails().apply(image.body());
        }
      } catch (OutboundHttp.Refused | IllegalArgumentException e) {
        LOG.info("No thumbnail for the embedded link {}: {}", embed.url(), e.getMessage());
      }
    }
    return new EmbedCard(
        title,
        author,
        thumb.map(Picture::src).orElse(""),
        thumb.map(Picture::width).orElse(0),
        thumb.map(Picture::height).orElse(0));
  }

  private static String clean(String text, int max) {
    String plain = text.replaceAll("\\p{Cntrl}", " ").replaceAll("\\s+", " ").strip();
    return plain.length() > max ? plain.substring(0, max - 1).strip() + "…" : plain;
  }

  static String hash(String url) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
