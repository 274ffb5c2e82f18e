// A fake signer and storage for the unit tests of the client's logic (the real ones are exercised
// by the Chromium tests in the launcher module).
export function jsonResponse(status, body, headers = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status, headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export class MemoryStorage {
  #items = new Map();
  get length() { return this.#items.size; }
  key(i) { return [...this.#items.keys()][i] ?? null; }
  getItem(k) { return this.#items.has(k) ? this.#items.get(k) : null; }
  setItem(k, v) { this.#items.set(k, String(v)); }
  removeItem(k) { this.#items.delete(k); }
}

/** A signer that plans `partCount` parts of `partSize` and records every call. */
export function fakeSigner({ size, partSize, pageSize = 2, listed = [], state = 'OPEN', failures = {} }) {
  const partCount = Math.ceil(size / partSize);
  const calls = [];
  const url = n => ({ partNumber: n, url: 'https://s3.example/part' + n, headers: { 'Content-Length': String(n) } });
  const fetch = async (href, init) => {
    const path = new URL(href, 'https://signer.example').pathname;
    const body = init.body ? JSON.parse(init.body) : undefined;
    calls.push({ method: init.method, path, body, auth: init.headers.Authorization });
    if (failures[path]) return failures[path]();
    if (init.method === 'POST' && path === '/uploads') {
      const first = Array.from({ length: Math.min(pageSize, partCount) }, (_, i) => url(i + 1));
      return jsonResponse(201, { uploadId: 'u1', key: 'k1', method: 'MULTIPART', partSize, partCount, parts: first,
        nextPartNumber: partCount > pageSize ? pageSize + 1 : null, expiresAt: new Date(Date.now() + 3600e3).toISOString(),
        partUrlsExpireAt: new Date(Date.now() + 600e3).toISOString() });
    }
    if (init.method === 'POST' && path === '/uploads/u1/parts') {
      return jsonResponse(200, { uploadId: 'u1', parts: body.partNumbers.map(url),
        partUrlsExpireAt: new Date(Date.now() + 600e3).toISOString() });
    }
    if (init.method === 'GET' && path === '/uploads/u1/parts') {
      return jsonResponse(200, { uploadId: 'u1', partSize, partCount, parts: listed, state });
    }
    if (init.method === 'POST' && path === '/uploads/u1/complete') {
      return jsonResponse(200, { uploadId: 'u1', key: 'k1', state: 'COMPLETED' });
    }
    return jsonResponse(404, { error: 'not_found', message: 'no such upload' });
  };
  return { fetch, calls, partCount };
}

/** Storage that answers each part PUT; `plan` maps a URL to the statuses of its attempts in turn. */
export function fakeStorage(plan = {}) {
  const puts = [];
  const putBytes = async (url, headers, body, { onProgress }) => {
    puts.push({ url, size: body.size });
    const statuses = plan[url];
    const status = statuses && statuses.length ? statuses.shift() : 200;
    if (status === 200) onProgress && onProgress(body.size);
    return { status, etag: status === 200 ? '"etag"' : null };
  };
  return { putBytes, puts };
}
