// @ts-check
/**
 * Preload (`node -r scripts/bench/process-usage.js`) for the benchmark: at
 * exit, writes this process's peak resident set size in KiB (getrusage's
 * ru_maxrss) and its CPU time (user + system) in ms, as JSON, to the file
 * named by PROCESS_USAGE_FILE. Every measured command and the floor carry it alike.
 */
"use strict";
const fs = require("fs");

const file = process.env.PROCESS_USAGE_FILE;
if (file) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    fs.writeFileSync(file, JSON.stringify({ peakRssKiB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
  });
}
