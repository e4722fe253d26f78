import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../settings/schema";
import { DockerTarget } from "./docker";
import { KubernetesTarget } from "./kubernetes";
import type { Target } from "./target";

/** The target the stack config names, created as a child of `parent`. */
export function createTarget(settings: Settings, labels: Record<string, string>, parent?: pulumi.Resource): Target {
  const opts = parent ? { parent } : undefined;
  switch (settings.target) {
    case "docker":
      return new DockerTarget("docker", { ...settings.docker, labels }, opts);
    case "kubernetes":
      return new KubernetesTarget("kubernetes", { ...settings.kubernetes, labels }, opts);
  }
}
