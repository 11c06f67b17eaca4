package org.broadsheet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PagerTest {

  @Test
  void missingMeansTheFirstPage() {
    assertThat(Pager.parse(null)).isEqualTo(1);
    assertThat(Pager.parse("")).isEqualTo(1);
    assertThat(Pager.parse("7")).isEqualTo(7);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "0", "abc", "99999999999", "1.5", "1e3", " 2", "01"})
  void malformedPageNumbersAreA400WithAClearMessage(String raw) {
    assertThatThrownBy(() -> Pager.parse(raw))
        .isInstanceOfSatisfying(
            HttpError.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).contains("whole number");
            });
  }

  @Test
  void aPageBeyondTheLastIsA404() {
    assertThatThrownBy(() -> Pager.of(4, 30, 12, "/x"))
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(404));
    Pager pager = Pager.of(3, 30, 12, "/x");
    assertThat(pager.hasNext()).isFalse();
    assertThat(pager.previousUrl()).isEqualTo("/x?page=2");
    assertThat(Pager.of(2, 30, 12, "/x").previousUrl()).isEqualTo("/x");
  }
}
