import { useParams } from 'react-router';
import { useQuery } from 'urql';
import { RecordLineageDocument, type RecordType } from '../generated/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { CustomerView } from './CustomerView';
import { LineageTable } from './LineageTable';
import { OriginLink } from './OriginLink';
import { RECORD_TYPES, recordTypeOf, touchesOf } from './records';

/** Runs read for a record's lineage: far more than any record has had (the API lists touches per run). */
const RUNS = 50;

/**
 * `/records/<type>/<id>`: a domain record reached from a run ("Records" on its page). A customer shows
 * itself and its records, each with the run and step that created it; any record shows the runs that
 * created or changed it (`executions(filter: { touching })`).
 */
export function RecordPage() {
  const { type: path = '', id = '' } = useParams();
  const type = recordTypeOf(path);
  if (!type) {
    return (
      <section>
        <h1>Not found</h1>
        <p>The console knows no record type “{path}”.</p>
      </section>
    );
  }
  return type === 'CUSTOMER' ? <CustomerView key={id} id={id} /> : <RecordLineage key={`${type}:${id}`} type={type} id={id} />;
}

function RecordLineage({ type, id }: { type: RecordType; id: string }) {
  const [{ data, error }] = useQuery({ query: RecordLineageDocument.toString(), variables: { ref: { type, id }, first: RUNS } });
  const touches = data ? touchesOf(data.executions.nodes, type, id) : [];
  const created = touches.find((touch) => touch.action === 'CREATED');
  return (
    <section className="record" aria-label={`${RECORD_TYPES[type].label} ${id}`}>
      <h1>
        {RECORD_TYPES[type].label} <code>{id}</code>
      </h1>
      {error ? <ErrorNotice error={error} /> : null}
      {data ? (
        <>
          <p className="record-origin">
            <OriginLink origin={created} />
          </p>
          <h2>Lineage</h2>
          <LineageTable touches={touches} />
          {data.executions.pageInfo.hasNextPage ? <p className="muted">Only the latest {RUNS} runs that touched it are shown.</p> : null}
        </>
      ) : error ? null : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}
