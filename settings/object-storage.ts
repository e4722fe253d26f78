import { LOKI_HA_MIN_REPLICAS, LOKI_REPLICATION_FACTOR } from "../configs/loki/loki";
import { CONFIG_NAMESPACE, type Settings } from "./schema";
import type { ConfigProblem } from "./problems";
import { PLATFORM_PROFILES } from "../targets";

/** Keys that only mean something with `objectStorage.endpoint`, and which of them it makes required. */
const WITH_ENDPOINT = ["region", "lokiBucket", "tempoBucket", "accessKeyId", "secretAccessKey"] as const;
const REQUIRED = ["lokiBucket", "tempoBucket", "accessKeyId", "secretAccessKey"] as const;

/**
 * `objectStorage.*` as a whole, and Loki's replicas against it: HA mode
 * needs the shared bucket (replicas hand chunks and index to each other
 * through it) and a replication factor's worth of replicas. With `partial`
 * (a key failed its own check and holds nothing), an unset endpoint may be a
 * rejected one, so the keys that need it are not blamed for its absence.
 */
export function objectStorageChecks(s: Settings, partial = false): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key, message });
  const o = s.objectStorage;
  if (o.endpoint === undefined) {
    for (const key of partial ? [] : WITH_ENDPOINT) {
      if (o[key] !== undefined) add(`objectStorage.${key}`, "is set but objectStorage.endpoint is not; set the endpoint (host or host:port, e.g. s3.eu-west-1.amazonaws.com) or remove this key");
    }
  } else {
    for (const key of REQUIRED) {
      if (o[key] !== undefined) continue;
      const secret = key === "accessKeyId" || key === "secretAccessKey";
      add(
        `objectStorage.${key}`,
        secret
          ? `is required with objectStorage.endpoint; set it with: pulumi config set --secret --path '${CONFIG_NAMESPACE}:objectStorage.${key}' <value>`
          : `is required with objectStorage.endpoint: a bucket name such as tutordex-${key === "lokiBucket" ? "logs" : "traces"} (the same bucket for Loki and Tempo is fine)`,
      );
    }
  }

  const replicas = s.loki.replicas;
  if (replicas > 1) {
    if (!PLATFORM_PROFILES[s.target].replicas) {
      add("loki.replicas", `is ${replicas}, but the Docker target runs one Loki; set 1 (HA mode is for Kubernetes, where replicas spread across nodes)`);
    } else if (replicas < LOKI_HA_MIN_REPLICAS) {
      add("loki.replicas", `is ${replicas}; HA mode keeps ${LOKI_REPLICATION_FACTOR} copies of every stream and needs at least ${LOKI_HA_MIN_REPLICAS} replicas (a write quorum of 2 survives one down). Use 1, or ${LOKI_HA_MIN_REPLICAS} or more`);
    }
    if (o.endpoint === undefined && !partial) {
      add("loki.replicas", `is ${replicas}, which needs objectStorage (endpoint, lokiBucket, credentials): Loki replicas share chunks and index only through a bucket. Set objectStorage or use 1 replica`);
    }
  }
  return problems;
}
