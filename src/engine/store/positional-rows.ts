/**
 * Rows a statement takes as one JSON parameter, each row an array of its values in column order rather
 * than an object: PostgreSQL parses no keys (a jsonb object's keys are sorted, and each field is then
 * looked up by name) and the text is about half as long. The hot path's statements take their rows so:
 * the checkpoint its executions, step rows, events and waits, the start its runs. A timestamp travels as
 * its epoch milliseconds, not as ISO text: V8 11.3 formats a Date (toISOString, or JSON.stringify through
 * toJSON) at ~1 µs apiece, which made the step rows' dates two thirds of a checkpoint's serialising, and
 * PostgreSQL reads a number faster than it parses a date.
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
    case 'timestamptz':
      return `to_timestamp((r->>${index})::float8 / 1000)`;
    case 'uuid':
    case 'int':
    case 'bigint':
    case 'float8':
    case 'boolean':
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

/** A row of `columns`: a timestamp column holds a Date (or null), any other column any JSON value. */
export type PositionalRow<C extends PositionalColumns> = {
  readonly [column in keyof C]: C[column] extends 'timestamptz' ? Date | null : unknown;
};

/** The parameter positionalTable reads: each row's values in the order of `columns`, its dates as epoch milliseconds. */
export function positionalRows<C extends PositionalColumns>(columns: C, rows: ReadonlyArray<PositionalRow<C>>): string {
  const names = Object.keys(columns) as Array<keyof C>;
  const dated = names.map((name) => columns[name] === 'timestamptz');
  return JSON.stringify(
    rows.map((row) =>
      names.map((name, index) => {
        const value = row[name];
        return dated[index] && value instanceof Date ? value.getTime() : value;
      }),
    ),
  );
}
