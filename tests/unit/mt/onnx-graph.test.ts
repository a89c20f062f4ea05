/**
 * The test-graph builder (tests/helpers/onnx-graph.ts): what it writes loads into
 * onnxruntime-node with the declared names, types and symbolic shapes, and computes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { attr, OnnxGraphBuilder, tensor } from '../../../bench/stand-ins/onnx-graph.js';
import { ort } from '../../../pipeline/engines/onnx-session.js';

const { onnx } = onnxProto;
const dir = mkdtempSync(join(tmpdir(), 'collar-onnx-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('OnnxGraphBuilder', () => {
  it('builds a MatMul over an initializer with symbolic dims that onnxruntime runs', async () => {
    const g = new OnnxGraphBuilder({ opset: 17 });
    g.input('x', 'float32', ['N', 'T', 3]);
    g.initializer('w', 'float32', [3, 2], [1, 0, 0, 1, 1, 1]);
    g.node('MatMul', ['x', 'w'], ['y']);
    g.output('y', 'float32', ['N', 'T', 2]);
    const session = await ort.InferenceSession.create(g.toBytes());
    expect(session.inputMetadata).toEqual([{ name: 'x', isTensor: true, type: 'float32', shape: ['N', 'T', 3] }]);
    expect(session.outputMetadata).toEqual([{ name: 'y', isTensor: true, type: 'float32', shape: ['N', 'T', 2] }]);
    const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4, 5, 6), [1, 2, 3]) });
    expect(y?.dims).toEqual([1, 2, 2]);
    expect(Array.from(y?.data as Float32Array)).toEqual([4, 5, 10, 11]);
    await session.release();
  });

  it('writes int, float, ints and tensor attributes, int64/bool data, and runs Gather, Cast and Where', async () => {
    const g = new OnnxGraphBuilder();
    g.input('ids', 'int64', ['batch', 'length']);
    g.input('flag', 'bool', [1]);
    g.initializer('table', 'float32', [4, 2], [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
    g.node('Gather', ['table', 'ids'], ['rows'], { axis: 0 });
    const scale = g.constant('scale', 'float32', [], [2]);
    const scaled = g.op('Mul', ['rows', scale]);
    g.node('Where', ['flag', scaled, 'rows'], ['out']);
    g.node('LeakyRelu', [g.op('Neg', ['rows'])], ['leaky'], { alpha: attr.float(1) });
    g.node('ReduceSum', ['rows', g.constant('axes', 'int64', [1], [2n])], ['sums'], { keepdims: 0 });
    g.node('ConstantOfShape', [g.op('Shape', ['ids'])], ['filled'], { value: tensor('int64', [1], [7n]) });
    g.node('Transpose', ['rows'], ['swapped'], { perm: [0, 2, 1] });
    g.output('out', 'float32', ['batch', 'length', 2]);
    g.output('leaky', 'float32');
    g.output('sums', 'float32', ['batch', 'length']);
    g.output('filled', 'int64', ['batch', 'length']);
    g.output('swapped', 'float32', ['batch', 2, 'length']);
    const path = join(dir, 'gather.onnx');
    await g.save(path);
    const session = await ort.InferenceSession.create(path);
    const ids = new ort.Tensor('int64', BigInt64Array.of(3n, 0n), [1, 2]);
    const run = (flag: boolean) => session.run({ ids, flag: new ort.Tensor('bool', Uint8Array.of(flag ? 1 : 0), [1]) });
    const on = await run(true);
    expect(Array.from(on.out?.data as Float32Array)).toEqual([6, 7, 0, 1]);
    expect(Array.from((await run(false)).out?.data as Float32Array)).toEqual([3, 3.5, 0, 0.5]);
    expect(Array.from(on.leaky?.data as Float32Array)).toEqual([-3, -3.5, -0, -0.5]);
    expect(Array.from(on.sums?.data as Float32Array)).toEqual([6.5, 0.5]);
    expect(Array.from(on.filled?.data as BigInt64Array)).toEqual([7n, 7n]);
    expect(on.swapped?.dims).toEqual([1, 2, 2]);
    await session.release();
  });

  it('nests subgraphs for If, reading names of the enclosing graph', async () => {
    const g = new OnnxGraphBuilder();
    g.input('x', 'float32', [2]);
    g.input('cond', 'bool', [1]);
    const thenBranch = g.subgraph('then');
    thenBranch.output(thenBranch.op('Add', ['x', 'x']), 'float32');
    const elseBranch = g.subgraph('else');
    elseBranch.output(elseBranch.op('Neg', ['x']), 'float32');
    g.node('If', ['cond'], ['y'], { then_branch: thenBranch, else_branch: elseBranch });
    g.output('y', 'float32', [2]);
    const session = await ort.InferenceSession.create(g.toBytes());
    const x = new ort.Tensor('float32', Float32Array.of(1, -2), [2]);
    const cond = (value: boolean) => new ort.Tensor('bool', Uint8Array.of(value ? 1 : 0), [1]);
    expect(Array.from((await session.run({ x, cond: cond(true) })).y?.data as Float32Array)).toEqual([2, -4]);
    expect(Array.from((await session.run({ x, cond: cond(false) })).y?.data as Float32Array)).toEqual([-1, 2]);
    await session.release();
  });

  it('records metadata_props, the opset and the IR version in the model', () => {
    const g = new OnnxGraphBuilder({ opset: 13, irVersion: 7 });
    g.input('x', 'float32', [1]);
    g.node('Identity', ['x'], ['y']);
    g.output('y', 'float32', [1]);
    g.metadata({ vocab_size: '10' }).metadata({ neg_mean: '-1.5,2' });
    const model = onnx.ModelProto.decode(g.toBytes());
    expect(model.metadataProps.map(({ key, value }) => [key, value])).toEqual([
      ['vocab_size', '10'],
      ['neg_mean', '-1.5,2'],
    ]);
    expect(Number(model.irVersion)).toBe(7);
    expect(model.opsetImport.map(({ domain, version }) => [domain, Number(version)])).toEqual([['', 13]]);
  });

  it('refuses a name defined twice and data that does not fill the dims', () => {
    const g = new OnnxGraphBuilder();
    g.input('x', 'float32', [2]);
    expect(() => g.node('Identity', ['x'], ['x'])).toThrow(/"x" is already defined/);
    expect(() => g.initializer('w', 'float32', [2, 2], [1, 2, 3])).toThrow(/12 bytes of float32 data for dims \[2,2\]/);
    const fresh = g.temp('y');
    expect(g.temp('y')).not.toBe(fresh);
  });
});
