import { execFileSync } from "child_process";
import * as fs from "fs";
import { parse, stringify } from "yaml";
import { withoutRetentionBlock } from "../../e2e/prometheus-242";

/** Run a real checker (promtool, amtool, ...); on failure the test fails with the tool's own output. */
export function check(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const e = err as { code?: string; stdout?: string; stderr?: string };
    if (e.code === "ENOENT") throw new Error(`${cmd} is not installed; run the README's test command (npm test), which installs it`);
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/**
 * `promtool check config` on a rendered prometheus.yml. Debian's promtool is
 * built without Kubernetes service discovery and rejects the key outright, so
 * for a Kubernetes stack it checks a copy (`prometheus.promtool.yml`, beside
 * the original so relative rule paths resolve) without the discovery jobs and
 * with a static stand-in for the discovered Alertmanagers; tests check the
 * discovery jobs' shape themselves. The copy also leaves out the retention
 * block 2.42 does not know (checked against 3.14's keys in tests/verified).
 */
export function promtoolCheckConfig(file: string): string {
  // Prometheus 3.8+'s storage.tsdb.retention block is unknown to 2.42 (e2e/prometheus-242.ts).
  const config = withoutRetentionBlock(parse(fs.readFileSync(file, "utf8")));
  const discovered = (j: Record<string, unknown>) => "kubernetes_sd_configs" in j;
  if (config.scrape_configs.some(discovered)) {
    config.scrape_configs = config.scrape_configs.filter((j: Record<string, unknown>) => !discovered(j));
    config.alerting.alertmanagers = [{ static_configs: [{ targets: ["alertmanager:9093"] }] }];
  }
  const copy = file.replace(/\.yml$/, ".promtool.yml");
  fs.writeFileSync(copy, stringify(config));
  return check("promtool", ["check", "config", copy]);
}
