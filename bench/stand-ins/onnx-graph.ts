/**
 * A small ONNX graph builder, for tests and for the benches' labelled stand-in rows: write
 * a model with exactly the input/output names, dtypes and (symbolic) shapes of a real one,
 * compute its outputs with a handful of standard ops over tiny initializers, and load the
 * bytes into onnxruntime-node. Engines are then tested through their production code path
 * without the real weights.
 *
 * ```ts
 * const g = new OnnxGraphBuilder({ opset: 17 });
 * g.input('x', 'float32', ['N', 'T', 560]);            // symbolic dims are strings
 * g.initializer('w', 'float32', [560, 10], weights);
 * g.node('MatMul', ['x', 'w'], ['y']);
 * g.node('Gather', ['table', 'ids'], ['out'], { axis: 0 });
 * g.output('y', 'float32', ['N', 'T', 10]);
 * g.metadata({ vocab_size: '10' });                    // model metadata_props
 * const bytes = g.toBytes();                           // or await g.save(path)
 * ```
 *
 * Attributes are inferred from the JavaScript value: an integer → INT, any other number →
 * FLOAT, a string → STRING, an array of integers → INTS (of other numbers → FLOATS), a
 * `tensor(...)` → TENSOR, another builder → GRAPH (the body of an `If` or `Loop`; it may
 * read names of the enclosing graph). Use `attr.float(1)`, `attr.floats([1, 2])`,
 * `attr.ints([])`, `attr.strings([...])` where the inference would pick the wrong kind.
 *
 * Tensor data goes in as `raw_data`, little-endian (the byte order of every machine this
 * runs on). Only the standard ONNX domain is imported unless `opsetImports` adds others.
 */
import { writeFile } from 'node:fs/promises';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type ModelProto = InstanceType<typeof onnx.ModelProto>;

/** Element types, named as onnxruntime-node names them (`Tensor.type`, `ValueMetadata.type`). */
export type OnnxElementType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string';

const ELEMENT_TYPE_CODES: Record<OnnxElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float64: onnx.TensorProto.DataType.DOUBLE,
  float16: onnx.TensorProto.DataType.FLOAT16,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
  int16: onnx.TensorProto.DataType.INT16,
  uint16: onnx.TensorProto.DataType.UINT16,
  int32: onnx.TensorProto.DataType.INT32,
  uint32: onnx.TensorProto.DataType.UINT32,
  int64: onnx.TensorProto.DataType.INT64,
  uint64: onnx.TensorProto.DataType.UINT64,
  bool: onnx.TensorProto.DataType.BOOL,
  string: onnx.TensorProto.DataType.STRING,
};

/** A fixed size, or a symbolic (named) dimension such as `'batch_size'`. */
export type Dim = number | string;

/** Tensor contents: a typed array of the matching kind, or plain values (converted). */
export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | readonly number[]
  | readonly bigint[]
  | readonly boolean[]
  | readonly string[];

/** A constant tensor (for `initializer`, `Constant`, TENSOR attributes). */
export interface TensorValue {
  readonly kind: 'tensor';
  readonly type: OnnxElementType;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

export function tensor(type: OnnxElementType, dims: readonly number[], data: TensorData): TensorValue {
  return { kind: 'tensor', type, dims, data };
}

interface ExplicitAttribute {
  readonly kind: 'float' | 'floats' | 'ints' | 'strings';
  readonly value: number | readonly number[] | readonly string[];
}

/** Explicit attribute kinds, for values whose inferred kind would be wrong. */
export const attr = {
  float: (value: number): ExplicitAttribute => ({ kind: 'float', value }),
  floats: (value: readonly number[]): ExplicitAttribute => ({ kind: 'floats', value }),
  ints: (value: readonly number[]): ExplicitAttribute => ({ kind: 'ints', value }),
  strings: (value: readonly string[]): ExplicitAttribute => ({ kind: 'strings', value }),
};

export type AttributeValue = number | string | readonly number[] | TensorValue | ExplicitAttribute | OnnxGraphBuilder;

export interface OnnxGraphBuilderOptions {
  /** Version of the default ONNX domain (default 17). */
  opset?: number;
  /** Model IR version (default 8, the newest onnx-proto knows; ORT reads it with any opset up to 17). */
  irVersion?: number;
  /** Graph name (default `test_graph`). */
  name?: string;
  /** Further operator sets, e.g. `{ 'com.microsoft': 1 }`. */
  opsetImports?: Record<string, number>;
}

const BYTES_PER_ELEMENT: Partial<Record<OnnxElementType, number>> = {
  float32: 4,
  float64: 8,
  float16: 2,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1,
};

function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, dim) => product * dim, 1);
}

/** Little-endian bytes of `data` as ONNX `raw_data` of `type`. */
function rawBytes(type: OnnxElementType, data: TensorData): Uint8Array {
  if (ArrayBuffer.isView(data)) {
    const view = data as ArrayBufferView;
    return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
  }
  const values = data as readonly (number | bigint | boolean | string)[];
  const toNumber = (value: number | bigint | boolean | string): number => Number(value);
  const toBigInt = (value: number | bigint | boolean | string): bigint =>
    typeof value === 'bigint' ? value : BigInt(typeof value === 'boolean' ? Number(value) : value);
  let typed: ArrayBufferView;
  switch (type) {
    case 'float32':
      typed = Float32Array.from(values, toNumber);
      break;
    case 'float64':
      typed = Float64Array.from(values, toNumber);
      break;
    case 'float16':
      throw new Error('float16 data must be given as a Uint16Array of IEEE half-precision bit patterns');
    case 'int8':
      typed = Int8Array.from(values, toNumber);
      break;
    case 'uint8':
    case 'bool':
      typed = Uint8Array.from(values, toNumber);
      break;
    case 'int16':
      typed = Int16Array.from(values, toNumber);
      break;
    case 'uint16':
      typed = Uint16Array.from(values, toNumber);
      break;
    case 'int32':
      typed = Int32Array.from(values, toNumber);
      break;
    case 'uint32':
      typed = Uint32Array.from(values, toNumber);
      break;
    case 'int64':
      typed = BigInt64Array.from(values, toBigInt);
      break;
    case 'uint64':
      typed = BigUint64Array.from(values, toBigInt);
      break;
    case 'string':
      throw new Error('string tensors are not raw data');
  }
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

function tensorProto(name: string, value: Omit<TensorValue, 'kind'>): InstanceType<typeof onnx.TensorProto> {
  const count = elementCount(value.dims);
  const proto = onnx.TensorProto.create({ name, dims: [...value.dims], dataType: ELEMENT_TYPE_CODES[value.type] });
  if (value.type === 'string') {
    const strings = value.data as readonly string[];
    if (strings.length !== count)
      throw new Error(`tensor "${name}": ${strings.length} strings for dims [${value.dims}]`);
    proto.stringData = strings.map((text) => new TextEncoder().encode(text));
    return proto;
  }
  const bytes = rawBytes(value.type, value.data);
  const expected = count * (BYTES_PER_ELEMENT[value.type] ?? 0);
  if (bytes.byteLength !== expected)
    throw new Error(`tensor "${name}": ${bytes.byteLength} bytes of ${value.type} data for dims [${value.dims}]`);
  proto.rawData = bytes;
  return proto;
}

function valueInfo(
  name: string,
  type: OnnxElementType,
  shape: readonly Dim[] | undefined,
): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPE_CODES[type],
        ...(shape
          ? { shape: { dim: shape.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) } }
          : {}),
      },
    },
  });
}

const AttributeType = onnx.AttributeProto.AttributeType;

function isExplicit(value: AttributeValue): value is ExplicitAttribute {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind !== 'tensor';
}

function attributeProto(name: string, value: AttributeValue): InstanceType<typeof onnx.AttributeProto> {
  if (value instanceof OnnxGraphBuilder)
    return onnx.AttributeProto.create({ name, type: AttributeType.GRAPH, g: value.toGraphProto() });
  if (typeof value === 'string')
    return onnx.AttributeProto.create({ name, type: AttributeType.STRING, s: new TextEncoder().encode(value) });
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? onnx.AttributeProto.create({ name, type: AttributeType.INT, i: value })
      : onnx.AttributeProto.create({ name, type: AttributeType.FLOAT, f: value });
  }
  if (isExplicit(value)) {
    switch (value.kind) {
      case 'float':
        return onnx.AttributeProto.create({ name, type: AttributeType.FLOAT, f: value.value as number });
      case 'floats':
        return onnx.AttributeProto.create({ name, type: AttributeType.FLOATS, floats: [...(value.value as number[])] });
      case 'ints':
        return onnx.AttributeProto.create({ name, type: AttributeType.INTS, ints: [...(value.value as number[])] });
      case 'strings':
        return onnx.AttributeProto.create({
          name,
          type: AttributeType.STRINGS,
          strings: (value.value as string[]).map((text) => new TextEncoder().encode(text)),
        });
    }
  }
  if (Array.isArray(value)) {
    const numbers = value as readonly number[];
    return numbers.every((item) => Number.isInteger(item))
      ? onnx.AttributeProto.create({ name, type: AttributeType.INTS, ints: [...numbers] })
      : onnx.AttributeProto.create({ name, type: AttributeType.FLOATS, floats: [...numbers] });
  }
  const tensorValue = value as TensorValue;
  return onnx.AttributeProto.create({ name, type: AttributeType.TENSOR, t: tensorProto(name, tensorValue) });
}

interface NameScope {
  defined: Set<string>;
  reserved: Set<string>;
  nextId: number;
  nodeCount: number;
}

export class OnnxGraphBuilder {
  readonly opset: number;
  readonly irVersion: number;
  readonly name: string;
  private readonly opsetImports: Record<string, number>;
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly metadataProps = new Map<string, string>();
  /**
   * Names defined so far and names handed out by `temp` but not yet defined, shared with
   * subgraphs: ONNX wants names unique across the whole model.
   */
  private readonly scope: NameScope;

  /** `scope` is internal: `subgraph` passes its own. */
  constructor(options: OnnxGraphBuilderOptions = {}, scope?: NameScope) {
    this.opset = options.opset ?? 17;
    this.irVersion = options.irVersion ?? 8;
    this.name = options.name ?? 'test_graph';
    this.opsetImports = options.opsetImports ?? {};
    this.scope = scope ?? { defined: new Set(), reserved: new Set(), nextId: 0, nodeCount: 0 };
  }

  /**
   * A builder for a subgraph (the `then_branch` of an `If`, a `Loop` body) that shares
   * this graph's names, so fresh names never collide. Pass it as a node attribute.
   */
  subgraph(name: string): OnnxGraphBuilder {
    return new OnnxGraphBuilder({ opset: this.opset, irVersion: this.irVersion, name }, this.scope);
  }

  /** A graph input (a symbolic dim is a string; `undefined` shape: rank unknown). */
  input(name: string, type: OnnxElementType, shape?: readonly Dim[]): this {
    this.claim(name);
    this.inputs.push(valueInfo(name, type, shape));
    return this;
  }

  /** A graph output; some node (or an input / initializer) must produce `name`. */
  output(name: string, type: OnnxElementType, shape?: readonly Dim[]): this {
    this.outputs.push(valueInfo(name, type, shape));
    return this;
  }

  initializer(name: string, type: OnnxElementType, dims: readonly number[], data: TensorData): this {
    this.claim(name);
    this.initializers.push(tensorProto(name, { type, dims, data }));
    return this;
  }

  /** A `Constant` node producing `name`; returns `name` so it can be used inline. */
  constant(name: string, type: OnnxElementType, dims: readonly number[], data: TensorData): string {
    this.node('Constant', [], [name], { value: tensor(type, dims, data) });
    return name;
  }

  /**
   * Appends a node. Nodes must come in topological order (as ONNX requires); an empty
   * string in `inputs` is an omitted optional input.
   */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    options: { name?: string; domain?: string } = {},
  ): this {
    for (const output of outputs) this.claim(output);
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        input: [...inputs],
        output: [...outputs],
        name: options.name ?? `${opType}_${this.scope.nodeCount++}`,
        ...(options.domain ? { domain: options.domain } : {}),
        attribute: Object.entries(attributes).map(([name, value]) => attributeProto(name, value)),
      }),
    );
    return this;
  }

  /** A fresh name starting with `prefix`, for a value some later node (or `constant`) defines. */
  temp(prefix = 't'): string {
    let name: string;
    do name = `${prefix}__${this.scope.nextId++}`;
    while (this.scope.defined.has(name) || this.scope.reserved.has(name));
    this.scope.reserved.add(name);
    return name;
  }

  /**
   * Shorthand for a single-output node whose output gets a fresh name, returned:
   * `const y = g.op('Add', [a, b])`.
   */
  op(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}): string {
    const output = this.temp(opType.toLowerCase());
    this.node(opType, inputs, [output], attributes);
    return output;
  }

  /** Model `metadata_props` (merged with earlier calls). */
  metadata(props: Record<string, string>): this {
    for (const [key, value] of Object.entries(props)) this.metadataProps.set(key, value);
    return this;
  }

  /** The graph alone (also what a GRAPH attribute carries). */
  toGraphProto(): InstanceType<typeof onnx.GraphProto> {
    return onnx.GraphProto.create({
      name: this.name,
      input: this.inputs,
      output: this.outputs,
      initializer: this.initializers,
      node: this.nodes,
    });
  }

  toModelProto(): ModelProto {
    return onnx.ModelProto.create({
      irVersion: this.irVersion,
      producerName: 'collar-tests',
      opsetImport: [
        { domain: '', version: this.opset },
        ...Object.entries(this.opsetImports).map(([domain, version]) => ({ domain, version })),
      ],
      graph: this.toGraphProto(),
      metadataProps: [...this.metadataProps].map(([key, value]) => ({ key, value })),
    });
  }

  /** The serialized model, ready for `InferenceSession.create(bytes)`. */
  toBytes(): Uint8Array {
    return onnx.ModelProto.encode(this.toModelProto()).finish();
  }

  async save(path: string): Promise<void> {
    await writeFile(path, this.toBytes());
  }

  private claim(name: string): void {
    if (name === '') return;
    if (this.scope.defined.has(name)) throw new Error(`"${name}" is already defined in graph ${this.name}`);
    this.scope.reserved.delete(name);
    this.scope.defined.add(name);
  }
}
