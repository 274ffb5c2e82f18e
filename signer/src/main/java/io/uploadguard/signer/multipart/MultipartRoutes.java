package io.uploadguard.signer.multipart;

import io.uploadguard.security.ApiException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The multipart routes of {@link MultipartController} and {@link UppyS3Answers} for a caller that
 * is not Spring MVC: the signer's Lambda function, behind API Gateway, which hands it a method, a
 * path and a body. Same services, same answers, same refusals (thrown as {@link ApiException}).
 */
@Component
public class MultipartRoutes {

    private static final Pattern ROUTE =
            Pattern.compile("/uploads/([^/]+)(/parts|/complete|/s3/create|/s3/parts|/s3/complete)?");

    private final PartUrlMinting minting;
    private final PartListing listing;
    private final MultipartCompletion completion;
    private final MultipartAborts aborts;
    private final OwnedUploads uploads;
    private final ObjectMapper json;

    MultipartRoutes(
            PartUrlMinting minting,
            PartListing listing,
            MultipartCompletion completion,
            MultipartAborts aborts,
            OwnedUploads uploads,
            ObjectMapper json) {
        this.minting = minting;
        this.listing = listing;
        this.completion = completion;
        this.aborts = aborts;
        this.uploads = uploads;
        this.json = json;
    }

    /** A 200 answer: a value to write as JSON, or XML text (for Uppy) to send as it is. */
    public record Answer(Object body, String contentType) {

        static Answer json(Object body) {
            return new Answer(body, "application/json");
        }

        static Answer xml(String body) {
            return new Answer(body, UppyXml.CONTENT_TYPE);
        }
    }

    /**
     * Answers the request if it is one of the multipart routes; empty if it is not (the caller
     * answers it or 404s).
     *
     * @throws ApiException the refusal, as the HTTP routes answer it
     */
    public Optional<Answer> answer(String method, String path, String userId, String body) {
        Matcher route = ROUTE.matcher(path);
        if (!route.matches()) {
            return Optional.empty();
        }
        String uploadId = route.group(1);
        String action = route.group(2) == null ? "" : route.group(2);
        return Optional.ofNullable(
                switch (method + " " + action) {
                    case "POST /parts" -> Answer.json(minting.mint(userId, uploadId, partUrlsRequest(body)));
                    case "GET /parts" -> Answer.json(listing.list(userId, uploadId));
                    case "POST /complete" -> Answer.json(completion.complete(userId, uploadId));
                    case "DELETE " -> Answer.json(aborts.abort(userId, uploadId));
                    case "POST /s3/create" -> Answer.xml(UppyXml.created(uploads.find(userId, uploadId)));
                    case "GET /s3/parts" -> Answer.xml(UppyXml.parts(listing.list(userId, uploadId)));
                    case "POST /s3/complete" -> Answer.xml(UppyXml.completed(completion.complete(userId, uploadId)));
                    default -> null;
                });
    }

    private PartUrlMinting.PartUrlsRequest partUrlsRequest(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.malformed("the request body could not be read");
        }
        try {
            return json.readValue(body, PartUrlMinting.PartUrlsRequest.class);
        } catch (JacksonException e) {
            throw ApiException.malformed("the request body could not be read");
        }
    }
}
