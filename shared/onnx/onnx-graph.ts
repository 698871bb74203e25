import onnxProto from 'onnx-proto';

/** Protobuf shapes of an ONNX graph, re-exported so builders need not import `onnx-proto` themselves. */
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

const { onnx } = onnxProto;
const AttrType = onnx.AttributeProto.AttributeType;
const textEncoder = new TextEncoder();

/** ONNX element types used by Hush models. */
export const ELEM_FLOAT = onnx.TensorProto.DataType.FLOAT;
export const ELEM_INT64 = onnx.TensorProto.DataType.INT64;

/** The default (`''`) operator set every Hush graph imports; 13 is supported by every onnxruntime we ship. */
export const ONNX_OPSET = { domain: '', version: 13 } as const;
/** ONNX-ML operators (TreeEnsemble*) at the version onnxruntime implements with float attributes. */
export const ONNX_ML_OPSET = { domain: 'ai.onnx.ml', version: 3 } as const;

/** A graph input or output: a tensor of `elemType` whose dims are sizes or symbolic names (`'N'`). */
export function tensorInfo(name: string, elemType: number, dims: readonly (number | string)[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** A float32 initializer (weights, biases, constants). */
export function floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>): TensorProto {
  return { name, dataType: ELEM_FLOAT, dims: [...dims], floatData: Array.from(values) };
}

/** Node attributes, one constructor per ONNX attribute type Hush uses. */
export const attribute = {
  int: (name: string, value: number): AttributeProto => ({ name, type: AttrType.INT, i: value }),
  ints: (name: string, values: ArrayLike<number>): AttributeProto => ({ name, type: AttrType.INTS, ints: Array.from(values) }),
  floats: (name: string, values: ArrayLike<number>): AttributeProto => ({ name, type: AttrType.FLOATS, floats: Array.from(values) }),
  string: (name: string, value: string): AttributeProto => ({ name, type: AttrType.STRING, s: textEncoder.encode(value) }),
  strings: (name: string, values: readonly string[]): AttributeProto => ({
    name,
    type: AttrType.STRINGS,
    strings: values.map((value) => textEncoder.encode(value)),
  }),
};

/** Serialises a graph into ONNX model bytes that onnxruntime-node can load. */
export function encodeModel(graph: GraphProto, opsets: readonly { domain: string; version: number }[], producerName = 'hush'): Uint8Array {
  const model = onnx.ModelProto.create({ irVersion: 8, producerName, opsetImport: [...opsets], graph });
  return onnx.ModelProto.encode(model).finish();
}
