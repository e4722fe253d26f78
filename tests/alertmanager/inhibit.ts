/**
 * Alertmanager's inhibition decision, transcribed from inhibit/inhibit.go
 * (`Inhibitor.Mutes`, `InhibitRule.hasEqual`) and pkg/labels matchers, so a
 * unit test can ask "is this alert muted while these fire?" for every alert
 * of the catalog without a daemon. The daemon test checks the same config
 * with the real Alertmanager on a handful of the same label sets.
 *
 * - A matcher reads a missing label as "" (`job=""` matches an alert without
 *   `job`); regex matchers are anchored.
 * - `equal` compares values the same way: missing on both sides is equal.
 * - An alert matching both sides of a rule cannot be muted by a source that
 *   also matches the target side (`excludeTwoSidedMatch`), so nothing mutes itself.
 */
export type Labels = Readonly<Record<string, string>>;

export interface InhibitRule {
  readonly source_matchers: readonly string[];
  readonly target_matchers: readonly string[];
  readonly equal?: readonly string[];
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

function matcher(text: string): (l: Labels) => boolean {
  const m = MATCHER.exec(text);
  if (!m) throw new Error(`not an Alertmanager matcher: ${text}`);
  const [, name, op, raw] = m as unknown as [string, string, string, string];
  const value = JSON.parse(`"${raw}"`) as string;
  const re = new RegExp(`^(?:${value})$`);
  return (l) => {
    const v = l[name] ?? "";
    switch (op) {
      case "=":
        return v === value;
      case "!=":
        return v !== value;
      case "=~":
        return re.test(v);
      default:
        return !re.test(v);
    }
  };
}

const matchesAll = (matchers: readonly string[], l: Labels) => matchers.every((m) => matcher(m)(l));

/** The first rule and source that mute `target` while `firing` fire, or undefined when it notifies. */
export function mutedBy(rules: readonly InhibitRule[], target: Labels, firing: readonly Labels[]): { rule: number; source: Labels } | undefined {
  for (const [i, r] of rules.entries()) {
    if (!matchesAll(r.target_matchers, target)) continue;
    const excludeTwoSided = matchesAll(r.source_matchers, target);
    for (const s of firing) {
      if (!matchesAll(r.source_matchers, s)) continue;
      if ((r.equal ?? []).some((n) => (s[n] ?? "") !== (target[n] ?? ""))) continue;
      if (excludeTwoSided && matchesAll(r.target_matchers, s)) continue;
      return { rule: i, source: s };
    }
  }
  return undefined;
}

/** Alerts of `firing` that notify (are not muted by another firing alert). */
export function notifying(rules: readonly InhibitRule[], firing: readonly Labels[]): Labels[] {
  return firing.filter((a) => mutedBy(rules, a, firing) === undefined);
}
