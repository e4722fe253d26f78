import type * as k8s from "@pulumi/kubernetes";
import type { ServicePort } from "../target";
import { IMAGES } from "../../versions";

/** The image's own non-root user (distroless `nonroot`). */
const RBAC_PROXY_UID = 65532;

/** Where a container that calls the API finds its service-account token, CA and namespace (the kubelet's usual path). */
export const SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * A projected volume with the pod's service-account token, the cluster CA and the namespace: what the
 * kubelet would mount into every container with automountServiceAccountToken. Mounted explicitly, it
 * reaches only the containers that call the API (not reload sidecars, not a proxied exporter).
 */
export const API_TOKEN_VOLUME: k8s.types.input.core.v1.Volume = {
  name: "api-token",
  projected: {
    sources: [
      { serviceAccountToken: { path: "token", expirationSeconds: 3607 } },
      { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
      { downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] } },
    ],
  },
};
export const API_TOKEN_MOUNT: k8s.types.input.core.v1.VolumeMount = { name: "api-token", mountPath: SERVICE_ACCOUNT_MOUNT, readOnly: true };

/** Paths the proxy lets through (after authentication and authorisation); anything else is 404. */
export const RBAC_PROXY_ALLOWED_PATHS = ["/metrics"];

/**
 * kube-rbac-proxy in front of one port of a pod (kube-prometheus' design for node-exporter): it listens on
 * the pod's IP with TLS (a self-signed certificate it generates), authenticates the caller's bearer token
 * (TokenReview), checks that the caller may `get` the request path (SubjectAccessReview on the
 * non-resource URL `/metrics`) and only then forwards to the process on 127.0.0.1 at the same port.
 * With hostNetwork, where NetworkPolicies do not apply, this is what closes the port to everything but
 * Prometheus.
 */
export function rbacProxySidecar(port: ServicePort): k8s.types.input.core.v1.Container {
  return {
    name: `kube-rbac-proxy-${port.name}`,
    image: IMAGES.kubeRbacProxy,
    args: [
      // Brackets keep an IPv6 pod IP valid; Go accepts them around IPv4 too.
      `--secure-listen-address=[$(POD_IP)]:${port.port}`,
      `--upstream=http://127.0.0.1:${port.port}/`,
      `--allow-paths=${RBAC_PROXY_ALLOWED_PATHS.join(",")}`,
      "--tls-min-version=VersionTLS12",
    ],
    env: [{ name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }],
    ports: [{ name: port.name, containerPort: port.port }],
    volumeMounts: [API_TOKEN_MOUNT],
    // Every path but /metrics needs a token the kubelet does not have: a TCP check says the proxy listens.
    readinessProbe: { tcpSocket: { port: port.port }, periodSeconds: 10 },
    livenessProbe: { tcpSocket: { port: port.port }, periodSeconds: 30, failureThreshold: 5 },
    resources: { requests: { cpu: "10m", memory: "20Mi" }, limits: { memory: "64Mi" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: RBAC_PROXY_UID,
      runAsGroup: RBAC_PROXY_UID,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}
