// 2. The client package: single PUT or parallel, retried, resumable parts, as the grant says.
import { UploadGuardClient, UploadGuardError } from '@uploadguard/client';

export async function uploadWithClient(file, { signerUrl, token, profile, onProgress }) {
  const client = new UploadGuardClient({ signerUrl, token }); // or getToken: async () => ...
  try {
    const { uploadId } = await client.upload(file, { profile, onProgress });
    return await client.waitForVerdict(uploadId); // {status: 'accepted' | 'rejected', reasons, ...}
  } catch (error) {
    if (error instanceof UploadGuardError) console.warn(error.code, error.status, error.message);
    throw error;
  }
}
