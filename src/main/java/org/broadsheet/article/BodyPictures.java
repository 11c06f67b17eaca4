package org.broadsheet.article;

import java.util.function.Function;
import org.broadsheet.site.Picture;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Pictures in an article's body as readers get them: every image with its stored copies ({@code
 * srcset}, {@code sizes}), its size and lazy loading; an image alone in its paragraph becomes a
 * {@code <figure>} whose caption is the image's title (Markdown's {@code ![alt](src "caption")})
 * followed by the media library's credit. Works on the sanitized HTML stored at save; what it adds
 * comes from the site's own data and is escaped. Stateless.
 */
final class BodyPictures {

  /** The column a body picture fills: the story's width, or the screen's on a phone. */
  static final String SIZES = "(max-width: 44rem) 100vw, 42rem";

  private BodyPictures() {}

  static String enrich(String bodyHtml, Function<String, Picture> pictures) {
    if (bodyHtml == null || !bodyHtml.contains("<img")) {
      return bodyHtml;
    }
    Document doc = Jsoup.parseBodyFragment(bodyHtml);
    doc.outputSettings().prettyPrint(false);
    for (Element img : doc.select("img")) {
      Picture picture = pictures.apply(img.attr("src"));
      if (picture.hasSrcset()) {
        img.attr("srcset", picture.srcset()).attr("sizes", SIZES);
      }
      img.attr("width", Integer.toString(picture.width()))
          .attr("height", Integer.toString(picture.height()))
          .attr("loading", "lazy")
          .attr("decoding", "async");
      Element parent = img.parent();
      boolean alone =
          parent != null
              && parent.tagName().equals("p")
              && parent.childrenSize() == 1
              && parent.ownText().isBlank();
      String caption = img.attr("title").strip();
      if (alone && (!caption.isEmpty() || !picture.credit().isEmpty())) {
        img.removeAttr("title");
        Element figure = new Element("figure").addClass("body-figure");
        figure.appendChild(img.clone());
        Element figcaption = figure.appendElement("figcaption");
        if (!caption.isEmpty()) {
          figcaption.appendText(picture.credit().isEmpty() ? caption : caption + " ");
        }
        if (!picture.credit().isEmpty()) {
          figcaption.appendElement("span").addClass("credit").text(picture.credit());
        }
        parent.replaceWith(figure);
      }
    }
    return doc.body().html();
  }
}
