{#- JSON helpers shared by detections. -#}

{#- A JSON value CloudTrail writes either as one item or as a list (a policy Statement, an S3
    lifecycle Rule, an EC2 item list converted from XML) as ARRAY(JSON). A missing value gives an
    empty array, and null items are dropped. -#}
{% macro json_items(expr) -%}
filter(CASE WHEN json_array_length({{ expr }}) IS NOT NULL THEN CAST({{ expr }} AS ARRAY(JSON)) ELSE ARRAY[{{ expr }}] END,
  item -> item IS NOT NULL)
{%- endmacro %}

{#- The statements of a policy document held as a JSON string (IAM, KMS, S3 request parameters);
    an empty array when the text is absent or not JSON. -#}
{% macro policy_statements(policy_text) -%}
{{ json_items("json_extract(try(json_parse(" ~ policy_text ~ ")), '$.Statement')") }}
{%- endmacro %}
