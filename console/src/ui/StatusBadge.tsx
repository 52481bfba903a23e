/** A run's or a step's status as a coloured label (colours in styles.css, by data-status). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span className="status" data-status={status}>
      {status.toLowerCase()}
    </span>
  );
}
