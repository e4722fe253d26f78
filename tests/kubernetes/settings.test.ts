import { problemsOf } from "../settings/problems";
import { validateSettings } from "../../settings/validate";

describe("kubernetes settings", () => {
  it("default the node namespace from the main one and the ingress namespace to ingress-nginx", () => {
    const s = validateSettings({ values: { target: "kubernetes", kubernetes: { namespace: "obs" } }, secretKeys: new Set() });
    expect(s.kubernetes.nodeNamespace).toBeUndefined();
    expect(s.kubernetes.ingressNamespace).toBe("ingress-nginx");
    expect(s.kubernetes.clusterDomain).toBe("cluster.local");
    // Secure by default: no authentication annotations (so no Ingress for Prometheus/Alertmanager),
    // and kubelet certificates not verified (self-signed on kubeadm/kind).
    expect(s.kubernetes.ingressAuthAnnotations).toEqual({});
    expect(s.kubernetes.kubeletTlsVerify).toBe(false);
  });

  it("accept ingress-nginx authentication annotations with an Ingress configured", () => {
    const ingressAuthAnnotations = { "nginx.ingress.kubernetes.io/auth-url": "https://oauth2.example.com/oauth2/auth", "nginx.ingress.kubernetes.io/auth-signin": "https://oauth2.example.com/oauth2/start?rd=$escaped_request_uri" };
    expect(problemsOf({ target: "kubernetes", kubernetes: { ingressClass: "nginx", ingressDomain: "obs.example.com", tlsSecretName: "wildcard", ingressAuthAnnotations } })).toEqual([]);
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      "a node namespace equal to the stack's, which would put the stack at privileged",
      { target: "kubernetes", kubernetes: { namespace: "obs", nodeNamespace: "obs" } },
      /^kubernetes\.nodeNamespace: must differ from kubernetes\.namespace \('obs'\).*leave it unset for 'obs-node'/,
    ],
    [
      "an ingress namespace that is one of the stack's own",
      { target: "kubernetes", kubernetes: { namespace: "obs", ingressNamespace: "obs-node" } },
      /^kubernetes\.ingressNamespace: 'obs-node' is one of the stack's own namespaces/,
    ],
    ["a node namespace that is not a DNS label", { target: "kubernetes", kubernetes: { nodeNamespace: "Node_Agents" } }, /^kubernetes\.nodeNamespace: "Node_Agents" is not valid; expected a DNS-1123 label/],
    ["an ingress namespace that is not a DNS label", { target: "kubernetes", kubernetes: { ingressNamespace: "ingress nginx" } }, /^kubernetes\.ingressNamespace: "ingress nginx" is not valid; expected a DNS-1123 label/],
    ["a cluster domain with a trailing dot", { target: "kubernetes", kubernetes: { clusterDomain: "cluster.local." } }, /^kubernetes\.clusterDomain: "cluster\.local\." is not valid; expected a DNS name such as cluster\.local/],
    [
      "authentication annotations without an Ingress to put them on",
      { target: "kubernetes", kubernetes: { ingressAuthAnnotations: { "nginx.ingress.kubernetes.io/auth-type": "basic" } } },
      /^kubernetes\.ingressAuthAnnotations: needs kubernetes\.ingressClass and kubernetes\.ingressDomain/,
    ],
    [
      "an annotation key the API server would refuse",
      { target: "kubernetes", kubernetes: { ingressClass: "nginx", ingressDomain: "obs.example.com", ingressAuthAnnotations: { "nginx.ingress.kubernetes.io/auth type": "basic" } } },
      /^kubernetes\.ingressAuthAnnotations\.nginx\.ingress\.kubernetes\.io\/auth type: is not a valid annotation key.*e\.g\. nginx\.ingress\.kubernetes\.io\/auth-url/,
    ],
    [
      "an empty annotation value",
      { target: "kubernetes", kubernetes: { ingressClass: "nginx", ingressDomain: "obs.example.com", ingressAuthAnnotations: { "nginx.ingress.kubernetes.io/auth-secret": " " } } },
      /^kubernetes\.ingressAuthAnnotations\.nginx\.ingress\.kubernetes\.io\/auth-secret: is empty/,
    ],
    ["a non-string annotation value", { target: "kubernetes", kubernetes: { ingressAuthAnnotations: { "a/b": 3 } } }, /^kubernetes\.ingressAuthAnnotations\.a\/b: must be a string/],
    ["a kubeletTlsVerify that is not a boolean", { target: "kubernetes", kubernetes: { kubeletTlsVerify: "yes" } }, /^kubernetes\.kubeletTlsVerify: must be/],
  ];
  it.each(cases)("reject %s, naming the key and what would be valid", (_what, values, expected) => {
    expect(problemsOf(values)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});
