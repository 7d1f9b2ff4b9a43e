/** The attribute × place table of `npm run drift`: one row per attribute, one cell per place. */
import type { PlacedAttribute, UndeclaredAttribute } from './places';

export interface Place {
  readonly title: string;
  /** Undefined: the place was not read (no URL, no credentials). */
  readonly attributes?: readonly PlacedAttribute[];
  /** The place holds nothing yet on purpose (Okta attributes wait for provisioning.confirmed). */
  readonly pending?: string;
  /** The receiver publishes the standard enterprise schema: only declared names are compared there. */
  readonly fixedSchemas?: readonly string[];
}

export interface Row {
  readonly attribute: string;
  readonly cells: readonly string[];
  readonly drift: boolean;
}

const key = (name: string) => name.toLowerCase();

function cell(expected: PlacedAttribute | undefined, place: Place): { text: string; drift: boolean } {
  if (!place.attributes) return { text: '(not read)', drift: false };
  if (!expected) return { text: '', drift: false };
  const found = place.attributes.filter((a) => key(a.name) === key(expected.name));
  const same = found.find((a) => a.urn.toLowerCase() === expected.urn.toLowerCase());
  if (same) return same.type === expected.type ? { text: '✓', drift: false } : { text: `type mismatch (${same.type})`, drift: true };
  if (found.length > 0) return { text: `namespace mismatch (${found[0]!.urn})`, drift: true };
  if (place.pending) return { text: place.pending, drift: false };
  return { text: 'missing', drift: true };
}

/**
 * Rows for every declared attribute (config = the reference), then for every attribute another place
 * holds that config does not declare, then for attributes Okta sends that the receiver does not declare.
 */
export function compare(config: readonly PlacedAttribute[], places: readonly Place[], undeclared?: readonly UndeclaredAttribute[]): Row[] {
  const rows: Row[] = [];
  const sentColumn = undeclared !== undefined;
  const sent = (a: { name: string; urn: string }) => undeclared?.find((u) => key(u.name) === key(a.name) && u.urn.toLowerCase() === a.urn.toLowerCase());
  for (const a of config) {
    const cells = places.map((p) => cell(a, p));
    const undeclaredHere = sent(a);
    rows.push({
      attribute: a.name,
      cells: [`${a.type}, ${a.urn}`, ...cells.map((c) => c.text), ...(sentColumn ? [undeclaredHere ? 'sent, undeclared' : ''] : [])],
      drift: cells.some((c) => c.drift) || !!undeclaredHere,
    });
  }
  const declared = new Set(config.map((a) => key(a.name)));
  const extras = new Map<string, PlacedAttribute>();
  for (const p of places) {
    for (const a of p.attributes ?? []) {
      if (declared.has(key(a.name)) || p.fixedSchemas?.some((u) => u.toLowerCase() === a.urn.toLowerCase())) continue;
      if (!extras.has(key(a.name))) extras.set(key(a.name), a);
    }
  }
  for (const u of undeclared ?? []) if (!declared.has(key(u.name)) && !extras.has(key(u.name))) extras.set(key(u.name), { name: u.name, urn: u.urn, type: '?' });
  for (const a of extras.values()) {
    const cells = places.map((p) => {
      if (!p.attributes) return '(not read)';
      const found = p.attributes.find((x) => key(x.name) === key(a.name));
      return found ? `${found.type}, ${found.urn}` : 'missing';
    });
    const undeclaredHere = sent(a);
    rows.push({
      attribute: a.name,
      cells: ['missing', ...cells, ...(sentColumn ? [undeclaredHere ? `sent, undeclared${undeclaredHere.lastUser ? ` (last: ${undeclaredHere.lastUser})` : ''}` : ''] : [])],
      drift: true,
    });
  }
  return rows;
}

export function renderTable(header: readonly string[], rows: readonly Row[]): string {
  const all = [header, ...rows.map((r) => [r.attribute, ...r.cells])];
  const widths = header.map((_, i) => Math.max(...all.map((line) => (line[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...all.slice(1).map(line)].join('\n');
}
