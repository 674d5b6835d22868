#!/usr/bin/env python3
"""Person detection against COCO's human-drawn person boxes: precision and recall at box IoU 0.5.

    python3 tools/evaluate_people.py                                  # every photo with boxes, both groupings
    python3 tools/evaluate_people.py --list .work/coco/splits/test.txt --json out/people.json

Runs the built CLI (`rospartseg run DIR --out DIR --config FILE`) once per person grouping (`split`, the
default, and `components`, one person per connected area) and reads the people boxes from the regions JSON
it writes. Ground truth: labels/person_boxes/<stem>.txt (`0 cx cy w h`, normalised). Only people taller than
--min-height pixels (default 100) that are not crowd regions count; crowd boxes (iscrowd in
annotations/person_instances.json, which covers only some images) and smaller people are "don't care": a
detection that matches one counts neither way. Detections are matched greedily, highest score first, each to
the unmatched counted box it overlaps most (IoU >= 0.5).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional, Sequence, Tuple

Box = Tuple[float, float, float, float]  # x, y, w, h in pixels

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def iou(a: Box, b: Box) -> float:
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def match(dets: Sequence[Tuple[Box, float]], gts: Sequence[Box], care: Sequence[bool], threshold: float = 0.5) -> Tuple[int, int, int]:
    """(true positives, false positives, false negatives) of one image. `dets` are (box, score); `care[i]`
    says whether gts[i] counts. A detection matching no counted box but a don't-care one is ignored."""
    taken = [False] * len(gts)
    tp = fp = 0
    for box, _ in sorted(dets, key=lambda d: -d[1]):
        best, best_iou = -1, threshold
        for i, gt in enumerate(gts):
            if care[i] and not taken[i]:
                v = iou(box, gt)
                if v >= best_iou:
                    best, best_iou = i, v
        if best >= 0:
            taken[best] = True
            tp += 1
        elif not any(not care[i] and iou(box, gt) >= threshold for i, gt in enumerate(gts)):
            fp += 1
    fn = sum(1 for i in range(len(gts)) if care[i] and not taken[i])
    return tp, fp, fn


def find_dataset() -> Optional[str]:
    """shared/datasets/coco-people beside the checkout or one of its ancestors."""
    d = REPO
    while True:
        candidate = os.path.join(d, "shared", "datasets", "coco-people")
        if os.path.isdir(candidate):
            return candidate
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def read_boxes(path: str, width: int, height: int) -> List[Box]:
    boxes = []
    with open(path) as f:
        for line in f:
            v = line.split()
            if len(v) == 5:
                cx, cy, w, h = (float(t) for t in v[1:])
                boxes.append(((cx - w / 2) * width, (cy - h / 2) * height, w * width, h * height))
    return boxes


def crowd_boxes(annotations: str) -> Dict[str, List[Box]]:
    """stem -> crowd boxes (pixels) from the COCO instance json, for the images it covers."""
    if not os.path.exists(annotations):
        return {}
    with open(annotations) as f:
        coco = json.load(f)
    stems = {img["id"]: os.path.splitext(img["file_name"])[0] for img in coco.get("images", [])}
    crowds: Dict[str, List[Box]] = {}
    for a in coco.get("annotations", []):
        if a.get("iscrowd") and a["image_id"] in stems:
            crowds.setdefault(stems[a["image_id"]], []).append(tuple(a["bbox"]))
    return crowds


def care_flags(gts: Sequence[Box], crowds: Sequence[Box], min_height: float) -> List[bool]:
    """A box counts when taller than min_height and not (nearly) a crowd box."""
    return [g[3] > min_height and not any(iou(g, c) >= 0.7 for c in crowds) for g in gts]


def cli_config(grouping: str, precision: Optional[str] = None) -> str:
    """The CLI's configuration: the bundled model, this grouping, and no minimum person score, so that the
    --min-scores sweep sees every person (the pipeline's own default, 0.7, would hide the lower rows)."""
    text = f"model:\n  path: {os.path.join(REPO, 'models', 'fchardnet70_parts.onnx')}\n"
    if precision:
        text += f"inference:\n  precision: {precision}\n"
    return text + f"pipeline:\n  person_grouping: {grouping}\n  overlay_annotations: none\n  min_person_score: 0\n"


def run_cli(cli: str, images: Sequence[str], grouping: str, out: str, precision: Optional[str] = None) -> None:
    """Segments the images with the given grouping into `out` (regions JSON per image)."""
    src = os.path.join(out, "images")
    os.makedirs(src, exist_ok=True)
    for path in images:
        os.symlink(path, os.path.join(src, os.path.basename(path)))
    config = os.path.join(out, "config.yaml")
    with open(config, "w") as f:
        f.write(cli_config(grouping, precision))
    subprocess.run([cli, "run", src, "--out", out, "--config", config], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def evaluate(cli: str, data: str, stems: Sequence[str], grouping: str, min_height: float, crowds: Dict[str, List[Box]],
             min_scores: Sequence[float] = (0.0,), precision: Optional[str] = None) -> List[dict]:
    """One result per minimum person score: detections scoring below it are dropped before matching."""
    with tempfile.TemporaryDirectory() as out:
        run_cli(cli, [os.path.join(data, "images", s + ".jpg") for s in stems], grouping, out, precision)
        totals = {t: [0, 0, 0] for t in min_scores}
        counted = 0
        for s in stems:
            with open(os.path.join(out, s + ".regions.json")) as f:
                r = json.load(f)
            gts = read_boxes(os.path.join(data, "labels", "person_boxes", s + ".txt"), r["width"], r["height"])
            care = care_flags(gts, crowds.get(s, []), min_height)
            dets = [((p["box"]["x"], p["box"]["y"], p["box"]["width"], p["box"]["height"]), p["score"]) for p in r["people"]]
            counted += sum(care)
            for t in min_scores:
                a, b, c = match([d for d in dets if d[1] >= t], gts, care)
                totals[t] = [totals[t][0] + a, totals[t][1] + b, totals[t][2] + c]
    results = []
    for t in min_scores:
        tp, fp, fn = totals[t]
        results.append({"grouping": grouping, "min_score": t, "images": len(stems), "people": counted, "tp": tp, "fp": fp, "fn": fn,
                        "precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0})
    return results


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--list", help="file of image stems (12 digits), one per line; default: every photo with boxes")
    p.add_argument("--data", help="the coco-people folder (default: shared/datasets/coco-people beside an ancestor)")
    p.add_argument("--cli", default=os.path.join(REPO, "src", "RosPartSeg.Cli", "bin", "Release", "net10.0", "rospartseg"))
    p.add_argument("--groupings", default="split,components", help="comma-separated person_grouping values")
    p.add_argument("--min-height", type=float, default=100.0, help="people this tall or less (pixels) are don't care")
    p.add_argument("--limit", type=int, help="only the first N stems")
    p.add_argument("--min-scores", default="0", help="comma-separated minimum person scores to report (a sweep), e.g. 0,0.5,0.6,0.7")
    p.add_argument("--precision", choices=["auto", "fp32", "int8", "fp16"], help="the model file to run (default: the CLI's, auto: int8 on the CPU)")
    p.add_argument("--json", help="write the results to this file")
    args = p.parse_args(argv)

    data = args.data or find_dataset()
    if not data or not os.path.isdir(data):
        print("evaluate_people: the coco-people dataset was not found; pass --data", file=sys.stderr)
        return 2
    if not os.path.exists(args.cli):
        print(f"evaluate_people: {args.cli} not found; build it (dotnet build -c Release) or pass --cli", file=sys.stderr)
        return 2
    boxes = os.path.join(data, "labels", "person_boxes")
    if args.list:
        with open(args.list) as f:
            stems = [line.strip() for line in f if line.strip()]
        stems = [s for s in stems if os.path.exists(os.path.join(boxes, s + ".txt"))]
    else:
        stems = sorted(os.path.splitext(n)[0] for n in os.listdir(boxes) if n.endswith(".txt"))
    stems = stems[: args.limit] if args.limit else stems
    crowds = crowd_boxes(os.path.join(data, "annotations", "person_instances.json"))

    min_scores = [float(t) for t in args.min_scores.split(",")]
    results = [r for g in args.groupings.split(",") for r in evaluate(args.cli, data, stems, g.strip(), args.min_height, crowds, min_scores, args.precision)]
    print(f"{'grouping':<12}{'min score':>10}{'images':>7}{'people':>7}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>10}{'recall':>8}")
    for r in results:
        print(f"{r['grouping']:<12}{r['min_score']:>10.2f}{r['images']:>7}{r['people']:>7}{r['tp']:>6}{r['fp']:>6}{r['fn']:>6}{r['precision']:>10.3f}{r['recall']:>8.3f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"min_height": args.min_height, "iou": 0.5, "results": results}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
