import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../settings/schema";
import type { PlatformProfile } from "../configs/platform";
import { DOCKER_PROFILE } from "./docker/profile";
import { KUBERNETES_PROFILE } from "./kubernetes/profile";
import type { Target } from "./target";

/** Each target's platform profile, by the stack config's `target` (data only: no provider SDK loads). */
export const PLATFORM_PROFILES: Readonly<Record<Settings["target"], PlatformProfile>> = { docker: DOCKER_PROFILE, kubernetes: KUBERNETES_PROFILE };

// Each target loads its provider SDK (@pulumi/docker, @pulumi/kubernetes: hundreds of
// modules) only when the stack runs on it: a dev preview never loads Kubernetes' SDK.
const loadDocker = () => require("./docker") as typeof import("./docker");
const loadKubernetes = () => require("./kubernetes") as typeof import("./kubernetes");

/** The target the stack config names, created as a child of `parent`. */
export function createTarget(settings: Settings, labels: Record<string, string>, parent?: pulumi.Resource): Target {
  const opts = parent ? { parent } : undefined;
  switch (settings.target) {
    case "docker":
      return new (loadDocker().DockerTarget)("docker", { ...settings.docker, labels }, opts);
    case "kubernetes":
      return new (loadKubernetes().KubernetesTarget)("kubernetes", { ...settings.kubernetes, labels }, opts);
  }
}
