import { CsvError, parse } from 'csv-parse/sync';
import {
  createProductSchema,
  imageUrlSchema,
  MAX_PRICE_CENTS,
  MAX_STOCK,
} from '../../../contract/catalog.ts';

/**
 * The products CSV of `import-products`, `export-products` and the console's upload (decision
 * 122): `name,description,category,price,stock[,image]`, RFC 4180 (quoted fields, embedded commas
 * and newlines, CRLF, a BOM) through csv-parse. Parsing checks every row and collects every
 * problem with its line number; nothing here touches the database.
 */

export const PRODUCT_CSV_COLUMNS = ['name', 'description', 'category', 'price', 'stock', 'image'] as const;
const REQUIRED = PRODUCT_CSV_COLUMNS.slice(0, 5);

/** Files bigger than this are refused before parsing (about 500,000 typical rows). */
export const MAX_PRODUCT_CSV_BYTES = 100 * 1024 * 1024;

export interface CsvProblem {
  /** 1-based line of the file where the row starts. */
  line: number;
  column?: string;
  message: string;
}

export interface ProductCsvRow {
  line: number;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  stock: number;
  /** undefined: the column is absent or empty (an update keeps the current picture). */
  image?: string;
}

/** Any bad row: the import writes nothing and reports all of them. */
export class ProductCsvError extends Error {
  readonly problems: CsvProblem[];
  constructor(problems: CsvProblem[]) {
    const shown = problems
      .slice(0, 50)
      .map((p) => `  line ${p.line}${p.column ? ` (${p.column})` : ''}: ${p.message}`);
    const more = problems.length > 50 ? [`  … and ${problems.length - 50} more`] : [];
    super(
      `The file has ${problems.length} problem(s); nothing was imported:\n${[...shown, ...more].join('\n')}`,
    );
    this.problems = problems;
  }
}

/** "Garden & Outdoor" → "garden-outdoor"; empty when the name has no letters or digits. */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
}

const PRICE = /^\d{1,7}(\.\d{1,2})?$/;
const STOCK = /^\d{1,7}$/;
const CATEGORY_CHARS = 100;

/** Where a product's picture comes from: a path the app serves, or (CLI only) a local file. */
export type ImageSource = { kind: 'url'; url: string } | { kind: 'file'; path: string };

export function imageSourceOf(value: string): ImageSource {
  return value.startsWith('/images/') || value.startsWith('/uploads/')
    ? { kind: 'url', url: value }
    : { kind: 'file', path: value };
}

function firstIssue(result: { success: boolean; error?: { issues: { message: string }[] } }): string | null {
  return result.success ? null : (result.error?.issues[0]?.message ?? 'Invalid');
}

/** Every row of the file, or a ProductCsvError listing every problem found. */
export function parseProductCsv(input: string | Buffer, options: { allowFiles: boolean }): ProductCsvRow[] {
  // One line ending throughout, so that csv-parse's line count is the file's.
  const text = (typeof input === 'string' ? input : input.toString('utf8')).replace(/\r\n?/g, '\n');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 1;
      throw new ProductCsvError([{ line, message: `Not valid CSV: ${error.message}` }]);
    }
    throw error;
  }
  const [head, ...body] = records;
  if (!head) throw new ProductCsvError([{ line: 1, message: 'The file is empty: expected a header line' }]);
  const header = head.record.map((h) => h.trim().toLowerCase());
  const problems: CsvProblem[] = [];
  for (const h of header) {
    if (!(PRODUCT_CSV_COLUMNS as readonly string[]).includes(h)) {
      problems.push({
        line: 1,
        column: h,
        message: `Unknown column "${h}"; expected ${PRODUCT_CSV_COLUMNS.join(',')}`,
      });
    }
  }
  for (const r of REQUIRED) {
    if (!header.includes(r)) problems.push({ line: 1, column: r, message: `Missing column "${r}"` });
  }
  if (new Set(header).size !== header.length) problems.push({ line: 1, message: 'A column appears twice' });
  if (problems.length > 0) throw new ProductCsvError(problems);

  const at = (name: string) => header.indexOf(name);
  const rows: ProductCsvRow[] = [];
  const firstLineOfName = new Map<string, number>();
  for (const { record, info } of body) {
    // info.lines is where the record ends; quoted newlines move its start up.
    const line = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    const problem = (column: string | undefined, message: string) => problems.push({ line, column, message });
    if (record.length !== header.length) {
      problem(undefined, `Expected ${header.length} fields, found ${record.length}`);
      continue;
    }
    const field = (name: string) => (at(name) < 0 ? '' : record[at(name)]);
    const { shape } = createProductSchema;
    const name = field('name').trim();
    const description = field('description').trim();
    const nameIssue = firstIssue(shape.name.safeParse(name));
    if (nameIssue) problem('name', nameIssue);
    const descriptionIssue = firstIssue(shape.description.safeParse(description));
    if (descriptionIssue) problem('description', descriptionIssue);
    const category = field('category').trim();
    if (!category) problem('category', 'Must not be blank');
    else if (category.length > CATEGORY_CHARS) problem('category', `At most ${CATEGORY_CHARS} characters`);
    else if (!slugOf(category)) problem('category', 'Needs at least one letter or digit');
    const price = field('price').trim();
    const priceCents = PRICE.test(price) ? Math.round(Number(price) * 100) : Number.NaN;
    if (!(priceCents <= MAX_PRICE_CENTS)) {
      problem('price', `Must be an amount like 19.99 (0 to ${MAX_PRICE_CENTS / 100}, at most 2 decimals)`);
    }
    const stockText = field('stock').trim();
    const stock = STOCK.test(stockText) ? Number(stockText) : Number.NaN;
    if (!(stock <= MAX_STOCK)) problem('stock', `Must be a whole number from 0 to ${MAX_STOCK}`);
    const image = field('image').trim() || undefined;
    if (image !== undefined) {
      const source = imageSourceOf(image);
      if (source.kind === 'url') {
        const issue = firstIssue(imageUrlSchema.safeParse(image));
        if (issue) problem('image', issue);
      } else if (!options.allowFiles) {
        problem(
          'image',
          'Must be an /images/… or /uploads/… path (files can be given to the command line only)',
        );
      }
    }
    const key = name.toLowerCase();
    const earlier = firstLineOfName.get(key);
    if (name && earlier !== undefined) problem('name', `The same name as line ${earlier}`);
    else firstLineOfName.set(key, line);
    rows.push({ line, name, description, category, priceCents, stock, image });
  }
  if (problems.length > 0) throw new ProductCsvError(problems);
  return rows;
}
