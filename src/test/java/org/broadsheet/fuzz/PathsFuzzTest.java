package org.broadsheet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.broadsheet.support.IpAddresses;
import org.broadsheet.support.Slugs;
import org.broadsheet.web.Forms;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.Pager;

/**
 * What comes from addresses and headers: slugs, ids, page numbers, IP addresses and ranges, the
 * forwarding headers. Never a fault, and every result is of the shape the site relies on.
 */
class PathsFuzzTest {

  private static final List<IpAddresses.Range> PROXIES =
      List.of(
          IpAddresses.range("127.0.0.1").orElseThrow(),
          IpAddresses.range("10.0.0.0/8").orElseThrow());

  @FuzzTest(maxDuration = "3s")
  void pathsAndHeadersParseToSafeShapes(byte[] input) {
    // Two texts, split at the first NUL: an address part and a header value.
    String all = new String(input, java.nio.charset.StandardCharsets.UTF_8);
    int split = all.indexOf('\u0000');
    String a = split < 0 ? all : all.substring(0, split);
    String b = split < 0 ? "" : all.substring(split + 1);
    String slug = Slugs.slugify(a);
    assertThat(slug.isEmpty() || Slugs.isValid(slug)).as("slug of %s: %s", a, slug).isTrue();
    if (Slugs.isValid(a)) {
      assertThat(a).matches("[a-z0-9-]+");
    }
    Forms.parseId(a).ifPresent(id -> assertThat(id).isPositive());
    try {
      assertThat(Pager.parse(a)).isPositive();
    } catch (HttpError e) {
      assertThat(e.status()).isEqualTo(400); // the documented answer to a bad page number
    }
    IpAddresses.parse(a);
    IpAddresses.range(a);
    IpAddresses.block(a);
    String forwarded = IpAddresses.forwardedFor(b);
    String client =
        IpAddresses.clientAddress("127.0.0.1", forwarded == null ? b : forwarded, PROXIES);
    assertThat(client.equals("127.0.0.1") || IpAddresses.parse(client).isPresent())
        .as("client address %s from %s", client, b)
        .isTrue();
  }
}
