/**
 * Grafana dashboards of two renders: dashboards added/removed/changed (by
 * uid, shown by title), panels added/removed/changed by title, and each
 * query (target `expr`, by refId) that changed.
 */
const DASHBOARDS = /^grafana\/dashboards\/.+\.json$/;

interface Panel {
  title?: string;
  type?: string;
  id?: number;
  targets?: { refId?: string; expr?: string; query?: string }[];
  panels?: Panel[];
  [k: string]: unknown;
}

interface Dashboard {
  uid?: string;
  title?: string;
  panels?: Panel[];
  [k: string]: unknown;
}

function dashboards(files: ReadonlyMap<string, string>): Map<string, { path: string; d: Dashboard }> {
  const out = new Map<string, { path: string; d: Dashboard }>();
  for (const [path, content] of files) {
    if (!DASHBOARDS.test(path)) continue;
    const d = JSON.parse(content) as Dashboard;
    out.set(d.uid ?? path, { path, d });
  }
  return out;
}

/** Panels in reading order, rows' collapsed children included; keyed by title (id when untitled or repeated). */
function panels(d: Dashboard): Map<string, Panel> {
  const flat: Panel[] = [];
  const walk = (ps: Panel[] = []) => {
    for (const p of ps) {
      flat.push(p);
      walk(p.panels);
    }
  };
  walk(d.panels);
  const out = new Map<string, Panel>();
  for (const p of flat) {
    let key = p.title || `panel id ${p.id ?? "?"}`;
    if (out.has(key)) key = `${key} (id ${p.id ?? "?"})`;
    out.set(key, p);
  }
  return out;
}

const queryOf = (t: { expr?: string; query?: string }) => (t.expr ?? t.query ?? "").replace(/\s+/g, " ").trim();

function panelDifferences(a: Panel, b: Panel): string[] {
  const out: string[] = [];
  if (a.type !== b.type) out.push(`type ${a.type} -> ${b.type}`);
  const ta = new Map((a.targets ?? []).map((t) => [t.refId ?? "A", t]));
  const tb = new Map((b.targets ?? []).map((t) => [t.refId ?? "A", t]));
  for (const [ref, t] of tb) {
    const old = ta.get(ref);
    if (!old) out.push(`query ${ref} added: \`${queryOf(t)}\``);
    else if (queryOf(old) !== queryOf(t)) out.push(`query ${ref}: \`${queryOf(old)}\` -> \`${queryOf(t)}\``);
  }
  for (const [ref, t] of ta) if (!tb.has(ref)) out.push(`query ${ref} removed (was \`${queryOf(t)}\`)`);
  const { targets: _a, panels: _ap, ...restA } = a;
  const { targets: _b, panels: _bp, ...restB } = b;
  if (out.length === 0 && JSON.stringify(restA) !== JSON.stringify(restB)) out.push("layout or display options changed");
  return out;
}

/** One Markdown bullet per dashboard change, with nested bullets per panel. */
export function dashboardChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const a = dashboards(before);
  const b = dashboards(after);
  const lines: string[] = [];
  const title = (d: Dashboard) => `\`${d.title ?? d.uid}\``;
  for (const [uid, { path, d }] of [...b].sort(([x], [y]) => x.localeCompare(y))) {
    const old = a.get(uid);
    if (!old) {
      lines.push(`- added ${title(d)} (${path}, ${panels(d).size} panels)`);
      continue;
    }
    const sub: string[] = [];
    if (old.d.title !== d.title) sub.push(`  - title \`${old.d.title}\` -> \`${d.title}\``);
    const pa = panels(old.d);
    const pb = panels(d);
    for (const [k, p] of pb) {
      const o = pa.get(k);
      if (!o) sub.push(`  - panel added \`${k}\` (${p.type})${(p.targets ?? []).map((t) => `: \`${queryOf(t)}\``).join("")}`);
      else for (const diff of panelDifferences(o, p)) sub.push(`  - panel \`${k}\`: ${diff}`);
    }
    for (const k of pa.keys()) if (!pb.has(k)) sub.push(`  - panel removed \`${k}\``);
    const { panels: _x, version: _v, ...restA } = old.d;
    const { panels: _y, version: _w, ...restB } = d;
    if (sub.length === 0 && JSON.stringify(restA) !== JSON.stringify(restB)) sub.push("  - dashboard settings changed (variables, time range or links)");
    if (sub.length) lines.push(`- changed ${title(d)}`, ...sub);
  }
  for (const [uid, { path, d }] of [...a].sort(([x], [y]) => x.localeCompare(y))) if (!b.has(uid)) lines.push(`- removed ${title(d)} (${path})`);
  return lines;
}
