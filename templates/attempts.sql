{#- Failed calls as findings of their own kind. A call with errorcode set did not happen, but an
    attempt to stop logging or to grant admin is itself a signal, one confidence level weaker
    (Finding.confidence lowers it). Detections of a write or a sensitive read keep failed calls and
    report them through finding_columns(), which adds `finding_kind` and names the error in the
    evidence; a detection that opts out declares `attempts_opt_out` with its reason. -#}

{#- 'attempt' for a failed call (errorcode set), 'finding' otherwise. -#}
{% macro finding_kind(error='errorcode') -%}
CASE WHEN {{ error }} IS NULL THEN 'finding' ELSE 'attempt' END
{%- endmacro %}

{#- The evidence text, with the error code appended for a failed call. -#}
{% macro attempt_evidence(evidence, error='errorcode') -%}
concat({{ evidence }}, CASE WHEN {{ error }} IS NULL THEN '' ELSE concat(' [attempt failed: ', {{ error }}, ']') END)
{%- endmacro %}
