/**
 * doctor's "stack alerts" line: the always-on stack-health alerts among
 * Prometheus' active alerts (GET /api/v1/alerts). The live proof, with
 * Alertmanager really stopped, is in tests/e2e/live.test.ts.
 */
import { stackAlertNames } from "../../configs/prometheus/rules";
import { stackAlertsCheck } from "../../scripts/doctor";

const alert = (alertname: string, state: string, extra: Record<string, string> = {}) => ({ labels: { alertname, ...extra }, state });

describe("doctor: stack alerts", () => {
  it("knows the stack pack's alerts, every optional one included", () => {
    expect(stackAlertNames()).toEqual(
      expect.arrayContaining(["PrometheusErrorSendingAlertsToAnyAlertmanager", "PrometheusNotConnectedToAlertmanagers", "AlertmanagerFailedToSendAlerts", "AlertmanagerMembersInconsistent", "LokiRequestErrors", "GrafanaDown"]),
    );
    expect(stackAlertNames()).not.toContain("Watchdog");
  });

  it("is ok when none fires, and names the pending ones", () => {
    expect(stackAlertsCheck([alert("Watchdog", "firing"), alert("HostCpuHigh", "firing")])).toEqual(["ok", "stack alerts", `none of the ${stackAlertNames().length} stack-health alerts firing`]);
    expect(stackAlertsCheck([alert("PrometheusErrorSendingAlertsToAnyAlertmanager", "pending")])[2]).toMatch(/firing; pending: PrometheusErrorSendingAlertsToAnyAlertmanager$/);
  });

  it("fails while one fires, naming each once", () => {
    const [status, what, detail] = stackAlertsCheck([
      alert("PrometheusErrorSendingAlertsToAnyAlertmanager", "firing", { instance: "a" }),
      alert("PrometheusErrorSendingAlertsToAnyAlertmanager", "firing", { instance: "b" }),
      alert("LokiDiscardedSamples", "pending"),
      alert("HostCpuHigh", "firing"),
    ]);
    expect([status, what]).toEqual(["FAIL", "stack alerts"]);
    expect(detail).toBe("firing: PrometheusErrorSendingAlertsToAnyAlertmanager; pending: LokiDiscardedSamples (docs/runbooks/<alert>.md)");
  });

  it("ignores alerts about jobs expected down in this environment", () => {
    expect(stackAlertsCheck([alert("GrafanaDown", "firing", { job: "grafana" })], new Set(["grafana"]))[0]).toBe("ok");
    expect(stackAlertsCheck([alert("GrafanaDown", "firing", { job: "grafana" })])[0]).toBe("FAIL");
  });
});
