package org.broadsheet.article;

import java.util.List;

/**
 * One save from the newsroom's editor: every field as typed, and the button pressed. The service
 * checks all of it before anything is written, and writes all of it or nothing.
 *
 * @param id the article, or null for a new one
 * @param action what the button asked for
 * @param tags the tags as typed, separated by commas
 * @param publishAt the publication time typed for scheduling ({@code 2026-12-01T07:30}, in the
 *     site's time zone), or empty
 */
public record ArticleEdit(
    Long id,
    Publication.Action action,
    String headline,
    String deck,
    String slug,
    String section,
    String body,
    String tags,
    List<String> authors,
    String imageUrl,
    String imageAlt,
    String imageCredit,
    String publishAt,
    String excerpt,
    String seoTitle,
    String seoDescription,
    String socialTitle,
    String socialDescription,
    String socialImage) {

  /** An edit without a social card of its own (scripts, imports, tests). */
  public ArticleEdit(
      Long id,
      Publication.Action action,
      String headline,
      String deck,
      String slug,
      String section,
      String body,
      String tags,
      List<String> authors,
      String imageUrl,
      String imageAlt,
      String imageCredit,
      String publishAt,
      String excerpt,
      String seoTitle,
      String seoDescription) {
    this(
        id,
        action,
        headline,
        deck,
        slug,
        section,
        body,
        tags,
        authors,
        imageUrl,
        imageAlt,
        imageCredit,
        publishAt,
        excerpt,
        seoTitle,
        seoDescription,
        "",
        "",
        "");
  }

  /** The tags as a list: trimmed, without empties, at most 20. */
  List<String> tagNames() {
    return java.util.Arrays.stream((tags == null ? "" : tags).split(","))
        .map(String::strip)
        .filter(t -> !t.isEmpty())
        .limit(20)
        .toList();
  }

  Presentation presentation() {
    return new Presentation(
        excerpt, seoTitle, seoDescription, socialTitle, socialDescription, socialImage);
  }
}
