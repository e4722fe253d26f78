/**
 * The Loki label contract shared by both log agents (Promtail and Alloy), so
 * the two cannot drift and dashboards, alerts and runbooks can rely on one set
 * of stream labels on Docker and on Kubernetes.
 *
 * Seed 001's rule: labels are low-cardinality only (`component`, `channel`,
 * `pipeline_version`, ...); IDs (`assignment_id`, `message_id`, `user_id`,
 * trace IDs, ...) stay in the line or in structured metadata.
 */

import type { PlatformProfile } from "../platform";

/** Where the agent reads container logs (the target's profile, configs/platform.ts); decides how containers are discovered. */
export type LogSource = PlatformProfile["logSource"];

/** The facts of a platform profile the log agents' configs read: the log source, and the target's name for the header. */
export type LogPlatform = Pick<PlatformProfile, "kind" | "logSource">;

/**
 * The service a line came from: the Compose service on Docker, the pod's app
 * label on Kubernetes. One name on both targets, so `{compose_service="x"}`
 * (the query the seed's runbooks use) works unchanged everywhere.
 */
export const SERVICE_LABEL = "compose_service";

/** Labels taken from container discovery, per log source. */
export const TARGET_LABELS = {
  "docker-api": [SERVICE_LABEL, "container"],
  "pod-log-files": ["namespace", "app", SERVICE_LABEL, "container"],
} as const satisfies Record<LogSource, readonly string[]>;

/** Fields every application writes in its JSON log lines (seed 000/001). */
export const JSON_LOG_FIELDS = [
  "timestamp",
  "level",
  "message",
  "component",
  "channel",
  "pipeline_version",
  "trace_id",
  "span_id",
] as const;

export type JsonLogField = (typeof JSON_LOG_FIELDS)[number];

/** JSON fields with few distinct values: promoted to stream labels. */
export const PROMOTED_JSON_FIELDS = ["level", "component", "channel", "pipeline_version"] as const satisfies readonly JsonLogField[];

/**
 * JSON fields that are unique per request: attached as structured metadata
 * (queryable without a parser, `| trace_id="..."`) and never as labels.
 */
export const STRUCTURED_METADATA_FIELDS = ["trace_id", "span_id"] as const satisfies readonly JsonLogField[];

/** Seed 001's nested object of per-event details: `{"timestamp", "level", "message", "context": {...}}`. */
export const CONTEXT_FIELD = "context";

/**
 * Keys of `context` attached as structured metadata under their own names
 * (`context.assignment_id` becomes `assignment_id`): seed 001's IDs, so
 * `| assignment_id="..."` finds a line without a parser and none becomes a
 * label. The whole object is kept too, as JSON text under `context`, for keys
 * not listed here (`| context=~".*\"retry\":3.*"`, or `| json` on the line).
 */
export const CONTEXT_METADATA_FIELDS = ["assignment_id", "message_id", "raw_id", "user_id", "tenant_id"] as const;

/** The json stage's expressions (JMESPath): the top-level fields, `context`, and each listed key inside it. */
export function jsonLogExpressions(): Record<string, string> {
  return {
    ...Object.fromEntries(JSON_LOG_FIELDS.map((f) => [f, f])),
    [CONTEXT_FIELD]: CONTEXT_FIELD,
    ...Object.fromEntries(CONTEXT_METADATA_FIELDS.map((f) => [f, `${CONTEXT_FIELD}.${f}`])),
  };
}

/** Everything a JSON line contributes as structured metadata: per-request IDs and the context object. */
export const LINE_STRUCTURED_METADATA: readonly string[] = [...STRUCTURED_METADATA_FIELDS, CONTEXT_FIELD, ...CONTEXT_METADATA_FIELDS];

/** The JSON field the agents read the entry's timestamp from. */
export const TIMESTAMP_FIELD: JsonLogField = "timestamp";

/**
 * Discovery values kept as structured metadata instead of labels. The pod name
 * changes on every rollout; as a label it would start new streams each deploy.
 */
export const DISCOVERY_STRUCTURED_METADATA = {
  "docker-api": [],
  "pod-log-files": ["pod"],
} as const satisfies Record<LogSource, readonly string[]>;

/** Every stream label an agent reading `source` attaches, in a fixed order. */
export function logLabelsFor(source: LogSource): readonly string[] {
  return [...TARGET_LABELS[source], ...PROMOTED_JSON_FIELDS];
}

/** Every Loki stream label either agent attaches from either log source (deduplicated, fixed order). */
export const LOG_LABELS: readonly string[] = [
  ...new Set([...logLabelsFor("docker-api"), ...logLabelsFor("pod-log-files")]),
];

/**
 * Names that must never become stream labels: seed 001's high-cardinality IDs
 * plus per-request and per-pod values. Tests assert no agent config promotes them.
 */
export const FORBIDDEN_LOG_LABELS = [
  "assignment_id",
  "message_id",
  "raw_id",
  "user_id",
  "tenant_id",
  "trace_id",
  "span_id",
  "pod",
  "url",
  "message",
  "timestamp",
] as const;
