package org.broadsheet.newsletter;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.article.Section;
import org.broadsheet.captcha.HumanCheck;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.Chrome;
import org.broadsheet.web.SiteChrome;
import org.broadsheet.web.Templates;

/**
 * {@code /subscribe} (the form, protected by the human check and per-network limits), the
 * confirmation page whose button confirms, and the unsubscribe page, which also takes RFC 8058
 * one-click POSTs from mail providers. Never cached. Thread-safe.
 */
public final class NewsletterPages {

  /** The sign-up form, with what was typed and any errors. */
  public record FormPage(
      Chrome chrome,
      Map<String, String> values,
      Map<String, String> errors,
      List<Section> sections,
      String workerUrl) {

    public String value(String field) {
      return values.getOrDefault(field, "");
    }

    public String error(String field) {
      return errors.getOrDefault(field, "");
    }
  }

  /** A one-message page, optionally with one button that POSTs the token. */
  public record MessagePage(
      Chrome chrome, String heading, String message, String action, String token, String button) {}

  private final Subscriptions subscriptions;
  private final HumanCheck humanCheck;
  private final SiteChrome chrome;
  private final Templates templates;
  private final java.util.function.Function<Context, String> clientIp;
  private final java.util.function.Supplier<List<Section>> sections;
  private final String workerUrl;

  public NewsletterPages(
      Subscriptions subscriptions,
      HumanCheck humanCheck,
      SiteChrome chrome,
      Templates templates,
      java.util.function.Function<Context, String> clientIp,
      java.util.function.Supplier<List<Section>> sections,
      String workerUrl) {
    this.subscriptions = subscriptions;
    this.humanCheck = humanCheck;
    this.chrome = chrome;
    this.templates = templates;
    this.clientIp = clientIp;
    this.sections = sections;
    this.workerUrl = workerUrl;
  }

  private void send(Context ctx, String template, Object page, int status) {
    ctx.status(status);
    ctx.header("Cache-Control", "private, no-store");
    ctx.header("X-Robots-Tag", "noindex");
    ctx.contentType("text/html; charset=utf-8");
    ctx.result(templates.render(template, page));
  }

  /** A page with one message and no button. */
  private void message(Context ctx, String heading, String text, int status) {
    send(
        ctx,
        "newsletter/message.jte",
        new MessagePage(chrome.chrome(heading, "", "/subscribe", ""), heading, text, "", "", ""),
        status);
  }

  private FormPage form(Map<String, String> values, Map<String, String> errors) {
    return new FormPage(
        chrome.chrome("Subscribe", "", "/subscribe", ""),
        values,
        errors,
        sections.get(),
        workerUrl);
  }

  public void form(Context ctx) {
    Map<String, String> values = new LinkedHashMap<>();
    String email = ctx.queryParam("email");
    if (email != null && email.length() <= 254) {
      values.put("email", email.strip());
    }
    send(ctx, "newsletter/subscribe.jte", form(values, Map.of()), 200);
  }

  public void subscribe(Context ctx) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String f : List.of("email", "name", "frequency", "section")) {
      values.put(f, Optional.ofNullable(ctx.formParam(f)).orElse(""));
    }
    String answer = ctx.formParam(humanCheck.fieldName());
    if (answer == null || !humanCheck.verify(answer, "subscribe", clientIp.apply(ctx)).isPassed()) {
      send(
          ctx,
          "newsletter/subscribe.jte",
          form(
              values,
              Map.of(
                  "check",
                  "The automatic check did not finish or has expired. Wait for it to finish, then press Subscribe again.")),
          422);
      return;
    }
    Long sectionId =
        sections.get().stream()
            .filter(s -> s.slug().equals(values.get("section")))
            .map(Section::id)
            .findFirst()
            .orElse(null);
    try {
      subscriptions.subscribe(
          values.get("email"),
          values.get("name"),
          values.get("frequency"),
          sectionId,
          org.broadsheet.support.IpAddresses.block(clientIp.apply(ctx)));
    } catch (ValidationException e) {
      send(ctx, "newsletter/subscribe.jte", form(values, e.fieldErrors()), 422);
      return;
    } catch (Subscriptions.RateLimited e) {
      ctx.header("Retry-After", "3600");
      send(ctx, "newsletter/subscribe.jte", form(values, Map.of("email", e.getMessage())), 429);
      return;
    }
    message(
        ctx,
        "Check your inbox",
        "If the address can receive mail, a message with a confirmation link is on its way to "
            + values.get("email").strip()
            + ". Nothing is sent until you confirm.",
        200);
  }

  public void confirmPage(Context ctx) {
    confirmPage(ctx, ctx.queryParam("token"));
  }

  private void confirmPage(Context ctx, String token) {
    switch (subscriptions.confirmState(token)) {
      case VALID ->
          send(
              ctx,
              "newsletter/message.jte",
              new MessagePage(
                  chrome.chrome("Confirm", "", "/subscribe", ""),
                  "Confirm your subscription",
                  "Press the button to start receiving the newsletter.",
                  "/newsletter/confirm",
                  token,
                  "Confirm my subscription"),
              200);
      case EXPIRED ->
          message(
              ctx,
              "This link has expired",
              "Confirmation links work for two days. Sign up again and use the new link.",
              410);
      default ->
          message(
              ctx,
              "This link is not valid",
              "Copy the whole link from the mail, or sign up again.",
              400);
    }
  }

  public void confirm(Context ctx) {
    String token = ctx.formParam("token");
    Optional<Subscriber> confirmed = subscriptions.confirm(token);
    if (confirmed.isEmpty()) {
      confirmPage(ctx, token);
      return;
    }
    message(
        ctx,
        "You are subscribed",
        "Welcome. Every mail has a link to unsubscribe with one click.",
        200);
  }

  public void unsubscribePage(Context ctx) {
    String token = ctx.queryParam("token");
    Optional<Subscriber> target = subscriptions.unsubscribeTarget(token);
    if (target.isEmpty()) {
      message(ctx, "This link is not valid", "Copy the whole link from the mail.", 400);
      return;
    }
    if (target.get().status().equals("unsubscribed")) {
      message(
          ctx,
          "You are unsubscribed",
          "Nothing more will be sent to " + target.get().email() + ".",
          200);
      return;
    }
    send(
        ctx,
        "newsletter/message.jte",
        new MessagePage(
            chrome.chrome("Unsubscribe", "", "/subscribe", ""),
            "Unsubscribe",
            "Press the button to stop mail to " + target.get().email() + ".",
            "/newsletter/unsubscribe?token="
                + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8),
            token,
            "Unsubscribe"),
        200);
  }

  /**
   * The button, and RFC 8058 one-click POSTs (token in the address, body
   * List-Unsubscribe=One-Click).
   */
  public void unsubscribe(Context ctx) {
    String token = ctx.queryParam("token");
    if (token == null) {
      token = ctx.formParam("token");
    }
    Optional<Subscriber> done = subscriptions.unsubscribe(token);
    if (done.isEmpty()) {
      message(ctx, "This link is not valid", "Copy the whole link from the mail.", 400);
      return;
    }
    message(
        ctx,
        "You are unsubscribed",
        "Nothing more will be sent to "
            + done.get().email()
            + ". Changed your mind? Sign up again at any time.",
        200);
  }
}
