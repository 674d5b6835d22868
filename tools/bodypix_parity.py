#!/usr/bin/env python3
"""Parity of the PyTorch BodyPix (fchardnet/bodypix.py) with the Node/tfjs-wasm teacher the labels come from.

    /usr/bin/python3 tools/bodypix_parity.py IMAGE... [--shared ../shared] [--min-agreement 0.995]

For each image it runs tools/teacher/bodypix_teacher.js on the whole image (long side 512, stride 16), runs the
PyTorch network on the same input (corner-aligned bilinear resize, as tfjs cropAndResize does), folds both the
same way (fusion.compose, fusion.bodypix_labels) and prints the share of image pixels whose nine-class label is
the same, and the largest logit difference on the grid. Exits 1 when an image agrees on less than
--min-agreement of its pixels.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fchardnet import fusion  # noqa: E402
from fchardnet.bodypix import BodyPixMobileNet, default_model_json, valid_side  # noqa: E402
from fchardnet.datasets import read_rgb  # noqa: E402

TOOLS = os.path.dirname(os.path.abspath(__file__))


def torch_windows(net: BodyPixMobileNet, image: np.ndarray, header: dict):
    """The Node teacher's window list recomputed with the PyTorch network (same input sizes)."""
    out = []
    for w in header["windows"]:
        x0, y0, x1, y1 = w["window"]
        crop = torch.from_numpy(np.ascontiguousarray(image[y0:y1 + 1, x0:x1 + 1])).permute(2, 0, 1)[None].float()
        ih = (w["gridH"] - 1) * net.output_stride + 1
        iw = (w["gridW"] - 1) * net.output_stride + 1
        x = F.interpolate(crop, size=(ih, iw), mode="bilinear", align_corners=True)
        with torch.no_grad():
            seg, parts, _ = net(x)
        out.append((w["window"], seg[0, 0].numpy(), parts[0].permute(1, 2, 0).numpy()))
    return out


def compare(net: BodyPixMobileNet, model_dir: str, image_path: str, workdir: str):
    subprocess.run(["node", os.path.join(TOOLS, "teacher", "bodypix_teacher.js"), "--model", model_dir,
                    "--out", workdir, image_path], check=True, stdout=subprocess.DEVNULL)
    stem = os.path.splitext(os.path.basename(image_path))[0]
    header, node_windows = fusion.read_bodypix(os.path.join(workdir, f"{stem}.bodypix.bin"))
    image = read_rgb(image_path)
    ours = torch_windows(net, image, header)
    diff = max(max(float(np.abs(a[1] - b[1]).max()), float(np.abs(a[2] - b[2]).max()))
               for a, b in zip(node_windows, ours))
    node_labels = fusion.bodypix_labels(fusion.compose(header, node_windows))
    our_labels = fusion.bodypix_labels(fusion.compose(header, ours))
    return float((node_labels == our_labels).mean()), diff, header["windows"][0]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("images", nargs="+")
    p.add_argument("--shared", default=os.path.join(TOOLS, "..", "..", "shared"))
    p.add_argument("--min-agreement", type=float, default=0.995)
    args = p.parse_args(argv)
    model_json = default_model_json(args.shared)
    net = BodyPixMobileNet(model_json)
    worst = 1.0
    with tempfile.TemporaryDirectory() as tmp:
        for path in args.images:
            agreement, diff, window = compare(net, os.path.dirname(model_json), path, tmp)
            worst = min(worst, agreement)
            print(f"{os.path.basename(path)}: grid {window['gridW']}x{window['gridH']}, folded labels equal on "
                  f"{100 * agreement:.2f} % of pixels, largest logit difference {diff:.2e}")
    if worst < args.min_agreement:
        print(f"bodypix_parity: {100 * worst:.2f} % is below {100 * args.min_agreement:.2f} %", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
