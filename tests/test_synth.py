"""The synthetic CloudTrail generator: layout, record shape, the planted intrusion, determinism."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

import pytest
from tools.synth import DEMO_SEED, demo_events, generate_bench, generate_demo, story_principals
from tools.synth.__main__ import main
from tools.synth.ids import epoch

from trailhunt.render.context import load_context

ROOT = Path(__file__).resolve().parents[1]
STORY = story_principals()
LOG_NAME = re.compile(
    r"AWSLogs/(?P<account>\d{12})/CloudTrail/(?P<region>[a-z]{2}(-[a-z]+)+-\d)/"
    r"(?P<y>\d{4})/(?P<m>\d\d)/(?P<d>\d\d)/"
    r"(?P=account)_CloudTrail_(?P=region)_(?P=y)(?P=m)(?P=d)T(?P<hm>\d{4})Z_[A-Za-z0-9]{16}\.json\.gz$"
)
EVENT_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
REQUIRED = {
    "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
    "userAgent", "requestParameters", "responseElements", "eventID", "readOnly", "eventType",
    "managementEvent", "recipientAccountId", "eventCategory",
}  # fmt: skip
NEAR_MISSES = (
    "PutRolePolicy", "CreateRole", "UpdateAssumeRolePolicy", "RunInstances", "PutBucketPolicy",
    "AuthorizeSecurityGroupIngress", "CreateLogGroup", "DeleteLogGroup", "UpdateTrail", "DeleteTrail",
    "AssumeRoleWithWebIdentity", "GetMetricData", "Decrypt",
)  # fmt: skip
IDENTITY_TYPES = {"IAMUser", "AssumedRole", "AWSService", "AWSAccount", "WebIdentityUser", "SAMLUser"}


def read_logs(root: Path) -> dict[str, list[dict[str, object]]]:
    """Every log file under ``root`` by relative path, with its records."""
    return {
        p.relative_to(root).as_posix(): json.loads(gzip.decompress(p.read_bytes()))["Records"]
        for p in sorted(root.rglob("*.json.gz"))
    }


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate_demo(out)
    return out


@pytest.fixture(scope="module")
def demo_logs(demo_dir: Path) -> dict[str, list[dict[str, object]]]:
    return read_logs(demo_dir)


@pytest.fixture(scope="module")
def records(demo_logs: dict[str, list[dict[str, object]]]) -> list[dict[str, object]]:
    return sorted((r for recs in demo_logs.values() for r in recs), key=lambda r: str(r["eventTime"]))


@pytest.fixture(scope="module")
def bench_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    summary = generate_bench(out, 12_000, seed=5, workers=1)
    assert summary.events == 12_000
    return out


def test_demo_is_deterministic(demo_dir: Path, tmp_path: Path) -> None:
    generate_demo(tmp_path)
    again = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.json.gz")}
    first = {p.relative_to(demo_dir): p.read_bytes() for p in demo_dir.rglob("*.json.gz")}
    assert again == first


def test_another_seed_or_start_changes_the_data() -> None:
    base = demo_events(days=1)
    assert [r["eventID"] for _, r in demo_events(seed=DEMO_SEED + 1, days=1)] != [
        r["eventID"] for _, r in base
    ]
    shifted = demo_events(start="2025-01-06T00:00:00Z", days=1)
    assert min(t for t, _ in shifted) >= epoch("2025-01-06T00:00:00Z") - 3600


def test_committed_demo_matches_the_generator(demo_logs: dict[str, list[dict[str, object]]]) -> None:
    committed = ROOT / "fixtures" / "demo"
    assert read_logs(committed) == demo_logs, "regenerate: python -m tools.synth demo fixtures/demo"


def test_demo_size(demo_dir: Path, records: list[dict[str, object]]) -> None:
    assert 2500 <= len(records) <= 6000
    assert sum(p.stat().st_size for p in demo_dir.rglob("*.json.gz")) < 2_000_000
    times = [epoch(str(r["eventTime"])) for r in records]
    assert max(times) - min(times) > 2.5 * 86400


def test_s3_layout(demo_logs: dict[str, list[dict[str, object]]]) -> None:
    for name, recs in demo_logs.items():
        match = LOG_NAME.fullmatch(name)
        assert match, name
        assert {r["awsRegion"] for r in recs} == {match["region"]}
        times = [epoch(str(r["eventTime"])) for r in recs]
        assert max(times) - min(times) <= 900, name
        delivered = epoch(f"{match['y']}-{match['m']}-{match['d']}T{match['hm'][:2]}:{match['hm'][2:]}:00Z")
        assert delivered + 60 > max(times), name


def test_records_look_like_cloudtrail(records: list[dict[str, object]]) -> None:
    for rec in records:
        assert rec.keys() >= REQUIRED, rec
        assert EVENT_TIME.match(str(rec["eventTime"]))
        assert UUID4.match(str(rec["eventID"]))
        assert isinstance(rec["readOnly"], bool) and isinstance(rec["managementEvent"], bool)
        assert rec["eventCategory"] == ("Management" if rec["managementEvent"] else "Data")
        assert rec["eventType"] in {"AwsApiCall", "AwsConsoleSignIn", "AwsServiceEvent"}
        assert rec["recipientAccountId"] == "111122223333"
        assert rec["requestParameters"] is None or isinstance(rec["requestParameters"], dict)
        assert ("errorCode" in rec) <= ("errorMessage" in rec)
        assert ("requestID" in rec) == (rec["eventType"] == "AwsApiCall")
        identity = rec["userIdentity"]
        assert isinstance(identity, dict) and identity["type"] in IDENTITY_TYPES
        key = str(identity.get("accessKeyId", ""))
        assert key == "" or re.fullmatch(r"(AKIA|ASIA)[A-Z2-7]{16}", key), key
        if identity["type"] == "AssumedRole":
            issuer = identity["sessionContext"]["sessionIssuer"]
            role = str(identity["arn"]).split("/")[1]
            assert issuer["type"] == "Role" and str(issuer["arn"]).endswith(f"/{role}")
            assert str(identity["principalId"]).startswith(f"{issuer['principalId']}:")
            assert key.startswith("ASIA")
        if str(rec["sourceIPAddress"]).endswith(".amazonaws.com"):
            assert "tlsDetails" not in rec


def test_console_logins(records: list[dict[str, object]]) -> None:
    logins = [r for r in records if r["eventName"] == "ConsoleLogin"]
    assert logins and all(r["eventSource"] == "signin.amazonaws.com" for r in logins)
    assert all(r["eventType"] == "AwsConsoleSignIn" and r["requestParameters"] is None for r in logins)
    by_user = {(r["userIdentity"]["userName"], r["responseElements"]["ConsoleLogin"]) for r in logins}
    assert {("alice", "Success"), ("bob", "Failure"), ("backup-admin", "Success")} <= by_user
    office = [r for r in logins if str(r["sourceIPAddress"]).startswith("203.0.113.")]
    assert all(r["additionalEventData"]["MFAUsed"] == "Yes" for r in office if "errorMessage" not in r)


def test_noise_has_the_near_misses(records: list[dict[str, object]]) -> None:
    names = Counter(str(r["eventName"]) for r in records)
    assert [name for name in NEAR_MISSES if not names[name]] == []
    shares = [json.dumps(r["requestParameters"]) for r in records if r["eventName"].startswith("ModifySnap")]
    assert any("444455556666" in share for share in shares)
    deleted = [r["requestParameters"]["name"] for r in records if r["eventName"] == "DeleteTrail"]
    assert all(str(name).startswith("test-") for name in deleted)
    denied = [r for r in records if r.get("errorCode") in ("AccessDenied", "Client.UnauthorizedOperation")]
    assert 0 < len(denied) < 0.05 * len(records)


def _from_attacker(records: list[dict[str, object]]) -> list[dict[str, object]]:
    return [r for r in records if r["sourceIPAddress"] == STORY.attacker_ip]


def test_story_discovery(records: list[dict[str, object]]) -> None:
    leaked = [
        r for r in _from_attacker(records) if r["userIdentity"].get("accessKeyId") == STORY.leaked_key_id
    ]
    assert leaked[0]["eventName"] == "GetCallerIdentity"
    reads = [r for r in leaked if str(r["eventName"]).startswith(("List", "Describe", "Get"))]
    window = epoch(str(reads[-1]["eventTime"])) - epoch(str(reads[1]["eventTime"]))
    assert len({r["eventName"] for r in reads}) >= 25 and window < 600
    assert {r.get("errorCode") for r in reads} >= {"AccessDenied", "Client.UnauthorizedOperation"}
    assert {r["eventSource"] for r in reads} >= {
        f"{s}.amazonaws.com" for s in ("iam", "ec2", "s3", "rds", "lambda")
    }


def test_story_persistence_and_impact(records: list[dict[str, object]]) -> None:
    attack = _from_attacker(records)
    by_name = {r["eventName"]: r for r in attack}
    assert by_name["CreateUser"]["requestParameters"] == {"userName": "backup-admin"}
    assert by_name["CreateAccessKey"]["responseElements"]["accessKey"]["accessKeyId"] == STORY.created_key_id
    assert by_name["AttachUserPolicy"]["requestParameters"]["policyArn"].endswith("/AdministratorAccess")
    assert by_name["CreateLoginProfile"]["requestParameters"]["userName"] == "backup-admin"
    assert by_name["StopLogging"]["requestParameters"] == {"name": STORY.trail_arn}
    selector = by_name["PutEventSelectors"]["requestParameters"]["eventSelectors"][0]
    assert selector["readWriteType"] == "WriteOnly" and selector["includeManagementEvents"] is False
    assert by_name["CreateFilter"]["requestParameters"]["action"] == "ARCHIVE"
    assert by_name["UpdateDetector"]["requestParameters"]["enable"] is False
    share = by_name["ModifySnapshotAttribute"]["requestParameters"]["createVolumePermission"]["add"]["items"]
    assert share == [{"userId": STORY.outside_account}]
    assert by_name["ModifyDBSnapshotAttribute"]["requestParameters"]["valuesToAdd"] == [STORY.outside_account]
    assert by_name["StopLogging"]["userIdentity"]["arn"] == STORY.created_user_arn
    gets = [r for r in attack if r["eventName"] == "GetObject"]
    span = epoch(str(gets[-1]["eventTime"])) - epoch(str(gets[0]["eventTime"]))
    assert len(gets) >= 400 and span <= 900
    assert all(
        r["eventCategory"] == "Data"
        and r["resources"][0]["ARN"].startswith(f"arn:aws:s3:::{STORY.exfil_bucket}/")
        for r in gets
    )
    assert sum(r["eventName"] == "GetSecretValue" for r in attack) >= 3


def test_story_keys_appear_only_in_the_story(records: list[dict[str, object]]) -> None:
    created = [r for r in records if r["userIdentity"].get("accessKeyId") == STORY.created_key_id]
    assert {r["sourceIPAddress"] for r in created} == {STORY.attacker_ip, "s3.amazonaws.com"}
    leaked = [r for r in records if r["userIdentity"].get("accessKeyId") == STORY.leaked_key_id]
    assert {r["sourceIPAddress"] for r in leaked if r["sourceIPAddress"] != STORY.attacker_ip} <= {
        "10.0.12.41", "10.0.12.87", "10.0.13.15",
    }  # fmt: skip
    assert len([r for r in leaked if r["sourceIPAddress"] != STORY.attacker_ip]) >= 30


def test_demo_context_names_the_actors(records: list[dict[str, object]]) -> None:
    context = load_context(ROOT / "fixtures" / "contexts" / "demo.yaml")
    globs = context.humans + context.automation + context.service_accounts
    for rec in records:
        identity = rec["userIdentity"]
        arns = [identity.get("arn"), identity.get("sessionContext", {}).get("sessionIssuer", {}).get("arn")]
        known = any(fnmatch(str(a), g) for a in arns if a for g in globs)
        service = identity["type"] in ("AWSService", "AWSAccount") or "aws-service-role" in str(arns[1])
        if not known and not service and identity["type"] == "IAMUser":
            assert identity["userName"] in ("backup-admin",), identity
    assert set(context.expected_regions) == {"us-east-1", "eu-west-1"}


def test_bench_files(bench_dir: Path) -> None:
    logs = read_logs(bench_dir)
    sizes = [len(recs) for recs in logs.values()]
    assert sum(sizes) == 12_000 and len(logs) >= 250
    assert min(sizes) >= 20 and max(sizes) <= 2000
    for name, recs in logs.items():
        match = LOG_NAME.fullmatch(name)
        assert match and {r["awsRegion"] for r in recs} == {match["region"]}
        times = [epoch(str(r["eventTime"])) for r in recs]
        assert max(times) - min(times) < 900
    attack = [r for recs in logs.values() for r in recs if r["sourceIPAddress"] == STORY.attacker_ip]
    assert {"StopLogging", "CreateUser", "ModifySnapshotAttribute"} <= {r["eventName"] for r in attack}


def test_bench_does_not_depend_on_workers(bench_dir: Path, tmp_path: Path) -> None:
    generate_bench(tmp_path, 12_000, seed=5, workers=2)
    assert read_logs(tmp_path) == read_logs(bench_dir)


def test_bench_refuses_impossible_sizes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        generate_bench(tmp_path, 300, workers=1)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", str(tmp_path), "--events", "3000", "--workers", "1"]) == 0
    assert "3000 events" in capsys.readouterr().out
    assert main(["bench", str(tmp_path), "--events", "10"]) == 2
