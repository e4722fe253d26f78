// Validates Kubernetes manifests (a JSON array on stdin) against the OpenAPI
// schema that `kubernetes-models` ships (resource.k8s.io/v1 included, i.e.
// Kubernetes 1.34). The package is ESM-only, so jest runs this in a child
// process. Prints a JSON array of { index, kind, name, error }.
import { readFileSync } from "node:fs";

const manifests = JSON.parse(readFileSync(0, "utf8"));
const problems = [];
for (const [index, m] of manifests.entries()) {
  const name = m?.metadata?.name;
  try {
    const [group, version] = m.apiVersion.includes("/") ? m.apiVersion.split("/") : [undefined, m.apiVersion];
    const mod = await import(`kubernetes-models/${group ? `${group}/` : ""}${version}/${m.kind}`);
    const Model = mod[m.kind];
    if (!Model) throw new Error(`no model for ${m.apiVersion} ${m.kind}`);
    new Model(m).validate();
  } catch (e) {
    problems.push({ index, kind: m?.kind, name, error: String(e?.message ?? e).slice(0, 2000) });
  }
}
process.stdout.write(JSON.stringify(problems));
