"""The scheduled run of the CloudFormation export: one Step Functions state machine (JSONata).

EventBridge Scheduler starts one execution per interval with ``<aws.scheduler.scheduled-time>``:
1. ``Plan`` normalises the scheduled time (bound to every ``?`` of every query, so windows hang off
   the schedule, not off when a query happens to start);
2. ``Stage`` (staged deployments): copies the interval's newly delivered raw files once into the
   parquet staging table, one INSERT per account chunk;
3. ``Detect``: a ``Map`` over every detection, ``MaxConcurrency`` from the execution input. Each
   branch reads its named query, runs it with ``athena:startQueryExecution.sync`` (retrying Athena
   throttling with jittered exponential backoff) and reads up to ``ALERT_ROWS`` rows; a ``Catch``
   turns any failure (cutoff cancellation, AccessDenied, KMS, SQL errors) into a failed record;
4. ``Summarise`` → one SNS message when anything fired or failed (which detections, total rows,
   bytes scanned, the finding contract columns, a console link per query), then the execution fails
   if anything failed, which the CloudWatch alarm on ``ExecutionsFailed`` reports.
The definition is the text of an ``Fn::Sub``: ``${AWS::Partition}``, ``${WorkGroup}``, ``${Database}``,
``${Topic}``, ``${MaxConcurrency}``, ``${Console}`` and each ``${Query...}`` are resolved at deploy time.
"""

from __future__ import annotations

from typing import Any

from trailhunt.deploy.schedule import placeholder_offsets
from trailhunt.findings import CONTRACT_FIELDS

MAX_CONCURRENCY = "__max_concurrency__"  # replaced by the template's MaxConcurrency parameter (a number)
ALERT_ROWS = 10  # rows per detection in the alert; the total comes from the query's total_rows column
THROTTLED = ["Athena.TooManyRequestsException", "Athena.ThrottlingException"]
RETRY = [
    {"ErrorEquals": THROTTLED, "IntervalSeconds": 10, "MaxAttempts": 8, "BackoffRate": 2,
     "MaxDelaySeconds": 300, "JitterStrategy": "FULL"},
]  # fmt: skip
SCHEDULED = "{% $fromMillis($toMillis($states.input.scheduled), '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]Z') %}"
PARAMETERS = '{% [$map([1..$item.placeholders], function($v) { "\'" & $scheduled & "\'" })] %}'
FAILED = (
    "{% {'id': $states.input.id, 'state': 'FAILED', 'error': $states.errorOutput.Error,"
    " 'cause': $substring($string($states.errorOutput.Cause), 0, 400)} %}"
)


def _branch() -> dict[str, Any]:
    """One detection: named query → run → results, any failure recorded."""
    catch = [{"ErrorEquals": ["States.ALL"], "Output": FAILED, "Next": "Failed"}]
    run_output = (
        "{% {'id': $item.id, 'state': 'SUCCEEDED', 'bytes': $states.result.QueryExecution.Statistics"
        ".DataScannedInBytes, 'query': $states.result.QueryExecution.QueryExecutionId} %}"
    )
    states: dict[str, Any] = {
        "GetQuery": {
            "Type": "Task",
            "Resource": "arn:${AWS::Partition}:states:::aws-sdk:athena:getNamedQuery",
            "Arguments": {"NamedQueryId": "{% $states.input.query %}"},
            "Assign": {"item": "{% $states.input %}", "sql": "{% $states.result.NamedQuery.QueryString %}"},
            "Output": "{% $states.input %}",  # the item, so a failure further on can name it
            "Retry": RETRY,
            "Catch": catch,
            "Next": "RunQuery",
        },
        "RunQuery": {
            "Type": "Task",
            "Resource": "arn:${AWS::Partition}:states:::athena:startQueryExecution.sync",
            "Arguments": {
                "QueryString": "{% $sql %}",
                "WorkGroup": "${WorkGroup}",
                "QueryExecutionContext": {"Database": "${Database}"},
                "ExecutionParameters": PARAMETERS,
            },
            "Retry": RETRY,
            "Catch": catch,
            "Output": run_output,
            "Next": "GetResults",
        },
        "Failed": {"Type": "Pass", "End": True},
        "GetResults": {
            "Type": "Task",
            "Resource": "arn:${AWS::Partition}:states:::athena:getQueryResults",
            "Arguments": {"QueryExecutionId": "{% $states.input.query %}", "MaxResults": ALERT_ROWS + 1},
            "Retry": RETRY,
            "Catch": catch,
            "Output": _results_expression(),
            "End": True,
        },
    }
    return {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "GetQuery", "States": states}


def _results_expression() -> str:
    """The branch record: rows as finding-contract objects, the query's total row count, bytes, link."""
    contract = "[" + ", ".join(f"'{c}'" for c in CONTRACT_FIELDS) + "]"
    return (
        "{% ($rows := $states.result.ResultSet.Rows; $header := $rows[0].Data.VarCharValue;"
        f" $data := $filter($rows, function($v, $i) {{ $i >= 1 and $i <= {ALERT_ROWS} }});"
        " $merge([$states.input, {'total_rows': $count($data) > 0 ? $number($data[0].Data[0].VarCharValue) : 0,"
        " 'console': '${Console}' & $states.input.query,"
        " 'findings': [$map($data, function($r) { $sift($merge($map($r.Data, function($d, $j)"
        f" {{ {{$header[$j]: $d.VarCharValue}} }})), function($v, $k) {{ $k in {contract} }}) }})]}}])) %}}"
    )


def _stage_branch(copy_sql: str, bound: bool = False) -> dict[str, Any]:
    """One INSERT (staging copy; ``bound``: the item's ``sql``, its ``placeholders`` ``?`` bound to the
    scheduled time, for the history INSERTs); failure recorded."""
    parameters = {}
    if bound:
        parameters["ExecutionParameters"] = (
            '{% [$map([1..$states.input.placeholders], function($v) { "\'" & $scheduled & "\'" })] %}'
        )
    return {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "Copy",
        "States": {
            "Copy": {
                "Type": "Task",
                "Resource": "arn:${AWS::Partition}:states:::athena:startQueryExecution.sync",
                "Arguments": {
                    "QueryString": copy_sql,
                    "WorkGroup": "${WorkGroup}",
                    "QueryExecutionContext": {"Database": "${Database}"},
                    **parameters,
                },
                "Retry": RETRY,
                "Catch": [{"ErrorEquals": ["States.ALL"], "Output": FAILED, "Next": "Failed"}],
                "Output": "{% {'id': $states.input.id, 'state': 'SUCCEEDED', 'bytes': $states.result"
                ".QueryExecution.Statistics.DataScannedInBytes, 'query': $states.result.QueryExecution"
                ".QueryExecutionId} %}",
                "End": True,
            },
            "Failed": {"Type": "Pass", "End": True},
        },
    }


def _map(
    items: list[dict[str, Any]], processor: dict[str, Any], assign: str, following: str
) -> dict[str, Any]:
    return {
        "Type": "Map",
        "Items": items,
        "MaxConcurrency": MAX_CONCURRENCY,
        "ItemProcessor": processor,
        "Assign": {assign: "{% [$states.result] %}"},
        "Next": following,
    }


SUMMARY = (
    "{% ($fired := [$detected[state = 'SUCCEEDED' and total_rows > 0]];"
    " $failed := [$append($staged[state = 'FAILED'], $detected[state = 'FAILED'])];"
    " {'scheduled_time': $scheduled, 'window': $window, 'fired': $fired, 'failed': $failed,"
    " 'detections_run': $count($detected), 'bytes_scanned': $sum($append($staged.bytes, $detected.bytes))}) %}"
)


def state_machine_definition(
    detections: list[dict[str, Any]],
    window: str,
    timeout_seconds: int,
    staging: tuple[list[dict[str, Any]], str] | None = None,
    daily: tuple[list[dict[str, Any]], list[str]] | None = None,
) -> dict[str, Any]:
    """The definition: detection items are ``{"id", "query": "${Query...}", "placeholders": n}``;
    ``staging`` is the copy items ``{"id", "accounts"}`` and the JSONata expression of their INSERT;
    ``daily`` the look-back detections and sweeps, and the history INSERTs an input ``{"daily": true}`` runs."""
    states: dict[str, Any] = {
        "Plan": {
            "Type": "Pass",
            "Assign": {
                "scheduled": SCHEDULED,
                "window": window,
                "staged": [],
            },
            "Next": "Which" if daily else "Stage" if staging else "Detect",
        },
        "Detect": _map(detections, _branch(), "detected", "Summarise"),
        "Summarise": {"Type": "Pass", "Output": SUMMARY, "Assign": {"summary": SUMMARY}, "Next": "Report"},
        "Report": {
            "Type": "Choice",
            "Choices": [
                {"Condition": "{% $count($summary.fired) + $count($summary.failed) > 0 %}", "Next": "Notify"}
            ],
            "Default": "Done",
        },
        "Notify": {
            "Type": "Task",
            "Resource": "arn:${AWS::Partition}:states:::sns:publish",
            "Arguments": {
                "TopicArn": "${Topic}",
                "Subject": "{% 'trailhunt: ' & $count($summary.fired) & ' fired, ' & $count($summary.failed)"
                " & ' failed (' & $scheduled & ')' %}",
                "Message": "{% $string($summary, true) %}",
            },
            "Retry": [
                {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 5, "MaxAttempts": 3, "BackoffRate": 2}
            ],
            "Next": "AnyFailed",
        },
        "AnyFailed": {
            "Type": "Choice",
            "Choices": [{"Condition": "{% $count($summary.failed) > 0 %}", "Next": "RunFailed"}],
            "Default": "Done",
        },
        "RunFailed": {
            "Type": "Fail",
            "Error": "trailhunt.QueriesFailed",
            "Cause": "{% $join($summary.failed.id, ', ') %}",
        },
        "Done": {"Type": "Succeed"},
    }
    if staging:
        states["Stage"] = _map(staging[0], _stage_branch(staging[1]), "staged", "Detect")
    if daily:
        inserts = [
            {"id": f"history-{i}", "sql": sql, "placeholders": len(placeholder_offsets(sql))}
            for i, sql in enumerate(daily[1], start=1)
        ]
        states["Which"] = {
            "Type": "Choice",
            "Choices": [{"Condition": "{% $states.input.daily = true %}", "Next": "History"}],
            "Default": "Stage" if staging else "Detect",
        }
        states["History"] = _map(
            inserts,
            _stage_branch("{% $states.input.sql %}", bound=True),
            "staged",
            "DailyDetect",
        )
        states["DailyDetect"] = _map(daily[0], _branch(), "detected", "Summarise")
    return {
        "Comment": "trailhunt: one scheduled run over every detection; alert when anything fired or failed",
        "QueryLanguage": "JSONata",
        "TimeoutSeconds": timeout_seconds,
        "StartAt": "Plan",
        "States": states,
    }
