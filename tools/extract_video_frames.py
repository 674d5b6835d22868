#!/usr/bin/env python3
"""Frames of the freely licensed videos of people (shared/datasets/people-videos, Intel IoT DevKit sample videos,
CC BY 4.0) for training with the teacher inside (train.py --train images:OUT/images --teacher ...).

    apt-get install ffmpeg
    /usr/bin/python3 tools/extract_video_frames.py --shared ../shared --out .work/videos

Takes every --every-th frame of each video (the ASL clips at 30 Hz and the GIF previews are sampled more densely
per second than the 10 Hz room video, so each source gives tens of frames) and writes OUT/images/<video>_<n>.jpg
(quality 95, original size). Deterministic. The frames show identifiable people: keep them in .work/, never commit
them (models/README.md credits the source).
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys

# (glob under intel-sample-videos/, keep every n-th frame)
SOURCES = [
    ("one-by-one-person-detection.mp4", 10),
    ("asl_gestures/*.mkv", 12),
    ("preview/*.gif", 4),
]


def extract(video: str, every: int, out_dir: str, prefix: str) -> int:
    pattern = os.path.join(out_dir, f"{prefix}_%04d.jpg")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", video, "-vf", f"select=not(mod(n\\,{every}))",
                    "-vsync", "vfr", "-q:v", "2", pattern], check=True)
    return len(glob.glob(os.path.join(out_dir, f"{prefix}_*.jpg")))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared"))
    p.add_argument("--out", default=".work/videos")
    args = p.parse_args(argv)
    if shutil.which("ffmpeg") is None:
        print("extract_video_frames: needs ffmpeg (apt-get install ffmpeg)", file=sys.stderr)
        return 2
    root = os.path.join(args.shared, "datasets", "people-videos", "intel-sample-videos")
    if not os.path.isdir(root):
        print(f"extract_video_frames: {root} not found", file=sys.stderr)
        return 2
    out_dir = os.path.join(args.out, "images")
    os.makedirs(out_dir, exist_ok=True)
    total = 0
    for pattern, every in SOURCES:
        for video in sorted(glob.glob(os.path.join(root, pattern))):
            prefix = os.path.splitext(os.path.relpath(video, root))[0].replace(os.sep, "-")
            n = extract(video, every, out_dir, prefix)
            total += n
            print(f"{os.path.relpath(video, root)}: {n} frames")
    print(f"extract_video_frames: {total} frames in {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
