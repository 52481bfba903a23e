import type { CombinedError } from 'urql';

interface Issue {
  path: string;
  message: string;
}

/** A failed request as the server said it: each error's message and `extensions.code`, and its `details.issues` when it has some. */
export function ErrorNotice({ error }: { error: CombinedError }) {
  const problems = error.graphQLErrors.length
    ? error.graphQLErrors.map((graphqlError) => ({
        message: graphqlError.message,
        code: codeOf(graphqlError.extensions),
        issues: issuesOf(graphqlError.extensions),
      }))
    : [{ message: error.networkError?.message ?? error.message, code: 'NETWORK', issues: [] }];
  return (
    <div role="alert" className="error-notice">
      {problems.map((problem, index) => (
        <div key={index}>
          <p>
            {problem.code ? <code>{problem.code}</code> : null} {problem.message}
          </p>
          {problem.issues.length ? (
            <ul>
              {problem.issues.map((issue, at) => (
                <li key={at}>
                  <code>{issue.path}</code> {issue.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ))}
    </div>
  );
}

function codeOf(extensions: Record<string, unknown>): string | null {
  const code = extensions['code'];
  return typeof code === 'string' ? code : null;
}

function issuesOf(extensions: Record<string, unknown>): Issue[] {
  const details = extensions['details'];
  if (typeof details !== 'object' || details === null) return [];
  const issues = (details as Record<string, unknown>)['issues'];
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((issue: unknown) => {
    if (typeof issue !== 'object' || issue === null) return [];
    const { path, message } = issue as Record<string, unknown>;
    return typeof path === 'string' && typeof message === 'string' ? [{ path, message }] : [];
  });
}
