{#- Look-back baselines (src/trailhunt/render/history.py): scheduled on Athena they read the tables
    the daily run fills; elsewhere the same rows are computed from the events table. -#}

{#- Per principal and dimension (a list of names, see render/history.py), the values seen in the
    `lookback_days` days before the window: principal, account, dimension, value, first_seen,
    last_seen, events. -#}
{% macro principal_history(lookback_days, dimensions) -%}
{{ history_baseline(window, cloudtrail, lookback_days, dimensions) }}
{%- endmacro %}

{#- The configuration calls (CreateTrail, UpdateTrail, PutEventSelectors, CreateFlowLogs) from
    `lookback_days` before the window to its end, with their request and response. -#}
{% macro config_history(lookback_days) -%}
{{ config_lookback(window, cloudtrail, lookback_days) }}
{%- endmacro %}
