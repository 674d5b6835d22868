#!/usr/bin/env python3
"""Assemble the starter model's images: the freely licensed photos and video frames of people that a
Debian machine has, the person-free backgrounds they are composited onto, and the train/test split.

    apt-get install opencv-doc ffmpeg python3-skimage
    /usr/bin/python3 tools/make_starter_data.py --shared ../shared --out .work
    node tools/teacher/teacher.js --out .work/data/labels .work/data/images      # pseudo-labels

Writes OUT/data/images/*.png (RGB), OUT/backgrounds/*.png, OUT/splits/{train,test}.txt (image stems;
train_photos.txt and train_video.txt split the training stems by kind, so that training can weight the
few photos against the many similar video frames by repeating a --train spec) and OUT/sources.tsv
(every file, where it came from). The held-out split is fixed here so that numbers
stay comparable between runs: it is never read by training. Sources and licences: models/README.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from typing import List, Tuple

import numpy as np
from PIL import Image

OPENCV_DATA = "/usr/share/doc/opencv-doc/examples/data"
SKIMAGE_DATA = "/usr/lib/python3/dist-packages/skimage/data"

# (stem, path relative to its root, root key, split)
PEOPLE = [
    ("humans_0", "people/humans_0.jpg", "fixtures", "train"),
    ("humans_1", "people/humans_1.jpg", "fixtures", "train"),
    ("humans_2", "people/humans_2.jpg", "fixtures", "train"),
    ("humans_5", "people/humans_5.jpg", "fixtures", "train"),
    ("humans_3", "people/humans_3.jpg", "fixtures", "test"),
    ("humans_4", "people/humans_4.jpg", "fixtures", "test"),
    ("messi5", "messi5.jpg", "opencv", "train"),
    ("basketball1", "basketball1.png", "opencv", "test"),
    ("basketball2", "basketball2.png", "opencv", "test"),
]
# Tried and left out: scikit-image's astronaut.png and camera.png and matplotlib's grace_hopper.jpg
# (public domain / CC0). They are close-up portraits, which the teacher's geometry labels badly (a
# helmet as a leg, shoulders as arms) or not at all.

# vtest.avi (795 frames, a fixed street camera): training frames come from the first two thirds, the
# held-out ones from the last quarter, with a gap between them.
VTEST_TRAIN = list(range(0, 545, 16))
VTEST_TEST = list(range(608, 769, 32))

BACKGROUNDS = [
    (OPENCV_DATA, n) for n in (
        "building.jpg", "home.jpg", "leuvenA.jpg", "leuvenB.jpg", "stuff.jpg", "aero1.jpg", "aero3.jpg",
        "board.jpg", "fruits.jpg", "orange.jpg", "baboon.jpg", "box_in_scene.png", "graf1.png", "graf3.png",
        "blox.jpg", "apple.jpg", "HappyFish.jpg", "chicky_512.png", "smarties.png", "rubberwhale1.png",
        "squirrel_cls.jpg", "starry_night.jpg", "butterfly.jpg", "ela_original.jpg", "text_motion.jpg",
        "licenseplate_motion.jpg")
] + [(SKIMAGE_DATA, n) for n in ("coffee.png", "rocket.jpg", "brick.png", "grass.png", "gravel.png")]


def save_rgb(src: str, dst: str) -> None:
    Image.open(src).convert("RGB").save(dst)


def vtest_frames(frames: List[int], tmp: str) -> List[Tuple[int, str]]:
    """Decodes the wanted frames of vtest.avi with ffmpeg (frame index = pts in this file)."""
    video = os.path.join(OPENCV_DATA, "vtest.avi")
    select = "+".join(f"eq(n\\,{f})" for f in frames)
    pattern = os.path.join(tmp, "f_%04d.png")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-i", video, "-vf", f"select='{select}'",
                    "-vsync", "0", "-frame_pts", "1", pattern], check=True)
    out = []
    for f in frames:
        path = pattern % f
        if not os.path.exists(path):
            raise FileNotFoundError(f"ffmpeg did not write frame {f} of {video}")
        out.append((f, path))
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"),
                   help="the shared folder that holds fixtures/people")
    p.add_argument("--out", default=".work")
    args = p.parse_args()

    roots = {"fixtures": os.path.join(args.shared, "fixtures"), "opencv": OPENCV_DATA}
    images = os.path.join(args.out, "data", "images")
    backgrounds = os.path.join(args.out, "backgrounds")
    splits = os.path.join(args.out, "splits")
    for d in (images, backgrounds, splits):
        os.makedirs(d, exist_ok=True)

    missing = [os.path.join(roots[r], rel) for _, rel, r, _ in PEOPLE if not os.path.exists(os.path.join(roots[r], rel))]
    missing += [os.path.join(d, n) for d, n in BACKGROUNDS if not os.path.exists(os.path.join(d, n))]
    if missing:
        print("make_starter_data: missing (see the apt-get line in --help):\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1

    split = {"train": [], "test": []}
    sources = []
    for stem, rel, root, which in PEOPLE:
        src = os.path.join(roots[root], rel)
        save_rgb(src, os.path.join(images, stem + ".png"))
        split[which].append(stem)
        sources.append((stem, which, src))

    with tempfile.TemporaryDirectory() as tmp:
        decoded = vtest_frames(VTEST_TRAIN + VTEST_TEST, tmp)
        for f, path in decoded:
            stem = f"vtest_{f:04d}"
            save_rgb(path, os.path.join(images, stem + ".png"))
            which = "test" if f in VTEST_TEST else "train"
            split[which].append(stem)
            sources.append((stem, which, f"{OPENCV_DATA}/vtest.avi#frame={f}"))
        # The per-pixel median of the training frames is the street without its pedestrians.
        stack = np.stack([np.asarray(Image.open(path).convert("RGB")) for f, path in decoded if f in VTEST_TRAIN])
        Image.fromarray(np.median(stack, axis=0).astype(np.uint8)).save(os.path.join(backgrounds, "vtest_median.png"))
        sources.append(("vtest_median", "background", f"{OPENCV_DATA}/vtest.avi (median of the training frames)"))

    for d, n in BACKGROUNDS:
        stem = os.path.splitext(n)[0]
        save_rgb(os.path.join(d, n), os.path.join(backgrounds, stem + ".png"))
        sources.append((stem, "background", os.path.join(d, n)))

    split["train_photos"] = [s for s in split["train"] if not s.startswith("vtest_")]
    split["train_video"] = [s for s in split["train"] if s.startswith("vtest_")]
    for which, stems in split.items():
        with open(os.path.join(splits, which + ".txt"), "w") as f:
            f.write("\n".join(stems) + "\n")
    with open(os.path.join(args.out, "sources.tsv"), "w") as f:
        f.write("name\tuse\tsource\n")
        f.writelines(f"{a}\t{b}\t{c}\n" for a, b, c in sources)
    print(f"make_starter_data: {len(split['train'])} training and {len(split['test'])} held-out images, "
          f"{len(BACKGROUNDS) + 1} backgrounds in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
