import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UploadGuardClient, UploadGuardError, resumeKey } from '../src/index.js';
import { MemoryStorage, fakeSigner, fakeStorage, jsonResponse } from './fakes.js';

const MiB = 1024 * 1024;

function bigFile(size) {
  return new File([new Uint8Array(size)], 'movie.mp4', { type: 'video/mp4', lastModified: 7 });
}

test('a single PUT uses exactly the grant\'s URL and headers and reports progress', async () => {
  const puts = [];
  const client = new UploadGuardClient({
    signerUrl: 'https://signer.example/', token: 't0k',
    fetch: async (href, init) => {
      assert.equal(href, 'https://signer.example/uploads');
      assert.equal(init.headers.Authorization, 'Bearer t0k');
      assert.deepEqual(JSON.parse(init.body), { profile: 'avatar', contentType: 'image/png', size: 3, filename: 'a.png', clientReference: 'r1' });
      return jsonResponse(201, { uploadId: 'u9', key: 'k9', method: 'PUT', url: 'https://s3.example/k9?sig', headers: { 'Content-Type': 'image/png' } });
    },
    putBytes: async (url, headers, body, { onProgress }) => { puts.push({ url, headers }); onProgress(body.size); return { status: 200 }; },
  });
  const seen = [];
  const result = await client.upload(new File(['abc'], 'a.png', { type: 'image/png' }),
    { profile: 'avatar', clientReference: 'r1', onProgress: p => seen.push(p.loaded) });
  assert.deepEqual(result, { uploadId: 'u9', key: 'k9', method: 'PUT' });
  assert.deepEqual(puts, [{ url: 'https://s3.example/k9?sig', headers: { 'Content-Type': 'image/png' } }]);
  assert.equal(seen.at(-1), 3);
});

test('the signer\'s refusal becomes an UploadGuardError with its stable code and status', async () => {
  const client = new UploadGuardClient({ token: 't', storage: null,
    fetch: async () => jsonResponse(429, { error: 'rate_limited', message: 'slow down' }, { 'Retry-After': '3' }) });
  await assert.rejects(client.sign({ size: 1 }, { profile: 'avatar' }), error => {
    assert.ok(error instanceof UploadGuardError);
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.status, 429);
    assert.equal(error.message, 'slow down');
    assert.equal(error.retryAfterMs, 3000);
    return true;
  });
});

test('storage refusing the PUT is storage_refused with the status', async () => {
  const client = new UploadGuardClient({ token: 't', storage: null,
    fetch: async () => jsonResponse(201, { uploadId: 'u', key: 'k', method: 'PUT', url: 'https://s3.example/x', headers: {} }),
    putBytes: async () => ({ status: 403 }) });
  await assert.rejects(client.upload(new File(['x'], 'x'), { profile: 'avatar' }), { code: 'storage_refused', status: 403 });
});

test('multipart: parts in parallel, URLs minted page by page, a broken part retried, then completed', async () => {
  const signer = fakeSigner({ size: 5 * MiB + 10, partSize: MiB, pageSize: 2 });
  const storage = fakeStorage({ 'https://s3.example/part3': [0, 0] });
  const memory = new MemoryStorage();
  const client = new UploadGuardClient({ token: 't', fetch: signer.fetch, putBytes: storage.putBytes, storage: memory });
  const file = bigFile(5 * MiB + 10);
  const progress = [];
  const done = [];
  const result = await client.upload(file, { profile: 'video', concurrency: 3, retries: 3,
    onProgress: p => progress.push(p.loaded), onPartDone: n => done.push(n) });

  assert.deepEqual(result, { uploadId: 'u1', key: 'k1', method: 'MULTIPART' });
  assert.deepEqual(done.sort(), [1, 2, 3, 4, 5, 6]);
  assert.equal(storage.puts.filter(p => p.url.endsWith('part3')).length, 3, 'part 3 tried three times');
  assert.equal(storage.puts.find(p => p.url.endsWith('part6')).size, 10, 'the last part is the remainder');
  const minted = signer.calls.filter(c => c.path === '/uploads/u1/parts' && c.method === 'POST');
  assert.ok(minted.every(c => c.body.partNumbers.length <= 2), 'never more than a page');
  assert.ok(minted.some(c => c.body.partNumbers.length === 1 && c.body.partNumbers[0] === 3), 'a fresh URL for the retry');
  assert.equal(signer.calls.at(-1).path, '/uploads/u1/complete');
  assert.equal(progress.at(-1), file.size);
  assert.equal(memory.length, 0, 'forgotten once completed');
});

test('multipart: a part that keeps failing fails the upload, which stays resumable', async () => {
  const signer = fakeSigner({ size: 3 * MiB, partSize: MiB });
  const storage = fakeStorage({ 'https://s3.example/part2': [0, 0, 0] });
  const memory = new MemoryStorage();
  const client = new UploadGuardClient({ token: 't', fetch: signer.fetch, putBytes: storage.putBytes, storage: memory });
  const file = bigFile(3 * MiB);
  await assert.rejects(client.upload(file, { profile: 'video', retries: 2 }), { code: 'network_error', partNumber: 2 });
  assert.ok(!signer.calls.some(c => c.path.endsWith('/complete')), 'nothing completed');
  assert.equal(JSON.parse(memory.getItem(resumeKey(file, 'video'))).uploadId, 'u1');
});

test('resume: the same file picked again asks S3 what it has and sends only the rest', async () => {
  const file = bigFile(4 * MiB);
  const memory = new MemoryStorage();
  memory.setItem(resumeKey(file, 'video'), JSON.stringify({ uploadId: 'u1', key: 'k1', partSize: MiB, partCount: 4, pageSize: 2 }));
  const signer = fakeSigner({ size: 4 * MiB, partSize: MiB,
    listed: [{ partNumber: 1, size: MiB, etag: 'a' }, { partNumber: 3, size: MiB, etag: 'c' }] });
  const storage = fakeStorage();
  const client = new UploadGuardClient({ token: 't', fetch: signer.fetch, putBytes: storage.putBytes, storage: memory });
  const progress = [];
  await client.upload(file, { profile: 'video', onProgress: p => progress.push(p.loaded) });
  assert.deepEqual(storage.puts.map(p => p.url).sort(), ['https://s3.example/part2', 'https://s3.example/part4']);
  assert.ok(!signer.calls.some(c => c.method === 'POST' && c.path === '/uploads'), 'no new grant');
  assert.equal(progress[0], 2 * MiB, 'progress starts from what S3 already holds');
});

test('resume: an upload the signer no longer knows starts afresh', async () => {
  const file = bigFile(2 * MiB);
  const memory = new MemoryStorage();
  memory.setItem(resumeKey(file, 'video'), JSON.stringify({ uploadId: 'gone', partSize: MiB, partCount: 2, pageSize: 2 }));
  const signer = fakeSigner({ size: 2 * MiB, partSize: MiB });
  const client = new UploadGuardClient({ token: 't', fetch: signer.fetch, putBytes: fakeStorage().putBytes, storage: memory });
  const result = await client.upload(file, { profile: 'video' });
  assert.equal(result.uploadId, 'u1');
  assert.equal(signer.calls[0].path, '/uploads/gone/parts');
});

test('waitForVerdict polls until a verdict; a verdict source that answers first wins', async () => {
  let polls = 0;
  const client = new UploadGuardClient({ token: 't', storage: null, fetch: async () => {
    polls++;
    return jsonResponse(200, { uploadId: 'u', status: polls < 3 ? 'reserved' : 'accepted' });
  } });
  const verdict = await client.waitForVerdict('u', { minDelayMs: 1, maxDelayMs: 2 });
  assert.equal(verdict.status, 'accepted');
  assert.equal(polls, 3);

  const pushed = await client.waitForVerdict('u', { minDelayMs: 10000,
    verdictSource: async () => ({ uploadId: 'u', status: 'rejected' }) });
  assert.equal(pushed.status, 'rejected');
});

test('waitForVerdict gives up with verdict_timeout, or aborted when the app aborts', async () => {
  const client = new UploadGuardClient({ token: 't', storage: null,
    fetch: async () => jsonResponse(200, { uploadId: 'u', status: 'reserved' }) });
  await assert.rejects(client.waitForVerdict('u', { timeoutMs: 30, minDelayMs: 5 }), { code: 'verdict_timeout' });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(client.waitForVerdict('u', { signal: controller.signal, minDelayMs: 5 }), { code: 'aborted' });
});

test('a token is fetched per request from getToken', async () => {
  const tokens = ['a', 'b'];
  const seen = [];
  const client = new UploadGuardClient({ getToken: async () => tokens.shift(), storage: null,
    fetch: async (href, init) => { seen.push(init.headers.Authorization); return jsonResponse(200, { status: 'accepted' }); } });
  await client.status('u');
  await client.status('u');
  assert.deepEqual(seen, ['Bearer a', 'Bearer b']);
  assert.throws(() => new UploadGuardClient({ signerUrl: 'x' }), TypeError);
});


test('an upload aborted by the app rejects with aborted and sends nothing more', async () => {
  const signer = fakeSigner({ size: 4 * MiB, partSize: MiB });
  const controller = new AbortController();
  let puts = 0;
  const client = new UploadGuardClient({ token: 't', fetch: signer.fetch, storage: null,
    putBytes: async () => { puts++; controller.abort(); return { status: 0 }; } });
  await assert.rejects(client.upload(bigFile(4 * MiB), { profile: 'video', concurrency: 1, signal: controller.signal }),
    { code: 'aborted' });
  assert.equal(puts, 1);
  assert.ok(!signer.calls.some(c => c.path.endsWith('/complete')));
});

test('eventSourceVerdicts resolves with the pushed verdict of this upload only', async () => {
  const { eventSourceVerdicts } = await import('../src/index.js');
  let source;
  class FakeEventSource { constructor(url) { this.url = url; source = this; } close() { this.closed = true; } }
  const pending = eventSourceVerdicts('/verdicts', { EventSourceImpl: FakeEventSource })('u1', {});
  source.onmessage({ data: JSON.stringify({ uploadId: 'u2', status: 'accepted' }) });
  source.onmessage({ data: 'not json' });
  source.onmessage({ data: JSON.stringify({ uploadId: 'u1', status: 'reserved' }) });
  source.onmessage({ data: JSON.stringify({ uploadId: 'u1', status: 'rejected', reasons: ['TYPE_MISMATCH'] }) });
  const verdict = await pending;
  assert.equal(source.url, '/verdicts');
  assert.deepEqual(verdict.reasons, ['TYPE_MISMATCH']);
  assert.equal(source.closed, true);
});
