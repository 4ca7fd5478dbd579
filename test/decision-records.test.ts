import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The decision records stay findable: every record is in the index with its real status, and every
// place that cites a record (README, docs, source comments) cites one that exists.

const ROOT = resolve(import.meta.dirname, '..');
const DECISIONS = join(ROOT, 'docs/decisions');
const RECORD_FILE = /^(\d{3})-[a-z0-9-]+\.md$/;
const TEMPLATE = '000-template.md';

const recordFiles = readdirSync(DECISIONS)
  .filter((f) => RECORD_FILE.test(f) && f !== TEMPLATE)
  .sort();
const recordNumbers = new Set(recordFiles.map((f) => f.slice(0, 3)));

/** The record's `Status:` line (`Status: x`, `- Status: x`, `**Status:** x`), lower-cased. */
function statusOf(text: string): string | undefined {
  for (const line of text.split('\n').slice(0, 12)) {
    const match = /^[\s*-]*status[\s*]*:[\s*]*(.+?)[\s.]*$/i.exec(line);
    if (match) return match[1].replaceAll('*', '').trim().toLowerCase();
  }
  return undefined;
}

const hasDate = (text: string) =>
  text
    .split('\n')
    .slice(0, 12)
    .some((line) => /^[\s*-]*date[\s*]*:[\s*]*\d{4}-\d{2}-\d{2}/i.test(line));

function indexRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(join(DECISIONS, 'README.md'), 'utf8').split('\n')) {
    const link = /\]\((\d{3}-[a-z0-9-]+\.md)\)/.exec(line);
    if (!line.startsWith('|') || !link) continue;
    const cells = line.split('|').map((c) => c.trim());
    rows.set(link[1], (cells.at(-2) ?? '').toLowerCase());
  }
  return rows;
}

function titleOf(text: string): string {
  return text.split('\n')[0].replace(/^#\s*\d{3}\s*—\s*/, '');
}

/** README.md, docs/ and every source folder: the places that cite decision records. */
function citingFiles(): string[] {
  const files = [join(ROOT, 'README.md')];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && name !== 'results' && name !== 'images') walk(path);
      } else if (/\.(ts|tsx|md|yaml|css|html)$|^Dockerfile$/.test(name) && name !== TEMPLATE) {
        files.push(path);
      }
    }
  };
  for (const dir of ['docs', 'src', 'test', 'bench', 'scripts', 'deploy']) walk(join(ROOT, dir));
  return files;
}

describe('decision records', () => {
  it('every record is listed in docs/decisions/README.md with the status it states', () => {
    const rows = indexRows();
    const problems: string[] = [];
    for (const file of recordFiles) {
      const text = readFileSync(join(DECISIONS, file), 'utf8');
      // Records written before the template have no status line: they are accepted.
      const status = statusOf(text) ?? 'accepted';
      const row = rows.get(file);
      if (row === undefined) {
        problems.push(
          `missing from the index; add: | [${file.slice(0, 3)}](${file}) | ${titleOf(text)} | ${status} |`,
        );
      } else if (row !== status) {
        problems.push(`${file}: the index says "${row}", the record says "${status}"`);
      }
    }
    for (const file of rows.keys()) {
      if (!recordFiles.includes(file)) problems.push(`the index links ${file}, which does not exist`);
    }
    expect(problems).toEqual([]);
  });

  it('records from the template on carry a date and a status; superseded ones name an existing record', () => {
    const problems: string[] = [];
    for (const file of recordFiles) {
      const text = readFileSync(join(DECISIONS, file), 'utf8');
      const status = statusOf(text);
      if (Number(file.slice(0, 3)) >= 100) {
        if (!hasDate(text)) problems.push(`${file}: no "Date: YYYY-MM-DD" line`);
        if (!status) problems.push(`${file}: no "Status:" line`);
      }
      // A remark may follow in parentheses: "accepted (narrows 082)".
      if (status && !/^(accepted|proposed|superseded by \d{3})( \(.+\))?$/.test(status)) {
        problems.push(`${file}: status "${status}" is not accepted, proposed or "superseded by NNN"`);
      }
      const successor = status && /^superseded by (\d{3})\b/.exec(status)?.[1];
      if (successor && !recordNumbers.has(successor)) {
        problems.push(`${file}: superseded by ${successor}, which does not exist`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('README, docs and source comments cite only records that exist', () => {
    const problems: string[] = [];
    for (const path of citingFiles()) {
      const text = readFileSync(path, 'utf8');
      const where = relative(ROOT, path);
      // By file name: docs/decisions/090-shop-listing-in-memory.md, or a relative link inside docs.
      for (const [, file] of text.matchAll(/\b(\d{3}-[a-z0-9-]+\.md)\b/g)) {
        if (!existsSync(join(DECISIONS, file))) problems.push(`${where}: ${file} does not exist`);
      }
      // By number: "decision 074", "decisions 012 and 094", "Decisions `060`–`062`", "docs/decisions/010".
      const cites = /\bdecisions?\b[\s:`/(]*(\d{3}(?:`?\s*(?:,|–|—|-|and|to)?\s*`?\d{3}\b)*)/gi;
      for (const [, list] of text.matchAll(cites)) {
        for (const [number] of list.matchAll(/\d{3}/g)) {
          if (!recordNumbers.has(number) && number !== '000')
            problems.push(`${where}: decision ${number} does not exist`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
