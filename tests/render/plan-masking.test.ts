/**
 * plan.json masks each secret where the program put it: one secret file among a container's uploads masks
 * that file's content, not the list (the engine keeps secrets on the element; the mock monitor would hoist them).
 */
import { maskInputs, SECRET_MASK } from "../../render/run";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({ [SIG]: SECRET, value });

describe("plan.json secret masking", () => {
  it("masks only the secret element of a list the mock monitor hoisted to secret whole", () => {
    const deserialised = { uploads: secret([{ file: "/a", content: "dashboard" }, { file: "/b", content: "hunter2" }]) };
    const serialised = { uploads: [{ file: "/a", content: "dashboard" }, { file: "/b", content: secret("hunter2") }] };
    expect(maskInputs(deserialised, serialised)).toEqual({ uploads: [{ file: "/a", content: "dashboard" }, { file: "/b", content: SECRET_MASK }] });
  });

  it("keeps an input that is secret as a whole masked whole", () => {
    expect(maskInputs({ auth: secret("token") }, { auth: secret("token") })).toEqual({ auth: SECRET_MASK });
  });

  it("masks the hoisted value whole when the serialised form is unknown", () => {
    expect(maskInputs({ envs: secret(["A=1"]) }, undefined)).toEqual({ envs: SECRET_MASK });
  });
});
