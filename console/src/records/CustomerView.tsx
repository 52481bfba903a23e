import { Link } from 'react-router';
import { useQuery } from 'urql';
import { CustomerRecordDocument, type CustomerRecordQuery, type RecordType } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatTime } from '../ui/format';
import { LineageTable } from './LineageTable';
import { OriginLink } from './OriginLink';
import { RECORD_TYPES, recordPath } from './records';

interface Row {
  type: RecordType;
  id: string;
  what: string;
  status: string;
  createdBy: CustomerRecordQuery['orders'][number]['createdBy'];
}

/** The customer's records of every type lineage is kept for, in one list. */
function rowsOf(data: CustomerRecordQuery): Row[] {
  return [
    ...data.subscriptions.map((record) => ({
      type: 'SUBSCRIPTION' as const,
      id: record.id,
      what: `plan ${record.planCode}`,
      status: record.status,
      createdBy: record.createdBy,
    })),
    ...data.licenses.map((record) => ({
      type: 'LICENSE' as const,
      id: record.id,
      what: `${record.seats} seats`,
      status: record.status,
      createdBy: record.createdBy,
    })),
    ...data.deployments.map((record) => ({
      type: 'DEPLOYMENT' as const,
      id: record.id,
      what: record.type ?? '',
      status: record.status.toLowerCase(),
      createdBy: record.createdBy,
    })),
    ...data.allocations.map((record) => ({
      type: 'ALLOCATION' as const,
      id: record.serviceId,
      what: record.ipAddress,
      status: record.serviceStatus,
      createdBy: record.createdBy,
    })),
    ...data.orders.map((record) => ({
      type: 'ORDER' as const,
      id: record.id,
      what: record.number,
      status: record.status,
      createdBy: record.createdBy,
    })),
    ...data.tickets.map((record) => ({
      type: 'TICKET' as const,
      id: record.id,
      what: `#${record.number} ${record.title}`,
      status: record.status.toLowerCase(),
      createdBy: record.createdBy,
    })),
  ];
}

/** A customer: who they are, the run and step that created them and every one that changed them, and their records. */
export function CustomerView({ id }: { id: string }) {
  const [{ data, error }] = useQuery({ query: CustomerRecordDocument.toString(), variables: { id } });
  if (error && !data) return <ErrorNotice error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const { customer } = data;
  const rows = rowsOf(data);
  return (
    <section className="record" aria-label={`Customer ${customer.id}`}>
      <h1>
        {customer.name} <span className="muted">customer</span>
      </h1>
      <dl className="run-facts">
        <dt>Customer</dt>
        <dd>
          <code>{customer.id}</code>
        </dd>
        <dt>E-mail</dt>
        <dd>{customer.email}</dd>
        {customer.company ? (
          <>
            <dt>Company</dt>
            <dd>{customer.company}</dd>
          </>
        ) : null}
        <dt>Status</dt>
        <dd>{customer.status}</dd>
        <dt>Created</dt>
        <dd>{formatTime(customer.createdAt)}</dd>
      </dl>
      <p className="record-origin">
        <OriginLink origin={customer.createdBy} />
      </p>
      <h2>Lineage</h2>
      <LineageTable touches={customer.touchedBy} />
      <h2>Records</h2>
      {rows.length === 0 ? (
        <p className="muted">No subscriptions, licenses, deployments, allocations, orders or tickets.</p>
      ) : (
        <table className="executions" aria-label="Customer records">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Record</th>
              <th scope="col">Status</th>
              <th scope="col">Created by</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.type}:${row.id}`} data-record={`${row.type}:${row.id}`}>
                <td>{RECORD_TYPES[row.type].label}</td>
                <td>
                  <Link to={recordPath(row.type, row.id)}>{row.what || row.id.slice(0, 8)}</Link>
                </td>
                <td>{row.status}</td>
                <td>
                  <OriginLink origin={row.createdBy} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
