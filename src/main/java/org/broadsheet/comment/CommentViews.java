package org.broadsheet.comment;

import static org.broadsheet.config.Settings.*;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.broadsheet.config.Config;

/**
 * Builds the comment region's model: threads from flat rows (replies under their parents, top-level
 * comments paginated in the chosen order), and the form in its current state. Thread-safe.
 */
public final class CommentViews {

  public static final int PAGE_SIZE = 50;

  private final CommentService comments;
  private final Config config;
  private final DateTimeFormatter human;
  private final DateTimeFormatter iso;
  private final String workerUrl;
  private final String widgetClass;

  public CommentViews(CommentService comments, Config config, String workerUrl) {
    this.comments = comments;
    this.config = config;
    ZoneId zone = config.get(TIME_ZONE);
    this.human =
        DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", config.get(LANGUAGE)).withZone(zone);
    this.iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(zone);
    this.workerUrl = workerUrl;
    this.widgetClass =
        switch (config.get(HUMAN_CHECK)) {
          case RECAPTCHA_V2, RECAPTCHA_V3 -> "g-recaptcha";
          case HCAPTCHA -> "h-captcha";
          case TURNSTILE -> "cf-turnstile";
          case ALTCHA -> "";
        };
  }

  /**
   * The region for an article page; {@code pending} are the reader's own pending comments (private
   * pages only).
   */
  public CommentSection section(
      long articleId,
      boolean newestFirst,
      int page,
      List<Comment> pending,
      CommentSection.Form form) {
    List<Comment> approved = comments.approved(articleId);
    List<Comment> all = new ArrayList<>(approved);
    all.addAll(pending);
    Map<Long, List<Comment>> children = new HashMap<>();
    List<Comment> roots = new ArrayList<>();
    java.util.Set<Long> ids = new java.util.HashSet<>();
    all.forEach(c -> ids.add(c.id()));
    for (Comment c : all) {
      if (c.parentId() == null || !ids.contains(c.parentId())) {
        roots.add(c);
      } else {
        children.computeIfAbsent(c.parentId(), k -> new ArrayList<>()).add(c);
      }
    }
    Comparator<Comment> byTime =
        Comparator.comparing(Comment::createdAt).thenComparing(Comment::id);
    roots.sort(newestFirst ? byTime.reversed() : byTime);
    int pageCount = Math.max(1, (roots.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int current = Math.min(Math.max(page, 1), pageCount);
    List<Comment> shown =
        roots.subList((current - 1) * PAGE_SIZE, Math.min(roots.size(), current * PAGE_SIZE));
    boolean open = comments.open(articleId);
    List<CommentSection.Node> nodes =
        shown.stream().map(c -> node(c, children, byTime, open)).toList();
    return new CommentSection(
        articleId, open, approved.size(), nodes, newestFirst, current, pageCount, form);
  }

  CommentSection.Node node(
      Comment c, Map<Long, List<Comment>> children, Comparator<Comment> order, boolean open) {
    List<Comment> replies = new ArrayList<>(children.getOrDefault(c.id(), List.of()));
    replies.sort(order);
    return new CommentSection.Node(
        c,
        CommentText.toHtml(c.body()),
        CommentText.initials(c.authorName()),
        CommentText.colour(c.authorName()),
        open && c.isApproved() && c.depth() + 1 < config.get(COMMENTS_MAX_DEPTH),
        c.status() == CommentStatus.PENDING,
        human.format(c.createdAt()),
        iso.format(c.createdAt()),
        replies.stream().map(r -> node(r, children, order, open)).toList());
  }

  /** A single comment as a thread node without replies (the JSON API's html). */
  public CommentSection.Node single(Comment c) {
    return node(
        c, Map.of(), Comparator.comparing(Comment::createdAt), comments.open(c.articleId()));
  }

  /** An empty form for the article. */
  public CommentSection.Form emptyForm(long articleId) {
    return form(articleId, Map.of(), Map.of(), "", null, "");
  }

  public CommentSection.Form form(
      long articleId,
      Map<String, String> values,
      Map<String, String> errors,
      String summary,
      Long parentId,
      String parentName) {
    Map<String, String> kept = new LinkedHashMap<>(values);
    kept.remove(comments.humanCheckField());
    return new CommentSection.Form(
        kept,
        errors,
        summary,
        parentId,
        parentName,
        config.get(COMMENTS_EMAIL_REQUIRED),
        config.get(HUMAN_CHECK).id(),
        comments.humanCheckField(),
        "/api/human-check/challenge?form=comment:" + articleId,
        workerUrl,
        config.get(HUMAN_CHECK_SITE_KEY),
        widgetClass);
  }
}
