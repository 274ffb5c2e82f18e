/**
 * Large files: presigned multipart uploads (issue 16). The signer starts the upload in S3, reserves
 * the whole declared size, signs each part's URL with its exact length, completes the upload itself
 * after checking every part, and aborts it on request; the enforcer's releaser aborts what is left
 * open past its expiry.
 */
package io.uploadguard.signer.multipart;
