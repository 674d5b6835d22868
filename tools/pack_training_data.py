#!/usr/bin/env python3
"""Packs the training data for a run on another machine, such as the device tool's GPU machine, which has neither
../shared nor .work: the images of the listed splits re-encoded as JPEG at full size (the labels are per pixel),
their label PNGs, the split lists and the background images, in one folder that must fit the size limit given.

    /usr/bin/python3 tools/pack_training_data.py --coco .work/coco --backgrounds .work/backgrounds --out .work/pack \
        --folder videos=.work/videos/images --folder negatives=../shared/datasets/backgrounds/coco/images \
        --teacher ../shared/models/bodypix-mobilenet-v1-075/tfjs

The pack is made from third-party photos and labels derived from them: it stays git-ignored and is never
committed. The folder it writes is laid out as train.py reads it (tools/device_train.sh gives the command):
OUT/coco/{images,labels,splits}, OUT/backgrounds, OUT/<name> for each --folder (unlabelled frames, photos without
people; at most --folder-side px on the long side, 800 by default) and OUT/teacher (BodyPix's tfjs files, Apache-2.0, for --teacher).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from typing import List, Optional, Sequence

from PIL import Image

from fchardnet.datasets import IMAGE_EXTS


def find_image(folder: str, stem: str) -> Optional[str]:
    for suffix in IMAGE_EXTS:
        path = os.path.join(folder, stem + suffix)
        if os.path.exists(path):
            return path
    return None


def reencode(src: str, dst: str, quality: int, max_side: Optional[int] = None) -> None:
    """Writes src as an RGB JPEG at dst (full size unless max_side is given)."""
    with Image.open(src) as im:
        im = im.convert("RGB")
        if max_side and max(im.size) > max_side:
            s = max_side / max(im.size)
            im = im.resize((round(im.width * s), round(im.height * s)), Image.LANCZOS)
        im.save(dst, quality=quality)


def folder_bytes(folder: str) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)


def tracked_bytes(repo: str) -> int:
    """The size of the files git tracks in `repo`: they travel to the device beside the pack."""
    names = subprocess.run(["git", "-C", repo, "ls-files", "-z"], check=True, capture_output=True).stdout.split(b"\0")
    return sum(os.path.getsize(os.path.join(repo, n.decode())) for n in names if n and os.path.isfile(os.path.join(repo, n.decode())))


def pack_folder(src: str, dst: str, quality: int, max_side: int = 800) -> int:
    os.makedirs(dst, exist_ok=True)
    names = [n for n in sorted(os.listdir(src)) if n.lower().endswith(IMAGE_EXTS)]
    for name in names:
        reencode(os.path.join(src, name), os.path.join(dst, os.path.splitext(name)[0] + ".jpg"), quality, max_side)
    return len(names)


def pack_teacher(src: str, dst: str) -> None:
    """The tfjs model: its JSON files and the weight files they name."""
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        if name.endswith((".json", ".bin")):
            shutil.copyfile(os.path.join(src, name), os.path.join(dst, name))


def pack(coco: str, splits: Sequence[str], backgrounds: Optional[str], out: str, quality: int) -> List[str]:
    """Writes the pack; returns the stems packed. A stem without its image or label is an error."""
    images, labels, lists = (os.path.join(out, "coco", d) for d in ("images", "labels", "splits"))
    for d in (images, labels, lists):
        os.makedirs(d, exist_ok=True)
    stems: List[str] = []
    for split in splits:
        src_list = os.path.join(coco, "splits", split + ".txt")
        with open(src_list) as f:
            names = [line.strip() for line in f if line.strip()]
        for stem in names:
            image = find_image(os.path.join(coco, "images"), stem)
            label = os.path.join(coco, "labels", stem + ".png")
            if image is None or not os.path.exists(label):
                raise FileNotFoundError(f"{split}: {stem} has no image in {coco}/images or no label in {coco}/labels")
            reencode(image, os.path.join(images, stem + ".jpg"), quality)
            shutil.copyfile(label, os.path.join(labels, stem + ".png"))
            stems.append(stem)
        shutil.copyfile(src_list, os.path.join(lists, split + ".txt"))
    if backgrounds:
        bg = os.path.join(out, "backgrounds")
        os.makedirs(bg, exist_ok=True)
        for name in sorted(os.listdir(backgrounds)):
            if name.lower().endswith(IMAGE_EXTS):
                # train.py shrinks backgrounds to 800 px on the long side anyway.
                reencode(os.path.join(backgrounds, name), os.path.join(bg, os.path.splitext(name)[0] + ".jpg"), quality, 800)
    return stems


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--coco", default=".work/coco", help="make_coco_labels.py's output (images/, labels/, splits/)")
    p.add_argument("--splits", default="train,extra,val", help="comma-separated split names (never test)")
    p.add_argument("--backgrounds", help="folder of person-free images (make_starter_data.py's backgrounds)")
    p.add_argument("--folder", action="append", default=[], metavar="NAME=DIR",
                   help="a folder of images without labels to pack as OUT/NAME (repeatable)")
    p.add_argument("--folder-side", type=int, default=800, help="long side of the --folder images (at most)")
    p.add_argument("--teacher", help="BodyPix's tfjs folder, packed as OUT/teacher")
    p.add_argument("--out", default=".work/pack")
    p.add_argument("--quality", type=int, default=75, help="JPEG quality of the re-encoded images")
    p.add_argument("--max-mib", type=float, default=None,
                   help="fail when the pack is larger; default: what the device's 64 MiB leaves beside the repository's tracked files, less 1 MiB")
    args = p.parse_args(argv)
    splits = [s.strip() for s in args.splits.split(",") if s.strip()]
    if "test" in splits:
        print("pack_training_data: the held-out split 'test' is never trained on", file=sys.stderr)
        return 2
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    stems = pack(args.coco, splits, args.backgrounds, args.out, args.quality)
    for spec in args.folder:
        name, _, src = spec.partition("=")
        if not name or not src or name in ("coco", "backgrounds", "teacher"):
            print(f"pack_training_data: --folder wants NAME=DIR with a new NAME, not '{spec}'", file=sys.stderr)
            return 2
        print(f"{name}: {pack_folder(src, os.path.join(args.out, name), args.quality, args.folder_side)} images")
    if args.teacher:
        pack_teacher(args.teacher, os.path.join(args.out, "teacher"))
    size = folder_bytes(args.out) / 2**20
    limit = args.max_mib if args.max_mib is not None else 63.0 - tracked_bytes(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))) / 2**20
    print(f"packed {len(stems)} images ({', '.join(splits)}) into {args.out}: {size:.1f} MiB (limit {limit:.1f} MiB)")
    if size > limit:
        print(f"pack_training_data: {size:.1f} MiB is over the limit of {limit:.1f} MiB; lower --quality", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
