export interface CopilotRequest {
  /** The agent's instructions: its module, its business, its guardrails. */
  system: string;
  prompt: string;
}

export interface CopilotReply {
  text: string;
  /** The model that answered (`gpt-4o-mini`…, or `builtin`). */
  model: string;
}

/**
 * The AI copilots' language model: a service speaking OpenAI's chat-completions API (OpenAI, Azure's
 * compatible endpoint, vLLM, Ollama, LiteLLM…) when one is configured (COPILOT_API_URL), otherwise the
 * built-in responder, which answers from the agent's own configuration with no model at all and says so.
 * Unreachable or overloaded: EXTERNAL_UNAVAILABLE (retryable); a refused key is not retried.
 */
export interface CopilotPort {
  /** `openai-compatible` or `builtin`. */
  readonly name: string;
  complete(request: CopilotRequest, signal: AbortSignal): Promise<CopilotReply>;
}

/**
 * No model configured: a deterministic answer built from the agent's instructions (their first sentence,
 * which names the module and the business), so an activation runs end to end with no configuration — and
 * the copilot's output says it is this responder, not a model.
 */
export function createBuiltinCopilot(): CopilotPort {
  return {
    name: 'builtin',
    async complete(request) {
      const role = request.system.split(/(?<=\.)\s/)[0] ?? request.system;
      return {
        text: `Built-in responder (no language model configured). ${role} Ask: "${request.prompt.slice(0, 200)}"`,
        model: 'builtin',
      };
    },
  };
}
