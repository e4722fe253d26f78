/**
 * The program under Pulumi mocks in both Grafana modes: a Grafana deployed
 * with the stack (locked down, dashboards in folders) and an external
 * Grafana configured through @pulumiverse/grafana (no workload; the same
 * folders, datasources and dashboards by uid; the token secret throughout).
 */
import { parse } from "yaml";
import { isKubernetesDashboard, loadDashboards } from "../../configs/grafana/dashboards";
import { grafanaDatasources } from "../../configs/grafana/provisioning";
import type { ProgramRun } from "../../render/run";
import { SECRET_MASK } from "../../render/run";
import { named, ofType, rawNamed, runWith, TUTORDEX_TARGETS } from "../stack/harness";
import * as path from "path";

const CONTAINER = "docker:index/container:Container";
const STATEFULSET = "kubernetes:apps/v1:StatefulSet";
const FOLDER = "grafana:oss/folder:Folder";
const DATASOURCE = "grafana:oss/dataSource:DataSource";
const DASHBOARD = "grafana:oss/dashboard:Dashboard";
const PROVIDER = "pulumi:providers:grafana";
const TOKEN = "glsa_VERY-SECRET-token-value";
const DASHBOARDS = loadDashboards(path.join(__dirname, "..", "..", "dashboards"));

type Env = Record<string, string>;
const envOf = (list: string[] | undefined): Env => Object.fromEntries((list ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
const dockerGrafanaEnv = (run: ProgramRun) => envOf((rawNamed(run, CONTAINER, "grafana") as { envs?: string[] }).envs);
function k8sGrafanaEnv(run: ProgramRun): Env {
  const sts = named(run, STATEFULSET, "grafana").inputs as { spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } } };
  return Object.fromEntries((sts.spec.template.spec.containers[0].env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
}

describe("deploy mode (default)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith({ target: "docker", targets: TUTORDEX_TARGETS });
  });

  it("gives the Prometheus datasource the stack's scrape interval as its smallest step", async () => {
    const slow = await runWith({ target: "docker", targets: TUTORDEX_TARGETS, prometheus: { scrapeInterval: "30s", evaluationInterval: "30s" } });
    const timeIntervalOf = (r: ProgramRun) => {
      const file = r.stack.files.find((f) => f.path === "grafana/provisioning/datasources/datasources.yml")!;
      return (parse(file.content).datasources as { type: string; jsonData: { timeInterval?: string } }[]).find((d) => d.type === "prometheus")!.jsonData.timeInterval;
    };
    expect([timeIntervalOf(run), timeIntervalOf(slow)]).toEqual(["15s", "30s"]);
  });

  it("runs Grafana with sign-up, anonymous access, org creation and external snapshots off", () => {
    expect(dockerGrafanaEnv(run)).toMatchObject({
      GF_USERS_ALLOW_SIGN_UP: "false",
      GF_AUTH_ANONYMOUS_ENABLED: "false",
      GF_USERS_ALLOW_ORG_CREATE: "false",
      GF_SNAPSHOTS_EXTERNAL_ENABLED: "false",
      GF_SECURITY_ADMIN_USER: "admin",
    });
  });

  it("never uses admin/admin: the admin password is a generated secret in a mounted file, absent from plan inputs", () => {
    const env = dockerGrafanaEnv(run);
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toBeUndefined();
    expect(env.GF_SECURITY_ADMIN_PASSWORD__FILE).toBe("/etc/grafana/secrets/admin-password");
    const uploads = (rawNamed(run, CONTAINER, "grafana") as { uploads: { file: string; content: string }[] }).uploads;
    expect(uploads.find((u) => u.file === "/etc/grafana/secrets/admin-password")?.content).toBe("REDACTED-GENERATED-PASSWORD");
    const planned = named(run, CONTAINER, "grafana").inputs.uploads as { file: string; content: string }[];
    expect(planned.find((u) => u.file === "/etc/grafana/secrets/admin-password")?.content).toBe(SECRET_MASK);
  });

  it("sets no root URL and no Secure cookie on a published port (plain http on the host)", () => {
    expect(dockerGrafanaEnv(run).GF_SERVER_ROOT_URL).toBeUndefined();
    expect(dockerGrafanaEnv(run).GF_SECURITY_COOKIE_SECURE).toBeUndefined();
  });

  it("uploads each dashboard into its folder's directory, byte for byte what render writes at the flat path", () => {
    const uploads = (rawNamed(run, CONTAINER, "grafana") as { uploads: { file: string; content: string }[] }).uploads;
    const rendered = (p: string) => run.stack.files.find((f) => f.path === p)?.content;
    const expected: [string, string][] = [
      ["/etc/grafana/dashboards/tutordex/tutordex-overview.json", "grafana/dashboards/tutordex-overview.json"],
      ["/etc/grafana/dashboards/services/slo-error-budget.json", "grafana/dashboards/slo-error-budget.json"],
      ["/etc/grafana/dashboards/infrastructure/cache-performance.json", "grafana/dashboards/cache-performance.json"],
      ["/etc/grafana/dashboards/observability/observability-self.json", "grafana/dashboards/observability-self.json"],
    ];
    for (const [mount, renderPath] of expected) {
      expect([mount, uploads.find((u) => u.file === mount)?.content]).toEqual([mount, rendered(renderPath)]);
    }
    // Docker has no cluster: the dashboards tagged kubernetes stay out
    expect(uploads.filter((u) => u.file.startsWith("/etc/grafana/dashboards/")).length).toBe(DASHBOARDS.filter((d) => !isKubernetesDashboard(d)).length);
    expect(uploads.some((u) => u.file.endsWith("/kubernetes-cluster.json"))).toBe(false);
    expect(ofType(run, FOLDER)).toEqual([]);
  });

  it("scrapes Grafana", () => {
    const config = parse(run.stack.files.find((f) => f.path === "prometheus/prometheus.yml")!.content);
    expect(config.scrape_configs.map((j: { job_name: string }) => j.job_name)).toContain("grafana");
  });
});

describe("deploy mode behind a Kubernetes Ingress", () => {
  it("with TLS: root URL on https, Secure cookies and HSTS", async () => {
    const run = await runWith({ target: "kubernetes", kubernetes: { ingressClass: "nginx", ingressDomain: "obs.example.com", tlsSecretName: "wildcard" } }, [], "prod");
    expect(k8sGrafanaEnv(run)).toMatchObject({
      GF_SERVER_ROOT_URL: "https://grafana.obs.example.com/",
      GF_SECURITY_COOKIE_SECURE: "true",
      GF_SECURITY_STRICT_TRANSPORT_SECURITY: "true",
      GF_AUTH_ANONYMOUS_ENABLED: "false",
      GF_USERS_ALLOW_SIGN_UP: "false",
    });
  });

  it("without TLS (allowPlainHttpIngress): root URL on http and no Secure cookie (the browser would never send it back)", async () => {
    const run = await runWith({ target: "kubernetes", kubernetes: { ingressClass: "nginx", ingressDomain: "obs.example.com", allowPlainHttpIngress: true } }, [], "prod");
    expect(k8sGrafanaEnv(run)).toMatchObject({ GF_SERVER_ROOT_URL: "http://grafana.obs.example.com/", GF_SECURITY_COOKIE_SECURE: "false" });
  });

  it("without an Ingress: no root URL", async () => {
    const run = await runWith({ target: "kubernetes" }, [], "prod");
    expect(k8sGrafanaEnv(run).GF_SERVER_ROOT_URL).toBeUndefined();
  });
});

describe("external mode on Docker", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith(
      { target: "docker", targets: TUTORDEX_TARGETS, grafana: { mode: "external", url: "https://example.grafana.net", apiToken: TOKEN } },
      ["grafana"],
    );
  });

  it("deploys no Grafana container, volume, image or admin password", () => {
    expect(ofType(run, CONTAINER).map((r) => r.name)).not.toContain("grafana");
    expect(run.resources.filter((r) => /grafana/.test(r.name) && r.type.startsWith("docker:"))).toEqual([]);
    expect(ofType(run, "random:index/randomPassword:RandomPassword")).toEqual([]);
    expect(run.outputs.grafanaAdminPassword).toBeUndefined();
  });

  it("configures a Grafana provider with the URL and the token, the token masked in plan inputs", () => {
    const provider = named(run, PROVIDER, "grafana-external-provider");
    expect(provider.inputs).toMatchObject({ url: "https://example.grafana.net", auth: SECRET_MASK });
    expect(rawNamed(run, PROVIDER, "grafana-external-provider").auth).toBe(TOKEN);
  });

  it("never shows the token in plan inputs, rendered files or outputs", () => {
    expect(JSON.stringify(run.resources)).not.toContain(TOKEN);
    expect(JSON.stringify(run.outputs)).not.toContain(TOKEN);
    expect(run.stack.files.some((f) => f.content.includes(TOKEN))).toBe(false);
  });

  it("creates the folders the dashboards use, with the provisioning folder uids and titles", () => {
    const folders = ofType(run, FOLDER).map((r) => [r.inputs.uid, r.inputs.title]);
    expect(folders).toEqual(expect.arrayContaining([["tutordex", "TutorDex"], ["services", "Services"], ["infrastructure", "Infrastructure"], ["observability", "Observability"]]));
    expect(folders).toHaveLength(4);
  });

  it("creates the datasources with the provisioned uids and settings, at the published URLs the outside Grafana reaches", () => {
    const ds = ofType(run, DATASOURCE).map((r) => r.inputs as Record<string, unknown>);
    const urls = { prometheus: "http://127.0.0.1:9090", loki: "http://127.0.0.1:3100", tempo: "http://127.0.0.1:3200", alertmanager: "http://127.0.0.1:9093" };
    const expected = grafanaDatasources(urls, { nameSuffix: " (test)", markDefault: false });
    // Named after the environment (stack "test"): an existing Grafana may already have a "Prometheus".
    expect(ds.map((d) => [d.uid, d.name, d.type, d.url, d.isDefault])).toEqual(expected.map((d) => [d.uid, d.name, d.type, d.url, false]));
    expect(ds.map((d) => d.name)).toEqual(["Prometheus (test)", "Loki (test)", "Tempo (test)", "Alertmanager (test)"]);
    expect(ds.map((d) => JSON.parse(String(d.jsonDataEncoded)))).toEqual(expected.map((d) => d.jsonData));
    // The API takes Grafana's own `${__value.raw}`; only the provisioning file escapes it.
    expect(String(ds[1].jsonDataEncoded)).toContain('"url":"${__value.raw}"');
  });

  it("creates every dashboard of the target with the JSON file provisioning would load, in its folder", () => {
    const dashboards = ofType(run, DASHBOARD);
    const docker = DASHBOARDS.filter((d) => !isKubernetesDashboard(d));
    expect(dashboards.map((r) => JSON.parse(String(r.inputs.configJson)).uid).sort()).toEqual(docker.map((d) => d.uid).sort());
    for (const d of docker) {
      const r = named(run, DASHBOARD, `grafana-external-dashboard-${d.uid}`);
      expect([d.uid, r.inputs.configJson, r.inputs.folder]).toEqual([d.uid, d.file.content, d.folder?.uid]);
      expect(r.parent).toBe("observability:index:GrafanaExternal::grafana-external");
    }
  });

  it("reports the external Grafana's URL and stops scraping a Grafana the stack does not run", () => {
    expect((run.outputs.urls as Record<string, string>).grafana).toBe("https://example.grafana.net");
    const config = parse(run.stack.files.find((f) => f.path === "prometheus/prometheus.yml")!.content);
    expect(config.scrape_configs.map((j: { job_name: string }) => j.job_name)).not.toContain("grafana");
  });

  it("still renders the grafana/ files of the render contract, describing what is sent", () => {
    const paths = run.stack.files.map((f) => f.path).filter((p) => p.startsWith("grafana/"));
    expect(paths).toEqual(expect.arrayContaining(["grafana/provisioning/datasources/datasources.yml", "grafana/provisioning/dashboards/dashboards.yml", "grafana/dashboards/system-health.json"]));
    const ds = parse(run.stack.files.find((f) => f.path === "grafana/provisioning/datasources/datasources.yml")!.content);
    expect(ds.datasources[0]).toMatchObject({ url: "http://127.0.0.1:9090", name: "Prometheus (test)" });
    expect(ds.datasources.some((d: { isDefault?: boolean }) => d.isDefault)).toBe(false);
  });
});

describe("external mode on Kubernetes", () => {
  it("uses the configured datasource URLs and the Ingress URLs, and runs no Grafana workload", async () => {
    const run = await runWith(
      {
        target: "kubernetes",
        // Prometheus and Alertmanager are published (and so get default datasource URLs) only behind authentication.
        kubernetes: { ingressClass: "nginx", ingressDomain: "obs.example.com", tlsSecretName: "wildcard", ingressAuthAnnotations: { "nginx.ingress.kubernetes.io/auth-type": "basic", "nginx.ingress.kubernetes.io/auth-secret": "obs-basic-auth" } },
        grafana: { mode: "external", url: "https://example.grafana.net", apiToken: TOKEN, datasourceUrls: { loki: "https://loki.example.com/", tempo: "https://tempo.example.com" } },
      },
      ["grafana"],
      "prod",
    );
    expect(ofType(run, STATEFULSET).map((r) => r.name)).not.toContain("grafana");
    expect(run.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress").map((r) => r.name)).not.toContain("grafana-ingress");
    expect(Object.fromEntries(ofType(run, DATASOURCE).map((r) => [r.inputs.uid, r.inputs.url]))).toEqual({
      prometheus: "https://prometheus.obs.example.com",
      loki: "https://loki.example.com",
      tempo: "https://tempo.example.com",
      alertmanager: "https://alertmanager.obs.example.com",
    });
  });
});

describe("external mode on Kubernetes with an Ingress but no authentication for it", () => {
  it("does not default Prometheus' or Alertmanager's datasource to an Ingress that is not created", async () => {
    const kubernetes = { ingressClass: "nginx", ingressDomain: "obs.example.com", tlsSecretName: "wildcard" };
    const grafana = { mode: "external", url: "https://example.grafana.net", apiToken: TOKEN, datasourceUrls: { loki: "https://loki.example.com", tempo: "https://tempo.example.com" } };
    await expect(runWith({ target: "kubernetes", kubernetes, grafana }, ["grafana"], "prod")).rejects.toThrow(
      /grafana\.datasourceUrls\.prometheus: is required .*prometheus gets an Ingress only behind kubernetes\.ingressAuthAnnotations/s,
    );
    const datasourceUrls = { ...grafana.datasourceUrls, prometheus: "https://prom.vpn.example.com", alertmanager: "https://am.vpn.example.com" };
    const run = await runWith({ target: "kubernetes", kubernetes, grafana: { ...grafana, datasourceUrls } }, ["grafana"], "prod");
    expect(ofType(run, "kubernetes:networking.k8s.io/v1:Ingress")).toEqual([]);
    expect(Object.fromEntries(ofType(run, DATASOURCE).map((r) => [r.inputs.uid, r.inputs.url]))).toMatchObject({ prometheus: "https://prom.vpn.example.com", alertmanager: "https://am.vpn.example.com" });
  });
});
