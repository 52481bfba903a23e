import { Link } from 'react-router';
import type { EventDeliveryRowFragment } from '../generated/graphql';

function errorText(error: Record<string, unknown> | null | undefined): string | null {
  if (!error) return null;
  const code = typeof error['code'] === 'string' ? error['code'] : 'ERROR';
  return typeof error['message'] === 'string' ? `${code} ${error['message']}` : code;
}

/** What an event did to each workflow whose trigger accepted it: the run it started, or why it could not. */
export function Deliveries({ deliveries }: { deliveries: readonly EventDeliveryRowFragment[] }) {
  if (deliveries.length === 0) return <span className="muted">no trigger accepted it</span>;
  return (
    <ul className="deliveries">
      {deliveries.map((delivery) => (
        <li key={delivery.workflow} data-delivery={delivery.workflow} data-status={delivery.status}>
          <Link to={`/workflows/${encodeURIComponent(delivery.workflow)}`}>{delivery.workflow}</Link>{' '}
          <span className="status" data-status={delivery.status === 'STARTED' ? 'COMPLETED' : 'FAILED'}>
            {delivery.status.toLowerCase()}
          </span>{' '}
          {delivery.executionId ? <Link to={`/executions/${delivery.executionId}`}>run</Link> : null}
          {delivery.error ? <code className="delivery-error"> {errorText(delivery.error)}</code> : null}
        </li>
      ))}
    </ul>
  );
}
