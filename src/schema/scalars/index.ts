import { DateTimeResolver, JSONObjectResolver, JSONResolver } from 'graphql-scalars';
import type { GraphQLScalarType } from 'graphql';

export const DateTimeScalar = DateTimeResolver;
export const JSONScalar = JSONResolver;
export const JSONObjectScalar = JSONObjectResolver;

/** Scalars type-graphql maps from a TypeScript class (its `scalarsMap` option). */
export const SCALARS_MAP: Array<{ type: abstract new (...args: never[]) => object; scalar: GraphQLScalarType }> = [
  { type: Date, scalar: DateTimeResolver },
];
