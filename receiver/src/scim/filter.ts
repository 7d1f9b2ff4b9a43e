import type { Filter } from 'scim2-parse-filter';
import { parse } from 'scim2-parse-filter';
import type { CompareOperator, ResolvedFilter } from '../schema/query';
import { coerceBoolean } from './attribute-values';
import { invalidFilter } from './errors';
import type { FilterLimits } from './limits';
import { DEFAULT_LIMITS } from './limits';
import type { AttributeRef, ResourceType } from '../schema/resource-types';
import { leafOf, resolveAttributePath } from '../schema/resource-types';
import type { AttributeDefinition } from '../schema/schema-definitions';
import { findAttribute } from '../schema/schema-definitions';
import { dateTimeInstant } from '../time/date-time';

const ORDERING: ReadonlySet<CompareOperator> = new Set(['gt', 'ge', 'lt', 'le']);
const SUBSTRING: ReadonlySet<CompareOperator> = new Set(['co', 'sw', 'ew']);
const OPERATOR_WORDS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'not']);
/** Every string literal is handed to the parser as `"@@<n>"`: no backslash ever reaches it. */
const PLACEHOLDER = /^@@(\d+)$/;

interface Lexed {
  /** The filter with each string literal replaced by a placeholder. */
  readonly text: string;
  /** The decoded string literals, by placeholder number. */
  readonly strings: readonly string[];
}

function tooComplex(limit: string, max: number, what: string): never {
  throw invalidFilter(`The filter is too complex: ${what} exceeds ${limit} (${max}).`);
}

/**
 * Scans the filter once, before the parser sees it: bounds its length, its nesting and its number of
 * terms (scim2-parse-filter is recursive; 5,800 nested `not` overflow the stack), and decodes string
 * literals as JSON strings (RFC 7644 §3.4.2.2), which the parser would otherwise leave escaped.
 */
function lex(text: string, limits: FilterLimits): Lexed {
  if (text.length > limits.maxLength) tooComplex('SCIM_FILTER_MAX_LENGTH', limits.maxLength, `its length (${text.length} characters)`);
  const strings: string[] = [];
  let out = '';
  let depth = 0;
  let maxDepth = 0;
  let terms = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw invalidFilter(`Invalid filter ${JSON.stringify(text)}: unterminated string.`);
      const literal = text.slice(i, j + 1);
      let decoded: string;
      try {
        // The parser's tokenizer accepts raw line breaks inside strings; JSON needs them escaped.
        // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
        decoded = JSON.parse(literal.replace(/[\u0000-\u001f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)) as string;
      } catch {
        throw invalidFilter(`Invalid string ${literal} in filter: use JSON escapes (\\" and \\\\).`);
      }
      out += `"@@${strings.length}"`;
      strings.push(decoded);
      i = j + 1;
      continue;
    }
    if (c === '(' || c === '[') {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
    } else if (c === ')' || c === ']') {
      depth--;
    } else if (/[A-Za-z]/.test(c) && (i === 0 || /[\s()[\]]/.test(text[i - 1]!))) {
      const word = /^[A-Za-z]+/.exec(text.slice(i, i + 4))?.[0]?.toLowerCase();
      const end = text[i + (word?.length ?? 0)];
      if (word && OPERATOR_WORDS.has(word) && (end === undefined || /[\s(]/.test(end))) terms++;
    }
    out += c;
    i++;
  }
  if (maxDepth > limits.maxDepth) tooComplex('SCIM_FILTER_MAX_DEPTH', limits.maxDepth, `its nesting (${maxDepth} levels of parentheses or brackets)`);
  if (terms > limits.maxTerms) tooComplex('SCIM_FILTER_MAX_TERMS', limits.maxTerms, `its number of terms (${terms})`);
  return { text: out, strings };
}

/**
 * Walks the parsed filter without recursion: counts terms, value filters and logical nesting, and puts
 * the decoded string literals back in place of their placeholders.
 */
function checkAndRestore(ast: Filter, lexed: Lexed, limits: FilterLimits, nested: boolean): void {
  const stack: { node: Filter; depth: number }[] = [{ node: ast, depth: nested ? 1 : 0 }];
  let terms = 0;
  let valuePaths = nested ? 1 : 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > limits.maxDepth) tooComplex('SCIM_FILTER_MAX_DEPTH', limits.maxDepth, `its nesting (more than ${limits.maxDepth} levels of and/or/not/[ ])`);
    const n = node as { op: string; filters?: Filter[]; filter?: Filter; valFilter?: Filter; compValue?: unknown };
    if (n.op === 'and' || n.op === 'or') {
      for (const f of n.filters ?? []) stack.push({ node: f, depth: depth + 1 });
    } else if (n.op === 'not') {
      terms++;
      if (n.filter) stack.push({ node: n.filter, depth: depth + 1 });
    } else if (n.op === '[]') {
      valuePaths++;
      if (n.valFilter) stack.push({ node: n.valFilter, depth: depth + 1 });
    } else {
      terms++;
      if (typeof n.compValue === 'string') {
        const match = PLACEHOLDER.exec(n.compValue);
        if (match) n.compValue = lexed.strings[Number(match[1])];
      }
    }
  }
  if (terms > limits.maxTerms) tooComplex('SCIM_FILTER_MAX_TERMS', limits.maxTerms, `its number of terms (${terms})`);
  if (valuePaths > limits.maxValuePaths) {
    tooComplex('SCIM_FILTER_MAX_VALUE_PATHS', limits.maxValuePaths, `its number of value filters such as emails[...] (${valuePaths})`);
  }
}

function parseBounded(text: string, limits: FilterLimits, nested: boolean, what: string): Filter {
  const lexed = lex(text, limits);
  let ast: Filter;
  try {
    ast = parse(lexed.text);
  } catch (error) {
    if (error instanceof RangeError) tooComplex('SCIM_FILTER_MAX_DEPTH', limits.maxDepth, 'its nesting');
    const message = (error instanceof Error ? error.message : String(error)).replace(/"@@(\d+)"/g, (_m, n: string) => JSON.stringify(lexed.strings[Number(n)]));
    throw invalidFilter(`Invalid ${what} ${JSON.stringify(text)}: ${message}.`);
  }
  checkAndRestore(ast, lexed, limits, nested);
  return ast;
}

/** Parses an RFC 7644 §3.4.2.2 filter and resolves every attribute; any problem is 400 invalidFilter. */
export function parseFilter(type: ResourceType, text: string, limits: FilterLimits = DEFAULT_LIMITS.filter): ResolvedFilter {
  return resolve(type, parseBounded(text, limits, false, 'filter'), undefined);
}

/** Parses a filter relative to a multi-valued complex attribute, as inside `emails[...]`. */
export function parseValueFilter(type: ResourceType, parent: AttributeRef, text: string, limits: FilterLimits = DEFAULT_LIMITS.filter): ResolvedFilter {
  return resolve(type, parseBounded(text, limits, true, 'value filter'), parent);
}

function resolveRef(type: ResourceType, path: string, parent: AttributeRef | undefined): AttributeRef {
  if (parent) {
    const sub = parent.attribute.subAttributes ? findAttribute(parent.attribute.subAttributes, path) : undefined;
    if (!sub) throw invalidFilter(`'${path}' is not a sub-attribute of '${parent.attribute.name}'.`);
    return { ...parent, subAttribute: sub };
  }
  const ref = resolveAttributePath(type, path);
  if (!ref) throw invalidFilter(`Unknown attribute '${path}' in filter.`);
  if (ref.attribute.mutability === 'writeOnly' || ref.attribute.returned === 'never') {
    throw invalidFilter(`Attribute '${path}' cannot be used in a filter.`);
  }
  return ref;
}

/** A complex attribute compared directly means its `value` sub-attribute (e.g. `emails eq "x"`). */
function comparable(ref: AttributeRef, path: string): AttributeRef {
  if (ref.subAttribute || ref.attribute.type !== 'complex') return ref;
  const value = ref.attribute.subAttributes ? findAttribute(ref.attribute.subAttributes, 'value') : undefined;
  if (!value) throw invalidFilter(`'${path}' is a complex attribute; name one of its sub-attributes.`);
  return { ...ref, subAttribute: value };
}

function checkValue(leaf: AttributeDefinition, op: CompareOperator, value: unknown, path: string): string | number | boolean | null {
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${op}' cannot compare '${path}' with null.`);
    return null;
  }
  if (leaf.type === 'boolean') {
    const b = coerceBoolean(value);
    if (b === undefined) throw invalidFilter(`'${path}' is a boolean; compare it with true or false.`);
    if (op !== 'eq' && op !== 'ne') throw invalidFilter(`'${op}' is not defined for boolean attribute '${path}'.`);
    return b;
  }
  if (leaf.type === 'complex') throw invalidFilter(`'${path}' is a complex attribute.`);
  if (SUBSTRING.has(op) && typeof value !== 'string') throw invalidFilter(`'${op}' needs a string value.`);
  if (SUBSTRING.has(op) && (leaf.type === 'integer' || leaf.type === 'decimal' || leaf.type === 'dateTime')) {
    throw invalidFilter(`'${op}' is not defined for ${leaf.type} attribute '${path}'.`);
  }
  if (ORDERING.has(op) && leaf.type === 'binary') throw invalidFilter(`'${op}' is not defined for binary attribute '${path}'.`);
  if (leaf.type === 'dateTime' && dateTimeInstant(value) === undefined) {
    throw invalidFilter(`${JSON.stringify(value)} is not a dateTime: write an xsd:dateTime such as "2024-05-01T12:00:00Z".`);
  }
  if ((leaf.type === 'integer' || leaf.type === 'decimal') && typeof value !== 'number') {
    throw invalidFilter(`'${path}' is numeric; compare it with a number.`);
  }
  if (typeof value === 'boolean') throw invalidFilter(`'${path}' is not a boolean.`);
  return value as string | number;
}

function resolve(type: ResourceType, ast: Filter, parent: AttributeRef | undefined): ResolvedFilter {
  switch (ast.op) {
    case 'and':
    case 'or':
      return { kind: ast.op, filters: (ast as { filters: Filter[] }).filters.map((f) => resolve(type, f, parent)) };
    case 'not':
      return { kind: 'not', filter: resolve(type, (ast as { filter: Filter }).filter, parent) };
    case '[]': {
      if (parent) throw invalidFilter('Value filters cannot be nested.');
      const node = ast as { attrPath: string; valFilter: Filter };
      const ref = resolveRef(type, node.attrPath, undefined);
      if (!ref.attribute.multiValued || ref.attribute.type !== 'complex' || ref.subAttribute) {
        throw invalidFilter(`'${node.attrPath}' is not a multi-valued complex attribute; it cannot take [ ].`);
      }
      return { kind: 'valuePath', attr: ref, filter: resolve(type, node.valFilter, ref) };
    }
    case 'pr': {
      const path = (ast as { attrPath: string }).attrPath;
      return { kind: 'present', attr: resolveRef(type, path, parent) };
    }
    default: {
      const node = ast as { op: string; attrPath: string; compValue: unknown };
      const op = node.op.toLowerCase() as CompareOperator;
      if (!['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'].includes(op)) {
        throw invalidFilter(`Unknown operator '${node.op}'.`);
      }
      const ref = comparable(resolveRef(type, node.attrPath, parent), node.attrPath);
      return { kind: 'compare', op, attr: ref, value: checkValue(leafOf(ref), op, node.compValue, node.attrPath) };
    }
  }
}
