import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildSwitchyardSchema } from './build-schema.js';

/** The committed SDL that codegen reads, relative to the repository root. */
export const SCHEMA_FILE = 'src/schema/schema.graphql';

export async function printSwitchyardSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildSwitchyardSchema()))}\n`;
}

// `npm run schema:emit`
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await writeFile(SCHEMA_FILE, await printSwitchyardSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}
