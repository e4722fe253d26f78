/**
 * An SLO whose target exports none of the metrics its kind reads is valid
 * config that can never alert: `pulumi preview` warns, naming the renames
 * that would fix it. The program knows what the TutorDex services export
 * (docs/metrics-contract.md and its "Differences"); for other services it
 * knows nothing and says nothing.
 */
import { validateSettings } from "../../settings/validate";
import { configWarnings } from "../../settings/warnings";
import { runWith, TUTORDEX_TARGETS } from "../stack/harness";

const BACKEND = TUTORDEX_TARGETS[2];
const slo = (kind: string, target: string, extra: Record<string, unknown> = {}) => ({ name: "api", objective: 99.9, kind, target, ...extra });
const warningsOf = (targets: unknown[], slos: unknown[]) =>
  configWarnings(validateSettings({ values: { targets, alerting: { slos } }, secretKeys: new Set() })).map((w) => `${w.key}: ${w.message}`);

describe("an SLO whose target exports none of the metrics its kind reads", () => {
  it("warns for an errorRate SLO on the TutorDex backend, naming the metric and label renames that fix it", () => {
    expect(warningsOf(TUTORDEX_TARGETS, [slo("errorRate", "tutordex_backend")])).toEqual([
      "alerting.slos[0]: errorRate SLO 'api' reads http_requests_total from job 'tutordex_backend', but the TutorDex backend exports none of it, so the SLO has no data and its burn alerts cannot fire; " +
        'it exports backend_http_requests_total instead (docs/metrics-contract.md, "Differences"): add to targets[2] metricRenames: {backend_http_requests_total: http_requests_total} and labelRenames: {status_code: status}',
    ]);
  });

  it("warns for a latency SLO on the backend with the histogram's rename (no label rename needed)", () => {
    const [w] = warningsOf(TUTORDEX_TARGETS, [slo("latency", "tutordex_backend", { latencyThresholdSeconds: 0.5 })]);
    expect(w).toMatch(/^alerting\.slos\[0\]: latency SLO 'api' reads http_request_duration_seconds/);
    expect(w).toMatch(/add to targets\[2\] metricRenames: \{backend_http_request_latency_seconds: http_request_duration_seconds\}$/);
  });

  it("is quiet once the renames are in place", () => {
    const mapped = { ...BACKEND, metricRenames: { backend_http_requests_total: "http_requests_total" }, labelRenames: { status_code: "status" } };
    expect(warningsOf([mapped], [slo("errorRate", "tutordex_backend")])).toEqual([]);
  });

  it("still warns about the label when only the metric is renamed", () => {
    const half = { ...BACKEND, metricRenames: { backend_http_requests_total: "http_requests_total" } };
    expect(warningsOf([half], [slo("errorRate", "tutordex_backend")])).toEqual([
      "alerting.slos[0]: errorRate SLO 'api' reads the label status of http_requests_total, which the TutorDex backend exports as status_code: add to targets[0] labelRenames: {status_code: status}",
    ]);
  });

  it("warns for a TutorDex service that serves no HTTP metrics at all, suggesting a rename or an availability SLO", () => {
    const [w] = warningsOf(TUTORDEX_TARGETS, [slo("errorRate", "tutordex_worker")]);
    expect(w).toContain("the TutorDex worker exports none of it");
    expect(w).toContain("add to targets[1] metricRenames: {<its name>: http_requests_total}; or use kind availability with healthPaths");
  });

  it("says nothing about availability SLOs (blackbox measures them) or services whose metrics it cannot know", () => {
    const generic = { name: "shop_api", address: "shop:8080", component: "api", healthPaths: ["/healthz"] };
    expect(warningsOf([...TUTORDEX_TARGETS, generic], [slo("availability", "tutordex_backend"), { ...slo("errorRate", "shop_api"), name: "shop" }])).toEqual([]);
  });
});

describe("the program", () => {
  it("reports the warning while registering the stack as usual (pulumi preview shows it; nothing is refused)", async () => {
    const run = await runWith({ targets: TUTORDEX_TARGETS, alerting: { slos: [slo("errorRate", "tutordex_backend")] } });
    expect(run.warnings).toEqual([expect.stringMatching(/^observability:alerting\.slos\[0\]: errorRate SLO 'api' reads http_requests_total/)]);
    expect(run.resources.some((r) => r.type === "observability:index:Prometheus")).toBe(true);
  });
});
