import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { isSameOriginPath, Markdown } from './Markdown.tsx';

const html = (text: string) =>
  renderToStaticMarkup(createElement(MemoryRouter, null, createElement(Markdown, { text })));

describe('assistant reply markdown', () => {
  it('renders markup in a reply as text, never as HTML', () => {
    const out = html('<script>alert(1)</script> <img src=x onerror=alert(1)> **ok**');
    expect(out).not.toMatch(/<script|<img/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('<strong>ok</strong>');
  });

  it('keeps links only to same-origin paths', () => {
    expect(html('[Desk](/products/3)')).toContain('<a href="/products/3"');
    expect(html('[Lamps](/?q=lamp&category=home#top)')).toContain('<a href="/?q=lamp&amp;category=home#top"');
    for (const href of [
      'javascript:alert(1)',
      'data:text/html,hi',
      '//evil.example/x',
      '/\\evil.example/phish',
      '/\\/evil.example',
      '/products/3\\..\\..\\evil',
      'https://example.com/a',
      'http://evil.example',
      'products/3',
      '/%0a/evil',
    ]) {
      const out = html(`[click](${href})`);
      if (href === '/%0a/evil') {
        // Percent-encoded text stays a path of this site.
        expect(out).toContain('<a href="/%0a/evil"');
        continue;
      }
      expect(out, href).not.toContain('<a');
      expect(out).toContain('click');
    }
  });

  it('tells same-origin paths from other sites', () => {
    expect(isSameOriginPath('/products/12')).toBe(true);
    expect(isSameOriginPath('/')).toBe(true);
    for (const href of ['//x.example', '/\\x.example', '\\\\x.example', '/a\\b', '/a b', '/a\tb', 'x', '']) {
      expect(isSameOriginPath(href), href).toBe(false);
    }
  });

  it('renders lists, paragraphs, emphasis and headings without breaking the page outline', () => {
    const out = html(
      '# Returns\nWithin *30 days*.\nFree `label`.\n\n- Desk — $40.00\n- Chair\n\n1. one\n2. two',
    );
    expect(out).toBe(
      '<p class="md-heading"><strong>Returns</strong></p>' +
        '<p>Within <em>30 days</em>.<br/>Free <code>label</code>.</p>' +
        '<ul><li>Desk — $40.00</li><li>Chair</li></ul>' +
        '<ol><li>one</li><li>two</li></ol>',
    );
  });

  it('shows half-written markup of a streaming reply as plain text', () => {
    expect(html('The **Quokka')).toBe('<p>The **Quokka</p>');
  });
});
