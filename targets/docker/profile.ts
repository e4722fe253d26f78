import type { PlatformProfile } from "../../configs/platform";

/** The Docker engine: one host, cAdvisor and the log agent read the engine's API through the read-only proxy. */
export const DOCKER_PROFILE: PlatformProfile = {
  kind: "docker",
  containerMetrics: "cadvisor",
  objectState: false,
  logSource: "docker-api",
  discovery: "service-name",
  perNodeAgents: false,
  nodeAgentsAuthenticated: false,
  replicas: false,
  // Named volumes share the host's disk, which the host rules watch.
  sizedVolumes: false,
  // prometheus, alertmanager, loki, tempo, collector, log agent, node-exporter, cadvisor, blackbox, grafana, Docker API proxy
  stackContainers: 11,
  alwaysProduction: false,
  configMaps: false,
  publishing: "host-ports",
  namespaces: false,
  containerExec: "docker",
  clusterComponents: false,
};
