// Compiled by `tsc --noEmit` in `npm test`: the hand-written declarations must accept what the
// README shows and refuse what they should.
import { UploadGuardClient, UploadGuardError, partsToSend, type UploadStatus } from '@uploadguard/client';
import { uploadGuardUppy, VERDICT_EVENT } from '@uploadguard/client/uppy';

declare const file: File;

async function example(): Promise<UploadStatus> {
  const client = new UploadGuardClient({ signerUrl: 'https://signer.example', getToken: async () => 'token' });
  const grant = await client.sign(file, { profile: 'avatar' });
  if (grant.method === 'MULTIPART') {
    const count: number = grant.partCount;
    void count;
  } else {
    const url: string = grant.url;
    void url;
  }
  const controller = new AbortController();
  try {
    const { uploadId } = await client.upload(file, {
      profile: 'video',
      clientReference: 'post-42',
      concurrency: 4,
      retries: 3,
      signal: controller.signal,
      onProgress: ({ loaded, total }) => console.log(loaded / total),
    });
    return await client.waitForVerdict(uploadId, { timeoutMs: 60000 });
  } catch (error) {
    if (error instanceof UploadGuardError && error.code === 'too_large') console.log(error.status, error.message);
    throw error;
  }
}

const todo: number[] = partsToSend({ size: 10, partSize: 5, partCount: 2 }, [{ partNumber: 1, size: 5 }]);
const options = uploadGuardUppy({ signerUrl: '', token: 't', profile: 'avatar', multipart: { threshold: 1, partSize: 5 } });
const event: 'uploadguard:verdict' = VERDICT_EVENT;
void options.signRequest({ method: 'PUT', key: 'k', contentType: 'image/png' });
void example;
void todo;
void event;

// @ts-expect-error: a misspelt option
new UploadGuardClient({ signerUrl: 'x', tokn: 'typo' });
// @ts-expect-error: the profile is required
void new UploadGuardClient({ token: 't' }).sign(file, {});
