#!/usr/bin/env python3
"""Write an int8 QDQ copy of an fp32 RosPartSeg ONNX model, calibrated on training images only.

    /usr/bin/python3 tools/quantize.py --calibration pseudo:.work/coco:.work/coco/splits/train.txt \
        [--model models/fchardnet70_parts.onnx] [--out models/fchardnet70_parts.int8.onnx] [--images 24]

The graph stays the fp32 graph with QuantizeLinear/DequantizeLinear pairs inserted (the QDQ form ONNX
Runtime fuses into integer kernels, e.g. QLinearConv with VNNI on x86):
- weights: int8, symmetric, per output channel (axis 0); biases int32 with scale = input scale x weight scale;
- activations: uint8, per tensor, on every float tensor that Relu, Concat, Pad, AveragePool and Resize produce
  and on the network input; ranges from the calibration images: each tensor's largest (and smallest) value per
  image, averaged over the images, so one image's outlier does not stretch the scale (`--percentile` clips
  instead; it cost agreement with fp32 here, docs/model.md);
- the head's output (the logits) stays float.
Calibration runs the fp32 graph with tools/onnx_numpy.py (onnxruntime is not packaged for Debian's Python),
at the model's own input size. Never calibrate on the held-out split. The metadata is copied, with
`precision` set to `int8`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Dict, List

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import onnx_numpy  # noqa: E402
from fchardnet.datasets import read_rgb, samples_from_spec  # noqa: E402
from fchardnet.infer import normalise, resize_rgb  # noqa: E402
from fchardnet.labels import default_label_set  # noqa: E402

QUANTIZED_OUTPUTS = {"Relu", "Concat", "Pad", "AveragePool", "Resize"}
PERCENTILE = 100.0


def activation_ranges(proto: onnx.ModelProto, batches: List[np.ndarray], names: List[str],
                      percentile: float = PERCENTILE) -> Dict[str, tuple]:
    """(low, high) per tensor name: the percentile-th percentile of the values (and the mirrored low one; at 100
    the maximum and minimum), averaged over the calibration inputs."""
    wanted = set(names)
    per_image: Dict[str, List[tuple]] = {n: [] for n in names}

    def capture(name, value):
        if name in wanted:
            v = value.ravel()
            if percentile >= 100:
                per_image[name].append((float(v.min()), float(v.max())))
                return
            if v.size > 200_000:  # a strided sample keeps the percentile cheap on big tensors
                v = v[:: v.size // 200_000]
            per_image[name].append((float(np.percentile(v, 100 - percentile)), float(np.percentile(v, percentile))))

    for x in batches:
        onnx_numpy.run(proto, {"image": x}, capture)
        if "image" in wanted:
            capture("image", x)
    return {n: (min(0.0, float(np.mean([r[0] for r in rs]))), max(0.0, float(np.mean([r[1] for r in rs]))))
            for n, rs in per_image.items() if rs}


def uint8_params(low: float, high: float):
    scale = max(high - low, 1e-8) / 255.0
    zero = int(np.clip(round(-low / scale), 0, 255))
    return np.float32(scale), np.uint8(zero)


def share_concat_ranges(proto: onnx.ModelProto, ranges: Dict[str, tuple]) -> Dict[str, tuple]:
    """One range for each group of tensors joined by Concat (its inputs and output), so that ONNX Runtime's
    QLinearConcat copies bytes instead of requantizing every input (HarDNet concatenates a lot)."""
    parent = {n: n for n in ranges}

    def find(n):
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for node in proto.graph.node:
        if node.op_type == "Concat" and node.output[0] in ranges:
            for inp in node.input:
                if inp in ranges:
                    parent[find(inp)] = find(node.output[0])
    groups: Dict[str, tuple] = {}
    for n, (lo, hi) in ranges.items():
        r = find(n)
        glo, ghi = groups.get(r, (0.0, 0.0))
        groups[r] = (min(glo, lo), max(ghi, hi))
    return {n: groups[find(n)] for n in ranges}


def quantize(proto: onnx.ModelProto, ranges: Dict[str, tuple]) -> onnx.ModelProto:
    graph = proto.graph
    inits = {i.name: i for i in graph.initializer}
    new_inits: List[TensorProto] = []
    act_scale: Dict[str, float] = {}
    rename: Dict[str, str] = {}  # float tensor -> its dequantized copy
    qdq_nodes: Dict[str, List[onnx.NodeProto]] = {}
    for name, (low, high) in ranges.items():
        scale, zero = uint8_params(low, high)
        act_scale[name] = float(scale)
        s_name, z_name = f"{name}_qscale", f"{name}_qzero"
        new_inits += [numpy_helper.from_array(np.array(scale, np.float32), s_name),
                      numpy_helper.from_array(np.array(zero, np.uint8), z_name)]
        qdq_nodes[name] = [
            helper.make_node("QuantizeLinear", [name, s_name, z_name], [f"{name}_q"], name=f"{name}_Q"),
            helper.make_node("DequantizeLinear", [f"{name}_q", s_name, z_name], [f"{name}_dq"], name=f"{name}_DQ"),
        ]
        rename[name] = f"{name}_dq"

    nodes: List[onnx.NodeProto] = []
    if "image" in qdq_nodes:
        nodes += qdq_nodes["image"]
    used_inits = set()
    for node in graph.node:
        consumer = onnx.NodeProto()
        consumer.CopyFrom(node)
        for k, inp in enumerate(consumer.input):
            if inp in rename:
                # Shape needs no values: reading the quantized tensor spares ONNX Runtime a whole
                # dequantize (and a layout transpose) just to learn a size.
                consumer.input[k] = f"{inp}_q" if node.op_type == "Shape" else rename[inp]
        if node.op_type == "Conv" and node.input[1] in inits:
            w = numpy_helper.to_array(inits[node.input[1]]).astype(np.float32)
            w_scale = np.maximum(np.abs(w).reshape(w.shape[0], -1).max(axis=1), 1e-12) / 127.0
            wq = np.clip(np.rint(w / w_scale.reshape(-1, 1, 1, 1)), -127, 127).astype(np.int8)
            base = node.input[1]
            new_inits += [numpy_helper.from_array(wq, f"{base}_int8"),
                          numpy_helper.from_array(w_scale.astype(np.float32), f"{base}_wscale"),
                          numpy_helper.from_array(np.zeros(w.shape[0], np.int8), f"{base}_wzero")]
            nodes.append(helper.make_node("DequantizeLinear", [f"{base}_int8", f"{base}_wscale", f"{base}_wzero"],
                                          [f"{base}_dq"], name=f"{base}_DQ", axis=0))
            consumer.input[1] = f"{base}_dq"
            used_inits.add(base)
            x_name = node.input[0]
            if len(node.input) > 2 and node.input[2] in inits and x_name in act_scale:
                b = numpy_helper.to_array(inits[node.input[2]]).astype(np.float64)
                b_scale = (act_scale[x_name] * w_scale).astype(np.float32)
                bq = np.clip(np.rint(b / b_scale), -2**31, 2**31 - 1).astype(np.int32)
                bname = node.input[2]
                new_inits += [numpy_helper.from_array(bq, f"{bname}_int32"),
                              numpy_helper.from_array(b_scale, f"{bname}_bscale"),
                              numpy_helper.from_array(np.zeros(w.shape[0], np.int32), f"{bname}_bzero")]
                nodes.append(helper.make_node("DequantizeLinear", [f"{bname}_int32", f"{bname}_bscale", f"{bname}_bzero"],
                                              [f"{bname}_dq"], name=f"{bname}_DQ", axis=0))
                consumer.input[2] = f"{bname}_dq"
                used_inits.add(bname)
        nodes.append(consumer)
        for out in node.output:
            if out in qdq_nodes:
                nodes += qdq_nodes[out]

    out = onnx.ModelProto()
    out.CopyFrom(proto)
    del out.graph.node[:]
    out.graph.node.extend(nodes)
    kept = [i for i in graph.initializer if i.name not in used_inits]
    del out.graph.initializer[:]
    out.graph.initializer.extend(kept + new_inits)
    props = {p.key: p.value for p in proto.metadata_props}
    props["precision"] = "int8"
    del out.metadata_props[:]
    for k, v in props.items():
        out.metadata_props.add(key=k, value=v)
    onnx.checker.check_model(out)
    return out


def float_activations(proto: onnx.ModelProto, sample: np.ndarray) -> List[str]:
    """The float tensors produced by the quantized op types (shape arithmetic is int64 and is left alone)."""
    outputs = {o.name for o in proto.graph.output}
    candidates = {o for n in proto.graph.node if n.op_type in QUANTIZED_OUTPUTS for o in n.output} - outputs
    found = ["image"]
    onnx_numpy.run(proto, {"image": sample},
                   lambda name, value: found.append(name) if name in candidates and np.issubdtype(value.dtype, np.floating) else None)
    return found


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="models/fchardnet70_parts.onnx")
    p.add_argument("--out", default=None, help="default: MODEL with .int8.onnx")
    p.add_argument("--calibration", action="append", required=True, help="training images KIND:PATH[:ARG] (repeatable)")
    p.add_argument("--images", type=int, default=24, help="calibration images (spread evenly over the list)")
    p.add_argument("--share-concat", action="store_true", help="one scale per group of concatenated tensors")
    p.add_argument("--percentile", type=float, default=PERCENTILE,
                   help=f"activation range: this percentile of each tensor per image, averaged (default {PERCENTILE})")
    args = p.parse_args()
    out_path = args.out or args.model.replace(".onnx", ".int8.onnx")

    proto = onnx.load(args.model)
    props = {q.key: q.value for q in proto.metadata_props}
    if props.get("precision", "fp32") != "fp32":
        raise SystemExit(f"{args.model} is {props['precision']}, quantize an fp32 model")
    if any(spec.rstrip("/").endswith("test.txt") for spec in args.calibration):
        raise SystemExit("calibration must use training images, never the held-out split")
    width, height = int(props.get("input_width", 512)), int(props.get("input_height", 288))
    samples = [s for spec in args.calibration for s in samples_from_spec(spec, default_label_set())]
    if not samples:
        raise SystemExit("no calibration images")
    pick = [samples[int(i)] for i in np.linspace(0, len(samples) - 1, min(args.images, len(samples)))]
    batches = [normalise(resize_rgb(read_rgb(s.image_path), width, height))[None].astype(np.float32) for s in pick]

    t0 = time.time()
    names = float_activations(proto, batches[0])
    ranges = activation_ranges(proto, batches, names, args.percentile)
    if args.share_concat:
        ranges = share_concat_ranges(proto, ranges)
    q = quantize(proto, ranges)
    onnx.save(q, out_path)
    print(f"quantize: {len(ranges)} activation tensors and "
          f"{sum(1 for n in proto.graph.node if n.op_type == 'Conv')} convolutions quantized from {len(pick)} "
          f"calibration images in {time.time() - t0:.0f} s -> {out_path} ({os.path.getsize(out_path) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
