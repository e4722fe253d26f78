import { estimateSizing } from "../../sizing/model";
import { validateSettings } from "../../settings/validate";
import { problemsOf } from "../settings/problems";

const objectStorage = { endpoint: "minio.storage:9000", lokiBucket: "tutordex-logs", tempoBucket: "tutordex-traces", forcePathStyle: true, accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example-secret" };
// 50 GB of logs a day for 30 days and 2,000 spans/s for 14 days: far beyond a 10 GiB volume.
const heavy = { target: "kubernetes", loki: { expectedLogBytesPerDay: 50e9, retention: "720h", storageGi: 10 }, tempo: { expectedSpansPerSecond: 2000, retention: "336h", storageGi: 10 } };

describe("volume sizing with object storage", () => {
  it("refuses volumes that cannot hold the retention while Loki and Tempo keep it on disk", () => {
    const problems = problemsOf(heavy);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^loki\.storageGi: /), expect.stringMatching(/^tempo\.storageGi: /)]));
  });

  it("holds Loki's volume against its WAL only, and Tempo's against nothing, once the data is in the bucket", () => {
    expect(problemsOf({ ...heavy, objectStorage }, ["objectStorage"])).toEqual([]);
    const rows = estimateSizing(validateSettings({ values: { ...heavy, objectStorage }, secretKeys: new Set(["objectStorage"]) })).rows;
    const loki = rows.find((r) => r.store === "loki" && r.resource === "disk")!;
    // Two hours of the day's volume (LOKI_DISK.walHoldSeconds), uncompressed.
    expect(loki.expectedBytes).toBeCloseTo((50e9 * 2) / 24, -3);
    expect(loki.basis).toMatch(/WAL only \(chunks and index in objectStorage\.lokiBucket\)/);
    const tempo = rows.find((r) => r.store === "tempo" && r.resource === "disk")!;
    expect(tempo.expectedBytes).toBeUndefined();
    expect(tempo.basis).toMatch(/blocks in objectStorage\.tempoBucket/);
  });
});
