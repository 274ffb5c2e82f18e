// 3. Uppy: @uppy/aws-s3 with UploadGuard's signer in one import. `multipart` is the profile's
// multipart-threshold and part-size (bytes); leave it out for a profile without multipart.
import Uppy from '@uppy/core';
import AwsS3 from '@uppy/aws-s3';
import { uploadGuardUppy } from '@uploadguard/client/uppy';

export function uppyWithUploadGuard({ signerUrl, token, profile, multipart }) {
  const uppy = new Uppy();
  uppy.use(AwsS3, uploadGuardUppy({ uppy, signerUrl, token, profile, multipart }));
  uppy.on('uploadguard:verdict', (file, verdict) => {
    console.log(file.name, verdict.status, verdict.reasons); // accepted, or rejected and why
  });
  return uppy;
}
