#!/usr/bin/env python3
"""Evaluate a model on a labelled folder: per-class IoU, mIoU, pixel accuracy, and overlays.

    python3 tools/evaluate.py --checkpoint runs/parts/last.pt --data pseudo:.work/data:.work/splits/test.txt
    python3 tools/evaluate.py --onnx models/fchardnet70_parts.onnx --data ppp:/data/pascal_person_part --overlays out/
    python3 tools/evaluate.py --checkpoint runs/coco/last.pt --data pseudo:.work/coco:.work/coco/splits/test.txt \
        --coco ../shared/datasets/coco-people          # also the figures against COCO's human labels

The image is stretched to the network input (default: the model's input size), the stride-4 logits
are upsampled bilinearly to the image size and the argmax compared with the labels (255 = ignore).
--onnx runs the exported graph with the NumPy evaluator (tools/onnx_numpy.py): exact, but slow
(seconds per image); use it to check an exported file, and --checkpoint for large sets.

With --coco, images that are COCO photos are also scored against COCO's human labels (fchardnet/realmetrics.py:
person IoU with the drawn masks, keypoint part accuracy, person recall), and the teacher's own labels
(--teacher DIR, default DATA_ROOT/bodypix_labels: BodyPix alone) are scored the same way beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fchardnet.checkpoint import labels_from_checkpoint, load_checkpoint, model_from_checkpoint  # noqa: E402
from fchardnet.datasets import read_label, read_rgb, samples_from_spec  # noqa: E402
from fchardnet.infer import normalise, overlay, predict_labels, resize_rgb  # noqa: E402
from fchardnet.labels import LabelSet  # noqa: E402
from fchardnet.metrics import confusion, format_scores, scores  # noqa: E402
from fchardnet.realmetrics import RealLabelScores, format_table  # noqa: E402


class OnnxModel(torch.nn.Module):
    """Wraps an exported ONNX file (run by the NumPy evaluator) as a callable like the PyTorch model."""

    def __init__(self, path: str) -> None:
        super().__init__()
        import onnx

        import onnx_numpy

        self.proto = onnx.load(path)
        self.run = onnx_numpy.run
        meta = {p.key: p.value for p in self.proto.metadata_props}
        self.labels = LabelSet(json.loads(meta["class_names"]), [tuple(c) for c in json.loads(meta["palette"])])
        self.size = (int(meta["input_width"]), int(meta["input_height"]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        (out,) = self.run(self.proto, {"image": x.numpy()})
        return torch.from_numpy(out.astype(np.float32))


def load_model(checkpoint, onnx_path, size_arg, via_torch: bool = False):
    """The model to run (a PyTorch checkpoint or an exported ONNX file), its label set and network input (W, H);
    `size_arg` ("WxH") overrides the size the model carries. `via_torch` reads an fp32 ONNX file's weights into
    the PyTorch model (same function to about 1e-5, far faster than the NumPy evaluator)."""
    if checkpoint:
        state = load_checkpoint(checkpoint)
        model, labels = model_from_checkpoint(state), labels_from_checkpoint(state)
        size = tuple(state.get("input_size") or (512, 288))
    else:
        model = OnnxModel(onnx_path)
        labels, size = model.labels, model.size
        if via_torch:
            from fchardnet.model import FCHarDNet70
            from fchardnet.onnx_weights import load_onnx_weights

            model = FCHarDNet70(labels.num_classes)
            load_onnx_weights(model, onnx_path)
            model.eval()
    if size_arg:
        size = tuple(int(v) for v in size_arg.lower().split("x"))
    return model, labels, size


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="training checkpoint (.pt)")
    src.add_argument("--onnx", help="exported ONNX model")
    src.add_argument("--predictions", help="folder of label images written by `rospartseg run` (<stem>.labels.png): "
                                           "scores the C# pipeline's own output, with any model or precision")
    p.add_argument("--data", action="append", required=True, help="labelled data KIND:PATH[:ARG] (repeatable)")
    p.add_argument("--size", help="network input WxH (default: the model's, else 512x288)")
    p.add_argument("--overlays", help="folder for rendered overlays (prediction | labels)")
    p.add_argument("--json", help="write the scores to this JSON file")
    p.add_argument("--via-torch", action="store_true", help="with --onnx: run its weights in PyTorch (fast)")
    p.add_argument("--coco", help="the coco-people folder: also score against COCO's human labels")
    p.add_argument("--teacher", help="folder of the teacher's own labels <stem>.png, scored beside the model "
                                     "(default with --coco: <pseudo root>/bodypix_labels)")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)

    if args.predictions:
        from fchardnet.labels import default_label_set

        model, labels, size = None, default_label_set(), (0, 0)
    else:
        model, labels, size = load_model(args.checkpoint, args.onnx, args.size, args.via_torch)
    samples = [s for spec in args.data for s in samples_from_spec(spec, labels)]
    if args.overlays:
        os.makedirs(args.overlays, exist_ok=True)
    conf = np.zeros((labels.num_classes, labels.num_classes), dtype=np.int64)
    coco, real, teacher_real, teacher_dir = {}, RealLabelScores(), RealLabelScores(), args.teacher
    if args.coco:
        from fchardnet.coco import load_dataset

        if labels.num_classes != 9:
            raise SystemExit("--coco scores the default nine-class part set only")
        coco = load_dataset(args.coco)
        if teacher_dir is None and args.data[0].startswith("pseudo:"):
            teacher_dir = os.path.join(args.data[0].split(":")[1], "bodypix_labels")
    t0 = time.time()
    for s in samples:
        image, label = read_rgb(s.image_path), s.load_label()
        stem = os.path.splitext(os.path.basename(s.image_path))[0]
        if args.predictions:
            pred = read_label(os.path.join(args.predictions, f"{stem}.labels.png")).astype(np.uint8)
        else:
            pred = predict_labels(model, image, size)
        conf += confusion(pred, label, labels.num_classes)
        if stem in coco:
            real.add(pred, coco[stem])
            teacher_file = os.path.join(teacher_dir, f"{stem}.png") if teacher_dir else None
            if teacher_file and os.path.exists(teacher_file):
                teacher_real.add(read_label(teacher_file).astype(np.uint8), coco[stem])
        if args.overlays:
            from PIL import Image

            panel = np.concatenate([overlay(image, pred, labels.palette), overlay(image, label, labels.palette)], axis=1)
            Image.fromarray(panel).save(os.path.join(args.overlays, f"{stem}.png"))
    result = scores(conf, labels.names)
    result["images"] = len(samples)
    result["input_size"] = list(size)
    where = f"from {args.predictions}" if args.predictions else f"at input {size[0]}x{size[1]}"
    print(f"{len(samples)} images in {time.time() - t0:.1f} s {where}")
    print(format_scores(result))
    for name, v in result["iou"].items():
        print(f"  {name:<10} {'-' if v is None else f'{v:.3f}'}")
    if coco:
        result["real"] = real.result()
        columns = [("model", result["real"])]
        if teacher_real.kp_total or teacher_real.per_image:
            result["teacher_real"] = teacher_real.result()
            columns.append(("teacher", result["teacher_real"]))
        r = result["real"]
        print(f"against COCO's human labels: {r['images_with_masks']} images with masks, {r['keypoints']} visible "
              f"keypoints, {r['people_over_100px']} people over 100 px")
        print(format_table(columns))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
