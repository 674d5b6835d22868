"""Checkpoints: model weights plus everything export needs (label set, input size, data summary),
and the optimiser state so that training can resume."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional

import torch

from .labels import LabelSet
from .model import FCHarDNet70

FORMAT = 1


def save_checkpoint(path: str, model: FCHarDNet70, labels: LabelSet, *, step: int = 0,
                    optimizer: Optional[torch.optim.Optimizer] = None, scaler: Any = None,
                    training_data: str = "", input_size=(512, 288), extra: Optional[Dict[str, Any]] = None) -> None:
    state = {
        "format": FORMAT,
        "model": model.state_dict(),
        "class_names": list(labels.names),
        "palette": [list(c) for c in labels.palette],
        "flip_pairs": [list(p) for p in labels.flip_pairs],
        "step": step,
        "training_data": training_data,
        "input_size": list(input_size),
        "extra": extra or {},
    }
    if optimizer is not None:
        state["optimizer"] = optimizer.state_dict()
    if scaler is not None:
        state["scaler"] = scaler.state_dict()
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)  # never leave a half-written checkpoint behind


def load_checkpoint(path: str) -> Dict[str, Any]:
    state = torch.load(path, map_location="cpu")
    if not isinstance(state, dict) or state.get("format") != FORMAT or "model" not in state:
        raise ValueError(f"{path} is not a RosPartSeg checkpoint (format {FORMAT})")
    return state


def labels_from_checkpoint(state: Dict[str, Any]) -> LabelSet:
    return LabelSet(list(state["class_names"]), [tuple(c) for c in state["palette"]],
                    [tuple(p) for p in state.get("flip_pairs", [])])


def model_from_checkpoint(state: Dict[str, Any]) -> FCHarDNet70:
    model = FCHarDNet70(len(state["class_names"]))
    model.load_state_dict(state["model"])
    return model.eval()
