// @uploadguard/client/uppy: the options for @uppy/aws-s3 (6.x, `signRequest` mode), so that an app writes
//   uppy.use(AwsS3, uploadGuardUppy({ uppy, signerUrl, token, profile }))
// Uppy asks to sign each S3 request with the key it generated and no file size; UploadGuard must
// declare the exact size, so generateObjectKey remembers each file by the key it hands Uppy, and
// the grant's key then replaces Uppy's. For multipart, the signer creates, lists and completes the
// upload itself (a browser's URLs cannot): Uppy's create, list-parts and complete requests go to the
// signer's S3-shaped answers under /uploads/{id}/s3/, only the parts go to storage.
import { UploadGuardClient } from './client.js';
import { UploadGuardError } from './errors.js';

const VERDICT_EVENT = 'uploadguard:verdict';

export function uploadGuardUppy({ uppy, signerUrl = '', token, getToken, profile, clientReference,
  multipart, waitForVerdict = {}, client } = {}) {
  const guard = client || new UploadGuardClient({ signerUrl, token, getToken, storage: null });
  const base = guard.signerUrl;
  const files = new Map();   // Uppy's key -> Uppy file (it has the size)
  const uploads = new Map(); // the grant's key -> {uploadId, fileId, plan?, parts, asked}
  let next = 0;

  const auth = async () => ({ Authorization: 'Bearer ' + await guard.getToken() });
  const s3Route = (uploadId, action) => base + '/uploads/' + encodeURIComponent(uploadId) + '/s3/' + action;

  async function grantFor(request, expected) {
    const file = files.get(request.key);
    if (!file) throw new UploadGuardError('unknown_file', 'no file was handed out under the key ' + request.key);
    const grant = await guard.sign({ size: file.size, type: file.type, name: file.name },
      { profile, clientReference: clientReference && clientReference(file),
        contentType: request.contentType || file.type || 'application/octet-stream' });
    if (grant.method !== expected) {
      await (grant.method === 'MULTIPART' ? guard.abort(grant.uploadId).catch(() => {}) : null);
      throw new UploadGuardError('plan_mismatch', expected === 'PUT'
        ? 'the profile uploads a file of this size in parts: give uploadGuardUppy its multipart settings'
        : 'the signer answered a single PUT for a file Uppy sends in parts: check the multipart threshold');
    }
    if (expected === 'MULTIPART' && multipart && grant.partSize !== multipart.partSize) {
      await guard.abort(grant.uploadId).catch(() => {});
      throw new UploadGuardError('plan_mismatch', 'the profile\'s part size is ' + grant.partSize
        + ' bytes, uploadGuardUppy was given ' + multipart.partSize);
    }
    files.delete(request.key);
    const parts = new Map((grant.parts || []).map(part => [part.partNumber, part]));
    uploads.set(grant.key, { uploadId: grant.uploadId, fileId: file.id, grant, parts, asked: new Set() });
    return grant;
  }

  async function partUrl(upload, partNumber) {
    // a second request for the same part is Uppy's retry: its URL may have aged, so mint a new one
    let part = upload.asked.has(partNumber) ? null : upload.parts.get(partNumber);
    upload.asked.add(partNumber);
    if (!part) {
      const page = await guard.mintParts(upload.uploadId, [partNumber]);
      part = page.parts[0];
    }
    upload.parts.delete(partNumber);
    return { url: part.url, headers: part.headers };
  }

  async function signRequest(request) {
    const upload = uploads.get(request.key);
    if (request.method === 'PUT' && request.partNumber == null) {
      const grant = await grantFor(request, 'PUT');
      return { url: grant.url, key: grant.key, headers: grant.headers };
    }
    if (request.method === 'POST' && request.uploadId == null) {
      const grant = await grantFor(request, 'MULTIPART');
      return { url: s3Route(grant.uploadId, 'create'), key: grant.key, headers: await auth() };
    }
    if (!upload || upload.uploadId !== request.uploadId) {
      throw new UploadGuardError('unknown_upload', 'this page did not start upload ' + request.uploadId);
    }
    if (request.method === 'PUT') return partUrl(upload, request.partNumber);
    if (request.method === 'GET') return { url: s3Route(upload.uploadId, 'parts'), headers: await auth() };
    if (request.method === 'POST') return { url: s3Route(upload.uploadId, 'complete'), headers: await auth() };
    if (request.method === 'DELETE') {
      return { url: base + '/uploads/' + encodeURIComponent(upload.uploadId), headers: await auth() };
    }
    throw new UploadGuardError('unsupported_request', 'UploadGuard does not sign ' + request.method + ' ' + request.key);
  }

  if (uppy && waitForVerdict !== false) {
    uppy.on('upload-success', async (file, response) => {
      const key = response && response.body && response.body.key;
      const upload = key && uploads.get(key);
      if (!upload) return;
      uploads.delete(key);
      try {
        const verdict = await guard.waitForVerdict(upload.uploadId, waitForVerdict);
        uppy.emit(VERDICT_EVENT, uppy.getFile(file.id) || file, verdict);
      } catch (error) {
        uppy.emit('uploadguard:verdict-error', uppy.getFile(file.id) || file, error);
      }
    });
  }

  const options = {
    signRequest,
    // Uppy's own key is only a handle: the signer chooses the object key
    generateObjectKey: file => {
      const key = 'uploadguard-' + (++next) + '-' + String(file.id).replace(/[^\w.-]/g, '_');
      files.set(key, file);
      return key;
    },
    shouldUseMultipart: file => Boolean(multipart) && file.size > multipart.threshold,
  };
  if (multipart) options.getChunkSize = () => multipart.partSize;
  return options;
}

export { VERDICT_EVENT };
