package org.broadsheet.article;

/**
 * How an article presents itself outside its own page: an excerpt (for lists and feeds), and a
 * title and description for search engines and link previews. Empty means "use the headline and
 * deck".
 */
public record Presentation(
    String excerpt,
    String seoTitle,
    String seoDescription,
    String socialTitle,
    String socialDescription,
    String socialImage) {

  public static final Presentation NONE = new Presentation("", "", "");

  public Presentation(String excerpt, String seoTitle, String seoDescription) {
    this(excerpt, seoTitle, seoDescription, "", "", "");
  }

  /** The title a shared link shows: the social title, else the search title, else the headline. */
  public String socialTitleOr(String headline) {
    return socialTitle.isEmpty() ? titleOr(headline) : socialTitle;
  }

  /** The description a shared link shows: the social one, else the search one, else the deck. */
  public String socialDescriptionOr(String deck) {
    return socialDescription.isEmpty() ? descriptionOr(deck) : socialDescription;
  }

  public String titleOr(String headline) {
    return seoTitle.isEmpty() ? headline : seoTitle;
  }

  public String descriptionOr(String deck) {
    return seoDescription.isEmpty() ? deck : seoDescription;
  }
}
