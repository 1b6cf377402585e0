#!/usr/bin/env python3
"""Reference recordings for behaviour-cloning pretraining and SB2's expert datasets.

Runs stable-baselines 2.10.2 on TensorFlow 2.15's ``tf.compat.v1`` with the set-up of
``Tools/stable_baselines_reference.py`` (whose docstring says how to build the ``/tmp/sb2`` venv;
this script imports it for that set-up and its Gymnasium ``VecEnv``). Everything is written to
``Tests/ActorCriticTests/Fixtures/Pretraining/``; arrays go into ``.npz`` files (``np.savez``),
which the Swift tests read with our own reader.

``adam``
    ``tf.train.AdamOptimizer`` (``ApplyAdam``, float32) on two variables for 30 steps with
    gradients fed through placeholders, for two settings (SB2's ``pretrain`` defaults' ε = 1e-8
    with lr 1e-2, and lr 0.1 with ε = 1e-3, where ε's place outside the square root shows):
    ``adam-reference.npz`` holds the initial values, every gradient and the values after every
    step. ``AdamOracleTests`` replays it.

``expert``
    SB2's own ``generate_expert_traj`` on its ``A2C`` (CartPole-v1, 1 Gymnasium env behind SB2's
    ``VecEnv``, trained 25,000 steps, 4 episodes) and on ``A2C`` with Pendulum-v1 (Box actions,
    untrained, 2 episodes): ``sb2-expert-cartpole.npz`` and ``sb2-expert-pendulum.npz``, exactly
    as SB2 writes them (``np.savez``). ``ExpertDatasetCompatibilityTests`` loads them with ours.

``oracle``
    SB2's ``A2C.pretrain`` on those two files, recorded: the initial parameters, the training
    indices of SB2's split (``train_fraction=0.7``, ``randomize=False``, one batch holding the whole
    training split, so the numpy shuffles do not matter), the training loss SB2 computes each
    epoch and the parameters after 5 epochs (lr 1e-3, ε 1e-8). Two changes to SB2: its
    ``pretrain`` runs ``tf.global_variables_initializer()``, which re-draws every model variable
    (ours keeps the model's parameters, a documented deviation); here the initializer is narrowed
    to the variables ``pretrain`` creates (Adam's), so the recorded run starts from the recorded
    parameters. And the per-epoch loss is read from the session rather than the printed line.
    ``pretrain-oracle-{cartpole,pendulum}.npz``; ``PretrainingOracleTests`` replays them.

``reads-ours FILE``
    The other direction: SB2's ``ExpertDataset`` loads a file written by our
    ``generateExpertTrajectories`` (``ours-expert-cartpole.npz``, written by the Swift test suite
    with ``WRITE_PRETRAINING_FIXTURES=<dir>``), SB2's ``A2C`` pretrains on it (10 epochs, lr 1e-3,
    batch 64) and is evaluated (10 episodes, deterministic). The record, with the file's SHA-256 and CRC-32,
    what NumPy saw (dtypes, shapes, the dataset's counts) and the return, goes to
    ``sb2-reads-ours.json``; ``ExpertDatasetCompatibilityTests`` checks the committed file still
    has that hash and that our writer still produces its bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import types
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stable_baselines_reference as ref  # noqa: E402  (sets up SB2 on tf.compat.v1)

np = ref.np
tf1 = ref.tf1
_root = sys.modules["stable_baselines"].__path__[0]
# `stable_baselines.gail`'s __init__ imports GAIL (MPI); only its dataset subpackage is needed.
for _name in ("stable_baselines.gail", "stable_baselines.gail.dataset"):
    _module = types.ModuleType(_name)
    _module.__path__ = [os.path.join(_root, *_name.split(".")[1:])]
    sys.modules[_name] = _module
from stable_baselines.gail.dataset.dataset import ExpertDataset  # noqa: E402
from stable_baselines.gail.dataset.record_expert import generate_expert_traj  # noqa: E402

OUT = os.path.join(ref.ROOT, "Tests", "ActorCriticTests", "Fixtures", "Pretraining")


def adam() -> None:
    rng = np.random.RandomState(0)
    arrays = {}
    for run, (lr, eps) in enumerate([(1e-2, 1e-8), (0.1, 1e-3)]):
        graph = tf1.Graph()
        with graph.as_default():
            w0 = rng.uniform(-1, 1, size=(3, 4)).astype(np.float32)
            b0 = rng.uniform(-1, 1, size=(5,)).astype(np.float32)
            w = tf1.Variable(w0)
            b = tf1.Variable(b0)
            gw = tf1.placeholder(tf1.float32, (3, 4))
            gb = tf1.placeholder(tf1.float32, (5,))
            step = tf1.train.AdamOptimizer(learning_rate=lr, epsilon=eps).apply_gradients([(gw, w), (gb, b)])
            grads_w, grads_b, after_w, after_b = [], [], [], []
            with tf1.Session(graph=graph) as session:
                session.run(tf1.global_variables_initializer())
                for t in range(30):
                    # Gradients over six orders of magnitude, signs changing, some exactly zero.
                    scale = 10.0 ** rng.uniform(-4, 2)
                    g_w = (rng.standard_normal((3, 4)) * scale).astype(np.float32)
                    g_b = (rng.standard_normal(5) * scale).astype(np.float32)
                    g_b[t % 5] = 0
                    session.run(step, {gw: g_w, gb: g_b})
                    values = session.run([w, b])
                    grads_w.append(g_w), grads_b.append(g_b), after_w.append(values[0]), after_b.append(values[1])
        arrays.update({
            f"run{run}_lr": np.float32(lr), f"run{run}_epsilon": np.float32(eps),
            f"run{run}_w0": w0, f"run{run}_b0": b0,
            f"run{run}_grads_w": np.array(grads_w), f"run{run}_grads_b": np.array(grads_b),
            f"run{run}_after_w": np.array(after_w), f"run{run}_after_b": np.array(after_b),
        })
    np.savez(os.path.join(OUT, "adam-reference.npz"), **arrays)


class SingleGymEnv:
    """One Gymnasium environment behind the old gym API (reset → obs, step → 4-tuple), the
    non-vectorised environment `generate_expert_traj` records from when it is given one."""

    def __init__(self, env_id: str, seed: int):
        vec = ref.GymnasiumVecEnv(env_id, 1, seed)
        self.env = vec.envs[0]
        self.observation_space, self.action_space = vec.observation_space, vec.action_space
        self.seed = seed

    def reset(self):
        observation, _ = self.env.reset(seed=self.seed) if self.seed is not None else self.env.reset()
        self.seed = None
        return observation

    def step(self, action):
        if isinstance(self.action_space, ref.gym.spaces.Discrete):
            action = int(action)
        observation, reward, terminated, truncated, info = self.env.step(action)
        return observation, reward, terminated or truncated, info

    def close(self):
        pass


def expert() -> None:
    # SB2 records from the model's own VecEnv by default; under NumPy ≥ 1.24 that path fails
    # (`np.array` of `[True, array([False]), …]` is ragged; NumPy < 1.24 made it a pickled object
    # array). With a single environment passed as `env`, it writes plain arrays: this is that path.
    env = ref.GymnasiumVecEnv("CartPole-v1", 1, seed=0)
    model = ref.A2C("MlpPolicy", env, seed=0, verbose=0, n_cpu_tf_sess=1, ent_coef=0.0)
    model.learn(25_000)
    generate_expert_traj(model, os.path.join(OUT, "sb2-expert-cartpole"), env=SingleGymEnv("CartPole-v1", 7), n_episodes=4)
    env = ref.GymnasiumVecEnv("Pendulum-v1", 1, seed=0)
    model = ref.A2C("MlpPolicy", env, seed=0, verbose=0, n_cpu_tf_sess=1)
    generate_expert_traj(model, os.path.join(OUT, "sb2-expert-pendulum"), env=SingleGymEnv("Pendulum-v1", 7), n_episodes=2)


def initializer_of_new_variables(session):
    """Stands in for `tf.global_variables_initializer` inside `pretrain`: initialises only the
    variables that are not initialised yet (Adam's), leaving the model's parameters as they are."""

    def only_new():
        variables = tf1.global_variables()
        flags = session.run([tf1.is_variable_initialized(v) for v in variables])
        return tf1.variables_initializer([v for v, done in zip(variables, flags) if not done])

    return only_new


def oracle() -> None:
    for env_id, name in [("CartPole-v1", "cartpole"), ("Pendulum-v1", "pendulum")]:
        env = ref.GymnasiumVecEnv(env_id, 1, seed=0)
        model = ref.A2C("MlpPolicy", env, seed=1, verbose=0, n_cpu_tf_sess=1)
        np.random.seed(0)
        dataset = ExpertDataset(
            expert_path=os.path.join(OUT, f"sb2-expert-{name}.npz"), train_fraction=0.7, batch_size=100_000,
            randomize=False, verbose=0, sequential_preprocessing=True)
        initial = model.get_parameters()
        losses = []
        original_run = model.sess.run

        def run(fetches, feed_dict=None, **kwargs):  # records the [loss, optim_op] calls of pretrain
            result = original_run(fetches, feed_dict, **kwargs)
            if isinstance(fetches, list) and len(fetches) == 2 and feed_dict is not None:
                losses.append(float(result[0]))
            return result

        model.sess.run = run
        original_initializer = tf1.global_variables_initializer
        tf1.global_variables_initializer = initializer_of_new_variables(model.sess)
        model.pretrain(dataset, n_epochs=5, learning_rate=1e-3, adam_epsilon=1e-8)
        tf1.global_variables_initializer = original_initializer
        model.sess.run = original_run
        after = model.get_parameters()
        arrays = {"train_indices": dataset.train_loader.original_indices.astype(np.int64),
                  "losses": np.array(losses, dtype=np.float64)}
        for key, value in initial.items():
            arrays["initial/" + key] = value
        for key, value in after.items():
            arrays["after/" + key] = value
        np.savez(os.path.join(OUT, f"pretrain-oracle-{name}.npz"), **arrays)


def reads_ours(path: str) -> None:
    with open(path, "rb") as f:
        content = f.read()
    digest, crc = hashlib.sha256(content).hexdigest(), zlib.crc32(content)
    raw = np.load(path, allow_pickle=False)
    seen = {key: {"dtype": str(raw[key].dtype), "shape": list(raw[key].shape)} for key in raw.files}
    np.random.seed(0)
    dataset = ExpertDataset(expert_path=path, batch_size=64, verbose=0, sequential_preprocessing=True)
    env = ref.GymnasiumVecEnv("CartPole-v1", 1, seed=0)
    model = ref.A2C("MlpPolicy", env, seed=0, verbose=0, n_cpu_tf_sess=1)
    model.pretrain(dataset, n_epochs=10, learning_rate=1e-3)
    eval_env = ref.GymnasiumVecEnv("CartPole-v1", 1, seed=1000)
    observation = eval_env.reset()
    returns = []
    while len(returns) < 10:
        action, _ = model.predict(observation, deterministic=True)
        observation, _, _, infos = eval_env.step(action)
        returns += [info["episode"]["r"] for info in infos if "episode" in info]
    record = {
        "file": os.path.basename(path), "sha256": digest, "crc32": crc, "arrays": seen,
        "num_transition": int(dataset.num_transition), "num_traj_sb2_reports": int(dataset.num_traj),
        "average_return": float(dataset.avg_ret),
        "pretrained_sb2_a2c_deterministic_returns": [float(r) for r in returns],
        "versions": ref.versions(),
    }
    with open(os.path.join(OUT, "sb2-reads-ours.json"), "w") as f:
        json.dump(record, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(record, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="job", required=True)
    sub.add_parser("adam")
    sub.add_parser("expert")
    sub.add_parser("oracle")
    reads = sub.add_parser("reads-ours")
    reads.add_argument("file")
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    {"adam": adam, "expert": expert, "oracle": oracle}.get(args.job, lambda: reads_ours(args.file))()


if __name__ == "__main__":
    main()
