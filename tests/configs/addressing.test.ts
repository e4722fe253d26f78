import { grafanaRootUrl, publicUrl, publishedUrl, USER_FACING_SERVICES } from "../../configs/addressing";
import { INGRESS_SERVICES } from "../../configs/grafana/external";
import { PLATFORM_PROFILES } from "../../targets";

// One answer to "where do people reach this service", for both targets (issue 12).
describe("configs/addressing.ts", () => {
  const http = { name: "http", port: 9093, hostPort: 19093, userFacing: true };
  const docker = (bindAddress: string) => ({ publishing: PLATFORM_PROFILES.docker.publishing, docker: { bindAddress }, kubernetes: {} });
  const k8s = (kubernetes: object) => ({ publishing: PLATFORM_PROFILES.kubernetes.publishing, docker: { bindAddress: "127.0.0.1" }, kubernetes });
  const ingress = { ingressClass: "nginx", ingressDomain: "obs.example.com" };
  const auth = { "nginx.ingress.kubernetes.io/auth-type": "basic", "nginx.ingress.kubernetes.io/auth-secret": "s" };

  it("publishes a Docker port on the host, with localhost for every-interface binds and brackets for IPv6", () => {
    expect(publishedUrl(docker("127.0.0.1"), "alertmanager", http)).toBe("http://127.0.0.1:19093");
    expect(publishedUrl(docker("0.0.0.0"), "alertmanager", http)).toBe("http://localhost:19093");
    expect(publishedUrl(docker("::1"), "alertmanager", http)).toBe("http://[::1]:19093");
    expect(publishedUrl(docker("127.0.0.1"), "alertmanager", { ...http, hostPort: undefined })).toBeUndefined();
    expect(() => publicUrl(docker("127.0.0.1"), "alertmanager", { ...http, hostPort: undefined })).toThrow(/alertmanager publishes no port named http/);
  });

  it("publishes a Kubernetes port through its Ingress only when user-facing and, without a login of its own, authenticated", () => {
    expect(publishedUrl(k8s(ingress), "alertmanager", http)).toBeUndefined();
    expect(publishedUrl(k8s({ ...ingress, ingressAuthAnnotations: auth }), "alertmanager", http)).toBe("http://alertmanager.obs.example.com");
    expect(publishedUrl(k8s({ ...ingress, tlsSecretName: "tls" }), "grafana", { ...http, port: 3000 })).toBe("https://grafana.obs.example.com");
    expect(publishedUrl(k8s({ ...ingress, ingressAuthAnnotations: auth }), "loki", { ...http, userFacing: false })).toBeUndefined();
  });

  it("falls back to the local end of kubectl port-forward on Kubernetes", () => {
    expect(publicUrl(k8s({}), "prometheus", { name: "http", port: 9090, userFacing: true })).toBe("http://localhost:9090");
  });

  it("gives Grafana a root URL only behind an Ingress", () => {
    expect(grafanaRootUrl(k8s(ingress))).toBe("http://grafana.obs.example.com/");
    expect(grafanaRootUrl(k8s({}))).toBeUndefined();
    expect(grafanaRootUrl(docker("127.0.0.1"))).toBeUndefined();
  });

  it("derives the datasources that may get an Ingress from the user-facing services", () => {
    expect(USER_FACING_SERVICES).toEqual(["prometheus", "alertmanager", "grafana"]);
    expect(INGRESS_SERVICES).toEqual(["prometheus", "alertmanager"]);
  });
});
