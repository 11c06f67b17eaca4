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
    if (!clean.contains("<img")) {
      return clean;
    }
    // Images only from this site's media library: anything else is dropped (the CSP would block
    // it anyway, and a reader's browser should not call third parties).
    Document doc = Jsoup.parseBodyFragment(clean);
    doc.outputSettings(output);
    for (var img : doc.select("img")) {
      if (!img.attr("src").matches("/media/[0-9a-f]+(-[0-9]+w)?\\.(jpg|png)")) {
        img.remove();
      } else {
        img.attr("loading", "lazy");
      }
    }
    return doc.body().html();
  }
}
