/** Specs live under tests/, one folder per concern (settings, stack, render, rules, alertmanager, configs, dashboards). */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testTimeout: 120000,
  transform: { "^.+\\.ts$": ["ts-jest", {}] },
};
