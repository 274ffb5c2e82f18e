package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The backend's own reference: kept with the upload, echoed by {@code GET /uploads/{id}}; at most
 * 256 printable characters (refusals of other shapes are in {@link BadInputTest}).
 */
@Tag("integration")
class ClientReferenceTest extends SignerIntegrationTest {

    private static String body(String clientReference) {
        return "{\"profile\":\"avatar\",\"contentType\":\"image/png\",\"size\":100,\"clientReference\":\""
                + clientReference + "\"}";
    }

    @Test
    void aClientReferenceIsKeptAndEchoed() {
        String user = newUser();
        String reference = "avatar of account 42 · élan ✓";

        Reply signed = post(token(user), body(reference));
        assertThat(signed.status()).isEqualTo(201);

        Reply status =
                get(token(user), "/uploads/" + signed.body().get("uploadId").asString());
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().get("clientReference").asString()).isEqualTo(reference);
    }

    @Test
    void exactly256CharactersAreAcceptedAnd257Refused() {
        String user = newUser();
        // counted in characters, not UTF-16 units: 256 emoji are 512 chars in Java
        String longest = "😀".repeat(256);

        Reply accepted = post(token(user), body(longest));
        Reply refused = post(token(user), body(longest + "x"));

        assertThat(accepted.status()).isEqualTo(201);
        assertThat(get(
                                token(user),
                                "/uploads/" + accepted.body().get("uploadId").asString())
                        .body()
                        .get("clientReference")
                        .asString())
                .isEqualTo(longest);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("error").asString()).isEqualTo("invalid_client_reference");
        assertThat(books(user).uploads()).isEqualTo(1);
    }

    @Test
    void withoutAClientReferenceNoneIsReturned() {
        String user = newUser();
        String id = sign(user, "avatar", "image/png", 10).body().get("uploadId").asString();

        assertThat(get(token(user), "/uploads/" + id).body().has("clientReference"))
                .isFalse();
    }
}
