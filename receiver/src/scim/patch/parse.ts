import { z } from 'zod';
import type { ResolvedFilter } from '../../schema/query';
import type { AttributeRef, ResourceType } from '../../schema/resource-types';
import { resolveAttributePath, splitUrn } from '../../schema/resource-types';
import type { AttributeDefinition } from '../../schema/schema-definitions';
import { findAttribute } from '../../schema/schema-definitions';
import { PATCH_OP } from '../../schema/urns';
import type { JsonObject } from '../attribute-values';
import { isPlainObject } from '../attribute-values';
import { invalidPath, invalidSyntax, invalidValue, noTarget } from '../errors';
import { parseValueFilter } from '../filter';
import type { FilterLimits } from '../limits';

export type PatchPath =
  /** The path is an extension URN: the value is an object of that extension's attributes. */
  | { readonly kind: 'extension'; readonly schema: string }
  /** An attribute of a known extension that the extension does not declare: skipped and reported. */
  | { readonly kind: 'undeclared'; readonly schema: string; readonly name: string }
  | AttributePath;

export interface AttributePath {
  readonly kind: 'attribute';
  /** The attribute, with `subAttribute` set for `name.givenName` style paths. */
  readonly ref: AttributeRef;
  /** `emails[type eq "work"]` */
  readonly filter?: ResolvedFilter;
  /** `emails[type eq "work"].value` */
  readonly filteredSub?: AttributeDefinition;
}

export type PatchOp = 'add' | 'remove' | 'replace';

export interface PatchOperation {
  readonly op: PatchOp;
  readonly path?: PatchPath;
  readonly rawPath?: string;
  readonly value: unknown;
}

const Operation = z.object({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() }).loose();

/** Finds a member case-insensitively (`Operations`/`operations`, `op`/`Op`): clients differ. */
export function member(object: JsonObject, name: string): unknown {
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

/** Validates an RFC 7644 §3.5.2 PatchOp body and resolves every path against the resource type. */
export function parsePatchRequest(type: ResourceType, body: unknown, filterLimits?: FilterLimits): PatchOperation[] {
  if (!isPlainObject(body)) throw invalidSyntax('The request body must be a JSON object.');
  const schemas = member(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP.toLowerCase())) {
    throw invalidValue(`'schemas' must contain "${PATCH_OP}".`);
  }
  const operations = member(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalidSyntax(`'Operations' must be a non-empty array.`);
  }
  return operations.map((raw, index) => parseOperation(type, raw, index, filterLimits));
}

function parseOperation(type: ResourceType, raw: unknown, index: number, filterLimits: FilterLimits | undefined): PatchOperation {
  const normalized = isPlainObject(raw) ? { op: member(raw, 'op'), path: member(raw, 'path'), value: member(raw, 'value') } : raw;
  const parsed = Operation.safeParse(normalized);
  if (!parsed.success) throw invalidSyntax(`Operations[${index}] must be an object with a string 'op'.`);
  const op = parsed.data.op.toLowerCase();
  if (op !== 'add' && op !== 'remove' && op !== 'replace') {
    throw invalidSyntax(`Operations[${index}].op must be "add", "remove" or "replace"; got ${JSON.stringify(parsed.data.op)}.`);
  }
  const rawPath = parsed.data.path?.trim();
  if (op !== 'remove' && parsed.data.value === undefined) {
    throw invalidValue(`Operations[${index}] (${op}) needs a 'value'.`);
  }
  if (op === 'remove' && !rawPath) throw noTarget(`Operations[${index}] (remove) needs a 'path'.`);
  return {
    op,
    ...(rawPath ? { path: parsePatchPath(type, rawPath, filterLimits), rawPath } : {}),
    value: parsed.data.value,
  };
}

export function parsePatchPath(type: ResourceType, path: string, filterLimits?: FilterLimits): PatchPath {
  const open = path.indexOf('[');
  if (open >= 0) return parseFilteredPath(type, path, open, filterLimits);
  const split = splitUrn(type, path);
  if (split && split.rest === '' && split.schema !== type.schema) return { kind: 'extension', schema: split.schema.id };
  const ref = resolveAttributePath(type, path);
  if (!ref) {
    if (split && split.schema !== type.schema) return { kind: 'undeclared', schema: split.schema.id, name: split.rest.split('.')[0] ?? split.rest };
    throw invalidPath(`Unknown attribute path '${path}'.`);
  }
  return { kind: 'attribute', ref };
}

/** `emails[type eq "work"]` or `emails[type eq "work"].value`; `open` is the index of the `[`. */
function parseFilteredPath(type: ResourceType, path: string, open: number, filterLimits: FilterLimits | undefined): AttributePath {
  const close = path.lastIndexOf(']');
  if (close < open) throw invalidPath(`Unbalanced brackets in path '${path}'.`);
  const ref = resolveAttributePath(type, path.slice(0, open));
  if (!ref || ref.subAttribute || !ref.attribute.multiValued || ref.attribute.type !== 'complex') {
    throw invalidPath(`'${path.slice(0, open)}' is not a multi-valued complex attribute.`);
  }
  const filter = parseValueFilter(type, ref, path.slice(open + 1, close), filterLimits);
  const rest = path.slice(close + 1);
  if (rest === '') return { kind: 'attribute', ref, filter };
  if (!rest.startsWith('.')) throw invalidPath(`Unexpected '${rest}' after the value filter in '${path}'.`);
  const sub = findAttribute(ref.attribute.subAttributes ?? [], rest.slice(1));
  if (!sub) throw invalidPath(`'${rest.slice(1)}' is not a sub-attribute of '${ref.attribute.name}'.`);
  return { kind: 'attribute', ref, filter, filteredSub: sub };
}
