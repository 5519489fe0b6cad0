{#- Account-context predicates. Every value from the context reaches SQL through sql.* quoting. -#}

{#- The ARN of the principal and, for role sessions, the role behind it. -#}
{% macro actor_arn() -%}
useridentity.arn
{%- endmacro %}
{% macro issuer_arn() -%}
useridentity.sessioncontext.sessionissuer.arn
{%- endmacro %}

{#- True when the caller (or the role it assumed) matches one of the ARN globs. -#}
{% macro principal_matches(globs) -%}
({{ sql.matches_any_glob(actor_arn(), globs) }} OR {{ sql.matches_any_glob(issuer_arn(), globs) }})
{%- endmacro %}

{#- Automation: a principal listed by ARN glob, or one listed with user_agents and/or networks
    that is calling with one of those user agents (matched anywhere in the string) and from one
    of those networks. The same principal outside its conditions is not automation. -#}
{% macro is_automation() -%}
{%- set plain = ctx.automation | select('string') | list -%}
{%- set rules = ctx.automation | reject('string') | list -%}
coalesce({{ principal_matches(plain) }}
{%- for rule in rules %}
{%- set ns = namespace(agents=[]) %}
{%- for agent in rule.user_agents %}{% set ns.agents = ns.agents + ['*' ~ agent ~ '*'] %}{% endfor %}
 OR ({{ principal_matches([rule.principal]) }}
  {%- if rule.user_agents %} AND coalesce({{ sql.matches_any_glob('useragent', ns.agents) }}, FALSE){% endif %}
  {%- if rule.networks %} AND coalesce({{ sql.in_networks('sourceipaddress', rule.networks) }}, FALSE){% endif %})
{%- endfor %}, FALSE)
{%- endmacro %}

{% macro is_human() -%}
coalesce({{ principal_matches(ctx.humans) }}, FALSE)
{%- endmacro %}

{% macro is_service_account() -%}
coalesce({{ principal_matches(ctx.service_accounts) }}, FALSE)
{%- endmacro %}

{#- AWS itself acting: service principals, service-linked roles, and calls a service makes for you
    (invokedBy a service endpoint). AWSAccount identities are callers from another account and
    signin.amazonaws.com marks console calls: neither is AWS acting. A service-linked role is a
    role directly under the reserved path /aws-service-role/ in any partition (aws, aws-cn,
    aws-us-gov, ...); a LIKE keeps the test compilable to an EventBridge wildcard. -#}
{% macro is_aws_service() -%}
(useridentity.type = 'AWSService'
 OR coalesce(useridentity.invokedby LIKE '%.amazonaws.com' AND useridentity.invokedby <> 'signin.amazonaws.com', FALSE)
 OR coalesce(useridentity.invokedby = 'AWS Internal', FALSE)
 OR coalesce({{ issuer_arn() }} LIKE 'arn:aws%:iam::%:role/aws-service-role/%', FALSE))
{%- endmacro %}

{#- The private (RFC 1918) IPv4 networks: the one list every template uses. -#}
{% set private_networks = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] %}

{#- A source address a known workload is expected to call from: a trusted network, an AWS
    service endpoint, or a private (VPC endpoint) address. -#}
{% macro from_expected_network(column='sourceipaddress') -%}
({{ trusted_network(column) }} OR {{ source_is_aws_service(column) }}
 OR coalesce({{ sql.in_networks(column, private_networks) }}, FALSE))
{%- endmacro %}

{#- Expected: automation, AWS services, and service accounts calling from an expected network.
    A service account's key used from an unknown internet address is the leaked-key case, so it
    stays visible. -#}
{% macro is_expected_principal() -%}
({{ is_automation() }} OR {{ is_aws_service() }} OR ({{ is_service_account() }} AND {{ from_expected_network() }}))
{%- endmacro %}

{% macro expected_region(column='awsregion') -%}
{% if ctx.expected_regions %}{{ sql.in_list(column, ctx.expected_regions) }}{% else %}TRUE{% endif %}
{%- endmacro %}

{#- An account id that is yours or trusted (context account_ids + trusted_accounts). -#}
{% macro trusted_account(expr) -%}
coalesce({{ sql.in_list(expr, ctx.known_accounts) }}, FALSE)
{%- endmacro %}

{#- A source IP inside the context's trusted_cidrs (IPv4). -#}
{% macro trusted_network(column='sourceipaddress') -%}
coalesce({{ sql.in_networks(column, ctx.trusted_cidrs) }}, FALSE)
{%- endmacro %}

{#- True for source addresses that are an AWS service name rather than an IP. -#}
{% macro source_is_aws_service(column='sourceipaddress') -%}
({{ column }} LIKE '%.amazonaws.com' OR {{ column }} = 'AWS Internal')
{%- endmacro %}

{#- A call made from the AWS console: the session flag when CloudTrail wrote it, else the console's
    own user agents ("AWS Internal", console.*.amazonaws.com, the S3 console's aws-internal SDK). -#}
{% macro is_console_call() -%}
(coalesce(sessioncredentialfromconsole, 'false') = 'true'
 OR coalesce(useragent IN ('AWS Internal', 'console.amazonaws.com', 'signin.amazonaws.com')
             OR useragent LIKE 'console.%amazonaws.com' OR useragent LIKE '%aws-internal/%', FALSE))
{%- endmacro %}
