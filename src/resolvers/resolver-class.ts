/** A type-graphql resolver class (any constructor: type-graphql builds them itself). */
export type ResolverClass = abstract new (...args: never[]) => object;
