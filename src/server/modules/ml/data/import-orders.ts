import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';

/**
 * `import-orders`, the parsing half: a shop's past sales as its spreadsheet or shop system exports
 * them (RFC 4180: quotes, embedded commas, CRLF, a BOM) become validated orders (decision 151).
 * Columns: customer_id, date, amount (dollars, ≥ 0, optional thousands separators), and optionally
 * quantity and product or sku (the order's one line). Every problem is listed with its line; with
 * `skipInvalid` the bad lines are counted and left out instead. Writing is `import-writer.ts`.
 */
export class ImportError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `The file has ${problems.length} problem(s); nothing was imported:\n  ${problems.slice(0, 50).join('\n  ')}${problems.length > 50 ? `\n  … and ${problems.length - 50} more` : ''}`,
    );
    this.problems = problems;
  }
}

export interface ParsedOrder {
  line: number;
  /** The shop's own customer id, kept as users.external_id. */
  customerId: string;
  at: number;
  cents: number;
  quantity: number;
  /** Product name or sku of the order's line; null when the file has neither column. */
  product: string | null;
  key: string;
}

export interface ParsedFile {
  orders: ParsedOrder[];
  /** Lines left out with `skipInvalid` (0 otherwise: any problem throws). */
  skipped: number;
  problems: string[];
}

export const MAX_CUSTOMER_ID = 100;
const MAX_PRODUCT = 200;
// Thousands separators only in groups of three: "1,234.50" yes, "1,23" no.
const AMOUNT = /^(\d{1,3}(,\d{3})+|\d{1,9})(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

function parseDate(text: string): number {
  const compact = COMPACT_DATE.exec(text);
  const iso = compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : text;
  if (!DATE.test(iso)) return Number.NaN;
  const at = Date.parse(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  // Date.parse rolls 2025-02-30 over to March; a real calendar date must round-trip.
  return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === iso.slice(0, 10)
    ? at
    : Number.NaN;
}

export function parseOrdersCsv(
  text: string,
  options: { skipInvalid?: boolean; now?: number } = {},
): ParsedFile {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new ImportError([`not a readable CSV file: ${(error as Error).message}`]);
  }
  const header = (records[0]?.record ?? []).map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const missing = ['customer_id', 'date', 'amount'].filter((name) => col(name) < 0);
  if (missing.length) {
    throw new ImportError(
      missing.map(
        (name) =>
          `line 1: missing column "${name}" (expected customer_id,date,amount[,quantity][,product|sku])`,
      ),
    );
  }
  const productCol = col('product') >= 0 ? col('product') : col('sku');
  const quantityCol = col('quantity');
  const now = options.now ?? Date.now();
  const problems: string[] = [];
  const orders: ParsedOrder[] = [];
  let skipped = 0;
  for (const { record: cells, info } of records.slice(1)) {
    const lineNo = info.lines;
    const rowProblems: string[] = [];
    const problem = (message: string) => rowProblems.push(`line ${lineNo}: ${message}`);
    if (cells.length !== header.length) {
      problem(`expected ${header.length} values, found ${cells.length}`);
    } else {
      const customerId = cells[col('customer_id')];
      const date = cells[col('date')];
      const amount = cells[col('amount')];
      const quantityText = quantityCol >= 0 ? cells[quantityCol] : '1';
      const product = productCol >= 0 ? cells[productCol] : null;
      if (customerId === '' || customerId.length > MAX_CUSTOMER_ID || CONTROL.test(customerId)) {
        problem(
          `customer_id "${customerId.slice(0, 120)}" must be 1–${MAX_CUSTOMER_ID} characters without control characters`,
        );
      }
      const at = parseDate(date);
      if (!Number.isFinite(at)) problem(`date "${date}" is not a valid YYYY-MM-DD date`);
      else if (at > now) problem(`date "${date}" is in the future`);
      if (!AMOUNT.test(amount)) {
        problem(
          `amount "${amount}" must be a number ≥ 0 with at most 2 decimals (dollars; "1,234.50" is fine)`,
        );
      }
      if (!/^\d{1,6}$/.test(quantityText) || Number(quantityText) < 1) {
        problem(`quantity "${quantityText}" must be a whole number ≥ 1`);
      }
      if (product !== null && (product === '' || product.length > MAX_PRODUCT || CONTROL.test(product))) {
        problem(
          `${productCol === col('product') ? 'product' : 'sku'} "${product.slice(0, 120)}" must be 1–${MAX_PRODUCT} characters`,
        );
      }
      if (rowProblems.length === 0) {
        const [whole, fraction = ''] = amount.replaceAll(',', '').split('.');
        const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
        const key = `import:${createHash('sha256')
          .update(`${lineNo}|${cells.join('\u001f')}`)
          .digest('hex')
          .slice(0, 40)}`;
        orders.push({ line: lineNo, customerId, at, cents, quantity: Number(quantityText), product, key });
      }
    }
    if (rowProblems.length) {
      skipped++;
      problems.push(...rowProblems);
    }
  }
  if (problems.length && !options.skipInvalid) throw new ImportError(problems);
  if (orders.length === 0)
    throw new ImportError(problems.length ? problems : ['the file has a header but no orders']);
  return { orders, skipped, problems };
}
