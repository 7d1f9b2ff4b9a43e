/**
 * scripts/register-ts.js, the TypeScript loader of `npm run synth`: each file's transpiled output is
 * cached by content, so an edit is never served stale, and stack traces still name the .ts lines.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const HOOK = resolve(__dirname, '../../scripts/register-ts.js');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'register-ts-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(source: string): { stdout: string; stderr: string; status: number | null } {
  const file = join(dir, 'entry.ts');
  writeFileSync(file, source);
  const result = spawnSync(process.execPath, ['-r', HOOK, file], { encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

it('runs TypeScript (types erased, imports resolved) and runs an edited file as edited, not from the cache', () => {
  writeFileSync(join(dir, 'value.ts'), 'export const value: number = 41;\n');
  const source = (n: number) => `import { value } from './value';\nconst shown: string = String(value + ${n});\nconsole.log(shown);\n`;
  expect(run(source(1))).toMatchObject({ status: 0, stdout: '42\n' });
  expect(run(source(1))).toMatchObject({ status: 0, stdout: '42\n' });
  expect(run(source(2))).toMatchObject({ status: 0, stdout: '43\n' });
  writeFileSync(join(dir, 'value.ts'), 'export const value: number = 0;\n');
  expect(run(source(2))).toMatchObject({ status: 0, stdout: '2\n' });
});

it('reports errors at the line of the .ts source', () => {
  const result = run('interface Shape {\n  readonly size: number;\n}\n\nconst shape: Shape = { size: 1 };\nif (shape.size > 0) throw new Error("thrown on line 6");\n');
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/entry\.ts:6/);
});
