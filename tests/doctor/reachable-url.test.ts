/**
 * Which address doctor calls for each stack output: URLs as they are, and the
 * local end of the `kubectl port-forward` commands the Kubernetes target
 * outputs when no Ingress serves a service.
 */
import { reachableUrl } from "../../scripts/doctor";
import { runWith, TUTORDEX_TARGETS } from "../stack/harness";

describe("doctor's reading of the stack outputs", () => {
  it("calls http(s) URLs as they are", () => {
    expect(reachableUrl("http://127.0.0.1:9090")).toBe("http://127.0.0.1:9090");
    expect(reachableUrl("https://grafana.obs.example.com")).toBe("https://grafana.obs.example.com");
  });

  it("calls the local end of every port-forward command the Kubernetes target outputs", async () => {
    const run = await runWith({ target: "kubernetes", kubernetes: { namespace: "obs" }, targets: TUTORDEX_TARGETS }, [], "prod");
    const urls = run.outputs.urls as Record<string, string>;
    expect(Object.values(urls).every((u) => u.includes("port-forward"))).toBe(true);
    expect(Object.fromEntries(Object.entries(urls).map(([name, out]) => [name, reachableUrl(out)]))).toEqual({
      grafana: "http://localhost:3000",
      prometheus: "http://localhost:9090",
      alertmanager: "http://localhost:9093",
      loki: "http://localhost:3100",
      tempo: "http://localhost:3200",
    });
  });

  it("skips what it cannot call", () => {
    expect(reachableUrl("not configured")).toBeUndefined();
    expect(reachableUrl("kubectl -n obs get svc")).toBeUndefined();
  });
});
