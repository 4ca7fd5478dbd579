import { type ReactNode, useState } from 'react';
import { useSearchParams } from 'react-router';
import { plural } from '../../format.ts';
import { Pager } from '../Pager.tsx';

const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

export const formatPercent = (p: number | null | undefined) =>
  p === null || p === undefined ? '—' : percent.format(p);
export const formatNumber = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : decimal.format(n);
export const formatDay = (iso: string | null) => (iso ? day.format(new Date(iso)) : '—');

/**
 * The page's search parameters and a function that changes some of them: an empty value removes
 * one, and a change of anything but the page goes back to the first page.
 */
export function useSearchParamUpdate() {
  const [routerParams, setParams] = useSearchParams();
  // The router commits a new URL in a transition, a moment after the click (hundreds of
  // milliseconds on a busy machine). Controls bound to the URL would snap back meanwhile, a ticked
  // checkbox showing unticked: until the router moves on, the page sees the parameters asked for.
  const current = routerParams.toString();
  const [asked, setAsked] = useState<{ from: string; next: URLSearchParams } | null>(null);
  if (asked && asked.from !== current) setAsked(null);
  const params = asked?.from === current ? asked.next : routerParams;
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    setAsked({ from: current, next });
    setParams(next);
  };
  return [params, update, setParams] as const;
}

/** One page of a listing: the result count, a table of the rows, and the pager below it. */
export function PagedTable({
  result,
  noun,
  head,
  children,
  onPage,
  testId,
}: {
  result: { page: number; pageSize: number; total: number };
  /** What a row is, for the count: "3 orders". */
  noun: string;
  /** The header cells. */
  head: ReactNode;
  /** The body rows. */
  children: ReactNode;
  onPage: (page: number) => void;
  testId?: string;
}) {
  return (
    <>
      <p className="result-count">{plural(result.total, noun)}</p>
      <div className="table-wrap">
        <table className="data-table" data-testid={testId}>
          <thead>
            <tr>{head}</tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
      <Pager page={result.page} pageSize={result.pageSize} total={result.total} onPage={onPage} />
    </>
  );
}

/** A labelled select in a filter bar or page head; `onChange` gets the chosen value. */
export function SelectField({
  id,
  label,
  value,
  onChange,
  children,
  inline = false,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The options. */
  children: ReactNode;
  /** Label beside the select instead of above it. */
  inline?: boolean;
}) {
  return (
    <div className={inline ? 'field field--inline' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}

/** A column header that sorts by `field`; a second click reverses the order. */
export function SortHeader({
  field,
  sort,
  onSort,
  children,
  className,
}: {
  field: string;
  sort: string;
  onSort: (sort: string) => void;
  children: ReactNode;
  className?: string;
}) {
  const active = sort.replace(/^-/, '') === field;
  const descending = sort.startsWith('-');
  return (
    <th
      scope="col"
      className={className}
      aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}
    >
      <button
        type="button"
        className="sort-button"
        onClick={() => onSort(active && descending ? field : `-${field}`)}
      >
        {children}
        <span aria-hidden="true">{active ? (descending ? ' ▼' : ' ▲') : ' ↕'}</span>
      </button>
    </th>
  );
}

export function SyntheticBadge({ synthetic }: { synthetic: boolean }) {
  if (!synthetic) return null;
  return (
    <span className="pill pill--synthetic" title="Generated demo data, not a real customer">
      synthetic
    </span>
  );
}

export function QueryState({ error, isPending }: { error: unknown; isPending: boolean }) {
  if (isPending) return <p className="loading">Loading…</p>;
  if (error) {
    return (
      <p className="callout callout--error" role="alert">
        {error instanceof Error ? error.message : 'Could not load this.'}
      </p>
    );
  }
  return null;
}

export function Stat({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <div className="stat__value">{value}</div>
      <div className="stat__label">{label}</div>
    </div>
  );
}
