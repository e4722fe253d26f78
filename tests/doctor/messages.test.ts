/**
 * What doctor says when it cannot start, in the user's terms.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { PROJECT_DIR } from "../support/stacks";

const DOCTOR = path.join(PROJECT_DIR, "scripts", "doctor.ts");

describe("npm run doctor without the Pulumi CLI", () => {
  it("says the pulumi CLI is not found (not `spawnSync pulumi ENOENT`) and how to go on without it, exit 2", () => {
    // PATH holds only node's own directory: no pulumi there.
    const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", DOCTOR, "dev"], {
      cwd: PROJECT_DIR,
      encoding: "utf8",
      env: { PATH: path.dirname(process.execPath), HOME: process.env.HOME ?? "/tmp" },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("cannot read the outputs of stack 'dev' (pulumi CLI not found: install it from https://www.pulumi.com/docs/install/); pass --urls <file> or set OBSERVABILITY_URLS");
    expect(r.stderr).not.toContain("ENOENT");
  });
});
