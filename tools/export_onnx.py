#!/usr/bin/env python3
"""Export FC-HarDNet-70 to ONNX with the metadata RosPartSeg reads.

    python3 tools/export_onnx.py                          # deterministic initial weights -> models/fchardnet70_parts.onnx
    python3 tools/export_onnx.py --checkpoint run/last.pt --out my.onnx
    python3 tools/export_onnx.py --checkpoint run/last.pt --fp16 --out my_fp16.onnx

Input `image` float32 [N, 3, H, W] (dynamic N, H, W; normalised BGR), output `logits` float32
[N, C, H/4, W/4]. The fp16 variant computes in half precision inside but keeps float32 input and
output, so consumers need no change. After export the graph is checked with onnx.checker and run by
an independent NumPy evaluator (tools/onnx_numpy.py) against PyTorch; the max abs difference is printed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from typing import Dict, Optional

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fchardnet.checkpoint import labels_from_checkpoint, load_checkpoint, model_from_checkpoint  # noqa: E402
from fchardnet.labels import LabelSet, default_label_set, load_label_set  # noqa: E402
from fchardnet.model import OUTPUT_STRIDE, FCHarDNet70, initial_model  # noqa: E402
import onnx_numpy  # noqa: E402

MODEL_NAME = "fchardnet70-parts"
MEAN_BGR = [103.53, 116.28, 123.675]  # (0.406, 0.456, 0.485) x 255, network channel order (BGR)
STD_BGR = [57.375, 57.12, 58.395]  # (0.225, 0.224, 0.229) x 255
OPSET = 17
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def metadata(labels: LabelSet, width: int, height: int, weights: str, training_data: str) -> Dict[str, str]:
    """The metadata contract read by the C# side. Every value is a string."""
    return {
        "rospartseg.format": "1",
        "model_name": MODEL_NAME,
        "class_names": json.dumps(list(labels.names)),
        "palette": json.dumps([[int(v) for v in c] for c in labels.palette]),
        "input_width": str(width),
        "input_height": str(height),
        "channel_order": "bgr",
        "mean": json.dumps(MEAN_BGR),
        "std": json.dumps(STD_BGR),
        "output_stride": str(OUTPUT_STRIDE),
        "weights": weights,
        "training_data": training_data,
    }


def to_onnx(model: FCHarDNet70, width: int, height: int) -> onnx.ModelProto:
    model = model.eval()
    dummy = torch.zeros(1, 3, height, width)
    buffer = io.BytesIO()
    torch.onnx.export(
        model, dummy, buffer, opset_version=OPSET, input_names=["image"], output_names=["logits"],
        dynamic_axes={"image": {0: "N", 2: "H", 3: "W"}, "logits": {0: "N", 2: "H_out", 3: "W_out"}},
        do_constant_folding=True)
    return onnx.load_from_string(buffer.getvalue())


def convert_to_fp16(proto: onnx.ModelProto) -> onnx.ModelProto:
    """Half-precision weights and compute; float32 `image` in and `logits` out via Cast nodes."""
    graph = proto.graph
    for init in graph.initializer:
        if init.data_type == onnx.TensorProto.FLOAT:
            arr = onnx.numpy_helper.to_array(init).astype(np.float16)
            init.CopyFrom(onnx.numpy_helper.from_array(arr, init.name))
    for node in graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value" and attr.t.data_type == onnx.TensorProto.FLOAT:
                    arr = onnx.numpy_helper.to_array(attr.t).astype(np.float16)
                    attr.t.CopyFrom(onnx.numpy_helper.from_array(arr))
        if node.op_type == "Resize" and any(i for i in list(node.input)[1:3]):
            raise ValueError("fp16 conversion expects Resize with sizes only (no roi/scales)")
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name == "image":
                node.input[i] = "image_fp16"
        for i, name in enumerate(node.output):
            if name == "logits":
                node.output[i] = "logits_fp16"
    cast_in = onnx.helper.make_node("Cast", ["image"], ["image_fp16"], to=onnx.TensorProto.FLOAT16, name="cast_image_fp16")
    cast_out = onnx.helper.make_node("Cast", ["logits_fp16"], ["logits"], to=onnx.TensorProto.FLOAT, name="cast_logits_fp32")
    nodes = [cast_in] + list(graph.node) + [cast_out]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.value_info[:]
    return proto


def set_metadata(proto: onnx.ModelProto, props: Dict[str, str]) -> None:
    del proto.metadata_props[:]
    for key, value in props.items():
        if not isinstance(value, str):
            raise TypeError(f"metadata {key} must be a string")
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.producer_name = "rospartseg-tools"
    proto.producer_version = "1"
    proto.doc_string = "FC-HarDNet-70 body-part segmentation; logits at stride 4 (upsample and argmax outside)."


def parity(model: FCHarDNet70, proto: onnx.ModelProto, height: int = 64, width: int = 96, seed: int = 1) -> float:
    """Max abs difference between PyTorch and the exported graph (NumPy evaluator, float64) on a random
    input. Most of it is PyTorch's own float32 rounding, which grows with the input size (about 2e-6 at
    64x96, 2e-4 at 288x512 for logits of magnitude ~5), so the default check runs on a small input."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(1, 3, height, width, generator=gen)
    with torch.no_grad():
        expected = model.eval()(x).numpy()
    (actual,) = onnx_numpy.run(proto, {"image": x.numpy()})
    if actual.shape != expected.shape:
        raise AssertionError(f"ONNX output shape {actual.shape} != PyTorch {expected.shape}")
    return float(np.max(np.abs(actual - expected)))


def build(checkpoint: Optional[str], classes_yaml: Optional[str], seed: int):
    if checkpoint:
        state = load_checkpoint(checkpoint)
        labels = labels_from_checkpoint(state)
        if classes_yaml:
            wanted = load_label_set(classes_yaml)
            if wanted.names != labels.names:
                raise SystemExit(f"--classes-yaml lists {wanted.names} but the checkpoint was trained on {labels.names}")
            labels = wanted  # same classes; may carry different colours
        return model_from_checkpoint(state), labels, "trained", state.get("training_data") or "unspecified"
    labels = load_label_set(classes_yaml) if classes_yaml else default_label_set()
    return initial_model(labels.num_classes, seed), labels, "initial", "none: deterministic initial weights"


def export(model: FCHarDNet70, labels: LabelSet, out: str, width: int, height: int, weights: str,
           training_data: str, fp16: bool = False, check: bool = True, check_size=(64, 96)) -> Dict[str, float]:
    if width % 32 or height % 32 or width <= 0 or height <= 0:
        raise SystemExit(f"--width and --height must be positive multiples of 32 (got {width}x{height})")
    proto = to_onnx(model, width, height)
    report: Dict[str, float] = {}
    if fp16:
        proto = convert_to_fp16(proto)
    set_metadata(proto, metadata(labels, width, height, weights, training_data))
    onnx.checker.check_model(proto)
    if check:
        report["max_abs_diff"] = parity(model, proto, *check_size)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    data = proto.SerializeToString()
    with open(out, "wb") as f:
        f.write(data)
    report["bytes"] = float(len(data))
    return report


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", help="training checkpoint (.pt); without it, deterministic initial weights")
    p.add_argument("--classes-yaml", help="label set YAML (default: the nine-part default set)")
    p.add_argument("--width", type=int, default=512, help="default network input width (multiple of 32)")
    p.add_argument("--height", type=int, default=288, help="default network input height (multiple of 32)")
    p.add_argument("--out", default=os.path.join(REPO_ROOT, "models", "fchardnet70_parts.onnx"))
    p.add_argument("--fp16", action="store_true", help="half-precision weights/compute (for GPUs)")
    p.add_argument("--training-data", help="override the training data summary stored in the metadata")
    p.add_argument("--seed", type=int, default=0, help="seed of the initial weights")
    p.add_argument("--no-check", action="store_true", help="skip the NumPy parity run")
    p.add_argument("--check-size", default="64x96", help="HxW of the parity input (default 64x96)")
    p.add_argument("--tolerance", type=float, default=None,
                   help="fail if max abs diff exceeds this (default 1e-4 fp32, 5e-2 fp16)")
    args = p.parse_args(argv)
    torch.set_num_threads(min(2, torch.get_num_threads()))

    model, labels, weights, training_data = build(args.checkpoint, args.classes_yaml, args.seed)
    if args.training_data:
        training_data = args.training_data
    ch, cw = (int(v) for v in args.check_size.lower().split("x"))
    report = export(model, labels, args.out, args.width, args.height, weights, training_data,
                    fp16=args.fp16, check=not args.no_check, check_size=(ch, cw))
    params = sum(p.numel() for p in model.parameters())
    print(f"wrote {args.out}: {report['bytes'] / 1e6:.2f} MB, {params} parameters, {labels.num_classes} classes, "
          f"weights={weights}, {'fp16' if args.fp16 else 'fp32'}, opset {OPSET}")
    if "max_abs_diff" in report:
        tol = args.tolerance if args.tolerance is not None else (5e-2 if args.fp16 else 1e-4)
        print(f"parity PyTorch vs exported ONNX (NumPy evaluator, 1x3x{ch}x{cw}): max abs diff {report['max_abs_diff']:.3g} (tolerance {tol:g})")
        if report["max_abs_diff"] > tol:
            print("parity check FAILED", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
