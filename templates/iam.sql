{#- IAM macros: policy documents, principals and target users.

    A policy document reaches CloudTrail as a JSON-encoded STRING inside requestParameters. These
    macros parse it (Statement may be one object or an array; Action, Resource and Principal.AWS
    may be a string or an array) instead of matching substrings. Every JSON read of a document is
    wrapped in try(): a malformed document yields no statements on both engines (DuckDB would raise). -#}
{%- import 'context.sql' as context with context %}
{%- import 'findings.sql' as findings with context %}

{#- The statements of policy document `document` (JSON text) as ARRAY(JSON); a missing or
    malformed document gives ARRAY[NULL], which every predicate below treats as no statement. -#}
{% macro policy_statements(document) -%}
coalesce(try_cast(try(json_extract({{ document }}, '$.Statement')) AS ARRAY(JSON)),
  ARRAY[try(json_extract({{ document }}, '$.Statement'))])
{%- endmacro %}

{#- A policy element at `path` of JSON value `json` that is a string or an array of strings, as
    ARRAY(VARCHAR): ARRAY[NULL] when absent, NULL elements for members that are not scalars. The
    array is cast to ARRAY(JSON) and each member read with json_extract_scalar, which both engines
    answer alike (a cast straight to ARRAY(VARCHAR) differs for non-string members). -#}
{% macro string_list(json, path) -%}
coalesce(transform(try_cast(try(json_extract({{ json }}, {{ sql.literal(path) }})) AS ARRAY(JSON)),
    e -> json_extract_scalar(e, '$')),
  ARRAY[json_extract_scalar({{ json }}, {{ sql.literal(path) }})])
{%- endmacro %}

{#- The Allow statements of a document. -#}
{% macro allow_statements(document) -%}
filter({{ policy_statements(document) }}, s -> json_extract_scalar(s, '$.Effect') = 'Allow')
{%- endmacro %}

{#- True when an Allow statement of the document grants one of `actions` (compared lower-case)
    on Resource "*": full administrator rights. -#}
{% macro grants_all_actions(document, actions=('*', '*:*')) -%}
(cardinality(filter({{ allow_statements(document) }}, s ->
    cardinality(filter({{ string_list('s', '$.Action') }}, a -> lower(a) IN {{ sql.literal_list(actions) }})) > 0
    AND contains({{ string_list('s', '$.Resource') }}, '*'))) > 0)
{%- endmacro %}

{#- The AWS principals an Allow statement of a trust policy admits: ARNs, account ids, or '*'
    (also for `"Principal": "*"`). Service and Federated principals are not AWS principals. -#}
{% macro trust_principals(document) -%}
flatten(transform({{ allow_statements(document) }}, s ->
    CASE WHEN json_extract_scalar(s, '$.Principal') = '*' THEN ARRAY['*']
         ELSE {{ string_list('s', '$.Principal.AWS') }} END))
{%- endmacro %}

{#- The 12-digit account of an AWS principal (ARN or bare account id); '*' for everyone; NULL
    for anything else (service principals, unique ids of deleted roles). -#}
{% macro principal_account(principal) -%}
(CASE WHEN {{ principal }} = '*' THEN '*'
      WHEN regexp_like({{ principal }}, '^[0-9]{12}$') THEN {{ principal }}
      WHEN regexp_like({{ principal }}, '^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:')
        THEN split_part({{ principal }}, ':', 5)
 END)
{%- endmacro %}

{#- The sorted distinct accounts of `principals` (an array of principal strings) that are neither
    the event's own account nor yours nor trusted (context account_ids + trusted_accounts); '*'
    stands for everyone. Empty when all are known. -#}
{% macro outside_accounts(principals) -%}
array_sort(array_distinct(filter(transform({{ principals }}, p -> {{ principal_account('p') }}),
    acct -> acct IS NOT NULL AND acct <> coalesce(recipientaccountid, '')
      AND NOT {{ context.trusted_account('acct') }})))
{%- endmacro %}

{#- The IAM user an IAM user API call acts on: requestParameters.userName, else the caller. -#}
{% macro target_user() -%}
coalesce(json_extract_scalar(requestparameters, '$.userName'), useridentity.username)
{%- endmacro %}

{#- True when the call names an IAM user other than the calling IAM user. Roles and root have no
    IAM user of their own, so any user they name is another user. -#}
{% macro targets_other_user() -%}
(json_extract_scalar(requestparameters, '$.userName') IS NOT NULL
 AND (coalesce(useridentity.type, '') <> 'IAMUser'
      OR lower(json_extract_scalar(requestparameters, '$.userName')) <> lower(coalesce(useridentity.username, ''))))
{%- endmacro %}

{#- Finding columns of a per-principal sweep over EC2 instances (GetPasswordData, user data reads):
    how many distinct instances were touched, how many calls were denied, and which instances.
    `what` names the action in the evidence. -#}
{% macro instance_sweep_columns(what) -%}
{{ findings.aggregate_finding_columns(instance_sweep_evidence(what)) }},
  count(DISTINCT {{ instance_id() }}) AS distinct_instances,
  sum(CASE WHEN errorcode IS NOT NULL THEN 1 ELSE 0 END) AS denied_calls,
  array_join(array_sort(array_agg(DISTINCT coalesce({{ instance_id() }}, '?'))), ', ') AS instances
{%- endmacro %}

{#- The instance an EC2 call names. -#}
{% macro instance_id() -%}
json_extract_scalar(requestparameters, '$.instanceId')
{%- endmacro %}

{#- Evidence of a sweep: "<what> on N instance(s), D of C calls denied". -#}
{% macro instance_sweep_evidence(what) -%}
concat({{ sql.literal(what ~ ' on ') }}, CAST(count(DISTINCT {{ instance_id() }}) AS VARCHAR), ' instance(s), ',
  CAST(sum(CASE WHEN errorcode IS NOT NULL THEN 1 ELSE 0 END) AS VARCHAR), ' of ', CAST(count(*) AS VARCHAR),
  ' calls denied')
{%- endmacro %}
