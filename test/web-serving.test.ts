import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../src/server/http/errors.ts';
import { registerWeb } from '../src/server/http/web.ts';

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

async function appServing(root: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  app.get('/api/ping', async () => ({ pong: true }));
  await registerWeb(app, root);
  await app.ready();
  return app;
}

describe('web app serving', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cartwise-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    app = await appServing(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / without long caching', async () => {
    const res = await app.inject({ url: '/', headers: HTML });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('id="root"');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('caches hashed assets for a year and other files briefly', async () => {
    const asset = await app.inject('/assets/index-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await app.inject('/favicon.svg');
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('answers client-side routes with the app shell when the browser asks for HTML', async () => {
    for (const url of ['/orders', '/products/12', '/login?next=%2Forders', '/admin/models']) {
      const res = await app.inject({ url, headers: HTML });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('id="root"');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('keeps problem+json 404s for API paths, missing files and non-HTML clients', async () => {
    const cases = [
      { url: '/api/nope', headers: HTML },
      { url: '/health/nope', headers: HTML },
      { url: '/assets/missing-123.js', headers: HTML },
      { url: '/orders', headers: { accept: 'application/json' } },
      { url: '/orders', method: 'POST' as const, headers: HTML },
    ];
    for (const c of cases) {
      const res = await app.inject(c);
      expect(res.statusCode, c.url).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().code).toBe('not_found');
    }
    expect((await app.inject('/api/ping')).json()).toEqual({ pong: true });
  });

  it('explains how to build when dist/web is missing, without hiding API 404s', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cartwise-noweb-'));
    const bare = await appServing(empty);
    const page = await bare.inject({ url: '/', headers: HTML });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('npm run build');
    expect((await bare.inject({ url: '/api/x', headers: HTML })).statusCode).toBe(404);
    await bare.close();
    rmSync(empty, { recursive: true, force: true });
  });
});
