"""Report-side CLI habits: ``new`` scaffolds a detection that validates and passes, ``validate``
and ``test`` take ids or paths, machine formats for ``validate``, and failing tests show rows."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import PROJECT
from trailhunt.cli.commands import main


@pytest.fixture
def project(tmp_path):
    """An empty project sharing the real templates."""
    (tmp_path / "detections").mkdir()
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "templates").symlink_to(PROJECT.templates)
    return tmp_path


def _new(project, target="persistence/iam_group_backdoor", *more):
    return main(["new", target, "--project", str(project), *more])


def test_new_scaffolds_a_detection_that_validates_and_passes(project, capsys):
    assert _new(project) == 0
    sql = project / "detections" / "persistence" / "iam_group_backdoor.sql"
    assert sql.is_file()
    assert (
        project / "fixtures" / "cloudtrail" / "persistence" / "iam_group_backdoor_near_miss.json"
    ).is_file()
    assert main(["validate", "--project", str(project)]) == 0
    assert main(["test", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "1 detection, 0 errors, 0 warnings" in out
    assert (
        "PASS iam_group_backdoor::iam_group_backdoor" in out and "PASS iam_group_backdoor::failed_call" in out
    )


def test_new_refuses_to_overwrite_and_rejects_bad_names(project, capsys):
    assert _new(project) == 0
    capsys.readouterr()
    assert _new(project) == 2
    assert "already exists" in capsys.readouterr().err
    assert _new(project, "bogus/Bad-Id") == 2
    err = capsys.readouterr().err
    assert "'bogus' is not a tactic folder" in err and "lower_snake_case" in err
    assert _new(project, "impact/x_y", "--event", "CreateUser") == 2


def _broken(project):
    """Scaffold two detections; give one an ATT&CK id that does not exist."""
    assert _new(project) == 0
    assert _new(project, "impact/ses_quota_probe", "--event", "ses.amazonaws.com:GetSendQuota") == 0
    sql = project / "detections" / "persistence" / "iam_group_backdoor.sql"
    sql.write_text(sql.read_text().replace("attack: [T1078]", "attack: [T9999]"))
    return sql


def test_validate_takes_ids_and_paths(project, capsys):
    sql = _broken(project)
    assert main(["validate", "ses_quota_probe", "--project", str(project)]) == 0
    assert main(["validate", str(project / "detections" / "impact"), "--project", str(project)]) == 0
    assert main(["validate", str(sql), "--project", str(project)]) == 1
    assert main(["validate", "--project", str(project)]) == 1
    out = capsys.readouterr().out
    assert "ATT001" in out and out.count("ATT001") == 2  # the file alone, then the whole catalogue
    assert main(["validate", "no_such_detection", "--project", str(project)]) == 2
    assert "is not a detection id or a path" in capsys.readouterr().err


def test_validate_as_sarif_and_github_annotations(project, capsys):
    _broken(project)
    capsys.readouterr()
    assert main(["validate", "--format", "sarif", "--project", str(project)]) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "trailhunt"
    (result,) = [r for r in run["results"] if r["ruleId"] == "ATT001"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "detections/persistence/iam_group_backdoor.sql"
    assert location["region"]["startLine"] == 4 and result["level"] == "error"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "ATT001"
    assert main(["validate", "--format", "github", "--project", str(project)]) == 1
    (line,) = [x for x in capsys.readouterr().out.splitlines() if "ATT001" in x]
    assert re.fullmatch(
        r"::error file=detections/persistence/iam_group_backdoor\.sql,line=4,title=ATT001::.+", line
    )


def test_test_filters_with_k_and_a_failure_shows_expected_and_actual_rows(project, capsys):
    assert _new(project) == 0
    sql = project / "detections" / "persistence" / "iam_group_backdoor.sql"
    sql.write_text(sql.read_text().replace("user/mallory", "user/someone-else"))
    assert main(["test", "iam_group_backdoor", "-k", "failed_call", "--project", str(project)]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out
    assert main(["test", "-k", "iam_group_backdoor::iam_group", "--project", str(project)]) == 1
    out = capsys.readouterr().out
    assert "FAIL iam_group_backdoor::iam_group_backdoor" in out
    assert "expected:" in out and "principal_arn: arn:aws:iam::111122223333:user/someone-else" in out
    assert "actual (1 row, on event_name, principal_arn):" in out
    assert "principal_arn: arn:aws:iam::111122223333:user/mallory" in out
    assert main(["test", "-k", "nothing-matches", "--project", str(project)]) == 2
    assert "no test case matches" in capsys.readouterr().err
