import { AppError } from '../../errors.js';
import { callExternal, type ExternalResponse, type FetchFn } from '../shared/external-http.js';
import type { BucketPort, ExternalCallContext } from './data-store-ports.js';
import { signS3Request, type S3Credentials } from './s3-signing.js';

export interface S3BucketsOptions extends S3Credentials {
  /** The S3 API's origin: `https://s3.eu-central-1.amazonaws.com`, a MinIO's `http://minio:9000`. Buckets are addressed path-style. */
  endpoint: string;
  fetch?: FetchFn;
  timeoutMs?: number;
  now?: () => Date;
}

const codeOf = (answer: ExternalResponse) => /<Code>([^<]+)<\/Code>/.exec(answer.text)?.[1] ?? '';

/**
 * Buckets in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, R2…) through its REST API, signed
 * with SigV4: `PUT /<bucket>` (with the region's LocationConstraint outside us-east-1) creates it —
 * `409 BucketAlreadyOwnedByYou` is one an earlier attempt made; `BucketAlreadyExists` (someone else's)
 * is refused, not retried. `DELETE /<bucket>` removes it — `404 NoSuchBucket` is gone already;
 * `409 BucketNotEmpty` is refused: the undo never deletes data someone put there since.
 */
export function createS3Buckets(options: S3BucketsOptions): BucketPort {
  const base = new URL(options.endpoint);
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const call = (ctx: ExternalCallContext, method: string, bucket: string, body = '') => {
    const url = new URL(`/${encodeURIComponent(bucket)}`, base);
    const headers = signS3Request({ method, url, body }, options, now());
    delete headers['host'];
    return callExternal({
      system: 'S3',
      fetch: fetchFn,
      url: url.toString(),
      method,
      headers,
      body: body || undefined,
      timeoutMs: options.timeoutMs ?? 10_000,
      signal: ctx.signal,
    });
  };

  return {
    name: 's3',
    target: base.origin,
    async createBucket(ctx, bucket) {
      const body =
        options.region === 'us-east-1'
          ? ''
          : `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${options.region}</LocationConstraint></CreateBucketConfiguration>`;
      const answer = await call(ctx, 'PUT', bucket, body);
      if (answer.status === 200) return { created: true };
      if (answer.status === 409 && codeOf(answer) === 'BucketAlreadyOwnedByYou') return { created: false };
      throw refusal(`PUT bucket ${bucket}`, answer);
    },
    async deleteBucket(ctx, bucket) {
      const answer = await call(ctx, 'DELETE', bucket);
      if (answer.status === 204 || answer.status === 200) return { deleted: true };
      if (answer.status === 404 && codeOf(answer) === 'NoSuchBucket') return { deleted: false };
      throw refusal(`DELETE bucket ${bucket}`, answer);
    },
  };
}

function refusal(what: string, answer: ExternalResponse): AppError {
  const code = codeOf(answer);
  const message = /<Message>([^<]+)<\/Message>/.exec(answer.text)?.[1] ?? answer.text.slice(0, 200);
  // Throttling comes as 503 SlowDown (retried by callExternal's 5xx rule); what reaches here is a refusal.
  const kind =
    code === 'BucketAlreadyExists' || code === 'BucketNotEmpty'
      ? 'CONFLICT'
      : code === 'InvalidBucketName'
        ? 'VALIDATION'
        : 'EXTERNAL_UNAVAILABLE';
  return new AppError(kind, `S3 answered ${answer.status} ${code} to ${what}: ${message}`, {
    retryable: false,
    details: { status: answer.status, s3Code: code },
  });
}
