/**
 * The review report (`npm run diff`) for representative pull requests, read
 * line by line: the shipped stack is "before", the same stack with the
 * change in its config is "after", both rendered by the real program.
 */
import { reviewReport } from "../../review/report";
import { renderShipped } from "./stacks";

jest.setTimeout(180_000);

/** The bullet lines (or table rows) of one `### <title>` section. */
function section(report: string, title: string): string[] {
  const start = report.indexOf(`### ${title}\n`);
  if (start < 0) throw new Error(`no section ${title} in:\n${report}`);
  const body = report.slice(start + title.length + 5);
  const end = body.search(/^(### |<details>)/m);
  return (end < 0 ? body : body.slice(0, end)).split("\n").filter((l) => l.trim() !== "");
}

const TOKEN = "7012345678:AAH-realLookingTelegramBotToken_xyz";
const CIPHERTEXT = "v1:Zm9vYmFyYmF6cXV4:Kx9W0c2VjcmV0Y2lwaGVydGV4dA==";

describe("report of a dev change: a threshold, a new receiver, a removed rule pack, a retention change", () => {
  let report: string;
  beforeAll(async () => {
    const before = await renderShipped("dev");
    const after = await renderShipped("dev", {
      values: {
        alerting: {
          // `container` dropped from the shipped packs.
          rulePacks: ["tutordex", "service", "http", "host", "queue", "probes"],
          thresholds: { llmFailureRatePerS: 0.5, llmFailureFor: "10m", queueOldestPendingSeconds: 2700 },
          receivers: [{ type: "telegram", name: "oncall", chatId: -1001234567890, botToken: TOKEN, severities: ["critical"] }],
        },
        prometheus: { retention: "30d" },
      },
      secret: ["alerting"],
    });
    report = reviewReport({
      stack: "dev",
      baseLabel: "`main`",
      headLabel: "working tree",
      before,
      after,
      stackConfigBefore: "config:\n  observability:target: docker\n",
      stackConfigAfter: `config:\n  observability:target: docker\n  observability:alerting:\n    receivers:\n      - name: oncall\n        botToken:\n          secure: ${CIPHERTEXT}\n`,
    });
  });

  it("opens with the stack, both sides and the counts", () => {
    expect(report.split("\n").slice(0, 4)).toEqual([
      "<!-- observability-review:dev -->",
      "## Observability review: stack `dev` (`main` -> working tree)",
      "",
      "Alerts: 0 added, 3 removed, 2 changed. Recording rules: 0 added, 0 removed, 0 changed. Paging rows changed: 28. Dashboards changed: 0. " +
        "Resources: 0 created, 0 updated in place, 2 replaced, 0 deleted. Secrets changed: 1.",
    ]);
  });

  it("spells out each changed alert: threshold, for, reworded annotations; and lists removed ones with their rule", () => {
    expect(section(report, "Alerts")).toEqual([
      "- `LLMFailureSpike`: threshold 0.2 -> 0.5; for 5m -> 10m; annotation description reworded",
      "- `QueueOldestPendingTooOld`: threshold 1800 -> 2700; annotation description reworded",
      '- removed `ContainerMemoryHigh [critical]` (critical, for 5m: `100 * max by (instance, name) (container_memory_working_set_bytes{name!=""} / (container_spec_memory_limit_bytes{name!=""} > 0)) > 90`) from prometheus/rules/container.rules.yml',
      '- removed `ContainerMemoryHigh [warning]` (warning, for 10m: `100 * max by (instance, name) (container_memory_working_set_bytes{name!=""} / (container_spec_memory_limit_bytes{name!=""} > 0)) > 80`) from prometheus/rules/container.rules.yml',
      '- removed `ContainerRestartLoop` (warning, for 0s: `sum by (instance, name) (changes(container_start_time_seconds{name!=""}[1h])) >= 3`) from prometheus/rules/container.rules.yml',
    ]);
    expect(section(report, "Recording rules")).toEqual(["No change."]);
  });

  it("shows who gets paged now: every critical alert (the stack's own and the node-mixin's included) moves from nobody to the new receiver; warnings stay; removed alerts leave", () => {
    expect(section(report, "Paging")).toEqual([
      "| alert | change |",
      "| --- | --- |",
      "| AlertmanagerClusterDown | receivers null -> oncall |",
      "| AlertmanagerFailedReload | receivers null -> oncall |",
      "| BlackboxProbeFailed | receivers null -> oncall |",
      "| CertificateExpiringSoon [critical] | receivers null -> oncall |",
      "| ContainerMemoryHigh [critical] | alert removed (was routed to null) |",
      "| ContainerMemoryHigh [warning] | alert removed (was routed to null) |",
      "| ContainerRestartLoop | alert removed (was routed to null) |",
      "| FatalLogLines | receivers null -> oncall |",
      "| HighErrorRate [critical] | receivers null -> oncall |",
      "| HighLatencyP95 [critical] | receivers null -> oncall |",
      "| HostDiskSpaceLow [critical] | receivers null -> oncall |",
      "| HostMemoryHigh [critical] | receivers null -> oncall |",
      "| LokiRequestErrors | receivers null -> oncall |",
      "| NodeFileDescriptorLimit [critical] | receivers null -> oncall |",
      "| NodeFilesystemAlmostOutOfFiles [critical] | receivers null -> oncall |",
      "| NodeFilesystemFilesFillingUp [critical] | receivers null -> oncall |",
      "| NodeFilesystemSpaceFillingUp [critical] | receivers null -> oncall |",
      "| PrometheusBadConfig | receivers null -> oncall |",
      "| PrometheusErrorSendingAlertsToAnyAlertmanager | receivers null -> oncall |",
      "| PrometheusRuleFailures | receivers null -> oncall |",
      "| PrometheusTargetSyncFailure | receivers null -> oncall |",
      "| QueueBacklogGrowingNoThroughput | receivers null -> oncall |",
      "| QueueDepthHigh [critical] | receivers null -> oncall |",
      "| QueueStuckProcessing | receivers null -> oncall |",
      "| ServiceDown | receivers null -> oncall |",
      "| SLOErrorBudgetFastBurn | receivers null -> oncall |",
      "| SupabaseFailureSpike | receivers null -> oncall |",
      "| WorkerHeartbeatMissing | receivers null -> oncall |",
    ]);
    expect(report).toContain("<summary>Routing matrix before</summary>");
    expect(report).toContain("| LLMFailureSpike | warning | null | wait 30s, interval 5m, repeat 6h | never |");
  });

  it("says the retention change (in prometheus.yml) replaces the Prometheus container and that its data sits on a volume that is kept", () => {
    expect(section(report, "Resources")).toEqual([
      "- replaced docker Container `prometheus` (" +
        "files /etc/prometheus/prometheus.yml changed, /etc/prometheus/rules/tutordex.rules.yml changed, /etc/prometheus/rules/container.rules.yml removed): " +
        "state on `observability-prometheus-data`: a separate volume, kept and mounted again",
      // The new receiver's bot token makes the uploaded config a secret: plan.json masks that file alone.
      "- replaced docker Container `alertmanager` (files /etc/alertmanager/alertmanager.yml changed (secret content)): state on `observability-alertmanager-data`: a separate volume, kept and mounted again",
    ]);
  });

  it("reports the new secret by key only: neither its value nor its ciphertext appears", () => {
    expect(section(report, "Secrets (values never shown)")).toEqual(["- `observability:alerting.receivers[0].botToken`: added"]);
    expect(report).not.toContain(TOKEN);
    expect(report).not.toContain(CIPHERTEXT);
  });
});

describe("report of a prod storage change", () => {
  let report: string;
  beforeAll(async () => {
    const before = await renderShipped("prod");
    const after = await renderShipped("prod", { values: { prometheus: { storageGi: 200 } } });
    report = reviewReport({ stack: "prod", baseLabel: "`main`", headLabel: "working tree", before, after });
  });

  it("flags the StatefulSet replacement as data at risk, says the PVCs are retained and that the new size is not applied", () => {
    expect(section(report, "Resources")).toEqual([
      "- **data at risk**: replaced StatefulSet `prometheus` (spec.volumeClaimTemplates[0].spec.resources.requests.storage: 100Gi -> 200Gi): " +
        "PVCs `data-prometheus-N` are kept (persistentVolumeClaimRetentionPolicy.whenDeleted: Retain) and bound again by the new pods; " +
        "the changed volumeClaimTemplates do not apply to existing PVCs (resize them by hand)",
      // Size-based retention (85% of the volume) lives in prometheus.yml: its ConfigMap is replaced, as pulumi-kubernetes replaces changed ConfigMaps.
      '- replaced ConfigMap `prometheus-config` (data["etc_prometheus_prometheus.yml"])',
    ]);
    expect(report).toContain("Resources: 0 created, 0 updated in place, 2 replaced, 0 deleted, **1 with data at risk**.");
  });

  it("reports nothing else: alerts, paging and dashboards are unchanged", () => {
    for (const s of ["Alerts", "Recording rules", "Paging", "Dashboards", "Secrets (values never shown)"]) expect(section(report, s)).toEqual(["No change."]);
  });
});

describe("report of a dashboard edit", () => {
  let report: string;
  beforeAll(async () => {
    const before = await renderShipped("dev");
    const after = new Map(before);
    const file = "grafana/dashboards/system-health.json";
    const d = JSON.parse(before.get(file)!) as { panels: { title: string; type: string; targets?: { refId: string; expr: string }[] }[] };
    const cpu = d.panels.find((p) => p.title === "CPU busy per host")!;
    cpu.targets![0]!.expr = cpu.targets![0]!.expr.replace("avg by (instance)", "max by (instance)");
    d.panels = d.panels.filter((p) => p.title !== "Uptime");
    d.panels.push({ title: "Open file descriptors", type: "timeseries", targets: [{ refId: "A", expr: "process_open_fds" }] });
    after.set(file, JSON.stringify(d));
    report = reviewReport({ stack: "dev", baseLabel: "`main`", headLabel: "working tree", before, after });
  });

  it("names the dashboard, the changed query with before and after, the added and the removed panel", () => {
    expect(section(report, "Dashboards")).toEqual([
      "- changed `System Health`",
      "  - panel `CPU busy per host`: query A: " +
        '`100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle",instance=~"$instance"}[$__rate_interval])))` -> ' +
        '`100 * (1 - max by (instance) (rate(node_cpu_seconds_total{mode="idle",instance=~"$instance"}[$__rate_interval])))`',
      "  - panel added `Open file descriptors` (timeseries): `process_open_fds`",
      "  - panel removed `Uptime`",
    ]);
    expect(report).toContain("Dashboards changed: 1.");
  });
});
