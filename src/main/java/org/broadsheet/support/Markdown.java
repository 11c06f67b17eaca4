package org.broadsheet.support;

import java.util.List;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * Turns article Markdown into HTML that is safe to put on a page: CommonMark rendering followed by
 * an allow-list sanitizer, so raw HTML, scripts, event handlers and {@code javascript:} links never
 * reach readers. Runs when an article is saved, not when it is served. Thread-safe.
 */
public final class Markdown {

  private final Parser parser;
  private final HtmlRenderer renderer;
  private final Safelist safelist;
  private final String baseUrl;

  public Markdown(String baseUrl) {
    // Bare web addresses become links (a link alone on its line may become an embed).
    var extensions = List.of(TablesExtension.create(), AutolinkExtension.create());
    this.parser = Parser.builder().extensions(extensions).build();
    this.renderer = HtmlRenderer.builder().extensions(extensions).build();
    this.baseUrl = baseUrl + "/";
    this.safelist =
        Safelist.relaxed()
            .removeProtocols("img", "src", "http", "https")
            .addAttributes("img", "loading", "decoding")
            .addTags("figure", "figcaption", "hr")
            .addAttributes("a", "title")
            .addEnforcedAttribute("a", "rel", "noopener")
            .preserveRelativeLinks(true);
  }

  /** Renders and sanitizes; the result is a fragment of block elements. */
  public String toSafeHtml(String markdown) {
    String html = renderer.render(parser.parse(markdown == null ? "" : markdown));
    Document.OutputSettings output = new Document.OutputSettings().prettyPrint(false);
    String clean = Jsoup.clean(html, baseUrl, safelist, output);
    if (!clean.contains("<img")
        && !clean.contains("\"")
        && !clean.contains("'")
        && !clean.contains("&quot;")
        && !clean.contains("--")
        && !clean.contains(PULL_MARK)) {
      return clean;
    }
    Document doc = Jsoup.parseBodyFragment(clean);
    doc.outputSettings(output);
    pullQuotes(doc.body());
    smarten(doc.body());
    // Images only from this site's media library: anything else is dropped (the CSP would block
    // it anyway, and a reader's browser should not call third parties).
    for (var img : doc.select("img")) {
      if (!img.attr("src").matches("/media/[0-9a-f]+(-[0-9]+w)?\\.(jpg|png)")) {
        img.remove();
      } else {
        img.attr("loading", "lazy");
      }
    }
    return doc.body().html();
  }

  /**
   * The marker of a pull quote: a quotation that starts with {@code [!pull]} on its own line, in
   * the manner of GitHub's {@code > [!NOTE]} alerts, so the Markdown stays plain Markdown.
   */
  public static final String PULL_MARK = "[!pull]";

  /** Quotations marked as pull quotes get the class that sets them large; the marker goes. */
  private static void pullQuotes(org.jsoup.nodes.Element root) {
    for (org.jsoup.nodes.Element quote : root.select("blockquote")) {
      org.jsoup.nodes.Element first = quote.selectFirst("> p");
      if (first == null
          || first.childNodeSize() == 0
          || !(first.childNode(0) instanceof org.jsoup.nodes.TextNode lead)
          || !lead.getWholeText().stripLeading().startsWith(PULL_MARK)) {
        continue;
      }
      String rest = lead.getWholeText().stripLeading().substring(PULL_MARK.length()).stripLeading();
      lead.text(rest);
      if (first.text().isBlank() && first.children().isEmpty()) {
        first.remove();
      }
      quote.addClass("pull-quote");
    }
  }

  /**
   * Typographer's quotes and dashes in the text readers see (never inside code): "a" → “a”, 'a' →
   * ‘a’, it's → it’s, -- → –, --- → —. A quote opens after the start of a text, a space or an
   * opening bracket, and closes otherwise.
   */
  private static void smarten(org.jsoup.nodes.Element root) {
    char previous = ' ';
    for (org.jsoup.nodes.TextNode text : root.textNodes()) {
      previous = ' ';
      text.text(smartenText(text.getWholeText(), previous));
    }
    for (org.jsoup.nodes.Element child : root.children()) {
      String tag = child.tagName();
      if (tag.equals("code")
          || tag.equals("pre")
          || tag.equals("kbd")
          || tag.equals("samp")
          || (tag.equals("a") && child.text().startsWith("http"))) {
        continue; // code, and addresses written out, stay exactly as typed
      }
      smarten(child);
    }
  }

  static String smartenText(String text, char before) {
    if (text.contains("http://") || text.contains("https://")) {
      // A sentence with an address in it: the address keeps its characters.
      StringBuilder out = new StringBuilder();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("https?://\\S+").matcher(text);
      int at = 0;
      char previous = before;
      while (m.find()) {
        String part = text.substring(at, m.start());
        out.append(smartenPlain(part, previous)).append(m.group());
        previous = m.group().charAt(m.group().length() - 1);
        at = m.end();
      }
      return out.append(smartenPlain(text.substring(at), previous)).toString();
    }
    return smartenPlain(text, before);
  }

  private static String smartenPlain(String text, char before) {
    String dashed = text.replace("---", "\u2014").replace("--", "\u2013");
    StringBuilder out = new StringBuilder(dashed.length());
    char previous = before;
    for (int i = 0; i < dashed.length(); i++) {
      char c = dashed.charAt(i);
      boolean opening =
          i == 0
              ? Character.isWhitespace(previous) || "([{\u2014\u2013".indexOf(previous) >= 0
              : Character.isWhitespace(dashed.charAt(i - 1))
                  || "([{\u2014\u2013".indexOf(dashed.charAt(i - 1)) >= 0;
      if (c == '"') {
        out.append(opening ? '\u201c' : '\u201d');
      } else if (c == '\'') {
        out.append(opening ? '\u2018' : '\u2019');
      } else {
        out.append(c);
      }
      previous = c;
    }
    return out.toString();
  }
}
