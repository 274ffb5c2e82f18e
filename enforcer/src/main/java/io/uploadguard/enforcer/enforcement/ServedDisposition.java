package io.uploadguard.enforcer.enforcement;

import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.policy.UploadProfile;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code Content-Disposition} of a promoted copy: {@code attachment} with the filename the
 * uploader declared, so that a browser saves what the bucket serves rather than rendering it,
 * unless the profile says inline.
 */
final class ServedDisposition {

    /** What a quoted filename keeps as it is: anything else (quotes, backslashes, controls, non-ASCII) becomes '_'. */
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._ ()+-]");

    private static final int MAX_FILENAME = 100;

    private ServedDisposition() {}

    /** Null when the profile serves inline. */
    static String of(Optional<Upload> row, Optional<UploadProfile> profile) {
        if (profile.map(UploadProfile::inline).orElse(false)) {
            return null;
        }
        return "attachment; filename=\"" + filename(row.map(Upload::filename).orElse(null)) + "\"";
    }

    static String filename(String declared) {
        if (declared == null) {
            return "download";
        }
        // only the last path segment: some clients send a whole path
        String name = declared.substring(Math.max(declared.lastIndexOf('/'), declared.lastIndexOf('\\')) + 1);
        name = UNSAFE.matcher(name).replaceAll("_").strip();
        if (name.length() > MAX_FILENAME) {
            name = name.substring(name.length() - MAX_FILENAME);
        }
        return name.isEmpty() || name.chars().allMatch(c -> c == '.') ? "download" : name;
    }
}
