import { useMemo, useState } from 'react';
import type { WorkflowPageQuery } from '../generated/graphql';
import { formatTime } from '../ui/format';
import { sideBySide, type DiffRow } from './version-diff';

type Version = NonNullable<WorkflowPageQuery['workflow']>['versions'][number];

function Side({ cell }: { cell: DiffRow['left'] }) {
  if (!cell) return <td className="diff-empty" colSpan={2} />;
  return (
    <>
      <td className="diff-number">{cell.number}</td>
      <td className="diff-text" data-changed={cell.changed}>
        {cell.text}
      </td>
    </>
  );
}

/** Every version of the workflow, and a side-by-side diff of any two (default: the one before the current, and the current). */
export function VersionDiff({ versions }: { versions: readonly Version[] }) {
  // Newest first, as the API answers them; until one is picked, the defaults follow the versions (a new one saved).
  const [pickedTo, setTo] = useState<number | null>(null);
  const [pickedFrom, setFrom] = useState<number | null>(null);
  const to = pickedTo ?? versions[0]?.version ?? 0;
  const from = pickedFrom ?? versions[1]?.version ?? to;
  const byNumber = useMemo(() => new Map(versions.map((version) => [version.version, version])), [versions]);
  const rows = useMemo(() => sideBySide(byNumber.get(from)?.definition ?? {}, byNumber.get(to)?.definition ?? {}), [byNumber, from, to]);
  const changes = rows.filter((row) => row.left?.changed || row.right?.changed).length;

  const picker = (label: string, value: number, onChange: (version: number) => void) => (
    <label className="filter">
      {label}
      <select value={value} onChange={(event) => onChange(Number(event.target.value))}>
        {versions.map((version) => (
          <option key={version.version} value={version.version}>
            v{version.version}
            {version.label ? ` (${version.label})` : ''}
            {version.current ? ' · current' : ''}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="versions">
      <ul className="version-list">
        {versions.map((version) => (
          <li key={version.version}>
            <strong>v{version.version}</strong> {version.label ? <span className="muted">{version.label}</span> : null} saved{' '}
            {formatTime(version.createdAt)}
            {version.current ? (
              <span className="status" data-status="COMPLETED">
                {' '}
                current
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {versions.length < 2 ? (
        <p className="muted">One version so far: saving a changed definition makes the next, and the diff appears here.</p>
      ) : (
        <>
          <div className="filters">
            {picker('From version', from, setFrom)}
            {picker('To version', to, setTo)}
            <span className="muted" role="status">
              {changes === 0 ? 'No differences.' : `${changes} changed ${changes === 1 ? 'line' : 'lines'}`}
            </span>
          </div>
          <div className="diff-box">
            <table className="version-diff" aria-label={`Differences from v${from} to v${to}`}>
              <tbody>
                {rows.map((row, index) => (
                  <tr key={index}>
                    <Side cell={row.left} />
                    <Side cell={row.right} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
