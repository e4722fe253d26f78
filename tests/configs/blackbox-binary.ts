/** Debian's blackbox_exporter binary, for checking rendered module files. */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

export const BLACKBOX_BINARY = "/usr/bin/prometheus-blackbox-exporter";

/** `--config.check` of a module file: exit status and output. */
export function blackboxConfigCheck(content: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "blackbox-"));
  try {
    const file = join(dir, "blackbox.yml");
    writeFileSync(file, content);
    const r = spawnSync(BLACKBOX_BINARY, ["--config.check", `--config.file=${file}`], { encoding: "utf8", timeout: 30_000 });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
