import http from 'node:http';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

interface Answer {
  status: number;
  body: string;
  continued: boolean;
}

/** A POST through Node's own client; rejects on a reset or EPIPE, as a real client would see it. */
function post(url: string, body: Buffer[], headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), continued }));
      response.on('error', reject);
    });
    request.on('error', reject);
    const send = () => {
      for (const chunk of body) request.write(chunk);
      request.end();
    };
    if (headers['expect']) {
      request.on('continue', () => {
        continued = true;
        send();
      });
      // Flushes the headers; the body waits for 100 Continue (or an early answer).
      request.flushHeaders();
    } else send();
  });
}

const REFUSED = { errors: [{ message: 'request body larger than 1mb', extensions: { code: 'PAYLOAD_TOO_LARGE', retryable: false } }] };

describe('a body over 1 MB is answered 413, and the client receives the answer', () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('with a Content-Length, every time', async () => {
    // Large enough that the client is still sending when the server has answered.
    const body = Buffer.alloc(8 * 1024 * 1024, 32);
    for (let i = 0; i < 15; i += 1) {
      const answer = await post(server.url, [body], { 'content-length': String(body.length) });
      expect({ status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({ status: 413, body: REFUSED });
    }
  });

  it('streamed without a Content-Length, every time', async () => {
    for (let i = 0; i < 10; i += 1) {
      const answer = await post(
        server.url,
        Array.from({ length: 8 }, () => Buffer.alloc(1024 * 1024, 32)),
        { 'transfer-encoding': 'chunked' },
      );
      expect({ status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({ status: 413, body: REFUSED });
    }
  });

  it('with Expect: 100-continue, before the body is sent', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 32);
    const answer = await post(server.url, [body], { 'content-length': String(body.length), expect: '100-continue' });
    expect({ status: answer.status, continued: answer.continued, body: JSON.parse(answer.body) as unknown }).toEqual({
      status: 413,
      continued: false,
      body: REFUSED,
    });
  });
});
