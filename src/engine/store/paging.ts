import { AppError } from '../../errors.js';

/** Keyset paging: opaque cursors, pages of `first` rows, and `$n` placeholders for the list queries. */

/** Opaque to clients: base64url of the keyset position. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** A row of a page; its cursor is encoded only when read: a list answer usually needs the last one (endCursor) alone. */
class PageItem<R, N> {
  constructor(
    private readonly row: R,
    private readonly cursorParts: (row: R) => string[],
    readonly node: N,
  ) {}

  get cursor(): string {
    return encodeCursor(this.cursorParts(this.row));
  }
}

/** A page of `limit` rows out of `limit + 1` fetched: the extra row only says whether more follow. */
export function pageOf<R, N>(rows: readonly R[], limit: number, cursorParts: (row: R) => string[], toNode: (row: R) => N) {
  const items = rows.slice(0, limit).map((row) => new PageItem(row, cursorParts, toNode(row)));
  return { items, hasNextPage: rows.length > limit, endCursor: items.at(-1)?.cursor ?? null };
}

export function decodeCursor(cursor: string, check: (parts: string[]) => boolean): string[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  if (!Array.isArray(parts) || !parts.every((part): part is string => typeof part === 'string') || !check(parts)) {
    throw new AppError('BAD_USER_INPUT', `"${cursor.slice(0, 100)}" is not a cursor of this list`);
  }
  return parts;
}

export function pageSize(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 0 || first > max)
    throw new AppError('BAD_USER_INPUT', `first must be an integer from 0 to ${max}`);
  return first;
}

/** Builds `$n` placeholders as values are added. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
