/**
 * A Prometheus remote-write 1.0 request body: a protobuf `WriteRequest`
 * (prometheus/prompb/remote.proto, types.proto), snappy block-compressed, as
 * `POST /api/v1/write` expects (Content-Encoding: snappy,
 * Content-Type: application/x-protobuf). Written by hand because it is small
 * and no snappy encoder is installed: the snappy block format lets a body be
 * one literal, so nothing is actually compressed.
 */

export interface WriteSeries {
  /** Labels including `__name__`. */
  readonly labels: Readonly<Record<string, string>>;
  /** [timestamp ms, value] pairs. */
  readonly samples: readonly (readonly [number, number])[];
}

/** Headers remote-write 1.0 requires. */
export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = {
  "Content-Encoding": "snappy",
  "Content-Type": "application/x-protobuf",
  "X-Prometheus-Remote-Write-Version": "0.1.0",
};

function varint(n: bigint): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

/** A length-delimited field (wire type 2). */
function bytesField(field: number, payload: Buffer): Buffer {
  return Buffer.concat([varint(BigInt((field << 3) | 2)), varint(BigInt(payload.length)), payload]);
}

function label(name: string, value: string): Buffer {
  return Buffer.concat([bytesField(1, Buffer.from(name, "utf8")), bytesField(2, Buffer.from(value, "utf8"))]);
}

function sample(timestampMs: number, value: number): Buffer {
  const double = Buffer.alloc(8);
  double.writeDoubleLE(value);
  // Sample: value = 1 (fixed64, wire type 1), timestamp = 2 (int64 varint).
  return Buffer.concat([Buffer.from([(1 << 3) | 1]), double, Buffer.from([(2 << 3) | 0]), varint(BigInt(timestampMs))]);
}

/** Snappy block format with the whole input as one literal: varint length, literal tag, bytes. */
function snappyLiteral(data: Buffer): Buffer {
  const n = data.length - 1;
  let tag: Buffer;
  if (n < 60) tag = Buffer.from([n << 2]);
  else {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(n);
    tag = Buffer.concat([Buffer.from([63 << 2]), len]);
  }
  return Buffer.concat([varint(BigInt(data.length)), tag, data]);
}

/** The compressed body of one remote-write request. Labels are sent sorted by name, as the protocol requires. */
export function remoteWriteBody(series: readonly WriteSeries[]): Buffer {
  const request = Buffer.concat(
    series.map((s) => {
      const labels = Object.keys(s.labels)
        .sort()
        .map((k) => bytesField(1, label(k, s.labels[k])));
      const samples = s.samples.map(([t, v]) => bytesField(2, sample(t, v)));
      return bytesField(1, Buffer.concat([...labels, ...samples]));
    }),
  );
  return snappyLiteral(request);
}
