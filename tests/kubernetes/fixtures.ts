import { execFileSync } from "child_process";
import * as path from "path";
import { parse } from "yaml";
import { kubernetesManifests, renderStack } from "../../render/render";
import { runWith, TUTORDEX_TARGETS } from "../stack/harness";
import { FIXTURE_STACKS_DIR, PROJECT_DIR } from "../support/stacks";

export const ROOT = PROJECT_DIR;

/** A Kubernetes object as rendered (loosely typed: tests read what they check). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Record<string, unknown>[];
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number; hostPort?: number; protocol?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[]; add?: string[] } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
}

/** `render --stack prod` of the TutorDex fixture stack, exactly as the CLI writes it: the `kubernetes/*.yaml` files parsed. */
export async function prodManifests(): Promise<Manifest[]> {
  const files = await renderStack(ROOT, "prod", { stacksDir: FIXTURE_STACKS_DIR });
  return files.filter((f) => f.path.startsWith("kubernetes/")).map((f) => parse(f.content) as Manifest);
}

/**
 * A second production shape that switches on what the prod fixture leaves
 * off: Ingress with TLS and authentication, Promtail instead of Alloy, the database and cache
 * exporters (secret env), a notification receiver (secret config file).
 */
export async function fullManifests(): Promise<Manifest[]> {
  const run = await runWith(
    {
      target: "kubernetes",
      logAgent: "promtail",
      kubernetes: {
        namespace: "obs",
        ingressClass: "nginx",
        ingressDomain: "obs.example.com",
        tlsSecretName: "wildcard-tls",
        ingressNamespace: "ingress",
        // Authenticated, so Prometheus and Alertmanager get their Ingresses too (annotated).
        ingressAuthAnnotations: { "nginx.ingress.kubernetes.io/auth-type": "basic", "nginx.ingress.kubernetes.io/auth-secret": "obs-basic-auth" },
      },
      alertmanager: { replicas: 3 },
      targets: TUTORDEX_TARGETS,
      exporters: { postgres: { enabled: true, dataSourceName: "postgres://u:p@db:5432/app" }, redis: { enabled: true, address: "redis://redis:6379", password: "pw" } },
      alerting: { receivers: [{ type: "telegram", name: "oncall", chatId: -100123, botToken: "123:abc" }] },
    },
    // Pulumi marks whole top-level keys secret.
    ["exporters", "alerting"],
    "prod",
  );
  return kubernetesManifests(run.resources, run.rawInputs).map((f) => parse(f.content) as Manifest);
}

/** Problems `kubernetes-models` (OpenAPI schema of Kubernetes 1.34) finds, one entry per invalid manifest. */
export function schemaProblems(manifests: readonly unknown[]): { kind: string; name: string; error: string }[] {
  const out = execFileSync(process.execPath, [path.join(__dirname, "validate-manifests.mjs")], {
    input: JSON.stringify(manifests),
    cwd: ROOT,
    encoding: "utf8",
  });
  return JSON.parse(out);
}

export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet"];

/** Every workload with its pod spec. */
export function workloads(manifests: readonly Manifest[]): { m: Manifest; pod: PodSpec; labels: Record<string, string> }[] {
  return manifests
    .filter((m) => WORKLOAD_KINDS.includes(m.kind))
    .map((m) => {
      const template = (m.spec as { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } }).template;
      return { m, pod: template.spec, labels: template.metadata.labels };
    });
}
