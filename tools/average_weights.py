#!/usr/bin/env python3
"""Averages the weights of FC-HarDNet-70 ONNX models into one checkpoint (a "weight average" of related runs).

    /usr/bin/python3 tools/average_weights.py --out .work/runs/avg.pt models/fchardnet70_parts.onnx:0.75 run.onnx:0.25
    /usr/bin/python3 tools/export_onnx.py --checkpoint .work/runs/avg.pt --training-data "..." --out my.onnx

Each file's weights are read as its ONNX graph holds them, BatchNorm folded into the convolutions, so models
exported from any checkpoint average alike. Averaging only makes sense for models fine-tuned from a common
ancestor (session 12 averaged the session-8 weights with a run continued from them; models/README.md); two
unrelated trainings average into noise. The weights after each ':' are normalised to sum to 1.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import List, Sequence, Tuple

import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fchardnet.checkpoint import save_checkpoint  # noqa: E402
from fchardnet.labels import LabelSet  # noqa: E402
from fchardnet.model import FCHarDNet70  # noqa: E402
from fchardnet.onnx_weights import load_onnx_weights  # noqa: E402


def parse_source(text: str) -> Tuple[str, float]:
    path, _, weight = text.rpartition(":")
    if not path:
        raise argparse.ArgumentTypeError(f"'{text}' is not FILE.onnx:WEIGHT")
    try:
        value = float(weight)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{weight}' in '{text}' is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}': weights cannot be negative")
    return path, value


def label_set_of(path: str) -> LabelSet:
    props = {p.key: p.value for p in onnx.load(path).metadata_props}
    if "class_names" not in props or "palette" not in props:
        raise ValueError(f"{path} has no class_names/palette metadata (not exported by tools/export_onnx.py)")
    return LabelSet(json.loads(props["class_names"]), [tuple(c) for c in json.loads(props["palette"])])


def average(sources: Sequence[Tuple[str, float]]) -> Tuple[FCHarDNet70, LabelSet]:
    """The weighted mean of the sources' (folded) weights, and their common label set."""
    total = sum(w for _, w in sources)
    if not sources or total <= 0:
        raise ValueError("need at least one model with a positive weight")
    labels = label_set_of(sources[0][0])
    states: List[Tuple[dict, float]] = []
    for path, weight in sources:
        other = label_set_of(path)
        if other.names != labels.names:
            raise ValueError(f"{path} has classes {other.names}, {sources[0][0]} has {labels.names}")
        model = FCHarDNet70(len(labels.names))
        load_onnx_weights(model, path)
        states.append((model.state_dict(), weight / total))
    mean = {}
    for key, first in states[0][0].items():
        if first.is_floating_point():
            mean[key] = sum(state[key] * w for state, w in states)
        else:
            mean[key] = first  # counters such as num_batches_tracked
    result = FCHarDNet70(len(labels.names))
    result.load_state_dict(mean)
    return result.eval(), labels


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sources", nargs="+", type=parse_source, help="FILE.onnx:WEIGHT (two or more)")
    p.add_argument("--out", required=True, help="checkpoint to write (for export_onnx.py --checkpoint)")
    args = p.parse_args(argv)
    model, labels = average(args.sources)
    summary = " + ".join(f"{w:g} x {os.path.basename(path)}" for path, w in args.sources)
    save_checkpoint(args.out, model, labels, training_data=f"weight average: {summary}")
    print(f"average_weights: {summary} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
