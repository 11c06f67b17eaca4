package org.broadsheet.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleService;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.article.Image;
import org.broadsheet.media.Media;
import org.broadsheet.media.MediaLibrary;
import org.broadsheet.site.Links;
import org.broadsheet.support.Slugs;
import org.broadsheet.support.ValidationException;
import org.jdbi.v3.core.Jdbi;

/**
 * Imports a WordPress export: posts and pages become articles (categories → sections, tags, authors
 * — created when missing), comments keep their threads and statuses, featured and inline images
 * come from the uploads folder when one is given (never from the network), and old addresses
 * ({@code /?p=ID}, {@code /yyyy/mm/dd/slug/}, {@code /category/x/}) redirect to the new ones. Every
 * item is imported in its own transaction and recorded in {@code import_map}, so a second run
 * changes nothing and an interrupted run continues where it stopped. A dry run reports what would
 * be created and skipped, and why. Thread-safe per call.
 */
public final class WxrImporter {

  /** What happened, per kind, and why items were skipped. */
  public record Report(
      Map<String, Integer> created, List<String> skipped, int redirects, boolean dryRun) {
    public String summary() {
      return (dryRun ? "Would create " : "Created ")
          + created
          + "; "
          + redirects
          + " redirects; skipped "
          + skipped.size()
          + ".";
    }
  }

  /** Reports progress per item (the command line shows a bar). */
  public interface Progress {
    void item(String title);
  }

  private static final Pattern SHORTCODE_CAPTION =
      Pattern.compile("(?s)\\[caption[^\\]]*\\](.*?)\\[/caption\\]");
  private static final Pattern SHORTCODE_EMBED =
      Pattern.compile("(?s)\\[embed[^\\]]*\\](.*?)\\[/embed\\]");
  private static final Pattern SHORTCODE_ANY =
      Pattern.compile("\\[/?[a-z_][a-z0-9_-]*(?:\\s[^\\]]*)?\\]");
  private static final Pattern UPLOAD_SRC =
      Pattern.compile("(src|href)=\"([^\"]*?/wp-content/uploads/([^\"?#]+))\"");

  private final Jdbi jdbi;
  private final ArticleService articles;
  private final MediaLibrary media;
  private final Links links;
  private final Clock clock;
  private final WxrReader reader;
  private final ImportStore store = new ImportStore();

  public WxrImporter(
      Jdbi jdbi,
      ArticleService articles,
      MediaLibrary media,
      Links links,
      Clock clock,
      long maxBytes) {
    this.jdbi = jdbi;
    this.articles = articles;
    this.media = media;
    this.links = links;
    this.clock = clock;
    this.reader = new WxrReader(maxBytes);
  }

  /** The same importer accepting files up to {@code bytes} (the command line allows more). */
  public WxrImporter withLimit(long bytes) {
    return new WxrImporter(jdbi, articles, media, links, clock, bytes);
  }

  private Optional<Long> mapped(String source, String kind, String id) {
    return jdbi.withHandle(h -> store.mapped(h, source, kind, id));
  }

  private void map(String source, String kind, String id, long target) {
    jdbi.useTransaction(h -> store.map(h, source, kind, id, target));
  }

  private int redirect(String path, String target) {
    if (path == null || path.isEmpty() || path.equals(target)) {
      return 0;
    }
    return jdbi.inTransaction(h -> store.redirect(h, path, target));
  }

  /** The path of an old address, without the trailing slash WordPress likes. */
  static String oldPath(String url) {
    try {
      var uri = java.net.URI.create(url.strip());
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      if (path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      return path.isEmpty() ? "" : path;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  public Report run(Path file, Path uploads, boolean dryRun, Progress progress) {
    Map<String, Integer> created = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    int[] redirects = {0};
    // Pass 1: attachments (featured images refer to them by id, often before they appear).
    Map<String, WxrReader.Item> attachments = new HashMap<>();
    WxrReader.Site site =
        reader.read(
            file,
            item -> {
              if (item.type().equals("attachment")) {
                attachments.put(item.id(), item);
              }
            });
    String source = site.baseUrl().isEmpty() ? file.getFileName().toString() : site.baseUrl();
    Map<String, String> sectionFor = new HashMap<>();
    Map<String, String> authorFor = new HashMap<>();
    reader.read(
        file,
        item -> {
          progress.item(item.title());
          String kind = item.type();
          if (!kind.equals("post") && !kind.equals("page")) {
            if (!kind.equals("attachment")) {
              skipped.add(
                  kind
                      + " "
                      + item.id()
                      + " \""
                      + item.title()
                      + "\": only posts and pages become articles");
            }
            return;
          }
          if (mapped(source, "post", item.id()).isPresent()) {
            skipped.add(kind + " " + item.id() + " \"" + item.title() + "\": already imported");
            return;
          }
          ArticleStatus status;
          switch (item.status()) {
            case "publish" -> status = ArticleStatus.PUBLISHED;
            case "future" ->
                status =
                    item.date() != null && item.date().isAfter(clock.instant())
                        ? ArticleStatus.SCHEDULED
                        : ArticleStatus.PUBLISHED;
            case "draft", "pending" -> status = ArticleStatus.DRAFT;
            case "private" -> status = ArticleStatus.UNPUBLISHED;
            default -> {
              skipped.add(
                  kind
                      + " "
                      + item.id()
                      + " \""
                      + item.title()
                      + "\": status "
                      + item.status()
                      + " is not imported");
              return;
            }
          }
          if (item.title().isBlank()) {
            skipped.add(kind + " " + item.id() + ": no title");
            return;
          }
          if (dryRun) {
            created.merge("articles", 1, Integer::sum);
            created.merge("comments", item.comments().size(), Integer::sum);
            return;
          }
          try {
            String section =
                kind.equals("page")
                    ? sectionSlug(source, new WxrReader.Term("pages", "Pages"), sectionFor, created)
                    : sectionSlug(
                        source,
                        item.categories().isEmpty()
                            ? new WxrReader.Term("uncategorized", "Uncategorized")
                            : item.categories().getFirst(),
                        sectionFor,
                        created);
            String author = authorSlug(source, item.creator(), site.authors(), authorFor, created);
            Image image = featured(item, attachments, uploads, skipped);
            String body = content(item.content(), uploads, skipped, item);
            String slug =
                uniqueSlug(
                    item.slug().isEmpty()
                        ? Slugs.slugify(item.title())
                        : Slugs.slugify(decode(item.slug())),
                    item.title());
            Article article =
                articles.create(
                    new ArticleDraft(
                        slug,
                        section,
                        truncate(item.title().strip(), 200),
                        truncate(plain(item.excerpt()), 400),
                        body,
                        status,
                        status == ArticleStatus.DRAFT || status == ArticleStatus.UNPUBLISHED
                            ? null
                            : item.date(),
                        List.of(author),
                        item.tags().stream().map(WxrReader.Term::name).limit(20).toList(),
                        image));
            if (item.status().equals("pending")) {
              articles.setInReview(article.id(), true);
            }
            map(source, "post", item.id(), article.id());
            created.merge("articles", 1, Integer::sum);
            created.merge("comments", comments(source, item, article.id()), Integer::sum);
            if (article.isPublic()) {
              String target = links.article(article);
              redirects[0] += redirect("?p=" + item.id(), target);
              redirects[0] += redirect(oldPath(item.link()), target);
            }
          } catch (ValidationException e) {
            skipped.add(
                kind
                    + " "
                    + item.id()
                    + " \""
                    + item.title()
                    + "\": "
                    + String.join(" ", e.fieldErrors().values()));
          }
        });
    if (!dryRun) {
      for (var category : site.categories().values()) {
        String slug = sectionFor.get(category.slug());
        if (slug != null) {
          redirects[0] += redirect("/category/" + category.slug(), "/section/" + slug);
        }
      }
    }
    return new Report(created, skipped, redirects[0], dryRun);
  }

  private String uniqueSlug(String base, String title) {
    String slug = base.isEmpty() ? Slugs.slugify(title) : base;
    if (slug.isEmpty()) {
      slug = "article";
    }
    if (slug.length() > 80) {
      slug = slug.substring(0, 80).replaceAll("-+$", "");
    }
    String candidate = slug;
    for (int i = 2; articles.bySlug(candidate).isPresent(); i++) {
      candidate = slug + "-" + i;
    }
    return candidate;
  }

  private static String decode(String slug) {
    try {
      return java.net.URLDecoder.decode(slug, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return slug;
    }
  }

  private String sectionSlug(
      String source,
      WxrReader.Term category,
      Map<String, String> cache,
      Map<String, Integer> created) {
    return cache.computeIfAbsent(
        category.slug(),
        key -> {
          Optional<Long> known = mapped(source, "category", key);
          if (known.isPresent()) {
            return articles.sections().stream()
                .filter(s -> s.id() == known.get())
                .findFirst()
                .map(s -> s.slug())
                .orElse("news");
          }
          String slug = Slugs.slugify(decode(key));
          if (slug.isEmpty()) {
            slug = "section";
          }
          var existing = articles.section(slug);
          if (existing.isPresent()) {
            map(source, "category", key, existing.get().id());
            return slug;
          }
          org.broadsheet.site.Section section;
          try {
            section =
                articles.createSection(slug, category.name().isBlank() ? key : category.name(), "");
          } catch (ValidationException reserved) {
            section =
                articles.createSection(
                    slug + "-news", category.name().isBlank() ? key : category.name(), "");
          }
          map(source, "category", key, section.id());
          created.merge("sections", 1, Integer::sum);
          return section.slug();
        });
  }

  private String authorSlug(
      String source,
      String login,
      Map<String, WxrReader.Author> authors,
      Map<String, String> cache,
      Map<String, Integer> created) {
    String key = login == null || login.isBlank() ? "unknown" : login;
    return cache.computeIfAbsent(
        key,
        k -> {
          Optional<Long> known = mapped(source, "author", k);
          if (known.isPresent()) {
            return articles.authors().stream()
                .filter(a -> a.id() == known.get())
                .findFirst()
                .map(a -> a.slug())
                .orElseThrow();
          }
          WxrReader.Author author = authors.get(k);
          String name =
              author != null && !author.displayName().isBlank()
                  ? author.displayName()
                  : k.equals("unknown") ? "Staff" : k;
          String slug = Slugs.slugify(k);
          if (slug.isEmpty()) {
            slug = "author";
          }
          String candidate = slug;
          for (int i = 2; articles.author(candidate).isPresent(); i++) {
            candidate = slug + "-" + i;
          }
          long id = articles.createAuthor(candidate, name, "").id();
          map(source, "author", k, id);
          created.merge("authors", 1, Integer::sum);
          return candidate;
        });
  }

  /** Approved, pending, spam and trashed comments, with their threads. Returns how many. */
  private int comments(String source, WxrReader.Item item, long articleId) {
    Map<String, Long> ids = new HashMap<>();
    Map<Long, Integer> depth = new HashMap<>();
    List<WxrReader.Comment> ordered = new ArrayList<>(item.comments());
    ordered.sort((a, b) -> Long.compare(number(a.id()), number(b.id())));
    int count = 0;
    for (WxrReader.Comment c : ordered) {
      if (c.content().isBlank() || c.date() == null) {
        continue;
      }
      String status =
          switch (c.approved()) {
            case "1" -> "approved";
            case "spam" -> "spam";
            case "trash", "post-trashed" -> "trash";
            default -> "pending";
          };
      Long parent = ids.get(c.parent());
      int level = parent == null ? 0 : depth.getOrDefault(parent, 0) + 1;
      ImportStore.ImportedComment row =
          new ImportStore.ImportedComment(
              articleId,
              parent,
              level,
              truncate(c.author().isBlank() ? "Anonymous" : c.author(), 100),
              truncate(c.email(), 254),
              // Only a plain web address: a javascript: one must never become a link.
              org.broadsheet.support.WebAddress.orEmpty(c.url()),
              plain(c.content()),
              status,
              c.date().toEpochMilli(),
              status.equals("pending") ? null : c.date().toEpochMilli(),
              truncate(c.ip(), 64),
              "wp:" + source + ":" + c.id());
      long id = jdbi.inTransaction(h -> store.insertComment(h, row));
      ids.put(c.id(), id);
      depth.put(id, level);
      map(source, "comment", item.id() + ":" + c.id(), id);
      count++;
    }
    return count;
  }

  private static long number(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private Image featured(
      WxrReader.Item item,
      Map<String, WxrReader.Item> attachments,
      Path uploads,
      List<String> skipped) {
    String thumb = item.meta().get("_thumbnail_id");
    if (thumb == null || !attachments.containsKey(thumb)) {
      return null;
    }
    WxrReader.Item attachment = attachments.get(thumb);
    String alt = attachment.meta().getOrDefault("_wp_attachment_image_alt", "");
    if (alt.isBlank()) {
      alt = attachment.title().isBlank() ? "Image for " + item.title() : attachment.title();
    }
    return upload(attachment.attachmentUrl(), uploads, alt, skipped, item)
        .map(m -> new Image(m.url(), m.alt(), m.credit()))
        .orElse(null);
  }

  private Optional<Media> upload(
      String url, Path uploads, String alt, List<String> skipped, WxrReader.Item item) {
    if (uploads == null || url == null) {
      return Optional.empty();
    }
    int at = url.indexOf("/wp-content/uploads/");
    if (at < 0) {
      return Optional.empty();
    }
    String relative =
        java.net.URLDecoder.decode(
            url.substring(at + "/wp-content/uploads/".length()).replaceAll("[?#].*$", ""),
            java.nio.charset.StandardCharsets.UTF_8);
    try {
      Path root = uploads.toRealPath();
      Path candidate = root.resolve(relative).normalize();
      if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
        skipped.add(
            "image " + relative + " for \"" + item.title() + "\": not in the uploads folder");
        return Optional.empty();
      }
      Path real = candidate.toRealPath();
      if (!real.startsWith(root)) {
        skipped.add("image " + relative + ": a link pointing outside the uploads folder");
        return Optional.empty();
      }
      try (InputStream in = Files.newInputStream(real)) {
        return Optional.of(
            media.upload(real.getFileName().toString(), in, truncate(alt, 300), "", null));
      }
    } catch (IOException e) {
      skipped.add("image " + relative + ": " + e.getMessage());
    } catch (ValidationException e) {
      skipped.add("image " + relative + ": " + String.join(" ", e.fieldErrors().values()));
    }
    return Optional.empty();
  }

  /** WordPress content as Markdown with HTML: shortcodes resolved, uploaded images brought in. */
  private String content(String html, Path uploads, List<String> skipped, WxrReader.Item item) {
    String body =
        SHORTCODE_CAPTION.matcher(html).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    body =
        SHORTCODE_EMBED
            .matcher(body)
            .replaceAll(
                m ->
                    Matcher.quoteReplacement(
                        "<a href=\"" + m.group(1).strip() + "\">" + m.group(1).strip() + "</a>"));
    body = SHORTCODE_ANY.matcher(body).replaceAll("");
    Matcher m = UPLOAD_SRC.matcher(body);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Optional<Media> uploaded =
          upload(m.group(2), uploads, "Image in " + item.title(), skipped, item);
      m.appendReplacement(
          out,
          Matcher.quoteReplacement(
              uploaded.map(x -> m.group(1) + "=\"" + x.url() + "\"").orElse(m.group(0))));
    }
    m.appendTail(out);
    return out.toString().strip();
  }

  private static String plain(String html) {
    return org.jsoup.Jsoup.parse(html == null ? "" : html).text().strip();
  }

  private static String truncate(String text, int max) {
    String t = text == null ? "" : text;
    return t.length() > max ? t.substring(0, max) : t;
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
