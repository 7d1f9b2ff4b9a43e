import type { RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { AttributeRef } from '../../schema/resource-types';
import { leafOf } from '../../schema/resource-types';
import type { AttributeDefinition } from '../../schema/schema-definitions';
import type { CompareOperator, ResolvedFilter, SortSpec } from '../../schema/query';
import { UnsupportedQueryError } from '../errors';
import { foldText } from '../../text/fold';
import { isoAt } from '../../time/clock';
import { dateTimeInstant } from '../../time/date-time';
import type { SqlJsonDialect } from './dialect';

type Expr = RawBuilder<unknown>;
type Predicate = RawBuilder<SqlBool>;

/**
 * How a resource table exposes an attribute: an indexed column, a related-table subquery, or JSON.
 * A dateTime column holds the store's own timestamps (meta.created, meta.lastModified), always written
 * in the canonical form (time/clock.ts isoAt: UTC, milliseconds, `Z`), whose text orders like the instant.
 */
export type AttributeLocation =
  | { readonly kind: 'column'; readonly expr: Expr; readonly preLowered?: boolean }
  | { readonly kind: 'constant'; readonly value: string }
  | {
      readonly kind: 'relation';
      /** EXISTS over related rows; `sub` maps a sub-attribute name (value, display, type…) to an expression. */
      readonly exists: (predicate: (sub: (name: string) => Expr | undefined) => Predicate) => Predicate;
    }
  | { readonly kind: 'json' };

export interface ResourceTableMapping {
  readonly dataColumn: Expr;
  /**
   * The same JSON with every string value folded (foldedJson): case-insensitive comparisons read it
   * with the value folded in JS, natively, instead of calling the fold function on every row.
   */
  readonly foldedDataColumn: Expr;
  /** Where an attribute is stored; `json` means inside dataColumn. */
  locate(ref: AttributeRef): AttributeLocation;
}

function jsonPathOf(ref: AttributeRef, includeSub: boolean): string[] {
  const path: string[] = [];
  if (ref.inExtension) path.push(ref.schema);
  path.push(ref.attribute.name);
  if (includeSub && ref.subAttribute) path.push(ref.subAttribute.name);
  return path;
}

function isCaseInsensitiveString(def: AttributeDefinition): boolean {
  return (def.type === 'string' || def.type === 'reference') && !def.caseExact;
}

/**
 * Whether a value filter compares text that the folded copy of the data does not hold as is: a case-exact
 * string, or a dateTime (folding lower-cases its `T` and `Z`).
 */
function comparesFoldSensitiveText(filter: ResolvedFilter): boolean {
  const stack: ResolvedFilter[] = [filter];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (f.kind === 'and' || f.kind === 'or') stack.push(...f.filters);
    else if (f.kind === 'not' || f.kind === 'valuePath') stack.push(f.filter);
    else if (f.kind === 'compare') {
      const leaf = leafOf(f.attr);
      if ((leaf.type === 'string' || leaf.type === 'reference' || leaf.type === 'binary') && leaf.caseExact && typeof f.value === 'string') return true;
      if (leaf.type === 'dateTime' && f.value !== null) return true;
    }
  }
  return false;
}

/** Where a reference inside a value path (`emails[type eq "work"]`) is evaluated. */
type ElementScope =
  /** `folded`: the element comes from the folded copy of the data. */
  | { readonly kind: 'json'; readonly element: Expr; readonly folded: boolean }
  | { readonly kind: 'relation'; readonly sub: (name: string) => Expr | undefined };

interface Operand {
  readonly expr: Expr;
  /** The expression already holds folded text (userName, group displayName, the folded JSON copy): fold only the value. */
  readonly preLowered: boolean;
  /** Never NULL (the folded key columns): an `eq` needs no `IS NOT NULL` guard to stay two-valued. */
  readonly notNull?: boolean;
  /** A column (see AttributeLocation): a dateTime there is canonical text, compared as text. */
  readonly column?: boolean;
}

export class FilterCompiler {
  constructor(
    private readonly dialect: SqlJsonDialect,
    private readonly mapping: ResourceTableMapping,
  ) {}

  compile(filter: ResolvedFilter): Predicate {
    return this.compileIn(filter, undefined);
  }

  /** ORDER BY expression for a sort attribute. */
  sortExpression(sort: SortSpec): Expr {
    const location = this.mapping.locate(sort.attr);
    const leaf = leafOf(sort.attr);
    let expr: Expr;
    let preLowered = false;
    switch (location.kind) {
      case 'column':
        expr = location.expr;
        preLowered = location.preLowered === true;
        break;
      case 'constant':
        expr = sql.lit(location.value);
        break;
      case 'relation':
        throw new UnsupportedQueryError(`Cannot sort by '${sort.attr.attribute.name}'.`);
      case 'json': {
        preLowered = isCaseInsensitiveString(leaf);
        const column = preLowered ? this.mapping.foldedDataColumn : this.mapping.dataColumn;
        if (sort.attr.attribute.multiValued) {
          // RFC 7644 §3.4.2.3 sorts multi-valued attributes by their primary value; the first one stands in.
          const sub = sort.attr.attribute.type === 'complex' ? [sort.attr.subAttribute?.name ?? 'value'] : [];
          expr = this.dialect.jsonScalar(column, [...jsonPathOf(sort.attr, false), '0', ...sub]);
        } else {
          expr = this.dialect.jsonScalar(column, jsonPathOf(sort.attr, true));
        }
        // Stored dateTimes order by instant, whatever their offset or precision (RFC 7643 §2.3.5).
        if (leaf.type === 'dateTime') expr = this.dialect.dateTimeInstant(expr);
      }
    }
    return isCaseInsensitiveString(leaf) && !preLowered ? this.dialect.fold(expr) : expr;
  }

  private compileIn(filter: ResolvedFilter, scope: ElementScope | undefined): Predicate {
    switch (filter.kind) {
      case 'and':
      case 'or': {
        const parts = filter.filters.map((f) => this.compileIn(f, scope));
        return sql<SqlBool>`(${sql.join(parts, sql.raw(filter.kind === 'and' ? ' AND ' : ' OR '))})`;
      }
      case 'not':
        return sql<SqlBool>`(NOT ${this.compileIn(filter.filter, scope)})`;
      case 'valuePath':
        return this.valuePath(filter.attr, filter.filter);
      case 'present':
        return this.withOperand(filter.attr, scope, (operand) => sql<SqlBool>`(${operand.expr} IS NOT NULL)`);
      case 'compare':
        return this.withOperand(filter.attr, scope, (operand) =>
          this.comparison(operand, leafOf(filter.attr), filter.op, filter.value),
        );
    }
  }

  private valuePath(ref: AttributeRef, inner: ResolvedFilter): Predicate {
    const location = this.mapping.locate(ref);
    if (location.kind === 'relation') return location.exists((sub) => this.compileIn(inner, { kind: 'relation', sub }));
    if (location.kind === 'json' && ref.attribute.multiValued) {
      // Over the folded copy unless text that folding changes is compared inside (folding changes only strings).
      const folded = !comparesFoldSensitiveText(inner);
      return this.dialect.jsonArrayExists(folded ? this.mapping.foldedDataColumn : this.mapping.dataColumn, jsonPathOf(ref, false), (element) =>
        this.compileIn(inner, { kind: 'json', element, folded }),
      );
    }
    throw new UnsupportedQueryError(`'${ref.attribute.name}' is not a multi-valued attribute; it cannot take a value filter.`);
  }

  /**
   * Builds `test` against the value(s) `ref` designates. Multi-valued attributes become an EXISTS over
   * their elements ("any value matches", RFC 7644 §3.4.2.2).
   */
  private withOperand(ref: AttributeRef, scope: ElementScope | undefined, test: (operand: Operand) => Predicate): Predicate {
    if (scope) {
      const folded = scope.kind === 'json' && scope.folded && isCaseInsensitiveString(leafOf(ref));
      return test({ expr: this.scopedValue(scope, ref.subAttribute?.name), preLowered: folded });
    }
    const location = this.mapping.locate(ref);
    switch (location.kind) {
      case 'column':
        // The pre-lowered columns are the NOT NULL folded keys (user_name_lower, display_name_lower).
        return test({ expr: location.expr, preLowered: location.preLowered === true, notNull: location.preLowered === true, column: true });
      case 'constant':
        // A literal, not a parameter: PostgreSQL cannot type a bare `$1 IS NOT NULL` (the values are fixed in code).
        return test({ expr: sql.lit(location.value), preLowered: false });
      case 'relation':
        return location.exists((sub) => test({ expr: this.relationValue(sub, ref.subAttribute?.name), preLowered: false }));
      case 'json': {
        const folded = isCaseInsensitiveString(leafOf(ref));
        const column = folded ? this.mapping.foldedDataColumn : this.mapping.dataColumn;
        if (!ref.attribute.multiValued) {
          return test({ expr: this.dialect.jsonScalar(column, jsonPathOf(ref, true)), preLowered: folded });
        }
        const subPath = ref.attribute.type === 'complex' ? [ref.subAttribute?.name ?? 'value'] : [];
        return this.dialect.jsonArrayExists(column, jsonPathOf(ref, false), (element) =>
          test({ expr: this.dialect.elementScalar(element, subPath), preLowered: folded }),
        );
      }
    }
  }

  private scopedValue(scope: ElementScope, subName: string | undefined): Expr {
    if (scope.kind === 'relation') return this.relationValue(scope.sub, subName);
    return this.dialect.elementScalar(scope.element, subName ? [subName] : []);
  }

  private relationValue(sub: (name: string) => Expr | undefined, subName: string | undefined): Expr {
    const name = subName ?? 'value';
    const expr = sub(name);
    if (!expr) throw new UnsupportedQueryError(`Cannot filter on sub-attribute '${name}'.`);
    return expr;
  }

  private comparison(operand: Operand, leaf: AttributeDefinition, op: CompareOperator, value: string | number | boolean | null): Predicate {
    const raw = operand.expr;
    if (value === null) {
      if (op === 'eq') return sql<SqlBool>`(${raw} IS NULL)`;
      if (op === 'ne') return sql<SqlBool>`(${raw} IS NOT NULL)`;
      throw new UnsupportedQueryError(`Operator '${op}' cannot compare with null.`);
    }
    // ne is "not eq": an absent attribute is "not equal" (the null-safe eq below is false, never NULL).
    if (op === 'ne') return sql<SqlBool>`(NOT ${this.comparison(operand, leaf, 'eq', value)})`;

    let expr: Expr = raw;
    let param: Expr;
    if (leaf.type === 'boolean') {
      param = this.dialect.booleanLiteral(value === true);
    } else if (typeof value === 'number' && (leaf.type === 'integer' || leaf.type === 'decimal')) {
      expr = this.dialect.numeric(raw);
      param = sql.val(value);
    } else if (isCaseInsensitiveString(leaf)) {
      const text = String(value);
      // Folded in JS on both sides of the comparison where possible (text/fold.ts is the one rule).
      param = sql.val(foldText(text));
      if (!operand.preLowered) expr = this.dialect.fold(raw);
    } else if (leaf.type === 'dateTime') {
      return this.dateTimeComparison(operand, op, value);
    } else {
      param = sql.val(String(value));
    }

    let test: Predicate;
    switch (op) {
      case 'eq':
        test = sql<SqlBool>`${expr} = ${param}`;
        break;
      case 'co':
        test = this.dialect.contains(expr, param);
        break;
      case 'sw':
        test = this.dialect.startsWith(expr, param);
        break;
      case 'ew':
        test = this.dialect.endsWith(expr, param);
        break;
      case 'gt':
        test = sql<SqlBool>`${expr} > ${param}`;
        break;
      case 'ge':
        test = sql<SqlBool>`${expr} >= ${param}`;
        break;
      case 'lt':
        test = sql<SqlBool>`${expr} < ${param}`;
        break;
      case 'le':
        test = sql<SqlBool>`${expr} <= ${param}`;
        break;
    }
    // Keeps `user_name_lower = ?` a plain index lookup. Elsewhere the guard stays: a bare `NULL = ?` is
    // NULL, and `ne` or `not` over it would drop an absent value instead of selecting it.
    if (operand.notNull && op === 'eq') return test;
    return sql<SqlBool>`(${raw} IS NOT NULL AND ${test})`;
  }

  /**
   * A dateTime compares by instant (RFC 7643 §2.3.5): `…T14:00:00+02:00` equals `…T12:00:00Z`. The
   * store's own timestamp columns are canonical text already, compared with the value's canonical text;
   * a stored JSON value goes through dialect.dateTimeInstant, NULL when it does not parse, and `IS TRUE`
   * keeps the answer two-valued (such a value matches nothing, so `ne` selects it, like an absent one).
   */
  private dateTimeComparison(operand: Operand, op: Exclude<CompareOperator, 'ne'>, value: string | number | boolean): Predicate {
    const instant = dateTimeInstant(value);
    if (instant === undefined) throw new UnsupportedQueryError(`'${String(value)}' is not a dateTime.`);
    const compare = ORDERING_SQL[op];
    if (!compare) throw new UnsupportedQueryError(`'${op}' is not defined for dateTime values.`);
    if (operand.column) return sql<SqlBool>`(${operand.expr} ${sql.raw(compare)} ${sql.val(timestampText(instant))})`;
    return sql<SqlBool>`((${this.dialect.dateTimeInstant(operand.expr)} ${sql.raw(compare)} ${sql.val(instant)}) IS TRUE)`;
  }
}

/** 9999-12-31T23:59:59.999Z: past it, toISOString writes a six-digit year with a sign (`+010000-…`). */
const LAST_FOUR_DIGIT_YEAR = 253_402_300_799_999;

/**
 * An instant as text that compares with the store's timestamps (four-digit years, canonical) as the
 * instants do. A later instant becomes a text above every such timestamp (an earlier one is already
 * below them all: `-000001-…`).
 */
function timestampText(instant: number): string {
  return instant > LAST_FOUR_DIGIT_YEAR ? '9999-99' : isoAt(instant);
}

/** The SQL operator of each ordering comparison (the substring operators have none). */
const ORDERING_SQL: Partial<Record<CompareOperator, string>> = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };
