#!/usr/bin/env bash
# One training run on a lent GPU machine (the device tool: one command of at most 10 minutes, its files coming
# back from $OUT at most 16 MiB each). It trains from the shipped weights on the pack that
# tools/pack_training_data.py made here, and leaves in $OUT the run's log and two weight-only checkpoints,
# last.pt and ema.pt, which tools/export_onnx.py and tools/evaluate.py take as they take a CPU run's.
#
#   here:   /usr/bin/python3 tools/pack_training_data.py --backgrounds .work/backgrounds --quality 60 --folder-side 512 \
#             --folder videos=.work/videos/images --folder negatives=../shared/datasets/backgrounds/coco/images \
#             --teacher ../shared/models/bodypix-mobilenet-v1-075/tfjs                    # .work/pack, about 31 MiB
#   device: bash tools/device_train.sh        (carry [".work/pack"], timeout_s 600; MINUTES=7 by default)
#
# The training settings are the CPU recipe's (models/README.md: distillation from BodyPix on every crop, the
# schedule record models/schedule.json continued) with a larger batch and batch-making workers; --minutes ends the
# run on time whatever the GPU's speed, and $OUT/schedule.json is the record to ship with the weights.
set -euo pipefail
cd "$(dirname "$0")/.."
PACK=${PACK:-.work/pack}
OUT=${OUT:?set OUT to the folder for the results}
MINUTES=${MINUTES:-7}
BATCH=${BATCH:-32}
WORKERS=${WORKERS:-$(( $(nproc) > 2 ? $(nproc) - 2 : 1 ))}
PY=${PY:-python3}
export PYTHONUNBUFFERED=1

[ -f "$PACK/coco/splits/train.txt" ] && [ -f "$PACK/teacher/model-stride16.json" ] ||
  { echo "device_train: no pack with the teacher at $PACK (run tools/pack_training_data.py here and carry it)" >&2; exit 2; }
nvidia-smi -L 2>/dev/null || echo "device_train: no nvidia-smi (training runs on whatever torch finds)"
"$PY" -c 'import torch, onnx; print("torch", torch.__version__, "cuda", torch.cuda.is_available())'

run=$(mktemp -d)
"$PY" tools/train.py \
  --train "pseudo:$PACK/coco:$PACK/coco/splits/train.txt" --train "pseudo:$PACK/coco:$PACK/coco/splits/train.txt" \
  --train "pseudo:$PACK/coco:$PACK/coco/splits/extra.txt" --train "images:$PACK/videos" \
  --train "negatives:$PACK/negatives" --val "pseudo:$PACK/coco:$PACK/coco/splits/val.txt" \
  --backgrounds "$PACK/backgrounds" --backgrounds "$PACK/negatives" --composite-prob 0.3 \
  --teacher "$PACK/teacher/model-stride16.json" --schedule models/schedule.json \
  --init-onnx models/fchardnet70_parts.onnx --out "$run" --minutes "$MINUTES" --steps 10000000 \
  --batch "$BATCH" --crop 256x256 --warmup 200 --eval-every 2000 --save-every 1000 --ema 0.999 \
  --workers "$WORKERS" --threads 4 --seed "${SEED:-10}" 2>&1 | tee "$OUT/train.log"
cp "$run/log.jsonl" "$run/schedule.json" "$OUT/"
# The optimiser state would triple last.pt (past the 16 MiB a returned file may have): keep the weights only.
"$PY" - "$run" "$OUT" <<'PY'
import os, sys, torch
run, out = sys.argv[1:]
for name in ("last.pt", "ema.pt"):
    state = torch.load(os.path.join(run, name), map_location="cpu", weights_only=False)
    state.pop("optimizer", None)
    state.pop("scaler", None)
    state.get("extra", {}).pop("adapter", None)  # the distillation adapter serves training only
    torch.save(state, os.path.join(out, name))
    print(f"{name}: step {state['step']}, {os.path.getsize(os.path.join(out, name)) / 2**20:.1f} MiB")
PY
