/**
 * Kubernetes: a Secret (receiver tokens and webhook URLs in Alertmanager's config, Grafana's password and
 * secret key, probe credentials) is mounted only into the container that reads it. Reload sidecars watch
 * ConfigMap-only volumes; what sits in a Secret rolls the pods instead (the restart-hash annotation).
 */
import { fullManifests, type Manifest, type PodSpec, workloads } from "../kubernetes/fixtures";
import { rawNamed, runWith, TUTORDEX_TARGETS } from "../stack/harness";
import type { ProgramRun } from "../../render/run";
import { RELOADER_CONTAINER } from "../../targets/kubernetes/reloader";

type Volume = { name: string; secret?: unknown; projected?: { sources: { secret?: unknown; configMap?: unknown }[] } };

/** Volumes of a pod that carry a Secret's content. */
const secretVolumes = (pod: PodSpec) =>
  ((pod.volumes ?? []) as Volume[]).filter((v) => v.secret !== undefined || (v.projected?.sources ?? []).some((s) => s.secret !== undefined)).map((v) => v.name);

type Template = { metadata: { annotations: Record<string, string> }; spec: PodSpec };
const templateOf = (run: ProgramRun, kind: string, name: string) => (rawNamed(run, `kubernetes:apps/v1:${kind}`, name).spec as { template: Template }).template;
const containerNames = (run: ProgramRun, kind: string, name: string) => templateOf(run, kind, name).spec.containers.map((c) => c.name);
const hashOf = (run: ProgramRun, kind: string, name: string) => templateOf(run, kind, name).metadata.annotations["observability/restart-hash"];

const base = { target: "kubernetes", kubernetes: { namespace: "obs" }, targets: TUTORDEX_TARGETS };
const telegram = (botToken: string) => ({ receivers: [{ type: "telegram", name: "oncall", chatId: -100123, botToken }] });

describe("Kubernetes: Secrets reach only the container that reads them", () => {
  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await fullManifests();
  });

  it("mounts no Secret volume and no secret environment into any sidecar (reloader, kube-rbac-proxy)", () => {
    const seen: string[] = [];
    for (const { m, pod } of workloads(manifests)) {
      const secrets = secretVolumes(pod);
      if (secrets.length > 0) seen.push(m.metadata.name);
      for (const c of pod.containers.slice(1)) {
        const leaks = (c.volumeMounts ?? []).filter((v) => secrets.includes(v.name)).map((v) => v.mountPath);
        const env = ((c as { env?: { valueFrom?: { secretKeyRef?: unknown } }[] }).env ?? []).filter((e) => e.valueFrom?.secretKeyRef);
        expect([m.metadata.name, c.name, leaks, env]).toEqual([m.metadata.name, c.name, [], []]);
      }
    }
    // Not vacuous: the fixture's Telegram receiver puts Alertmanager's config in a Secret, and Grafana has its password file.
    expect(seen).toEqual(expect.arrayContaining(["alertmanager", "grafana"]));
  });

  it("still gives Prometheus a reloader, which watches its ConfigMap volume", () => {
    const prometheus = workloads(manifests).find(({ m }) => m.metadata.name === "prometheus")!.pod;
    const reloader = prometheus.containers.find((c) => c.name === RELOADER_CONTAINER)!;
    expect(reloader.args).toContain("--volume-dir=/etc/prometheus");
    expect(secretVolumes(prometheus)).toEqual([]);
  });
});

describe("Alertmanager on Kubernetes: config with inline receiver secrets rolls instead of reloading", () => {
  let withSecret: ProgramRun;
  beforeAll(async () => {
    withSecret = await runWith({ ...base, alerting: telegram("123:first-token") }, ["alerting"], "prod");
  });

  it("runs no reloader beside Alertmanager when its config sits in a Secret", () => {
    expect(containerNames(withSecret, "StatefulSet", "alertmanager")).toEqual(["alertmanager"]);
  });

  it("keeps the reloader when no receiver puts a secret in its config directory", async () => {
    const plain = await runWith(base, [], "prod");
    expect(containerNames(plain, "StatefulSet", "alertmanager")).toEqual(["alertmanager", RELOADER_CONTAINER]);
  });

  it("rolls Alertmanager's pods when the bot token changes, without showing it in the annotation", async () => {
    const rotated = await runWith({ ...base, alerting: telegram("123:second-token") }, ["alerting"], "prod");
    const [a, b] = [hashOf(withSecret, "StatefulSet", "alertmanager"), hashOf(rotated, "StatefulSet", "alertmanager")];
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(a).not.toBe(b);
    expect(JSON.stringify(templateOf(rotated, "StatefulSet", "alertmanager"))).not.toContain("second-token");
  });

  it("rolls Alertmanager's pods when a non-secret part of its config changes (routing), since nothing reloads it", async () => {
    const regrouped = await runWith({ ...base, alerting: { ...telegram("123:first-token"), groupBy: ["alertname", "service"] } }, ["alerting"], "prod");
    expect(hashOf(regrouped, "StatefulSet", "alertmanager")).not.toBe(hashOf(withSecret, "StatefulSet", "alertmanager"));
  });

});

describe("secret files in a directory of their own: the config stays hot-reloadable", () => {
  const reloaderDirs = (run: ProgramRun, kind: string, name: string) =>
    templateOf(run, kind, name).spec.containers.find((c) => c.name === RELOADER_CONTAINER)?.args?.filter((a) => a.startsWith("--volume-dir="));

  it("Alertmanager with a Slack receiver (api_url_file): the reloader watches /etc/alertmanager, the URL's change rolls the pods", async () => {
    const slack = (apiUrl: string) => ({ receivers: [{ type: "slack", name: "team", channel: "#alerts", apiUrl }] });
    const one = await runWith({ ...base, alerting: slack("https://hooks.slack.com/services/T0/B0/first") }, ["alerting"], "prod");
    const two = await runWith({ ...base, alerting: slack("https://hooks.slack.com/services/T0/B0/second") }, ["alerting"], "prod");
    expect(reloaderDirs(one, "StatefulSet", "alertmanager")).toEqual(["--volume-dir=/etc/alertmanager"]);
    const main = templateOf(one, "StatefulSet", "alertmanager").spec.containers[0];
    expect(main.volumeMounts!.map((m) => m.mountPath)).toEqual(expect.arrayContaining(["/etc/alertmanager", "/etc/alertmanager-secrets"]));
    expect(hashOf(one, "StatefulSet", "alertmanager")).not.toBe(hashOf(two, "StatefulSet", "alertmanager"));
  });

  it("blackbox-exporter with a bearer token: the reloader watches /etc/blackbox, the token's change rolls the pods", async () => {
    const probe = (bearerToken: string) => ({ probes: [{ name: "api", url: "https://api.example.com/health", bearerToken }] });
    const one = await runWith({ ...base, ...probe("first-bearer") }, ["probes"], "prod");
    const two = await runWith({ ...base, ...probe("second-bearer") }, ["probes"], "prod");
    expect(reloaderDirs(one, "Deployment", "blackbox-exporter")).toEqual(["--volume-dir=/etc/blackbox"]);
    expect(hashOf(one, "Deployment", "blackbox-exporter")).not.toBe(hashOf(two, "Deployment", "blackbox-exporter"));
  });
});
