import type { ResolvedFilter } from '../../schema/query';
import type { ResourceType } from '../../schema/resource-types';
import type { GroupChange, ResourceData } from '../../store/types';
import type { JsonObject } from '../attribute-values';
import { isPlainObject } from '../attribute-values';
import { invalidFilter, invalidPath, invalidValue } from '../errors';
import { applyResourcePatch } from './apply';
import type { AttributePath, PatchOperation } from './parse';
import { member } from './parse';

/**
 * Translates a group PATCH into data changes plus set-based membership changes, so that member lists
 * are never loaded, modified and saved whole (docs/okta-scim-behavior.md §11.4).
 */
export function planGroupPatch(type: ResourceType, data: ResourceData, operations: readonly PatchOperation[]): GroupChange[] {
  const membership: GroupChange[] = [];
  const attributeOps: PatchOperation[] = [];
  for (const operation of operations) {
    const { op, path, value } = operation;
    if (!path) {
      if (!isPlainObject(value)) throw invalidValue(`A ${op} without 'path' needs an object 'value'.`);
      const rest: JsonObject = {};
      for (const [key, v] of Object.entries(value)) {
        if (key.toLowerCase() === 'members') {
          const ids = memberIds(v, 'members');
          membership.push(op === 'replace' ? { kind: 'replaceMembers', ids } : { kind: 'addMembers', ids });
        } else rest[key] = v;
      }
      if (Object.keys(rest).length > 0) attributeOps.push({ op, value: rest });
      continue;
    }
    if (path.kind === 'attribute' && path.ref.attribute.name === 'members' && !path.ref.inExtension) {
      membership.push(memberChange(operation, path));
      continue;
    }
    attributeOps.push(operation);
  }
  const changes: GroupChange[] = [];
  if (attributeOps.length > 0) changes.push({ kind: 'setData', data: applyResourcePatch(type, data, attributeOps) });
  return [...changes, ...membership];
}

function memberChange(operation: PatchOperation, path: AttributePath): GroupChange {
  if (path.ref.subAttribute || path.filteredSub) throw invalidPath(`Member sub-attributes cannot be modified; add or remove members instead.`);
  if (path.filter) {
    if (operation.op !== 'remove') throw invalidPath(`'${operation.rawPath}': use "remove" with a member filter, or "add"/"replace" on "members".`);
    return { kind: 'removeMembers', ids: valueEqualities(path.filter) };
  }
  switch (operation.op) {
    case 'add':
      return { kind: 'addMembers', ids: memberIds(operation.value, 'members') };
    case 'replace':
      return { kind: 'replaceMembers', ids: memberIds(operation.value, 'members') };
    case 'remove':
      return operation.value === undefined || operation.value === null
        ? { kind: 'removeAllMembers' }
        : { kind: 'removeMembers', ids: memberIds(operation.value, 'members') };
  }
}

/** `members[value eq "a"]`, `members[value eq "a" or value eq "b"]` → ["a", "b"]. */
function valueEqualities(filter: ResolvedFilter): string[] {
  if (filter.kind === 'compare' && filter.op === 'eq' && filter.attr.subAttribute?.name === 'value' && typeof filter.value === 'string') {
    return [filter.value];
  }
  if (filter.kind === 'or') return filter.filters.flatMap(valueEqualities);
  throw invalidFilter(`Member filters must select by value, e.g. members[value eq "<user id>"].`);
}

function memberIds(value: unknown, path: string): string[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    const id = isPlainObject(item) ? member(item, 'value') : undefined;
    if (typeof id !== 'string' || id === '') throw invalidValue(`'${path}[${i}].value' must be a non-empty string (a user id).`);
    return id;
  });
}
