package dev.messengerhandover.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PageAccessTest {

    /** {@code appsecret_proof} is hex HMAC-SHA256(key = app secret, data = token): checked against openssl's. */
    @Test
    void theProofIsTheHmacOfTheTokenUnderTheAppSecret() {
        // printf '%s' token | openssl dgst -sha256 -hmac secret
        assertThat(PageAccess.proof("token", "secret"))
                .isEqualTo("e941110e3d2bfe82621f0e3e1434730d7305d106c5f68c87165d0b27a4611a4a");
        var access = PageAccess.of("111", "token", "secret");
        assertThat(access.node()).isEqualTo("111");
        assertThat(access.toString()).doesNotContain("token").doesNotContain("secret").contains("111");
        assertThat(PageAccess.of(null, "token", "secret").node()).isEqualTo("me");
        assertThat(access.sameTokenAs(PageAccess.of("111", "token", "secret"))).isTrue();
        assertThat(access.sameTokenAs(PageAccess.of("111", "other", "secret"))).isFalse();
    }
}
