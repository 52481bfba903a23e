/**
 * A table's row as PostgreSQL returns it, derived from the record the store hands out: the same
 * fields in snake_case (`nextFireAt` → `next_fire_at`), so a table's columns are listed once.
 */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

export type RowOf<Record extends object> = { [K in keyof Record & string as SnakeCase<K>]: Record[K] };
