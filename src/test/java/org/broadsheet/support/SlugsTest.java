package org.broadsheet.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlugsTest {

  @Test
  void makesReadableAsciiSlugsFromAnyText() {
    assertThat(Slugs.slugify("Council passes budget, 23–18!"))
        .isEqualTo("council-passes-budget-23-18");
    assertThat(Slugs.slugify("Zoë's café in Østra")).isEqualTo("zoes-cafe-in-ostra");
    assertThat(Slugs.slugify("Київ готується до зими")).isEqualTo("kyiv-hotuietsia-do-zymy");
    assertThat(Slugs.slugify("Łódź")).isEqualTo("lodz");
    assertThat(Slugs.slugify("!!!")).isEmpty();
  }

  @Test
  void longTextIsCutAtAWordBoundary() {
    String slug = Slugs.slugify("word ".repeat(60));
    assertThat(slug.length()).isLessThanOrEqualTo(Slugs.MAX_LENGTH);
    assertThat(slug).doesNotEndWith("-").endsWith("word");
  }

  @Test
  void validatesSlugsFromUrls() {
    assertThat(Slugs.isValid("harbour-dredging-2026")).isTrue();
    assertThat(Slugs.isValid("Harbour")).isFalse();
    assertThat(Slugs.isValid("a--b")).isFalse();
    assertThat(Slugs.isValid("-a")).isFalse();
    assertThat(Slugs.isValid("../etc")).isFalse();
    assertThat(Slugs.isValid("a".repeat(121))).isFalse();
    assertThat(Slugs.isValid("")).isFalse();
    assertThat(Slugs.isValid(null)).isFalse();
  }
}
