package org.broadsheet.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebAddressTest {

  @Test
  void onlyPlainWebAddressesBecomeLinks() {
    assertThat(WebAddress.orEmpty(" https://example.org/page "))
        .isEqualTo("https://example.org/page");
    assertThat(WebAddress.orEmpty("HTTP://EXAMPLE.ORG")).isEqualTo("HTTP://EXAMPLE.ORG");
    for (String bad :
        new String[] {
          "javascript:alert(1)",
          "JavaScript:alert(1)",
          "data:text/html,<script>",
          "vbscript:x",
          "//example.org",
          "https://exa mple.org",
          "https://example.org/\"onmouseover=x",
          "https://example.org/\u0000",
          "https://" + "a".repeat(600),
          "",
        }) {
      assertThat(WebAddress.orEmpty(bad)).as(bad).isEmpty();
    }
    assertThat(WebAddress.orEmpty(null)).isEmpty();
  }
}
