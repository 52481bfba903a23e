import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChatCompletions {
  /** The API's base (`…/v1`), as COPILOT_API_URL takes it. */
  url: string;
  /** Every request's parsed body. */
  requests: Array<{ model: string; messages: Array<{ role: string; content: string }> }>;
  /** The next `count` requests answer 429 (rate limited). */
  rateLimitNext(count: number): void;
  stop(): Promise<void>;
}

/**
 * OpenAI's `POST /v1/chat/completions` as such a server answers it: a bearer key (401 with an
 * `invalid_api_key` error otherwise), `{ id, object: "chat.completion", model, choices: [{ index, message:
 * { role: "assistant", content }, finish_reason: "stop" }], usage }`. The content repeats the user's question
 * and adds a line with a phone number and an e-mail address, so a caller's PII scrubbing can be seen working.
 */
export async function startFakeChatCompletions(apiKey = 'sk-fake-copilot'): Promise<FakeChatCompletions> {
  const requests: FakeChatCompletions['requests'] = [];
  let limited = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const send = (code: number, body: unknown) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== '/v1/chat/completions') {
        send(404, { error: { message: 'Not found', type: 'invalid_request_error' } });
        return;
      }
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        send(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
        return;
      }
      if (limited > 0) {
        limited -= 1;
        send(429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } });
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeChatCompletions['requests'][number];
      requests.push(body);
      const question = body.messages.find((message) => message.role === 'user')?.content ?? '';
      send(200, {
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: `${body.model}-2024-07-18`,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: `You asked: ${question} Call +1 555 010 9999 or write to help@example.com.` },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 20, completion_tokens: 20, total_tokens: 40 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    rateLimitNext(count) {
      limited = count;
    },
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
