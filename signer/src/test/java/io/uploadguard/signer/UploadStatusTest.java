package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code GET /uploads/{id}}: owners see their upload; everyone else sees nothing. */
@Tag("integration")
class UploadStatusTest extends SignerIntegrationTest {

    @Test
    void theOwnerSeesTheReservation() {
        String user = newUser();
        var ticket = sign(user, "document", "application/pdf", 4096).body();
        String id = ticket.get("uploadId").asString();

        Reply reply = get(token(user), "/uploads/" + id);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("uploadId").asString()).isEqualTo(id);
        assertThat(reply.body().get("status").asString()).isEqualTo("reserved");
        assertThat(reply.body().get("key").asString())
                .isEqualTo(ticket.get("key").asString());
        assertThat(reply.body().get("declaredType").asString()).isEqualTo("application/pdf");
        assertThat(reply.body().get("declaredSize").asLong()).isEqualTo(4096);
        assertThat(reply.body().get("profile").asString()).isEqualTo("document");
    }

    @Test
    void someoneElsesUploadIs404() {
        var ticket = sign(newUser(), "avatar", "image/png", 10).body();

        Reply reply = get(token(newUser()), "/uploads/" + ticket.get("uploadId").asString());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().get("error").asString()).isEqualTo("not_found");
    }

    @Test
    void unknownAndMalformedIdsAre404() {
        String user = newUser();
        assertThat(get(token(user), "/uploads/00000000-0000-0000-0000-000000000000")
                        .status())
                .isEqualTo(404);
        assertThat(get(token(user), "/uploads/not-a-uuid").status()).isEqualTo(404);
    }

    @Test
    void withoutATokenIs401() {
        assertThat(get(null, "/uploads/00000000-0000-0000-0000-000000000000").status())
                .isEqualTo(401);
    }
}
