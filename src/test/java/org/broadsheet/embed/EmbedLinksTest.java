package org.broadsheet.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which links become embeds, and the frame each one gets. */
class EmbedLinksTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ|YOUTUBE|https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ|WIDE",
        "https://youtu.be/dQw4w9WgXcQ?t=1m30s|YOUTUBE|https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90|WIDE",
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=42|YOUTUBE|https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=42|WIDE",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ|YOUTUBE|https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ|TALL",
        "https://vimeo.com/76979871|VIMEO|https://player.vimeo.com/video/76979871?dnt=1|WIDE",
        "https://vimeo.com/76979871/8272103f6e|VIMEO|https://player.vimeo.com/video/76979871?dnt=1&h=8272103f6e|WIDE",
        "https://x.com/newsdesk/status/1850000000000000000|X|https://platform.twitter.com/embed/Tweet.html?dnt=true&id=1850000000000000000|POST",
        "https://twitter.com/newsdesk/status/20|X|https://platform.twitter.com/embed/Tweet.html?dnt=true&id=20|POST",
        "https://www.instagram.com/p/C1a2B3c4D5e/|INSTAGRAM|https://www.instagram.com/p/C1a2B3c4D5e/embed/|POST",
        "https://www.instagram.com/reel/C1a2B3c4D5e/|INSTAGRAM|https://www.instagram.com/reel/C1a2B3c4D5e/embed/|POST",
        "https://www.facebook.com/citycouncil/posts/1234567890|FACEBOOK|https://www.facebook.com/plugins/post.php?show_text=true&href=https%3A%2F%2Fwww.facebook.com%2Fcitycouncil%2Fposts%2F1234567890|POST",
        "https://www.facebook.com/citycouncil/videos/1234567890/|FACEBOOK|https://www.facebook.com/plugins/video.php?show_text=false&href=https%3A%2F%2Fwww.facebook.com%2Fcitycouncil%2Fvideos%2F1234567890%2F|WIDE",
        "https://www.tiktok.com/@harbourdesk/video/7234567890123456789|TIKTOK|https://www.tiktok.com/embed/v2/7234567890123456789|TALL",
        "https://t.me/harbourdesk/1234|TELEGRAM|https://t.me/harbourdesk/1234?embed=1|POST",
        "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC|SPOTIFY|https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC|AUDIO",
        "https://open.spotify.com/intl-de/album/4uLU6hMCjMI75M1A2tKUQC|SPOTIFY|https://open.spotify.com/embed/album/4uLU6hMCjMI75M1A2tKUQC|PLAYLIST",
        "https://soundcloud.com/harbour-radio/morning-tide|SOUNDCLOUD|https://w.soundcloud.com/player/?visual=false&url=https%3A%2F%2Fsoundcloud.com%2Fharbour-radio%2Fmorning-tide|AUDIO",
        "https://www.google.com/maps/place/Harbour+Bridge/@51.5074,-0.1278,14z|GOOGLE_MAPS|https://maps.google.com/maps?output=embed&q=Harbour+Bridge&z=14|MAP",
        "https://www.google.com/maps/@51.5074,-0.1278,12z|GOOGLE_MAPS|https://maps.google.com/maps?output=embed&q=51.5074%2C-0.1278&z=12|MAP",
        "https://maps.google.com/?q=Old+Town+Square|GOOGLE_MAPS|https://maps.google.com/maps?output=embed&q=Old+Town+Square|MAP",
        "https://datawrapper.dwcdn.net/AbC12/3/|DATAWRAPPER|https://datawrapper.dwcdn.net/AbC12/3/|CHART",
        "https://www.datawrapper.de/_/AbC12/|DATAWRAPPER|https://datawrapper.dwcdn.net/AbC12/|CHART",
        "https://public.flourish.studio/visualisation/1234567/|FLOURISH|https://flo.uri.sh/visualisation/1234567/embed|CHART",
      })
  void recognisesEachProvidersLinks(
      String link, Provider provider, String frame, Embed.Shape shape) {
    Embed embed = EmbedLinks.recognize(link).orElseThrow();
    assertThat(embed.provider()).isEqualTo(provider);
    assertThat(embed.frameSrc()).isEqualTo(frame);
    assertThat(embed.shape()).isEqualTo(shape);
    assertThat(embed.frameSrc()).startsWith(provider.frameOrigin() + "/");
  }

  @Test
  void aLinkAloneInItsParagraphIsFoundWhetherBareLinkedOrFromAWordPressEmbedBlock() {
    String body =
        "<p>https://vimeo.com/76979871</p>"
            + "<p><a href=\"https://youtu.be/dQw4w9WgXcQ\" rel=\"noopener\">https://youtu.be/dQw4w9WgXcQ</a></p>"
            + "<figure><div>\nhttps://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC\n</div></figure>"
            + "<p>See https://vimeo.com/1 for more</p>"
            + "<p><a href=\"https://vimeo.com/2\">the second film</a></p>"
            + "<ul><li>https://vimeo.com/3</li></ul>";
    assertThat(EmbedCards.find(body).stream().map(e -> e.provider()))
        .containsExactly(Provider.VIMEO, Provider.YOUTUBE, Provider.SPOTIFY);
  }

  @Test
  void openStreetMapShowsTheLinkedAreaWithItsMarker() {
    Embed embed =
        EmbedLinks.recognize(
                "https://www.openstreetmap.org/?mlat=51.5&mlon=-0.12#map=15/51.5/-0.12")
            .orElseThrow();
    assertThat(embed.provider()).isEqualTo(Provider.OPENSTREETMAP);
    assertThat(embed.frameSrc())
        .startsWith("https://www.openstreetmap.org/export/embed.html?bbox=-0.1")
        .contains("&layer=mapnik&marker=51.5%2C-0.12");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://example.org/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/channel/UC123",
        "https://www.youtube.com/watch?v=<script>alert(1)</script>",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\"onload=\"x",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://user@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
        "ftp://vimeo.com/76979871",
        "https://x.com/home",
        "https://soundcloud.com/discover/sets",
        "https://www.facebook.com/citycouncil",
        "https://t.me/joinchat",
        "https://www.google.com/maps",
        "https://www.openstreetmap.org/",
        "not a link at all",
        ""
      })
  void anythingElseStaysALink(String text) {
    assertThat(EmbedLinks.recognize(text)).isEqualTo(Optional.empty());
  }
}
