package org.broadsheet.article;

/**
 * How an article presents itself outside its own page: an excerpt (for lists and feeds), and a
 * title and description for search engines and link previews. Empty means "use the headline and
 * deck".
 */
public record Presentation(String excerpt, String seoTitle, String seoDescription) {

  public static final Presentation NONE = new Presentation("", "", "");

  public String titleOr(String headline) {
    return seoTitle.isEmpty() ? headline : seoTitle;
  }

  public String descriptionOr(String deck) {
    return seoDescription.isEmpty() ? deck : seoDescription;
  }
}
