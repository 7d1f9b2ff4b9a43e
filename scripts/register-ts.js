'use strict';
/**
 * `node -r ./scripts/register-ts.js main.ts`: runs TypeScript the way ts-node's transpile-only mode
 * does (each file transpiled on its own, no type check: that is `npm run typecheck`'s job), but keeps
 * each file's output on disk, keyed by a hash of its content and of the compiler settings. Synthesis
 * transpiles the same ~40 files (≈250 kB, a third of them provider bindings from .gen/) on every run:
 * with the cache, TypeScript itself is not even loaded unless a file changed.
 *
 * Stack traces point at the .ts lines (inline source maps, read by Node's own source-map support).
 * The cache lives in node_modules/.cache/okta-scim-kit-ts; deleting it is always safe.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'okta-scim-kit-ts');
const TSCONFIG = join(ROOT, 'tsconfig.json');

/** What the output depends on besides the source: this file, the TypeScript version, the tsconfig files. */
const settingsHash = (() => {
  const hash = createHash('sha256').update(readFileSync(__filename));
  hash.update(require('typescript/package.json').version);
  for (const file of [TSCONFIG, join(ROOT, 'tsconfig.base.json')]) hash.update(readFileSync(file));
  return hash.digest('hex');
})();

/** Entries older than this are removed on the next miss (a hit costs one re-transpile at worst). */
const CACHE_LIFETIME_MS = 14 * 24 * 3600 * 1000;

let compilerOptions;
let pruned = false;

/** Keeps the cache from growing with every edit ever made: once per process, on the first miss. */
function pruneOnce() {
  if (pruned) return;
  pruned = true;
  const oldest = Date.now() - CACHE_LIFETIME_MS;
  for (const entry of readdirSync(CACHE_DIR)) {
    const file = join(CACHE_DIR, entry);
    if (statSync(file).mtimeMs < oldest) rmSync(file, { force: true });
  }
}

/** tsconfig.json's options (extends resolved), for a CommonJS module with its source map inline. */
function options(ts) {
  if (!compilerOptions) {
    const { config } = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
    compilerOptions = { ...parsed.options, module: ts.ModuleKind.CommonJS, noEmit: false, sourceMap: false, inlineSourceMap: true, inlineSources: true };
  }
  return compilerOptions;
}

function transpile(source, filename) {
  const ts = require('typescript');
  const result = ts.transpileModule(source, { compilerOptions: options(ts), fileName: filename, reportDiagnostics: false });
  return result.outputText;
}

function compiled(source, filename) {
  const key = createHash('sha256').update(settingsHash).update('\0').update(filename).update('\0').update(source).digest('hex');
  const cached = join(CACHE_DIR, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // Not cached yet.
  }
  const output = transpile(source, filename);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    pruneOnce();
    // Written aside and renamed: two synths at once never read half a file.
    const temporary = `${cached}.${process.pid}.tmp`;
    writeFileSync(temporary, output);
    renameSync(temporary, cached);
  } catch {
    // A read-only tree still runs, uncached.
  }
  return output;
}

process.setSourceMapsEnabled(true);
// Node ≥ 22.1 also keeps V8's compiled code of every module (the provider bindings are ~10 MB of
// JavaScript); Node 20 has no such cache, and this line does nothing there.
require('node:module').enableCompileCache?.(join(ROOT, 'node_modules', '.cache', 'okta-scim-kit-v8'));
require.extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(compiled(readFileSync(filename, 'utf8'), filename), filename);
};
