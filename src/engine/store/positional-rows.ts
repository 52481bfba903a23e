/**
 * Rows a statement takes as one JSON parameter, each row an array of its values in column order rather
 * than an object: PostgreSQL parses no keys (a jsonb object's keys are sorted, and each field is then
 * looked up by name) and the text is about half as long. The hot path's statements take their rows so:
 * the checkpoint its executions, step rows, events and waits, the start its runs.
 */

/** The SQL types a positional column may have. */
export type PositionalType = 'uuid' | 'text' | 'int' | 'bigint' | 'float8' | 'boolean' | 'jsonb' | 'timestamptz';

/** A row's columns and their types, in the order of its arrays. */
export type PositionalColumns = Readonly<Record<string, PositionalType>>;

/** Column `index` of the row `r` (a jsonb array) as `type`; JSON null is SQL null, as jsonb_to_recordset reads it. */
function columnOf(index: number, type: PositionalType): string {
  switch (type) {
    case 'text':
      return `r->>${index}`;
    case 'jsonb':
      return `nullif(r->${index}, 'null'::jsonb)`;
    case 'uuid':
    case 'int':
    case 'bigint':
    case 'float8':
    case 'boolean':
    case 'timestamptz':
      return `(r->>${index})::${type}`;
    default: {
      const unknown: never = type;
      throw new Error(`no positional column of type ${String(unknown)}`);
    }
  }
}

/** The rows of the JSON parameter `param` as a table of `columns` (a FROM item: alias it). */
export function positionalTable(columns: PositionalColumns, param: string): string {
  const list = Object.entries(columns)
    .map(([name, type], index) => `${columnOf(index, type)} as ${name}`)
    .join(', ');
  return `(select ${list} from jsonb_array_elements(${param}::jsonb) r)`;
}

/** The parameter positionalTable reads: each row's values in the order of `columns`. */
export function positionalRows<C extends PositionalColumns>(
  columns: C,
  rows: ReadonlyArray<{ readonly [column in keyof C]: unknown }>,
): string {
  const names = Object.keys(columns) as Array<keyof C>;
  return JSON.stringify(rows.map((row) => names.map((name) => row[name])));
}
