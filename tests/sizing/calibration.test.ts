/**
 * The sizing model against a real Prometheus (Debian's `prometheus`, on
 * loopback): for 10 to 300 generated targets, what it measures after a fixed
 * time (head series, resident memory, bytes on disk) is within ±30 % of what
 * the model predicts for the same load.
 */
import { measure, type CalibrationMeasurement, type CalibrationRun } from "../../e2e/sizing-calibration";
import { SERIES_PER_SCRAPE_TARGET } from "../../sizing/figures";
import { prometheusMemoryBytes, prometheusWalBytes } from "../../sizing/model";

const TOLERANCE = 0.3;
const POINTS: CalibrationRun[] = [
  { targets: 10, seriesPerTarget: 100, scrapeIntervalSeconds: 1, seconds: 15 },
  { targets: 100, seriesPerTarget: 100, scrapeIntervalSeconds: 1, seconds: 15 },
  { targets: 300, seriesPerTarget: 100, scrapeIntervalSeconds: 1, seconds: 15 },
];

const within = (measured: number, predicted: number) => Math.abs(measured - predicted) / measured;

describe.each(POINTS)("sizing model against Prometheus with $targets targets of $seriesPerTarget series", (point) => {
  let m: CalibrationMeasurement;
  beforeAll(async () => {
    m = await measure(point);
  }, 90_000);

  const scrapedSeries = point.targets * (point.seriesPerTarget + SERIES_PER_SCRAPE_TARGET);

  it("holds the series the model counts (the targets' own plus five per target)", () => {
    // The head also holds nothing else: Prometheus does not scrape itself here.
    expect(m.headSeries).toBe(scrapedSeries);
  });

  it("uses resident memory within ±30 % of the model", () => {
    expect(within(m.rssBytes, prometheusMemoryBytes(m.headSeries, m.targets))).toBeLessThan(TOLERANCE);
  });

  it("writes TSDB bytes within ±30 % of the model for the samples it appended", () => {
    expect(m.samplesAppended).toBeGreaterThan(scrapedSeries);
    expect(within(m.tsdbBytes, prometheusWalBytes(m.headSeries, m.samplesAppended))).toBeLessThan(TOLERANCE);
  });
});
