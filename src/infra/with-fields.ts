const NO_FIELDS: Readonly<Record<string, never>> = Object.freeze({});

/**
 * `{ ...base, ...fields }`: a copy of `base` with `fields` set (a field of `fields` wins, as in a spread).
 *
 * Why not write that inline: in V8 11.3 (Node 20) an object literal that starts with a spread of a
 * non-empty object and then sets fields — `{ ...base, status: 'done' }` — gets a hidden class of its own
 * every time it is built (the clone of `base` keeps no transitions), so each added field costs a new map
 * (~1 µs apiece here) and every later read of the object misses its inline caches. A literal whose first
 * spread is of an empty object takes the ordinary path and shares one map among objects of one shape
 * (`npm run bench:spread` measures both). The runtime's per-step objects are built with this.
 */
export function withFields<T extends object, const F extends object>(base: T, fields: F): WithFields<T, F> {
  return { ...NO_FIELDS, ...base, ...fields } as WithFields<T, F>;
}

/**
 * `T` with `F`'s fields in place of its own: as `Omit<T, keyof F> & F`, but it keeps the named fields of a
 * type with an index signature and, over a union, each member's own (a mapped type over `keyof T`
 * distributes).
 */
export type WithFields<T, F> = { [K in keyof T as K extends keyof F ? never : K]: T[K] } & F;
