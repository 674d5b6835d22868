#!/usr/bin/env python3
"""Train FC-HarDNet-70 for body parts.

    python3 tools/train.py --train pseudo:.work/data:.work/splits/train.txt --val pseudo:.work/data:.work/splits/test.txt \
        --out runs/parts --steps 4000 --batch 8 --crop 256x256
    python3 tools/train.py ... --resume            # continues from runs/parts/last.pt

Datasets are given as KIND:PATH[:ARG] (pseudo, lip, cihp, ppp, mhp; see fchardnet/datasets.py) and can
be repeated. Checkpoints (runs/<name>/last.pt, every --save-every steps and at the end) hold the model,
optimiser, step and RNG state, so a run interrupted anywhere resumes where it stopped. Uses CUDA with
mixed precision when a GPU is present, the CPU otherwise. Logs the loss, and the per-class IoU on the
validation set every --eval-every steps (also to runs/<name>/log.jsonl).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import copy
import json
import multiprocessing
import os
import random
import sys
import time
from typing import List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fchardnet.augment import Augmenter  # noqa: E402
from fchardnet.bodypix import Teacher  # noqa: E402
from fchardnet.checkpoint import load_checkpoint, save_checkpoint  # noqa: E402
from fchardnet.datasets import read_rgb, samples_from_spec  # noqa: E402
from fchardnet import soft as soft_targets  # noqa: E402
from fchardnet.distill import Distiller  # noqa: E402
from fchardnet.infer import normalise, predict_labels  # noqa: E402
from fchardnet.labels import IGNORE, LabelSet, default_label_set, load_label_set  # noqa: E402
from fchardnet.metrics import confusion, format_scores, scores  # noqa: E402
from fchardnet.model import FCHarDNet70  # noqa: E402
from fchardnet.onnx_weights import class_names_from_onnx, load_onnx_weights  # noqa: E402
from fchardnet.schedule import load_schedule, save_schedule  # noqa: E402


def parse_size(text: str):
    h, w = (int(v) for v in text.lower().split("x"))
    return h, w


class CachedSet:
    """Decoded images and labels kept in memory (the pseudo-labelled set is small); for large
    datasets use --no-cache and they are read per sample."""

    def __init__(self, samples, cache: bool = True, soft_folders: Sequence[str] = ()) -> None:
        self.samples = samples
        self.cache = {} if cache else None
        self.soft_folders = list(soft_folders)
        self.soft_cache: dict = {}

    def __len__(self) -> int:
        return len(self.samples)

    def get(self, i: int):
        if self.cache is not None and i in self.cache:
            return self.cache[i]
        s = self.samples[i]
        image, label = read_rgb(s.image_path), s.load_label()
        if image.shape[:2] != label.shape:
            raise ValueError(f"{s.image_path}: image {image.shape[:2]} and label {label.shape} differ in size")
        if self.cache is not None:
            self.cache[i] = (image, label)
        return image, label

    def get_soft(self, i: int):
        """The sample's stored soft target at its image's size (float32 [H, W, C]), or None (--soft)."""
        if not self.soft_folders:
            return None
        if i not in self.soft_cache:
            path = soft_targets.find(self.soft_folders, os.path.splitext(os.path.basename(self.samples[i].image_path))[0])
            self.soft_cache[i] = None if path is None else np.load(path)
        small = self.soft_cache[i]
        if small is None:
            return None
        h, w = self.get(i)[1].shape
        return soft_targets.upsample(small, h, w)


def class_weights(dataset: CachedSet, num_classes: int, c: float = 1.2) -> torch.Tensor:
    """ENet-style weights 1 / ln(c + p_class) from the labelled pixel frequencies."""
    counts = np.zeros(num_classes, dtype=np.float64)
    for i in range(len(dataset)):
        _, label = dataset.get(i)
        valid = label[label != IGNORE]
        counts += np.bincount(valid, minlength=num_classes)[:num_classes]
    p = counts / max(counts.sum(), 1)
    return torch.tensor(1.0 / np.log(c + p), dtype=torch.float32)


def cpu_has_bf16() -> bool:
    """True where /proc/cpuinfo lists AVX-512 BF16 (oneDNN then runs bfloat16 convolutions natively)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return "avx512_bf16" in f.read()
    except OSError:
        return False


def seconds_per_step(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, weights, bf16: bool,
                     repeats: int = 3) -> float:
    """Median time of a forward and backward pass on one batch, with the model's weights, BatchNorm statistics and
    gradients left as they were (a measurement, not a training step)."""
    saved = {k: v.clone() for k, v in model.state_dict().items()}
    times = []
    for i in range(repeats + 1):  # the first pass builds oneDNN's kernels and is not counted
        start = time.perf_counter()
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16) if bf16 else contextlib.nullcontext():
            logits = F.interpolate(model(x), size=y.shape[1:], mode="bilinear", align_corners=False)
            loss = F.cross_entropy(logits.float(), y, weight=weights, ignore_index=IGNORE)
        loss.backward()
        if i:
            times.append(time.perf_counter() - start)
    model.load_state_dict(saved)
    model.zero_grad(set_to_none=True)
    return float(np.median(times))


class WeightAverage:
    """An exponential moving average of a model's weights and BatchNorm statistics, kept beside the trained model.

    Near the end of a run the validation score of the last weights wanders by about 0.01 from one evaluation to the
    next; the average of the last few thousand steps is the same network with that noise smoothed out."""

    def __init__(self, model: torch.nn.Module, decay: float) -> None:
        self.decay = decay
        self.model = copy.deepcopy(model).eval()
        for p in self.model.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        current = model.state_dict()
        for name, avg in self.model.state_dict().items():
            value = current[name].detach()
            if avg.dtype.is_floating_point:
                avg.mul_(self.decay).add_(value.to(avg.dtype), alpha=1.0 - self.decay)
            else:
                avg.copy_(value)  # BatchNorm's batch counter


def hard_loss(logits: torch.Tensor, y: torch.Tensor, weights) -> torch.Tensor:
    """Cross-entropy on the known pixels; zero (not NaN) for a batch with none, e.g. only unlabelled frames."""
    if not bool((y != IGNORE).any()):
        return logits.sum() * 0.0
    return F.cross_entropy(logits.float(), y, weight=weights, ignore_index=IGNORE)


def make_batch(dataset: CachedSet, aug: Augmenter, batch: int, rng: np.random.Generator):
    """(x, y, soft): soft is None without --soft, else [B, C, H, W] with zeros for the crops that have no target
    (which the soft loss skips)."""
    xs, ys, ss = [], [], []
    for _ in range(batch):
        i = int(rng.integers(0, len(dataset)))
        image, label = dataset.get(i)
        target = dataset.get_soft(i)
        if target is None:
            img, lbl = aug(image, label, rng)
            ss.append(None)
        else:
            img, lbl, crop_target = aug(image, label, rng, soft=target)
            ss.append(crop_target.transpose(2, 0, 1))
        xs.append(normalise(img))
        ys.append(lbl.astype(np.int64))
    soft = None
    channels = next((t.shape[0] for t in ss if t is not None), 0)
    if channels:
        blank = np.zeros((channels,) + ys[0].shape, np.float32)
        soft = torch.from_numpy(np.stack([blank if t is None else t for t in ss]))
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys)), soft


# Batch-making processes (--workers): forked after the images are cached, so they share the cache copy-on-write.
_WORKER: dict = {}


def _init_worker(dataset: CachedSet, aug: Augmenter) -> None:
    _WORKER["dataset"], _WORKER["aug"] = dataset, aug
    torch.set_num_threads(1)


def _worker_batch(seed: int, step: int, batch: int):
    # The batch of a step depends only on (seed, step), whichever worker makes it and however the run was resumed.
    return make_batch(_WORKER["dataset"], _WORKER["aug"], batch, np.random.default_rng([seed, step]))


class BatchMaker:
    """The training batches, made in this process (workers=0) or by a pool of forked processes that keep
    2 x workers batches in flight, so that a GPU is not left waiting on the CPU's augmentation."""

    def __init__(self, dataset: CachedSet, aug: Augmenter, batch: int, rng: np.random.Generator, workers: int,
                 seed: int, step: int) -> None:
        self.dataset, self.aug, self.batch, self.rng = dataset, aug, batch, rng
        self.seed, self.next_step, self.depth, self.pool = seed, step, 2 * workers, None
        self.pending: "collections.deque" = collections.deque()
        if workers > 0:
            for i in range(len(dataset)):
                dataset.get(i)  # fill the cache before forking
            self.pool = multiprocessing.get_context("fork").Pool(workers, _init_worker, (dataset, aug))

    def next(self):
        if self.pool is None:
            return make_batch(self.dataset, self.aug, self.batch, self.rng)
        while len(self.pending) < self.depth:
            self.pending.append(self.pool.apply_async(_worker_batch, (self.seed, self.next_step, self.batch)))
            self.next_step += 1
        return self.pending.popleft().get()

    def close(self) -> None:
        if self.pool is not None:
            # Let the batches in flight finish first: terminate() with results outstanding can trip an assertion
            # inside multiprocessing ("Cannot have cache with result_handler not alive").
            for result in self.pending:
                result.wait()
            self.pending.clear()
            self.pool.close()
            self.pool.join()
            self.pool = None


def evaluate(model: torch.nn.Module, dataset: CachedSet, labels: LabelSet, size) -> dict:
    model.eval()
    conf = np.zeros((labels.num_classes, labels.num_classes), dtype=np.int64)
    for i in range(len(dataset)):
        image, label = dataset.get(i)
        conf += confusion(predict_labels(model, image, size), label, labels.num_classes)
    model.train()
    return scores(conf, labels.names)


def load_backgrounds(folders: Sequence[str], max_side: int = 800) -> List[np.ndarray]:
    from fchardnet.infer import resize_rgb

    out = []
    for folder, name in ((f, n) for f in folders for n in sorted(os.listdir(f))):
        if name.lower().endswith((".jpg", ".jpeg", ".png")):
            img = read_rgb(os.path.join(folder, name))
            s = max_side / max(img.shape[:2])
            if s < 1:
                img = resize_rgb(img, int(img.shape[1] * s), int(img.shape[0] * s))
            out.append(img)
    return out


def poly_lr(base: float, step: int, progress: float, warmup: int, power: float = 0.9) -> float:
    """Linear warm-up over `warmup` steps, then poly decay over `progress` (0..1 of the run)."""
    if step < warmup:
        return base * (step + 1) / warmup
    return base * max(1.0 - progress, 1e-3) ** power


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", action="append", required=True, help="training data KIND:PATH[:ARG] (repeatable)")
    p.add_argument("--val", action="append", default=[], help="validation data KIND:PATH[:ARG] (repeatable)")
    p.add_argument("--classes-yaml", help="label set YAML (default: the nine-part default set)")
    p.add_argument("--backgrounds", action="append", default=[],
                   help="folder of person-free images to composite people onto (repeatable)")
    p.add_argument("--out", required=True, help="run folder (checkpoints, log.jsonl)")
    p.add_argument("--steps", type=int, default=4000)
    p.add_argument("--minutes", type=float, default=None,
                   help="train for this much wall-clock time instead: the learning rate decays over the time "
                        "(resumes count the time already spent) and --steps only caps the run")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--crop", default="256x256", help="training crop HxW")
    p.add_argument("--eval-size", default="288x512", help="network input HxW for validation (stretch)")
    p.add_argument("--optimizer", choices=["adamw", "sgd"], default="adamw")
    p.add_argument("--lr", type=float, default=None, help="base LR (default 2e-3 adamw, 2e-2 sgd)")
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--class-weights", choices=["enet", "none"], default="enet")
    p.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    p.add_argument("--init", help="start from this checkpoint's weights (fine-tuning)")
    p.add_argument("--init-onnx", help="start from the weights of an exported fp32 ONNX file (e.g. the shipped "
                                       "models/fchardnet70_parts.onnx), so a run continues on any machine")
    p.add_argument("--composite-prob", type=float, default=0.4,
                   help="share of samples that paste the people onto a background (with --backgrounds)")
    p.add_argument("--save-every", type=int, default=100)
    p.add_argument("--eval-every", type=int, default=500)
    p.add_argument("--ema", type=float, default=0.0,
                   help="also keep an exponential moving average of the weights with this decay (e.g. 0.999), "
                        "evaluated beside them and saved as OUT/ema.pt; 0: off")
    p.add_argument("--teacher", help="BodyPix tfjs model JSON (e.g. ../shared/models/bodypix-mobilenet-v1-075/tfjs/"
                                     "model-stride16.json): distil its soft targets and features on every crop")
    p.add_argument("--kd-weight", type=float, default=1.0, help="weight of the soft-target loss (with --teacher)")
    p.add_argument("--kd-temperature", type=float, default=2.0, help="softening temperature (with --teacher)")
    p.add_argument("--feature-weight", type=float, default=1.0,
                   help="weight of the stride-16 feature loss (with --teacher; 0: off)")
    p.add_argument("--soft", action="append", default=[],
                   help="folder of stored soft targets (<stem>.soft.npy, from make_coco_labels.py or label_images.py "
                        "--soft), learnt on every augmented crop beside the hard labels (repeatable)")
    p.add_argument("--soft-weight", type=float, default=1.0, help="weight of the stored soft-target loss (with --soft)")
    p.add_argument("--schedule", help="schedule record (e.g. models/schedule.json): the learning rate continues its "
                                      "poly decay from the step recorded there, and OUT/schedule.json records the "
                                      "step this run reached; --lr and the step count of the decay come from it")
    p.add_argument("--log-every", type=int, default=20)
    p.add_argument("--threads", type=int, default=2, help="CPU threads")
    p.add_argument("--workers", type=int, default=0,
                   help="processes that make batches ahead (for a GPU; 0: in this process, best on a small CPU)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--training-data", default="", help="summary stored in checkpoints (and the exported metadata)")
    p.add_argument("--no-cache", action="store_true", help="read images per sample instead of caching them")
    p.add_argument("--cpu", action="store_true", help="ignore any GPU")
    p.add_argument("--cpu-bf16", choices=["auto", "on", "off"], default="auto",
                   help="on a CPU, run forward and backward under bfloat16 autocast (master weights stay float32); "
                        "auto: where the CPU has AVX-512 BF16 and a timed pass of each is faster with it")
    args = p.parse_args(argv)

    if args.teacher and args.soft:
        p.error("--teacher (BodyPix run on every crop) and --soft (stored targets) are two sources of one loss: pick one")
    torch.set_num_threads(args.threads)
    device = torch.device("cuda" if torch.cuda.is_available() and not args.cpu else "cpu")
    use_amp = device.type == "cuda"
    use_bf16 = device.type == "cpu" and (args.cpu_bf16 == "on" or (args.cpu_bf16 == "auto" and cpu_has_bf16()))
    labels = load_label_set(args.classes_yaml) if args.classes_yaml else default_label_set()
    train_samples = [s for spec in args.train for s in samples_from_spec(spec, labels)]
    val_samples = [s for spec in args.val for s in samples_from_spec(spec, labels)]
    train_set = CachedSet(train_samples, not args.no_cache, args.soft)
    val_set = CachedSet(val_samples, not args.no_cache)
    crop = parse_size(args.crop)
    eval_hw = parse_size(args.eval_size)
    eval_size = (eval_hw[1], eval_hw[0])
    aug = Augmenter(crop, labels.flip_lut(), load_backgrounds(args.backgrounds), composite_prob=args.composite_prob)
    os.makedirs(args.out, exist_ok=True)
    last_path = os.path.join(args.out, "last.pt")
    log_path = os.path.join(args.out, "log.jsonl")

    torch.manual_seed(args.seed)
    model = FCHarDNet70(labels.num_classes)
    schedule = load_schedule(args.schedule) if args.schedule else None
    if schedule is not None:
        if schedule.finished(schedule.step):
            raise SystemExit(f"{args.schedule}: the schedule has reached its end ({schedule.total_steps} steps)")
        lr = schedule.base_lr
    else:
        lr = args.lr if args.lr is not None else (2e-3 if args.optimizer == "adamw" else 2e-2)
    if args.optimizer == "adamw":
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=args.weight_decay)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=args.weight_decay, nesterov=True)
    distiller = None
    if args.teacher:
        distiller = Distiller(Teacher(args.teacher, device), args.kd_temperature, args.kd_weight, args.feature_weight)
        opt.add_param_group({"params": list(distiller.adapter.parameters())})
    scaler = torch.cuda.amp.GradScaler(enabled=use_amp)
    step = 0
    spent = 0.0  # seconds of training before this process (for --minutes)
    rng = np.random.default_rng(args.seed)
    if args.resume and os.path.exists(last_path):
        state = load_checkpoint(last_path)
        if list(state["class_names"]) != labels.names:
            raise SystemExit(f"{last_path} was trained on {state['class_names']}, not {labels.names}")
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        if "scaler" in state and use_amp:
            scaler.load_state_dict(state["scaler"])
        step = int(state["step"])
        extra = state.get("extra", {})
        spent = float(extra.get("seconds", 0.0))
        if "rng" in extra:
            rng.bit_generator.state = extra["rng"]
        if "torch_rng" in extra:
            torch.set_rng_state(extra["torch_rng"])
        print(f"resumed from {last_path} at step {step}")
    elif args.init:
        state = load_checkpoint(args.init)
        if list(state["class_names"]) != labels.names:
            raise SystemExit(f"{args.init} was trained on {state['class_names']}, not {labels.names}")
        model.load_state_dict(state["model"])
        print(f"initialised from {args.init}")
    elif args.init_onnx:
        onnx_names = class_names_from_onnx(args.init_onnx)
        if onnx_names is not None and onnx_names != labels.names:
            raise SystemExit(f"{args.init_onnx} was trained on {onnx_names}, not {labels.names}")
        calib_rng = np.random.default_rng(args.seed + 1)
        calibration = [make_batch(train_set, aug, args.batch, calib_rng)[0] for _ in range(4)]
        load_onnx_weights(model, args.init_onnx, calibration)
        print(f"initialised from {args.init_onnx} (BatchNorm statistics from {4 * args.batch} training crops)")
    model.to(device).train()
    if device.type == "cpu":
        # oneDNN's convolutions are faster on NHWC tensors; the exported graph does not depend on it.
        model.to(memory_format=torch.channels_last)
    ema = WeightAverage(model, args.ema) if args.ema > 0 else None
    if distiller is not None:
        distiller.to(device)
        distiller.attach(model)  # after the weight average's copy: the feature hook must not be copied into it
    ema_path = os.path.join(args.out, "ema.pt")
    if ema is not None and args.resume and os.path.exists(ema_path):
        ema.model.load_state_dict(load_checkpoint(ema_path)["model"])
        print(f"weight average resumed from {ema_path}")
    if distiller is not None and args.resume and os.path.exists(last_path):
        adapter = load_checkpoint(last_path).get("extra", {}).get("adapter")
        if adapter is not None:
            distiller.adapter.load_state_dict(adapter)
    weights = class_weights(train_set, labels.num_classes) if args.class_weights == "enet" else None
    if weights is not None:
        print("class weights: " + ", ".join(f"{n} {w:.2f}" for n, w in zip(labels.names, weights.tolist())))
        weights = weights.to(device)
    if device.type == "cpu" and args.cpu_bf16 == "auto" and use_bf16:
        # AVX-512 BF16 does not make bfloat16 faster everywhere (0.42 s against 0.68 s a step on one 2-core AMD
        # EPYC, 0.92 s against 0.76 s on a 2-core Intel Xeon), so auto times both on a training batch.
        x, y, _ = make_batch(train_set, aug, args.batch, np.random.default_rng(args.seed + 2))
        x = x.contiguous(memory_format=torch.channels_last)
        t_fp32 = seconds_per_step(model, x, y, weights, bf16=False)
        t_bf16 = seconds_per_step(model, x, y, weights, bf16=True)
        use_bf16 = t_bf16 < t_fp32
        print(f"--cpu-bf16 auto: a step takes {t_fp32:.2f} s in float32, {t_bf16:.2f} s under bfloat16 autocast: "
              f"using {'bfloat16' if use_bf16 else 'float32'}")
    budget = f"{args.minutes:g} minutes (at most {args.steps} steps)" if args.minutes else f"{args.steps} steps"
    print(f"{len(train_set)} training images, {len(val_set)} validation images, device {device}, "
          f"crop {crop[0]}x{crop[1]}, batch {args.batch}, {budget}, {args.optimizer} lr {lr:g}"
          + (", bfloat16 autocast" if use_bf16 else ""))

    t0 = time.time()

    def seconds() -> float:
        return spent + time.time() - t0

    def progress() -> float:
        if schedule is not None and schedule.finished(schedule.step + step):
            return 1.0
        if args.minutes:
            return min(max(seconds() / (args.minutes * 60), step / args.steps), 1.0)
        return min(step / args.steps, 1.0)

    def rate() -> float:
        if schedule is not None:
            return schedule.run_rate(schedule.step, step, args.warmup)
        return poly_lr(lr, step, progress(), args.warmup)

    def save():
        extra = {"rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state(), "args": vars(args),
                 "seconds": seconds()}
        if distiller is not None:
            extra["adapter"] = distiller.adapter.state_dict()
        if schedule is not None:
            reached = copy.deepcopy(schedule)
            reached.step = schedule.step + step
            reached.runs.append({"from_step": schedule.step, "to_step": reached.step, "minutes": round(seconds() / 60, 1),
                                 "val_miou": last_val})
            save_schedule(os.path.join(args.out, "schedule.json"), reached)
        save_checkpoint(last_path, model, labels, step=step, optimizer=opt, scaler=scaler if use_amp else None,
                        training_data=args.training_data, input_size=(eval_size[0], eval_size[1]), extra=extra)
        if ema is not None:
            save_checkpoint(ema_path, ema.model, labels, step=step, training_data=args.training_data,
                            input_size=(eval_size[0], eval_size[1]), extra={"args": vars(args), "ema": args.ema})

    running = 0.0
    seen = 0
    parts_sum = np.zeros(3)  # hard, soft-target and feature losses since the last log line
    last_val = None
    batches = BatchMaker(train_set, aug, args.batch, rng, args.workers, args.seed, step)
    with open(log_path, "a", encoding="utf-8") as log, contextlib.closing(batches):
        while progress() < 1.0:
            for group in opt.param_groups:
                group["lr"] = rate()
            x, y, stored = batches.next()
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            if device.type == "cpu":
                x = x.contiguous(memory_format=torch.channels_last)
            if use_amp:
                autocast = torch.autocast(device_type="cuda", dtype=torch.float16)
            elif use_bf16:
                autocast = torch.autocast(device_type="cpu", dtype=torch.bfloat16)
            else:
                autocast = contextlib.nullcontext()
            with autocast:
                logits = model(x)
                logits = F.interpolate(logits, size=y.shape[1:], mode="bilinear", align_corners=False)
                loss = hard_loss(logits, y, weights)
                if distiller is not None:
                    kd, feature = distiller.losses(x, logits)
                    parts_sum += [float(loss), float(kd), float(feature)]
                    loss = loss + distiller.kd_weight * kd + distiller.feature_weight * feature
                elif stored is not None:
                    kd = soft_targets.soft_loss(logits, stored.to(device), y)
                    parts_sum += [float(loss), float(kd), 0.0]
                    loss = loss + args.soft_weight * kd
            opt.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
            if ema is not None:
                ema.update(model)
            step += 1
            last = progress() >= 1.0
            if torch.isfinite(loss):
                running += float(loss)
                seen += 1
            if step % args.log_every == 0 or last:
                entry = {"step": step, "loss": running / max(seen, 1), "lr": opt.param_groups[0]["lr"], "time": time.time()}
                detail = ""
                if distiller is not None or args.soft:
                    entry["hard"], entry["soft"], entry["feature"] = (parts_sum / max(seen, 1)).tolist()
                    detail = f" (hard {entry['hard']:.4f}, soft {entry['soft']:.4f}, feature {entry['feature']:.4f})"
                    parts_sum[:] = 0
                print(f"step {step} ({100 * progress():.1f} %) loss {entry['loss']:.4f}{detail} lr {entry['lr']:.2e} "
                      f"({seconds():.0f} s)", flush=True)
                log.write(json.dumps(entry) + "\n")
                log.flush()
                running, seen = 0.0, 0
            if val_set and (step % args.eval_every == 0 or last):
                validated = [("val", "", model)] + ([("val_ema", " (weight average)", ema.model)] if ema else [])
                for key, what, net in validated:
                    result = evaluate(net.to("cpu"), val_set, labels, eval_size)
                    net.to(device)
                    print(f"val step {step}{what}: {format_scores(result)}", flush=True)
                    if key == "val":
                        last_val = round(float(result["miou"]), 4)
                    log.write(json.dumps({"step": step, key: result}) + "\n")
                log.flush()
            if step % args.save_every == 0 or last:
                save()  # after validation, so the schedule record carries this step's figure
    print(f"done: {step} steps in {seconds():.0f} s; checkpoint {last_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
