"""Reads TensorBoard runs written by ActorCriticBench's native event-file writer with the tools
users open them with, and checks every scalar against what the Swift side recorded.

    python Python/tests/check_tensorboard_runs.py --logdir DIR RUN=EXPECTED.jsonl [RUN=EXPECTED.jsonl ...]

RUN is a run folder relative to DIR (e.g. ``A2C_1``); EXPECTED.jsonl holds one JSON object per
summary the model wrote, ``{"step": N, "<tag>": value, ...}`` (its ``JSONLinesWriter`` with
``stepKey: "step"``). For every run, both readers must find exactly the expected tags, and for
each tag exactly the expected (step, value) points in order, values equal as 32-bit floats
(TensorBoard's ``simple_value``):

- tensorboard 2.21's ``EventAccumulator`` (what the TensorBoard UI loads), on the run folder;
- tbparse 0.0.9's ``SummaryReader``, on the whole log folder (``extra_columns={'dir_name'}``).

Exit status 0 when everything matches; 1 with one line per difference otherwise. Driven by
``TensorBoardToolingTests`` in the Swift test suite (``.venv`` from ``scripts/setup.sh``).
"""

import argparse
import json
import math
import os
import sys
from collections import defaultdict

import numpy as np
from tbparse import SummaryReader
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def expected_points(path):
    """tag -> [(step, float32 value)] in file order."""
    points = defaultdict(list)
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            step = record.pop("step")
            for tag, value in record.items():
                points[tag].append((step, float(np.float32(value))))
    return points


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def compare(reader, run, expected, found, problems):
    if set(found) != set(expected):
        problems.append(f"{reader} {run}: tags {sorted(found)} != expected {sorted(expected)}")
        return 0
    checked = 0
    for tag, points in expected.items():
        got = found[tag]
        if len(got) != len(points):
            problems.append(f"{reader} {run} {tag}: {len(got)} points, expected {len(points)}")
            continue
        for (step, value), (got_step, got_value) in zip(points, got):
            if step != got_step or not same(value, got_value):
                problems.append(f"{reader} {run} {tag}: ({got_step}, {got_value}) != expected ({step}, {value})")
            checked += 1
    return checked


def event_accumulator_points(folder):
    # size_guidance 0 keeps every point (the default samples scalars down to 10,000).
    accumulator = EventAccumulator(folder, size_guidance={"scalars": 0})
    accumulator.Reload()
    return {
        tag: [(event.step, float(np.float32(event.value))) for event in accumulator.Scalars(tag)]
        for tag in accumulator.Tags()["scalars"]
    }


def tbparse_points(logdir, run):
    frame = SummaryReader(logdir, pivot=False, extra_columns={"dir_name"}).scalars
    frame = frame[frame["dir_name"] == run]
    points = defaultdict(list)
    for tag, step, value in zip(frame["tag"], frame["step"], frame["value"]):
        points[tag].append((int(step), float(np.float32(value))))
    return points


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logdir", required=True)
    parser.add_argument("runs", nargs="+", metavar="RUN=EXPECTED.jsonl")
    arguments = parser.parse_args()
    problems = []
    for pair in arguments.runs:
        run, _, expected_path = pair.partition("=")
        expected = expected_points(expected_path)
        if not expected:
            problems.append(f"{run}: {expected_path} holds no summaries")
            continue
        folder = os.path.join(arguments.logdir, run)
        # EventAccumulator yields each tag's points in file order; tbparse sorts them by step,
        # which is the file order too except for episode_reward (logged per environment).
        accumulated = compare("EventAccumulator", run, expected, event_accumulator_points(folder), problems)
        by_step = {tag: sorted(points, key=lambda p: p[0]) for tag, points in expected.items()}
        parsed = tbparse_points(arguments.logdir, run)
        parsed = {tag: sorted(points, key=lambda p: p[0]) for tag, points in parsed.items()}
        compare("tbparse", run, by_step, parsed, problems)
        tags = len(expected)
        print(f"{run}: {tags} tags, {accumulated} points read by EventAccumulator and tbparse")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
