// UploadGuardClient: signs with the signer, uploads straight to storage (one PUT, or parts in
// parallel for a multipart grant), and follows the upload to the enforcer's verdict.
import { UploadGuardError, abortError, signerError, storageError } from './errors.js';
import { sendParts, delay } from './multipart.js';
import { partsToSend, resumeKey } from './plan.js';
import { putBytes as defaultPutBytes } from './transport.js';

const PENDING = new Set(['reserved', 'scan_pending']);
const DEFAULT_PAGE_SIZE = 20;

export class UploadGuardClient {
  /**
   * @param options {signerUrl, token | getToken, fetch?, storage?, putBytes?}
   *   storage: where resumable uploads are remembered (localStorage in a browser; null to forget)
   */
  constructor({ signerUrl = '', token, getToken, fetch: fetchFn, storage, putBytes } = {}) {
    if (!token && !getToken) throw new TypeError('UploadGuardClient needs a token or getToken');
    this.signerUrl = signerUrl.replace(/\/+$/, '');
    this.getToken = getToken || (() => token);
    this.fetch = fetchFn || ((...args) => globalThis.fetch(...args));
    this.storage = storage !== undefined ? storage : (globalThis.localStorage ?? null);
    this.putBytes = putBytes || defaultPutBytes;
  }

  /** Asks for a grant: a single-PUT ticket or, above the profile's threshold, a multipart plan. */
  sign(file, { profile, clientReference, contentType, signal } = {}) {
    const body = { profile, contentType: contentType || file.type || 'application/octet-stream', size: file.size };
    if (file.name) body.filename = file.name;
    if (clientReference) body.clientReference = clientReference;
    return this.#call('POST', '/uploads', body, signal);
  }

  /**
   * Uploads a file and resolves with `{uploadId, key, method}` once storage has all of it (the
   * verdict comes later: {@link waitForVerdict}). A multipart upload interrupted by a reload resumes
   * where S3 stopped when the same file is picked again.
   */
  async upload(file, options = {}) {
    const { profile, signal, onProgress } = options;
    const progress = loaded => onProgress && onProgress({ loaded, total: file.size });
    const resumed = await this.#resume(file, profile, signal);
    if (resumed && options.onResume) {
      options.onResume({ uploadId: resumed.plan.uploadId, partCount: resumed.plan.partCount,
        partsStored: resumed.plan.partCount - resumed.todo.length });
    }
    if (resumed) return this.#finishMultipart(file, resumed.plan, resumed.todo, options, progress);

    const grant = await this.sign(file, options);
    if (grant.method === 'MULTIPART') {
      const plan = { ...grant, size: file.size, pageSize: grant.nextPartNumber ? grant.parts.length : DEFAULT_PAGE_SIZE };
      this.#remember(file, profile, plan);
      return this.#finishMultipart(file, plan, partsToSend(plan), options, progress);
    }
    if (!grant.url) throw new UploadGuardError('bad_grant', 'the signer answered no URL');
    progress(0);
    const result = await this.putBytes(grant.url, grant.headers, file, { signal, onProgress: progress });
    if (result.status === 0) throw new UploadGuardError('network_error', 'the connection to storage broke');
    if (result.status < 200 || result.status >= 300) throw storageError(result.status);
    progress(file.size);
    return { uploadId: grant.uploadId, key: grant.key, method: 'PUT' };
  }

  /** Aborts a multipart upload and gives its reservation back. */
  abort(uploadId, { signal } = {}) {
    this.#forget(id => id === uploadId);
    return this.#call('DELETE', '/uploads/' + encodeURIComponent(uploadId), undefined, signal);
  }

  /** What `GET /uploads/{id}` says now. */
  status(uploadId, { signal } = {}) {
    return this.#call('GET', '/uploads/' + encodeURIComponent(uploadId), undefined, signal);
  }

  /** Which parts S3 holds for a multipart upload. */
  listParts(uploadId, { signal } = {}) {
    return this.#call('GET', '/uploads/' + encodeURIComponent(uploadId) + '/parts', undefined, signal);
  }

  /** Mints URLs for more parts (at most a page of them). */
  mintParts(uploadId, partNumbers, signal) {
    return this.#call('POST', '/uploads/' + encodeURIComponent(uploadId) + '/parts', { partNumbers }, signal);
  }

  /** Asks the signer to complete a multipart upload (repeat-safe). */
  complete(uploadId, { signal } = {}) {
    return this.#call('POST', '/uploads/' + encodeURIComponent(uploadId) + '/complete', undefined, signal);
  }

  /**
   * Resolves with the upload's status once it has a verdict (any status but reserved and
   * scan_pending). Polls with back-off; `verdictSource(uploadId, {signal})`, when given, is raced
   * against the polling: an app that pushes verdicts (its backend's notifications, e.g. over an
   * EventSource) answers at once.
   */
  async waitForVerdict(uploadId, { signal, timeoutMs = 120000, verdictSource, onStatus,
    minDelayMs = 250, maxDelayMs = 2000 } = {}) {
    const controller = new AbortController();
    const stop = () => controller.abort(signal.reason);
    signal && signal.addEventListener('abort', stop, { once: true });
    const timer = setTimeout(() => controller.abort(new UploadGuardError('verdict_timeout',
      'no verdict within ' + Math.round(timeoutMs / 1000) + ' s; the enforcer may be down')), timeoutMs);
    const poll = async () => {
      for (let wait = minDelayMs; ; wait = Math.min(maxDelayMs, wait * 1.5)) {
        const upload = await this.status(uploadId, { signal: controller.signal });
        onStatus && onStatus(upload);
        if (!PENDING.has(upload.status)) return upload;
        await delay(wait, controller.signal);
      }
    };
    const pushed = verdictSource
      ? Promise.resolve(verdictSource(uploadId, { signal: controller.signal })).then(v => v || new Promise(() => {}))
      : new Promise(() => {});
    try {
      return await Promise.race([poll(), pushed]);
    } catch (error) {
      throw controller.signal.aborted ? abortError(controller.signal) : error;
    } finally {
      clearTimeout(timer);
      controller.abort();
      signal && signal.removeEventListener('abort', stop);
    }
  }

  async #finishMultipart(file, plan, todo, { concurrency, retries, signal, onPartDone, onRetry }, progress) {
    await sendParts(this, file, plan, todo, {
      concurrency, retries, signal, onProgress: progress, putBytes: this.putBytes, onPartDone, onRetry,
    });
    const done = await this.complete(plan.uploadId, { signal });
    this.#forget(id => id === plan.uploadId);
    return { uploadId: plan.uploadId, key: done.key || plan.key, method: 'MULTIPART' };
  }

  async #resume(file, profile, signal) {
    const saved = this.#recall(file, profile);
    if (!saved) return null;
    try {
      const listed = await this.listParts(saved.uploadId, { signal });
      if (listed.state === 'OPEN' && listed.partSize === saved.partSize && listed.partCount === saved.partCount) {
        const plan = { ...saved, size: file.size };
        return { plan, todo: partsToSend(plan, listed.parts) };
      }
      if (listed.state === 'COMPLETED') {
        const plan = { ...saved, size: file.size };
        return { plan, todo: [] };
      }
    } catch (error) {
      if (error.code === 'aborted') throw error;
      if (error.status !== 404 && error.status !== 409) throw error;
    }
    this.#forget(id => id === saved.uploadId);
    return null;
  }

  #remember(file, profile, plan) {
    const { uploadId, key, partSize, partCount, pageSize, expiresAt } = plan;
    try {
      this.storage && this.storage.setItem(resumeKey(file, profile),
        JSON.stringify({ uploadId, key, partSize, partCount, pageSize, expiresAt }));
    } catch { /* storage full or blocked: the upload goes on, just not resumable */ }
  }

  #recall(file, profile) {
    try {
      const saved = this.storage && JSON.parse(this.storage.getItem(resumeKey(file, profile)) || 'null');
      if (saved && saved.expiresAt && Date.parse(saved.expiresAt) < Date.now()) return null;
      return saved;
    } catch {
      return null;
    }
  }

  #forget(matches) {
    if (!this.storage) return;
    try {
      for (let i = this.storage.length - 1; i >= 0; i--) {
        const name = this.storage.key(i);
        if (!name || !name.startsWith('uploadguard:')) continue;
        const saved = JSON.parse(this.storage.getItem(name) || 'null');
        if (saved && matches(saved.uploadId)) this.storage.removeItem(name);
      }
    } catch { /* nothing to forget */ }
  }

  async #call(method, path, body, signal) {
    const token = await this.getToken();
    const headers = { Authorization: 'Bearer ' + token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await this.fetch(this.signerUrl + path,
        { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (error) {
      if (signal && signal.aborted) throw abortError(signal);
      throw new UploadGuardError('network_error', 'could not reach the signer: ' + error.message, { cause: error });
    }
    if (!response.ok) throw await signerError(response);
    return response.json();
  }
}
