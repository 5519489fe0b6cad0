{#- JSON helpers shared by detections. -#}

{#- A JSON value CloudTrail writes either as one item or as a list (a policy Statement, an S3
    lifecycle Rule, an EC2 item list converted from XML) as ARRAY(JSON). A missing value gives an
    empty array, and null items are dropped. -#}
{% macro json_items(expr) -%}
filter(CASE WHEN json_array_length({{ expr }}) IS NOT NULL THEN CAST({{ expr }} AS ARRAY(JSON))
            ELSE ARRAY[{{ expr }}] END,
  item -> item IS NOT NULL)
{%- endmacro %}
