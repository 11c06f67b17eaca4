package org.broadsheet.article;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.broadsheet.account.Actor;
import org.broadsheet.newsroom.NewsroomAccess;
import org.broadsheet.newsroom.NewsroomFrame;
import org.broadsheet.newsroom.NewsroomView;
import org.broadsheet.site.Section;
import org.broadsheet.support.ValidationException;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.HttpError;

/**
 * The newsroom's arrangement of the fronts: the home page's lead and featured stories and the order
 * of its section blocks, and each section's lead and featured stories; with a preview of the home
 * page before saving. Plain selects and number fields, so it works with the keyboard and on a
 * phone. Editors and admins. Thread-safe.
 */
public final class FrontPages {

  /** The form: which front, the choices for each place, the sections and what is set now. */
  public record Page(
      NewsroomView view,
      Section section,
      List<Section> sections,
      List<FrontCandidate> candidates,
      Map<Integer, Long> picks) {

    /** The story chosen for a slot, as the form shows it ("" when the newest fills it). */
    public String picked(int slot) {
      String typed = view.value("slot" + slot);
      if (!typed.isEmpty() || !view.errors().isEmpty()) {
        return typed;
      }
      Long id = picks.get(slot);
      return id == null ? "" : Long.toString(id);
    }

    /** A section's place in the home page's order, as the form shows it. */
    public String place(Section s, int index) {
      String typed = view.value("order-" + s.id());
      return typed.isEmpty() ? Integer.toString(index + 1) : typed;
    }
  }

  private final ArticleService articles;
  private final ArticlePages pages;
  private final NewsroomAccess access;
  private final NewsroomFrame frame;

  public FrontPages(
      ArticleService articles, ArticlePages pages, NewsroomAccess access, NewsroomFrame frame) {
    this.articles = articles;
    this.pages = pages;
    this.access = access;
    this.frame = frame;
  }

  public void page(Context ctx) {
    show(ctx, section(ctx.queryParam("section")), Map.of(), Map.of(), 200);
  }

  private Section section(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    return articles.sections().stream()
        .filter(s -> Long.toString(s.id()).equals(raw.strip()))
        .findFirst()
        .orElseThrow(
            () -> new HttpError(404, "No such section", "There is no section " + raw + "."));
  }

  private void show(
      Context ctx,
      Section section,
      Map<String, String> values,
      Map<String, String> errors,
      int status) {
    Long id = section == null ? null : section.id();
    frame.render(
        ctx,
        "article/newsroom/front.jte",
        new Page(
            frame
                .view(ctx, section == null ? "Front page" : section.name() + " front", "front")
                .withForm(values, errors),
            section,
            articles.sections(),
            articles.frontCandidates(id),
            articles.frontPicks(id)),
        status);
  }

  /** The picks the form sent: slot → story, empty slots left out. */
  private static Map<Integer, Long> picks(Context ctx, Map<String, String> errors) {
    Map<Integer, Long> picks = new LinkedHashMap<>();
    for (int slot = 0; slot < ArticleService.FRONT_SLOTS; slot++) {
      String raw = Optional.ofNullable(ctx.formParam("slot" + slot)).orElse("").strip();
      if (raw.isEmpty()) {
        continue;
      }
      try {
        picks.put(slot, Long.parseLong(raw));
      } catch (NumberFormatException e) {
        errors.put("slot" + slot, "Choose a story from the list.");
      }
    }
    return picks;
  }

  /** The home page's section order the form sent (by the numbers given), empty for a section. */
  private List<Long> order(Context ctx, Section section, Map<String, String> errors) {
    if (section != null) {
      return List.of();
    }
    List<Map.Entry<Integer, Long>> places = new ArrayList<>();
    for (Section s : articles.sections()) {
      String raw = Optional.ofNullable(ctx.formParam("order-" + s.id())).orElse("").strip();
      try {
        places.add(Map.entry(Integer.parseInt(raw), s.id()));
      } catch (NumberFormatException e) {
        errors.put("order", "Give every section a number: 1 comes first.");
      }
    }
    places.sort(Map.Entry.comparingByKey());
    return places.stream().map(Map.Entry::getValue).toList();
  }

  private static Map<String, String> typed(Context ctx) {
    Map<String, String> values = new LinkedHashMap<>();
    ctx.formParamMap().forEach((k, v) -> values.put(k, v.isEmpty() ? "" : v.getFirst()));
    return values;
  }

  public void save(Context ctx) {
    var session = access.member(ctx);
    Section section = section(ctx.formParam("section"));
    Map<String, String> errors = new LinkedHashMap<>();
    Map<Integer, Long> picks = picks(ctx, errors);
    List<Long> order = order(ctx, section, errors);
    try {
      if (!errors.isEmpty()) {
        throw new ValidationException(errors);
      }
      articles.arrangeFront(
          section == null ? null : section.id(),
          picks,
          order,
          Actor.of(session.user(), ClientAddress.of(ctx)));
    } catch (ValidationException e) {
      show(ctx, section, typed(ctx), e.fieldErrors(), 422);
      return;
    }
    ctx.redirect(
        "/admin/front?done=front" + (section == null ? "" : "&section=" + section.id()),
        HttpStatus.SEE_OTHER);
  }

  /** The home page with the unsaved arrangement, for a look before saving. */
  public void preview(Context ctx) {
    access.member(ctx);
    Map<String, String> errors = new LinkedHashMap<>();
    Map<Integer, Long> picks = picks(ctx, errors);
    List<Long> order = order(ctx, null, errors);
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Robots-Tag", "noindex");
    ctx.contentType("text/html; charset=utf-8");
    ctx.result(pages.previewHome(picks, order));
  }
}
