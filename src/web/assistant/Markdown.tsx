import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';

/**
 * The small markdown subset replies use (paragraphs, bullet and numbered lists, headings, bold,
 * italics, code, links), turned into React elements: model output never reaches the DOM as HTML,
 * so whatever it contains renders as text (decision 082). Links go only to this store's own paths
 * (decision 141); anything else is shown as its text.
 */
export function Markdown({ text }: { text: string }) {
  return <>{blocks(text)}</>;
}

type Block =
  | { kind: 'p'; lines: string[] }
  | { kind: 'h'; text: string }
  | { kind: 'ul' | 'ol'; items: string[] };

const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;

function parse(text: string): Block[] {
  const out: Block[] = [];
  for (const line of text.split('\n')) {
    const last = out.at(-1);
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const heading = HEADING.exec(line);
    if (!line.trim()) out.push({ kind: 'p', lines: [] });
    else if (heading) out.push({ kind: 'h', text: heading[1] });
    else if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      const item = (bullet ?? numbered)?.[1] ?? '';
      if (last?.kind === kind) last.items.push(item);
      else out.push({ kind, items: [item] });
    } else if (last?.kind === 'p') last.lines.push(line);
    else if ((last?.kind === 'ul' || last?.kind === 'ol') && /^\s{2,}\S/.test(line)) {
      // An indented line continues the list item above it.
      last.items[last.items.length - 1] += ` ${line.trim()}`;
    } else out.push({ kind: 'p', lines: [line] });
  }
  return out.filter((b) => b.kind !== 'p' || b.lines.length > 0);
}

function blocks(text: string): ReactNode[] {
  return parse(text).map((b, i) => {
    const key = `${b.kind}${i}`;
    if (b.kind === 'h') {
      // Not a heading element: the reply must not break the page's heading outline.
      return (
        <p key={key} className="md-heading">
          <strong>{inline(b.text)}</strong>
        </p>
      );
    }
    if (b.kind === 'p') {
      return (
        <p key={key}>
          {b.lines.map((line, j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines of an immutable text
            <Fragment key={j}>
              {j > 0 && <br />}
              {inline(line)}
            </Fragment>
          ))}
        </p>
      );
    }
    const items = b.items.map((item, j) => (
      // The reply text is the only source of these items; their order never changes.
      // biome-ignore lint/suspicious/noArrayIndexKey: derived from immutable text
      <li key={j}>{inline(item)}</li>
    ));
    return b.kind === 'ul' ? <ul key={key}>{items}</ul> : <ol key={key}>{items}</ol>;
  });
}

const INLINE = /(`[^`\n]+`)|(\*\*[^*\n]+\*\*|__[^_\n]+__)|(\*[^*\s][^*\n]*\*)|(\[[^\]\n]+\]\([^)\s]+\))/g;

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  let n = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    const [token, code, bold, italic] = m;
    const key = `i${n++}`;
    if (code) out.push(<code key={key}>{code.slice(1, -1)}</code>);
    else if (bold) out.push(<strong key={key}>{inline(bold.slice(2, -2))}</strong>);
    else if (italic) out.push(<em key={key}>{inline(italic.slice(1, -1))}</em>);
    else out.push(link(token, key));
    at = m.index + token.length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/**
 * A same-origin path: one leading `/` followed by URL path characters only. Browsers read `//host`
 * and `/\\host` (a backslash counts as a slash) as another site, so neither may start a link, and
 * a backslash or control character anywhere is refused.
 */
const SAME_ORIGIN_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$/;

export function isSameOriginPath(href: string): boolean {
  return SAME_ORIGIN_PATH.test(href);
}

function link(token: string, key: string): ReactNode {
  const close = token.indexOf('](');
  const label = token.slice(1, close);
  const href = token.slice(close + 2, -1);
  if (!isSameOriginPath(href)) return label;
  return (
    <Link key={key} to={href}>
      {label}
    </Link>
  );
}
