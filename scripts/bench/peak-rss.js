// @ts-check
/**
 * Preload (`node -r scripts/bench/peak-rss.js`) for the benchmark: at exit,
 * writes this process's peak resident set size in KiB (getrusage's ru_maxrss)
 * to the file named by PEAK_RSS_FILE. Every measured command and the floor
 * carry it alike.
 */
"use strict";
const fs = require("fs");

const file = process.env.PEAK_RSS_FILE;
if (file) process.on("exit", () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
