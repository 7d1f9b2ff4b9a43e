/** The review as Markdown (a pull-request comment) or JSON. */
import type { Consequence } from './consequences';
import type { Action, StackPlan } from './plan';

/** Hidden marker by which the workflow finds its own comment to update it in place. */
export const COMMENT_MARKER = '<!-- okta-scim-kit:plan-review -->';

export interface StackReview {
  readonly plan: StackPlan;
  readonly consequences: readonly Consequence[];
}

export interface Review {
  /** What was compared: `origin/main (abc1234)` → `working tree`. */
  readonly base: string;
  readonly head: string;
  readonly stacks: readonly StackReview[];
}

export const reviewNeeded = (review: Review) => review.stacks.some((s) => s.consequences.some((c) => c.severity === 'review'));

const LABEL: Record<Action, string> = { create: 'added', update: 'changed', replace: 'replaced', delete: 'destroyed', move: 'moved' };

function counts(plan: StackPlan): string {
  const n = (a: Action) => plan.resources.filter((r) => r.action === a).length;
  const parts = (['create', 'update', 'replace', 'delete', 'move'] as const).filter((a) => n(a) > 0).map((a) => `${n(a)} ${LABEL[a]}`);
  if (plan.outputs.length > 0) parts.push(`${plan.outputs.length} output(s) changed`);
  return parts.join(', ') || 'no changes';
}

/** One line per stack, as the summary table and the tests read it. */
export function stackSummary(s: StackReview): string {
  const status = s.plan.status === 'added' ? ' (new stack)' : s.plan.status === 'removed' ? ' (stack removed)' : '';
  return `${s.plan.stack}${status}: ${counts(s.plan)}`;
}

export function toMarkdown(review: Review): string {
  const changed = review.stacks.filter((s) => s.plan.status !== 'unchanged');
  const lines: string[] = [COMMENT_MARKER, '## Plan review', '', `Compared \`${review.base}\` → \`${review.head}\`, offline (synthesized stacks; replacements from the providers' force-new rules).`, ''];
  if (changed.length === 0) {
    lines.push('**No changes** in any stack.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(reviewNeeded(review) ? '**⚠️ Review needed**: some changes affect people, groups, attribute values or the receiver\'s data (below).' : '**✅ Safe**: nothing here removes access or deletes data.', '');
  lines.push('| Stack | Changes |', '| --- | --- |');
  for (const s of changed) lines.push(`| \`${s.plan.stack}\`${s.plan.status === 'added' ? ' (new)' : s.plan.status === 'removed' ? ' (removed)' : ''} | ${counts(s.plan)} |`);
  for (const s of changed) {
    lines.push('', `### ${stackSummary(s)}`, '');
    const review = s.consequences.filter((c) => c.severity === 'review');
    const notes = s.consequences.filter((c) => c.severity === 'note');
    for (const c of review) lines.push(`- ⚠️ ${c.text}`);
    for (const c of notes) lines.push(`- ${c.text}`);
    if (s.plan.resources.length > 0) {
      lines.push('', '<details><summary>Resources</summary>', '', '| Action | Address | Attributes |', '| --- | --- | --- |');
      for (const r of s.plan.resources) {
        const attributes = r.action === 'replace' ? `forced by ${r.forcedBy.map((p) => `\`${p}\``).join(', ')}` : r.changed.map((p) => `\`${p}\``).join(', ');
        lines.push(`| ${LABEL[r.action]} | \`${r.address}\`${r.from ? ` (from \`${r.from}\`)` : ''} | ${attributes} |`);
      }
      lines.push('', '</details>');
    }
  }
  return `${lines.join('\n')}\n`;
}

export function toJson(review: Review): string {
  return `${JSON.stringify(
    {
      base: review.base,
      head: review.head,
      reviewNeeded: reviewNeeded(review),
      stacks: review.stacks.map((s) => ({
        stack: s.plan.stack,
        status: s.plan.status,
        summary: stackSummary(s),
        resources: s.plan.resources.map((r) => ({ address: r.address, type: r.type, action: r.action, changed: r.changed, forcedBy: r.forcedBy, ...(r.from ? { from: r.from } : {}) })),
        outputs: s.plan.outputs,
        consequences: s.consequences.map((c) => ({ severity: c.severity, text: c.text, addresses: c.addresses })),
      })),
    },
    null,
    2,
  )}\n`;
}
