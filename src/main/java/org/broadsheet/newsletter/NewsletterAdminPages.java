package org.broadsheet.newsletter;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.account.Role;
import org.broadsheet.account.Sessions;
import org.broadsheet.article.ArticleFilter;
import org.broadsheet.article.ArticleService;
import org.broadsheet.article.ArticleSummary;
import org.broadsheet.mail.Outbox;
import org.broadsheet.newsroom.NewsroomAccess;
import org.broadsheet.newsroom.NewsroomFrame;
import org.broadsheet.newsroom.NewsroomView;
import org.broadsheet.site.SiteSettings;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.Forms;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.Pager;

/**
 * The newsroom's newsletter pages: the newsletters and the welcome mail, subscribers (search, CSV
 * export and import, delete, erase), the history of mailings with their counts, a test send, and
 * the outbox (in the embedded default, the dev outbox: every message that would have been sent).
 * Editors and admins. Thread-safe.
 */
public final class NewsletterAdminPages {

  public record OverviewPage(
      NewsroomView view,
      List<Newsletter> newsletters,
      Map<String, Integer> counts,
      String welcomeSubject,
      String welcomeBody,
      List<ArticleSummary> recentArticles,
      boolean smtp) {}

  public record SubscribersPage(
      NewsroomView view,
      SubscriberDirectory.Result result,
      String query,
      String status,
      int page,
      boolean hasNext,
      SubscriberDirectory.ImportReport report,
      boolean dryRun) {}

  public record CampaignsPage(
      NewsroomView view, List<Outbox.Campaign> campaigns, int page, boolean hasNext) {}

  public record OutboxPage(
      NewsroomView view,
      List<Outbox.Queued> messages,
      String status,
      int page,
      boolean hasNext,
      boolean smtp) {}

  public record MessagePage(NewsroomView view, Outbox.Queued message) {}

  private static final int PAGE = 50;

  private final Subscriptions subscriptions;
  private final SubscriberDirectory directory;
  private final ArticleMailings mailings;
  private final Outbox outbox;
  private final ArticleService articles;
  private final SiteSettings settings;
  private final boolean smtp;
  private final NewsroomAccess access;
  private final Audit audit;
  private final NewsroomFrame frame;

  public NewsletterAdminPages(
      Subscriptions subscriptions,
      SubscriberDirectory directory,
      ArticleMailings mailings,
      Outbox outbox,
      ArticleService articles,
      SiteSettings settings,
      boolean smtp,
      NewsroomAccess access,
      Audit audit,
      NewsroomFrame frame) {
    this.subscriptions = subscriptions;
    this.directory = directory;
    this.mailings = mailings;
    this.outbox = outbox;
    this.articles = articles;
    this.settings = settings;
    this.smtp = smtp;
    this.access = access;
    this.audit = audit;
    this.frame = frame;
  }

  private static String form(Context ctx, String name) {
    return Optional.ofNullable(ctx.formParam(name)).orElse("");
  }

  // ---- newsletters and the welcome mail ------------------------------------------------------

  public void overview(Context ctx) {
    showOverview(ctx, Map.of(), Map.of(), 200);
  }

  private void showOverview(
      Context ctx, Map<String, String> values, Map<String, String> errors, int status) {
    frame.render(
        ctx,
        "newsletter/newsroom/newsletters.jte",
        new OverviewPage(
            frame.view(ctx, "Newsletters", "newsletters").withForm(values, errors),
            subscriptions.newsletters().all(),
            directory.counts(),
            settings.get(Subscriptions.WELCOME_SUBJECT, Subscriptions.DEFAULT_WELCOME_SUBJECT),
            settings.get(Subscriptions.WELCOME_BODY, Subscriptions.DEFAULT_WELCOME_BODY),
            articles.latest(ArticleFilter.ALL, 20, 0),
            smtp),
        status);
  }

  /** Who is acting, for the audit log. */
  private Actor actor(Context ctx) {
    return Actor.of(access.member(ctx).user(), ClientAddress.of(ctx));
  }

  public void create(Context ctx) {
    Actor actor = actor(ctx);
    try {
      subscriptions
          .newsletters()
          .create(
              form(ctx, "name"),
              form(ctx, "slug"),
              form(ctx, "description"),
              form(ctx, "tag"),
              form(ctx, "cadence"),
              actor);
      ctx.redirect("/admin/newsletters?done=saved", HttpStatus.SEE_OTHER);
    } catch (ValidationException e) {
      showOverview(
          ctx,
          Map.of(
              "name", form(ctx, "name"),
              "slug", form(ctx, "slug"),
              "description", form(ctx, "description"),
              "tag", form(ctx, "tag"),
              "cadence", form(ctx, "cadence")),
          e.fieldErrors(),
          422);
    }
  }

  public void update(Context ctx) {
    Actor actor = actor(ctx);
    long id = Forms.pathId(ctx, "id");
    try {
      subscriptions
          .newsletters()
          .update(
              id,
              form(ctx, "name"),
              form(ctx, "description"),
              form(ctx, "tag"),
              form(ctx, "cadence"),
              "1".equals(ctx.formParam("archived")),
              actor);
    } catch (ValidationException e) {
      throw new HttpError(422, "Not saved", String.join(" ", e.fieldErrors().values()));
    }
    ctx.redirect("/admin/newsletters?done=saved", HttpStatus.SEE_OTHER);
  }

  public void saveWelcome(Context ctx) {
    Actor actor = actor(ctx);
    Subscriptions.WelcomeMail welcome =
        new Subscriptions.WelcomeMail(form(ctx, "subject"), form(ctx, "body"));
    try {
      subscriptions.saveWelcome(welcome, actor);
    } catch (ValidationException e) {
      showOverview(
          ctx, Map.of("subject", welcome.subject(), "body", welcome.body()), e.fieldErrors(), 422);
      return;
    }
    ctx.redirect("/admin/newsletters?done=saved", HttpStatus.SEE_OTHER);
  }

  /** Queues one article's mail, as subscribers would get it, to an address the editor gives. */
  public void sendTest(Context ctx) {
    Actor actor = actor(ctx);
    String to = form(ctx, "to").isBlank() ? actor.email() : form(ctx, "to");
    long articleId;
    try {
      articleId = Long.parseLong(form(ctx, "article"));
    } catch (NumberFormatException e) {
      showOverview(ctx, Map.of("to", to), Map.of("article", "Choose an article."), 422);
      return;
    }
    try {
      mailings.sendTest(articleId, to, actor);
    } catch (ValidationException e) {
      showOverview(ctx, Map.of("to", to), e.fieldErrors(), 422);
      return;
    }
    ctx.redirect("/admin/newsletters?done=test-sent", HttpStatus.SEE_OTHER);
  }

  // ---- subscribers ---------------------------------------------------------------------------

  public void subscribers(Context ctx) {
    showSubscribers(ctx, null, false, Map.of(), 200);
  }

  private void showSubscribers(
      Context ctx,
      SubscriberDirectory.ImportReport report,
      boolean dryRun,
      Map<String, String> errors,
      int status) {
    String q = Optional.ofNullable(ctx.queryParam("q")).orElse("");
    String st = Optional.ofNullable(ctx.queryParam("status")).orElse("");
    int page = Pager.parse(ctx.queryParam("page"));
    SubscriberDirectory.Result result = directory.search(q, st, PAGE, (page - 1) * PAGE);
    frame.render(
        ctx,
        "newsletter/newsroom/subscribers.jte",
        new SubscribersPage(
            frame.view(ctx, "Subscribers", "newsletters").withForm(Map.of(), errors),
            result,
            q,
            st,
            page,
            page * PAGE < result.total(),
            report,
            dryRun),
        status);
  }

  public void export(Context ctx) throws IOException {
    // Nothing changes but the log, so the entry is written on its own.
    audit.record(actor(ctx), "subscribers.export", "subscribers", "CSV");
    ctx.header("Cache-Control", "no-store");
    ctx.header("Content-Disposition", "attachment; filename=\"subscribers.csv\"");
    ctx.contentType("text/csv; charset=utf-8");
    java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
    try (Writer out = new OutputStreamWriter(buffer, StandardCharsets.UTF_8)) {
      directory.exportCsv(out);
    }
    ctx.result(buffer.toByteArray());
  }

  public synchronized void importCsv(Context ctx) {
    Actor actor = actor(ctx);
    boolean dryRun = "1".equals(ctx.formParam("dryRun"));
    UploadedFile file = ctx.uploadedFile("file");
    if (file == null) {
      showSubscribers(
          ctx, null, dryRun, Map.of("file", "Choose a CSV file with a header line."), 422);
      return;
    }
    try (var in =
        new java.io.PushbackReader(
            new InputStreamReader(file.content(), StandardCharsets.UTF_8), 1)) {
      int first = in.read();
      if (first != -1 && first != '\uFEFF') {
        in.unread(first); // a spreadsheet's byte-order mark is not part of the header
      }
      SubscriberDirectory.ImportReport report =
          directory.importCsv(in, dryRun, file.filename(), actor);
      showSubscribers(ctx, report, dryRun, Map.of(), 200);
    } catch (ValidationException e) {
      showSubscribers(ctx, null, dryRun, e.fieldErrors(), 422);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void delete(Context ctx) {
    Actor actor = actor(ctx);
    long id = Forms.pathId(ctx, "id");
    if (!directory.delete(id, actor)) {
      throw HttpError.notFound();
    }
    ctx.redirect("/admin/subscribers?done=deleted", HttpStatus.SEE_OTHER);
  }

  public void erase(Context ctx) {
    Actor actor = actor(ctx);
    long id = Forms.pathId(ctx, "id");
    directory.erase(id, actor).orElseThrow(HttpError::notFound);
    ctx.redirect("/admin/subscribers?done=erased", HttpStatus.SEE_OTHER);
  }

  // ---- mailings and the outbox ---------------------------------------------------------------

  public void campaigns(Context ctx) {
    int page = Pager.parse(ctx.queryParam("page"));
    List<Outbox.Campaign> list = outbox.campaigns(PAGE + 1, (page - 1) * PAGE);
    frame.render(
        ctx,
        "newsletter/newsroom/campaigns.jte",
        new CampaignsPage(
            frame.view(ctx, "Mailings", "newsletters"),
            list.subList(0, Math.min(PAGE, list.size())),
            page,
            list.size() > PAGE),
        200);
  }

  private Sessions.Current session(Context ctx) {
    return access.member(ctx);
  }

  public void outbox(Context ctx) {
    String status = Optional.ofNullable(ctx.queryParam("status")).orElse("");
    if (!List.of("", "queued", "sent", "failed").contains(status)) {
      status = "";
    }
    int page = Pager.parse(ctx.queryParam("page"));
    // Editors see newsletter mail only; account mail (password reset and invitation links, sign-up
    // confirmations) is for admins' eyes.
    boolean all = session(ctx).user().can(Role.Permission.SETTINGS);
    List<Outbox.Queued> list = outbox.recent(status, null, !all, PAGE + 1, (page - 1) * PAGE);
    frame.render(
        ctx,
        "newsletter/newsroom/outbox.jte",
        new OutboxPage(
            frame.view(ctx, smtp ? "Outbox" : "Dev outbox", "newsletters"),
            list.subList(0, Math.min(PAGE, list.size())),
            status,
            page,
            list.size() > PAGE,
            smtp),
        200);
  }

  public void message(Context ctx) {
    Outbox.Queued message =
        outbox
            .byId(Forms.pathId(ctx, "id"))
            .filter(q -> q.campaign() != null || session(ctx).user().can(Role.Permission.SETTINGS))
            .orElseThrow(HttpError::notFound);
    frame.render(
        ctx,
        "newsletter/newsroom/outbox-message.jte",
        new MessagePage(frame.view(ctx, message.message().subject(), "newsletters"), message),
        200);
  }
}
