#!/usr/bin/env python3
"""Run a checkpoint or exported model on images and write label PNGs and colour overlays.

    python3 tools/predict.py --checkpoint runs/parts/last.pt --out out/ samples/debian/images/*.png
    python3 tools/predict.py --onnx models/fchardnet70_parts.onnx --out out/ photo.jpg   # NumPy evaluator: slow
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Optional, Sequence

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fchardnet.datasets import read_rgb  # noqa: E402
from fchardnet.infer import overlay, predict_labels  # noqa: E402


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint")
    src.add_argument("--onnx")
    p.add_argument("--out", required=True)
    p.add_argument("--size", help="network input WxH (default: the model's)")
    p.add_argument("--max-width", type=int, default=0, help="downscale overlays wider than this (0 = keep)")
    p.add_argument("--jpeg", action="store_true", help="write overlays as JPEG (smaller) instead of PNG")
    p.add_argument("images", nargs="+")
    args = p.parse_args(argv)
    torch.set_num_threads(2)
    from evaluate import load_model

    model, labels, size = load_model(args.checkpoint, args.onnx, args.size)
    os.makedirs(args.out, exist_ok=True)
    from PIL import Image

    for path in args.images:
        image = read_rgb(path)
        t0 = time.time()
        pred = predict_labels(model, image, size)
        elapsed = time.time() - t0
        stem = os.path.splitext(os.path.basename(path))[0]
        Image.fromarray(pred).save(os.path.join(args.out, f"{stem}_labels.png"))
        ov = Image.fromarray(overlay(image, pred, labels.palette))
        if args.max_width and ov.width > args.max_width:
            ov = ov.resize((args.max_width, round(ov.height * args.max_width / ov.width)), Image.BILINEAR)
        if args.jpeg:
            ov.save(os.path.join(args.out, f"{stem}_overlay.jpg"), quality=85)
        else:
            ov.save(os.path.join(args.out, f"{stem}_overlay.png"))
        counts = np.bincount(pred.ravel(), minlength=labels.num_classes)
        shares = ", ".join(f"{n} {100 * c / pred.size:.1f}%" for n, c in zip(labels.names, counts) if c and n != "background")
        print(f"{os.path.basename(path)}: {elapsed * 1000:.0f} ms; {shares or 'no parts'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
