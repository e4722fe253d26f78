/**
 * Ingress on Kubernetes: Prometheus and Alertmanager (no login of their own) are published only behind an
 * authentication the program recognises or the operator acknowledges, and every Ingress needs TLS unless
 * plain HTTP is asked for. Checked on the validated config and on the rendered Ingresses.
 */
import { recognisedIngressAuth } from "../../configs/addressing";
import { problemsOf } from "../settings/problems";
import { named, ofType, runWith } from "../stack/harness";

const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const NGINX = "nginx.ingress.kubernetes.io";
const withTls = { ingressClass: "nginx", ingressDomain: "obs.example.com", tlsSecretName: "wildcard-tls" };
const k8s = (kubernetes: Record<string, unknown>) => ({ target: "kubernetes", kubernetes });

describe("Ingress authentication: recognised patterns", () => {
  it.each([
    ["ingress-nginx basic auth", { [`${NGINX}/auth-type`]: "basic", [`${NGINX}/auth-secret`]: "obs-basic-auth" }, "ingress-nginx basic auth"],
    ["ingress-nginx digest auth", { [`${NGINX}/auth-type`]: "digest", [`${NGINX}/auth-secret`]: "obs-digest" }, "ingress-nginx digest auth"],
    [
      "ingress-nginx external auth (oauth2-proxy)",
      { [`${NGINX}/auth-url`]: "https://oauth2.example.com/oauth2/auth", [`${NGINX}/auth-signin`]: "https://oauth2.example.com/oauth2/start?rd=$escaped_request_uri" },
      "ingress-nginx external auth",
    ],
    ["a Traefik middleware", { "traefik.ingress.kubernetes.io/router.middlewares": "auth-forward-auth@kubernetescrd" }, "Traefik middleware"],
  ])("recognises %s", (_what, annotations, scheme) => {
    expect(recognisedIngressAuth(annotations)).toBe(scheme);
    expect(problemsOf(k8s({ ...withTls, ingressAuthAnnotations: annotations }))).toEqual([]);
  });

  it.each([
    ["an allow-list, which authenticates nobody", { [`${NGINX}/whitelist-source-range`]: "203.0.113.0/24" }],
    ["auth-type without the secret holding the users", { [`${NGINX}/auth-type`]: "basic" }],
    ["an auth-type nginx does not know", { [`${NGINX}/auth-type`]: "token", [`${NGINX}/auth-secret`]: "x" }],
    ["auth-url without auth-signin", { [`${NGINX}/auth-url`]: "https://oauth2.example.com/oauth2/auth" }],
    ["auth-url that is not a URL", { [`${NGINX}/auth-url`]: "oauth2", [`${NGINX}/auth-signin`]: "https://oauth2.example.com/start" }],
    ["a Traefik middleware that is not a CRD reference", { "traefik.ingress.kubernetes.io/router.middlewares": "auth" }],
  ])("refuses %s, naming the key, the recognised patterns and the acknowledgement", (_what, annotations) => {
    expect(recognisedIngressAuth(annotations)).toBeUndefined();
    const problems = problemsOf(k8s({ ...withTls, ingressAuthAnnotations: annotations }));
    expect(problems).toEqual([
      expect.stringMatching(
        /^kubernetes\.ingressAuthAnnotations: configure no authentication the program recognises.*auth-type \(basic or digest\) \+ .*auth-secret.*auth-url \+ .*auth-signin.*router\.middlewares.*kubernetes\.ingressAuthAcknowledged: true$/,
      ),
    ]);
  });

  it("accepts unrecognised annotations once the operator acknowledges them, and refuses an acknowledgement of nothing", () => {
    const custom = { "haproxy.org/auth-type": "basic-auth", "haproxy.org/auth-secret": "obs/basic" };
    expect(problemsOf(k8s({ ...withTls, ingressAuthAnnotations: custom, ingressAuthAcknowledged: true }))).toEqual([]);
    expect(problemsOf(k8s({ ...withTls, ingressAuthAcknowledged: true }))).toEqual([
      expect.stringMatching(/^kubernetes\.ingressAuthAcknowledged: acknowledges kubernetes\.ingressAuthAnnotations, which are not set/),
    ]);
  });
});

describe("Ingress TLS", () => {
  it("requires tlsSecretName or certManagerClusterIssuer for any Ingress, naming both and the escape hatch", () => {
    expect(problemsOf(k8s({ ingressClass: "nginx", ingressDomain: "obs.example.com" }))).toEqual([
      expect.stringMatching(/^kubernetes\.tlsSecretName: is required with kubernetes\.ingressClass \(or set kubernetes\.certManagerClusterIssuer\).*kubernetes\.allowPlainHttpIngress: true/),
    ]);
    expect(problemsOf(k8s({ ingressClass: "nginx", ingressDomain: "obs.example.com", allowPlainHttpIngress: true }))).toEqual([]);
    expect(problemsOf(k8s({ ingressClass: "nginx", ingressDomain: "obs.example.com", certManagerClusterIssuer: "letsencrypt-prod" }))).toEqual([]);
  });

  it("refuses two sources of certificates, and an issuer without Ingress", () => {
    expect(problemsOf(k8s({ ...withTls, certManagerClusterIssuer: "letsencrypt-prod" }))).toEqual([
      expect.stringMatching(/^kubernetes\.certManagerClusterIssuer: and kubernetes\.tlsSecretName both configure the Ingress certificate; set one of them/),
    ]);
    expect(problemsOf(k8s({ certManagerClusterIssuer: "letsencrypt-prod" }))).toEqual([
      expect.stringMatching(/^kubernetes\.certManagerClusterIssuer: needs kubernetes\.ingressClass and kubernetes\.ingressDomain/),
    ]);
  });

  it("with cert-manager: every Ingress carries the issuer annotation and a TLS section with its own Secret, and URLs are https", async () => {
    const auth = { [`${NGINX}/auth-type`]: "basic", [`${NGINX}/auth-secret`]: "obs-basic-auth" };
    const run = await runWith(
      k8s({ ingressClass: "nginx", ingressDomain: "obs.example.com", certManagerClusterIssuer: "letsencrypt-prod", ingressAuthAnnotations: auth }),
      [],
      "prod",
    );
    type Ingress = { metadata: { annotations?: Record<string, string> }; spec: { tls?: { hosts: string[]; secretName: string }[] } };
    const ingresses = ofType(run, INGRESS).map((r) => [r.name, r.inputs as unknown as Ingress] as const);
    expect(ingresses.map(([n]) => n).sort()).toEqual(["alertmanager-ingress", "grafana-ingress", "prometheus-ingress"]);
    for (const [name, ingress] of ingresses) {
      const service = name.replace(/-ingress$/, "");
      expect(ingress.metadata.annotations?.["cert-manager.io/cluster-issuer"]).toBe("letsencrypt-prod");
      expect(ingress.spec.tls).toEqual([{ hosts: [`${service}.obs.example.com`], secretName: `${service}-tls` }]);
    }
    // Prometheus and Alertmanager also carry the authentication; Grafana keeps its own login.
    expect((named(run, INGRESS, "prometheus-ingress").inputs as unknown as Ingress).metadata.annotations).toMatchObject(auth);
    expect((named(run, INGRESS, "grafana-ingress").inputs as unknown as Ingress).metadata.annotations).toEqual({ "cert-manager.io/cluster-issuer": "letsencrypt-prod" });
    expect((run.outputs.urls as Record<string, string>).prometheus).toBe("https://prometheus.obs.example.com");
  });
});
