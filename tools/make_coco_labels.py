#!/usr/bin/env python3
"""Body-part pseudo-labels for the COCO people photos (and any extra images), and the fixed split.

    /usr/bin/python3 tools/make_coco_labels.py --shared ../shared --out .work/coco [--extra .work/data/images]

Steps (each skipped when its output exists, so an interrupted run continues):
1. The split, fixed by a hash of each COCO id: OUT/splits/test.txt (64 photos whose every person has a
   human-drawn mask and that have keypoints: never trained on, never used to pick a checkpoint),
   OUT/splits/val.txt (16 more such photos, for watching runs), OUT/splits/train.txt (every other COCO photo)
   and OUT/splits/extra.txt (the --extra images, all for training).
2. BodyPix (tools/teacher/bodypix_teacher.js) on every image, plus a crop around each small person
   (COCO boxes): OUT/bodypix/<stem>.bodypix.bin.
3. BlazePose (tools/teacher/teacher.js) on the images with no COCO keypoints: OUT/blazepose/<stem>.json.
4. Fusion (fchardnet/fusion.py): OUT/labels/<stem>.png (255 = ignore) and OUT/bodypix_labels/<stem>.png
   (BodyPix alone, for the teacher's own figures); OUT/images/<stem>.* link to the photos, so the folder is
   a `pseudo:OUT:OUT/splits/train.txt` dataset for train.py. OUT/soft/<stem>.soft.npy: the same BodyPix maps as
   nine-class probabilities at a quarter of the size (fchardnet/soft.py; train.py --soft OUT/soft).
5. OUT/credits.csv: COCO id, licence and Flickr page of every training photo, for the model card.

Everything here is derived from third-party photos: it stays in .work and is never committed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fchardnet.coco import from_blazepose, load_dataset  # noqa: E402
from fchardnet import soft  # noqa: E402
from fchardnet.node_teachers import run_node  # noqa: E402
from fchardnet.fusion import bodypix_labels, compose, crop_windows, fuse, nine_class_probabilities, read_bodypix  # noqa: E402

N_TEST, N_VAL = 64, 16


def split_coco(images) -> dict:
    """Deterministic split: candidates (complete masks and keypoints) ordered by the SHA-256 of their stem."""
    key = lambda s: hashlib.sha256(s.encode()).hexdigest()  # noqa: E731
    candidates = sorted((s for s, im in images.items()
                         if im.masks_complete and any(p.keypoints is not None for p in im.people)), key=key)
    if len(candidates) < N_TEST + N_VAL:
        raise SystemExit(f"make_coco_labels: only {len(candidates)} photos have masks and keypoints, need {N_TEST + N_VAL}")
    test, val = sorted(candidates[:N_TEST]), sorted(candidates[N_TEST:N_TEST + N_VAL])
    held = set(test) | set(val)
    return {"test": test, "val": val, "train": sorted(s for s in images if s not in held)}


def write_list(path: str, stems) -> None:
    with open(path, "w") as f:
        f.write("\n".join(stems) + ("\n" if stems else ""))


def write_credits(attribution: str, stems, out: str) -> None:
    """The credit list a model trained on these photos ships (CC BY 2.0 asks for it): COCO id, licence and the
    Flickr photo page (which names the author) of every training photo; never the photos themselves."""
    import csv

    wanted = set(stems)
    with open(attribution, newline="") as f, open(out, "w", newline="") as g:
        w = csv.writer(g)
        w.writerow(["coco_id", "coco_split", "license", "flickr_photo_page"])
        for row in csv.DictReader(f):
            if os.path.splitext(os.path.basename(row["file"]))[0] in wanted:
                w.writerow([row["coco_id"], row["coco_split"], row["license"], row["flickr_photo_page"]])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared"))
    p.add_argument("--out", default=".work/coco")
    p.add_argument("--extra", action="append", default=[], help="folder of extra training images (no COCO labels)")
    p.add_argument("--limit", type=int, default=0,
                   help="only the first N test and N training photos, no validation ones (smoke tests)")
    p.add_argument("--no-blazepose", action="store_true", help="skip BlazePose keypoints for images without COCO ones")
    args = p.parse_args()

    root = os.path.join(args.shared, "datasets", "coco-people")
    bodypix_model = os.path.join(args.shared, "models", "bodypix-mobilenet-v1-075", "tfjs")
    for need in (root, bodypix_model):
        if not os.path.isdir(need):
            print(f"make_coco_labels: {need} is missing", file=sys.stderr)
            return 1
    coco = load_dataset(root)
    split = split_coco(coco)
    if args.limit:
        split = {"test": split["test"][:args.limit], "val": [], "train": split["train"][:args.limit]}
    extra = {}
    for folder in args.extra:
        for name in sorted(os.listdir(folder)):
            if name.lower().endswith((".jpg", ".jpeg", ".png")):
                extra[os.path.splitext(name)[0]] = os.path.abspath(os.path.join(folder, name))
    split["extra"] = sorted(extra)

    dirs = {k: os.path.join(args.out, k) for k in ("splits", "images", "bodypix", "blazepose", "labels", "bodypix_labels",
                                                  "soft")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
    for name, stems in split.items():
        write_list(os.path.join(dirs["splits"], f"{name}.txt"), stems)

    write_credits(os.path.join(root, "ATTRIBUTION.csv"), split["train"], os.path.join(args.out, "credits.csv"))

    stems = split["test"] + split["val"] + split["train"] + split["extra"]
    files = {s: (os.path.abspath(coco[s].file) if s in coco else extra[s]) for s in stems}
    for s, f in files.items():
        link = os.path.join(dirs["images"], s + os.path.splitext(f)[1])
        if not os.path.lexists(link):
            os.symlink(f, link)

    todo = [s for s in stems if not os.path.exists(os.path.join(dirs["bodypix"], f"{s}.bodypix.bin"))]
    if todo:
        windows = {s: crop_windows(coco[s]) for s in todo if s in coco}
        wfile = os.path.join(args.out, "windows.json")
        with open(wfile, "w") as f:
            json.dump(windows, f)
        for i in range(0, len(todo), 64):
            run_node("bodypix_teacher.js", ["--model", bodypix_model, "--out", dirs["bodypix"], "--windows", wfile]
                     + [files[s] for s in todo[i:i + 64]])

    need_pose = [s for s in stems if not (s in coco and any(p.keypoints is not None for p in coco[s].people))]
    todo = [s for s in need_pose if not os.path.exists(os.path.join(dirs["blazepose"], f"{s}.json"))]
    if todo and not args.no_blazepose:
        for i in range(0, len(todo), 64):
            run_node("teacher.js", ["--out", os.path.join(args.out, "blazepose_tmp")] + [files[s] for s in todo[i:i + 64]])
        for s in todo:
            os.replace(os.path.join(args.out, "blazepose_tmp", f"{s}.json"), os.path.join(dirs["blazepose"], f"{s}.json"))

    t0 = time.time()
    stats = np.zeros(10, dtype=np.int64)
    for s in stems:
        header, wins = read_bodypix(os.path.join(dirs["bodypix"], f"{s}.bodypix.bin"))
        maps = compose(header, wins)
        poses = []
        pose_file = os.path.join(dirs["blazepose"], f"{s}.json")
        if s in need_pose and os.path.exists(pose_file):
            with open(pose_file) as f:
                poses = [from_blazepose(pp["keypoints"]) for pp in json.load(f)["people"] if pp.get("accepted")]
        labels = fuse(maps, coco.get(s), poses)
        Image.fromarray(labels).save(os.path.join(dirs["labels"], f"{s}.png"))
        Image.fromarray(bodypix_labels(maps)).save(os.path.join(dirs["bodypix_labels"], f"{s}.png"))
        soft.save(dirs["soft"], s, nine_class_probabilities(maps))
        stats += np.bincount(np.where(labels == 255, 9, labels).ravel(), minlength=10)
    share = stats / max(1, stats.sum())
    names = ["background", "head", "torso", "upper_arm", "lower_arm", "hand", "upper_leg", "lower_leg", "foot", "ignore"]
    print(f"make_coco_labels: {len(stems)} images ({len(split['test'])} test, {len(split['val'])} val, "
          f"{len(split['train'])} train, {len(split['extra'])} extra) fused in {time.time() - t0:.0f} s; pixels: "
          + ", ".join(f"{n} {100 * v:.1f}%" for n, v in zip(names, share)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
