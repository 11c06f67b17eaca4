package org.broadsheet.newsletter;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.captcha.HumanCheck;
import org.broadsheet.site.Chrome;
import org.broadsheet.site.Section;
import org.broadsheet.site.SiteChrome;
import org.broadsheet.support.ValidationException;
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
      String workerUrl,
      List<Newsletter> newsletters,
      List<Long> chosenNewsletters,
      List<Long> chosenSections) {

    public String value(String field) {
      return values.getOrDefault(field, "");
    }

    public String error(String field) {
      return errors.getOrDefault(field, "");
    }

    public boolean chose(Newsletter n) {
      return chosenNewsletters.contains(n.id()) || newsletters.size() == 1;
    }

    public boolean chose(Section s) {
      return chosenSections.contains(s.id());
    }
  }

  /** The preferences page of one subscriber (reached by the signed link in every mail). */
  public record PreferencesPage(
      Chrome chrome,
      Subscriber subscriber,
      String token,
      List<Newsletter> newsletters,
      List<Section> sections,
      Subscriptions.Choices choices,
      Map<String, String> errors,
      String notice,
      String unsubscribeUrl) {

    public boolean chose(Newsletter n) {
      return choices.newsletters().contains(n.id());
    }

    public boolean chose(Section s) {
      return choices.sections().contains(s.id());
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
  private final java.util.function.Supplier<List<Section>> sections;
  private final String workerUrl;

  public NewsletterPages(
      Subscriptions subscriptions,
      HumanCheck humanCheck,
      SiteChrome chrome,
      Templates templates,
      java.util.function.Supplier<List<Section>> sections,
      String workerUrl) {
    this.subscriptions = subscriptions;
    this.humanCheck = humanCheck;
    this.chrome = chrome;
    this.templates = templates;
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

  /** The answer to a forged, mangled or unknown link. */
  private void invalidLink(Context ctx) {
    message(ctx, "This link is not valid", "Copy the whole link from the mail.", 400);
  }

  /** A page with one message and no button. */
  private void message(Context ctx, String heading, String text, int status) {
    send(
        ctx,
        "newsletter/message.jte",
        new MessagePage(chrome.chrome(heading, "", "/subscribe", ""), heading, text, "", "", ""),
        status);
  }

  private FormPage form(
      Map<String, String> values,
      Map<String, String> errors,
      List<Long> chosenNewsletters,
      List<Long> chosenSections) {
    return new FormPage(
        chrome.chrome("Subscribe", "", "/subscribe", ""),
        values,
        errors,
        sections.get(),
        workerUrl,
        subscriptions.newsletters().open(),
        chosenNewsletters,
        chosenSections);
  }

  /** Newsletter ids from the form; anything not a number is dropped (and so not chosen). */
  private static List<Long> ids(List<String> raw) {
    return raw.stream().filter(v -> v.matches("[0-9]{1,18}")).map(Long::parseLong).toList();
  }

  /** Section ids from the slugs in the form ({@code section}, any number of times). */
  private List<Long> sectionIds(List<String> slugs) {
    return sections.get().stream().filter(s -> slugs.contains(s.slug())).map(Section::id).toList();
  }

  public void form(Context ctx) {
    Map<String, String> values = new LinkedHashMap<>();
    String email = ctx.queryParam("email");
    if (email != null && email.length() <= 254) {
      values.put("email", email.strip());
    }
    List<Long> chosen =
        subscriptions.newsletters().open().stream()
            .filter(n -> n.slug().equals(ctx.queryParam("newsletter")))
            .map(Newsletter::id)
            .toList();
    send(ctx, "newsletter/subscribe.jte", form(values, Map.of(), chosen, List.of()), 200);
  }

  public void subscribe(Context ctx) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String f : List.of("email", "name", "frequency")) {
      values.put(f, Optional.ofNullable(ctx.formParam(f)).orElse(""));
    }
    List<Long> letters = ids(ctx.formParams("newsletter"));
    List<Long> parts = sectionIds(ctx.formParams("section"));
    String answer = ctx.formParam(humanCheck.fieldName());
    if (answer == null
        || !humanCheck
            .verify(answer, "subscribe", org.broadsheet.web.ClientAddress.of(ctx))
            .isPassed()) {
      send(
          ctx,
          "newsletter/subscribe.jte",
          form(
              values,
              Map.of(
                  "check",
                  "The automatic check did not finish or has expired. Wait for it to finish, then press Subscribe again."),
              letters,
              parts),
          422);
      return;
    }
    try {
      subscriptions.subscribe(
          values.get("email"),
          values.get("name"),
          new Subscriptions.Choices(letters, values.get("frequency"), parts),
          org.broadsheet.web.ClientAddress.network(ctx));
    } catch (ValidationException e) {
      send(ctx, "newsletter/subscribe.jte", form(values, e.fieldErrors(), letters, parts), 422);
      return;
    } catch (Subscriptions.RateLimited e) {
      ctx.header("Retry-After", "3600");
      send(
          ctx,
          "newsletter/subscribe.jte",
          form(values, Map.of("email", e.getMessage()), letters, parts),
          429);
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

  public void preferencesPage(Context ctx) {
    String token = ctx.queryParam("token");
    Optional<Subscriber> target = subscriptions.preferencesTarget(token);
    if (target.isEmpty()) {
      invalidLink(ctx);
      return;
    }
    preferences(
        ctx, target.get(), token, subscriptions.choicesOf(target.get().id()), Map.of(), "", 200);
  }

  private void preferences(
      Context ctx,
      Subscriber s,
      String token,
      Subscriptions.Choices choices,
      Map<String, String> errors,
      String notice,
      int status) {
    if (!s.confirmed()) {
      message(
          ctx,
          "You are not subscribed",
          "Nothing is sent to " + s.email() + ". To receive the newsletter again, sign up anew.",
          status == 200 ? 200 : status);
      return;
    }
    send(
        ctx,
        "newsletter/preferences.jte",
        new PreferencesPage(
            chrome.chrome("Your newsletter choices", "", "/subscribe", ""),
            s,
            token,
            subscriptions.newsletters().open(),
            sections.get(),
            choices,
            errors,
            notice,
            "/newsletter/unsubscribe?token="
                + java.net.URLEncoder.encode(
                    subscriptions.unsubscribeToken(s.id()),
                    java.nio.charset.StandardCharsets.UTF_8)),
        status);
  }

  public void savePreferences(Context ctx) {
    String token = ctx.formParam("token");
    Optional<Subscriber> target = subscriptions.preferencesTarget(token);
    if (target.isEmpty()) {
      invalidLink(ctx);
      return;
    }
    Subscriptions.Choices wanted =
        new Subscriptions.Choices(
            ids(ctx.formParams("newsletter")),
            Optional.ofNullable(ctx.formParam("frequency")).orElse(""),
            sectionIds(ctx.formParams("section")));
    try {
      Subscriber s = subscriptions.savePreferences(token, wanted);
      preferences(
          ctx, s, token, subscriptions.choicesOf(s.id()), Map.of(), "Your choices are saved.", 200);
    } catch (ValidationException e) {
      preferences(ctx, target.get(), token, wanted, e.fieldErrors(), "", 422);
    }
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
        "Welcome. Every mail has a link to change what you receive and to unsubscribe with one click.",
        200);
  }

  public void unsubscribePage(Context ctx) {
    String token = ctx.queryParam("token");
    Optional<Subscriber> target = subscriptions.unsubscribeTarget(token);
    if (target.isEmpty()) {
      invalidLink(ctx);
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
      invalidLink(ctx);
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
