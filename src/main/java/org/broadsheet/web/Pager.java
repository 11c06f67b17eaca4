package org.broadsheet.web;

import java.util.regex.Pattern;

/**
 * Where a paginated list is: the page number, how many there are, and the links to the neighbours.
 * {@link #parse} turns the {@code page} query parameter into a page number or a clear error.
 */
public record Pager(int page, int pageCount, String basePath) {

  private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,5}");

  /** The 1-based page from a query parameter; null or empty means the first page. */
  public static int parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      return 1;
    }
    if (!NUMBER.matcher(raw).matches()) {
      throw HttpError.badRequest(
          "The page number must be a whole number from 1 upwards, like ?page=2.");
    }
    return Integer.parseInt(raw);
  }

  public static Pager of(int page, int itemCount, int pageSize, String basePath) {
    int pages = Math.max(1, (itemCount + pageSize - 1) / pageSize);
    if (page > pages) {
      throw new HttpError(
          404,
          "No such page",
          "This list has "
              + pages
              + (pages == 1 ? " page." : " pages.")
              + " Go back to the first page.");
    }
    return new Pager(page, pages, basePath);
  }

  public int offset(int pageSize) {
    return (page - 1) * pageSize;
  }

  public boolean hasPrevious() {
    return page > 1;
  }

  public boolean hasNext() {
    return page < pageCount;
  }

  public String previousUrl() {
    return page - 1 == 1 ? basePath : basePath + "?page=" + (page - 1);
  }

  public String nextUrl() {
    return basePath + "?page=" + (page + 1);
  }

  public boolean needed() {
    return pageCount > 1;
  }
}
