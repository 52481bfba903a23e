import type { CombinedError } from 'urql';

/** A failed request as the server said it: each error's message and `extensions.code`. */
export function ErrorNotice({ error }: { error: CombinedError }) {
  const problems = error.graphQLErrors.length
    ? error.graphQLErrors.map((graphqlError) => ({ message: graphqlError.message, code: codeOf(graphqlError.extensions) }))
    : [{ message: error.networkError?.message ?? error.message, code: 'NETWORK' }];
  return (
    <div role="alert" className="error-notice">
      {problems.map((problem, index) => (
        <p key={index}>
          {problem.code ? <code>{problem.code}</code> : null} {problem.message}
        </p>
      ))}
    </div>
  );
}

function codeOf(extensions: Record<string, unknown>): string | null {
  const code = extensions['code'];
  return typeof code === 'string' ? code : null;
}
