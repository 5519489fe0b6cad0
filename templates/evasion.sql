{#- Macros for the defense-evasion detections. Names start with `evasion_` (macros are global). -#}

{#- A JSON value that is one object or an array of them (an IAM/KMS policy `Statement`, an S3
    lifecycle `Rule`, an EC2 item list converted from XML) as ARRAY(JSON); NULL when absent. -#}
{% macro evasion_json_list(expr) -%}
(CASE WHEN {{ expr }} IS NULL THEN NULL
      WHEN json_array_length({{ expr }}) IS NOT NULL THEN CAST({{ expr }} AS ARRAY(JSON))
      ELSE ARRAY[{{ expr }}] END)
{%- endmacro %}

{#- The statements of a policy document held as a JSON string (KMS, S3, IAM request parameters);
    NULL when the text is absent or not JSON. -#}
{% macro evasion_policy_statements(policy_text) -%}
{{ evasion_json_list("json_extract(try(json_parse(" ~ policy_text ~ ")), '$.Statement')") }}
{%- endmacro %}
