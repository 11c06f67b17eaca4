package org.broadsheet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** What the fuzzers check of HTML the site makes from untrusted text: nothing a script can use. */
final class Safety {

  private static final Set<String> SCRIPT_CAPABLE =
      Set.of(
          "script",
          "iframe",
          "frame",
          "frameset",
          "object",
          "embed",
          "applet",
          "style",
          "link",
          "meta",
          "base",
          "form",
          "input",
          "button",
          "textarea",
          "select",
          "svg",
          "math",
          "template");

  private static final Set<String> URL_ATTRIBUTES =
      Set.of(
          "href",
          "src",
          "action",
          "formaction",
          "srcset",
          "poster",
          "cite",
          "background",
          "xlink:href");

  private Safety() {}

  /** Fails when the HTML holds a tag, attribute or address that can run script. */
  static void assertNoScript(String html) {
    Document doc = Jsoup.parseBodyFragment(html);
    for (Element e : doc.body().getAllElements()) {
      assertThat(SCRIPT_CAPABLE)
          .as("tag <%s> in %s", e.tagName(), html)
          .doesNotContain(e.tagName());
      for (Attribute a : e.attributes()) {
        String name = a.getKey().toLowerCase(Locale.ROOT);
        assertThat(name).as("attribute %s in %s", name, html).doesNotStartWith("on");
        assertThat(name).as("attribute %s in %s", name, html).isNotEqualTo("style");
        if (URL_ATTRIBUTES.contains(name)) {
          String value = a.getValue().replaceAll("[\\p{Cntrl}\\s]", "").toLowerCase(Locale.ROOT);
          assertThat(value)
              .as("%s=%s in %s", name, a.getValue(), html)
              .doesNotStartWith("javascript:")
              .doesNotStartWith("vbscript:")
              .doesNotStartWith("data:text")
              .doesNotStartWith("data:application");
        }
      }
    }
  }
}
