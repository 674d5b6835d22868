#!/usr/bin/env bash
# CI smoke of the model tools (full training never runs here):
#   unit tests; a few training steps on two tiny generated images; resume from the checkpoint; export to
#   ONNX (fp32 and fp16) with the PyTorch/ONNX parity check (max abs diff <= 1e-4 for fp32); evaluate
#   the exported file; person precision/recall on two COCO photos when the CLI is built; the teacher's Node
#   unit tests when node is installed; with ../shared, the BodyPix + COCO labels of two photos, the PyTorch
#   BodyPix's parity with the Node teacher on one photo, three distillation steps and the teacher-only labeller
#   (tools/label_images.py) on one demo photo.
# Installs nothing. Needs: python3-torch python3-onnx python3-numpy python3-yaml python3-pil.
# Prints one line per check and closes with 'N passed, N failed[, N skipped]'; exits non-zero on failure.
set -u
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export PYTHONWARNINGS=ignore
passed=0
failed=0
skipped=0

check() {
  local name=$1
  shift
  if "$@" >"$TMP/$name.log" 2>&1; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    tail -n 25 "$TMP/$name.log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}

# Unit tests count one by one: take their own closing line.
"$PY" tools/tests/test_tools.py >"$TMP/unit.log" 2>&1
grep -E '^(PASS|FAIL) ' "$TMP/unit.log"
unit_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/unit.log" | tail -n 1)
if [ -n "$unit_line" ]; then
  passed=$((passed + $(echo "$unit_line" | cut -d' ' -f1)))
  failed=$((failed + $(echo "$unit_line" | cut -d' ' -f3)))
  grep -q '^FAIL ' "$TMP/unit.log" && sed -n '/Traceback/,/^PASS\|^FAIL/p' "$TMP/unit.log" | head -n 60 | sed 's/^/    /'
else
  echo "FAIL unit-tests (did not finish)"
  tail -n 25 "$TMP/unit.log" | sed 's/^/    /'
  failed=$((failed + 1))
fi

make_data() {
  "$PY" - "$TMP/data" <<'PYEOF'
import os, sys
import numpy as np
from PIL import Image
root = sys.argv[1]
os.makedirs(f"{root}/images"); os.makedirs(f"{root}/labels")
rng = np.random.default_rng(0)
for n in range(2):
    img = (rng.random((64, 96, 3)) * 60 + 40).astype(np.uint8)
    lbl = np.zeros((64, 96), np.uint8)
    x = 20 + 40 * n
    for cls, (y0, y1, x0, x1), colour in [(1, (4, 14, x + 4, x + 12), (230, 180, 150)), (2, (14, 34, x, x + 16), (40, 90, 200)),
                                          (6, (34, 46, x + 1, x + 15), (30, 30, 60)), (7, (46, 58, x + 2, x + 14), (30, 30, 60)),
                                          (8, (58, 62, x, x + 16), (20, 20, 20))]:
        lbl[y0:y1, x0:x1] = cls
        img[y0:y1, x0:x1] = colour
    lbl[0:2, :] = 255  # some ignore
    Image.fromarray(img).save(f"{root}/images/tiny_{n}.png")
    Image.fromarray(lbl).save(f"{root}/labels/tiny_{n}.png")
PYEOF
}

train_steps() {
  "$PY" tools/train.py --train "pseudo:$TMP/data" --val "pseudo:$TMP/data" --out "$TMP/run" --steps 4 --batch 2 \
    --crop 64x64 --eval-size 64x96 --save-every 2 --eval-every 4 --log-every 1 --warmup 2 --training-data "smoke" \
    | tee "$TMP/train.out" &&
    grep -q '^val step 4: mIoU' "$TMP/train.out" && test -f "$TMP/run/last.pt"
}

resume_steps() {
  "$PY" tools/train.py --train "pseudo:$TMP/data" --out "$TMP/run" --steps 6 --batch 2 --crop 64x64 --log-every 1 \
    --warmup 2 --resume --training-data "smoke" | tee "$TMP/resume.out" &&
    grep -q 'resumed from .* at step 4' "$TMP/resume.out" &&
    "$PY" -c "import sys, torch; s = torch.load(sys.argv[1]); sys.exit(0 if s['step'] == 6 else 1)" "$TMP/run/last.pt"
}

timed_run() {
  # A wall-clock budget ends the run by itself, far below the step cap, and is kept for a resume.
  "$PY" tools/train.py --train "pseudo:$TMP/data" --out "$TMP/timed" --minutes 0.05 --steps 100000 --batch 2 \
    --crop 64x64 --log-every 1000 --warmup 2 | tee "$TMP/timed.out" &&
    grep -q '^done: .* steps in [0-9]* s' "$TMP/timed.out" &&
    "$PY" -c "import sys, torch; s = torch.load(sys.argv[1]); e = s['extra']
sys.exit(0 if 0 < s['step'] < 100000 and 3 <= e['seconds'] < 60 else 1)" "$TMP/timed/last.pt"
}

export_fp32() {
  "$PY" tools/export_onnx.py --checkpoint "$TMP/run/last.pt" --width 96 --height 64 --out "$TMP/m.onnx" \
    --check-size 64x96 --tolerance 1e-4 &&
    "$PY" -c "
import json, sys, onnx
m = onnx.load(sys.argv[1]); meta = {p.key: p.value for p in m.metadata_props}
assert meta['weights'] == 'trained' and meta['training_data'] == 'smoke', meta
assert len(json.loads(meta['class_names'])) == 9 and meta['input_width'] == '96'" "$TMP/m.onnx"
}

export_fp16() {
  "$PY" tools/export_onnx.py --checkpoint "$TMP/run/last.pt" --width 96 --height 64 --fp16 --out "$TMP/m16.onnx" --check-size 64x96
}

evaluate_onnx() {
  "$PY" tools/evaluate.py --onnx "$TMP/m.onnx" --data "pseudo:$TMP/data" --overlays "$TMP/overlays" --json "$TMP/eval.json" &&
    test -f "$TMP/overlays/tiny_0.png" &&
    "$PY" -c "import json, sys; r = json.load(open(sys.argv[1])); assert r['images'] == 2 and 0 <= r['miou'] <= 1" "$TMP/eval.json"
}

evaluate_people_two() {
  # Person precision/recall on two COCO photos through the built CLI, both groupings.
  "$PY" tools/evaluate_people.py --limit 2 --json "$TMP/people.json" &&
    "$PY" -c "import json, sys; r = json.load(open(sys.argv[1]))['results']
assert [x['grouping'] for x in r] == ['split', 'components'] and all(x['images'] == 2 and 0 <= x['precision'] <= 1 for x in r), r" "$TMP/people.json"
}

check make-tiny-data make_data
check train-4-steps train_steps
check resume-to-6-steps resume_steps
check time-budget-run timed_run
check export-fp32-parity export_fp32
check export-fp16 export_fp16
check evaluate-exported-onnx evaluate_onnx

CLI=src/RosPartSeg.Cli/bin/Release/net10.0/rospartseg
if [ -x "$CLI" ] && "$PY" -c "import sys; sys.path.insert(0, 'tools'); import evaluate_people; sys.exit(0 if evaluate_people.find_dataset() else 1)"; then
  check evaluate-people-two-photos evaluate_people_two
else
  echo "SKIP evaluate-people-two-photos (CLI not built or coco-people not found)"
  skipped=$((skipped + 1))
fi

if command -v node >/dev/null 2>&1; then
  check teacher-node-tests node --test tools/teacher/test/
else
  echo "SKIP teacher-node-tests (node not installed)"
  skipped=$((skipped + 1))
fi

coco_teacher() {
  # The BodyPix + COCO teacher on one held-out and one training photo, then the real-label metrics.
  "$PY" tools/make_coco_labels.py --shared "$SHARED" --out "$TMP/coco" --limit 1 --no-blazepose | tee "$TMP/coco.out" &&
    grep -q '^make_coco_labels: 2 images (1 test, 0 val, 1 train' "$TMP/coco.out" &&
    "$PY" - "$TMP/coco" <<'PYEOF'
import os, sys
import numpy as np
from PIL import Image
root = sys.argv[1]
for split in ("test", "train"):
    stem = open(f"{root}/splits/{split}.txt").read().split()[0]
    labels = np.asarray(Image.open(f"{root}/labels/{stem}.png"))
    teacher = np.asarray(Image.open(f"{root}/bodypix_labels/{stem}.png"))
    image = Image.open(f"{root}/images/{stem}.jpg")
    assert labels.shape == teacher.shape == (image.height, image.width), (labels.shape, image.size)
    assert set(np.unique(labels)) <= set(range(9)) | {255} and (labels > 0).any() and (labels == 0).any()
PYEOF
}

coco_metrics() {
  "$PY" tools/evaluate.py --onnx "$TMP/m.onnx" --via-torch --data "pseudo:$TMP/coco:$TMP/coco/splits/test.txt" \
    --coco "$SHARED/datasets/coco-people" --json "$TMP/coco_eval.json" | tee "$TMP/coco_eval.out" &&
    grep -q 'person IoU, pooled' "$TMP/coco_eval.out" &&
    "$PY" -c "import json, sys; r = json.load(open(sys.argv[1]))
for k in ('real', 'teacher_real'):
    v = r[k]; assert v['images_with_masks'] == 1 and 0 <= v['person_iou_pooled'] <= 1 and v['keypoints'] > 0, (k, v)
assert r['teacher_real']['person_iou_pooled'] > 0.5, r['teacher_real']" "$TMP/coco_eval.json"
}

teacher_parity() {
  # The PyTorch BodyPix against the Node/tfjs-wasm teacher on one demo photo: folded labels equal on >= 99.5 %.
  "$PY" tools/bodypix_parity.py --shared "$SHARED" samples/debian/images/basketball1.png
}

distill_steps() {
  # A few steps with the teacher inside, on labelled and unlabelled images, continuing a schedule record.
  echo '{"recipe": "smoke", "base_lr": 0.001, "total_steps": 100, "step": 40}' >"$TMP/schedule.json"
  "$PY" tools/train.py --train "pseudo:$TMP/data" --train "images:$TMP/data/images" --out "$TMP/distill" --steps 3 \
    --batch 2 --crop 64x64 --log-every 1 --warmup 2 --teacher "$TEACHER_JSON" --schedule "$TMP/schedule.json" \
    | tee "$TMP/distill.out" &&
    grep -qE '^step 3 .*soft [0-9.]+, feature [0-9.]+' "$TMP/distill.out" &&
    "$PY" -c "import json, sys; s = json.load(open(sys.argv[1])); sys.exit(0 if s['step'] == 43 else 1)" \
      "$TMP/distill/schedule.json"
}

label_one_photo() {
  # The teacher-only labeller (BodyPix with test-time augmentation, BlazePose's limbs over it) on one demo photo.
  mkdir -p "$TMP/photo" && cp samples/debian/images/basketball1.png "$TMP/photo/" &&
    "$PY" tools/label_images.py --pose --shared "$SHARED" "$TMP/photo" "$TMP/labelled" | tee "$TMP/label.out" &&
    grep -q '^basketball1.png: 640x480, [0-9.]* s' "$TMP/label.out" && test -s "$TMP/labelled/pose/basketball1.json" &&
    "$PY" -c "
import sys, numpy as np
from PIL import Image
l = np.asarray(Image.open(sys.argv[1]))
assert l.shape == (480, 640) and set(np.unique(l)) <= set(range(9)) | {255}, (l.shape, np.unique(l))
assert (l == 0).mean() > 0.5 and (l == 1).any() and (l == 2).any(), 'no head or torso on basketball1'" "$TMP/labelled/basketball1.png"
}

SHARED=${SHARED:-$(cd .. && pwd)/shared}
TEACHER_JSON=$SHARED/models/bodypix-mobilenet-v1-075/tfjs/model-stride16.json
if [ -d "$SHARED/datasets/coco-people" ] && [ -f "$TEACHER_JSON" ] && [ -d tools/teacher/node_modules ]; then
  check coco-teacher-2-images coco_teacher
  check coco-real-label-metrics coco_metrics
  check teacher-pytorch-parity teacher_parity
  check distillation-3-steps distill_steps
  check label-images-one-photo label_one_photo
elif [ "${CI:-}" = "true" ]; then
  echo "FAIL coco-teacher (CI needs $SHARED/datasets/coco-people, $TEACHER_JSON and tools/teacher/node_modules)"
  failed=$((failed + 1))
else
  echo "SKIP coco-teacher-2-images, coco-real-label-metrics, teacher-pytorch-parity, distillation-3-steps," \
    "label-images-one-photo (no $SHARED/datasets/coco-people, $TEACHER_JSON or tools/teacher/node_modules)"
  skipped=$((skipped + 5))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
