/**
 * What a provider would compute for a resource, so outputs resolve without a
 * cloud: used by render's mocks and by the benchmark's mock engine, which
 * preloads it before Pulumi's entry starts the program (so it imports nothing
 * of the program: a preload that loaded it would hide its load from the start).
 */
export function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "docker:index/remoteImage:RemoteImage":
      return { ...inputs, imageId: `sha256:${name}` };
    case "random:index/randomPassword:RandomPassword":
      // Render never learns a generated secret; the placeholder marks where it goes.
      return { ...inputs, result: "REDACTED-GENERATED-PASSWORD" };
    default:
      return inputs;
  }
}
