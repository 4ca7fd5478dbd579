import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// The shop route's initial JavaScript (entry chunk + its static imports) must stay under this.
const INITIAL_JS_BUDGET_KB = 200;

function initialJsBudget(): Plugin {
  return {
    name: 'cartwise-initial-js-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(
        Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])),
      );
      const entry = [...chunks.values()].find((c) => c.isEntry);
      if (!entry) return;
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name)) return;
        initial.add(name);
        for (const imported of chunks.get(name)?.imports ?? []) visit(imported);
      };
      visit(entry.fileName);
      const gzipKb = (code: string) => gzipSync(code).length / 1000;
      const initialKb = [...initial].reduce((sum, name) => sum + gzipKb(chunks.get(name)!.code), 0);
      const lazy = [...chunks.keys()].filter((name) => !initial.has(name));
      const lazyKb = lazy.reduce((sum, name) => sum + gzipKb(chunks.get(name)!.code), 0);
      const line = `shop route initial JS: ${initialKb.toFixed(1)} KB gzipped in ${initial.size} chunk(s) (budget ${INITIAL_JS_BUDGET_KB} KB); ${lazy.length} lazy chunk(s): ${lazyKb.toFixed(1)} KB gzipped`;
      console.log(`\n${line}`);
      if (initialKb > INITIAL_JS_BUDGET_KB) this.error(`Initial JS over budget: ${line}`);
    },
  };
}

/**
 * Regenerates src/web/api/schema.gen.ts (the API's types, from the server's OpenAPI document)
 * before every build and dev server start, so `vite build` and `npx vite` never run on stale types.
 */
function apiTypes(): Plugin {
  return {
    name: 'cartwise-api-types',
    buildStart() {
      const script = fileURLToPath(new URL('scripts/generate-api-types.ts', import.meta.url));
      // The project's pinned Node 24 runs TypeScript; Vite itself may run on an older one.
      const pinned = fileURLToPath(new URL('node_modules/.bin/node', import.meta.url));
      execFileSync(existsSync(pinned) ? pinned : process.execPath, [script], { stdio: 'inherit' });
    },
  };
}

export default defineConfig({
  root: 'src/web',
  publicDir: 'public',
  plugins: [apiTypes(), react(), initialJsBudget()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
  // `npm run dev` (scripts/dev.ts): everything the API server answers itself goes to it on PORT.
  server: {
    proxy: Object.fromEntries(
      ['/api', '/health', '/docs', '/openapi.json', '/images', '/uploads', '/metrics'].map((path) => [
        path,
        `http://127.0.0.1:${process.env.PORT || 8001}`,
      ]),
    ),
  },
});
