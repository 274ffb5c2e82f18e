package io.uploadguard.enforcer.enforcement;

/**
 * The object under a key is no longer the one inspected (S3 answered 412 to a copy conditioned on
 * the inspected ETag): its verdict does not apply to what is there now, which must be inspected
 * afresh.
 */
class ObjectChangedException extends RuntimeException {

    ObjectChangedException(String bucket, String key, String inspectedETag) {
        super("object " + key + " in bucket " + bucket + " changed after it was inspected (ETag " + inspectedETag
                + " no longer matches)");
    }
}
