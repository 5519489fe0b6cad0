"""Property test: real CloudTrail records, mutated, never break a load or hide a finding.

Records come from Stratus Red Team recordings (tests/data/stratus, Apache-2.0). Hypothesis drops
fields (also nested), changes their types and puts control characters into strings, then the
mutated records are written beside the real StopLogging recording. Whatever the mutation, the
invariants of the bad-input corpus hold: accounting balanced, good events loaded, StopLogging found
once.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_bad_input import STOP, STRATUS, assert_invariants

REAL = [
    record
    for path in sorted(STRATUS.glob("*.json"))
    if path != STOP
    for record in json.loads(path.read_text())
]
CONTROL = "".join(chr(c) for c in [*range(0, 32), 127, 0x2028, 0x202E, 0xFEFF])
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    st.text(alphabet=CONTROL + "ab\\\"'é", max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path in a record (dict keys and list indexes)."""
    found = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, child in items:
        found.append((*prefix, key))
        found.extend(_paths(child, (*prefix, key)))
    return found


@st.composite
def mutated_record(draw: st.DrawFn) -> Any:
    """A real record with a few random drops, type changes and control characters."""
    record = json.loads(json.dumps(draw(st.sampled_from(REAL))))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(record)
        if not paths:
            break
        *parents, last = draw(st.sampled_from(paths))
        holder = record
        for key in parents:
            holder = holder[key]
        action = draw(st.sampled_from(["drop", "retype", "control"]))
        if action == "drop":
            del holder[last]
        elif action == "retype":
            holder[last] = draw(ODD_VALUES)
        elif isinstance(holder[last], str):
            at = draw(st.integers(0, len(holder[last])))
            holder[last] = (
                holder[last][:at]
                + draw(st.text(alphabet=CONTROL, min_size=1, max_size=3))
                + holder[last][at:]
            )
    if draw(st.booleans()):
        return record
    return draw(st.sampled_from([record, [record], "record", 7, None]))  # sometimes not an object


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(mutated_record(), min_size=1, max_size=6), as_lines=st.booleans())
def test_mutated_real_records_never_break_a_hunt(records: list[Any], as_lines: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="trailhunt-prop-"))
    try:
        shutil.copy(STOP, folder / "stratus-stop.json")
        if as_lines:
            text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
            (folder / "mutated.jsonl").write_text(text, encoding="utf-8", errors="surrogatepass")
        else:
            (folder / "mutated.json").write_text(json.dumps({"Records": records}), encoding="utf-8")
        report = assert_invariants(folder, set(), set(), good=False)
        assert report.events_in >= 1 + (len(records) if not as_lines else 0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
