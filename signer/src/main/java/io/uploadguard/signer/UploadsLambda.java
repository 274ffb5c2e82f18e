package io.uploadguard.signer;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.uploadguard.security.ApiException;
import io.uploadguard.security.AuthProperties;
import io.uploadguard.security.UserIds;
import io.uploadguard.signer.multipart.MultipartRoutes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/**
 * The signer as an AWS Lambda function behind an API Gateway HTTP API with a JWT authorizer.
 * API Gateway has verified the token; the user id comes from the authorizer's claims, never from
 * the raw {@code Authorization} header. Refusals are returned as responses, not thrown, since the
 * adapter would turn an exception into a 500. Serves what the HTTP signer serves: signing, the
 * upload's status, and a multipart upload's routes ({@link MultipartRoutes}: part URLs, parts,
 * completion, abort, and Uppy's S3-shaped create, list and complete).
 */
@Configuration
class UploadsLambda {

    @Bean
    Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> uploadsApi(
            UploadSigner signer,
            UploadStatusReader statuses,
            MultipartRoutes multipart,
            AuthProperties auth,
            ObjectMapper json) {
        return event -> handle(event, signer, statuses, multipart, auth, json);
    }

    static APIGatewayV2HTTPResponse handle(
            APIGatewayV2HTTPEvent event,
            UploadSigner signer,
            UploadStatusReader statuses,
            MultipartRoutes multipart,
            AuthProperties auth,
            ObjectMapper json) {
        Optional<String> userId = UserIds.from(claims(event), auth.userClaim());
        if (userId.isEmpty()) {
            return refusal(new ApiException(401, UserIds.missing(auth.userClaim()), Map.of()), json);
        }
        String method =
                event.getRequestContext() == null || event.getRequestContext().getHttp() == null
                        ? ""
                        : event.getRequestContext().getHttp().getMethod();
        String path = event.getRawPath() == null ? "" : event.getRawPath();
        if ("POST".equals(method) && path.equals("/uploads")) {
            SigningOutcome outcome = signer.sign(userId.get(), body(event));
            if (outcome instanceof SigningOutcome.Granted granted) {
                return response(201, granted.body(), Map.of("Location", granted.location()), json);
            }
            return refusal(((SigningOutcome.Refused) outcome).refusal(), json);
        }
        try {
            Optional<MultipartRoutes.Answer> answer = multipart.answer(method, path, userId.get(), body(event));
            if (answer.isPresent()) {
                MultipartRoutes.Answer a = answer.get();
                return a.body() instanceof String text
                        ? response(200, text, a.contentType(), Map.of())
                        : response(200, a.body(), Map.of(), json);
            }
        } catch (ApiException refusal) {
            return refusal(refusal, json);
        }
        if ("GET".equals(method) && path.startsWith("/uploads/")) {
            String id = path.substring("/uploads/".length());
            return statuses.find(userId.get(), id)
                    .map(view -> response(200, view, Map.of(), json))
                    .orElseGet(() -> refusal(OwnUploads.notFound(id), json));
        }
        return refusal(ApiException.notFound("no such resource"), json);
    }

    private static Map<String, String> claims(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        if (context == null
                || context.getAuthorizer() == null
                || context.getAuthorizer().getJwt() == null) {
            return Map.of();
        }
        Map<String, String> claims = context.getAuthorizer().getJwt().getClaims();
        return claims == null ? Map.of() : claims;
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        if (event.getBody() == null) {
            return null;
        }
        return event.getIsBase64Encoded()
                ? new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8)
                : event.getBody();
    }

    private static APIGatewayV2HTTPResponse refusal(ApiException refusal, ObjectMapper json) {
        return response(refusal.status(), refusal.body(), refusal.headers(), json);
    }

    private static APIGatewayV2HTTPResponse response(
            int status, Object body, Map<String, String> extraHeaders, ObjectMapper json) {
        return response(status, json.writeValueAsString(body), "application/json", extraHeaders);
    }

    private static APIGatewayV2HTTPResponse response(
            int status, String body, String contentType, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("Content-Type", contentType);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .build();
    }
}
