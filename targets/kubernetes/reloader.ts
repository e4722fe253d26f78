import type * as k8s from "@pulumi/kubernetes";
import { IMAGES } from "../../versions";

/** configmap-reload's own metrics/health listener (its default). */
export const RELOADER_PORT = 9533;
export const RELOADER_CONTAINER = "config-reloader";
const RELOADER_UID = 65534;

/**
 * A sidecar that watches the pod's mounted ConfigMap directories and POSTs
 * the service's reload endpoint when the kubelet swaps in new content, so a
 * config change applies without a restart. It mounts, read-only, only the
 * volumes it is given: the target never gives it one that carries a Secret.
 */
export function reloaderSidecar(
  reload: { readonly path: string; readonly port: number },
  mounts: readonly k8s.types.input.core.v1.VolumeMount[],
): k8s.types.input.core.v1.Container {
  const dirs = mounts.map((m) => m.mountPath as string);
  const probe = { httpGet: { path: "/metrics", port: RELOADER_PORT }, timeoutSeconds: 5 };
  return {
    name: RELOADER_CONTAINER,
    image: IMAGES.configReloader,
    args: [
      ...dirs.map((d) => `--volume-dir=${d}`),
      // Same pod, same network namespace: loopback reaches the main container.
      `--webhook-url=http://127.0.0.1:${reload.port}${reload.path}`,
      "--webhook-method=POST",
      `--web.listen-address=:${RELOADER_PORT}`,
    ],
    ports: [{ name: "reloader", containerPort: RELOADER_PORT }],
    volumeMounts: mounts.map((m) => ({ ...m, readOnly: true })),
    readinessProbe: { ...probe, periodSeconds: 30 },
    livenessProbe: { ...probe, periodSeconds: 60, failureThreshold: 3 },
    resources: { requests: { cpu: "5m", memory: "16Mi" }, limits: { memory: "32Mi" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: RELOADER_UID,
      runAsGroup: RELOADER_UID,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}
