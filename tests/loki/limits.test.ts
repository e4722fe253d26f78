/**
 * Loki's per-tenant limits (seed 002: `ingestion_rate_mb`): Loki's own
 * defaults written out, each one settable through `loki.limits`, checked
 * before deploy, and carried into the loki.yml the stack ships.
 */
import { parse } from "yaml";
import { LOKI_DEFAULT_LIMITS, lokiConfigFiles } from "../../configs/loki/loki";
import { runWith } from "../stack/harness";
import { problemsOf } from "../settings/problems";

const limitsOf = (content: string) => parse(content).limits_config;

describe("Loki per-tenant limits", () => {
  it("renders Loki's defaults when nothing is set", () => {
    const [file] = lokiConfigFiles({ retention: "168h", alertmanagerUrls: ["http://alertmanager:9093"], memoryLimitMb: 1024 });
    expect(limitsOf(file.content)).toMatchObject({ ingestion_rate_mb: 4, ingestion_burst_size_mb: 6, max_global_streams_per_user: 5000, max_entries_limit_per_query: 5000 });
    expect(LOKI_DEFAULT_LIMITS).toEqual({ ingestionRateMb: 4, ingestionBurstSizeMb: 6, maxGlobalStreamsPerUser: 5000, maxEntriesLimitPerQuery: 5000 });
  });

  it("ships a team's limits (seed 002's 100 MB/s) in the stack's loki.yml", async () => {
    const run = await runWith({ loki: { limits: { ingestionRateMb: 100, ingestionBurstSizeMb: 150, maxGlobalStreamsPerUser: 20000 } } });
    const file = run.stack.files.find((f) => f.path === "loki/loki.yml");
    expect(limitsOf(file?.content ?? "")).toMatchObject({ ingestion_rate_mb: 100, ingestion_burst_size_mb: 150, max_global_streams_per_user: 20000, max_entries_limit_per_query: 5000 });
  });

  it("refuses a burst smaller than one second of the rate", () => {
    expect(problemsOf({ loki: { limits: { ingestionRateMb: 100 } } })).toEqual([
      "loki.limits.ingestionBurstSizeMb: 6 is below loki.limits.ingestionRateMb 100; a burst must hold at least one second of the allowed rate (Loki's defaults: 4 and 6)",
    ]);
  });

  it("refuses a limit of the wrong type or out of range, at its key", () => {
    expect(problemsOf({ loki: { limits: { maxGlobalStreamsPerUser: 0 } } })).toEqual([expect.stringMatching(/^loki\.limits\.maxGlobalStreamsPerUser: 0 is out of range/)]);
    expect(problemsOf({ loki: { limits: { ingestionRateMb: "fast" } } })).toEqual([expect.stringMatching(/^loki\.limits\.ingestionRateMb: must be a number/)]);
  });
});
