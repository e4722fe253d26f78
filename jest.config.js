/** Tests sit beside nothing: they live in tests/, named after what they specify. */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testTimeout: 120000,
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true }] },
};
