import nodeModule from 'node:module';

/**
 * Imported first by main.ts: most of a cold start is compiling the modules it loads. Node 22.1+ can
 * keep V8's compiled code on disk and reuse it on the next start (in NODE_COMPILE_CACHE, else a
 * directory under the OS temp dir); Node 20 has no such cache and skips this. Enabling never throws:
 * an unwritable directory (a read-only root filesystem) just leaves the cache off.
 */
const enableCompileCache = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
if (typeof enableCompileCache === 'function') enableCompileCache();
