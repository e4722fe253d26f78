/**
 * Resources of two renders' plan.json: created / updated in place / replaced /
 * deleted, with replacements and deletions of anything that holds state
 * flagged "data at risk" and what protects the data.
 *
 * Which input changes replace a resource is the providers' own rule:
 * - Docker (terraform-provider-docker, bridged by @pulumi/docker): a
 *   container is updated in place only for the attributes
 *   `resourceDockerContainerUpdate` applies (restart, max_retry_count,
 *   cpu_shares, memory, cpu_set, memory_swap); every other attribute is
 *   ForceNew. Volumes, networks and images have no update: any change replaces.
 * - Kubernetes (pulumi-kubernetes provider/pkg/provider/diff.go
 *   `forceNewProperties`): metadata.name/namespace of every kind, and per kind
 *   the properties listed in `K8S_FORCE_NEW` below; everything else is patched
 *   in place.
 * A resource whose parent changes gets a new URN: Pulumi deletes and creates it.
 */

import { SECRET_MASK } from "../render/mask";

interface Planned {
  type: string;
  name: string;
  parent?: string;
  custom?: boolean;
  inputs: Record<string, unknown>;
  retainOnDelete?: boolean;
  protect?: boolean;
}

const DOCKER_CONTAINER = "docker:index/container:Container";
const DOCKER_VOLUME = "docker:index/volume:Volume";
const DOCKER_IN_PLACE = new Set(["restart", "maxRetryCount", "cpuShares", "memory", "cpuSet", "memorySwap"]);

const SELECTOR = [".spec.selector"];
/** pulumi-kubernetes' replace-on-change properties, by kind (apiVersion-independent for the kinds this program uses). */
export const K8S_FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  StatefulSet: [".spec.podManagementPolicy", ".spec.revisionHistoryLimit", ".spec.selector", ".spec.serviceName", ".spec.volumeClaimTemplates"],
  Deployment: SELECTOR,
  DaemonSet: SELECTOR,
  ConfigMap: [".data", ".binaryData"],
  Secret: [".type", ".stringData", ".data"],
  PersistentVolumeClaim: [".spec"],
  Service: [".spec.clusterIP"],
  RoleBinding: [".roleRef"],
  ClusterRoleBinding: [".roleRef"],
  StorageClass: [".parameters", ".provisioner"],
};

const K8S = /^kubernetes:[a-z.0-9]+\/v[0-9a-z]+:([A-Za-z]+)$/;

function plan(files: ReadonlyMap<string, string>): Map<string, Planned> {
  const raw = files.get("plan.json");
  const resources = raw ? ((JSON.parse(raw) as { resources: Planned[] }).resources ?? []) : [];
  return new Map(resources.filter((r) => r.custom !== false).map((r) => [`${r.type}::${r.name}`, r]));
}

/** A path segment for key `k`: `.k`, or `["k"]` when the key holds a dot or bracket (ConfigMap keys such as `etc_prometheus_prometheus.yml`). */
const segment = (k: string) => (/^[^.[\]"]+$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

/** One segment of a path made by `changedPaths`: `.key`, `[index]` or `["quoted key"]`. */
const SEGMENT_RE = /\.([^.[]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;

/** The keys and indexes of a path made by `changedPaths`. */
function segments(p: string): string[] {
  return [...p.matchAll(SEGMENT_RE)].map((m) => m[1] ?? m[2] ?? (JSON.parse(m[3]!) as string));
}

/** Paths (`.spec.template.spec.containers[0].args`, `.data["a.yml"]`) where `a` and `b` differ. */
export function changedPaths(a: unknown, b: unknown, at = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((x, i) => changedPaths(x, b[i], `${at}[${i}]`));
  if (isObj(a) && isObj(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((k) => changedPaths(a[k], b[k], `${at}${segment(k)}`));
  }
  return [at || "."];
}

function replacingPaths(r: Planned, paths: readonly string[]): string[] {
  if (r.type === DOCKER_CONTAINER) return paths.filter((p) => !DOCKER_IN_PLACE.has(p.replace(/^\./, "").split(/[.[]/)[0]!));
  if (r.type.startsWith("docker:")) return [...paths];
  const kind = K8S.exec(r.type)?.[1];
  if (!kind) return [];
  const force = [".metadata.name", ".metadata.namespace", ...(K8S_FORCE_NEW[kind] ?? [])];
  return paths.filter((p) => force.some((f) => p === f || p.startsWith(`${f}.`) || p.startsWith(`${f}[`)));
}

/** Changed paths for the report: `path: old -> new` for short scalar values, else the path cut to 4 segments. */
function shown(paths: readonly string[], a: unknown, b: unknown): string {
  const at = (root: unknown, p: string): unknown =>
    segments(p).reduce<unknown>((o, k) => (typeof o === "object" && o !== null ? (o as Record<string, unknown>)[k] : undefined), root);
  const scalar = (v: unknown) => v === undefined || ((typeof v === "string" || typeof v === "number" || typeof v === "boolean") && String(v).length <= 60);
  const items = [
    ...new Set(
      paths.map((p) => {
        if (/^\.uploads\b/.test(p)) return uploadsChange(at(a, ".uploads"), at(b, ".uploads"));
        const x = at(a, p);
        const y = at(b, p);
        const name = p.replace(/^\./, "");
        if (scalar(x) && scalar(y)) return `${name}: ${x === undefined ? "(unset)" : String(x)} -> ${y === undefined ? "(unset)" : String(y)}`;
        // Long values: the path cut to its first four segments.
        const cut = [...p.matchAll(SEGMENT_RE)].map((m) => m[0]);
        return (cut.length > 0 ? cut.slice(0, 4).join("") : p).replace(/^\./, "");
      }),
    ),
  ];
  return items.length > 6 ? `${items.slice(0, 6).join(", ")}, +${items.length - 6} more` : items.join(", ");
}

/**
 * A Docker container's uploaded files that changed, by path. plan.json masks each secret file's content
 * alone (render/run.ts maskInputs), so such a file shows as added or changed when it becomes secret, not when
 * one secret value replaces another (the report's Secrets section names that key).
 */
function uploadsChange(a: unknown, b: unknown): string {
  const files = (v: unknown) =>
    Array.isArray(v) && v.every((u) => typeof u === "object" && u !== null && "file" in u)
      ? new Map((v as { file: string; content?: unknown }[]).map((u) => [u.file, { json: JSON.stringify(u), secret: u.content === SECRET_MASK }]))
      : undefined;
  const x = files(a);
  const y = files(b);
  if (!x || !y) return "uploaded files (secret content)";
  const out: string[] = [];
  for (const [f, u] of y) {
    const note = u.secret ? " (secret content)" : "";
    if (!x.has(f)) out.push(`${f} added${note}`);
    else if (x.get(f)!.json !== u.json) out.push(`${f} changed${note}`);
  }
  for (const f of x.keys()) if (!y.has(f)) out.push(`${f} removed`);
  return `files ${out.join(", ")}`;
}

function label(r: Planned): string {
  const kind = K8S.exec(r.type)?.[1] ?? r.type.replace(/^docker:index\/\w+:/, "docker ");
  return `${kind} \`${r.name}\``;
}

/** What holds state in `r` and what happens to it when `r` is replaced or deleted; undefined when stateless. */
function stateNote(r: Planned, how: "replaced" | "deleted", replacing: readonly string[], all: ReadonlyMap<string, Planned>, after: ReadonlyMap<string, Planned>): { atRisk: boolean; note: string } | undefined {
  const kind = K8S.exec(r.type)?.[1];
  if (r.type === DOCKER_VOLUME) {
    const name = String(r.inputs.name ?? r.name);
    const kept = r.retainOnDelete ? `the old volume \`${name}\` stays on the host (retainOnDelete)` : `volume \`${name}\` is removed`;
    return { atRisk: true, note: how === "replaced" ? `${kept}, the new one starts empty` : `${kept}${r.retainOnDelete ? ", no longer mounted" : ""}` };
  }
  if (r.type === DOCKER_CONTAINER) {
    const vols = ((r.inputs.volumes as { volumeName?: string }[] | undefined) ?? []).map((v) => v.volumeName).filter((v): v is string => !!v);
    if (vols.length === 0) return undefined;
    // Kept: the volume resource exists on both sides, unchanged (a changed volume is replaced).
    const volumeKept = (v: string) =>
      [...after].some(([k, x]) => x.type === DOCKER_VOLUME && x.inputs.name === v && changedPaths(all.get(k)?.inputs ?? null, x.inputs).length === 0);
    const kept = vols.filter(volumeKept);
    return { atRisk: kept.length < vols.length, note: `state on ${vols.map((v) => `\`${v}\``).join(", ")}: ${kept.length === vols.length ? "a separate volume, kept and mounted again" : "that volume is replaced or deleted (see its line)"}` };
  }
  if (kind === "StatefulSet") {
    const spec = (r.inputs.spec ?? {}) as { volumeClaimTemplates?: { metadata?: { name?: string }; spec?: unknown }[]; persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string } };
    const templates = spec.volumeClaimTemplates ?? [];
    if (templates.length === 0) return undefined;
    const retain = (spec.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? "Retain") === "Retain";
    const claims = templates.map((t) => `\`${t.metadata?.name ?? "?"}-${(r.inputs.metadata as { name?: string } | undefined)?.name ?? r.name}-N\``).join(", ");
    const protection = retain
      ? `PVCs ${claims} are kept (persistentVolumeClaimRetentionPolicy.whenDeleted: Retain)${how === "replaced" ? " and bound again by the new pods" : ""}`
      : `PVCs ${claims} are deleted with it (persistentVolumeClaimRetentionPolicy.whenDeleted: Delete)`;
    const templateChange = replacing.some((p) => p.startsWith(".spec.volumeClaimTemplates"))
      ? "; the changed volumeClaimTemplates do not apply to existing PVCs (resize them by hand)"
      : "";
    return { atRisk: true, note: `${protection}${templateChange}` };
  }
  if (kind === "PersistentVolumeClaim") {
    return { atRisk: true, note: r.retainOnDelete ? "the claim stays (retainOnDelete)" : "the claim and, with a Delete reclaim policy, its volume go" };
  }
  return undefined;
}

/** A protected resource stops the update before anything is lost; say so first. */
function withProtect(r: Planned, state: { atRisk: boolean; note: string } | undefined): { atRisk: boolean; note: string } | undefined {
  if (!r.protect) return state;
  const note = "protected: `pulumi up` fails here until the protection is lifted";
  return { atRisk: state?.atRisk ?? false, note: state ? `${note}; then ${state.note}` : note };
}

export interface ResourceChanges {
  readonly summary: string;
  readonly atRisk: string[];
  readonly lines: string[];
}

/** Resource changes between two renders' plan.json. */
export function resourceChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): ResourceChanges {
  const a = plan(before);
  const b = plan(after);
  const atRisk: string[] = [];
  const lines: string[] = [];
  let created = 0;
  let updated = 0;
  let replaced = 0;
  let deleted = 0;
  for (const [key, r] of b) {
    const old = a.get(key);
    if (!old) {
      created++;
      lines.push(`- created ${label(r)}`);
      continue;
    }
    const paths = changedPaths(old.inputs, r.inputs);
    const moved = old.parent !== r.parent;
    if (paths.length === 0 && !moved) continue;
    const replacing = moved ? ["parent"] : replacingPaths(r, paths);
    if (replacing.length === 0) {
      updated++;
      lines.push(`- updated in place ${label(r)} (${shown(paths, old.inputs, r.inputs)})`);
      continue;
    }
    replaced++;
    const state = withProtect(old, stateNote(old, "replaced", replacing, a, b));
    const line = `replaced ${label(r)} (${moved ? "moved under another parent: new URN" : shown(replacing, old.inputs, r.inputs)})${state ? `: ${state.note}` : ""}`;
    if (state?.atRisk) atRisk.push(`- **data at risk**: ${line}`);
    else lines.push(`- ${line}`);
  }
  for (const [key, r] of a) {
    if (b.has(key)) continue;
    deleted++;
    const state = withProtect(r, stateNote(r, "deleted", [], a, b));
    const line = `deleted ${label(r)}${state ? `: ${state.note}` : ""}`;
    if (state?.atRisk) atRisk.push(`- **data at risk**: ${line}`);
    else lines.push(`- ${line}`);
  }
  const summary = `${created} created, ${updated} updated in place, ${replaced} replaced, ${deleted} deleted`;
  return { summary, atRisk, lines };
}
