import { isDeepStrictEqual } from 'node:util';
import type { GroupChangeSummary, ResourceData } from '../store/types';
import { isPlainObject } from './attribute-values';

/** `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User` → `enterprise` */
function shortUrn(urn: string): string {
  const parts = urn.split(':');
  return parts.length >= 3 ? (parts[parts.length - 3] ?? urn) : urn;
}

function changedKeys(before: ResourceData, after: ResourceData): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed: string[] = [];
  for (const key of keys) {
    if (key === 'active' || isDeepStrictEqual(before[key], after[key])) continue;
    if (/^urn:/i.test(key)) {
      const b = isPlainObject(before[key]) ? (before[key] as ResourceData) : {};
      const a = isPlainObject(after[key]) ? (after[key] as ResourceData) : {};
      for (const sub of changedKeys(b, a)) changed.push(`${shortUrn(key)}.${sub}`);
    } else {
      changed.push(key);
    }
  }
  return changed;
}

/** One line for the activity log: what a PUT or PATCH changed on a user. */
export function describeUserChange(before: ResourceData, after: ResourceData): string {
  const parts: string[] = [];
  if (before.active !== after.active) parts.push(after.active === false ? 'Deactivated' : 'Reactivated');
  const changed = changedKeys(before, after);
  if (changed.length > 0) {
    const shown = changed.slice(0, 6).join(', ');
    parts.push(`changed ${shown}${changed.length > 6 ? ` and ${changed.length - 6} more` : ''}`);
  }
  const text = parts.join('; ') || 'Updated';
  return `${String(after.userName)}: ${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

export function describeGroupChange(before: ResourceData, after: ResourceData | undefined, change: GroupChangeSummary): string {
  const parts: string[] = [];
  if (after && before.displayName !== after.displayName) parts.push(`renamed to "${String(after.displayName)}"`);
  else if (change.dataChanged) parts.push('attributes changed');
  if (change.added) parts.push(`${change.added} member(s) added`);
  if (change.removed) parts.push(`${change.removed} member(s) removed`);
  return `${String(before.displayName)}: ${parts.join(', ') || 'updated'}`;
}
