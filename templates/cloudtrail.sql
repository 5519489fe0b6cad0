{#- Table reference and time window. `cloudtrail` (the table) and `window` come from the runner. -#}

{#- The hunt window on eventtime, plus partition predicates when the table is partitioned.
    lookback_days widens the start for baselines: they look back from the data's own time. -#}
{% macro in_window(lookback_days=0) -%}
{{ window_predicate(window, lookback_days) }}
{%- endmacro %}

{#- Seconds since the epoch of the event, for arithmetic on event time. -#}
{% macro event_epoch(column='eventtime') -%}
to_unixtime(from_iso8601_timestamp({{ column }}))
{%- endmacro %}

{#- Fixed buckets of `minutes` minutes, for burst thresholds ("N calls within M minutes"). -#}
{% macro time_bucket(minutes) -%}
floor({{ event_epoch() }} / {{ sql.literal(minutes * 60) }})
{%- endmacro %}

{#- A detection parameter is read with `param('x')` (src/trailhunt/render/params.py): printed, it is
    a SQL literal; `param('x').value` is the plain value. A list parameter as an IN list: -#}
{% macro param_list(name) -%}
{{ sql.literal_list(param(name).value) }}
{%- endmacro %}
