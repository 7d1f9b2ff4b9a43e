import type { CompareOperator, ResolvedFilter } from '../schema/query';
import { leafOf } from '../schema/resource-types';
import type { AttributeDefinition } from '../schema/schema-definitions';
import { foldText } from '../text/fold';
import { dateTimeInstant } from '../time/date-time';
import { coerceBoolean } from './attribute-values';

/** In-memory evaluation of a value filter against one element of a multi-valued attribute (PATCH paths). */
export function matchesElement(filter: ResolvedFilter, element: Record<string, unknown>): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.filters.every((f) => matchesElement(f, element));
    case 'or':
      return filter.filters.some((f) => matchesElement(f, element));
    case 'not':
      return !matchesElement(filter.filter, element);
    case 'valuePath':
      return false;
    case 'present': {
      const value = filter.attr.subAttribute ? element[filter.attr.subAttribute.name] : element.value;
      return value !== undefined && value !== null && value !== '';
    }
    case 'compare': {
      const leaf = leafOf(filter.attr);
      const actual = filter.attr.subAttribute ? element[filter.attr.subAttribute.name] : element.value;
      return compareValues(leaf, filter.op, actual, filter.value);
    }
  }
}

const isAbsent = (value: unknown) => value === undefined || value === null;

/**
 * One comparison, with the SQL filter compiler's semantics (store/sql/filter-compiler.ts), which the
 * value-filter agreement test holds both to: `ne` is "not eq", so an absent value is "not equal";
 * case-insensitive text compares folded (text/fold.ts); a dateTime compares by instant (time/date-time.ts),
 * and one that does not parse matches nothing; text orders by code point, like SQLite's BINARY
 * collation and PostgreSQL's "C".
 */
function compareValues(leaf: AttributeDefinition, op: CompareOperator, actual: unknown, expected: string | number | boolean | null): boolean {
  if (expected === null) return op === 'eq' ? isAbsent(actual) : !isAbsent(actual);
  if (op === 'ne') return !compareValues(leaf, 'eq', actual, expected);
  if (isAbsent(actual)) return false;
  if (typeof expected === 'boolean') return coerceBoolean(actual) === expected;
  if (typeof expected === 'number' && (leaf.type === 'integer' || leaf.type === 'decimal')) {
    return typeof actual === 'number' && !SUBSTRING.has(op) && ordered(op, Math.sign(actual - expected));
  }
  if (leaf.type === 'dateTime') {
    const [a, e] = [dateTimeInstant(actual), dateTimeInstant(expected)];
    return a !== undefined && e !== undefined && !SUBSTRING.has(op) && ordered(op, Math.sign(a - e));
  }
  const caseInsensitive = (leaf.type === 'string' || leaf.type === 'reference') && !leaf.caseExact;
  const a = caseInsensitive ? foldText(String(actual)) : String(actual);
  const e = caseInsensitive ? foldText(String(expected)) : String(expected);
  switch (op) {
    case 'co':
      return a.includes(e);
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    default:
      return ordered(op, compareCodePoints(a, e));
  }
}

const SUBSTRING: ReadonlySet<CompareOperator> = new Set(['co', 'sw', 'ew']);

/** Whether `eq`/`gt`/`ge`/`lt`/`le` holds for a comparison result (negative, zero or positive). */
function ordered(op: CompareOperator, order: number): boolean {
  switch (op) {
    case 'eq':
      return order === 0;
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
    default:
      return false;
  }
}

/** Code-point order. JavaScript's `<` compares UTF-16 units, which puts U+1F600 (a surrogate pair) before U+FF41. */
function compareCodePoints(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === a.length || i === b.length) return a.length - b.length;
  return a.codePointAt(i)! - b.codePointAt(i)!;
}
