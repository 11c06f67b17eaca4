package org.broadsheet.importer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams a WordPress export (WXR 1.2) without loading it whole: the site, its authors, categories
 * and tags, then each item (post, page, attachment) with its comments and metadata. DTDs and
 * external entities are refused outright, so XXE and entity-expansion bombs never expand. Files
 * over the size limit are refused before parsing. Thread-safe (stateless).
 */
public final class WxrReader {

  static final String WP = "http://wordpress.org/export/1.2/";
  static final String CONTENT = "http://purl.org/rss/1.0/modules/content/";
  static final String EXCERPT = "http://wordpress.org/export/1.2/excerpt/";
  static final String DC = "http://purl.org/dc/elements/1.1/";

  /** A problem with the file itself, with where it is. */
  public static final class WxrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WxrException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public record Author(String login, String email, String displayName) {}

  public record Term(String slug, String name) {}

  public record Comment(
      String id,
      String author,
      String email,
      String url,
      String ip,
      Instant date,
      String content,
      String approved,
      String parent) {}

  public record Item(
      String id,
      String title,
      String link,
      String creator,
      String guid,
      String content,
      String excerpt,
      Instant date,
      String slug,
      String status,
      String type,
      String attachmentUrl,
      List<Term> categories,
      List<Term> tags,
      Map<String, String> meta,
      List<Comment> comments) {}

  /** The channel's header: what precedes the items. */
  public record Site(
      String title,
      String baseUrl,
      Map<String, Author> authors,
      Map<String, Term> categories,
      Map<String, Term> tags) {}

  private static final DateTimeFormatter WP_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final long maxBytes;

  public WxrReader(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return f;
  }

  /** A failure of the caller's item consumer, carried past the reader's own error handling. */
  private static final class ConsumerFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient RuntimeException failure;

    ConsumerFailed(RuntimeException failure) {
      super(null, null, false, false);
      this.failure = failure;
    }
  }

  /** Reads the file, calling {@code items} for each item in order; returns the site header. */
  public Site read(Path file, Consumer<Item> items) {
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new WxrException(
            file.getFileName()
                + " is "
                + (size / (1024 * 1024))
                + " MB; the limit is "
                + (maxBytes / (1024 * 1024))
                + " MB. Split the export in WordPress (Tools → Export, by date range) and import the parts.",
            null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String title = "";
    String baseUrl = "";
    Map<String, Author> authors = new LinkedHashMap<>();
    Map<String, Term> categories = new LinkedHashMap<>();
    Map<String, Term> tags = new LinkedHashMap<>();
    XMLStreamReader r = null;
    try (InputStream in = Files.newInputStream(file)) {
      r = factory().createXMLStreamReader(in);
      boolean inChannel = false;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.DTD) {
          throw new WxrException(
              "The file declares a DTD; WordPress exports never do, so it is refused.", null);
        }
        if (event == XMLStreamConstants.ENTITY_REFERENCE) {
          throw new WxrException(
              "The file uses an undeclared entity (&" + r.getLocalName() + ";); it is refused.",
              null);
        }
        if (event != XMLStreamConstants.START_ELEMENT) {
          continue;
        }
        String ns = r.getNamespaceURI();
        String name = r.getLocalName();
        if (name.equals("channel")) {
          inChannel = true;
        } else if (inChannel && ns == null && name.equals("title") && title.isEmpty()) {
          title = text(r);
        } else if (WP.equals(ns) && name.equals("base_site_url")) {
          baseUrl = text(r);
        } else if (WP.equals(ns) && name.equals("author")) {
          Map<String, String> f = fields(r, "author");
          Author a =
              new Author(
                  f.getOrDefault("author_login", ""),
                  f.getOrDefault("author_email", ""),
                  f.getOrDefault("author_display_name", ""));
          if (!a.login().isEmpty()) {
            authors.put(a.login(), a);
          }
        } else if (WP.equals(ns) && name.equals("category")) {
          Map<String, String> f = fields(r, "category");
          String slug = f.getOrDefault("category_nicename", "");
          if (!slug.isEmpty()) {
            categories.put(slug, new Term(slug, f.getOrDefault("cat_name", slug)));
          }
        } else if (WP.equals(ns) && name.equals("tag")) {
          Map<String, String> f = fields(r, "tag");
          String slug = f.getOrDefault("tag_slug", "");
          if (!slug.isEmpty()) {
            tags.put(slug, new Term(slug, f.getOrDefault("tag_name", slug)));
          }
        } else if (ns == null && name.equals("item")) {
          Item item = item(r);
          try {
            items.accept(item);
          } catch (RuntimeException e) {
            throw new ConsumerFailed(e); // the importer's own failure, passed on as it is
          }
        }
      }
    } catch (ConsumerFailed e) {
      throw e.failure;
    } catch (WxrException e) {
      throw e;
    } catch (RuntimeException e) {
      // The JDK's XML reader sometimes fails with an unchecked error on malformed input (one is
      // a missing message resource); to the editor it is the same: not a readable export.
      String where =
          r == null || r.getLocation() == null
              ? ""
              : " near line " + r.getLocation().getLineNumber();
      throw new WxrException(
          "The file is not a readable WordPress export"
              + where
              + ". The whole file is checked before anything is written, so nothing was imported;"
              + " re-export it from WordPress (Tools → Export) and run the import again.",
          e);
    } catch (XMLStreamException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNumber()
                  + ", column "
                  + e.getLocation().getColumnNumber();
      throw new WxrException(
          "The file is not well-formed XML"
              + where
              + " ("
              + firstLine(e.getMessage())
              + "). The whole file is checked before anything is written, so nothing was imported; fix or re-export it and run the import again.",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // closing after a parse error
        }
      }
    }
    return new Site(title, baseUrl, authors, categories, tags);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String m =
        message.replaceAll("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "");
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }

  /** The element's text (CDATA included); leaves the reader on its end tag. */
  private static String text(XMLStreamReader r) throws XMLStreamException {
    StringBuilder out = new StringBuilder();
    int depth = 1;
    while (depth > 0) {
      int event = r.next();
      switch (event) {
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
            out.append(r.getText());
        case XMLStreamConstants.START_ELEMENT -> depth++;
        case XMLStreamConstants.END_ELEMENT -> depth--;
        case XMLStreamConstants.ENTITY_REFERENCE ->
            throw new XMLStreamException(
                "undeclared entity &" + r.getLocalName() + ";", r.getLocation());
        default -> {}
      }
    }
    return out.toString();
  }

  /** The simple child elements of a wp:author/category/tag/comment/postmeta, by local name. */
  private static Map<String, String> fields(XMLStreamReader r, String end)
      throws XMLStreamException {
    Map<String, String> out = new LinkedHashMap<>();
    while (true) {
      int event = r.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        out.put(r.getLocalName(), text(r).strip());
      } else if (event == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals(end)) {
        return out;
      }
    }
  }

  private static Instant date(String gmt, String fallback) {
    for (String raw : new String[] {gmt, fallback}) {
      if (raw != null && !raw.isBlank() && !raw.startsWith("0000")) {
        try {
          return LocalDateTime.parse(raw.strip(), WP_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
          // try the next
        }
      }
    }
    return null;
  }

  private static Item item(XMLStreamReader r) throws XMLStreamException {
    Map<String, String> f = new LinkedHashMap<>();
    List<Term> categories = new ArrayList<>();
    List<Term> tags = new ArrayList<>();
    Map<String, String> meta = new LinkedHashMap<>();
    List<Comment> comments = new ArrayList<>();
    while (true) {
      int event = r.next();
      if (event == XMLStreamConstants.END_ELEMENT
          && r.getLocalName().equals("item")
          && r.getNamespaceURI() == null) {
        break;
      }
      if (event != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      String ns = r.getNamespaceURI();
      String name = r.getLocalName();
      if (ns == null && name.equals("category")) {
        String domain = r.getAttributeValue(null, "domain");
        String nicename = r.getAttributeValue(null, "nicename");
        String label = text(r).strip();
        Term term = new Term(nicename == null ? label : nicename, label);
        if ("post_tag".equals(domain)) {
          tags.add(term);
        } else if ("category".equals(domain)) {
          categories.add(term);
        }
      } else if (WP.equals(ns) && name.equals("postmeta")) {
        Map<String, String> m = fields(r, "postmeta");
        meta.put(m.getOrDefault("meta_key", ""), m.getOrDefault("meta_value", ""));
      } else if (WP.equals(ns) && name.equals("comment")) {
        Map<String, String> c = fields(r, "comment");
        comments.add(
            new Comment(
                c.getOrDefault("comment_id", ""),
                c.getOrDefault("comment_author", ""),
                c.getOrDefault("comment_author_email", ""),
                c.getOrDefault("comment_author_url", ""),
                c.getOrDefault("comment_author_IP", ""),
                date(c.get("comment_date_gmt"), c.get("comment_date")),
                c.getOrDefault("comment_content", ""),
                c.getOrDefault("comment_approved", "0"),
                c.getOrDefault("comment_parent", "0")));
      } else {
        String key =
            (CONTENT.equals(ns)
                    ? "content:"
                    : EXCERPT.equals(ns)
                        ? "excerpt:"
                        : DC.equals(ns) ? "dc:" : WP.equals(ns) ? "wp:" : "")
                + name;
        f.put(key, text(r));
      }
    }
    return new Item(
        f.getOrDefault("wp:post_id", "").strip(),
        f.getOrDefault("title", "").strip(),
        f.getOrDefault("link", "").strip(),
        f.getOrDefault("dc:creator", "").strip(),
        f.getOrDefault("guid", "").strip(),
        f.getOrDefault("content:encoded", ""),
        f.getOrDefault("excerpt:encoded", "").strip(),
        date(f.get("wp:post_date_gmt"), f.get("wp:post_date")),
        f.getOrDefault("wp:post_name", "").strip(),
        f.getOrDefault("wp:status", "").strip(),
        f.getOrDefault("wp:post_type", "").strip(),
        f.getOrDefault("wp:attachment_url", "").strip(),
        categories,
        tags,
        meta,
        comments);
  }
}
