#!/usr/bin/env python3
"""Labels any folder of photos with the teachers alone (no annotations): BodyPix with test-time augmentation, and
optionally BlazePose's limbs, hands and feet over it.

    /usr/bin/python3 tools/label_images.py IN_DIR OUT_DIR [--bodypix-only] [--pose] [--no-ignore] [--soft]

Writes OUT_DIR/<stem>.png for every JPEG/PNG photo in IN_DIR: one class id per pixel in the model's class order
(0 background, 1 head, 2 torso, 3 upper_arm, 4 lower_arm, 5 hand, 6 upper_leg, 7 lower_leg, 8 foot), image
size, 255 where the views are unsure (`--no-ignore`: every pixel its most likely class, the form
`evaluate.py --teacher` scores). The default averages the whole image at long sides 384, 512 and 640, each also
mirrored, plus a closer view (long side 384, mirrored too) around every person shorter than half the image
(fchardnet/tta.py). `--pose` then runs BlazePose (tools/teacher/teacher.js, its summaries kept in OUT_DIR/pose/)
and paints the core of every visible arm, leg, hand and foot over the person pixels (fchardnet/posefuse.py); where
it and BodyPix name different limbs the pixel is 255. It is off by default: it doubles the time per photo and did
not change the figures beyond their noise (docs/model.md). `--bodypix-only` is BodyPix's single pass (long side
512) alone, for comparison. `--soft` also writes OUT_DIR/<stem>.soft.npy: the nine probabilities at a quarter
of the image size, float16 (certain where BlazePose painted). Deterministic; prints the time per photo.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fchardnet import node_teachers, posefuse, soft  # noqa: E402
from fchardnet.bodypix import BodyPixMobileNet, default_model_json  # noqa: E402
from fchardnet.datasets import IMAGE_EXTS, read_rgb  # noqa: E402
from fchardnet.tta import TtaParams, labels_from_probabilities, tta_probabilities  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("in_dir")
    p.add_argument("out_dir")
    p.add_argument("--bodypix-only", action="store_true", help="BodyPix's single pass at long side 512")
    p.add_argument("--no-ignore", action="store_true", help="no 255: every pixel its most likely class")
    p.add_argument("--pose", action="store_true", help="also BlazePose's limbs, hands and feet (Node; slower)")
    p.add_argument("--soft", action="store_true", help="also write the probabilities (quarter size, float16)")
    p.add_argument("--list", help="only the stems listed in this file (one per line)")
    p.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared"))
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    model_json = default_model_json(args.shared)
    if not os.path.exists(model_json):
        print(f"label_images: the BodyPix model is not at {model_json} (--shared)", file=sys.stderr)
        return 2
    if not os.path.isdir(args.in_dir):
        print(f"label_images: {args.in_dir} is not a folder", file=sys.stderr)
        return 2
    wanted = None
    if args.list:
        with open(args.list) as f:
            wanted = {line.strip() for line in f if line.strip()}
    net = BodyPixMobileNet(model_json)
    params = TtaParams(sizes=(512,), flip=False, small_person=0.0) if args.bodypix_only else TtaParams()
    os.makedirs(args.out_dir, exist_ok=True)
    names = sorted(n for n in os.listdir(args.in_dir) if n.lower().endswith(IMAGE_EXTS))
    if wanted is not None:
        names = [n for n in names if os.path.splitext(n)[0] in wanted]
    start = time.perf_counter()
    use_pose = args.pose and not args.bodypix_only
    pose_dir = os.path.join(args.out_dir, "pose")
    people = {}
    if use_pose:
        files = [os.path.join(args.in_dir, n) for n in names]
        node_teachers.blazepose(files, pose_dir)
        people = node_teachers.people_by_stem(pose_dir, files)
        print(f"BlazePose: {len(names)} photos in {time.perf_counter() - start:.0f} s", flush=True)
    for name in names:
        t0 = time.perf_counter()
        stem = os.path.splitext(name)[0]
        image = read_rgb(os.path.join(args.in_dir, name))
        probs = tta_probabilities(net, image, params)
        labels = labels_from_probabilities(probs, params, ignore=not args.no_ignore)
        if use_pose:
            painted = posefuse.paint(labels, people[stem], ignore=not args.no_ignore)
            ys, xs = np.nonzero((painted != labels) & (painted != 255))
            probs[:, ys, xs] = 0.0
            probs[painted[ys, xs], ys, xs] = 1.0  # certain where BlazePose painted
            labels = painted
        Image.fromarray(labels).save(os.path.join(args.out_dir, f"{stem}.png"))
        if args.soft:
            soft.save(args.out_dir, stem, probs)
        print(f"{name}: {image.shape[1]}x{image.shape[0]}, {time.perf_counter() - t0:.2f} s", flush=True)
    print(f"label_images: {len(names)} photos in {time.perf_counter() - start:.0f} s "
          f"({'BodyPix alone' if args.bodypix_only else 'test-time augmentation'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
