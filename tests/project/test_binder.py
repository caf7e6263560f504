"""binder/: repo2docker's install steps work in a fresh virtual environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_binder_files_are_there() -> None:
    assert (ROOT / "binder" / "requirements.txt").is_file()
    post = ROOT / "binder" / "postBuild"
    assert post.is_file() and os.access(post, os.X_OK)
    reqs = (ROOT / "binder" / "requirements.txt").read_text()
    for dep in ("httpx", "pandas", "lxml", "ipywidgets", "jupyterlab"):
        assert dep in reqs


@pytest.mark.skipif(shutil.which("bash") is None, reason="postBuild is a bash script")
def test_binder_install_steps_in_a_fresh_venv(tmp_path: Path) -> None:
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "IPYTHONDIR": str(home / ".ipython"),
           "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    # repo2docker: install the requirements file, then run postBuild from the repo root
    subprocess.run([str(py), "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"],
                   cwd=ROOT, env=env, check=True, timeout=900)
    subprocess.run(["bash", "binder/postBuild"], cwd=ROOT, env=env, check=True, timeout=600)
    # a kernel started there has %twilio without %load_ext: postBuild loaded it for every kernel
    script = (
        "import twilio_nb\n"
        "from jupyter_client.manager import start_new_kernel\n"
        "km, kc = start_new_kernel(kernel_name='python3')\n"
        "try:\n"
        "    kc.execute_interactive(\"r = %twilio Message.list --page-size 3\", timeout=120)\n"
        "    show = lambda m: print(m['content'].get('text', ''), end='')\n"
        "    kc.execute_interactive('print(len(r.df))', timeout=60, output_hook=show)\n"
        "finally:\n"
        "    kc.stop_channels(); km.shutdown_kernel(now=True)\n"
        "print('package', twilio_nb.__file__)\n")
    out = subprocess.run([str(py), "-c", script], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert "3" in lines, out.stdout
    assert "offline SANDBOX" in out.stdout
    assert f"package {env_dir}" in out.stdout
