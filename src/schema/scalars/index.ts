import { DateTimeResolver, JSONObjectResolver, JSONResolver } from 'graphql-scalars';
import type { GraphQLScalarType } from 'graphql';

export const DateTimeScalar = DateTimeResolver;
export const JSONScalar = JSONResolver;
export const JSONObjectScalar = JSONObjectResolver;

export const SCALARS_MAP: Array<{ type: Function; scalar: GraphQLScalarType }> = [{ type: Date, scalar: DateTimeResolver }];
