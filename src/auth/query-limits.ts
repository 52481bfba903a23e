import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Lexer, Source, TokenKind, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * Limits on the shape of a document, checked before anything runs, over HTTP and websockets alike.
 * Generous for every operation a client really sends (the GraphiQL introspection query included) and
 * far below what would make a document expensive to validate or execute.
 */
export const QUERY_LIMITS = {
  maxTokens: 2_000,
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  /** graphql-armor's cost: objects 2, scalars 1, multiplied by 1.5 per level of depth. */
  maxCost: 5_000,
} as const;

export const QUERY_LIMIT_CODES = [
  'MAX_TOKENS_EXCEEDED',
  'MAX_DEPTH_EXCEEDED',
  'MAX_ALIASES_EXCEEDED',
  'MAX_DIRECTIVES_EXCEEDED',
  'COST_LIMIT_EXCEEDED',
] as const;
export type QueryLimitCode = (typeof QUERY_LIMIT_CODES)[number];

/** A document over a limit. Apollo wraps validation errors as GRAPHQL_VALIDATION_FAILED; `codeOfQueryLimit` finds this code again. */
export class QueryLimitError extends GraphQLError {
  constructor(
    readonly code: QueryLimitCode,
    message: string,
  ) {
    super(message, { extensions: { code } });
    this.name = 'QueryLimitError';
  }
}

export function codeOfQueryLimit(error: unknown): QueryLimitCode | undefined {
  if (error instanceof QueryLimitError) return error.code;
  if (error instanceof GraphQLError && error.originalError instanceof QueryLimitError) return error.originalError.code;
  return undefined;
}

/** The depth, alias, directive and cost rules (graphql-armor), reporting our codes. */
export function queryLimitRules(): ValidationRule[] {
  const reject = (code: QueryLimitCode) => ({
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(new QueryLimitError(code, error.message.replace(/^Syntax Error: /, ''))),
    ],
  });
  const armor = new ApolloArmor({
    // Counted before parsing instead (`tooManyTokens`): armor's parse-time check has no error code of its own.
    maxTokens: { enabled: false },
    // Apollo's hideSchemaDetailsFromClientErrors does this for HTTP in production.
    blockFieldSuggestion: { enabled: false },
    maxDepth: { n: QUERY_LIMITS.maxDepth, ...reject('MAX_DEPTH_EXCEEDED') },
    // Every alias counts, `__typename` too (armor lets `aN: __typename` through by default).
    maxAliases: { n: QUERY_LIMITS.maxAliases, allowList: [], ...reject('MAX_ALIASES_EXCEEDED') },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, ...reject('MAX_DIRECTIVES_EXCEEDED') },
    // A fragment costs what its fields cost where it is spread: by default armor counts each spread as
    // one more level of nesting (×1.5), so the same query written with fragments, as generated clients
    // write it, would cost more than written inline.
    costLimit: { maxCost: QUERY_LIMITS.maxCost, flattenFragments: true, ...reject('COST_LIMIT_EXCEEDED') },
  });
  return armor.protect().validationRules;
}

/** Counts tokens up to the limit without building a document, so a huge one costs little to refuse. */
export function tooManyTokens(query: string): QueryLimitError | undefined {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count += 1;
      if (count > QUERY_LIMITS.maxTokens) {
        return new QueryLimitError('MAX_TOKENS_EXCEEDED', `Token limit of ${QUERY_LIMITS.maxTokens} exceeded.`);
      }
    }
  } catch (error) {
    // A lexical error is the parser's to report, with its position: not a limit.
    if (error instanceof GraphQLError) return undefined;
    throw error;
  }
  return undefined;
}
