/** The project directory and the TutorDex fixture stacks (owned by e2e/stack-config.ts, which the live suite and benchmark share). */
export { FIXTURE_STACKS_DIR, PROJECT_DIR } from "../../e2e/stack-config";
