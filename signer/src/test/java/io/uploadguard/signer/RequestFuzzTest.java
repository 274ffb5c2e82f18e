package io.uploadguard.signer;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadguard.sandbox.client.SandboxProcess;
import io.uploadguard.security.LocalTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Property-based attack on {@code POST /uploads} (jqwik): random JSON, huge numbers, unicode,
 * control characters, CRLF in the content type or filename, very long fields, wrong types, and
 * hostile user ids in the token. Whatever comes in: never a 5xx, never a reservation for a refused
 * request, and every signed key stays inside the user's own segment.
 *
 * <p>jqwik runs on its own JUnit engine, outside Spring's test support, so the signer is started
 * here against the shared sandbox.
 */
@Tag("integration")
class RequestFuzzTest {

    private static final String SECRET = "fuzz-test-secret-that-is-long-enough!!";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static ConfigurableApplicationContext signer;
    private static int port;

    @BeforeContainer
    static void startSigner() {
        var args = new java.util.ArrayList<String>();
        SandboxProcess.shared().springProperties().forEach((k, v) -> args.add("--" + k + "=" + v));
        args.add("--uploadguard.auth.hmac-secret=" + SECRET);
        args.add("--server.port=0");
        args.add("--uploadguard.quota.defaults.max-signed-urls-per-minute=100000");
        args.add("--logging.level.root=WARN");
        signer = new SpringApplicationBuilder(SignerApplication.class).run(args.toArray(String[]::new));
        port = ((WebServerApplicationContext) signer).getWebServer().getPort();
    }

    @AfterContainer
    static void stopSigner() {
        signer.close();
    }

    @Property(tries = 300)
    void noBodyEverCausesAServerErrorOrAReservationWhenRefused(@ForAll("bodies") String body) throws Exception {
        String user = "fuzz-" + java.util.UUID.randomUUID();
        HttpResponse<String> response = post(LocalTokens.mint(SECRET, user, Duration.ofMinutes(5)), body);

        assertThat(response.statusCode()).as(body).isLessThan(500);
        var reply = JSON.readTree(response.body());
        if (response.statusCode() == 201) {
            assertThat(reply.get("key").asString()).startsWith("incoming/fuzz-");
            assertThat(reservations(user)).isEqualTo(1);
        } else {
            assertThat(reply.get("error").asString()).isNotBlank();
            assertThat(reply.get("message").asString()).isNotBlank();
            assertThat(reservations(user))
                    .as("no reservation for a refused request")
                    .isZero();
        }
    }

    @Property(tries = 100)
    void anyUserIdGetsASafeAttributableKey(@ForAll("userIds") String userId) throws Exception {
        HttpResponse<String> response = post(
                LocalTokens.mint(SECRET, userId, Duration.ofMinutes(5)),
                "{\"profile\":\"avatar\",\"contentType\":\"image/png\",\"size\":10}");

        assertThat(response.statusCode()).as(userId).isIn(201, 401);
        if (response.statusCode() == 201) {
            String key = JSON.readTree(response.body()).get("key").asString();
            String segment = key.substring("incoming/".length(), key.lastIndexOf('/'));
            assertThat(segment).doesNotContain("/", "..").matches("[a-z0-9._-]+");
            assertThat(segment).isEqualTo(io.uploadguard.ledger.policy.KeyLayout.userSegment(userId));
            assertThat(reservationsOf(userId, key))
                    .as("attributed to exactly this user")
                    .isEqualTo(1);
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<Object> anyValue = Arbitraries.oneOf(
                text.map(s -> (Object) s),
                Arbitraries.longs().map(n -> (Object) n),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.bigIntegers()
                        .between(java.math.BigInteger.TEN.pow(30).negate(), java.math.BigInteger.TEN.pow(30))
                        .map(b -> (Object) b),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just((Object) List.of(1, "x")),
                Arbitraries.just((Object) Map.of("nested", "object")),
                Arbitraries.strings()
                        .withChars("\r\n\t\u0000\u2028<>\"'")
                        .ofMaxLength(40)
                        .map(s -> (Object) s),
                Arbitraries.strings().ofLength(5000).map(s -> (Object) s));
        Arbitrary<String> profile = Arbitraries.of("avatar", "document", "", "AVATAR", "avatar\r\n", "../avatar");
        Arbitrary<String> type = Arbitraries.of(
                "image/png",
                "image/PNG",
                "image/png\r\nX-Injected: 1",
                "text/html",
                "image/png; charset=utf-8",
                "image/svg+xml",
                "application/pdf",
                "");
        Arbitrary<Object> size =
                Arbitraries.oneOf(Arbitraries.longs().between(-10, 60_000_000L).map(n -> (Object) n), anyValue);
        Arbitrary<String> structured = Combinators.combine(
                        profile, type, size, anyValue, Arbitraries.integers().between(0, 4))
                .as((p, t, s, extra, shape) -> {
                    var map = new java.util.LinkedHashMap<String, Object>();
                    if (shape != 1) map.put("profile", p);
                    if (shape != 2) map.put("contentType", t);
                    if (shape != 3) map.put("size", s);
                    if (shape == 4) map.put("filename", extra);
                    if (shape == 0) map.put("checksumSha256", extra);
                    return JSON.writeValueAsString(map);
                });
        Arbitrary<String> garbage = Arbitraries.oneOf(
                text,
                Arbitraries.of(
                        "[]",
                        "null",
                        "42",
                        "\"x\"",
                        "{",
                        "{}}",
                        "{\"size\":1e999}",
                        "{\"profile\":\"avatar\",\"profile\":\"document\"}"));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, structured), net.jqwik.api.Tuple.of(1, garbage));
    }

    @Provide
    Arbitrary<String> userIds() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "a/b",
                        "../../etc/passwd",
                        "..",
                        "/",
                        "user\u0000nul",
                        "ünïcødé-日本語",
                        "x".repeat(1024),
                        "CAPS.and-dots.",
                        "%2F%2e%2e",
                        "white space",
                        "tab\tnewline\n",
                        "emoji-\uD83D\uDE00"),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(200));
    }

    private static HttpResponse<String> post(String token, String body) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/uploads"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long reservations(String user) throws Exception {
        return count("select count(*) from uploads where user_id = ?", user);
    }

    private static long reservationsOf(String user, String key) throws Exception {
        return count("select count(*) from uploads where user_id = ? and object_key = ?", user, key);
    }

    private static long count(String sql, String... params) throws Exception {
        var e = SandboxProcess.shared();
        try (var db = DriverManager.getConnection(e.jdbcUrl(), e.dbUser(), e.dbPassword());
                var st = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setString(i + 1, params[i]);
            }
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
