"""``trailhunt new TACTIC/ID``: a new detection file with a firing and a near-miss fixture.

The scaffold is a working detection (one API call by a principal that is not automation, failed
calls excluded) whose two test cases pass as written, so the author starts from green and edits
the SQL, the header and the fixtures together. Nothing existing is ever overwritten.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from trailhunt.catalog import attack
from trailhunt.catalog.attack import DEFENSE_IMPAIRMENT, TACTIC_ORDER
from trailhunt.catalog.project import Project
from trailhunt.problems import Problem, ProblemError

DETECTION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
ACCOUNT = "111122223333"
DETECTION = """{{#-
id: {id}
title: "TODO: what this finds, in a few words ({event_name})"
attack: [{technique}]
confidence: low
severity: medium
description: >
  TODO: what the call means when an attacker makes it, and why it is rare for legitimate users.
  Low confidence until the near-miss fixtures show what benign use looks like.
tuning: |
  TODO: what to list in the account context (automation, humans, trusted accounts) to quiet it.
  Failed calls (errorcode set) and AWS services are excluded.
corroborate:
  - "TODO: what else the same principal would do (name a detection id or an API call, e.g. CreateAccessKey)"
response:
  - "Review what the principal did next: aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue={{{{ finding.access_key_id }}}}"
references:
  - {reference}
tests:
  - fixture: {fires}
    expect: [{{event_name: {event_name}, principal_arn: "arn:aws:iam::{account}:user/mallory"}}]
  - {{fixture: {near_miss}, expect: 0, name: failed_call}}
-#}}
{{%- import 'cloudtrail.sql' as trail with context %}}
{{%- import 'context.sql' as context with context %}}
{{%- import 'findings.sql' as findings with context %}}
SELECT
  {{{{ findings.finding_columns("concat('{event_name} by ', coalesce(useridentity.arn, '?'))") }}}}
FROM {{{{ cloudtrail }}}}
WHERE {{{{ trail.in_window() }}}}
  AND eventsource = '{event_source}'
  AND eventname = '{event_name}'
  AND errorcode IS NULL
  AND NOT {{{{ context.is_automation() }}}}
  AND NOT {{{{ context.is_aws_service() }}}}
"""


@dataclass(frozen=True)
class Scaffold:
    """The files ``new`` wrote."""

    detection: Path
    fires: Path
    near_miss: Path

    def summary(self) -> str:
        """What was written, and the commands to run next."""
        wrote = "".join(f"wrote {path}\n" for path in (self.detection, self.fires, self.near_miss))
        stem = self.detection.stem
        return f"{wrote}next: edit them, then `trailhunt validate {stem}` and `trailhunt test {stem}`\n"


def default_technique(tactic: str) -> str:
    """A cloud (IaaS) technique of ``tactic`` from the vendored ATT&CK data, to be replaced."""
    if tactic == DEFENSE_IMPAIRMENT:
        return "T1685"
    for row in attack._v18_rows().values():  # the vendored table, in id order
        if tactic in row["tactics"].split() and "IaaS" in row["platforms"] and row["deprecated"] != "true" \
                and row["revoked"] != "true" and attack.v19_successor(row["id"]) is None:  # fmt: skip
            return row["id"]
    raise ProblemError([Problem("NEW003", f"no cloud technique of tactic {tactic!r} in the ATT&CK data")])


def _event(event_time: str, name: str, source: str, user: str, error: str | None) -> dict[str, object]:
    record: dict[str, object] = {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAQ7SCAFFOLD" + user.upper()[:7].ljust(7, "X"),
            "arn": f"arn:aws:iam::{ACCOUNT}:user/{user}",
            "accountId": ACCOUNT,
            "accessKeyId": "AKIAQ7SCAFFOLDKEY001",
            "userName": user,
        },
        "eventTime": event_time,
        "eventSource": source,
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.23",
        "userAgent": "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8",
        "requestParameters": None,
        "responseElements": None,
        "requestID": f"5f0c{event_time[11:13]}{event_time[14:16]}-0000-4000-8000-00000000{event_time[17:19]}00",
        "eventID": f"a1b2{event_time[11:13]}{event_time[14:16]}-0000-4000-8000-00000000{event_time[17:19]}01",
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
    }
    if error:
        record["errorCode"] = error
        record["errorMessage"] = (
            f"User: arn:aws:iam::{ACCOUNT}:user/{user} is not authorized to perform this action"
        )
    return record


def new_detection(
    project: Project, target: str, event: str = "iam.amazonaws.com:CreateUser", technique: str | None = None
) -> Scaffold:
    """Write ``detections/TACTIC/ID.sql`` and its two fixtures; refuse to overwrite anything."""
    tactic, _, detection_id = target.strip("/").partition("/")
    source, _, event_name = event.partition(":")
    problems = []
    if tactic not in TACTIC_ORDER:
        problems.append(
            Problem("NEW001", f"{tactic!r} is not a tactic folder; use one of {', '.join(TACTIC_ORDER)}")
        )
    if not DETECTION_ID.match(detection_id):
        problems.append(
            Problem(
                "NEW002", f"{detection_id!r} is not an id: use lower_snake_case, e.g. {tactic}/my_detection"
            )
        )
    if not source.endswith(".amazonaws.com") or not re.fullmatch(r"[A-Z][A-Za-z0-9]+", event_name):
        problems.append(
            Problem("NEW004", f"--event {event!r}: use SOURCE:EventName, e.g. iam.amazonaws.com:CreateUser")
        )
    if problems:
        raise ProblemError(problems)
    technique = technique or default_technique(tactic)
    if reason := attack.problem_with(technique):
        raise ProblemError([Problem("NEW005", f"--attack {technique}: {reason}")])
    fixtures = Path("cloudtrail") / tactic
    scaffold = Scaffold(
        project.detections / tactic / f"{detection_id}.sql",
        project.fixtures / fixtures / f"{detection_id}.json",
        project.fixtures / fixtures / f"{detection_id}_near_miss.json",
    )
    existing = [p for p in (scaffold.detection, scaffold.fires, scaffold.near_miss) if p.exists()]
    if existing:
        raise ProblemError([Problem("NEW006", "already exists: choose another id", p) for p in existing])
    known = attack.lookup(technique)
    text = DETECTION.format(
        id=detection_id, technique=technique, event_name=event_name, event_source=source, account=ACCOUNT,
        reference=known.url if known else "https://attack.mitre.org/",
        fires=(fixtures / scaffold.fires.name).as_posix(), near_miss=(fixtures / scaffold.near_miss.name).as_posix(),
    )  # fmt: skip
    firing = [_event("2024-03-13T14:00:00Z", event_name, source, "mallory", None)]
    near = [_event("2024-03-13T14:05:00Z", event_name, source, "mallory", "AccessDenied")]
    for path, records in ((scaffold.fires, firing), (scaffold.near_miss, near)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"Records": records}, indent=1) + "\n", encoding="utf-8")
    scaffold.detection.parent.mkdir(parents=True, exist_ok=True)
    scaffold.detection.write_text(text, encoding="utf-8")
    return scaffold
