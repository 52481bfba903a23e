/** Messages between the coordinator and its bench processes, over the IPC channel of `fork`. */

export type Role = 'api' | 'worker';

export type Command =
  /** Start `count` runs of `workflow` through engine.start (API processes). */
  | { kind: 'start'; id: number; workflow: string; count: number }
  /** Publish `count` domain events, each in a transaction of its own, as the publishEvent mutation does. */
  | { kind: 'publish'; id: number; count: number };

export type Reply =
  | { kind: 'ready'; role: Role; pid: number }
  /** `ids`: the executions started (start), or the events recorded (publish); `ms`: how long each took. */
  | { kind: 'done'; id: number; ids: string[]; ms: number[]; errors: number; firstError?: string };

export const isReply = (message: unknown): message is Reply =>
  typeof message === 'object' && message !== null && 'kind' in message && (message.kind === 'ready' || message.kind === 'done');

export const isCommand = (message: unknown): message is Command =>
  typeof message === 'object' && message !== null && 'kind' in message && (message.kind === 'start' || message.kind === 'publish');
