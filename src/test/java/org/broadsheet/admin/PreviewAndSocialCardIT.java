package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.broadsheet.account.Role;
import org.broadsheet.article.Article;
import org.broadsheet.media.Media;
import org.broadsheet.media.TestImages;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.TestApp;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/**
 * A draft's preview says it is a draft and shows what readers will get (the comment form, a More
 * Articles list); a story's social card (title, description, image of its own) goes into its
 * OpenGraph and Twitter tags, is previewed in the editor, and takes only library images.
 */
class PreviewAndSocialCardIT {

  @Test
  void aDraftsPreviewIsMarkedAndTheSocialCardIsItsOwn() {
    try (TestApp site = TestApp.start(Backend.SQLITE, true)) {
      site.app().accounts().create("ed@example.org", "Ed", NewsroomIT.PASSWORD, Role.EDITOR, null);
      Media card =
          site.app()
              .media()
              .upload(
                  "card.jpg",
                  new ByteArrayInputStream(TestImages.jpeg(1200, 630)),
                  "The quay at dusk",
                  "",
                  null);
      Browserless ed = NewsroomIT.client(site);
      ed.signIn("ed@example.org", NewsroomIT.PASSWORD);
      ed.get("/admin/articles/new");
      Map<String, Object> form =
          new HashMap<>(NewsroomIT.article("Night ferry trial begins", "save"));
      form.put("socialTitle", "The night ferry is back — for a trial");
      form.put("socialDescription", "Six weeks of late sailings start on Friday.");
      form.put("socialImage", "https://tracker.example/pixel.jpg");
      HttpResponse<String> refused = ed.post("/admin/articles", form);
      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(refused.body()).contains("Choose the social image from the media library");

      form.put("socialImage", card.url());
      long id = NewsroomIT.idFrom(ed.post("/admin/articles", form));
      Document editor = Jsoup.parse(ed.get("/admin/articles/" + id).body());
      assertThat(editor.selectFirst(".social-card-title").text())
          .isEqualTo("The night ferry is back — for a trial");

      Document preview = Jsoup.parse(ed.get("/admin/articles/" + id + "/preview").body());
      assertThat(preview.selectFirst(".preview-banner").text())
          .contains("this story is draft", "readers cannot see it");
      assertThat(preview.select("form#respond")).hasSize(1);
      assertThat(preview.select(".comments-closed")).isEmpty();
      assertThat(preview.select(".more-articles a")).isNotEmpty();

      form.put("action", "publish");
      form.put("slug", site.app().articles().byId(id).orElseThrow().slug());
      assertThat(ed.post("/admin/articles/" + id, form).statusCode()).isEqualTo(303);
      Article published = site.app().articles().byId(id).orElseThrow();
      Document page = Jsoup.parse(site.get(site.path(published)).body());
      assertThat(page.selectFirst("meta[property=og:title]").attr("content"))
          .isEqualTo("The night ferry is back — for a trial");
      assertThat(page.selectFirst("meta[name=twitter:title]").attr("content"))
          .isEqualTo("The night ferry is back — for a trial");
      assertThat(page.selectFirst("meta[property=og:description]").attr("content"))
          .isEqualTo("Six weeks of late sailings start on Friday.");
      assertThat(page.selectFirst("meta[property=og:image]").attr("content"))
          .startsWith("http")
          .endsWith(card.url());
      assertThat(page.selectFirst("meta[name=twitter:card]").attr("content"))
          .isEqualTo("summary_large_image");
      assertThat(page.select(".preview-banner")).isEmpty();
      // The page's own title stays the headline (search engines use the search title).
      assertThat(page.selectFirst("h1").text()).isEqualTo("Night ferry trial begins");
    }
  }
}
