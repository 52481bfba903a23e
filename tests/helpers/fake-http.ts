import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHttpRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** The whole body, as UTF-8. */
  body: string;
  /** The URL's path, undecoded. */
  path: string;
}

/** A local HTTP server for a fake of a system outside: each request handed over with its body read. */
export async function serveFake(handle: (request: FakeHttpRequest) => void): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () =>
      handle({ req, res, body: Buffer.concat(chunks).toString('utf8'), path: new URL(req.url ?? '/', 'http://localhost').pathname }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
