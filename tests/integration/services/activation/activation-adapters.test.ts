import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createBuiltinCopilot } from '../../../../src/services/activation/copilot-port.js';
import { scrubPii } from '../../../../src/services/activation/copilots.js';
import { mergeModules } from '../../../../src/services/activation/industry-preset.js';
import { createKubernetesHttp } from '../../../../src/services/activation/kubernetes-http.js';
import { infrastructureManifests } from '../../../../src/services/activation/manifests.js';
import { createOpenAiCopilot } from '../../../../src/services/activation/openai-copilot.js';
import { startFakeChatCompletions, type FakeChatCompletions } from '../../../helpers/fake-chat-completions.js';
import { startFakeKubernetes, type FakeKubernetes } from '../../../helpers/fake-kubernetes.js';
import { ctx, failure } from './adapter-failure.js';

describe('the Kubernetes adapter of the activation, against a local fake of the API server', () => {
  let cluster: FakeKubernetes;
  beforeAll(async () => {
    cluster = await startFakeKubernetes();
  });
  afterAll(async () => {
    await cluster.stop();
  });
  const manifests = (namespace: string) => infrastructureManifests(namespace, 'starter', { 'app.kubernetes.io/managed-by': 'switchyard' });

  it('creates the namespace and its objects at their collections, and applies them again as already made', async () => {
    const kubernetes = createKubernetesHttp({ url: cluster.url, token: cluster.token });
    const first = await kubernetes.apply(ctx, manifests('tenant-one'));
    expect(first.map((object) => [object.kind, object.created])).toEqual([
      ['Namespace', true],
      ['NetworkPolicy', true],
      ['ResourceQuota', true],
      ['ServiceAccount', true],
      ['RoleBinding', true],
    ]);
    expect(cluster.requests.filter((request) => request.method === 'POST').map((request) => request.path)).toEqual([
      '/api/v1/namespaces',
      '/apis/networking.k8s.io/v1/namespaces/tenant-one/networkpolicies',
      '/api/v1/namespaces/tenant-one/resourcequotas',
      '/api/v1/namespaces/tenant-one/serviceaccounts',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/tenant-one/rolebindings',
    ]);
    const again = await kubernetes.apply(ctx, manifests('tenant-one'));
    expect(again.every((object) => !object.created)).toBe(true);
    expect(cluster.inNamespace('tenant-one')).toHaveLength(4);
  });

  it('deletes a namespace with what it holds; one already gone is not an error', async () => {
    const kubernetes = createKubernetesHttp({ url: cluster.url, token: cluster.token });
    await kubernetes.apply(ctx, manifests('tenant-two'));
    expect(await kubernetes.deleteNamespace(ctx, 'tenant-two')).toEqual({ deleted: true });
    expect(cluster.namespaces()).not.toContain('tenant-two');
    expect(cluster.inNamespace('tenant-two')).toEqual([]);
    expect(await kubernetes.deleteNamespace(ctx, 'tenant-two')).toEqual({ deleted: false });
  });

  it('retries while a removed namespace is still terminating, then makes it again', async () => {
    const kubernetes = createKubernetesHttp({ url: cluster.url, token: cluster.token });
    await kubernetes.apply(ctx, manifests('tenant-three'));
    cluster.holdTermination = true;
    await kubernetes.deleteNamespace(ctx, 'tenant-three');
    expect(await failure(kubernetes.apply(ctx, manifests('tenant-three')))).toMatchObject({
      code: 'EXTERNAL_UNAVAILABLE',
      retryable: true,
      message: expect.stringMatching(/still terminating/),
    });
    cluster.finishTermination();
    cluster.holdTermination = false;
    expect((await kubernetes.apply(ctx, manifests('tenant-three')))[0]).toEqual({ kind: 'Namespace', name: 'tenant-three', created: true });
  });

  it('says a server that fails is unavailable (retried) and a token it refuses is not retried', async () => {
    cluster.failNext(1);
    expect(
      await failure(createKubernetesHttp({ url: cluster.url, token: cluster.token }).apply(ctx, manifests('tenant-four'))),
    ).toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', retryable: true });
    expect(await failure(createKubernetesHttp({ url: cluster.url, token: 'wrong' }).apply(ctx, manifests('tenant-four')))).toMatchObject({
      code: 'EXTERNAL_UNAVAILABLE',
      retryable: false,
    });
    const closed = createKubernetesHttp({ url: 'http://127.0.0.1:1', token: 'x', timeoutMs: 2_000 });
    expect(await failure(closed.deleteNamespace(ctx, 'tenant-four'))).toMatchObject({ code: 'EXTERNAL_UNAVAILABLE', retryable: true });
  });
});

describe('the copilot port: an OpenAI-compatible chat-completions adapter against a local fake, and the built-in responder', () => {
  let model: FakeChatCompletions;
  beforeAll(async () => {
    model = await startFakeChatCompletions();
  });
  afterAll(async () => {
    await model.stop();
  });

  it('asks with the system and user messages and the configured model, and answers with the content', async () => {
    const copilot = createOpenAiCopilot({ url: model.url, apiKey: 'sk-fake-copilot', model: 'gpt-4o-mini' });
    const reply = await copilot.complete({ system: 'You are the crm copilot of Acme.', prompt: 'What can you do?' }, ctx.signal);
    expect(reply).toEqual({
      model: 'gpt-4o-mini-2024-07-18',
      text: 'You asked: What can you do? Call +1 555 010 9999 or write to help@example.com.',
    });
    expect(model.requests.at(-1)).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0,
      messages: [
        { role: 'system', content: 'You are the crm copilot of Acme.' },
        { role: 'user', content: 'What can you do?' },
      ],
    });
    expect(scrubPii(reply.text)).toBe('You asked: What can you do? Call [phone] or write to [email].');
  });

  it('retries a rate limit, not a refused key', async () => {
    model.rateLimitNext(1);
    const copilot = createOpenAiCopilot({ url: model.url, apiKey: 'sk-fake-copilot', model: 'gpt-4o-mini' });
    expect(await failure(copilot.complete({ system: 's', prompt: 'p' }, ctx.signal))).toMatchObject({
      code: 'EXTERNAL_UNAVAILABLE',
      retryable: true,
    });
    const refused = createOpenAiCopilot({ url: model.url, apiKey: 'sk-wrong', model: 'gpt-4o-mini' });
    expect(await failure(refused.complete({ system: 's', prompt: 'p' }, ctx.signal))).toMatchObject({
      code: 'EXTERNAL_UNAVAILABLE',
      retryable: false,
    });
  });

  it('without a model, answers deterministically from the instructions and says it is the built-in responder', async () => {
    const builtin = createBuiltinCopilot();
    const request = { system: 'You are the crm copilot of Acme. Answer briefly.', prompt: 'What can you do?' };
    const reply = await builtin.complete(request, ctx.signal);
    expect(reply).toEqual(await builtin.complete(request, ctx.signal));
    expect(reply).toEqual({
      model: 'builtin',
      text: 'Built-in responder (no language model configured). You are the crm copilot of Acme. Ask: "What can you do?"',
    });
  });
});

describe('the industry preset merged with feature toggles', () => {
  it('adds what a toggle turns on, takes away what one turns off, in a stable order', () => {
    expect(mergeModules(['storefront', 'cart', 'crm'], { crm: false, loyalty: true, cart: true })).toEqual([
      'cart',
      'loyalty',
      'storefront',
    ]);
  });
});
