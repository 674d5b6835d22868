"""One learning-rate schedule across training runs (train.py --schedule FILE).

Each CPU session trains for a while from the shipped weights. Restarting a fresh warm-up at the peak rate every
time undid part of the previous run, so the shipped model carries a small text record instead: the recipe, the
peak rate, the schedule's length and the step it has reached. The next run continues the poly decay from that
step (after a short warm-up that rebuilds the optimiser's moments up to the current rate) and writes the record
it reached beside its checkpoints; whoever ships the weights ships that record with them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import List


@dataclass
class Schedule:
    recipe: str
    base_lr: float
    total_steps: int
    step: int = 0
    power: float = 0.9
    runs: List[dict] = field(default_factory=list)

    def rate(self, step: int) -> float:
        """Poly decay at a global step."""
        return self.base_lr * max(1.0 - step / self.total_steps, 1e-3) ** self.power

    def run_rate(self, start: int, local_step: int, warmup: int) -> float:
        """The rate of a run that began at global step `start`: a linear warm-up over its first `warmup` steps to
        the schedule's rate there, then the schedule itself."""
        target = self.rate(start + local_step)
        if local_step < warmup:
            return target * (local_step + 1) / warmup
        return target

    def finished(self, step: int) -> bool:
        return step >= self.total_steps


def load_schedule(path: str) -> Schedule:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    missing = {"recipe", "base_lr", "total_steps"} - set(data)
    if missing:
        raise ValueError(f"{path}: a schedule needs {sorted(missing)}")
    return Schedule(recipe=str(data["recipe"]), base_lr=float(data["base_lr"]), total_steps=int(data["total_steps"]),
                    step=int(data.get("step", 0)), power=float(data.get("power", 0.9)), runs=list(data.get("runs", [])))


def save_schedule(path: str, schedule: Schedule) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(asdict(schedule), f, indent=2)
        f.write("\n")
