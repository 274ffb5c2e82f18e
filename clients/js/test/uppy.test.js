import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UploadGuardClient } from '../src/index.js';
import { uploadGuardUppy } from '../src/uppy.js';
import { fakeSigner, jsonResponse } from './fakes.js';

const MiB = 1024 * 1024;

class FakeUppy {
  handlers = {};
  emitted = [];
  files = {};
  on(event, handler) { (this.handlers[event] ||= []).push(handler); }
  emit(event, ...args) { this.emitted.push([event, ...args]); for (const h of this.handlers[event] || []) h(...args); }
  getFile(id) { return this.files[id]; }
}

test('a single PUT: the size comes from the file Uppy named, the grant\'s key replaces Uppy\'s', async () => {
  const bodies = [];
  const client = new UploadGuardClient({ signerUrl: 'https://signer.example', token: 't', storage: null,
    fetch: async (href, init) => {
      if (init.method === 'POST') {
        bodies.push(JSON.parse(init.body));
        return jsonResponse(201, { uploadId: 'u1', key: 'incoming/u/k1.png', method: 'PUT', url: 'https://s3.example/k1', headers: { 'Content-Type': 'image/png' } });
      }
      return jsonResponse(200, { uploadId: 'u1', status: 'accepted' });
    } });
  const uppy = new FakeUppy();
  const options = uploadGuardUppy({ uppy, client, profile: 'avatar', waitForVerdict: { minDelayMs: 1 } });
  const file = { id: 'uppy-a/png', name: 'a.png', type: 'image/png', size: 68 };
  uppy.files[file.id] = file;
  const key = options.generateObjectKey(file);
  assert.equal(options.shouldUseMultipart(file), false);

  const signed = await options.signRequest({ method: 'PUT', key, contentType: 'image/png' });
  assert.deepEqual(signed, { url: 'https://s3.example/k1', key: 'incoming/u/k1.png', headers: { 'Content-Type': 'image/png' } });
  assert.deepEqual(bodies, [{ profile: 'avatar', contentType: 'image/png', size: 68, filename: 'a.png' }]);

  uppy.emit('upload-success', file, { body: { key: 'incoming/u/k1.png' } });
  await new Promise(resolve => setTimeout(resolve, 20));
  const verdict = uppy.emitted.find(([event]) => event === 'uploadguard:verdict');
  assert.ok(verdict, 'the verdict is emitted');
  assert.equal(verdict[1], file);
  assert.equal(verdict[2].status, 'accepted');
});

test('multipart: create, parts, list and complete go where they must, a retried part gets a new URL', async () => {
  const signer = fakeSigner({ size: 20 * MiB, partSize: 8 * MiB, pageSize: 2 });
  const client = new UploadGuardClient({ signerUrl: 'https://signer.example', token: 't', fetch: signer.fetch, storage: null });
  const options = uploadGuardUppy({ client, profile: 'video', multipart: { threshold: 16 * MiB, partSize: 8 * MiB } });
  const file = { id: 'f', name: 'movie.mp4', type: 'video/mp4', size: 20 * MiB };
  assert.equal(options.shouldUseMultipart(file), true);
  assert.equal(options.getChunkSize(file), 8 * MiB);
  const key = options.generateObjectKey(file);

  const created = await options.signRequest({ method: 'POST', key });
  assert.equal(created.url, 'https://signer.example/uploads/u1/s3/create');
  assert.equal(created.key, 'k1');
  assert.equal(created.headers.Authorization, 'Bearer t');

  const first = await options.signRequest({ method: 'PUT', key: 'k1', uploadId: 'u1', partNumber: 1 });
  assert.equal(first.url, 'https://s3.example/part1', 'from the grant\'s first page');
  const third = await options.signRequest({ method: 'PUT', key: 'k1', uploadId: 'u1', partNumber: 3 });
  assert.equal(third.url, 'https://s3.example/part3', 'minted');
  await options.signRequest({ method: 'PUT', key: 'k1', uploadId: 'u1', partNumber: 1 });
  const minted = signer.calls.filter(c => c.path === '/uploads/u1/parts').map(c => c.body.partNumbers);
  assert.deepEqual(minted, [[3], [1]], 'Uppy\'s retry of part 1 got a fresh URL');

  assert.equal((await options.signRequest({ method: 'GET', key: 'k1', uploadId: 'u1' })).url,
    'https://signer.example/uploads/u1/s3/parts');
  assert.equal((await options.signRequest({ method: 'POST', key: 'k1', uploadId: 'u1' })).url,
    'https://signer.example/uploads/u1/s3/complete');
  assert.equal((await options.signRequest({ method: 'DELETE', key: 'k1', uploadId: 'u1' })).url,
    'https://signer.example/uploads/u1');
  await assert.rejects(options.signRequest({ method: 'PUT', key: 'k1', uploadId: 'other', partNumber: 1 }),
    { code: 'unknown_upload' });
});

test('a part size other than the profile\'s is refused and the upload given back', async () => {
  const signer = fakeSigner({ size: 20 * MiB, partSize: 8 * MiB });
  const client = new UploadGuardClient({ signerUrl: 'https://signer.example', token: 't', fetch: signer.fetch, storage: null });
  const options = uploadGuardUppy({ client, profile: 'video', multipart: { threshold: MiB, partSize: 5 * MiB } });
  const key = options.generateObjectKey({ id: 'f', size: 20 * MiB, type: 'video/mp4' });
  await assert.rejects(options.signRequest({ method: 'POST', key }), { code: 'plan_mismatch' });
  assert.ok(signer.calls.some(c => c.method === 'DELETE' && c.path === '/uploads/u1'), 'aborted');
});
