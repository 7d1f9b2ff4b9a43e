/**
 * The receiver evaluates a value filter (`emails[type eq "work"]`) in two places: in memory, where a
 * PATCH path picks the elements it changes (scim/value-filter.ts), and in SQL, where GET /Users?filter=
 * selects users (store/sql/filter-compiler.ts). This table runs every operator over the same data
 * through both, over HTTP, and asserts that they pick the same elements.
 *
 * Each fixture user holds at most one element per multi-valued attribute, so "the list endpoint returns
 * the user" and "PATCH remove emails[f] removed its element" are answers about the same element. Users
 * past the end of a fixture list hold no element of that attribute (missing values).
 *
 * Named, legitimate limits of the table:
 * - numbers and dateTimes: no multi-valued complex attribute has such a sub-attribute (custom attributes
 *   are simple), so no HTTP request can put one in a value filter. The last table compares them one
 *   layer down instead: a synthetic extension, the evaluator called directly, the store's list() for SQL
 *   (dateTime over HTTP: datetime-filters.test.ts).
 * - ordering on PostgreSQL follows the database collation; test databases (and this comparison) use
 *   C.UTF-8, i.e. code-point order, which is what SQLite's BINARY collation and the evaluator use.
 */
import type { ResolvedFilter } from '../../receiver/src/schema/query';
import type { AttributeRef, ResourceType } from '../../receiver/src/schema/resource-types';
import { USER_RESOURCE_TYPE, resolveAttributePath } from '../../receiver/src/schema/resource-types';
import type { AttributeDefinition } from '../../receiver/src/schema/schema-definitions';
import { parseValueFilter } from '../../receiver/src/scim/filter';
import { matchesElement } from '../../receiver/src/scim/value-filter';
import { UnsupportedQueryError } from '../../receiver/src/store/errors';
import { TestReceiver, expectScimError, patchOp } from './support/harness';

type Element = Record<string, unknown>;

const FIXTURES: Record<'emails' | 'photos' | 'addresses' | 'x509Certificates', Element[]> = {
  emails: [
    { value: 'Ann.Work@Example.com', type: 'work', primary: true, display: 'Ann' },
    { value: 'ann@home.example', type: 'home' },
    { value: 'bob@example.com', type: 'Work', primary: false },
    { value: 'ÉLODIE@example.fr', type: 'other', display: 'Élodie' }, // composed É
    { value: 'e\u0301lodie@example.fr', type: 'other', display: 'E\u0301lodie' }, // decomposed: the same folded key
    { value: 'x%_\\y@example.com', type: 'work', display: 'percent' }, // LIKE's special characters are plain here
    { value: 'zed@example.com' }, // no type, no display, no primary
    { value: 'İstanbul@example.tr', type: 'work', primary: true }, // lower-cases to "i̇stanbul" (two code points)
    { value: 'ß@example.de', display: 'STRASSE' },
    { value: '\u{1F600}@example.com', type: 'other', display: '5' }, // astral: a surrogate pair in UTF-16
    { value: '\uFF41@example.com', type: 'WORK' }, // fullwidth "a": above every surrogate in UTF-16, below U+1F600 in code points
  ],
  photos: [
    { value: 'https://img.example.com/Ann.png', type: 'photo', primary: true },
    { value: 'https://img.example.com/ann.png', type: 'thumbnail' },
    { value: 'HTTPS://IMG.EXAMPLE.COM/BOB.PNG', type: 'Photo' },
    { value: 'https://img.example.com/%E9_x.png' },
    { value: 'https://img.example.com/\u00E9.png', type: 'PHOTO' },
  ],
  addresses: [
    { streetAddress: '1 Main St', locality: 'Springfield', country: 'US', type: 'work', primary: true },
    { locality: 'springfield', country: 'us', type: 'home' },
    { formatted: 'Straße 5, Berlin', country: 'DE' },
    { locality: 'SPRINGFIELD', region: 'IL', type: 'other', primary: false },
  ],
  x509Certificates: [{ value: 'TUlJQ0FBQQ==' }, { value: 'tuljq0fbqq==', primary: true }, { value: 'TUlJQ0FBQg==', type: 'work' }],
};

type Attribute = keyof typeof FIXTURES;

/** [attribute, value filter]: every operator, and/or/not, case, Unicode, null and missing values. */
const AGREEING: [Attribute, string][] = [
  // eq / ne on a case-insensitive string (folded: NFC + lower case)
  ['emails', 'value eq "ann.work@example.com"'],
  ['emails', 'value eq "ANN.WORK@EXAMPLE.COM"'],
  ['emails', 'value ne "ann.work@example.com"'],
  ['emails', 'type eq "work"'],
  ['emails', 'type ne "work"'],
  ['emails', 'display ne "ann"'],
  ['emails', 'value eq "élodie@example.fr"'],
  ['emails', 'value eq "e\u0301lodie@EXAMPLE.fr"'],
  ['emails', 'display eq "\u00C9LODIE"'],
  ['emails', 'value eq "istanbul@example.tr"'],
  ['emails', 'value eq "i\u0307stanbul@example.tr"'],
  ['emails', 'display eq "strasse"'],
  ['emails', 'value eq "ss@example.de"'],
  // co / sw / ew
  ['emails', 'value co "EXAMPLE"'],
  ['emails', 'value co "%_\\\\"'],
  ['emails', 'value co "_"'],
  ['emails', 'value co "lodie"'],
  ['emails', 'value co "\u0301"'],
  ['emails', 'display co "o"'],
  ['emails', 'value sw "ann"'],
  ['emails', 'value sw "I\u0307"'],
  ['emails', 'value sw "\u{1F600}"'],
  ['emails', 'value sw "example"'],
  ['emails', 'type sw "o"'],
  ['emails', 'value ew ".COM"'],
  ['emails', 'value ew "example.fr"'],
  ['emails', 'type ew "K"'],
  ['emails', 'type ew "e"'],
  ['emails', 'value ew "EXAMPLE"'],
  // gt / ge / lt / le (code-point order on the folded text)
  ['emails', 'value gt "b"'],
  ['emails', 'value ge "bob@example.com"'],
  ['emails', 'value lt "b"'],
  ['emails', 'value le "bob@example.com"'],
  ['emails', 'value lt "bob@example.com"'],
  ['emails', 'value gt "bob@example.com"'],
  ['emails', 'display lt "ann"'],
  ['emails', 'display ge "ann"'],
  ['emails', 'value gt "\uFF41"'],
  ['emails', 'value lt "\u{1F600}"'],
  ['emails', 'value ge "\u00E9"'],
  ['emails', 'type gt "home"'],
  ['emails', 'type le "other"'],
  ['emails', 'display lt "b"'],
  ['emails', 'display eq 5'], // a number against a string: compared as its text
  ['emails', 'display gt 4'],
  // pr, null and missing values
  ['emails', 'value pr'],
  ['emails', 'type pr'],
  ['emails', 'display pr'],
  ['emails', 'primary pr'],
  ['emails', 'type eq null'],
  ['emails', 'type ne null'],
  ['emails', 'display eq null'],
  // booleans (Okta and Entra send "True"/"False" strings too)
  ['emails', 'primary eq true'],
  ['emails', 'primary eq false'],
  ['emails', 'primary ne true'],
  ['emails', 'primary ne false'],
  ['emails', 'primary eq "True"'],
  ['emails', 'primary eq "False"'],
  // not / and / or, nested
  ['emails', 'not (type eq "work")'],
  ['emails', 'not (value co "example")'],
  ['emails', 'not (primary eq true)'],
  ['emails', 'not (display pr)'],
  ['emails', 'not (type ne "work")'],
  ['emails', 'type eq "work" and value co "x"'],
  ['emails', 'type eq "work" and primary eq true'],
  ['emails', 'type eq "work" or type eq "home"'],
  ['emails', 'type eq "work" and not (primary eq true)'],
  ['emails', '(type eq "home" or type eq "other") and display pr'],
  ['emails', 'value ew "example.com" or not (type pr)'],
  ['emails', 'not (type eq "work" or value sw "ann") and (display pr or primary eq false)'],
  ['emails', 'not (not (type eq "other"))'],
  // a case-exact reference (photos.value) beside case-insensitive sub-attributes
  ['photos', 'value eq "https://img.example.com/ann.png"'],
  ['photos', 'value eq "HTTPS://IMG.EXAMPLE.COM/BOB.PNG"'],
  ['photos', 'value ne "https://img.example.com/ann.png"'],
  ['photos', 'value co "ann"'],
  ['photos', 'value co "%E9_"'],
  ['photos', 'value sw "HTTPS"'],
  ['photos', 'value ew ".PNG"'],
  ['photos', 'value gt "https://img.example.com/B"'],
  ['photos', 'value le "https://img.example.com/ann.png"'],
  ['photos', 'value lt "https://img.example.com/ann.png"'],
  ['photos', 'value ge "https://img.example.com/ann.png"'],
  ['photos', 'value sw "img"'],
  ['photos', 'value ew "Ann.png"'],
  ['photos', 'value lt "https://img.example.com/\u00E9"'],
  ['photos', 'type eq "photo"'],
  ['photos', 'type ne "photo"'],
  ['photos', 'value eq "https://img.example.com/ann.png" and type eq "THUMBNAIL"'],
  ['photos', 'value co "ann" and type ne "photo"'],
  ['photos', 'type eq "photo" and not (value co "BOB")'],
  ['photos', 'not (value eq "https://img.example.com/ann.png")'],
  ['photos', 'type pr and value sw "https"'],
  ['photos', 'type eq null or value ew "PNG"'],
  // several sub-attributes of a non-standard complex shape
  ['addresses', 'locality eq "SPRINGFIELD"'],
  ['addresses', 'country sw "U"'],
  ['addresses', 'locality gt "springfield"'],
  ['addresses', 'locality le "springfield"'],
  ['addresses', 'locality ew "FIELD"'],
  ['addresses', 'formatted co "STRASSE"'],
  ['addresses', 'formatted co "STRAßE"'],
  ['addresses', 'streetAddress pr'],
  ['addresses', 'region ne "il"'],
  ['addresses', 'type eq "work" and primary eq true'],
  ['addresses', 'locality eq "springfield" and not (country eq "US")'],
  ['addresses', 'locality lt "t" or country gt "D"'],
  // binary (case-exact)
  ['x509Certificates', 'value eq "TUlJQ0FBQQ=="'],
  ['x509Certificates', 'value co "ulj"'],
  ['x509Certificates', 'value sw "TU"'],
  ['x509Certificates', 'value ew "Bg=="'],
  ['x509Certificates', 'value ne "TUlJQ0FBQQ==" and primary ne true'],
];

/** Filters both sides reject the same way (400 invalidFilter). */
const REJECTED: [Attribute, string][] = [
  ['x509Certificates', 'value gt "TU"'], // ordering is not defined for binary
  ['emails', 'primary gt true'],
  ['emails', 'primary co "tr"'],
  ['emails', 'value lt null'],
  ['emails', 'value co 5'],
  ['emails', 'nope eq "x"'],
  ['emails', 'type eq "work" and'],
];

let r: TestReceiver;
/** User ids in fixture order (index i holds element i of every fixture list long enough). */
const ids: string[] = [];
/** The stored element of each user, per attribute, as the receiver returned it at creation. */
const stored = new Map<string, Partial<Record<Attribute, Element>>>();

beforeAll(async () => {
  r = await TestReceiver.start();
  const count = Math.max(...Object.values(FIXTURES).map((f) => f.length)) + 1;
  for (let i = 0; i < count; i++) {
    const extra: Record<string, unknown> = { emails: undefined };
    for (const [attribute, elements] of Object.entries(FIXTURES)) if (elements[i]) extra[attribute] = [elements[i]];
    const user = await r.createUser(`agree.${i}@example.com`, extra);
    ids.push(user.id);
    const elements: Partial<Record<Attribute, Element>> = {};
    for (const attribute of Object.keys(FIXTURES) as Attribute[]) {
      if (user[attribute] !== undefined) {
        expect(user[attribute]).toHaveLength(1);
        elements[attribute] = user[attribute][0];
      }
    }
    stored.set(user.id, elements);
  }
});
afterAll(async () => {
  await r.stop();
});

/** The fixture indexes of the users GET /Users?filter=attribute[filter] returns (the SQL compiler's answer). */
async function selectedBySql(attribute: Attribute, filter: string): Promise<number[]> {
  const response = await r.get(`/Users?count=200&attributes=id&filter=${encodeURIComponent(`${attribute}[${filter}]`)}`);
  if (response.status !== 200) throw new Error(`GET filter ${attribute}[${filter}]: ${response.status} ${response.text}`);
  return (response.body.Resources as { id: string }[]).map((u) => ids.indexOf(u.id)).sort((a, b) => a - b);
}

/**
 * The fixture indexes whose element `PATCH remove attribute[filter]` removes (the in-memory evaluator's
 * answer); every removed element is put back, and the user checked to be as it was.
 */
async function selectedByPatch(attribute: Attribute, filter: string): Promise<number[]> {
  const removed: number[] = [];
  for (const [index, id] of ids.entries()) {
    const element = stored.get(id)![attribute];
    const response = await r.patch(`/Users/${id}`, patchOp({ op: 'remove', path: `${attribute}[${filter}]` }));
    if (response.status !== 200) throw new Error(`PATCH ${attribute}[${filter}]: ${response.status} ${response.text}`);
    if (element === undefined || response.body[attribute] !== undefined) {
      expect(response.body[attribute]).toEqual(element === undefined ? undefined : [element]);
      continue;
    }
    removed.push(index);
    const restored = await r.patch(`/Users/${id}`, patchOp({ op: 'add', path: attribute, value: [element] }));
    expect(restored.status).toBe(200);
    expect(restored.body[attribute]).toEqual([element]);
  }
  return removed;
}

describe('the PATCH value-filter evaluator and the SQL filter compiler select the same elements', () => {
  it.each(AGREEING)('%s[%s]', async (attribute, filter) => {
    const bySql = await selectedBySql(attribute, filter);
    const byPatch = await selectedByPatch(attribute, filter);
    expect({ filter, selected: byPatch }).toEqual({ filter, selected: bySql });
  });

  it('the table is not vacuous: every fixture element is selected by some filter and left alone by another', async () => {
    // Guards the table itself: a filter list in which nothing (or everything) matches proves nothing.
    for (const attribute of Object.keys(FIXTURES) as Attribute[]) {
      const rows = AGREEING.filter(([a]) => a === attribute);
      const answers = await Promise.all(rows.map(([, f]) => selectedBySql(attribute, f)));
      for (let i = 0; i < FIXTURES[attribute].length; i++) {
        expect({ attribute, i, selectedSomewhere: answers.some((a) => a.includes(i)) }).toEqual({ attribute, i, selectedSomewhere: true });
        expect({ attribute, i, missedSomewhere: answers.some((a) => !a.includes(i)) }).toEqual({ attribute, i, missedSomewhere: true });
      }
    }
  });
});

describe('filters that neither side accepts', () => {
  it.each(REJECTED)('%s[%s] is 400 invalidFilter on both', async (attribute, filter) => {
    const list = await r.get(`/Users?filter=${encodeURIComponent(`${attribute}[${filter}]`)}`);
    expectScimError(list, 400, 'invalidFilter');
    const patch = await r.patch(`/Users/${ids[0]}`, patchOp({ op: 'remove', path: `${attribute}[${filter}]` }));
    expectScimError(patch, 400, 'invalidFilter');
  });
});

describe('absent values outside value filters', () => {
  // The fixture users have no title (case-insensitive, read from the folded copy) and an externalId
  // (case-exact): "ne is not eq" must hold for both kinds, and `not` must not turn an unknown into "no".
  it.each([
    ['title ne "CTO"', true],
    ['not (title eq "CTO")', true],
    ['title eq "CTO"', false],
    ['nickName ne "x" and title ne "y"', true],
    ['externalId ne "x"', true],
    ['not (externalId eq "x")', true],
  ])('%s selects every user without the attribute: %s', async (filter, all) => {
    const response = await r.get(`/Users?count=200&attributes=id&filter=${encodeURIComponent(filter)}`);
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(all ? ids.length : 0);
  });
});

describe('numbers and dateTimes (no HTTP path reaches them: evaluator and store compared directly)', () => {
  const URN = 'urn:ietf:params:scim:schemas:extension:agreement:2.0:User';
  const sub = (name: string, type: AttributeDefinition['type']): AttributeDefinition => ({
    name, type, multiValued: false, description: name, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none',
  });
  const scores: AttributeDefinition = {
    ...sub('scores', 'complex'),
    multiValued: true,
    subAttributes: [sub('value', 'integer'), sub('weight', 'decimal'), sub('at', 'dateTime'), sub('label', 'string')],
  };
  const type: ResourceType = {
    ...USER_RESOURCE_TYPE,
    extensions: [...USER_RESOURCE_TYPE.extensions, { id: URN, name: 'Agreement', description: 'test only', attributes: [scores] }],
  };
  const parent: AttributeRef = resolveAttributePath(type, `${URN}:scores`)!;
  const ELEMENTS: Element[] = [
    { value: 3, weight: 1.5, at: '2024-05-01T12:00:00Z', label: 'Three' },
    { value: -2, weight: 0.25, at: '2024-05-01T12:00:00.000Z' },
    { value: 10, weight: 10, at: '2023-12-31T23:59:59Z', label: 'ten' },
    // The same instant as the first two, written with an offset (RFC 7643 §2.3.5 compares instants).
    { value: 0, at: '2024-05-01T14:00:00+02:00' },
    { weight: -1.5, label: '3' },
    { at: '2024-05-01T13:30:00+02:00' }, // 11:30Z: after noon as text, before it in time
    { at: '2024-05-01T12:00:00.5-00:30' }, // 12:30:00.500Z: before …12:00:00Z as text
    { at: '2024-05-01T12:00:00' }, // no offset: UTC, noon again
    { at: '2024-05-01T12:00:00.9996Z' }, // counted to the millisecond: …12:00:00.999Z
    // Stored values that do not parse (written past validation, as after a string attribute became a
    // dateTime): they match nothing, `ne` selects them like absent values, and no store fails on them.
    { at: 'next Tuesday', label: 'unparsable' },
    { at: '2024-02-30T00:00:00Z' }, // Date.parse rolls it over into March; no such day
    { at: 20240501 }, // not even text
  ];
  const FILTERS = [
    'value eq 3', 'value ne 3', 'value gt 0', 'value ge 3', 'value lt 0', 'value le 3', 'value eq -2', 'value pr', 'value eq null',
    'weight gt 1', 'weight le 0.25', 'weight eq 10', 'weight lt 0', 'weight ne 1.5',
    'at gt "2024-01-01T00:00:00Z"', 'at eq "2024-05-01T12:00:00Z"', 'at eq "2024-05-01T14:00:00+02:00"', 'at le "2024-05-01T12:00:00.000Z"', 'at lt "2024-05-01T00:00:00Z"',
    'at eq "2024-05-01T12:00:00"', 'at eq "2024-05-01T07:00:00-05:00"', 'at ne "2024-05-01T12:00:00Z"', 'not (at eq "2024-05-01T12:00:00Z")',
    'at gt "2024-05-01T12:00:00Z"', 'at lt "2024-05-01T12:00:00+00:30"', 'at le "2024-05-01T12:00:00+00:30"', 'at ge "2024-05-01T12:30:00.500Z"',
    'at eq "2024-05-01T12:00:00.999Z"', 'at gt "2024-05-01T12:00:00.999Z"', 'at lt "9999-12-31T23:59:59Z"', 'at ge "0000-01-01T00:00:00Z"',
    'at pr', 'not (at pr)', 'value gt 0 and weight lt 5', 'value lt 0 or label eq "TEN"', 'not (value ge 3) and at pr', 'label eq 3',
  ];

  let holders: string[] = [];
  beforeAll(async () => {
    holders = ids.slice(0, ELEMENTS.length);
    for (const [i, id] of holders.entries()) {
      const updated = await r.store.users.update(id, (current) => ({ ...current.data, [URN]: { scores: [ELEMENTS[i]] } }), { groups: false });
      expect(updated).toBeDefined();
    }
  });

  async function selectedByStore(filter: ResolvedFilter): Promise<number[]> {
    const query: ResolvedFilter = { kind: 'valuePath', attr: parent, filter };
    const page = await r.store.users.list({ filter: query, startIndex: 1, count: 200 }, { groups: false });
    return page.items.map((u) => holders.indexOf(u.id)).sort((a, b) => a - b);
  }

  it.each(FILTERS)('scores[%s]', async (text) => {
    const filter = parseValueFilter(type, parent, text);
    const byEvaluator = ELEMENTS.flatMap((element, i) => (matchesElement(filter, element) ? [i] : []));
    expect({ text, selected: byEvaluator }).toEqual({ text, selected: await selectedByStore(filter) });
  });

  // Agreement alone would pass if both sides compared texts again: the instants are spelled out here.
  it.each([
    ['at eq "2024-05-01T12:00:00Z"', [0, 1, 3, 7]],
    ['at eq "2024-05-01T14:00:00+02:00"', [0, 1, 3, 7]],
    ['at gt "2024-05-01T12:00:00Z"', [6, 8]],
    ['at lt "2024-05-01T12:00:00+00:30"', [2]],
    ['at le "2024-05-01T12:00:00+00:30"', [2, 5]],
    ['at eq "2024-05-01T12:00:00.999Z"', [8]],
    ['at ne "2024-05-01T12:00:00Z"', [2, 4, 5, 6, 8, 9, 10, 11]],
    ['at lt "9999-12-31T23:59:59Z"', [0, 1, 2, 3, 5, 6, 7, 8]],
  ])('scores[%s] selects the elements of that instant', async (text, expected) => {
    expect({ text, selected: await selectedByStore(parseValueFilter(type, parent, text)) }).toEqual({ text, selected: expected });
  });

  it.each(['at lt "2024-05-01"', 'at eq "yesterday"', 'at eq "2024-02-30T00:00:00Z"', 'at gt 5', 'at co "2024"'])('scores[%s] is not a dateTime comparison: 400 invalidFilter', (text) => {
    expect(() => parseValueFilter(type, parent, text)).toThrow(expect.objectContaining({ scimType: 'invalidFilter' }));
  });

  it('the store refuses a dateTime literal that does not parse, rather than comparing texts', async () => {
    const at = parseValueFilter(type, parent, 'at pr');
    const bad: ResolvedFilter = { kind: 'compare', op: 'eq', attr: at.kind === 'present' ? at.attr : parent, value: '2024-05-01' };
    await expect(selectedByStore(bad)).rejects.toBeInstanceOf(UnsupportedQueryError);
  });
});
