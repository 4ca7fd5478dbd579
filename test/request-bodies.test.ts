import { afterAll, beforeAll, expect, it } from 'vitest';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../src/server/http/json-body.ts';
import { createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

/** Issue 18, "Abuse without an account": deeply nested JSON, bodies on bodiless routes, sizes. */

it('measures nesting outside strings only', () => {
  expect(jsonDepthExceeds('[[[]]]', 3)).toBe(false);
  expect(jsonDepthExceeds('[[[[]]]]', 3)).toBe(true);
  expect(jsonDepthExceeds('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
  expect(jsonDepthExceeds('[{}, {}, [], {"x": [1]}]', 3)).toBe(false);
});

describeEachDialect('request bodies', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());
  const json = { 'content-type': 'application/json' };

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} with 400 malformed_body; shallower still parses`, async () => {
    const user = await createUser(t.db);
    const deep = `{"city":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    for (const url of ['/api/me', '/api/auth/login']) {
      const res = await t.app.inject({
        method: url === '/api/me' ? 'PATCH' : 'POST',
        url,
        headers: { ...json, ...user.headers },
        payload: deep.slice(0, 30_000) + deep.slice(-30_000),
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('malformed_body');
    }
    const nested = `{"city":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`;
    const ok = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: { ...json, ...user.headers },
      payload: nested,
    });
    expect(ok.statusCode).toBe(422); // parsed, then refused by the schema: not a string
  });

  it('routes that take no body refuse one with 400 body_not_allowed, and do nothing', async () => {
    const user = await createUser(t.db);
    const withBody = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { ...json, ...user.headers },
      payload: JSON.stringify({ anything: [1, 2, 3] }),
    });
    expect(withBody.statusCode).toBe(400);
    expect(withBody.json().code).toBe('body_not_allowed');
    expect((await t.app.inject({ url: '/api/me', headers: user.headers })).statusCode).toBe(200);
    // An empty body with the JSON content type is still "no body".
    const empty = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { ...json, ...user.headers },
      payload: '',
    });
    expect(empty.statusCode).toBe(204);
    const sessions = await t.app.inject({
      method: 'POST',
      url: '/api/assistant/sessions',
      headers: json,
      payload: '[[[[[]]]]]',
    });
    expect(sessions.statusCode).toBe(400);
  });

  it('JSON bodies are limited to 64 KiB (413 payload_too_large)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: json,
      payload: JSON.stringify({ username: 'x', password: 'p'.repeat(70 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
  });
});
