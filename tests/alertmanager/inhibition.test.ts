/**
 * The rendered inhibition rules against the alerts production really emits.
 * Label sets come from the promtool unit tests (`promtoolAlertLabelSets`):
 * promtool 2.42 fails tests/rules unless Prometheus' rule engine produces
 * exactly those labels, so these are the static labels plus whatever the
 * expression keeps (`by (job)`, `by (pipeline_version, schema_version)`, ...),
 * not labels invented for the test. `env` is added as Prometheus' external
 * label is. Where a check needs an alert "of the down job", only the job's
 * value is changed; the label names stay the rule's.
 *
 * Alertmanager's decision is transcribed in ./inhibit.ts; the daemon test runs
 * the same config with the real Alertmanager on the bug report's scenario.
 */
import { parse } from "yaml";
import { alertmanagerConfig, ALERTMANAGER_CONFIG_RENDER_PATH } from "../../configs/alertmanager/alertmanager";
import { alertServices, apiDependents, EXPORTING_SERVICES, serviceDependents, type ExportingService } from "../../configs/prometheus/rules/dependencies";
import { alertNames } from "../../configs/prometheus/rules";
import { FULL_OPTIONS, promtoolAlertLabelSets } from "../rules/fixtures";
import { everyIntegration } from "./fixtures";
import { mutedBy, notifying, type InhibitRule, type Labels } from "./inhibit";
import { PLATFORM_PROFILES } from "../../targets";

const ENV = { env: "dev" };
const file = alertmanagerConfig(everyIntegration).files.find((f) => f.path === ALERTMANAGER_CONFIG_RENDER_PATH);
const rules = (parse(file?.content ?? "") as { inhibit_rules: InhibitRule[] }).inhibit_rules;

const real: Labels[] = promtoolAlertLabelSets().map((l) => ({ ...l, ...ENV }));
const named = (alertname: string, pick: (l: Labels) => boolean = () => true): Labels => {
  const l = real.find((x) => x.alertname === alertname && pick(x));
  if (!l) throw new Error(`no promtool-verified label set for ${alertname}`);
  return l;
};
/** ServiceDown of each TutorDex service, as the rule emits it for a job whose targets carry that component. */
const serviceDown = (svc: ExportingService): Labels => named("ServiceDown", (l) => l.component === svc);

/** Alert -> services whose metrics it reads. SLO burn alerts are left out on purpose: they measure what users see and stay unmuted. */
const services = alertServices({ ...FULL_OPTIONS, slos: [] });
const DOWN = ["ServiceDown", "PrometheusTargetDown", "BlackboxProbeFailed", "Watchdog"];

describe("inhibition, on the label sets the real rules produce", () => {
  it("has a promtool-verified label set for every alert of the catalog and a ServiceDown per TutorDex service", () => {
    const missing = [...alertNames(FULL_OPTIONS), ...alertNames({ ...FULL_OPTIONS, platform: PLATFORM_PROFILES.kubernetes })].filter((a) => !real.some((l) => l.alertname === a));
    expect(missing).toEqual([]);
    for (const svc of EXPORTING_SERVICES) expect(serviceDown(svc)).toMatchObject({ alertname: "ServiceDown", component: svc, job: expect.stringMatching(/.+/) });
  });

  it("the bug report's outage: with the worker down only ServiceDown pages", () => {
    const down = serviceDown("worker");
    const firing = [
      down,
      named("PrometheusTargetDown", (l) => l.job === down.job),
      named("WorkerHeartbeatMissing", (l) => l.job === down.job),
      named("QueueBacklogGrowingNoThroughput"),
    ];
    // the fixtures really are the worker's: the job comes from the rules' tests, not from here
    expect(firing.map((l) => l.job ?? "")).toEqual([down.job, down.job, down.job, ""]);
    expect(notifying(rules, firing).map((l) => l.alertname)).toEqual(["ServiceDown"]);
  });

  describe.each(EXPORTING_SERVICES.map((s) => [s]))("%s down", (svc) => {
    const down = serviceDown(svc);
    const dependents = real.filter((l) => (services.get(l.alertname) ?? []).includes(svc as ExportingService));

    it("mutes every alert that reads its metrics (job-less ones by component, the others by job)", () => {
      expect(dependents.length).toBeGreaterThan(0);
      for (const l of dependents) {
        // an alert that keeps `job` is this service's when it has this service's job
        const own = l.job !== undefined ? { ...l, job: down.job as string } : l;
        expect({ alert: own, muted: mutedBy(rules, own, [down]) !== undefined }).toEqual({ alert: own, muted: true });
      }
    });

    it("mutes nothing of another service, nor alerts of another job", () => {
      const others = real.filter((l) => !DOWN.includes(l.alertname) && !(services.get(l.alertname) ?? []).includes(svc as ExportingService));
      expect(others.length).toBeGreaterThan(10);
      for (const l of others) {
        const notMine = l.job === down.job ? { ...l, job: `${l.job}-other` } : l;
        expect({ alert: notMine, muted: mutedBy(rules, notMine, [down]) }).toEqual({ alert: notMine, muted: undefined });
      }
      for (const l of dependents.filter((x) => x.job !== undefined)) {
        const otherJob = { ...l, job: `${down.job}-canary` };
        expect({ alert: otherJob, muted: mutedBy(rules, otherJob, [down]) }).toEqual({ alert: otherJob, muted: undefined });
      }
    });
  });

  it("APIDown pages once: it mutes both HighErrorRate tiers of its job, and nothing of another job", () => {
    const apiDown = named("APIDown");
    const tiers: Labels[] = real.filter((l) => l.alertname === "HighErrorRate").map((l) => ({ ...l, job: apiDown.job as string }));
    expect(tiers.map((l) => l.severity).sort()).toEqual(["critical", "warning"]);
    for (const l of tiers) expect(mutedBy(rules, l, [apiDown])).toBeDefined();
    expect(notifying(rules, [apiDown, ...tiers]).map((l) => l.alertname)).toEqual(["APIDown"]);
    for (const l of tiers) expect(mutedBy(rules, { ...l, job: `${apiDown.job}-other` }, [apiDown])).toBeUndefined();
    expect(mutedBy(rules, { ...named("HighLatencyP95"), job: apiDown.job as string }, [apiDown])).toBeUndefined();
  });

  it("derives the dependents from the catalog: the worker's include the queue alerts (it exports the queue gauges)", () => {
    const d = serviceDependents();
    expect(d.worker).toEqual(expect.arrayContaining(["QueueBacklogGrowingNoThroughput", "QueueDepthHigh", "LLMFailureSpike", "DMFailureSpike", "MissingSubjectsHigh"]));
    expect(d.collector).toEqual(["CollectorStalled"]);
    expect(d.worker).not.toContain("CollectorStalled");
  });

  it("a ServiceDown of a stack job (shared component such as infra) mutes only alerts of that job", () => {
    const nodeDown: Labels = { ...named("ServiceDown", (l) => l.component === "backend"), job: "node_exporter", component: "infra" };
    const sameJob = real.filter((l) => l.job === "node_exporter");
    expect([...new Set(sameJob.map((l) => l.alertname))].sort()).toEqual([
      "HostDiskSpaceLow",
      "HostMemoryHigh",
      // node-mixin completions keep node-exporter's job and instance too
      "NodeClockNotSynchronising",
      "NodeClockSkewDetected",
      "NodeFileDescriptorLimit",
      "NodeFilesystemAlmostOutOfFiles",
      "NodeFilesystemFilesFillingUp",
      "NodeFilesystemSpaceFillingUp",
      "NodeMemoryMajorPagesFaults",
      "NodeNetworkReceiveErrs",
      "NodeNetworkTransmitErrs",
    ]);
    for (const l of sameJob) expect(mutedBy(rules, l, [nodeDown])).toBeDefined();
    // job-less infra alerts (HostCpuHigh by instance, container alerts) are not muted by "missing equals missing"
    for (const l of real.filter((x) => x.component === "infra" && x.job === undefined)) {
      expect({ alert: l, muted: mutedBy(rules, l, [nodeDown]) }).toEqual({ alert: l, muted: undefined });
    }
  });

  it("a down target mutes the alerts of its job and instance only", () => {
    const nodeTarget: Labels = { ...named("PrometheusTargetDown"), job: "node_exporter", instance: "node-exporter:9100" };
    const mem = named("HostMemoryHigh");
    expect(mem).toMatchObject({ job: "node_exporter", instance: "node-exporter:9100" });
    expect(mutedBy(rules, mem, [nodeTarget])).toBeDefined();
    expect(mutedBy(rules, { ...mem, instance: "node-exporter-2:9100" }, [nodeTarget])).toBeUndefined();
    // alerts without job or instance are not "equal" to it
    for (const l of real.filter((x) => x.job === undefined || x.instance === undefined)) {
      expect({ alert: l, muted: mutedBy(rules, l, [nodeTarget]) }).toEqual({ alert: l, muted: undefined });
    }
  });

  it("never mutes ServiceDown, BlackboxProbeFailed or Watchdog, whatever else is down", () => {
    const downs = [...EXPORTING_SERVICES.map(serviceDown), ...real.filter((l) => l.alertname === "PrometheusTargetDown" || l.alertname === "BlackboxProbeFailed")];
    for (const l of real.filter((x) => ["ServiceDown", "BlackboxProbeFailed", "Watchdog"].includes(x.alertname))) {
      const sources = downs.filter((d) => d !== l);
      expect({ alert: l, muted: mutedBy(rules, l, sources)?.source }).toEqual({ alert: l, muted: undefined });
    }
  });

  it("leaves SLO burn alerts alone when the service behind them is down: they are what users see", () => {
    const burns = real.filter((l) => l.alertname.startsWith("SLOErrorBudget"));
    expect(burns.length).toBeGreaterThan(0);
    for (const l of burns) expect(mutedBy(rules, l, EXPORTING_SERVICES.map(serviceDown))).toBeUndefined();
  });

  it("keeps environments apart: the worker's ServiceDown in prod does not mute dev's queue alerts", () => {
    const prodDown = { ...serviceDown("worker"), env: "prod" };
    expect(mutedBy(rules, named("QueueBacklogGrowingNoThroughput"), [prodDown])).toBeUndefined();
  });
});

describe("inhibition on Kubernetes: a lost node and a lost API server page once", () => {
  const nodeDown = named("KubeNodeNotReady");
  const unreachable = named("KubeNodeUnreachable");
  const withNode = real.filter((l) => l.node !== undefined && !["KubeNodeNotReady", "KubeNodeUnreachable", ...DOWN].includes(l.alertname));

  it("the real label sets: pod, kubelet and volume alerts carry the node", () => {
    expect([...new Set(withNode.map((l) => l.alertname))].sort()).toEqual(
      expect.arrayContaining(["CPUThrottlingHigh", "KubeContainerWaiting", "KubePersistentVolumeFillingUp", "KubePodCrashLooping", "KubePodNotReady", "KubeletDown"]),
    );
  });

  it.each([
    ["KubeNodeNotReady", nodeDown],
    ["KubeNodeUnreachable", unreachable],
  ])("%s mutes the alerts of that node and of no other", (_name, source) => {
    for (const l of withNode) {
      const here = { ...l, node: source.node as string };
      expect({ alert: here, muted: mutedBy(rules, here, [source]) !== undefined }).toEqual({ alert: here, muted: true });
      const elsewhere = { ...l, node: `${source.node}-other` };
      expect({ alert: elsewhere, muted: mutedBy(rules, elsewhere, [source]) }).toEqual({ alert: elsewhere, muted: undefined });
    }
    // alerts without a node are not "equal" to it
    for (const l of real.filter((x) => x.node === undefined)) expect({ alert: l, muted: mutedBy(rules, l, [source]) }).toEqual({ alert: l, muted: undefined });
  });

  it("a lost node still pages both node alerts, ServiceDown and Watchdog", () => {
    for (const l of real.filter((x) => ["KubeNodeNotReady", "KubeNodeUnreachable", "ServiceDown", "Watchdog"].includes(x.alertname))) {
      const here: Labels = { ...l, node: nodeDown.node as string };
      expect({ alert: here, muted: mutedBy(rules, here, [nodeDown, unreachable].filter((d) => d.alertname !== l.alertname)) }).toEqual({ alert: here, muted: undefined });
    }
  });

  it("KubeAPIDown mutes exactly the alerts that read the API (kube-state-metrics, API server), derived from the catalog", () => {
    const apiDown = named("KubeAPIDown");
    const dependents = apiDependents();
    expect(dependents).toEqual(expect.arrayContaining(["KubePodCrashLooping", "KubeNodeNotReady", "KubeAPIErrorBudgetBurn", "KubeCPUOvercommit", "ContainerRestarted"]));
    expect(dependents).not.toContain("KubeAPIDown");
    // CPUThrottlingHigh reads cAdvisor, but takes its node from kube_pod_info: stale without the API
    expect(dependents).toContain("CPUThrottlingHigh");
    for (const independent of ["HostCpuHigh", "ContainerMemoryHigh", "PrometheusErrorSendingAlertsToAnyAlertmanager", "Watchdog"]) expect(dependents).not.toContain(independent);
    for (const l of real.filter((x) => x.alertname !== "KubeAPIDown")) {
      expect({ alert: l, muted: mutedBy(rules, l, [apiDown]) !== undefined }).toEqual({ alert: l, muted: dependents.includes(l.alertname) });
    }
    expect(mutedBy(rules, named("KubePodCrashLooping"), [{ ...apiDown, env: "prod" }])).toBeUndefined();
  });
});
