import type { UploadGuardClient, UploadStatus, WaitOptions } from './index.js';

/** The part of an Uppy instance the adapter uses (to emit `uploadguard:verdict`). */
export interface UppyLike {
  on(event: 'upload-success', handler: (file: any, response: any) => void): unknown;
  emit(event: string, ...args: any[]): void;
  getFile(id: string): any;
}

export interface UploadGuardUppyOptions {
  /** Give it to receive `uppy.on('uploadguard:verdict', (file, verdict) => ...)`. */
  uppy?: UppyLike;
  signerUrl?: string;
  token?: string;
  getToken?: () => string | Promise<string>;
  profile: string;
  clientReference?: (file: { id: string; name?: string }) => string | undefined;
  /** The profile's multipart settings (its multipart-threshold and part-size, in bytes): files above go in parts. */
  multipart?: { threshold: number; partSize: number };
  /** Options of the verdict wait, or false for none. */
  waitForVerdict?: WaitOptions | false;
  client?: UploadGuardClient;
}

/** Options for `uppy.use(AwsS3, ...)` (@uppy/aws-s3 6.x). */
export interface AwsS3Options {
  signRequest: (request: {
    method: 'PUT' | 'POST' | 'GET' | 'DELETE';
    key: string;
    contentType?: string;
    uploadId?: string;
    partNumber?: number;
  }) => Promise<{ url: string; key?: string; headers?: Record<string, string> }>;
  generateObjectKey: (file: { id: string; size: number | null; name?: string; type?: string }) => string;
  shouldUseMultipart: (file: { size: number | null }) => boolean;
  getChunkSize?: (file: { size: number }) => number;
}

export const VERDICT_EVENT: 'uploadguard:verdict';
export type Verdict = UploadStatus;
export function uploadGuardUppy(options: UploadGuardUppyOptions): AwsS3Options;
