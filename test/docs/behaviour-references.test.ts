/**
 * Every section the code cites of Okta's behaviour notes exists: a `docs/okta-scim-behavior.md §N`
 * citation anywhere in the tree names a heading of that file, and no `§` is left without saying
 * which document it is a section of (an RFC, or the notes).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

const ROOT = join(__dirname, '../..');
const BEHAVIOUR_DOC = 'docs/okta-scim-behavior.md';
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.gen', 'cdktf.out', 'dist', 'coverage', 'data', 'screenshots', '__snapshots__']);
const TEXT_FILES = new Set(['.ts', '.js', '.mjs', '.cjs', '.md', '.yml', '.yaml']);

/** `§4`, `§11.4`, and what may chain more of them: `§4, §9`, `§7–§8`, `§11.3 and §11.4`. */
const SECTION_CHAIN = String.raw`§\d+(?:\.\d+)*(?:(?:, | and | or |/|–|-)§\d+(?:\.\d+)*)*`;
/** A chain that says whose sections they are: an RFC, or the behaviour notes (also as a Markdown link). */
const QUALIFIED = new RegExp(String.raw`(RFC ?\d+|okta-scim-behavior\.md\)?) (${SECTION_CHAIN})`, 'g');

interface Reference {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** Section numbers of the headings of a Markdown document (`## 11. Groups`, `### 11.4 Membership`). */
function headingSections(markdown: string): Set<string> {
  const sections = new Set<string>();
  for (const match of markdown.matchAll(/^#{2,6} (\d+(?:\.\d+)*)\.? /gm)) sections.add(match[1]!);
  return sections;
}

/** The citations of the behaviour notes in `text` whose section is not in `sections`, and every unqualified `§`. */
function problemsIn(file: string, text: string, sections: ReadonlySet<string>): { unresolved: Reference[]; unqualified: Reference[] } {
  const unresolved: Reference[] = [];
  const unqualified: Reference[] = [];
  text.split('\n').forEach((content, index) => {
    const line = index + 1;
    const covered: Array<[number, number]> = [];
    for (const match of content.matchAll(QUALIFIED)) {
      covered.push([match.index, match.index + match[0].length]);
      if (match[1]!.startsWith('RFC')) continue;
      for (const section of match[2]!.matchAll(/§(\d+(?:\.\d+)*)/g)) {
        if (!sections.has(section[1]!)) unresolved.push({ file, line, text: `§${section[1]}` });
      }
    }
    for (const match of content.matchAll(/§/g)) {
      if (!covered.some(([from, to]) => match.index >= from && match.index < to)) {
        unqualified.push({ file, line, text: content.slice(Math.max(0, match.index - 30), match.index + 10).trim() });
      }
    }
  });
  return { unresolved, unqualified };
}

function textFilesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : textFilesUnder(path);
    return TEXT_FILES.has(extname(entry.name)) ? [path] : [];
  });
}

const sections = headingSections(readFileSync(join(ROOT, BEHAVIOUR_DOC), 'utf8'));

describe('the scanner', () => {
  it('reads the sections of the headings, numbered with and without a trailing dot', () => {
    expect([...headingSections('# Title\n## 1. Verbs\n### 2.1 Header\n## Sources\n')]).toEqual(['1', '2.1']);
  });

  it('reports a citation of a section the notes lack, and accepts ranges and lists of existing ones', () => {
    const { unresolved, unqualified } = problemsIn('a.ts', '// docs/okta-scim-behavior.md §4–§8, §11.4\n// docs/okta-scim-behavior.md §99 and §4\n', sections);
    expect(unresolved).toEqual([{ file: 'a.ts', line: 2, text: '§99' }]);
    expect(unqualified).toEqual([]);
  });

  it('reports a § that does not say whose section it is, but not an RFC section', () => {
    const { unqualified } = problemsIn('a.ts', '// RFC 7644 §3.5.2, RFC7643 §2.1\n// behaviour doc §2 (and §6)\n', sections);
    expect(unqualified.map((r) => r.line)).toEqual([2, 2]);
  });
});

describe(`citations of ${BEHAVIOUR_DOC}`, () => {
  const files = textFilesUnder(ROOT)
    .map((path) => relative(ROOT, path).split('\\').join('/'))
    // The notes cite RFC sections in their own notation ([RFC7644 §3.4.2.2]); this file's examples are wrong on purpose.
    .filter((file) => file !== BEHAVIOUR_DOC && file !== relative(ROOT, __filename).split('\\').join('/'));
  const results = files.map((file) => problemsIn(file, readFileSync(join(ROOT, file), 'utf8'), sections));
  const show = (r: Reference) => `${r.file}:${r.line}: ${r.text}`;

  it('are made from the code, tests and README', () => {
    const citing = files.filter((file) => /okta-scim-behavior\.md\)? §/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(citing).toEqual(expect.arrayContaining(['README.md', 'constructs/okta/scim-app.ts', 'test/receiver/groups.test.ts']));
  });

  it('each name a heading of the notes', () => {
    expect(results.flatMap((r) => r.unresolved).map(show)).toEqual([]);
  });

  it('leave no § without its document (RFC NNNN §N, or docs/okta-scim-behavior.md §N)', () => {
    expect(results.flatMap((r) => r.unqualified).map(show)).toEqual([]);
  });

  it('never point outside the repository', () => {
    const outside = files.filter((file) => /shared\/okta-scim-behavior\.md/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(outside).toEqual([]);
  });
});
