type UndefinedKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/** `T` with each key that may hold undefined made optional instead: `{ a: string | undefined }` is `{ a?: string }`. */
export type WithoutUndefined<T> = { [K in Exclude<keyof T, UndefinedKeys<T>>]: T[K] } & {
  [K in UndefinedKeys<T>]?: Exclude<T[K], undefined>;
};

/**
 * The object without its undefined-valued keys. Entities' optional fields are `x?: T` (a `T | undefined` would change
 * the design:type MikroORM reads for a field without an explicit type), so `em.create` takes a maybe-value through this.
 * `const`: the literal wrapped keeps its literal types (`status: 'provisioned'`), as it would passed to `em.create` as is.
 */
export function withoutUndefined<const T extends object>(value: T): WithoutUndefined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as WithoutUndefined<T>;
}
