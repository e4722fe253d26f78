import { problemsOf } from "./problems";

/** A complete objectStorage block; credentials are secrets, so the top-level key is held as one. */
const storage = { endpoint: "minio.storage:9000", lokiBucket: "tutordex-logs", tempoBucket: "tutordex-traces", forcePathStyle: true, insecure: true, accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example-secret" };
const k8s = { target: "kubernetes" };

describe("objectStorage and loki.replicas settings", () => {
  it("accept a complete bucket setup, HA Loki on Kubernetes, and object storage alone on Docker", () => {
    expect(problemsOf({ ...k8s, loki: { replicas: 3 }, objectStorage: storage }, ["objectStorage"])).toEqual([]);
    expect(problemsOf({ ...k8s, loki: { replicas: 5 }, objectStorage: { ...storage, tempoBucket: "tutordex-logs" } }, ["objectStorage"])).toEqual([]);
    expect(problemsOf({ target: "docker", objectStorage: { ...storage, endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1", forcePathStyle: false, insecure: false } }, ["objectStorage"])).toEqual([]);
  });

  const cases: [string, Record<string, unknown>, string[], RegExp][] = [
    ["credentials stored in plain text", { objectStorage: storage }, [], /^objectStorage\.accessKeyId: is stored in plain text in the stack file; remove it and set it with: pulumi config set --secret --path 'observability:objectStorage\.accessKeyId'/],
    ["an endpoint with a scheme", { objectStorage: { ...storage, endpoint: "https://s3.amazonaws.com" } }, ["objectStorage"], /^objectStorage\.endpoint: "https:\/\/s3\.amazonaws\.com" is not valid: it has a scheme; give host or host:port only.*objectStorage\.insecure/],
    ["an endpoint with a path", { objectStorage: { ...storage, endpoint: "minio:9000/bucket" } }, ["objectStorage"], /^objectStorage\.endpoint: "minio:9000\/bucket" is not valid: expected host or host:port without a path/],
    ["an endpoint port out of range", { objectStorage: { ...storage, endpoint: "minio:70000" } }, ["objectStorage"], /^objectStorage\.endpoint: "minio:70000" is not valid: port 70000 is outside 1-65535/],
    ["a bucket with upper-case letters", { objectStorage: { ...storage, lokiBucket: "TutorDex-Logs" } }, ["objectStorage"], /^objectStorage\.lokiBucket: "TutorDex-Logs" is not valid: a bucket name has 3-63 characters of lower-case letters/],
    ["a bucket name too short", { objectStorage: { ...storage, tempoBucket: "tr" } }, ["objectStorage"], /^objectStorage\.tempoBucket: "tr" is not valid: it is 2 characters; a bucket name has 3-63/],
    ["a bucket that looks like an IP address", { objectStorage: { ...storage, tempoBucket: "192.168.1.10" } }, ["objectStorage"], /^objectStorage\.tempoBucket: "192\.168\.1\.10" is not valid: it looks like an IP address/],
    ["a bucket with adjacent periods", { objectStorage: { ...storage, lokiBucket: "logs..prod" } }, ["objectStorage"], /^objectStorage\.lokiBucket: "logs\.\.prod" is not valid: it has two adjacent periods/],
    ["a bucket with a reserved prefix", { objectStorage: { ...storage, lokiBucket: "xn--logs" } }, ["objectStorage"], /^objectStorage\.lokiBucket: "xn--logs" is not valid: it starts with a prefix S3 reserves/],
    ["a region with spaces", { objectStorage: { ...storage, region: "eu west" } }, ["objectStorage"], /^objectStorage\.region: "eu west" is not valid; expected a region name such as eu-west-1/],
    ["a bucket without an endpoint", { objectStorage: { lokiBucket: "tutordex-logs" } }, [], /^objectStorage\.lokiBucket: is set but objectStorage\.endpoint is not; set the endpoint/],
    ["an endpoint without Loki's bucket", { objectStorage: { ...storage, lokiBucket: undefined } }, ["objectStorage"], /^objectStorage\.lokiBucket: is required with objectStorage\.endpoint: a bucket name such as tutordex-logs/],
    ["an endpoint without credentials", { objectStorage: { endpoint: "minio:9000", lokiBucket: "logs-a", tempoBucket: "traces-a" } }, [], /^objectStorage\.secretAccessKey: is required with objectStorage\.endpoint; set it with: pulumi config set --secret --path 'observability:objectStorage\.secretAccessKey'/],
    ["HA Loki without object storage", { ...k8s, loki: { replicas: 3 } }, [], /^loki\.replicas: is 3, which needs objectStorage \(endpoint, lokiBucket, credentials\)/],
    ["two Loki replicas", { ...k8s, loki: { replicas: 2 }, objectStorage: storage }, ["objectStorage"], /^loki\.replicas: is 2; HA mode keeps 3 copies of every stream and needs at least 3 replicas.*Use 1, or 3 or more/],
    ["several Loki replicas on Docker", { target: "docker", loki: { replicas: 3 }, objectStorage: storage }, ["objectStorage"], /^loki\.replicas: is 3, but the Docker target runs one Loki; set 1/],
    ["zero Loki replicas", { ...k8s, loki: { replicas: 0 } }, [], /^loki\.replicas: /],
  ];
  it.each(cases)("reject %s, naming the key and what would be valid", (_what, values, secret, expected) => {
    expect(problemsOf(values, secret)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it("blame a bad endpoint alone, not the keys that need it", () => {
    const problems = problemsOf({ objectStorage: { ...storage, endpoint: "https://minio" } }, ["objectStorage"]);
    expect(problems).toEqual([expect.stringMatching(/^objectStorage\.endpoint: /)]);
  });

  it("report every problem of the block at once", () => {
    const problems = problemsOf({ ...k8s, loki: { replicas: 2 }, objectStorage: { endpoint: "https://minio", lokiBucket: "A" } });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^objectStorage\.endpoint: /),
        expect.stringMatching(/^objectStorage\.lokiBucket: /),
        expect.stringMatching(/^loki\.replicas: is 2;/),
      ]),
    );
  });
});
