#!/usr/bin/env python3
"""Unit tests of the training tools. Plain asserts and a tiny runner (no pytest needed):

    python3 tools/tests/test_tools.py          # prints 'N passed, N failed', exits non-zero on failure
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback

import numpy as np
import torch
import torch.nn.functional as F

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOOLS)

from fchardnet.augment import Augmenter, crop_pair, composite, hflip_pair, scale_pair  # noqa: E402
from fchardnet.checkpoint import labels_from_checkpoint, load_checkpoint, model_from_checkpoint, save_checkpoint  # noqa: E402
from fchardnet.datasets import label_map_from_dict, load_label_map, mhp_combine, mhp_person_files, read_label  # noqa: E402
from fchardnet.labels import IGNORE, default_label_set, label_set_from_dict  # noqa: E402
from fchardnet.limbs import split_limb  # noqa: E402
from fchardnet.metrics import confusion, scores  # noqa: E402
from fchardnet.model import FCHarDNet70, HarDBlock, count_parameters, harmonic_links, harmonic_width, initial_model, output_size  # noqa: E402
from fchardnet.coco import CocoImage, Person, decode_rle, from_blazepose  # noqa: E402
from fchardnet import bodypix, distill, fusion, schedule, tta  # noqa: E402
from fchardnet.datasets import samples_from_spec  # noqa: E402
from fchardnet.infer import normalise  # noqa: E402
from fchardnet.realmetrics import RealLabelScores  # noqa: E402
import onnx_numpy  # noqa: E402
import evaluate_people  # noqa: E402
import pack_training_data  # noqa: E402
import train  # noqa: E402

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def harmonic_links_follow_powers_of_two():
    assert harmonic_links(1) == [0]
    assert harmonic_links(2) == [1, 0]
    assert harmonic_links(4) == [3, 2, 0]
    assert harmonic_links(6) == [5, 4]
    assert harmonic_links(8) == [7, 6, 4, 0]


@test
def harmonic_width_rounds_to_even():
    assert harmonic_width(10, 1) == 10
    assert harmonic_width(10, 2) == 18  # 17 -> 18
    assert harmonic_width(10, 3) == 28  # 28.9 -> 28
    assert harmonic_width(32, 4) == 158  # 157.2 -> int(158.2 / 2) * 2


@test
def hardblock_keeps_odd_layers_and_last():
    block = HarDBlock(48, 10, 4)  # widths 10, 18, 10, 28; keeps layers 1, 3, 4
    assert block.kept == [1, 3, 4]
    assert block.out_channels == 48
    y = block(torch.zeros(1, 48, 8, 8))
    assert tuple(y.shape) == (1, 48, 8, 8)


@test
def fchardnet70_size_and_stride():
    model = FCHarDNet70(9).eval()
    assert count_parameters(model) == 4118767
    with torch.no_grad():
        assert tuple(model(torch.zeros(1, 3, 64, 96)).shape) == (1, 9, 16, 24)
        assert tuple(model(torch.zeros(2, 3, 70, 100)).shape) == (2, 9, *output_size(70, 100))
    assert output_size(70, 100) == (18, 25)


@test
def initial_model_is_deterministic_and_tame():
    a, b = initial_model(9), initial_model(9)
    for (ka, va), (kb, vb) in zip(a.state_dict().items(), b.state_dict().items()):
        assert ka == kb and torch.equal(va, vb), ka
    with torch.no_grad():
        y = a(torch.randn(1, 3, 64, 64, generator=torch.Generator().manual_seed(3)))
    assert float(y.abs().max()) < 50  # calibrated BatchNorm keeps logits near unit scale


@test
def label_set_yaml_and_flip_lut():
    ls = label_set_from_dict({"classes": [{"name": "background", "color": [0, 0, 0]}, "left_arm", "right_arm"],
                              "flip_pairs": [["left_arm", "right_arm"]]})
    lut = ls.flip_lut()
    assert lut[0] == 0 and lut[1] == 2 and lut[2] == 1 and lut[IGNORE] == IGNORE
    try:
        label_set_from_dict({"classes": ["a", "a"]})
        raise AssertionError("duplicate names accepted")
    except ValueError:
        pass


@test
def default_lut_maps_onto_a_coarse_set():
    ls = label_set_from_dict({"classes": ["background", "head", "body", "arm", "leg"],
                              "from_default": {"torso": "body", "upper_arm": "arm", "lower_arm": "arm", "hand": "arm",
                                               "upper_leg": "leg", "lower_leg": "leg", "foot": None}})
    lut = ls.default_lut()
    assert list(lut[:9]) == [0, 1, 2, 3, 3, 3, 4, 4, IGNORE]


@test
def metrics_exact_values():
    target = np.array([[0, 0, 1, 1], [2, 2, IGNORE, 1]], dtype=np.uint8)
    pred = np.array([[0, 1, 1, 1], [2, 0, 2, 1]], dtype=np.uint8)
    conf = confusion(pred, target, 3)
    assert conf.tolist() == [[1, 1, 0], [0, 3, 0], [1, 0, 1]]
    r = scores(conf, ["a", "b", "c"])
    assert abs(r["iou"]["a"] - 1 / 3) < 1e-9 and abs(r["iou"]["b"] - 3 / 4) < 1e-9 and abs(r["iou"]["c"] - 1 / 2) < 1e-9
    assert abs(r["pixel_accuracy"] - 5 / 7) < 1e-9


@test
def limb_split_by_nearest_bone():
    idx = {n: i for i, n in enumerate(default_label_set().names)}
    region = np.zeros((10, 40), dtype=bool)
    region[4:6, :] = True  # a horizontal arm from x=0 to x=39
    joints = {"r_shoulder": (2.0, 5.0), "r_elbow": (15.0, 5.0), "r_wrist": (28.0, 5.0)}
    out = split_limb(region, joints, "arm", idx, IGNORE, side="r")
    assert out[5, 5] == idx["upper_arm"]
    assert out[5, 20] == idx["lower_arm"]
    assert out[5, 36] == idx["hand"]  # beyond the wrist
    assert out[0, 0] == IGNORE  # outside the region
    assert (split_limb(region, None, "arm", idx, IGNORE) == IGNORE).all()  # no joints: ignore


@test
def lip_map_splits_arms_with_joints_and_ignores_without():
    ls = default_label_set()
    lmap = load_label_map("lip", ls)
    src = np.zeros((10, 40), dtype=np.int64)
    src[0:2, 0:5] = 13  # face
    src[4:6, 0:30] = 15  # right arm
    joints = {"r_shoulder": (0.0, 5.0), "r_elbow": (14.0, 5.0), "r_wrist": (28.0, 5.0)}
    out = lmap.apply(src, [(src > 0, joints)])
    assert out[1, 1] == ls.names.index("head")
    assert out[5, 3] == ls.names.index("upper_arm") and out[5, 25] == ls.names.index("lower_arm")
    assert out[9, 39] == 0
    assert (lmap.apply(src)[4:6, 0:30] == IGNORE).all()


@test
def label_map_rejects_unknown_target():
    try:
        label_map_from_dict({"source_classes": ["bg", "x"], "map": {"x": "tail"}}, default_label_set())
        raise AssertionError("unknown target accepted")
    except ValueError as e:
        assert "tail" in str(e)


@test
def mhp_person_files_and_combine():
    with tempfile.TemporaryDirectory() as d:
        for name in ["100_02_01.png", "100_02_02.png", "7_01_01.png", "notes.png"]:
            open(os.path.join(d, name), "wb").close()
        groups = mhp_person_files(d)
        assert sorted(groups) == ["100", "7"] and len(groups["100"]) == 2
    ls = default_label_set()
    lmap = load_label_map("mhp_v2", ls)
    a = np.zeros((4, 4), dtype=np.int64)
    a[0, 0] = 3  # face
    b = np.zeros((4, 4), dtype=np.int64)
    b[3, 3] = 24  # left shoe
    b[0, 0] = 12  # t-shirt over the first person's face: later person wins
    out = mhp_combine([a, b], [], lmap)
    assert out[3, 3] == ls.names.index("foot") and out[0, 0] == ls.names.index("torso") and out[1, 1] == 0


@test
def three_channel_label_files_give_their_first_channel():
    from PIL import Image

    rgb = np.zeros((2, 3, 3), dtype=np.uint8)
    rgb[..., 0] = [[24, 3, 0], [58, 12, 1]]
    rgb[..., 1] = 200  # other channels must not leak into the ids
    with tempfile.TemporaryDirectory() as d:
        Image.fromarray(rgb).save(os.path.join(d, "a.png"))
        Image.fromarray(rgb[..., 0]).save(os.path.join(d, "b.png"))
        assert read_label(os.path.join(d, "a.png")).tolist() == [[24, 3, 0], [58, 12, 1]]
        assert read_label(os.path.join(d, "b.png")).tolist() == [[24, 3, 0], [58, 12, 1]]


@test
def mhp_pose_people_in_numeric_order():
    from scipy.io import savemat

    from fchardnet.datasets import _mhp_poses

    people = {}
    for k in range(12):
        arr = np.full((20, 3), -1.0)
        arr[0, :2] = [k, 100 + k]  # right ankle carries the person's index
        people[f"person_{k}"] = arr
    people["person_3"][5, :2] = -1  # a missing left ankle
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "1.mat")
        savemat(path, people)
        poses = _mhp_poses(path)
    assert [p["r_ankle"][0] for p in poses] == list(range(12))
    assert "l_ankle" not in poses[3] and "r_knee" not in poses[0]


@test
def crop_pads_with_ignore_and_flip_swaps_sides():
    rng = np.random.default_rng(0)
    img = np.full((4, 4, 3), 200, dtype=np.uint8)
    lbl = np.ones((4, 4), dtype=np.uint8)
    ci, cl = crop_pair(img, lbl, (8, 8), rng)
    assert (cl == IGNORE).sum() == 64 - 16 and (cl == 1).sum() == 16 and (ci == 200).sum() == 48
    lut = np.arange(256, dtype=np.uint8)
    lut[1], lut[2] = 2, 1
    fl_img, fl_lbl = hflip_pair(np.arange(6, dtype=np.uint8).reshape(1, 2, 3), np.array([[1, 0]], dtype=np.uint8), lut)
    assert fl_lbl.tolist() == [[0, 2]] and fl_img[0, 0].tolist() == [3, 4, 5]


@test
def composite_keeps_only_known_labels():
    rng = np.random.default_rng(1)
    img = np.zeros((40, 30, 3), dtype=np.uint8)
    lbl = np.zeros((40, 30), dtype=np.uint8)
    lbl[10:30, 10:20] = 2
    lbl[5:10, 12:18] = 1
    bg = np.full((50, 60, 3), 90, dtype=np.uint8)
    out_img, out_lbl = composite(img, lbl, bg, (32, 32), rng)
    assert out_img.shape == (32, 32, 3) and out_lbl.shape == (32, 32)
    assert set(np.unique(out_lbl)) <= {0, 1, 2} and (out_lbl == 2).any()
    assert (out_img[out_lbl == 0] == 90).all()


@test
def scale_pair_applies_aspect_to_height_only():
    img = np.zeros((40, 60, 3), dtype=np.uint8)
    lbl = np.zeros((40, 60), dtype=np.uint8)
    lbl[:, 30:] = 3
    si, sl = scale_pair(img, lbl, 0.5, aspect=0.75)
    assert si.shape == (15, 30, 3) and sl.shape == (15, 30)
    assert set(np.unique(sl)) == {0, 3}  # nearest: no blended label ids


@test
def augmenter_jitters_aspect_within_range():
    # A square person (label 1) scaled into a crop larger than it: its height/width ratio is the
    # drawn aspect, so across draws it must vary and stay within the range.
    img = np.zeros((64, 64, 3), dtype=np.uint8)
    lbl = np.ones((64, 64), dtype=np.uint8)
    aug = Augmenter((512, 512), np.arange(256, dtype=np.uint8), scale_range=(0.125, 0.125), aspect_range=(0.7, 1.3))
    rng = np.random.default_rng(3)
    ratios = []
    for _ in range(20):
        _, out = aug(img, lbl, rng)
        ys, xs = np.nonzero(out == 1)
        ratios.append((ys.max() - ys.min() + 1) / (xs.max() - xs.min() + 1))
    assert min(ratios) >= 0.68 and max(ratios) <= 1.32, ratios
    assert max(ratios) - min(ratios) > 0.2, ratios


@test
def poly_lr_warms_up_then_decays_with_progress():
    from train import poly_lr

    assert poly_lr(1.0, 0, 0.0, 10) == 0.1
    assert poly_lr(1.0, 9, 0.0, 10) == 1.0
    assert abs(poly_lr(1.0, 50, 0.5, 10) - 0.5 ** 0.9) < 1e-12
    assert 0 < poly_lr(1.0, 99, 1.0, 10) < 0.01  # never exactly zero


@test
def checkpoint_roundtrip():
    ls = default_label_set()
    model = initial_model(9)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "c.pt")
        save_checkpoint(path, model, ls, step=7, training_data="unit test")
        state = load_checkpoint(path)
        assert state["step"] == 7 and state["training_data"] == "unit test"
        assert labels_from_checkpoint(state).names == ls.names
        again = model_from_checkpoint(state)
        x = torch.randn(1, 3, 64, 64)
        with torch.no_grad():
            assert torch.equal(again(x), model(x))


@test
def numpy_onnx_ops_match_torch():
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(2)
    x = rng.standard_normal((1, 3, 9, 11)).astype(np.float32)
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    sizes = np.array([1, 4, 13, 17], dtype=np.int64)
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("Resize", ["r", "", "", "sizes"], ["y"], mode="linear", coordinate_transformation_mode="half_pixel"),
        helper.make_node("AveragePool", ["x"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
    ]
    graph = helper.make_graph(nodes, "t", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 9, 11])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None),
                               helper.make_tensor_value_info("p", TensorProto.FLOAT, None)],
                              [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b"), numpy_helper.from_array(sizes, "sizes")])
    y, p = onnx_numpy.run(helper.make_model(graph), {"x": x})
    tx = torch.from_numpy(x)
    ref = F.interpolate(F.relu(F.conv2d(tx, torch.from_numpy(w), torch.from_numpy(b), stride=2, padding=1)),
                        size=(13, 17), mode="bilinear", align_corners=False).numpy()
    assert y.shape == ref.shape and np.abs(y - ref).max() < 1e-4
    assert np.abs(p - F.avg_pool2d(tx, 2).numpy()).max() < 1e-5


@test
def export_writes_the_metadata_contract():
    import onnx

    import export_onnx

    ls = default_label_set()
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "m.onnx")
        report = export_onnx.export(initial_model(9), ls, out, 512, 288, "initial", "none: deterministic initial weights",
                                    check=True, check_size=(64, 64))
        assert report["max_abs_diff"] < 1e-4
        m = onnx.load(out)
        meta = {p.key: p.value for p in m.metadata_props}
        assert meta["rospartseg.format"] == "1" and meta["model_name"] == "fchardnet70-parts"
        assert json.loads(meta["class_names"]) == ls.names
        assert json.loads(meta["palette"])[1] == [255, 85, 0]
        assert (meta["input_width"], meta["input_height"], meta["channel_order"], meta["output_stride"]) == ("512", "288", "bgr", "4")
        assert json.loads(meta["mean"]) == [103.53, 116.28, 123.675] and json.loads(meta["std"]) == [57.375, 57.12, 58.395]
        assert meta["weights"] == "initial"
        assert [i.name for i in m.graph.input] == ["image"] and [o.name for o in m.graph.output] == ["logits"]
        dims = [d.dim_param or d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
        assert dims[1] == 3 and all(isinstance(v, str) for v in (dims[0], dims[2], dims[3]))


@test
def coco_rle_is_column_major():
    assert decode_rle([1, 2, 3], 2, 3).astype(int).tolist() == [[0, 1, 0], [1, 0, 0]]
    try:
        decode_rle([1, 2], 2, 3)
        raise AssertionError("a short RLE must be refused")
    except ValueError:
        pass


@test
def blazepose_points_map_onto_coco_order():
    k33 = [[float(i), float(2 * i), 0.9 if i != 25 else 0.1] for i in range(33)]
    k = from_blazepose(k33)
    assert k[0].tolist() == [0, 0, 2] and k[5].tolist() == [11, 22, 2] and k[16].tolist() == [28, 56, 2]
    assert k[13].tolist() == [25, 50, 0]  # left knee: not visible enough


def _real_label_image():
    h, w = 120, 10
    person = np.zeros((h, w), bool)
    person[5:115, 2:6] = True                      # 440 px, box height 110
    crowd = np.zeros((h, w), bool)
    crowd[0:5, 8:10] = True
    kps = np.zeros((17, 3))
    kps[0] = (3.5, 10.2, 2)     # nose, on a head pixel: hit
    kps[13] = (3.0, 80.0, 2)    # left knee, on background: miss
    kps[10] = (3.0, 20.0, 1)    # right wrist, hidden: not counted
    kps[15] = (30.0, 50.0, 2)   # outside the image: not counted
    people = [Person(np.array([2.0, 5.0, 6.0, 115.0]), kps, person),
              Person(np.array([8.0, 0.0, 10.0, 5.0]), None, crowd, crowd=True)]
    return CocoImage(1, "x.jpg", w, h, people, masks_complete=True)


@test
def real_label_scores_exact():
    image = _real_label_image()
    pred = np.zeros((120, 10), np.uint8)
    pred[5:35, 2:6] = 1          # 120 of the person's 440 px (27 %): found
    pred[0:5, 8:10] = 2          # on the crowd region: ignored
    pred[118:120, 0:2] = 3       # 4 false-positive px
    scores = RealLabelScores()
    scores.add(pred, image)
    r = scores.result()
    assert abs(r["person_iou_pooled"] - 120 / 444) < 1e-12, r
    assert abs(r["person_iou_per_image"] - 120 / 444) < 1e-12
    assert r["keypoint_part_accuracy"] == 0.5 and r["keypoints"] == 2
    assert r["person_recall"] == 1.0 and r["people_over_100px"] == 1
    pred[5:35, 2:6] = 0
    pred[5:30, 2:6] = 1          # 100 px = 22.7 %: not found
    again = RealLabelScores()
    again.add(pred, image)
    assert again.result()["person_recall"] == 0.0 and again.result()["keypoint_part_accuracy"] == 0.5


@test
def keypoint_allowed_classes():
    image = _real_label_image()
    pred = np.zeros((120, 10), np.uint8)
    pred[80, 3] = 7              # knee on lower_leg: allowed
    pred[10, 3] = 2              # nose on torso: not allowed
    s = RealLabelScores()
    s.add(pred, image)
    assert s.kp_hit == 1 and s.kp_total == 2


def _maps(person, parts):
    return fusion.BodyPixMaps(np.asarray(person, np.float32), np.asarray(parts, np.float32))


@test
def bodypix_windows_compose_and_fold():
    # Whole image 5x5 from a 2x2 grid: person logit +20, torso_front strongest; a crop window (x 2..4,
    # y 2..4) says hand with person logit -20 and takes over inside its rectangle.
    seg = np.full((2, 2), 20.0, np.float32)
    parts = np.zeros((2, 2, 24), np.float32)
    parts[..., 12] = 10.0
    crop_seg = np.full((2, 2), -20.0, np.float32)
    crop_parts = np.zeros((2, 2, 24), np.float32)
    crop_parts[..., 11] = 10.0
    maps = fusion.compose({"width": 5, "height": 5}, [([0, 0, 4, 4], seg, parts), ([2, 2, 4, 4], crop_seg, crop_parts)])
    labels = fusion.bodypix_labels(maps)
    assert labels[0, 0] == fusion.TORSO and labels[1, 4] == fusion.TORSO
    assert labels[2, 2] == 0 and labels[4, 4] == 0      # the crop's person logit: background
    assert maps.parts[fusion.HAND, 3, 3] > 0.99 and abs(maps.parts[:, 0, 0].sum() - 1) < 1e-5
    assert fusion.BODYPIX_FOLD.tolist().count(fusion.UPPER_ARM) == 4 and fusion.BODYPIX_FOLD[23] == fusion.FOOT


@test
def fusion_uses_drawn_masks_and_ignores_doubt():
    h, w = 20, 20
    parts = np.zeros((9, h, w), np.float32)
    parts[fusion.TORSO] = 0.9
    parts[fusion.HEAD] = 0.1
    parts[fusion.TORSO, 12, 12] = 0.45               # low part confidence: ignore
    parts[fusion.HEAD, 12, 12] = 0.40
    person_p = np.full((h, w), 0.95, np.float32)     # BodyPix thinks everything is a person
    mask = np.zeros((h, w), bool)
    mask[5:15, 5:15] = True
    crowd = np.zeros((h, w), bool)
    crowd[0:3, 0:3] = True
    image = CocoImage(1, "x.jpg", w, h, [Person(np.array([5.0, 5.0, 15.0, 15.0]), None, mask),
                                         Person(np.array([0.0, 0.0, 3.0, 3.0]), None, crowd, crowd=True)], True)
    params = fusion.FusionParams(mask_band=1, min_person_px=5)
    labels = fusion.fuse(_maps(person_p, parts), image, params=params)
    assert labels[10, 10] == fusion.TORSO and labels[12, 12] == 255
    assert labels[18, 18] == 0                        # the drawn mask overrules BodyPix: background
    assert labels[5, 10] == 255 and labels[4, 10] == 255 and labels[3, 10] == 0   # the band around the outline
    assert labels[1, 1] == 255                        # crowd


@test
def fusion_without_masks_uses_boxes():
    h, w = 30, 30
    parts = np.zeros((9, h, w), np.float32)
    parts[fusion.TORSO] = 1.0
    person_p = np.zeros((h, w), np.float32)
    person_p[2:28, 2:8] = 0.9       # a person inside box 1
    person_p[2:28, 20:26] = 0.9     # a person outside every box: ignore
    person_p[10, 5] = 0.5           # unsure: ignore
    boxes = [Person(np.array([2.0, 2.0, 8.0, 28.0])), Person(np.array([10.0, 2.0, 16.0, 28.0]))]  # box 2: missed
    image = CocoImage(1, "x.jpg", w, h, boxes, False)
    labels = fusion.fuse(_maps(person_p, parts), image, params=fusion.FusionParams(min_person_px=5))
    assert labels[15, 4] == fusion.TORSO and labels[10, 5] == 255
    assert labels[15, 22] == 255                      # BodyPix person outside every box
    assert labels[15, 13] == 255                      # inside the missed person's box
    assert labels[1, 29] == 0


@test
def geometry_checks_upper_and_lower_arm():
    h, w = 100, 100
    labels = np.zeros((h, w), np.uint8)
    kps = np.zeros((17, 3))
    kps[5] = (20, 20, 2)    # left shoulder
    kps[7] = (20, 50, 2)    # left elbow
    kps[9] = (20, 80, 2)    # left wrist
    labels[25, 20] = fusion.LOWER_ARM   # on the upper bone, far from the elbow: disagrees -> ignore
    labels[30, 21] = fusion.UPPER_ARM   # agrees
    labels[51, 20] = fusion.LOWER_ARM   # at the elbow: too close to call, kept
    labels[75, 20] = fusion.UPPER_ARM   # on the lower bone: ignore
    labels[90, 90] = fusion.HAND        # far from every wrist: ignore
    labels[82, 20] = fusion.HAND        # at the wrist: kept
    region = np.ones((h, w), bool)
    fusion.check_geometry(labels, region, kps, 100.0, fusion.FusionParams())
    assert labels[25, 20] == 255 and labels[30, 21] == fusion.UPPER_ARM and labels[51, 20] == fusion.LOWER_ARM
    assert labels[75, 20] == 255 and labels[90, 90] == 255 and labels[82, 20] == fusion.HAND


@test
def averaging_weights_mixes_the_folded_convolutions_and_keeps_the_classes():
    import export_onnx
    from average_weights import average
    from fchardnet.onnx_weights import onnx_conv_weights

    ls = default_label_set()
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for seed in (1, 2):
            torch.manual_seed(seed)
            model = FCHarDNet70(9).eval()
            paths.append(os.path.join(d, f"m{seed}.onnx"))
            export_onnx.export(model, ls, paths[-1], 96, 64, "trained", "test", check=False)
        a, b = onnx_conv_weights(paths[0]), onnx_conv_weights(paths[1])
        assert any(not np.allclose(wa, wb) for (wa, _), (wb, _) in zip(a, b)), "the two models must differ"
        mixed, labels = average([(paths[0], 3.0), (paths[1], 1.0)])  # normalised to 0.75 / 0.25
        assert labels.names == ls.names
        out = os.path.join(d, "mixed.onnx")
        export_onnx.export(mixed, labels, out, 96, 64, "trained", "test", check=False)
        for (wa, ba), (wb, bb), (wm, bm) in zip(a, b, onnx_conv_weights(out)):
            assert np.allclose(wm, 0.75 * wa + 0.25 * wb, atol=1e-5)
            if ba is not None:
                assert np.allclose(bm, 0.75 * ba + 0.25 * bb, atol=1e-5)
        # Different class lists cannot be averaged.
        other = os.path.join(d, "five.onnx")
        export_onnx.export(FCHarDNet70(5).eval(), label_set_from_dict({"classes": ["a", "b", "c", "d", "e"]}), other, 96, 64,
                           "trained", "test", check=False)
        try:
            average([(paths[0], 1.0), (other, 1.0)])
            raise AssertionError("models with other classes must be refused")
        except ValueError:
            pass


@test
def onnx_weights_read_back_into_pytorch():
    from export_onnx import to_onnx
    from fchardnet.onnx_weights import load_onnx_weights

    source = initial_model(9)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.onnx")
        import onnx
        onnx.save(to_onnx(source, 96, 64), path)
        copy = FCHarDNet70(9)
        x = torch.randn(1, 3, 64, 96)
        load_onnx_weights(copy, path, [torch.randn(2, 3, 64, 96)])
        with torch.no_grad():
            diff = (source.eval()(x) - copy.eval()(x)).abs().max().item()
        assert diff < 1e-4, diff
        wrong = FCHarDNet70(5)
        try:
            load_onnx_weights(wrong, path)
            raise AssertionError("a model with another class count must be refused")
        except ValueError:
            pass
def people_iou_is_exact_on_synthetic_boxes():
    assert evaluate_people.iou((0, 0, 10, 10), (5, 0, 10, 10)) == 50 / 150
    assert evaluate_people.iou((0, 0, 10, 10), (10, 0, 10, 10)) == 0.0
    assert evaluate_people.iou((2, 2, 4, 4), (2, 2, 4, 4)) == 1.0


@test
def people_matching_counts_tp_fp_fn_and_ignores_dont_care():
    gts = [(0, 0, 100, 200), (300, 0, 100, 200), (600, 0, 40, 80)]   # the third: small, don't care
    care = [True, True, False]
    dets = [((0, 0, 100, 180), 0.9),      # IoU 0.9 with gt 0: TP
            ((10, 0, 100, 200), 0.5),     # also overlaps gt 0, taken already; not don't care: FP
            ((600, 0, 40, 80), 0.8),      # matches only the small person: neither way
            ((900, 0, 50, 50), 0.7)]      # nothing: FP
    assert evaluate_people.match(dets, gts, care) == (1, 2, 1)
    # The higher score claims the box first: the better-placed but lower-scored detection is the FP.
    assert evaluate_people.match([((0, 0, 100, 200), 0.1), ((0, 0, 100, 120), 0.9)], gts[:1], [True]) == (1, 1, 0)
    # IoU exactly 0.5 matches: [0, 100] x [0, 200] against [0, 100] x [0, 100] is 10000 / 20000.
    assert evaluate_people.match([((0, 0, 100, 100), 1.0)], gts[:1], [True]) == (1, 0, 0)
    assert evaluate_people.match([], gts, care) == (0, 0, 2)


@test
def people_care_flags_drop_small_and_crowd_boxes():
    gts = [(0, 0, 50, 101), (0, 0, 50, 100), (200, 0, 80, 300)]
    assert evaluate_people.care_flags(gts, [(201, 0, 80, 300)], 100) == [True, False, False]


@test
def people_boxes_read_normalised_centres():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "b.txt")
        with open(path, "w") as f:
            f.write("0 0.5 0.5 0.25 0.5\n")
        assert evaluate_people.read_boxes(path, 640, 480) == [(240.0, 120.0, 160.0, 240.0)]


@test
def people_config_turns_off_the_minimum_score_so_the_sweep_sees_everyone():
    import yaml
    plain = yaml.safe_load(evaluate_people.cli_config("split"))
    assert plain["pipeline"] == {"person_grouping": "split", "overlay_annotations": "none", "min_person_score": 0}
    assert "inference" not in plain and plain["model"]["path"].endswith("models/fchardnet70_parts.onnx")
    assert yaml.safe_load(evaluate_people.cli_config("components", "fp32"))["inference"] == {"precision": "fp32"}


@test
def step_timing_leaves_the_model_as_it_was():
    # train.py times a float32 and a bfloat16 pass before choosing; neither may train the model.
    torch.manual_seed(0)
    model = FCHarDNet70(9).train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    x = torch.randn(2, 3, 64, 64)
    y = torch.randint(0, 9, (2, 64, 64))
    for bf16 in (False, True):
        t = train.seconds_per_step(model, x, y, None, bf16=bf16, repeats=1)
        assert t > 0
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # weights and BatchNorm statistics
    assert all(p.grad is None for p in model.parameters())


@test
def weight_average_moves_by_one_minus_decay_and_copies_counters():
    torch.manual_seed(0)
    model = FCHarDNet70(9).train()
    avg = train.WeightAverage(model, 0.75)
    before = {k: v.clone() for k, v in avg.model.state_dict().items()}
    with torch.no_grad():
        for p in model.parameters():
            p.add_(1.0)
    model(torch.randn(2, 3, 64, 64))  # moves BatchNorm's running statistics and its batch counter
    avg.update(model)
    now, trained = avg.model.state_dict(), model.state_dict()
    name = next(n for n, _ in model.named_parameters())
    assert torch.allclose(now[name], before[name] + 0.25, atol=1e-6)
    mean = next(n for n in now if n.endswith("running_mean"))
    assert torch.allclose(now[mean], 0.75 * before[mean] + 0.25 * trained[mean], atol=1e-6)
    count = next(n for n in now if n.endswith("num_batches_tracked"))
    assert int(now[count]) == int(trained[count]) == int(before[count]) + 1
    assert all(not p.requires_grad for p in avg.model.parameters())


@test
def batches_from_workers_depend_only_on_seed_and_step():
    class Sample:
        def __init__(self, k):
            self.image_path, self.k = f"synthetic-{k}", k

        def load_label(self):
            return (np.arange(40 * 48).reshape(40, 48) % 9).astype(np.uint8)

    class Set(train.CachedSet):
        def get(self, i):  # synthetic images instead of files
            return np.full((40, 48, 3), 20 * i, np.uint8), self.samples[i].load_label()

    data = Set([Sample(k) for k in range(5)])
    aug = Augmenter((32, 32), default_label_set().flip_lut(), [], composite_prob=0.0)
    pooled = train.BatchMaker(data, aug, 3, np.random.default_rng(0), workers=2, seed=7, step=10)
    try:
        first, second = pooled.next(), pooled.next()
    finally:
        pooled.close()
    threads = torch.get_num_threads()
    train._init_worker(data, aug)  # this process as a worker (it sets one thread)
    torch.set_num_threads(threads)
    for got, step in ((first, 10), (second, 11)):
        want = train._worker_batch(7, step, 3)
        assert got[0].shape == (3, 3, 32, 32) and got[1].shape == (3, 32, 32)
        assert torch.equal(got[0], want[0]) and torch.equal(got[1], want[1])
    assert not torch.equal(first[0], second[0])
    resumed = train.BatchMaker(data, aug, 3, np.random.default_rng(0), workers=1, seed=7, step=11)
    try:
        assert torch.equal(resumed.next()[0], second[0])  # a resumed run gets the batch of its step
    finally:
        resumed.close()


@test
def training_pack_keeps_sizes_labels_and_lists_and_refuses_the_held_out_split():
    from PIL import Image

    with tempfile.TemporaryDirectory() as d:
        coco = os.path.join(d, "coco")
        for sub in ("images", "labels", "splits"):
            os.makedirs(os.path.join(coco, sub))
        for stem, size in (("a", (48, 40)), ("b", (30, 50))):
            Image.new("RGB", size, (200, 10, 10)).save(os.path.join(coco, "images", stem + ".png"))
            Image.fromarray((np.arange(size[0] * size[1]).reshape(size[1], size[0]) % 9).astype(np.uint8)).save(
                os.path.join(coco, "labels", stem + ".png"))
        with open(os.path.join(coco, "splits", "train.txt"), "w") as f:
            f.write("a\nb\n")
        out = os.path.join(d, "pack")
        assert pack_training_data.main(["--coco", coco, "--splits", "train", "--out", out, "--max-mib", "1"]) == 0
        for stem, size in (("a", (48, 40)), ("b", (30, 50))):
            assert Image.open(os.path.join(out, "coco", "images", stem + ".jpg")).size == size
            with open(os.path.join(coco, "labels", stem + ".png"), "rb") as f1, open(os.path.join(out, "coco", "labels", stem + ".png"), "rb") as f2:
                assert f1.read() == f2.read()
        with open(os.path.join(out, "coco", "splits", "train.txt")) as f:
            assert f.read().split() == ["a", "b"]
        # unlabelled frames shrunk to --folder-side, and the teacher's files
        frames, teacher = os.path.join(d, "frames"), os.path.join(d, "tfjs")
        os.makedirs(frames)
        os.makedirs(teacher)
        Image.new("RGB", (100, 60), (5, 5, 5)).save(os.path.join(frames, "f_0001.png"))
        for name in ("model-stride16.json", "group1-shard1of1.bin", "README.md"):
            with open(os.path.join(teacher, name), "w") as f:
                f.write(name)
        assert pack_training_data.main(["--coco", coco, "--splits", "train", "--out", out, "--max-mib", "1",
                                        "--folder", f"videos={frames}", "--folder-side", "50", "--teacher", teacher]) == 0
        assert Image.open(os.path.join(out, "videos", "f_0001.jpg")).size == (50, 30)
        assert sorted(os.listdir(os.path.join(out, "teacher"))) == ["group1-shard1of1.bin", "model-stride16.json"]
        assert pack_training_data.main(["--coco", coco, "--splits", "train", "--out", out, "--folder", f"coco={frames}"]) == 2
        assert pack_training_data.main(["--coco", coco, "--splits", "train,test", "--out", out]) == 2
        os.remove(os.path.join(coco, "labels", "b.png"))
        try:
            pack_training_data.main(["--coco", coco, "--splits", "train", "--out", out, "--max-mib", "1"])
            raise AssertionError("a stem without its label was packed")
        except FileNotFoundError as e:
            assert "b has no image" in str(e)


def _write_tfjs_model(folder: str, layers) -> str:
    """A tiny tfjs graph-model JSON with uint16-quantised weights: `layers` is a list of (name, array)."""
    specs, blobs = [], []
    for name, values in layers:
        lo, hi = float(values.min()), float(values.max())
        scale = (hi - lo) / 65535 if hi > lo else 1.0
        q = np.round((values - lo) / scale).astype("<u2")
        specs.append({"name": name, "shape": list(values.shape), "dtype": "float32",
                      "quantization": {"min": lo, "scale": scale, "dtype": "uint16"}})
        blobs.append(q.tobytes())
    with open(os.path.join(folder, "w.bin"), "wb") as f:
        f.write(b"".join(blobs))
    path = os.path.join(folder, "model.json")
    with open(path, "w") as f:
        json.dump({"modelTopology": {"node": []}, "weightsManifest": [{"paths": ["w.bin"], "weights": specs}]}, f)
    return path


@test
def tfjs_weights_are_dequantised_in_manifest_order():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(3, 3, 4, 1)).astype(np.float32)
    b = rng.uniform(-2, 5, size=(7,)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        _, weights = bodypix.read_tfjs_weights(_write_tfjs_model(tmp, [("a", a), ("b", b)]))
    assert weights["a"].shape == (3, 3, 4, 1) and weights["b"].shape == (7,)
    for name, ref in (("a", a), ("b", b)):
        step = (ref.max() - ref.min()) / 65535
        assert np.abs(weights[name] - ref).max() <= step, name  # within one quantisation step


@test
def same_padding_matches_tensorflow_rule():
    # TensorFlow SAME: ceil(in / stride) outputs, the odd pad after: 9 -> pad 1 + 1 at stride 2; 8 -> 0 + 1.
    x = torch.zeros(1, 1, 9, 8)
    y = bodypix._same_pad(x, 2)
    assert y.shape[-2:] == (11, 9)
    ones = torch.ones(1, 1, 8, 8)
    padded = bodypix._same_pad(ones, 2)
    assert padded[0, 0, 0, 0] == 1 and padded[0, 0, -1, -1] == 0  # nothing before, one row/column after
    assert bodypix._same_pad(ones, 1).shape[-2:] == (10, 10)
    assert bodypix.valid_side(256) == 257 and bodypix.valid_side(300) == 305


@test
def folded_teacher_probabilities_sum_to_one_and_follow_the_parts():
    seg = torch.full((1, 1, 2, 2), 10.0)
    parts = torch.full((1, 24, 2, 2), -10.0)
    parts[0, 10] = 10.0  # left_hand
    parts[0, 13, 0, 0] = 30.0  # torso_back wins in one cell
    probs = bodypix.fold_probabilities(seg, parts)
    assert torch.allclose(probs.sum(1), torch.ones(1, 2, 2), atol=1e-5)
    labels = probs.argmax(1)[0]
    assert labels[0, 0] == 2 and labels[0, 1] == 5 and labels[1, 1] == 5  # torso, hand
    background = bodypix.fold_probabilities(-seg, parts)
    assert (background.argmax(1) == 0).all()
    soft = bodypix.fold_probabilities(seg, parts, temperature=4.0)
    assert soft[0, 5, 0, 1] < probs[0, 5, 0, 1]  # a temperature softens


@test
def distillation_loss_is_zero_only_where_student_matches_teacher():
    teacher = torch.softmax(torch.randn(2, 9, 4, 4), dim=1)
    matching = torch.log(teacher) * 2.0  # logits whose softmax at T=2 is the teacher
    assert distill.soft_cross_entropy(matching, teacher, 2.0).abs() < 1e-4
    assert distill.soft_cross_entropy(torch.zeros(2, 9, 4, 4), teacher, 2.0) > 0.01
    rgb = np.random.default_rng(0).integers(0, 256, size=(5, 6, 3)).astype(np.uint8)
    x = torch.from_numpy(normalise(rgb))[None]
    back = distill.denormalise(x)[0].permute(1, 2, 0).numpy()
    assert np.abs(back - rgb).max() < 1e-3  # the teacher sees the crop the student saw


@test
def hard_loss_of_a_batch_without_labels_is_zero_not_nan():
    logits = torch.randn(2, 9, 4, 4, requires_grad=True)
    y = torch.full((2, 4, 4), IGNORE, dtype=torch.long)
    loss = train.hard_loss(logits, y, None)
    assert float(loss) == 0.0
    loss.backward()
    assert torch.isfinite(logits.grad).all()
    y[0, 0, 0] = 3
    assert float(train.hard_loss(logits, y, None)) > 0


@test
def schedule_continues_its_decay_across_runs():
    s = schedule.Schedule(recipe="r", base_lr=1e-3, total_steps=1000, step=500)
    assert abs(s.rate(0) - 1e-3) < 1e-12 and abs(s.rate(500) - 1e-3 * 0.5 ** 0.9) < 1e-12
    # a run starting at step 500 warms up to the schedule's rate there, not to the peak
    assert abs(s.run_rate(500, 0, 10) - s.rate(500) / 10) < 1e-12
    assert abs(s.run_rate(500, 9, 10) - s.rate(509)) < 1e-12
    assert s.run_rate(500, 100, 10) == s.rate(600) < s.rate(500)
    assert s.finished(1000) and not s.finished(999)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "schedule.json")
        s.runs.append({"from_step": 0, "to_step": 500})
        schedule.save_schedule(path, s)
        again = schedule.load_schedule(path)
        assert again == s
        with open(path, "w") as f:
            json.dump({"recipe": "r"}, f)
        try:
            schedule.load_schedule(path)
            raise AssertionError("a schedule without a rate was accepted")
        except ValueError as e:
            assert "base_lr" in str(e)


@test
def unlabelled_and_negative_folders_give_uniform_labels():
    from PIL import Image

    labels = default_label_set()
    with tempfile.TemporaryDirectory() as tmp:
        Image.fromarray(np.zeros((5, 7, 3), np.uint8)).save(os.path.join(tmp, "f.jpg"))
        frames = samples_from_spec(f"images:{tmp}", labels)
        negatives = samples_from_spec(f"negatives:{tmp}", labels)
        assert len(frames) == len(negatives) == 1
        a, b = frames[0].load_label(), negatives[0].load_label()
    assert a.shape == b.shape == (5, 7) and (a == IGNORE).all() and (b == 0).all()
    # an unlabelled frame is never cut out and pasted whole onto a background
    aug = Augmenter((4, 4), labels.flip_lut(), [np.full((8, 8, 3), 200, np.uint8)], composite_prob=1.0)
    img = np.full((5, 7, 3), 10, np.uint8)
    for seed in range(5):
        out, lbl = aug(img, a, np.random.default_rng(seed))
        assert (lbl == IGNORE).all() or (lbl == 0).all()
        assert not (np.abs(out.astype(int) - 200) < 60).all()  # the frame itself, not the background


@test
def soft_targets_follow_the_crop_the_flip_and_the_paste():
    """A one-hot target of the label must stay one-hot of the label through every augmentation, mirror classes
    swapping on a flip; where the crop leaves the image there is no target (zeros)."""
    from fchardnet import soft as soft_targets
    flip_lut = np.arange(256, dtype=np.uint8)
    flip_lut[1], flip_lut[2] = 2, 1  # a left/right pair
    label = np.zeros((60, 80), np.uint8)
    label[10:50, 20:40], label[10:50, 40:60] = 1, 2  # a person whose halves are classes 1 and 2
    image = np.zeros((60, 80, 3), np.uint8)
    image[label == 1], image[label == 2] = (200, 0, 0), (0, 200, 0)
    target = np.eye(3, dtype=np.float32)[label]  # [H, W, 3]
    background = np.full((90, 90, 3), 50, np.uint8)
    for composite_prob in (0.0, 1.0):
        aug = Augmenter((48, 48), flip_lut, [background], composite_prob=composite_prob, scale_range=(0.5, 1.5))
        for seed in range(12):
            img, lbl, out = aug(image, label, np.random.default_rng(seed), soft=target)
            assert out.shape == (48, 48, 3) and out.dtype == np.float32
            plain_img, plain_lbl = aug(image, label, np.random.default_rng(seed))
            assert np.array_equal(plain_lbl, lbl) and np.array_equal(plain_img, img)  # the target draws no random numbers
            sure = (lbl != IGNORE) & (out.max(axis=2) > 0.9)
            assert sure.sum() > 0.5 * (lbl != IGNORE).sum()
            assert np.array_equal(out.argmax(axis=2)[sure], lbl[sure])
            assert (out[lbl == IGNORE].sum(axis=1) == 0).all()  # padding (the only ignore here) has no target
    small = soft_targets.quarter(np.moveaxis(target, 2, 0))
    assert small.shape == (3, 15, 20) and small.dtype == np.float16
    back = soft_targets.upsample(small, 60, 80)
    inner = np.zeros_like(label, bool)
    inner[14:46, 24:36] = True  # a quarter-size cell's width away from every edge
    assert back.shape == (60, 80, 3) and (back.argmax(axis=2)[inner] == 1).all() and (back[inner, 1] > 0.99).all()


@test
def soft_loss_is_zero_on_its_own_target_and_silent_where_a_hard_label_disagrees():
    from fchardnet import soft as soft_targets
    torch.manual_seed(0)
    logits = torch.randn(2, 9, 4, 5)
    target = torch.softmax(logits, dim=1)
    labels = torch.full((2, 4, 5), IGNORE, dtype=torch.long)
    assert abs(float(soft_targets.soft_loss(logits, target, labels))) < 1e-5
    other = torch.softmax(torch.randn(2, 9, 4, 5), dim=1)
    assert float(soft_targets.soft_loss(logits, other, labels)) > 0.01
    # every pixel labelled with a class the target does not favour: only the hard loss speaks
    disagree = (other.argmax(dim=1) + 1) % 9
    assert float(soft_targets.soft_loss(logits, other, disagree)) == 0.0
    # a crop without any target (all zeros) gives zero, not NaN
    assert float(soft_targets.soft_loss(logits, torch.zeros_like(other), labels)) == 0.0


@test
def batches_carry_stored_soft_targets_and_zeros_for_samples_without_one():
    from fchardnet import soft as soft_targets

    class Sample:
        def __init__(self, k):
            self.image_path = f"/nowhere/img{k}.jpg"

    class Set(train.CachedSet):
        def get(self, i):
            label = np.zeros((40, 48), np.uint8)
            label[5:35, 10:30] = 2
            return np.full((40, 48, 3), 20 * i, np.uint8), label

    with tempfile.TemporaryDirectory() as tmp:
        probs = np.zeros((9, 40, 48), np.float32)
        probs[0] = 1.0
        probs[:, 5:35, 10:30] = 0
        probs[2, 5:35, 10:30] = 1.0
        soft_targets.save(tmp, "img0", probs)  # img1 has none
        data = Set([Sample(0), Sample(1)], soft_folders=[tmp])
        aug = Augmenter((32, 32), default_label_set().flip_lut(), [], composite_prob=0.0)
        seen = set()
        for seed in range(6):
            x, y, soft = train.make_batch(data, aug, 4, np.random.default_rng(seed))
            assert soft is None or soft.shape == (4, 9, 32, 32)
            if soft is None:
                continue
            for b in range(4):
                has = soft[b].sum(dim=0) > 0.5
                seen.add(bool(has.any()))
                if has.any():
                    agree = has & (y[b] != IGNORE) & (soft[b].max(dim=0).values > 0.9)  # away from the edges
                    assert torch.equal(soft[b].argmax(dim=0)[agree], y[b][agree])
        assert seen == {True, False}


def _standing_person(visibility: float = 1.0) -> np.ndarray:
    """BlazePose landmarks [33, 3] of a person facing the camera: shoulders at y 40, hips at y 80 (body scale 40),
    the right arm straight down the side to a wrist at (20, 100), its hand landmarks 8 px further down."""
    from fchardnet import posefuse
    k = np.zeros((33, 3))
    k[:, 2] = visibility
    k[:11, :2] = (50, 20)  # face
    k[7, :2], k[8, :2] = (45, 20), (55, 20)  # ears
    for side, x in (("left", 70.0), ("right", 30.0)):
        j = posefuse.SIDES[side]
        arm = x - 10 if side == "right" else x + 10
        k[j["shoulder"], :2], k[j["elbow"], :2], k[j["wrist"], :2] = (x, 40), (arm, 70), (arm, 100)
        for f in ("pinky", "index", "thumb"):
            k[j[f], :2] = (arm, 108)
        k[j["hip"], :2], k[j["knee"], :2], k[j["ankle"], :2] = (x - 5 if x > 50 else x + 5, 80), (x, 120), (x, 160)
        k[j["heel"], :2], k[j["toe"], :2] = (x, 163), (x + 8, 165)
    return k


@test
def pose_paints_a_hand_beyond_the_wrist_and_an_arm_across_the_torso():
    from fchardnet import posefuse
    labels = np.zeros((180, 100), np.uint8)
    labels[40:80, 25:75] = posefuse.TORSO
    labels[80:115, 15:26] = posefuse.LOWER_ARM  # BodyPix: forearm all the way to the fingertips
    labels[100:170, 60:80] = posefuse.LOWER_LEG
    out = posefuse.paint(labels, [_standing_person()], ignore=False)
    # capsule core radius: 0.6 x 0.10 x 40 = 2.4 px around the wrist-to-fingertips line (x 20, y 100 -> 111.2)
    assert out[105, 20] == posefuse.HAND and out[110, 20] == posefuse.HAND
    assert out[105, 24] == posefuse.LOWER_ARM  # 3.5 px off the line: outside the core
    assert out[90, 20] == posefuse.LOWER_ARM and out[55, 25] == posefuse.UPPER_ARM  # the arm over the torso
    assert out[140, 70] == posefuse.LOWER_LEG and out[164, 74] == posefuse.FOOT
    assert out[60, 50] == posefuse.TORSO  # the middle of the torso is no bone's
    assert (out[labels == 0] == 0).all()  # background stays background by default
    wider = posefuse.PoseParams(over_background=frozenset({posefuse.HAND}))
    assert posefuse.paint(np.zeros_like(labels), [_standing_person()], wider, ignore=False)[110, 20] == posefuse.HAND
    # nothing below the visibility threshold is painted
    assert np.array_equal(posefuse.paint(labels, [_standing_person(0.8)], ignore=False), labels)


@test
def pose_and_bodypix_disagreeing_on_a_limb_become_ignore_and_a_head_stays_a_head():
    from fchardnet import posefuse
    labels = np.zeros((180, 100), np.uint8)
    labels[75:100, 15:25] = posefuse.TORSO
    labels[85:95, 15:25] = posefuse.LOWER_LEG  # BodyPix calls the right forearm a leg
    labels[96:99, 18:23] = posefuse.HEAD  # and something on it a head
    out = posefuse.paint(labels, [_standing_person()], ignore=True)
    assert out[90, 20] == IGNORE
    assert out[97, 20] == posefuse.HEAD
    assert out[80, 20] == posefuse.LOWER_ARM  # torso before: relabelled, no dispute
    assert posefuse.paint(labels, [_standing_person()], ignore=False)[90, 20] == posefuse.LOWER_ARM
    # only accepted people are read from teacher.js's summary
    from fchardnet import node_teachers
    summary = {"people": [{"accepted": True, "keypoints": _standing_person().tolist()},
                          {"accepted": False, "keypoints": _standing_person().tolist()}]}
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "photo.json"), "w") as f:
            json.dump(summary, f)
        people = node_teachers.people_by_stem(tmp, ["/elsewhere/photo.jpg"])["photo"]
    assert len(people) == 1 and people[0].shape == (33, 3)


class _LeftHandedNet(torch.nn.Module):
    """A stand-in for BodyPix: person on the left half of whatever it sees, the right hand there, nothing on the right."""
    output_stride = 16

    def forward(self, x):
        n, _, h, w = x.shape
        gh, gw = (h - 1) // 16 + 1, (w - 1) // 16 + 1
        seg = torch.full((n, 1, gh, gw), -8.0)
        seg[..., : gw // 2] = 8.0
        parts = torch.full((n, 24, gh, gw), -8.0)
        parts[:, 11] = 8.0  # right_hand
        return seg, parts, torch.zeros(n, 384, gh, gw)


@test
def tta_averages_a_view_with_its_mirror_and_ignores_where_they_disagree():
    image = np.full((65, 129, 3), 90, np.uint8)
    net = _LeftHandedNet()
    one = tta.tta_probabilities(net, image, tta.TtaParams(sizes=(129,), flip=False, small_person=0.0))
    both = tta.tta_probabilities(net, image, tta.TtaParams(sizes=(129,), flip=True, small_person=0.0))
    assert one[0, 32, 5] < 0.01 and one[0, 32, 123] > 0.99  # alone: person left, background right
    # with the mirrored view averaged in, both sides are half person: unsure, so ignore
    assert abs(both[0, 32, 5] - 0.5) < 0.01 and abs(both[0, 32, 123] - 0.5) < 0.01
    assert np.allclose(both.sum(axis=0), 1.0, atol=1e-5)
    labels = tta.labels_from_probabilities(both)
    assert labels[32, 5] == IGNORE and labels[32, 123] == IGNORE
    alone = tta.labels_from_probabilities(one)
    assert alone[32, 5] == 5 and alone[32, 123] == 0  # the hand class, folded without a side
    assert (tta.labels_from_probabilities(both, ignore=False) != IGNORE).all()


@test
def tta_labels_follow_the_person_and_part_thresholds():
    probs = np.zeros((9, 1, 4), np.float32)
    probs[0] = [0.9, 0.5, 0.1, 0.1]  # background probability: person 0.1, 0.5, 0.9, 0.9
    probs[2, 0, :] = (1 - probs[0, 0]) * np.array([1.0, 1.0, 1.0, 0.4])  # torso share of the person probability
    probs[3, 0, 3] = 0.9 * 0.35
    probs[4, 0, 3] = 0.9 * 0.25  # a person pixel whose best part has only 0.4 of it
    labels = tta.labels_from_probabilities(probs)
    assert labels.tolist() == [[0, IGNORE, 2, IGNORE]]
    assert tta.labels_from_probabilities(probs, ignore=False).tolist() == [[0, 0, 2, 2]]


def main() -> int:
    torch.set_num_threads(2)
    passed = failed = 0
    only = set(sys.argv[1:])
    for fn in TESTS:
        if only and fn.__name__ not in only:
            continue
        try:
            fn()
            passed += 1
            print(f"PASS {fn.__name__}")
        except Exception:  # report every failure, keep going
            failed += 1
            print(f"FAIL {fn.__name__}")
            traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
