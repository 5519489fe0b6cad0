{#- Macros for the exfiltration, collection, discovery, execution, lateral-movement and impact
    detections: outside-account tests, list parameters, public addresses and the hunt window's
    start. Names start with `exfil_`. -#}
{%- import 'context.sql' as context with context %}

{#- The distinct account ids of an ARRAY(VARCHAR) that are neither yours nor trusted, sorted. -#}
{% macro untrusted_accounts(accounts) -%}
array_sort(array_distinct(filter({{ accounts }},
  acct -> acct IS NOT NULL AND NOT {{ context.trusted_account('acct') }})))
{%- endmacro %}

{#- The grantees in an ARRAY(VARCHAR) that reach outside: 'all' (public) and 12-digit account ids
    that are neither yours nor trusted. Anything else (organization/OU ARNs, NULL) is not judged. -#}
{% macro outside_grantees(values) -%}
filter({{ values }}, grantee -> grantee = 'all'
  OR (regexp_like(grantee, '^[0-9]{12}$') AND NOT {{ context.trusted_account('grantee') }}))
{%- endmacro %}

{#- Who an EC2 permission change ({"items": [{"userId": ...}, {"group": "all"}]}, JSON) opens the
    resource to: 'all' and untrusted account ids, comma-separated; '' when nobody outside.
    Organization/OU ARNs are not judged. -#}
{% macro ec2_permission_outside(change) -%}
concat_ws(', ',
  CASE WHEN regexp_like(coalesce(json_format({{ change }}), ''), '"group"\s*:\s*"all"') THEN 'all' END,
  nullif(array_join({{ untrusted_accounts(ec2_user_ids(change)) }}, ', '), ''))
{%- endmacro %}

{#- The account ids (userId) an EC2 permission change names, as ARRAY(VARCHAR). -#}
{% macro ec2_user_ids(change) -%}
regexp_extract_all(coalesce(json_format({{ change }}), ''), '"userId"\s*:\s*"([0-9]{12})"', 1)
{%- endmacro %}

{#- A short, sorted sample of an array of strings (NULLs dropped) for evidence text. -#}
{% macro sample_list(arr, n=5) -%}
array_join(slice(array_sort(filter({{ arr }}, x -> x IS NOT NULL)), 1, {{ sql.literal(n) }}), ', ')
{%- endmacro %}

{#- True when expr is in the list parameter `name` (FALSE for an empty list). -#}
{% macro in_param_list(expr, name) -%}
coalesce({{ sql.in_list(expr, param(name).value) }}, FALSE)
{%- endmacro %}

{#- A literal IPv4 address that is not private (``private_networks``, context.sql), shared
    (CGNAT), loopback or link-local space. -#}
{% macro is_public_ipv4(column='sourceipaddress') -%}
{%- set not_public = context.private_networks + ['100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16'] -%}
(regexp_like({{ column }}, '^[0-9]{1,3}(\.[0-9]{1,3}){3}$')
 AND NOT coalesce({{ sql.in_networks(column, not_public) }}, FALSE))
{%- endmacro %}

{#- The start of the hunt window as an eventTime-format literal (for baselines read from a CTE). -#}
{% macro window_start() -%}
{{ sql.literal(window.start.strftime('%Y-%m-%dT%H:%M:%SZ')) }}
{%- endmacro %}
