"""The benchmark's phase profile still wraps the functions the hunt really calls.

`scripts/bench_profile.py` replaces functions by name; a rename elsewhere must fail here, not turn
`make bench` into a run that times nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "fixtures" / "cloudtrail" / "evasion" / "sg_cli_cidr_form.json"


def test_profile_times_every_phase_and_writes_the_report(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TRAILHUNT_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_profile.py"), "--out", str(report), str(FIXTURE)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    profile = json.loads(done.stdout)
    cold = ("catalogue", "discovery", "hashing", "cache lookup", "parse/load", "of which: COPY to parquet")
    cold = (*cold, "dedupe")
    for phase in (*cold, "translation", "SELECT check", "report"):
        assert profile["phases"].get(phase, 0.0) > 0.0, phase
    assert profile["queries"], "no detection query was timed"
    assert json.loads(report.read_text())["findings"]
