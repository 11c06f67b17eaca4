package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.broadsheet.account.Role;
import org.broadsheet.article.ArticleDraft;
import org.broadsheet.article.ArticleStatus;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The newsroom's article list, on both databases: sorted by last change (the date shown is that
 * change), by publication or by headline, in pages of 50 with the filters kept from page to page;
 * and the audit log in words and the site's time.
 */
class ArticleListIT {

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theListSortsAndPagesAndTheAuditLogSpeaksInWords(Backend backend) {
    try (TestApp site = TestApp.start(backend, true)) {
      for (int i = 0; i < 25; i++) {
        site.app()
            .articles()
            .create(
                new ArticleDraft(
                    "",
                    "city",
                    "Harbour note number " + i,
                    "",
                    "A short note.",
                    ArticleStatus.DRAFT,
                    null,
                    List.of("ines-varga"),
                    List.of(),
                    null));
      }
      site.app().accounts().create("ed@example.org", "Ed", NewsroomIT.PASSWORD, Role.EDITOR, null);
      Browserless ed = NewsroomIT.client(site);
      ed.signIn("ed@example.org", NewsroomIT.PASSWORD);

      Document first = Jsoup.parse(ed.get("/admin/articles?sort=headline").body());
      List<String> headlines = first.select(".admin-table tbody td:nth-child(2) a").eachText();
      assertThat(headlines).hasSize(50);
      List<String> sorted = new ArrayList<>(headlines);
      sorted.sort(Comparator.comparing(h -> h.toLowerCase(Locale.ROOT)));
      assertThat(headlines).isEqualTo(sorted);
      String older = first.selectFirst("a[rel=next]").attr("href");
      assertThat(older).contains("page=2", "sort=headline");
      Document second = Jsoup.parse(ed.get(older).body());
      List<String> rest = second.select(".admin-table tbody td:nth-child(2) a").eachText();
      assertThat(rest).hasSizeGreaterThanOrEqualTo(7).doesNotContainAnyElementsOf(headlines);
      assertThat(second.select("a[rel=next]")).isEmpty();

      Document changed = Jsoup.parse(ed.get("/admin/articles").body());
      assertThat(changed.select(".admin-table thead th").eachText()).contains("Last changed");
      assertThat(changed.selectFirst(".admin-table tbody td:nth-child(2) a").text())
          .isEqualTo("Harbour note number 24");
      Document published = Jsoup.parse(ed.get("/admin/articles?sort=published").body());
      assertThat(published.select(".admin-table thead th").eachText()).contains("Published");

      ed.post("/admin/articles", NewsroomIT.article("Tide tables for the week", "publish"));
      site.app().accounts().create("ada@example.org", "Ada", NewsroomIT.PASSWORD, Role.ADMIN, null);
      Browserless ada = NewsroomIT.client(site);
      ada.signIn("ada@example.org", NewsroomIT.PASSWORD);
      Document audit = Jsoup.parse(ada.get("/admin/audit").body());
      assertThat(audit.text()).contains("wrote and published a story", "signed in");
      assertThat(audit.selectFirst("tbody time").text()).matches(".*\\d{4}, \\d{2}:\\d{2}.*");
    }
  }
}
