import type { PlatformProfile } from "../../configs/platform";

/** A Kubernetes cluster: node agents as DaemonSets, the kubelet's cAdvisor, kube-state-metrics, pod discovery. */
export const KUBERNETES_PROFILE: PlatformProfile = {
  kind: "kubernetes",
  containerMetrics: "kubelet",
  objectState: true,
  logSource: "pod-log-files",
  discovery: "kubernetes-api",
  perNodeAgents: true,
  // node-exporter shares the node's network: kube-rbac-proxy in front of it.
  nodeAgentsAuthenticated: true,
  replicas: true,
  sizedVolumes: true,
  alwaysProduction: true,
  configMaps: true,
  publishing: "ingress",
  namespaces: true,
  containerExec: "kubectl",
  clusterComponents: true,
};
