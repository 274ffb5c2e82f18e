/**
 * The multipart benchmark's harness ({@code bench/multipart-load.sh}): one file uploaded in parallel
 * parts through UploadGuard's signer (multipart grant, part-URL pages, plain HTTP PUTs of the
 * presigned URLs, completion by the signer) and as a plain SDK multipart upload, and the signer's
 * CPU per part URL.
 */
package io.uploadguard.benchmarks.multipart;
