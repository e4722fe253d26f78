/**
 * Grafana on Kubernetes runs with a read-only root filesystem: every place it
 * writes must be a writable mount. Where Grafana writes is taken from upstream
 * (see GRAFANA_PATHS_ENV in components/grafana.ts for the sources): the
 * `paths.data`, `paths.plugins` and `paths.logs` the image entrypoint passes
 * from GF_PATHS_*, file logging only when GF_LOG_MODE names `file`, and the
 * OS temp dir (/tmp). No Grafana binary runs here, so this reads the rendered
 * StatefulSet.
 */
import * as path from "path";
import { GRAFANA_DATA_DIR } from "../../components/grafana";
import type { ProgramRun } from "../../render/run";
import { rawNamed, runWith } from "../stack/harness";

type Mount = { name: string; mountPath: string; readOnly?: boolean };
type Volume = { name: string; emptyDir?: object; persistentVolumeClaim?: object; projected?: object };
interface GrafanaSts {
  spec: {
    template: { spec: { volumes: Volume[]; containers: { name: string; env: { name: string; value?: string }[]; volumeMounts: Mount[]; securityContext: { readOnlyRootFilesystem: boolean } }[] } };
    volumeClaimTemplates?: { metadata: { name: string } }[];
  };
}

/** The OS temp dir of Grafana's process (no TMPDIR is set): Go's os.TempDir and SQLite both fall back to /tmp. */
const OS_TEMP_DIR = "/tmp";

let run: ProgramRun;
let sts: GrafanaSts;
const container = () => sts.spec.template.spec.containers.find((c) => c.name === "grafana")!;
const env = (name: string) => container().env.find((e) => e.name === name)?.value;

beforeAll(async () => {
  run = await runWith({ target: "kubernetes", kubernetes: { namespace: "obs" } }, [], "prod");
  sts = rawNamed(run, "kubernetes:apps/v1:StatefulSet", "grafana") as unknown as GrafanaSts;
});

type Env = { name: string; value?: string }[];

/** Paths Grafana writes to, given its environment. */
function writePaths(vars: Env): string[] {
  const get = (name: string) => vars.find((e) => e.name === name)?.value;
  const modes = (get("GF_LOG_MODE") ?? "console file").split(/\s+/);
  const paths = [get("GF_PATHS_DATA"), get("GF_PATHS_PLUGINS"), ...(modes.includes("file") ? [get("GF_PATHS_LOGS")] : []), OS_TEMP_DIR];
  if (paths.some((p) => p === undefined)) throw new Error(`a GF_PATHS_* variable is unset: ${JSON.stringify(vars)}`);
  return paths as string[];
}

/** Mounts Grafana may write to: read-write PVCs and emptyDirs (ConfigMap/Secret projections are read-only by nature). */
function writableMounts(): Mount[] {
  const claims = new Set((sts.spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name));
  const emptyDirs = new Set(sts.spec.template.spec.volumes.filter((v) => v.emptyDir).map((v) => v.name));
  return container().volumeMounts.filter((m) => !m.readOnly && (claims.has(m.name) || emptyDirs.has(m.name)));
}

const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

/** Write paths of `vars` that no writable mount holds. */
function homeless(vars: Env): string[] {
  const writable = writableMounts();
  return writePaths(vars).filter((p) => !writable.some((m) => under(path.posix.normalize(p), m.mountPath)));
}

describe("Grafana with a read-only root filesystem (Kubernetes)", () => {
  it("runs with the root filesystem read-only", () => {
    expect(container().securityContext.readOnlyRootFilesystem).toBe(true);
  });

  it("pins data, plugins and logs to the data volume instead of the image's defaults", () => {
    expect([env("GF_PATHS_DATA"), env("GF_PATHS_PLUGINS"), env("GF_PATHS_LOGS")]).toEqual([GRAFANA_DATA_DIR, `${GRAFANA_DATA_DIR}/plugins`, `${GRAFANA_DATA_DIR}/log`]);
    expect(env("GF_LOG_MODE")).toBe("console");
  });

  it("writes only to writable mounts: the data PVC and the /tmp emptyDir", () => {
    const writable = writableMounts();
    expect(writable.map((m) => m.mountPath).sort()).toEqual([OS_TEMP_DIR, GRAFANA_DATA_DIR]);
    expect(homeless(container().env)).toEqual([]);
  });

  it("reads provisioning and dashboards from read-only mounts", () => {
    const provisioning = env("GF_PATHS_PROVISIONING")!;
    const configMounts = container().volumeMounts.filter((m) => under(m.mountPath, provisioning) || m.mountPath.includes("dashboards"));
    expect(configMounts.length).toBeGreaterThan(0);
    for (const m of configMounts) expect({ path: m.mountPath, readOnly: m.readOnly }).toEqual({ path: m.mountPath, readOnly: true });
  });

  it("would catch a write path off the volumes (the check is not vacuous)", () => {
    const fileLogsOnRoot = [
      ...container().env.filter((e) => e.name !== "GF_LOG_MODE" && e.name !== "GF_PATHS_LOGS"),
      { name: "GF_LOG_MODE", value: "console file" },
      { name: "GF_PATHS_LOGS", value: "/var/log/grafana" },
    ];
    expect(homeless(fileLogsOnRoot)).toEqual(["/var/log/grafana"]);
  });
});
