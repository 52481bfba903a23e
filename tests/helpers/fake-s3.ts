import type http from 'node:http';
import { signS3Request } from '../../src/services/activation/s3-signing.js';
import { serveFake } from './fake-http.js';

export interface FakeS3 {
  url: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Buckets by name, with the keys of the objects in them. */
  buckets: Map<string, Set<string>>;
  /** Names another account owns: `PUT` of one answers 409 BucketAlreadyExists (bucket names are global). */
  othersBuckets: Set<string>;
  requests: Array<{ method: string; path: string; status: number }>;
  /** The next `count` requests answer 503 SlowDown, as S3 does when throttling. */
  failNext(count: number): void;
  stop(): Promise<void>;
}

const xmlError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

/**
 * The bucket calls of the S3 REST API (path-style), as S3 or MinIO answer them: every request's SigV4
 * Authorization is checked — the signature recomputed from the request received with the fake's own
 * secret (403 SignatureDoesNotMatch), its date within 15 minutes (403 RequestTimeTooSkewed) —; `PUT
 * /<bucket>` 200, or 409 BucketAlreadyOwnedByYou (ours) / BucketAlreadyExists (another account's); `DELETE /<bucket>` 204, 404 NoSuchBucket, or 409
 * BucketNotEmpty when it holds objects.
 */
export async function startFakeS3(options: { region?: string } = {}): Promise<FakeS3> {
  const region = options.region ?? 'eu-central-1';
  const credentials = { accessKeyId: 'AKIAFAKEACTIVATION01', secretAccessKey: 'fake/secret/key/for/the/activation/tests', region };
  const buckets = new Map<string, Set<string>>();
  const othersBuckets = new Set<string>();
  const requests: FakeS3['requests'] = [];
  let failing = 0;

  function signatureProblem(req: http.IncomingMessage, body: string): string | undefined {
    const authorization = req.headers.authorization ?? '';
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(
        authorization,
      );
    if (!match) return 'AccessDenied';
    const [, keyId, , signedRegion, signedHeaders = '', signature] = match;
    if (keyId !== credentials.accessKeyId) return 'InvalidAccessKeyId';
    const date = String(req.headers['x-amz-date'] ?? '');
    const at = new Date(
      `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
    );
    if (Number.isNaN(at.getTime()) || Math.abs(Date.now() - at.getTime()) > 15 * 60_000) return 'RequestTimeTooSkewed';
    const names = signedHeaders.split(';');
    if (!['host', 'x-amz-content-sha256', 'x-amz-date'].every((name) => names.includes(name))) return 'AccessDenied';
    const others = Object.fromEntries(
      names
        .filter((name) => !['host', 'x-amz-content-sha256', 'x-amz-date'].includes(name))
        .map((name) => [name, String(req.headers[name] ?? '')]),
    );
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? ''}`);
    const expected = signS3Request(
      { method: req.method ?? '', url, headers: others, body },
      { ...credentials, region: signedRegion ?? '' },
      at,
    );
    if (expected['x-amz-content-sha256'] !== req.headers['x-amz-content-sha256']) return 'XAmzContentSHA256Mismatch';
    return expected['authorization']?.endsWith(`Signature=${signature}`) ? undefined : 'SignatureDoesNotMatch';
  }

  const server = await serveFake(({ req, res, body, path }) => {
    const send = (status: number, xml = '', headers: Record<string, string> = {}) => {
      requests.push({ method: req.method ?? '', path, status });
      res.writeHead(status, { 'Content-Type': 'application/xml', ...headers });
      res.end(xml);
    };
    if (failing > 0) {
      failing -= 1;
      send(503, xmlError('SlowDown', 'Please reduce your request rate.'));
      return;
    }
    const problem = signatureProblem(req, body);
    if (problem) {
      send(403, xmlError(problem, 'The request signature we calculated does not match the signature you provided.'));
      return;
    }
    const bucket = decodeURIComponent(path.slice(1));
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      send(400, xmlError('InvalidBucketName', 'The specified bucket is not valid.'));
      return;
    }
    if (req.method === 'PUT') {
      if (buckets.has(bucket))
        return send(
          409,
          xmlError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.'),
        );
      if (othersBuckets.has(bucket))
        return send(
          409,
          xmlError(
            'BucketAlreadyExists',
            'The requested bucket name is not available. The bucket namespace is shared by all users of the system.',
          ),
        );
      if (region !== 'us-east-1' && !body.includes(`<LocationConstraint>${region}</LocationConstraint>`)) {
        return send(
          400,
          xmlError(
            'IllegalLocationConstraintException',
            `The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.`,
          ),
        );
      }
      buckets.set(bucket, new Set());
      return send(200, '', { Location: `/${bucket}` });
    }
    if (req.method === 'DELETE') {
      const objects = buckets.get(bucket);
      if (!objects) return send(404, xmlError('NoSuchBucket', 'The specified bucket does not exist'));
      if (objects.size > 0) return send(409, xmlError('BucketNotEmpty', 'The bucket you tried to delete is not empty'));
      buckets.delete(bucket);
      return send(204);
    }
    send(405, xmlError('MethodNotAllowed', 'The specified method is not allowed against this resource.'));
  });
  return {
    url: server.url,
    ...credentials,
    buckets,
    othersBuckets,
    requests,
    failNext(count) {
      failing = count;
    },
    stop: server.stop,
  };
}
