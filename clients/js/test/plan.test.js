import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { backoffDelay, nextBatch, partRange, partsToSend, resumeKey, retryable } from '../src/plan.js';

test('parts cover the file exactly, the last one with the remainder', () => {
  assert.deepEqual(partRange(1, 5, 12), { start: 0, end: 5 });
  assert.deepEqual(partRange(3, 5, 12), { start: 10, end: 12 });
});

test('a resume sends only what S3 does not hold with its planned size', () => {
  const plan = { size: 12, partSize: 5, partCount: 3 };
  assert.deepEqual(partsToSend(plan), [1, 2, 3]);
  assert.deepEqual(partsToSend(plan, [{ partNumber: 1, size: 5 }, { partNumber: 3, size: 2 }]), [2]);
  // a part cut short, or one the plan does not have, is not taken as done
  assert.deepEqual(partsToSend(plan, [{ partNumber: 2, size: 4 }, { partNumber: 9, size: 5 }]), [1, 2, 3]);
});

test('back-off grows, is capped, and is jittered within its window', () => {
  assert.equal(backoffDelay(1, { random: () => 0 }), 250);
  assert.equal(backoffDelay(1, { random: () => 1 }), 500);
  assert.equal(backoffDelay(3, { random: () => 1 }), 2000);
  assert.equal(backoffDelay(20, { random: () => 1 }), 8000);
});

test('a broken connection, a server error or an aged URL is retried; a refused length is not', () => {
  for (const status of [0, 403, 500, 503]) assert.equal(retryable(status), true, String(status));
  for (const status of [400, 404, 412]) assert.equal(retryable(status), false, String(status));
});

test('the resume key tells files apart by name, size, date and profile', () => {
  const file = { name: 'a.mp4', size: 10, lastModified: 1 };
  assert.equal(resumeKey(file, 'video'), resumeKey({ ...file }, 'video'));
  assert.notEqual(resumeKey(file, 'video'), resumeKey({ ...file, size: 11 }, 'video'));
  assert.notEqual(resumeKey(file, 'video'), resumeKey({ ...file, lastModified: 2 }, 'video'));
  assert.notEqual(resumeKey(file, 'video'), resumeKey(file, 'archive'));
});

test('URLs are minted for the next parts that have none, a page at a time', () => {
  assert.deepEqual(nextBatch([1, 2, 3, 4, 5, 6], 2, 3, n => n === 3), [2, 4, 5]);
});

test('the package is versioned with the project', () => {
  const pom = readFileSync(new URL('../../../pom.xml', import.meta.url), 'utf8');
  const projectVersion = pom.match(/<artifactId>uploadguard-parent<\/artifactId>\s*<version>([^<]+)<\/version>/)[1];
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.version, projectVersion);
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'no runtime dependencies');
});

test('the README shows each frontend snippet exactly as the browser test runs it', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  for (const name of ['fetch-upload.js', 'client-upload.js', 'uppy-upload.js']) {
    const snippet = readFileSync(new URL('../examples/' + name, import.meta.url), 'utf8');
    assert.ok(readme.includes('```js\n' + snippet + '```'), name + ' is in the README as it is');
  }
});
