package org.broadsheet.integration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.broadsheet.article.Article;
import org.broadsheet.article.ArticleApi;
import org.broadsheet.article.ArticleService;
import org.broadsheet.comment.Comment;
import org.broadsheet.comment.CommentService;
import org.broadsheet.live.LiveCoverage;
import org.broadsheet.live.LiveUpdate;
import org.broadsheet.newsletter.Subscriber;
import org.broadsheet.newsletter.SubscriberDirectory;
import org.broadsheet.storage.Change;

/**
 * Which change is which webhook event, and what it carries: stories as the Content API shows them,
 * comments without their writers' addresses, subscribers with their address (what a mailing tool
 * needs), live updates with their body. A change that is no event (a draft saved) gives none.
 */
public final class WebhookEvents implements Function<Change, Optional<Webhooks.Event>> {

  private final ArticleService articles;
  private final ArticleApi articleApi;
  private final CommentService comments;
  private final SubscriberDirectory subscribers;
  private final LiveCoverage live;

  public WebhookEvents(
      ArticleService articles,
      ArticleApi articleApi,
      CommentService comments,
      SubscriberDirectory subscribers,
      LiveCoverage live) {
    this.articles = articles;
    this.articleApi = articleApi;
    this.comments = comments;
    this.subscribers = subscribers;
    this.live = live;
  }

  @Override
  public Optional<Webhooks.Event> apply(Change change) {
    return switch (change.entity()) {
      case ARTICLE -> article(change);
      case COMMENT -> comment(change);
      case SUBSCRIBER -> subscriber(change);
      case LIVE_UPDATE ->
          change.kind() == Change.Kind.CREATED ? liveUpdate(change.entityId()) : Optional.empty();
      default -> Optional.empty();
    };
  }

  private Optional<Webhooks.Event> article(Change change) {
    Optional<Article> found = articles.byId(change.entityId());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Article a = found.get();
    return switch (change.kind()) {
      case PUBLISHED ->
          a.isPublic()
              ? Optional.of(
                  new Webhooks.Event("article.published", articleApi.summary(a.summary())))
              : Optional.empty();
      case UPDATED, CORRECTED ->
          a.isPublic()
              ? Optional.of(new Webhooks.Event("article.updated", articleApi.summary(a.summary())))
              : Optional.empty();
      case UNPUBLISHED -> {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", a.id());
        data.put("slug", a.slug());
        data.put("headline", a.headline());
        data.put("status", a.status().dbValue());
        yield Optional.of(new Webhooks.Event("article.unpublished", data));
      }
      default -> Optional.empty();
    };
  }

  private Optional<Webhooks.Event> comment(Change change) {
    String type =
        switch (change.kind()) {
          case PENDING -> "comment.held";
          case APPROVED -> "comment.approved";
          default -> null;
        };
    if (type == null) {
      return Optional.empty();
    }
    return comments
        .find(change.entityId())
        .map(
            (Comment c) -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("id", c.id());
              data.put("articleId", c.articleId());
              if (c.parentId() != null) {
                data.put("parentId", c.parentId());
              }
              data.put("authorName", c.authorName());
              data.put("body", c.body());
              data.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
              data.put("createdAt", c.createdAt());
              if (!c.reasons().isEmpty()) {
                data.put("reasons", c.reasons());
              }
              return new Webhooks.Event(type, data);
            });
  }

  private Optional<Webhooks.Event> subscriber(Change change) {
    String type =
        switch (change.kind()) {
          case CONFIRMED -> "subscriber.confirmed";
          case UNSUBSCRIBED -> "subscriber.unsubscribed";
          default -> null;
        };
    if (type == null) {
      return Optional.empty();
    }
    return subscribers
        .byId(change.entityId())
        .map(
            (Subscriber s) -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("id", s.id());
              data.put("email", s.email());
              if (s.name() != null && !s.name().isEmpty()) {
                data.put("name", s.name());
              }
              data.put("status", s.status());
              return new Webhooks.Event(type, data);
            });
  }

  private Optional<Webhooks.Event> liveUpdate(long updateId) {
    long articleId;
    try {
      articleId = live.articleOf(updateId);
    } catch (RuntimeException gone) {
      return Optional.empty();
    }
    return live.stream(articleId)
        .flatMap(s -> s.updates().stream().filter(u -> u.id() == updateId).findFirst())
        .map(
            (LiveUpdate u) -> {
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("id", u.id());
              data.put("articleId", u.articleId());
              articles
                  .byId(articleId)
                  .filter(Article::isPublic)
                  .ifPresent(
                      a ->
                          data.put(
                              "url", articleApi.summary(a.summary()).url() + "#update-" + u.id()));
              if (!u.headline().isEmpty()) {
                data.put("headline", u.headline());
              }
              data.put("bodyHtml", u.bodyHtml());
              data.put("author", u.author());
              data.put("keyEvent", u.keyEvent());
              data.put("createdAt", u.createdAt());
              return new Webhooks.Event("live.update_posted", data);
            });
  }
}
