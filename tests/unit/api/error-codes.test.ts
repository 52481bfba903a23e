import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { API_ERROR_CODES } from '../../../src/http/error-codes.js';

const ROOT = process.cwd();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The codes in the README's "## Errors" table (up to the next heading). */
function readmeCodes(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Errors\n');
  expect(start).toBeGreaterThan(-1);
  const rest = readme.slice(start + '\n## Errors\n'.length);
  const end = rest.search(/\n#{2,3} /);
  const section = end === -1 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1] ?? '');
}

/** Every literal code the sources put into an error's `extensions.code`. */
function codesRaisedInSources(): Map<string, string> {
  const patterns = [
    /new AppError\(\s*'([A-Z_]+)'/g,
    /HttpRefusal\(\s*\d+,\s*'([A-Z_]+)'/g,
    /errorExtensions\(\s*'([A-Z_]+)'/g,
    /extensions: \{ code: '([A-Z_]+)'/g,
    /QueryLimitError\(\s*'([A-Z_]+)'/g,
    /reject\('([A-Z_]+)'\)/g,
  ];
  const found = new Map<string, string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.set(match[1] ?? '', file.slice(ROOT.length + 1));
  }
  return found;
}

describe('the API error codes', () => {
  const documented = Object.keys(API_ERROR_CODES);

  it('are all in the README, and the README lists no other', () => {
    expect(readmeCodes().sort()).toEqual([...documented].sort());
  });

  it('include every code the sources raise', () => {
    const raised = codesRaisedInSources();
    expect(raised.size).toBeGreaterThan(15);
    const undocumented = [...raised].filter(([code]) => !documented.includes(code));
    expect(undocumented).toEqual([]);
  });

  it('include every code Apollo Server answers with by itself', () => {
    expect(Object.values(ApolloServerErrorCode).filter((code) => !documented.includes(code))).toEqual([]);
  });
});
