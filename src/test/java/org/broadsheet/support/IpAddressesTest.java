package org.broadsheet.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IpAddressesTest {

  private static final List<IpAddresses.Range> PROXY =
      List.of(IpAddresses.range("127.0.0.1").get());

  @Test
  void theForwardedAddressCountsOnlyFromATrustedPeer() {
    assertThat(IpAddresses.clientAddress("127.0.0.1", "203.0.113.7", PROXY))
        .isEqualTo("203.0.113.7");
    assertThat(IpAddresses.clientAddress("198.51.100.1", "203.0.113.7", PROXY))
        .as("a header from a peer that is not a proxy is ignored")
        .isEqualTo("198.51.100.1");
    assertThat(IpAddresses.clientAddress("127.0.0.1", "10.0.0.1, 203.0.113.7", PROXY))
        .as("what the client wrote itself, left of the proxy's entry, is ignored")
        .isEqualTo("203.0.113.7");
    assertThat(IpAddresses.clientAddress("127.0.0.1", "not-an-address", PROXY))
        .isEqualTo("127.0.0.1");
  }

  @Test
  void theStandardForwardedHeaderReadsLikeXForwardedFor() {
    assertThat(IpAddresses.forwardedFor("for=192.0.2.60;proto=http;by=203.0.113.43"))
        .isEqualTo("192.0.2.60");
    assertThat(IpAddresses.forwardedFor("for=192.0.2.43:8080, for=\"[2001:db8:cafe::17]:4711\""))
        .isEqualTo("192.0.2.43,2001:db8:cafe::17");
    assertThat(IpAddresses.forwardedFor("For=\"198.51.100.17\"")).isEqualTo("198.51.100.17");
    assertThat(IpAddresses.forwardedFor("proto=https")).isNull();
    assertThat(IpAddresses.forwardedFor(null)).isNull();
    assertThat(
            IpAddresses.clientAddress(
                "127.0.0.1", IpAddresses.forwardedFor("for=unknown, for=_hidden"), PROXY))
        .as("an obfuscated hop stops the walk at the proxy")
        .isEqualTo("127.0.0.1");
  }
}
