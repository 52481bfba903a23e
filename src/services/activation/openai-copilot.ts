import { z } from 'zod';
import { AppError } from '../../errors.js';
import { callExternal, expectShape, parseJson, type FetchFn } from '../shared/external-http.js';
import type { CopilotPort } from './copilot-port.js';

export interface OpenAiCopilotOptions {
  /** The API's base, the part before `/chat/completions`: https://api.openai.com/v1, http://localhost:11434/v1… */
  url: string;
  apiKey?: string | undefined;
  model: string;
  fetch?: FetchFn;
  timeoutMs?: number;
}

const completion = z.looseObject({
  model: z.string().optional(),
  choices: z.array(z.looseObject({ message: z.looseObject({ content: z.string().nullable() }) })).min(1),
});

/**
 * A copilot behind OpenAI's chat-completions API: `POST <url>/chat/completions` with
 * `{ model, messages: [system, user], temperature: 0, max_tokens }` and `Authorization: Bearer <key>`;
 * the answer is `choices[0].message.content`. 429 and 5xx are EXTERNAL_UNAVAILABLE (retried), 401/403 a
 * key it refuses (not retried), any other status or an answer without content EXTERNAL_UNAVAILABLE, not retried.
 */
export function createOpenAiCopilot(options: OpenAiCopilotOptions): CopilotPort {
  const url = `${options.url.replace(/\/+$/, '')}/chat/completions`;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (options.apiKey) headers['Authorization'] = `Bearer ${options.apiKey}`;
  return {
    name: 'openai-compatible',
    async complete(request, signal) {
      const body = JSON.stringify({
        model: options.model,
        temperature: 0,
        max_tokens: 300,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.prompt },
        ],
      });
      const answer = await callExternal({
        system: 'Copilot model',
        fetch: options.fetch ?? fetch,
        url,
        method: 'POST',
        headers,
        body,
        timeoutMs: options.timeoutMs ?? 30_000,
        signal,
      });
      if (answer.status === 429)
        throw new AppError('EXTERNAL_UNAVAILABLE', 'the copilot model is rate limited (429)', { details: { status: 429 } });
      if (answer.status === 401 || answer.status === 403) {
        throw new AppError('EXTERNAL_UNAVAILABLE', `the copilot model refused the API key (${answer.status})`, {
          retryable: false,
          details: { status: answer.status },
        });
      }
      if (answer.status !== 200) {
        throw new AppError('EXTERNAL_UNAVAILABLE', `the copilot model answered ${answer.status}: ${answer.text.slice(0, 200)}`, {
          retryable: false,
          details: { status: answer.status },
        });
      }
      const parsed = expectShape('Copilot model', completion, parseJson('Copilot model', answer.text), 'chat completion');
      const text = parsed.choices[0]?.message.content?.trim();
      if (!text) throw new AppError('EXTERNAL_UNAVAILABLE', 'the copilot model answered with no content', { retryable: false });
      return { text, model: parsed.model ?? options.model };
    },
  };
}
