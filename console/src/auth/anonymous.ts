import type { AnyVariables, DocumentInput, OperationResult } from 'urql';
import { createGraphqlClients } from '../graphql/client';

/**
 * One request without a credential (signing in, an e-mailed link's page, "Forgot password?"), on a client
 * of its own: the session's client does not exist yet, and a refusal here ends no session.
 */
export async function anonymousRequest<Data, Variables extends AnyVariables>(
  document: DocumentInput<Data, Variables>,
  variables: Variables,
): Promise<OperationResult<Data, Variables>> {
  const { client, ws } = createGraphqlClients(null, () => undefined);
  try {
    return await client.mutation(document, variables).toPromise();
  } finally {
    void ws.dispose();
  }
}
