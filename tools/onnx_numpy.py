"""A small, independent ONNX evaluator in NumPy (float64), for checking exported RosPartSeg models.

onnxruntime and onnx.reference (onnx >= 1.13) are not available in Debian 12's Python, so the
export's parity check runs the exported graph here instead: it reads the ONNX file's nodes and
initializers and computes them with NumPy, sharing no code with PyTorch. It supports the operators
FC-HarDNet exports to (plus a few common shape ops); anything else raises NotImplementedError.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional

import numpy as np
import onnx
from onnx import numpy_helper

_OPS: Dict[str, Callable] = {}


def _op(name: str):
    def register(fn):
        _OPS[name] = fn
        return fn
    return register


def _attrs(node: onnx.NodeProto) -> dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


@_op("Conv")
def _conv(inputs, a):
    x, w = inputs[0], inputs[1]
    b = inputs[2] if len(inputs) > 2 and inputs[2] is not None else None
    if a.get("group", 1) != 1:
        raise NotImplementedError("grouped Conv")
    if any(d != 1 for d in a.get("dilations", [1, 1])):
        raise NotImplementedError("dilated Conv")
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("Conv auto_pad")
    kh, kw = w.shape[2], w.shape[3]
    sh, sw = a.get("strides", [1, 1])
    pt, pl, pb, pr = a.get("pads", [0, 0, 0, 0])
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    # windows: N, C, OH, OW, KH, KW  -> out N, O, OH, OW
    out = np.einsum("ncijkl,ockl->noij", windows, w, optimize=True)
    if b is not None:
        out = out + b.reshape(1, -1, 1, 1)
    return [out]


@_op("Relu")
def _relu(inputs, a):
    return [np.maximum(inputs[0], 0)]


@_op("Concat")
def _concat(inputs, a):
    return [np.concatenate(inputs, axis=a["axis"])]


@_op("Identity")
def _identity(inputs, a):
    return [inputs[0]]


@_op("Constant")
def _constant(inputs, a):
    return [numpy_helper.to_array(a["value"])]


@_op("Shape")
def _shape(inputs, a):
    return [np.array(inputs[0].shape, dtype=np.int64)]


@_op("Gather")
def _gather(inputs, a):
    return [np.take(inputs[0], inputs[1], axis=a.get("axis", 0))]


@_op("Unsqueeze")
def _unsqueeze(inputs, a):
    x = inputs[0]
    for axis in sorted(int(v) for v in inputs[1]):
        x = np.expand_dims(x, axis)
    return [x]


@_op("Slice")
def _slice(inputs, a):
    x, starts, ends = inputs[0], inputs[1], inputs[2]
    axes = inputs[3] if len(inputs) > 3 and inputs[3] is not None else range(len(starts))
    steps = inputs[4] if len(inputs) > 4 and inputs[4] is not None else [1] * len(starts)
    index = [slice(None)] * x.ndim
    for s, e, ax, st in zip(starts, ends, axes, steps):
        index[int(ax)] = slice(int(s), int(e), int(st))
    return [x[tuple(index)]]


@_op("Cast")
def _cast(inputs, a):
    dtype = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]]
    if dtype in (np.float16, np.float32):  # keep the reference computation in float64
        return [inputs[0].astype(dtype).astype(np.float64)]
    return [inputs[0].astype(dtype)]


@_op("Pad")
def _pad(inputs, a):
    x, pads = inputs[0], inputs[1]
    mode = a.get("mode", b"constant")
    if mode not in (b"constant", "constant"):
        raise NotImplementedError(f"Pad mode {mode}")
    value = inputs[2] if len(inputs) > 2 and inputs[2] is not None else 0
    n = x.ndim
    width = [(int(pads[i]), int(pads[i + n])) for i in range(n)]
    if any(p < 0 for pair in width for p in pair):
        raise NotImplementedError("negative Pad")
    return [np.pad(x, width, constant_values=value)]


@_op("AveragePool")
def _avgpool(inputs, a):
    x = inputs[0]
    kh, kw = a["kernel_shape"]
    sh, sw = a.get("strides", [1, 1])
    if any(a.get("pads", [0, 0, 0, 0])) or a.get("ceil_mode", 0):
        raise NotImplementedError("padded or ceil-mode AveragePool")
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    return [windows.mean(axis=(4, 5))]


def _linear_weights(out_size: int, in_size: int):
    """half_pixel source coordinates, clamped to the edge, as index pairs and weights."""
    scale = out_size / in_size
    src = (np.arange(out_size) + 0.5) / scale - 0.5
    src = np.clip(src, 0, in_size - 1)
    lo = np.floor(src).astype(np.int64)
    hi = np.minimum(lo + 1, in_size - 1)
    frac = src - lo
    return lo, hi, frac


@_op("Resize")
def _resize(inputs, a):
    x = inputs[0]
    if a.get("mode", b"nearest") not in (b"linear", "linear"):
        raise NotImplementedError("Resize mode other than linear")
    if a.get("coordinate_transformation_mode", b"half_pixel") not in (b"half_pixel", "half_pixel", b"pytorch_half_pixel"):
        raise NotImplementedError("Resize coordinate mode")
    sizes = inputs[3] if len(inputs) > 3 and inputs[3] is not None else None
    if sizes is None:
        scales = inputs[2]
        sizes = np.floor(np.array(x.shape) * scales).astype(np.int64)
    if int(sizes[0]) != x.shape[0] or int(sizes[1]) != x.shape[1]:
        raise NotImplementedError("Resize over batch or channels")
    y = x
    for axis, (out_size, in_size) in ((2, (int(sizes[2]), x.shape[2])), (3, (int(sizes[3]), x.shape[3]))):
        lo, hi, frac = _linear_weights(out_size, in_size)
        shape = [1] * 4
        shape[axis] = out_size
        frac = frac.reshape(shape)
        y = np.take(y, lo, axis=axis) * (1 - frac) + np.take(y, hi, axis=axis) * frac
    return [y]


def _axis_shape(scale: np.ndarray, x: np.ndarray, axis: int):
    if np.ndim(scale) == 0 or np.size(scale) == 1:
        return np.reshape(scale, ())
    shape = [1] * x.ndim
    shape[axis] = -1
    return np.reshape(scale, shape)


@_op("QuantizeLinear")
def _quantize(inputs, a):
    x, scale = inputs[0], inputs[1]
    zp = inputs[2] if len(inputs) > 2 and inputs[2] is not None else np.zeros((), np.uint8)
    axis = a.get("axis", 1)
    info = np.iinfo(zp.dtype)
    # Round half to even, as ONNX specifies.
    q = np.rint(x / _axis_shape(scale, x, axis)) + _axis_shape(zp, x, axis).astype(np.int64)
    return [np.clip(q, info.min, info.max).astype(zp.dtype)]


@_op("DequantizeLinear")
def _dequantize(inputs, a):
    x, scale = inputs[0], inputs[1]
    zp = inputs[2] if len(inputs) > 2 and inputs[2] is not None else np.zeros((), x.dtype)
    axis = a.get("axis", 1)
    return [(x.astype(np.float64) - _axis_shape(zp, x, axis).astype(np.float64)) * _axis_shape(scale, x, axis)]


def run(model: onnx.ModelProto, feeds: Dict[str, np.ndarray],
        capture: Optional[Callable[[str, np.ndarray], None]] = None) -> List[np.ndarray]:
    """Evaluates `model` on `feeds` (name -> array); returns the graph outputs in order. `capture(name, value)`
    sees every value a node computes (activation calibration)."""
    values: Dict[str, np.ndarray] = {}
    for init in model.graph.initializer:
        arr = numpy_helper.to_array(init)
        values[init.name] = arr.astype(np.float64) if arr.dtype in (np.float16, np.float32) else arr
    for name, arr in feeds.items():
        values[name] = arr.astype(np.float64) if arr.dtype in (np.float16, np.float32) else arr
    for node in model.graph.node:
        fn = _OPS.get(node.op_type)
        if fn is None:
            raise NotImplementedError(f"operator {node.op_type} is not supported by onnx_numpy")
        ins = [values[n] if n else None for n in node.input]
        outs = fn(ins, _attrs(node))
        for name, value in zip(node.output, outs):
            values[name] = value
            if capture is not None:
                capture(name, value)
    return [values[o.name] for o in model.graph.output]
