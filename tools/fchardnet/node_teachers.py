"""The teachers that run in Node (tools/teacher, tfjs-wasm): BodyPix with crops around small people, and BlazePose."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Dict, List, Sequence

import numpy as np

TEACHER_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "teacher")
BATCH = 64  # images per Node process: one model load each, short command lines


def run_node(script: str, args: Sequence[str]) -> None:
    if not os.path.isdir(os.path.join(TEACHER_DIR, "node_modules")):
        raise SystemExit(f"the Node teachers are not installed: run 'npm ci' in {TEACHER_DIR} (tools/setup.sh does)")
    subprocess.run(["node", os.path.join(TEACHER_DIR, script)] + list(args), check=True)


def blazepose(files: Sequence[str], out_dir: str) -> None:
    """teacher.js on every file that has no OUT_DIR/<stem>.json yet (its summary: people, flags, 33 landmarks)."""
    os.makedirs(out_dir, exist_ok=True)
    todo = [f for f in files if not os.path.exists(summary_path(out_dir, f))]
    for i in range(0, len(todo), BATCH):
        run_node("teacher.js", ["--out", out_dir] + list(todo[i:i + BATCH]))


def summary_path(out_dir: str, file: str) -> str:
    return os.path.join(out_dir, os.path.splitext(os.path.basename(file))[0] + ".json")


def accepted_people(path: str) -> List[np.ndarray]:
    """The people BlazePose accepted (pose flag) in one summary, as [33, 3] landmarks (x, y, visibility)."""
    with open(path) as f:
        summary = json.load(f)
    return [np.asarray(p["keypoints"], dtype=np.float64) for p in summary.get("people", []) if p.get("accepted")]


def people_by_stem(out_dir: str, files: Sequence[str]) -> Dict[str, List[np.ndarray]]:
    return {os.path.splitext(os.path.basename(f))[0]: accepted_people(summary_path(out_dir, f)) for f in files}
