package io.uploadguard.signer.multipart;

import java.util.stream.Collectors;
import org.springframework.web.util.HtmlUtils;

/**
 * The S3-shaped XML answers Uppy's S3 plugin reads for create, list-parts and complete (see
 * {@link UppyS3Answers}), for the HTTP routes and the Lambda function alike.
 */
final class UppyXml {

    static final String CONTENT_TYPE = "application/xml";

    private static final String XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private UppyXml() {}

    static String created(OwnedUploads.Owned owned) {
        return XML + "<InitiateMultipartUploadResult>"
                + element("Key", owned.multipart().key())
                + element("UploadId", String.valueOf(owned.multipart().uploadId()))
                + "</InitiateMultipartUploadResult>";
    }

    static String parts(PartListing.PartsView view) {
        String parts = view.parts().stream()
                .map(p -> "<Part>" + element("PartNumber", String.valueOf(p.partNumber())) + element("ETag", p.etag())
                        + element("Size", String.valueOf(p.size())) + "</Part>")
                .collect(Collectors.joining());
        return XML + "<ListPartsResult>" + element("UploadId", String.valueOf(view.uploadId())) + parts
                + "</ListPartsResult>";
    }

    /** Uppy wants a Location: the upload's status, where its verdict will be. */
    static String completed(UploadStateView done) {
        return XML + "<CompleteMultipartUploadResult>"
                + element("Location", "/uploads/" + done.uploadId())
                + element("Key", done.key()) + "</CompleteMultipartUploadResult>";
    }

    private static String element(String name, String value) {
        return "<" + name + ">" + HtmlUtils.htmlEscape(value == null ? "" : value) + "</" + name + ">";
    }
}
