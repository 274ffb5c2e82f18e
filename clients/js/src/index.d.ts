// Hand-written types of @uploadguard/client (the package is plain ES modules; see README.md).

/** A file to upload: a browser File or Blob (a name and lastModified make it resumable). */
export interface FileLike {
  readonly size: number;
  readonly type?: string;
  readonly name?: string;
  readonly lastModified?: number;
  slice(start?: number, end?: number): Blob;
}

export interface PartUrl {
  partNumber: number;
  url: string;
  headers: Record<string, string>;
}

/** What POST /uploads answers: a single PUT, or a multipart plan with the first page of part URLs. */
export type Grant =
  | { uploadId: string; key: string; method: 'PUT'; url: string; headers: Record<string, string>; expiresAt: string }
  | {
      uploadId: string;
      key: string;
      method: 'MULTIPART';
      partSize: number;
      partCount: number;
      parts: PartUrl[];
      nextPartNumber: number | null;
      expiresAt: string;
      partUrlsExpireAt: string;
    };

/** GET /uploads/{id}: the upload's status; a verdict once `status` is neither reserved nor scan_pending. */
export interface UploadStatus {
  uploadId: string;
  key: string;
  profile: string;
  status: 'reserved' | 'scan_pending' | 'accepted' | 'rejected' | 'expired' | 'removed' | 'gone' | string;
  reasons?: string[];
  signatures?: string[];
  action?: string;
  declaredType?: string;
  declaredSize?: number;
  detectedType?: string;
  realSize?: number;
  clientReference?: string;
  [field: string]: unknown;
}

export interface ListedParts {
  uploadId: string;
  partSize: number;
  partCount: number;
  parts: { partNumber: number; size: number; etag: string }[];
  state: 'OPEN' | 'COMPLETED' | 'ABORTED';
}

export interface SignOptions {
  profile: string;
  clientReference?: string;
  contentType?: string;
  signal?: AbortSignal;
}

export interface UploadOptions extends SignOptions {
  onProgress?: (progress: { loaded: number; total: number }) => void;
  /** Called as each part of a multipart upload is stored. */
  onPartDone?: (partNumber: number) => void;
  /** A failed part is about to be sent again (status 0: the connection broke). */
  onRetry?: (retry: { partNumber: number; attempt: number; status: number }) => void;
  /** An interrupted multipart upload of the same file was found and goes on. */
  onResume?: (resume: { uploadId: string; partCount: number; partsStored: number }) => void;
  /** Parts in flight at once (multipart); default 4. */
  concurrency?: number;
  /** Retries of a failed part, with back-off; default 3. */
  retries?: number;
}

export interface UploadResult {
  uploadId: string;
  key: string;
  method: 'PUT' | 'MULTIPART';
}

/** Pushes a verdict when the app has one (its backend's notifications); null to leave it to polling. */
export type VerdictSource = (uploadId: string, options: { signal: AbortSignal }) => Promise<UploadStatus | null>;

export interface WaitOptions {
  signal?: AbortSignal;
  /** Default 120000. */
  timeoutMs?: number;
  verdictSource?: VerdictSource;
  /** Each status polled, e.g. to say that the malware scanner holds the upload (scan_pending). */
  onStatus?: (upload: UploadStatus) => void;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** Where a resumable upload is remembered: localStorage's shape. */
export interface ResumeStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ClientOptions {
  /** The signer's base URL; empty for a page the signer serves itself. */
  signerUrl?: string;
  token?: string;
  getToken?: () => string | Promise<string>;
  fetch?: typeof fetch;
  /** Default: localStorage where there is one; null to make nothing resumable. */
  storage?: ResumeStorage | null;
}

export class UploadGuardClient {
  constructor(options: ClientOptions);
  readonly signerUrl: string;
  sign(file: FileLike, options: SignOptions): Promise<Grant>;
  upload(file: FileLike, options: UploadOptions): Promise<UploadResult>;
  abort(uploadId: string, options?: { signal?: AbortSignal }): Promise<{ uploadId: string; state: 'ABORTED' }>;
  status(uploadId: string, options?: { signal?: AbortSignal }): Promise<UploadStatus>;
  listParts(uploadId: string, options?: { signal?: AbortSignal }): Promise<ListedParts>;
  mintParts(
    uploadId: string,
    partNumbers: number[],
    signal?: AbortSignal,
  ): Promise<{ uploadId: string; parts: PartUrl[]; partUrlsExpireAt: string }>;
  complete(uploadId: string, options?: { signal?: AbortSignal }): Promise<{ uploadId: string; key: string; state: 'COMPLETED' }>;
  waitForVerdict(uploadId: string, options?: WaitOptions): Promise<UploadStatus>;
}

/** `code` is the signer's stable error code, or network_error, storage_refused, aborted, verdict_timeout, ... */
export class UploadGuardError extends Error {
  constructor(code: string, message: string, options?: { status?: number; retryAfterMs?: number | null; cause?: unknown });
  readonly code: string;
  /** The HTTP status; 0 when none came back. */
  readonly status: number;
  readonly retryAfterMs: number | null;
  partNumber?: number;
}

export function partRange(partNumber: number, partSize: number, size: number): { start: number; end: number };
export function partsToSend(
  plan: { size: number; partSize: number; partCount: number },
  uploaded?: { partNumber: number; size: number }[],
): number[];
export function backoffDelay(attempt: number, options?: { baseMs?: number; maxMs?: number; random?: () => number }): number;
export function resumeKey(file: FileLike, profile?: string): string;
export function eventSourceVerdicts(url: string, options?: { EventSourceImpl?: typeof EventSource }): VerdictSource;
