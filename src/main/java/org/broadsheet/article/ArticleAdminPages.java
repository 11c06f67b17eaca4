package org.broadsheet.article;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Role;
import org.broadsheet.account.Sessions;
import org.broadsheet.account.User;
import org.broadsheet.newsroom.NewsroomAccess;
import org.broadsheet.newsroom.NewsroomFrame;
import org.broadsheet.newsroom.NewsroomView;
import org.broadsheet.site.Section;
import org.broadsheet.support.Markdown;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.Forms;
import org.broadsheet.web.HttpError;

/**
 * The newsroom's articles: the list with filters and bulk actions, the editor (Markdown with live
 * preview, every field, statuses, scheduling in the site's time zone), preview as readers will see
 * it, corrections, and revision history with a diff and restore. Who may do what follows {@link
 * Role}: authors and contributors only touch their own articles, contributors never publish.
 * Thread-safe.
 */
public final class ArticleAdminPages {

  public record ListPage(
      NewsroomView view,
      List<org.broadsheet.article.ArticleRow> rows,
      List<Section> sections,
      List<Author> authors,
      EditorialStatus status,
      String section,
      String author,
      String q,
      String sort,
      int page,
      boolean more) {

    /** The sorts offered: value and label. */
    public Map<String, String> sorts() {
      Map<String, String> sorts = new LinkedHashMap<>();
      sorts.put("changed", "Last changed");
      sorts.put("published", "Publication date");
      sorts.put("headline", "Headline (A–Z)");
      return sorts;
    }

    /** The list's address with these filters, on another page. */
    public String pageLink(int to) {
      StringBuilder link = new StringBuilder("/admin/articles?page=").append(to);
      if (status != null) {
        link.append("&status=").append(status.id());
      }
      for (var e : Map.of("section", section, "author", author, "q", q, "sort", sort).entrySet()) {
        if (!e.getValue().isEmpty()) {
          link.append('&')
              .append(e.getKey())
              .append('=')
              .append(
                  java.net.URLEncoder.encode(
                      e.getValue(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      return link.toString();
    }

    /** Every status, for the filter. */
    public List<EditorialStatus> statuses() {
      return List.of(EditorialStatus.values());
    }
  }

  public record EditorPage(
      NewsroomView view,
      Article article,
      List<Section> sections,
      List<Author> authors,
      List<String> chosenAuthors,
      List<Revision> revisions,
      boolean inReview,
      boolean mayPublish,
      boolean mayErase,
      String timeZone,
      RelatedPanel related,
      PendingChanges pending,
      Confirmation confirm,
      List<String> tagNames,
      org.broadsheet.live.LiveStream live) {

    public boolean isNew() {
      return article == null;
    }

    /** A published story: its editor saves changes for later and updates it only when asked. */
    public boolean isLive() {
      return article != null && article.status() == ArticleStatus.PUBLISHED;
    }

    /** Edited after it went live (more than a minute after). */
    public boolean editedAfterPublication() {
      return isLive()
          && article.publishedAt() != null
          && article.modifiedAt() != null
          && article.modifiedAt().isAfter(article.publishedAt().plusSeconds(60));
    }

    public boolean authorChosen(String slug) {
      return chosenAuthors.contains(slug);
    }
  }

  /**
   * A step before a change readers will see at once: what the button will do ({@code publish} or
   * {@code unpublish}) and, in words, what changes on the public page.
   */
  public record Confirmation(String action, String title, String button, List<String> changes) {}

  /** The step before a bulk action: which stories, what will happen to them. */
  public record BulkConfirmPage(
      NewsroomView view, String action, String question, String button, List<Article> articles) {}

  /** The More Articles panel: what readers see now, and the editor's pins and exclusions. */
  public record RelatedPanel(
      List<org.broadsheet.article.ArticleSummary> story,
      List<org.broadsheet.article.ArticleSummary> more,
      List<RelatedChoices.Choice> overrides,
      Map<Long, String> headlines) {}

  public record RevisionPage(
      NewsroomView view, Article article, Revision revision, List<DiffLine> diff) {}

  /** One line of a diff: unchanged, added or removed. */
  public record DiffLine(String kind, String text) {}

  /** Stories per page of the newsroom's list. */
  static final int LIST_PAGE = 50;

  private final ArticleService articles;
  private final ArticlePages pages;
  private final NewsroomAccess access;
  private final NewsroomFrame frame;
  private final Markdown markdown;
  private final ZoneId zone;
  private final RelatedChoices related;
  private final ArticleNavigation navigation;

  public ArticleAdminPages(
      ArticleService articles,
      ArticlePages pages,
      NewsroomAccess access,
      NewsroomFrame frame,
      Markdown markdown,
      ZoneId zone,
      RelatedChoices related,
      ArticleNavigation navigation) {
    this.articles = articles;
    this.pages = pages;
    this.access = access;
    this.frame = frame;
    this.markdown = markdown;
    this.zone = zone;
    this.related = related;
    this.navigation = navigation;
  }

  private RelatedPanel relatedPanel(Article article) {
    if (article == null || !article.isPublic()) {
      return null;
    }
    var page = articles.publishedWithMore(article.slug()).orElse(null);
    if (page == null) {
      return null;
    }
    var overrides = related.choices(article.id());
    Map<Long, String> headlines = new LinkedHashMap<>();
    for (var o : overrides) {
      articles.byId(o.otherId()).ifPresent(a -> headlines.put(a.id(), a.headline()));
    }
    return new RelatedPanel(page.story(), page.more(), overrides, headlines);
  }

  /** Pin an article into this one's More Articles, exclude one, or forget the decision. */
  public void decideRelated(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    String action = Optional.ofNullable(ctx.formParam("action")).orElse("");
    String other = Optional.ofNullable(ctx.formParam("other")).orElse("").strip();
    Optional<Article> target =
        Forms.parseId(other).map(articles::byId).orElseGet(() -> articles.bySlug(other));
    if (target.isEmpty()) {
      throw new HttpError(
          422, "Not changed", "There is no article '" + other + "'. Use its id or slug.");
    }
    RelatedChoices.Action decision =
        switch (action) {
          case "pin" -> RelatedChoices.Action.PIN;
          case "exclude" -> RelatedChoices.Action.EXCLUDE;
          case "reset" -> null;
          default -> throw HttpError.badRequest("Choose pin, exclude or reset.");
        };
    try {
      related.decide(article.id(), target.get().id(), decision, actor(ctx, session));
    } catch (ValidationException e) {
      throw new HttpError(422, "Not changed", String.join(" ", e.fieldErrors().values()));
    }
    ctx.redirect("/admin/articles/" + article.id() + "?done=saved#related", HttpStatus.SEE_OTHER);
  }

  // ---- permissions ------------------------------------------------------------------------

  boolean mayEdit(User user, Article article) {
    return EditorRights.mayEdit(
        user::can, user.id(), user.authorId(), article, articles.createdBy(article.id()));
  }

  private Article editable(Context ctx, User user) {
    Article article = articles.byId(Forms.pathId(ctx, "id")).orElseThrow(HttpError::notFound);
    if (!mayEdit(user, article)) {
      throw new HttpError(
          403,
          "Not allowed",
          "Your role ("
              + user.role().label()
              + ") cannot change this article. Ask an editor if it needs a change.");
    }
    return article;
  }

  private static Actor actor(Context ctx, Sessions.Current session) {
    return Actor.of(session.user(), ClientAddress.of(ctx));
  }

  // ---- list -------------------------------------------------------------------------------

  private static String param(Context ctx, String name, int max) {
    String v = ctx.queryParam(name);
    v = v == null ? "" : v.strip();
    return v.length() > max ? v.substring(0, max) : v;
  }

  public void list(Context ctx) {
    Sessions.Current session = access.member(ctx);
    EditorialStatus status = EditorialStatus.parse(param(ctx, "status", 20)).orElse(null);
    String section = param(ctx, "section", 80);
    String author = param(ctx, "author", 80);
    String q = param(ctx, "q", 200);
    String sort = param(ctx, "sort", 20);
    if (!List.of("changed", "published", "headline").contains(sort)) {
      sort = "changed";
    }
    int page = org.broadsheet.web.Pager.parse(ctx.queryParam("page"));
    List<ArticleRow> rows =
        navigation.rows(
            session.user(),
            status,
            section,
            author,
            q,
            sort,
            LIST_PAGE + 1,
            (page - 1) * LIST_PAGE);
    boolean more = rows.size() > LIST_PAGE;
    frame.render(
        ctx,
        "article/newsroom/articles.jte",
        new ListPage(
            frame.view(ctx, "Articles", "articles"),
            more ? rows.subList(0, LIST_PAGE) : rows,
            articles.sections(),
            articles.authors(),
            status,
            section,
            author,
            q,
            sort,
            page,
            more),
        200);
  }

  /** Bulk actions on the selected articles: publish, unpublish, or move to drafts. */
  public void bulk(Context ctx) {
    Sessions.Current session = access.member(ctx);
    String action = Optional.ofNullable(ctx.formParam("action")).orElse("");
    ArticleStatus target =
        switch (action) {
          case "publish" -> ArticleStatus.PUBLISHED;
          case "unpublish" -> ArticleStatus.UNPUBLISHED;
          case "draft" -> ArticleStatus.DRAFT;
          default -> throw HttpError.badRequest("Choose what to do with the selected articles.");
        };
    if (!"yes".equals(ctx.formParam("confirm"))) {
      List<Article> chosen =
          Forms.formIds(ctx, "ids").stream()
              .map(articles::byId)
              .flatMap(Optional::stream)
              .filter(a -> mayEdit(session.user(), a))
              .toList();
      if (chosen.isEmpty()) {
        throw HttpError.badRequest("Tick the articles to change first.");
      }
      String n = chosen.size() == 1 ? "this article" : "these " + chosen.size() + " articles";
      frame.render(
          ctx,
          "article/newsroom/bulk-confirm.jte",
          new BulkConfirmPage(
              frame.view(ctx, "Confirm", "articles"),
              action,
              switch (target) {
                case PUBLISHED -> "Publish " + n + " now? Readers see them at once.";
                case UNPUBLISHED ->
                    "Unpublish "
                        + n
                        + "? They leave the site, its lists, feeds and search at once.";
                default -> "Move " + n + " back to drafts? Published ones leave the site at once.";
              },
              switch (target) {
                case PUBLISHED -> "Publish " + chosen.size();
                case UNPUBLISHED -> "Unpublish " + chosen.size();
                default -> "Move " + chosen.size() + " to drafts";
              },
              chosen),
          200);
      return;
    }
    int done = 0;
    List<String> refused = new ArrayList<>();
    for (long id : Forms.formIds(ctx, "ids")) {
      Optional<Article> found = articles.byId(id);
      if (found.isEmpty() || !mayEdit(session.user(), found.get())) {
        refused.add(Long.toString(id));
        continue;
      }
      Article a = found.get();
      try {
        articles.changeStatus(a.id(), target, actor(ctx, session));
        done++;
      } catch (ValidationException e) {
        refused.add(a.headline() + ": " + String.join(" ", e.fieldErrors().values()));
      }
    }
    if (!refused.isEmpty()) {
      throw new HttpError(
          422,
          "Some articles were not changed",
          done + " changed. Not changed: " + String.join("; ", refused));
    }
    ctx.redirect("/admin/articles?done=saved", HttpStatus.SEE_OTHER);
  }

  // ---- editor -----------------------------------------------------------------------------

  private EditorPage editor(
      Context ctx,
      User user,
      Article article,
      Map<String, String> values,
      Map<String, String> errors) {
    return editor(ctx, user, article, values, errors, null);
  }

  private EditorPage editor(
      Context ctx,
      User user,
      Article article,
      Map<String, String> values,
      Map<String, String> errors,
      Confirmation confirm) {
    PendingChanges pending =
        article == null ? null : articles.pendingChanges(article.id()).orElse(null);
    List<String> chosen = new ArrayList<>();
    if (values.containsKey("authors")) {
      chosen.addAll(Arrays.asList(values.get("authors").split(",")));
    } else if (article != null) {
      article.authors().forEach(a -> chosen.add(a.slug()));
    } else if (user.authorId() != null) {
      articles.authors().stream()
          .filter(a -> a.id() == user.authorId())
          .forEach(a -> chosen.add(a.slug()));
    }
    Map<String, String> shown = new LinkedHashMap<>();
    if (article != null) {
      shown.put("headline", article.headline());
      shown.put("deck", article.deck());
      shown.put("slug", article.slug());
      shown.put("section", article.section().slug());
      shown.put("body", article.bodyMarkdown());
      shown.put("tags", String.join(", ", article.tags().stream().map(t -> t.name()).toList()));
      if (article.image() != null) {
        shown.put("imageUrl", article.image().url());
        shown.put("imageAlt", article.image().alt());
        shown.put("imageCredit", article.image().credit() == null ? "" : article.image().credit());
      }
      var presentation = articles.presentation(article.id());
      shown.put("excerpt", presentation.excerpt());
      shown.put("seoTitle", presentation.seoTitle());
      shown.put("seoDescription", presentation.seoDescription());
      shown.put("socialTitle", presentation.socialTitle());
      shown.put("socialDescription", presentation.socialDescription());
      shown.put("socialImage", presentation.socialImage());
      if (article.status() == ArticleStatus.SCHEDULED && article.publishedAt() != null) {
        shown.put("publishAt", Publication.local(article.publishedAt(), zone));
      }
    }
    if (pending != null && values.isEmpty()) {
      // The changes kept for later are what the editor continues from.
      pending
          .fields()
          .forEach(
              (name, value) -> {
                if (!name.equals("authors")) {
                  shown.put(name, value);
                }
              });
      if (pending.fields().containsKey("authors")) {
        chosen.clear();
        chosen.addAll(
            Arrays.stream(pending.fields().get("authors").split(","))
                .filter(a -> !a.isBlank())
                .toList());
      }
    }
    shown.putAll(values);
    String title = article == null ? "New article" : "Edit: " + article.headline();
    return new EditorPage(
        frame.view(ctx, title, "articles").withForm(shown, errors),
        article,
        articles.sections(),
        bylinesOffered(user, article),
        chosen,
        article == null ? List.of() : articles.revisions(article.id()),
        article != null && articles.inReview(article.id()),
        user.can(Role.Permission.PUBLISH),
        user.can(Role.Permission.EDIT_ALL),
        zone.getId(),
        user.can(Role.Permission.PUBLISH) ? relatedPanel(article) : null,
        pending,
        confirm,
        articles.tagsWithCounts().stream().map(e -> e.getKey().name()).limit(2000).toList(),
        article == null ? null : pages.live().stream(article.id()).orElse(null));
  }

  /** The bylines the member may choose: everyone's, or their own and those already on it. */
  private List<Author> bylinesOffered(User user, Article article) {
    if (user.can(Role.Permission.EDIT_ALL)) {
      return articles.authors();
    }
    return articles.authors().stream()
        .filter(
            a ->
                (user.authorId() != null && a.id() == user.authorId())
                    || (article != null
                        && article.authors().stream().anyMatch(b -> b.id() == a.id())))
        .toList();
  }

  public void newForm(Context ctx) {
    Sessions.Current session = access.member(ctx);
    frame.render(
        ctx,
        "article/newsroom/editor.jte",
        editor(ctx, session.user(), null, Map.of(), Map.of()),
        200);
  }

  public void editForm(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    frame.render(
        ctx,
        "article/newsroom/editor.jte",
        editor(ctx, session.user(), article, Map.of(), Map.of()),
        200);
  }

  /** What the form holds, as typed, to show again if it is refused. */
  private static Map<String, String> typed(Context ctx) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String f :
        List.of(
            "headline",
            "deck",
            "slug",
            "section",
            "body",
            "tags",
            "imageUrl",
            "imageAlt",
            "imageCredit",
            "publishAt",
            "excerpt",
            "seoTitle",
            "seoDescription",
            "socialTitle",
            "socialDescription",
            "socialImage")) {
      values.put(f, Optional.ofNullable(ctx.formParam(f)).orElse(""));
    }
    values.put("authors", String.join(",", ctx.formParams("authors")));
    return values;
  }

  /** Creates (no id) or saves an article; the button pressed says which status it gets. */
  public void save(Context ctx) {
    Sessions.Current session = access.member(ctx);
    User user = session.user();
    boolean isNew = !ctx.pathParamMap().containsKey("id");
    Article current = isNew ? null : editable(ctx, user);
    Map<String, String> values = typed(ctx);
    String pressed = Forms.text(ctx, "action").isEmpty() ? "save" : ctx.formParam("action");
    boolean confirmed = pressed.endsWith("-confirmed");
    Publication.Action action =
        Publication.Action.parse(
            confirmed ? pressed.substring(0, pressed.length() - "-confirmed".length()) : pressed);
    if (action == null) {
      throw HttpError.badRequest("Unknown action: use the buttons under the editor.");
    }
    boolean live = current != null && current.status() == ArticleStatus.PUBLISHED;
    if (live && action == Publication.Action.SAVE) {
      // A live story's "Save draft": kept for later, readers keep the published version.
      try {
        articles.keepChanges(current.id(), values, actor(ctx, session));
      } catch (ValidationException e) {
        frame.render(
            ctx,
            "article/newsroom/editor.jte",
            editor(ctx, user, current, values, e.fieldErrors()),
            422);
        return;
      }
      ctx.redirect("/admin/articles/" + current.id() + "?done=kept", HttpStatus.SEE_OTHER);
      return;
    }
    // A change readers would see at once (updating or unpublishing a live story) is shown in
    // words first and made only when confirmed; nothing is saved before.
    boolean needsConfirmation =
        live
            && !confirmed
            && (action == Publication.Action.PUBLISH || action == Publication.Action.UNPUBLISH)
            && user.can(Role.Permission.PUBLISH);
    ArticleEdit edit =
        new ArticleEdit(
            current == null ? null : current.id(),
            action,
            values.get("headline"),
            values.get("deck"),
            values.get("slug"),
            values.get("section"),
            values.get("body"),
            values.get("tags"),
            ctx.formParams("authors"),
            values.get("imageUrl"),
            values.get("imageAlt"),
            values.get("imageCredit"),
            values.get("publishAt"),
            values.get("excerpt"),
            values.get("seoTitle"),
            values.get("seoDescription"),
            values.get("socialTitle"),
            values.get("socialDescription"),
            values.get("socialImage"));
    EditorRights rights =
        new EditorRights(
            user.can(Role.Permission.PUBLISH), user.can(Role.Permission.EDIT_ALL), user.authorId());
    Article saved;
    try {
      if (needsConfirmation) {
        // Checked in full first: nobody is asked to confirm a form that would be refused.
        articles.check(edit, rights);
        frame.render(
            ctx,
            "article/newsroom/editor.jte",
            editor(ctx, user, current, values, Map.of(), confirmation(current, action, values)),
            200);
        return;
      }
      saved = articles.save(edit, actor(ctx, session), rights);
    } catch (Publication.NotAllowed e) {
      throw new HttpError(403, "Not allowed", e.getMessage());
    } catch (ValidationException e) {
      frame.render(
          ctx,
          "article/newsroom/editor.jte",
          editor(ctx, user, current, values, e.fieldErrors()),
          422);
      return;
    }
    String done =
        switch (action) {
          case PUBLISH -> "published";
          case SCHEDULE -> "scheduled";
          case UNPUBLISH -> "unpublished";
          case REVIEW -> "submitted";
          case SAVE -> "saved";
          case UNSCHEDULE -> "unscheduled";
        };
    ctx.redirect("/admin/articles/" + saved.id() + "?done=" + done, HttpStatus.SEE_OTHER);
  }

  /** What a confirmed update or unpublication of a live story will change for readers. */
  private Confirmation confirmation(
      Article live, Publication.Action action, Map<String, String> values) {
    if (action == Publication.Action.UNPUBLISH) {
      return new Confirmation(
          "unpublish",
          "Take this story off the site?",
          "Unpublish it now",
          List.of(
              "Readers who open its address get “not found”; it leaves the front page, its"
                  + " section, feeds, the sitemap and search.",
              "Comments stay stored; it can be published again from here."));
    }
    List<String> changes = new ArrayList<>();
    changed(changes, "Headline", live.headline(), values.get("headline"));
    changed(changes, "Deck", live.deck(), values.get("deck"));
    if (!values.get("section").equals(live.section().slug())) {
      changes.add(
          "Section: "
              + live.section().name()
              + " → "
              + articles.sections().stream()
                  .filter(sec -> sec.slug().equals(values.get("section")))
                  .map(Section::name)
                  .findFirst()
                  .orElse(values.get("section")));
    }
    if (!values.get("slug").isBlank() && !values.get("slug").strip().equals(live.slug())) {
      changes.add(
          "Address: …/"
              + live.slug()
              + " → …/"
              + values.get("slug").strip()
              + " (the old address will redirect to the new one)");
    }
    List<String> wordsBefore = words(live.bodyMarkdown());
    List<String> wordsAfter = words(values.get("body"));
    if (!wordsBefore.equals(wordsAfter)) {
      var patch = com.github.difflib.DiffUtils.diff(wordsBefore, wordsAfter);
      int added = 0;
      int removed = 0;
      for (var delta : patch.getDeltas()) {
        added += delta.getTarget().size();
        removed += delta.getSource().size();
      }
      changes.add(
          "Text: " + added + (added == 1 ? " word" : " words") + " added, " + removed + " removed");
    }
    String tagsBefore = String.join(", ", live.tags().stream().map(Tag::name).toList());
    changed(changes, "Tags", tagsBefore, values.get("tags"));
    String bylinesBefore =
        String.join(",", live.authors().stream().map(Author::slug).sorted().toList());
    String bylinesAfter =
        String.join(
            ",",
            Arrays.stream(values.get("authors").split(","))
                .filter(a -> !a.isBlank())
                .sorted()
                .toList());
    if (!bylinesBefore.equals(bylinesAfter)) {
      changes.add("Bylines changed");
    }
    String imageBefore = live.image() == null ? "" : live.image().url();
    if (!imageBefore.equals(values.get("imageUrl").strip())) {
      changes.add(
          values.get("imageUrl").isBlank()
              ? "Featured picture removed"
              : "Featured picture changed");
    } else if (live.image() != null && !live.image().alt().equals(values.get("imageAlt").strip())) {
      changes.add("Featured picture's alt text changed");
    }
    Presentation presentation = articles.presentation(live.id());
    changed(changes, "Excerpt", presentation.excerpt(), values.get("excerpt"));
    changed(changes, "Search title", presentation.seoTitle(), values.get("seoTitle"));
    changed(
        changes, "Search description", presentation.seoDescription(), values.get("seoDescription"));
    changed(changes, "Social title", presentation.socialTitle(), values.get("socialTitle"));
    changed(
        changes,
        "Social description",
        presentation.socialDescription(),
        values.get("socialDescription"));
    changed(changes, "Social image", presentation.socialImage(), values.get("socialImage"));
    if (changes.isEmpty()) {
      changes.add("Nothing readers see changes.");
    }
    return new Confirmation(
        "publish", "Update the live story?", "Update live story now", List.copyOf(changes));
  }

  /** A text's words, whatever its line endings and spacing. */
  private static List<String> words(String text) {
    String t = text == null ? "" : text.strip();
    return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
  }

  private static void changed(List<String> changes, String what, String before, String after) {
    String b = before == null ? "" : before.strip().replaceAll("\\s+", " ");
    String a = after == null ? "" : after.strip().replaceAll("\\s+", " ");
    if (!b.equals(a)) {
      changes.add(
          what
              + ": "
              + (b.isEmpty() ? "(none)" : "“" + b + "”")
              + " → "
              + (a.isEmpty() ? "(none)" : "“" + a + "”"));
    }
  }

  /** Drops the changes kept for a live story; readers never saw them. */
  public void discard(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    articles.discardChanges(article.id(), actor(ctx, session));
    ctx.redirect("/admin/articles/" + article.id() + "?done=discarded", HttpStatus.SEE_OTHER);
  }

  /** Keeps a draft's text on the server while it is typed (JSON answer for the editor's script). */
  public void autosave(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    boolean live = article.status() == ArticleStatus.PUBLISHED;
    boolean saved;
    try {
      if (live) {
        // A live story's changes are kept whole, not shown to readers.
        articles.keepChanges(article.id(), typed(ctx), actor(ctx, session));
        saved = true;
      } else {
        saved =
            articles.autosaveDraft(
                article.id(),
                ctx.formParam("headline"),
                ctx.formParam("deck"),
                ctx.formParam("body"));
      }
    } catch (ValidationException e) {
      ctx.status(422).json(Map.of("saved", false, "message", e.getMessage()));
      return;
    }
    ctx.header("Cache-Control", "no-store");
    ctx.json(
        Map.of(
            "saved",
            saved,
            "message",
            live
                ? "Changes kept on the server; readers see them once you update the live story."
                : saved
                    ? "Draft saved on the server."
                    : "Not a draft: changes are kept in this browser until you save."));
  }

  /** Markdown to the exact HTML readers get (sanitised), for the editor's live preview. */
  public void renderMarkdown(Context ctx) {
    String body = Optional.ofNullable(ctx.formParam("body")).orElse("");
    if (body.length() > 200_000) {
      throw HttpError.badRequest("The body is too long to preview.");
    }
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("text/html; charset=utf-8");
    ctx.result(pages.previewBody(markdown.toSafeHtml(body)));
  }

  /** The article exactly as readers will see it, whatever its status. */
  public void preview(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Robots-Tag", "noindex");
    ctx.contentType("text/html; charset=utf-8");
    org.broadsheet.web.CachedPage page = pages.preview(article.id());
    org.broadsheet.web.HttpCaching.allowFrames(ctx, page);
    ctx.result(page.body());
  }

  // ---- live coverage ----------------------------------------------------------------------

  /** The live desk: the composer beside the stream, for the journalists covering it. */
  public void liveDesk(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    frame.render(
        ctx,
        "article/newsroom/live-desk.jte",
        editor(ctx, session.user(), article, Map.of(), Map.of()),
        200);
  }

  /** Back to where a live action came from: the live desk, or the story's editor. */
  private static void liveBack(Context ctx, long articleId, String done, String anchor) {
    String page =
        "desk".equals(ctx.formParam("back"))
            ? "/admin/articles/" + articleId + "/live"
            : "/admin/articles/" + articleId;
    ctx.redirect(page + "?done=" + done + "#" + anchor, HttpStatus.SEE_OTHER);
  }

  /** Switches the story to live coverage (or reopens it). */
  public void liveStart(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    pages.live().start(article.id(), actor(ctx, session));
    liveBack(ctx, article.id(), "live", "live");
  }

  /** Ends the coverage; the story keeps its updates. */
  public void liveClose(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    try {
      pages.live().close(article.id(), actor(ctx, session));
    } catch (ValidationException e) {
      throw new HttpError(409, "Not live", String.join(" ", e.fieldErrors().values()));
    }
    liveBack(ctx, article.id(), "live-closed", "live");
  }

  /** Posts an update; a refused one comes back with what was typed. */
  public void livePost(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    String headline = Forms.text(ctx, "updateHeadline");
    String body = Forms.text(ctx, "updateBody");
    List<String> bylines = ctx.formParams("updateAuthors");
    List<String> allowed =
        bylinesOffered(session.user(), article).stream().map(Author::slug).toList();
    try {
      if (!allowed.containsAll(bylines)) {
        throw new ValidationException(
            Map.of("updateAuthors", "You can credit only the bylines offered here."));
      }
      pages.live().post(article.id(), headline, body, bylines, actor(ctx, session));
    } catch (ValidationException e) {
      Map<String, String> errors = new LinkedHashMap<>();
      e.fieldErrors()
          .forEach(
              (k, v) ->
                  errors.put(
                      switch (k) {
                        case "headline" -> "updateHeadline";
                        case "updateAuthors" -> "updateAuthors";
                        default -> "updateBody";
                      },
                      v));
      frame.render(
          ctx,
          "desk".equals(ctx.formParam("back"))
              ? "article/newsroom/live-desk.jte"
              : "article/newsroom/editor.jte",
          editor(
              ctx,
              session.user(),
              article,
              Map.of("updateHeadline", headline, "updateBody", body),
              errors),
          422);
      return;
    }
    liveBack(ctx, article.id(), "live-posted", "live");
  }

  /** Edits, pins, marks as a key event or deletes one update of this story. */
  public void liveUpdate(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    long update = Forms.pathId(ctx, "update");
    long owner;
    try {
      owner = pages.live().articleOf(update);
    } catch (ValidationException e) {
      throw HttpError.notFound();
    }
    if (owner != article.id()) {
      throw HttpError.notFound();
    }
    var actor = actor(ctx, session);
    try {
      switch (Forms.text(ctx, "action")) {
        case "edit" ->
            pages
                .live()
                .edit(
                    update,
                    Forms.text(ctx, "updateHeadline"),
                    Forms.text(ctx, "updateBody"),
                    actor);
        case "pin" -> pages.live().pin(update, true, actor);
        case "unpin" -> pages.live().pin(update, false, actor);
        case "key" -> pages.live().keyEvent(update, true, actor);
        case "unkey" -> pages.live().keyEvent(update, false, actor);
        case "delete" -> pages.live().delete(update, actor);
        default -> throw HttpError.badRequest("Choose edit, pin, unpin, key, unkey or delete.");
      }
    } catch (ValidationException e) {
      throw new HttpError(422, "Update not changed", String.join(" ", e.fieldErrors().values()));
    }
    liveBack(ctx, article.id(), "live-saved", "update-" + update);
  }

  public void correct(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    String note = Optional.ofNullable(ctx.formParam("note")).orElse("").strip();
    Correction.Kind kind =
        "update".equals(ctx.formParam("kind"))
            ? Correction.Kind.UPDATE
            : Correction.Kind.CORRECTION;
    if (note.isEmpty() || note.length() > 2000) {
      frame.render(
          ctx,
          "article/newsroom/editor.jte",
          editor(
              ctx,
              session.user(),
              article,
              Map.of(),
              Map.of("note", "Write the correction (up to 2,000 characters).")),
          422);
      return;
    }
    articles.addCorrection(article.id(), kind, note, actor(ctx, session));
    ctx.redirect("/admin/articles/" + article.id() + "?done=corrected", HttpStatus.SEE_OTHER);
  }

  public void erase(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    if (!article.slug().equals(Optional.ofNullable(ctx.formParam("confirm")).orElse("").strip())) {
      throw new HttpError(
          422, "Not erased", "Type the article's slug to confirm erasing it for good.");
    }
    articles.erase(article.id(), actor(ctx, session));
    ctx.redirect("/admin/articles?done=saved", HttpStatus.SEE_OTHER);
  }

  // ---- revisions --------------------------------------------------------------------------

  private Revision revision(Context ctx, Article article) {
    return articles
        .revision(article.id(), Forms.pathId(ctx, "revision"))
        .orElseThrow(HttpError::notFound);
  }

  public void showRevision(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    Revision revision = revision(ctx, article);
    frame.render(
        ctx,
        "article/newsroom/revision.jte",
        new RevisionPage(
            frame.view(ctx, "Revision of " + article.headline(), "articles"),
            article,
            revision,
            diff(
                text(revision.headline(), revision.deck(), revision.bodyMarkdown()),
                text(article.headline(), article.deck(), article.bodyMarkdown()))),
        200);
  }

  private static List<String> text(String headline, String deck, String body) {
    List<String> lines = new ArrayList<>();
    lines.add("# " + headline);
    lines.add("## " + deck);
    lines.addAll(Arrays.asList(body.split("\\R", -1)));
    return lines;
  }

  /** Line diff from the revision to the current version (java-diff-utils). */
  static List<DiffLine> diff(List<String> from, List<String> to) {
    List<DiffLine> out = new ArrayList<>();
    for (var row :
        com.github.difflib.text.DiffRowGenerator.create()
            .showInlineDiffs(false)
            .lineNormalizer(line -> line)
            .build()
            .generateDiffRows(from, to)) {
      switch (row.getTag()) {
        case EQUAL -> out.add(new DiffLine("same", row.getOldLine()));
        case INSERT -> out.add(new DiffLine("added", row.getNewLine()));
        case DELETE -> out.add(new DiffLine("removed", row.getOldLine()));
        case CHANGE -> {
          out.add(new DiffLine("removed", row.getOldLine()));
          out.add(new DiffLine("added", row.getNewLine()));
        }
      }
    }
    return out;
  }

  public void restore(Context ctx) {
    Sessions.Current session = access.member(ctx);
    Article article = editable(ctx, session.user());
    Revision revision = revision(ctx, article);
    try {
      articles.restore(article.id(), revision.id(), actor(ctx, session));
    } catch (ValidationException e) {
      throw new HttpError(422, "Not restored", String.join(" ", e.fieldErrors().values()));
    }
    ctx.redirect("/admin/articles/" + article.id() + "?done=restored", HttpStatus.SEE_OTHER);
  }
}
