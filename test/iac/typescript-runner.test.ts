/**
 * The one way this project runs TypeScript outside jest (cdktf.json's app, `npm run synth`, the review,
 * verify, drift, bench and gen scripts): `node --require tsx/cjs`, types erased without a type check
 * (that is `npm run typecheck`'s job). Checked through cdktf.json's own app command, the one
 * `cdktf synth` runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const APP = (JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')) as { app: string }).app;
/** The app command without its entry file: `node <flags>`. */
const RUNNER = APP.replace(/\s+main\.ts$/, '').split(/\s+/).slice(1);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'typescript-runner-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(file: string, env: NodeJS.ProcessEnv = {}): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [...RUNNER, file], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env } });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

it('is the command of cdktf.json and of every npm script that runs a .ts file', () => {
  expect(APP).toBe(`node ${RUNNER.join(' ')} main.ts`);
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const tsRuns = Object.values(scripts).flatMap((script) => script.match(/node [^&]*?\S+\.ts\b/g) ?? []);
  expect(tsRuns.length).toBeGreaterThanOrEqual(8);
  for (const command of tsRuns) expect(command.startsWith(`node ${RUNNER.join(' ')} `)).toBe(true);
});

it('synthesizes main.ts through cdktf.json’s app command', () => {
  const out = join(dir, 'out');
  const result = run('main.ts', { CDKTF_OUTDIR: out });
  expect(result).toMatchObject({ status: 0 });
  expect(readdirSync(join(out, 'stacks')).sort()).toEqual(expect.arrayContaining(['okta-dev', 'okta-prod', 'okta-staging']));
});

it('runs TypeScript with its imports and reports errors at the line of the .ts source', () => {
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'lib', 'value.ts'), 'export const value: number = 41;\n');
  writeFileSync(join(dir, 'ok.ts'), "import { value } from './lib/value';\nconst shown: string = String(value + 1);\nconsole.log(shown);\n");
  expect(run(join(dir, 'ok.ts'))).toMatchObject({ status: 0, stdout: '42\n' });
  writeFileSync(join(dir, 'entry.ts'), 'interface Shape {\n  readonly size: number;\n}\n\nconst shape: Shape = { size: 1 };\nif (shape.size > 0) throw new Error("thrown on line 6");\n');
  const failed = run(join(dir, 'entry.ts'));
  expect(failed.status).not.toBe(0);
  expect(failed.stderr).toMatch(/entry\.ts:6/);
});
