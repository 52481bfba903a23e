import type { RecordedErrorCode } from './error-codes.js';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The shape every recorded failure has, on steps and on executions. */
export interface RecordedError {
  [key: string]: JsonValue;
  code: RecordedErrorCode;
  message: string;
  retryable: boolean;
}
