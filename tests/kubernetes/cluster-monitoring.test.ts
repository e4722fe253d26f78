/**
 * Monitoring the cluster itself (issue 15): what the stack config turns into.
 * - Scrape jobs of the cluster's components on Kubernetes only: the API
 *   servers, each kubelet's /metrics, /metrics/probes and /metrics/resource,
 *   CoreDNS; kube-proxy, scheduler, controller-manager and etcd only with
 *   `kubernetes.controlPlane`. Each job, discovery aside (Debian's promtool
 *   has no Kubernetes discovery), passes `promtool check config`; discovery
 *   uses roles and meta labels of Prometheus 3's kubernetes_sd_config
 *   (discovery/kubernetes/{node,pod,endpointslice}.go).
 * - The kubernetes rule pack: on by default, rendered on Kubernetes only,
 *   with the configured selectors and cluster label; a selector that is not
 *   PromQL matchers is a config error at its key.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { CLUSTER_COMPONENT_PORTS, prometheusConfigFile, type PrometheusConfigOptions } from "../../configs/prometheus/prometheus";
import { isAlertRule, ruleCatalog, ruleFiles } from "../../configs/prometheus/rules";
import { JOBS } from "../../configs/topology";
import { ruleCatalogOptions } from "../../settings/rules";
import { validateSettings } from "../../settings/validate";
import { problemsOf } from "../settings/problems";
import { PLATFORM_PROFILES } from "../../targets";

type Job = { job_name: string; kubernetes_sd_configs?: Record<string, unknown>[]; relabel_configs?: Record<string, unknown>[]; [k: string]: unknown };

const base: PrometheusConfigOptions = {
  scrapeInterval: "15s",
  evaluationInterval: "30s",
  environment: "prod",
  ruleFiles: [],
  stackJobs: [],
  targets: [],
  probes: [],
  platform: PLATFORM_PROFILES.kubernetes,
};
const jobsOf = (o: Partial<PrometheusConfigOptions> = {}): Job[] => (parse(prometheusConfigFile({ ...base, ...o }).content) as { scrape_configs: Job[] }).scrape_configs;
const job = (name: string, o: Partial<PrometheusConfigOptions> = {}): Job => {
  const j = jobsOf(o).find((x) => x.job_name === name);
  if (!j) throw new Error(`no job ${name}`);
  return j;
};

const ALWAYS = [JOBS.apiserver, JOBS.kubelet, JOBS.kubeletProbes, JOBS.kubeletResource, JOBS.coredns];
const CONTROL_PLANE = [JOBS.kubeProxy, JOBS.kubeScheduler, JOBS.kubeControllerManager, JOBS.etcd];

describe("cluster scrape jobs", () => {
  it("exist on Kubernetes, the control plane only with kubernetes.controlPlane, none on Docker", () => {
    const names = (o: Partial<PrometheusConfigOptions>) => jobsOf(o).map((j) => j.job_name);
    expect(names({})).toEqual(expect.arrayContaining(ALWAYS));
    for (const j of CONTROL_PLANE) expect(names({})).not.toContain(j);
    expect(names({ controlPlane: true })).toEqual(expect.arrayContaining([...ALWAYS, ...CONTROL_PLANE]));
    const docker = names({ platform: PLATFORM_PROFILES.docker, controlPlane: true });
    for (const j of [...ALWAYS, ...CONTROL_PLANE]) expect(docker).not.toContain(j);
  });

  it("find every API server behind default/kubernetes (EndpointSlices), over TLS verified as the Service name", () => {
    const j = job(JOBS.apiserver);
    expect(j.kubernetes_sd_configs).toEqual([{ role: "endpointslice", namespaces: { names: ["default"] } }]);
    expect(j.relabel_configs).toEqual([
      { source_labels: ["__meta_kubernetes_service_name", "__meta_kubernetes_endpointslice_port_name"], action: "keep", regex: "kubernetes;https" },
    ]);
    expect(j.scheme).toBe("https");
    expect(j.tls_config).toEqual({ ca_file: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt", server_name: "kubernetes" });
  });

  it.each([
    [JOBS.kubelet, "/metrics"],
    [JOBS.kubeletProbes, "/metrics/probes"],
    [JOBS.kubeletResource, "/metrics/resource"],
  ])("%s reads each node's kubelet at %s with cAdvisor's TLS and token, labelled with the node", (name, metricsPath) => {
    for (const kubeletTlsVerify of [false, true]) {
      const j = job(name, { kubeletTlsVerify });
      const cadvisor = job(JOBS.cadvisor, { kubeletTlsVerify });
      expect(j.metrics_path).toBe(metricsPath);
      expect(j.kubernetes_sd_configs).toEqual([{ role: "node" }]);
      expect({ scheme: j.scheme, tls: j.tls_config, auth: j.authorization }).toEqual({ scheme: cadvisor.scheme, tls: cadvisor.tls_config, auth: cadvisor.authorization });
      expect(j.relabel_configs).toContainEqual({ source_labels: ["__meta_kubernetes_node_name"], target_label: "node" });
    }
  });

  it("reads CoreDNS on its declared metrics port, and host-network control-plane pods at pod IP:port", () => {
    const coredns = job(JOBS.coredns);
    expect(coredns.kubernetes_sd_configs).toEqual([{ role: "pod", namespaces: { names: ["kube-system"] }, selectors: [{ role: "pod", label: "k8s-app=kube-dns" }] }]);
    expect(coredns.relabel_configs).toContainEqual({ source_labels: ["__meta_kubernetes_pod_container_port_number"], action: "keep", regex: "9153" });
    const expected: [string, string, number, boolean][] = [
      [JOBS.kubeProxy, "k8s-app=kube-proxy", CLUSTER_COMPONENT_PORTS.kubeProxy, false],
      [JOBS.kubeScheduler, "component=kube-scheduler", CLUSTER_COMPONENT_PORTS.kubeScheduler, true],
      [JOBS.kubeControllerManager, "component=kube-controller-manager", CLUSTER_COMPONENT_PORTS.kubeControllerManager, true],
      [JOBS.etcd, "component=etcd", CLUSTER_COMPONENT_PORTS.etcd, false],
    ];
    for (const [name, label, port, https] of expected) {
      const j = job(name, { controlPlane: true });
      expect(j.kubernetes_sd_configs).toEqual([{ role: "pod", namespaces: { names: ["kube-system"] }, selectors: [{ role: "pod", label }] }]);
      expect(j.relabel_configs).toContainEqual({ source_labels: ["__meta_kubernetes_pod_ip"], regex: "(.+)", replacement: `$1:${port}`, target_label: "__address__" });
      expect({ name, scheme: j.scheme ?? "http" }).toEqual({ name, scheme: https ? "https" : "http" });
    }
  });

  it("pass promtool check config with their discovery replaced by a static stand-in", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cluster-scrape-"));
    try {
      const local = (p: string) => {
        const f = path.join(dir, path.basename(p));
        fs.writeFileSync(f, "x");
        return f;
      };
      const jobs = jobsOf({ controlPlane: true })
        .filter((j) => [...ALWAYS, ...CONTROL_PLANE].includes(j.job_name as never))
        .map(({ kubernetes_sd_configs: _sd, ...rest }) => {
          const tls = rest.tls_config as Record<string, unknown> | undefined;
          const auth = rest.authorization as { credentials_file: string } | undefined;
          return {
            ...rest,
            ...(tls ? { tls_config: Object.fromEntries(Object.entries(tls).map(([k, v]) => [k, k === "ca_file" ? local(v as string) : v])) } : {}),
            ...(auth ? { authorization: { credentials_file: local(auth.credentials_file) } } : {}),
            static_configs: [{ targets: ["10.0.0.1:10250"] }],
          };
        });
      expect(jobs).toHaveLength(ALWAYS.length + CONTROL_PLANE.length);
      fs.writeFileSync(path.join(dir, "prometheus.yml"), stringify({ scrape_configs: jobs }));
      expect(execFileSync("promtool", ["check", "config", path.join(dir, "prometheus.yml")], { encoding: "utf8" })).toMatch(/SUCCESS/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the kubernetes rule pack from the stack config", () => {
  const settings = (values: Record<string, unknown>) => validateSettings({ values, secretKeys: new Set() });
  const packFiles = (values: Record<string, unknown>) => ruleFiles(ruleCatalogOptions(settings(values))).map((f) => f.path);

  it("is on by default and renders on Kubernetes only", () => {
    expect(settings({}).alerting.rulePacks).toContain("kubernetes");
    expect(packFiles({ target: "kubernetes" })).toContain("prometheus/rules/kubernetes.rules.yml");
    expect(packFiles({ target: "docker" })).not.toContain("prometheus/rules/kubernetes.rules.yml");
    expect(packFiles({ target: "kubernetes", alerting: { rulePacks: ["tutordex"] } })).not.toContain("prometheus/rules/kubernetes.rules.yml");
  });

  it("renders the control plane off by default", () => {
    expect(settings({ target: "kubernetes" }).kubernetes.controlPlane).toBe(false);
  });

  it("uses the configured selectors and cluster label in every rule", () => {
    const o = ruleCatalogOptions(
      settings({
        target: "kubernetes",
        kubernetes: { clusterLabel: "k8s_cluster", ruleSelectors: { kubeStateMetrics: 'job="ksm", cluster="prod"', kubelet: 'job=~"kubelet|kubelet-2"' } },
      }),
    );
    const rules = ruleCatalog(o).filter((f) => f.pack === "kubernetes").flatMap((f) => f.groups.flatMap((g) => g.rules));
    const exprs = rules.map((r) => r.expr).join("\n");
    expect(exprs).toContain('kube_pod_status_phase{job="ksm", cluster="prod"');
    expect(exprs).toContain('kubelet_volume_stats_available_bytes{job=~"kubelet|kubelet-2"}');
    expect(exprs).not.toContain('job="kube-state-metrics"');
    expect(exprs).toContain("by (k8s_cluster)");
    expect(exprs).not.toMatch(/\bcluster\)/);
    expect(rules.filter(isAlertRule).length).toBeGreaterThan(20);
  });

  it("checks AlertmanagerMembersInconsistent against the Alertmanager replicas on Kubernetes; Docker runs one", () => {
    const names = (values: Record<string, unknown>) => ruleCatalog(ruleCatalogOptions(settings(values))).flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule).map((a) => a.alert)));
    expect(names({ target: "kubernetes", alertmanager: { replicas: 3 } })).toContain("AlertmanagerMembersInconsistent");
    expect(names({ target: "kubernetes", alertmanager: { replicas: 1 } })).not.toContain("AlertmanagerMembersInconsistent");
    expect(names({ target: "docker", alertmanager: { replicas: 3 } })).not.toContain("AlertmanagerMembersInconsistent");
  });

  it.each([
    ["braces around the matchers", { kubelet: '{job="kubelet"}' }, /^kubernetes\.ruleSelectors\.kubelet: "\{job=\\"kubelet\\"\}" is not a list of PromQL label matchers; write what goes between the braces, e\.g\. job="kube-state-metrics"/],
    ["a bare job name", { apiserver: "apiserver" }, /^kubernetes\.ruleSelectors\.apiserver: "apiserver" is not a list of PromQL label matchers/],
    ["an empty selector", { cadvisor: " " }, /^kubernetes\.ruleSelectors\.cadvisor: " " is not a list of PromQL label matchers/],
  ])("rejects %s at its key, once", (_what, ruleSelectors, expected) => {
    const problems = problemsOf({ target: "kubernetes", kubernetes: { ruleSelectors } });
    expect(problems).toEqual([expect.stringMatching(expected)]);
  });

  it("rejects a cluster label that is not a label name", () => {
    expect(problemsOf({ target: "kubernetes", kubernetes: { clusterLabel: "k8s-cluster" } })).toEqual([
      expect.stringMatching(/^kubernetes\.clusterLabel: "k8s-cluster" is not valid; expected a Prometheus label name/),
    ]);
  });

  it("reports every bad selector at once", () => {
    const problems = problemsOf({ target: "kubernetes", kubernetes: { ruleSelectors: { kubelet: "kubelet", apiserver: "apiserver" } } });
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(["kubernetes.ruleSelectors.apiserver", "kubernetes.ruleSelectors.kubelet"]);
  });
});
