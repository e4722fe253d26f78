import * as path from "path";

/** The project directory (Pulumi.yaml, the committed stack files a user edits). */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/**
 * The tests' own stack files: the TutorDex `dev` and `prod` stacks the suite's
 * assertions are about. Render them with `renderStack(PROJECT_DIR, name, { stacksDir: FIXTURE_STACKS_DIR })`.
 * The project's `Pulumi.<stack>.yaml` files belong to the user and are only
 * checked for validity (tests/render/committed-stacks.test.ts).
 */
export const FIXTURE_STACKS_DIR = path.join(__dirname, "..", "fixtures", "stacks");
