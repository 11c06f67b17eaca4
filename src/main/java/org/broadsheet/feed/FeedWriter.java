package org.broadsheet.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link FeedData} as RSS 2.0 (with {@code content:encoded} and {@code dc:creator}), Atom
 * (RFC 4287) or JSON Feed 1.1. XML goes through the JDK's StAX writer, so every value is escaped;
 * nothing is concatenated into markup. Thread-safe.
 */
public final class FeedWriter {

  static final String ATOM = "http://www.w3.org/2005/Atom";
  static final String CONTENT = "http://purl.org/rss/1.0/modules/content/";
  static final String DC = "http://purl.org/dc/elements/1.1/";

  private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter RFC_822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private FeedWriter() {}

  /** An XML document written by {@code body}. */
  @FunctionalInterface
  interface XmlBody {
    void write(XMLStreamWriter w) throws XMLStreamException;
  }

  static byte[] xml(XmlBody body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      XMLStreamWriter w = XML.createXMLStreamWriter(out, "UTF-8");
      w.writeStartDocument("UTF-8", "1.0");
      w.writeCharacters("\n");
      body.write(w);
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("Cannot write XML", e);
    }
    return out.toByteArray();
  }

  static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
    w.writeStartElement(name);
    w.writeCharacters(clean(text));
    w.writeEndElement();
  }

  /** Characters XML 1.0 cannot carry at all are dropped (they cannot be escaped). */
  static String clean(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .filter(
            c ->
                c == 0x9
                    || c == 0xA
                    || c == 0xD
                    || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF))
        .forEach(out::appendCodePoint);
    return out.toString();
  }

  public static byte[] rss(FeedData feed) {
    return xml(
        w -> {
          w.writeStartElement("rss");
          w.writeAttribute("version", "2.0");
          w.writeNamespace("atom", ATOM);
          w.writeNamespace("content", CONTENT);
          w.writeNamespace("dc", DC);
          w.writeStartElement("channel");
          element(w, "title", feed.title());
          element(w, "link", feed.homeUrl());
          element(
              w, "description", feed.description().isEmpty() ? feed.title() : feed.description());
          element(w, "language", feed.language());
          element(w, "lastBuildDate", RFC_822.format(feed.updated()));
          element(w, "generator", "Broadsheet");
          w.writeEmptyElement("atom", "link", ATOM);
          w.writeAttribute("href", feed.selfUrl());
          w.writeAttribute("rel", "self");
          w.writeAttribute("type", "application/rss+xml");
          for (FeedData.Item item : feed.items()) {
            w.writeStartElement("item");
            element(w, "title", item.title());
            element(w, "link", item.url());
            w.writeStartElement("guid");
            w.writeAttribute("isPermaLink", Boolean.toString(item.id().equals(item.url())));
            w.writeCharacters(item.id());
            w.writeEndElement();
            element(w, "pubDate", RFC_822.format(item.published()));
            for (FeedData.Person person : item.authors()) {
              w.writeStartElement("dc", "creator", DC);
              w.writeCharacters(clean(person.name()));
              w.writeEndElement();
            }
            for (String tag : item.tags()) {
              element(w, "category", tag);
            }
            element(w, "description", item.summary());
            if (!item.contentHtml().isEmpty()) {
              w.writeStartElement("content", "encoded", CONTENT);
              w.writeCharacters(clean(item.contentHtml()));
              w.writeEndElement();
            }
            w.writeEndElement();
          }
          w.writeEndElement();
          w.writeEndElement();
        });
  }

  public static byte[] atom(FeedData feed) {
    return xml(
        w -> {
          w.writeStartElement("feed");
          w.writeDefaultNamespace(ATOM);
          w.writeAttribute("xml:lang", feed.language());
          element(w, "id", feed.selfUrl());
          element(w, "title", feed.title());
          if (!feed.description().isEmpty()) {
            element(w, "subtitle", feed.description());
          }
          element(w, "updated", feed.updated().toString());
          link(w, "self", "application/atom+xml", feed.selfUrl());
          link(w, "alternate", "text/html", feed.homeUrl());
          w.writeStartElement("author");
          element(w, "name", feed.title());
          element(w, "uri", feed.homeUrl());
          w.writeEndElement();
          element(w, "generator", "Broadsheet");
          for (FeedData.Item item : feed.items()) {
            w.writeStartElement("entry");
            element(w, "id", item.id());
            element(w, "title", item.title());
            link(w, "alternate", "text/html", item.url());
            element(w, "published", item.published().toString());
            element(w, "updated", item.modified().toString());
            for (FeedData.Person person : item.authors()) {
              w.writeStartElement("author");
              element(w, "name", person.name());
              if (person.url() != null && !person.url().isEmpty()) {
                element(w, "uri", person.url());
              }
              w.writeEndElement();
            }
            for (String tag : item.tags()) {
              w.writeEmptyElement("category");
              w.writeAttribute("term", clean(tag));
            }
            if (!item.summary().isEmpty()) {
              element(w, "summary", item.summary());
            }
            if (!item.contentHtml().isEmpty()) {
              w.writeStartElement("content");
              w.writeAttribute("type", "html");
              w.writeCharacters(clean(item.contentHtml()));
              w.writeEndElement();
            }
            w.writeEndElement();
          }
          w.writeEndElement();
        });
  }

  private static void link(XMLStreamWriter w, String rel, String type, String href)
      throws XMLStreamException {
    w.writeEmptyElement("link");
    w.writeAttribute("rel", rel);
    w.writeAttribute("type", type);
    w.writeAttribute("href", href);
  }

  public static byte[] json(FeedData feed) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "https://jsonfeed.org/version/1.1");
    root.put("title", feed.title());
    root.put("home_page_url", feed.homeUrl());
    root.put("feed_url", feed.selfUrl());
    if (!feed.description().isEmpty()) {
      root.put("description", feed.description());
    }
    root.put("language", feed.language());
    ArrayNode items = root.putArray("items");
    for (FeedData.Item item : feed.items()) {
      ObjectNode node = items.addObject();
      node.put("id", item.id());
      node.put("url", item.url());
      node.put("title", item.title());
      if (!item.contentHtml().isEmpty()) {
        node.put("content_html", item.contentHtml());
      } else {
        node.put("content_text", item.summary());
      }
      if (!item.summary().isEmpty()) {
        node.put("summary", item.summary());
      }
      node.put("date_published", item.published().toString());
      node.put("date_modified", item.modified().toString());
      ArrayNode authors = node.putArray("authors");
      for (FeedData.Person person : item.authors()) {
        ObjectNode a = authors.addObject();
        a.put("name", person.name());
        if (person.url() != null && !person.url().isEmpty()) {
          a.put("url", person.url());
        }
      }
      if (!item.tags().isEmpty()) {
        ArrayNode tags = node.putArray("tags");
        item.tags().forEach(tags::add);
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
