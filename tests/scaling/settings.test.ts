/**
 * Scaling settings (issue 13, metrics) are checked up front like every other
 * key: each bad value is reported at its key path with what would be valid,
 * all at once, before any resource exists.
 */
import { problemsOf } from "../settings/problems";

const K8S = { target: "kubernetes" };
const write = (extra: Record<string, unknown>) => ({ url: "https://mimir.example.com/api/v1/push", ...extra });

describe("prometheus.replicas", () => {
  it("is refused above 1 on Docker, which runs one Prometheus", () => {
    expect(problemsOf({ prometheus: { replicas: 2 } })).toEqual([expect.stringMatching(/^prometheus\.replicas: is 2, but Docker runs one Prometheus/)]);
  });
  it("is accepted on Kubernetes, and 1 is accepted on Docker", () => {
    expect(problemsOf({ ...K8S, prometheus: { replicas: 3 } })).toEqual([]);
    expect(problemsOf({ prometheus: { replicas: 1 } })).toEqual([]);
  });
  it("stays within 1..5", () => {
    expect(problemsOf({ ...K8S, prometheus: { replicas: 0 } })).toEqual([expect.stringMatching(/^prometheus\.replicas: /)]);
  });
});

describe("prometheus.cluster", () => {
  it("takes a label value without '$' (Prometheus would expand it as an environment variable)", () => {
    expect(problemsOf({ prometheus: { cluster: "prod-eu-1" } })).toEqual([]);
    expect(problemsOf({ prometheus: { cluster: "${HOME}" } })).toEqual([expect.stringMatching(/^prometheus\.cluster: .*prod-eu-1/)]);
  });
});

describe("prometheus.remoteWrite", () => {
  it("accepts a full endpoint with secrets set with --secret", () => {
    const values = {
      prometheus: {
        remoteWrite: [
          write({ basicAuthUser: "1234", basicAuthPassword: "pw", headers: { "X-Scope-OrgID": "tutordex" }, queue: { capacity: 20000, maxShards: 10 } }),
          { url: "https://thanos.example.com/api/v1/receive", bearerToken: "tok", writeRelabelConfigs: [{ action: "labeldrop", regex: "replica" }] },
        ],
      },
    };
    expect(problemsOf(values, ["prometheus"])).toEqual([]);
  });

  it("refuses a password or token stored in plain text, naming the pulumi command that stores it as a secret", () => {
    expect(problemsOf({ prometheus: { remoteWrite: [write({ bearerToken: "tok" })] } })).toEqual([
      "prometheus.remoteWrite[0].bearerToken: is stored in plain text in the stack file; remove it and set it with: pulumi config set --secret --path 'observability:prometheus.remoteWrite[0].bearerToken' <value>",
    ]);
  });

  it("reports every bad endpoint at its key, all at once", () => {
    const problems = problemsOf(
      {
        prometheus: {
          remoteWrite: [
            { url: "mimir:9009/api/v1/push" },
            write({ basicAuthUser: "u" }),
            { url: "https://u:p@vm.example.com/api/v1/write" },
            { url: "https://d.example.com/push", headers: { Authorization: "Bearer x", "Content-Type": "text/plain" } },
            { url: "https://a.example.com/push", queue: { capacity: 100, maxSamplesPerSend: 500, maxShards: 0 } },
            { url: "https://b.example.com/push", bearerToken: "t", basicAuthUser: "u", basicAuthPassword: "p" },
            { url: "https://c.example.com/push", writeRelabelConfigs: [{ action: "replace", sourceLabels: ["job"] }, { action: "labeldrop", regex: "replica", sourceLabels: ["x"] }, { action: "keep", regex: "up" }, { action: "drop", sourceLabels: ["__name__"], regex: "(?!up)" }] },
          ],
        },
      },
      ["prometheus"],
    );
    expect(problems).toHaveLength(12);
    expect(problems).toEqual(
      expect.arrayContaining([
        "prometheus.remoteWrite[0].url: \"mimir:9009/api/v1/push\" is not valid: must be an http:// or https:// URL; got scheme mimir:",
        "prometheus.remoteWrite[1].basicAuthPassword: is required when the other of basicAuthUser/basicAuthPassword is set",
        expect.stringMatching(/^prometheus\.remoteWrite\[2\]\.url: ".*" is not valid: must not carry credentials/),
        expect.stringMatching(/^prometheus\.remoteWrite\[3\]\.headers\.Authorization: would put a credential in plain text/),
        "prometheus.remoteWrite[3].headers.Content-Type: is set by Prometheus itself and refused in remote_write headers",
        expect.stringMatching(/^prometheus\.remoteWrite\[4\]\.queue\.maxShards: 0 is out of range/),
        expect.stringMatching(/^prometheus\.remoteWrite\[4\]\.queue\.capacity: is 100, below maxSamplesPerSend/),
        expect.stringMatching(/^prometheus\.remoteWrite\[5\]\.bearerToken: cannot be combined with basic auth/),
        "prometheus.remoteWrite[6].writeRelabelConfigs[0].targetLabel: is required for action replace",
        expect.stringMatching(/^prometheus\.remoteWrite\[6\]\.writeRelabelConfigs\[1\]\.action: labeldrop takes only regex/),
        expect.stringMatching(/^prometheus\.remoteWrite\[6\]\.writeRelabelConfigs\[2\]\.sourceLabels: is required for action keep/),
        expect.stringMatching(/^prometheus\.remoteWrite\[6\]\.writeRelabelConfigs\[3\]\.regex: .* uses a lookaround/),
      ]),
    );
  });

  it("refuses a queue whose capacity is below one batch", () => {
    expect(problemsOf({ prometheus: { remoteWrite: [write({ queue: { capacity: 100, maxSamplesPerSend: 500 } })] } })).toEqual([
      expect.stringMatching(/^prometheus\.remoteWrite\[0\]\.queue\.capacity: is 100, below maxSamplesPerSend \(500\)/),
    ]);
  });

  it("refuses the same URL twice", () => {
    expect(problemsOf({ prometheus: { remoteWrite: [write({}), write({})] } })).toEqual([expect.stringMatching(/^prometheus\.remoteWrite\[1\]\.url: duplicate url/)]);
  });
});

describe("metrics.longTerm: victoriametrics", () => {
  const vm = (victoriametrics: Record<string, unknown>, target = "kubernetes") => ({ target, metrics: { longTerm: "victoriametrics", victoriametrics } });

  it("accepts single mode on both targets and cluster mode on Kubernetes", () => {
    expect(problemsOf(vm({}, "docker"))).toEqual([]);
    expect(problemsOf(vm({ mode: "cluster", replicationFactor: 2, storageReplicas: 3 }))).toEqual([]);
  });

  it("refuses cluster mode on Docker", () => {
    expect(problemsOf(vm({ mode: "cluster" }, "docker"))).toEqual([expect.stringMatching(/^metrics\.victoriametrics\.mode: cluster runs on Kubernetes only/)]);
  });

  it("needs at least 2*replicationFactor-1 vmstorage replicas", () => {
    expect(problemsOf(vm({ mode: "cluster", replicationFactor: 2, storageReplicas: 2 }))).toEqual([
      "metrics.victoriametrics.storageReplicas: is 2; with replicationFactor 2 it must be at least 3 (2*replicationFactor-1) so every sample stays readable and writable with 1 vmstorage replica(s) down",
    ]);
  });

  it("needs vminsert and vmselect replicated", () => {
    expect(problemsOf(vm({ mode: "cluster", insertReplicas: 1, selectReplicas: 1 }))).toEqual([
      expect.stringMatching(/^metrics\.victoriametrics\.insertReplicas: /),
      expect.stringMatching(/^metrics\.victoriametrics\.selectReplicas: /),
    ]);
  });

  it("keeps data at least a day, and at least as long as Prometheus does", () => {
    expect(problemsOf(vm({ retention: "12h" }))).toEqual(["metrics.victoriametrics.retention: is 12h; VictoriaMetrics keeps data at least 24h"]);
    expect(problemsOf({ ...vm({ retention: "7d" }), prometheus: { retention: "15d" } })).toEqual([expect.stringMatching(/^metrics\.victoriametrics\.retention: is 7d, shorter than prometheus\.retention \(15d\)/)]);
  });

  it("needs its own Docker host port", () => {
    expect(problemsOf({ ...vm({ hostPort: 9090 }, "docker") })).toEqual([expect.stringMatching(/^metrics\.victoriametrics\.hostPort: host port 9090 is already taken by prometheus\.hostPort/)]);
  });
});
