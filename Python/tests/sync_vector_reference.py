"""Reference trajectories for the bridge's parity test: Gymnasium's own SyncVectorEnv with
same-step autoreset (SB2's auto-reset), driven by the same seeds and actions as the Swift side.

    python sync_vector_reference.py <request.json>

request: {"id": str, "seeds": [int], "actions": [[[float, …] per copy] per step]}
prints JSON: {"reset": [[obs…] per copy], "steps": [{"obs", "rewards", "terminated",
"truncated", "final": {copy: obs}}]} with observations flattened to lists of Python floats
(exact for float32 and float64 values).
"""

import json
import sys

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode, SyncVectorEnv


def main(path):
    with open(path) as f:
        request = json.load(f)
    count = len(request["seeds"])
    envs = SyncVectorEnv(
        [lambda: gym.make(request["id"]) for _ in range(count)], autoreset_mode=AutoresetMode.SAME_STEP
    )
    single = envs.single_action_space
    observations, _ = envs.reset(seed=[int(s) for s in request["seeds"]])
    result = {"reset": [np.asarray(o).reshape(-1).tolist() for o in observations], "steps": []}
    for step in request["actions"]:
        if isinstance(single, gym.spaces.Discrete):
            actions = np.array([int(a[0]) for a in step], dtype=np.int64)
        else:
            actions = np.array(step, dtype=single.dtype).reshape((count,) + single.shape)
        observations, rewards, terminated, truncated, infos = envs.step(actions)
        final = {}
        if "final_obs" in infos:
            for i in range(count):
                if infos["_final_obs"][i]:
                    final[str(i)] = np.asarray(infos["final_obs"][i]).reshape(-1).tolist()
        result["steps"].append(
            {
                "obs": [np.asarray(o).reshape(-1).tolist() for o in observations],
                "rewards": [float(r) for r in rewards],
                "terminated": [bool(t) for t in terminated],
                "truncated": [bool(t) for t in truncated],
                "final": final,
            }
        )
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
