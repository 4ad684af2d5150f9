// GENERATED from rules/*.toml by `UPDATE_GENERATED=1 swift test --filter GeneratedFilesTests`.
// Do not edit: change the rule files and regenerate.

extension BundledRules {
    static let files: [(path: String, text: String)] = [
(#"rules/PS101-plaintext-credential.toml"#, #"""
id = "PS101"
name = "plaintext-credential"
severity = "error"
summary = "A string matches a known credential format"
explanation = """
## What it does
Looks for credentials pasted into any text file: cloud and SaaS API keys and tokens (AWS, GitHub,
GitLab, Slack, Stripe, Google, Azure, Twilio, SendGrid, Mailgun, npm, PyPI, Docker Hub, Databricks,
Prefect Cloud and more), private key blocks (also base64-encoded, as in a kubeconfig's
`client-key-data`), JSON Web Tokens, database and broker URLs with an inline
password, URLs with basic-auth credentials, and secret-named variables assigned a high-entropy
literal. Each detector knows its issuer's published token format (prefix, length, alphabet and,
where the format has one, the checksum), so a match is very likely a real credential.

Placeholders (`<your-token>`, `xxx`, `changeme`), references to values kept elsewhere (`${VAR}`,
`$VAR`, `{{ var }}`, `%(var)s`), documented example keys, repeated or sequential characters,
UUIDs and hashes next to a hash keyword are not reported, nor is a URL's password that is its
user name (`postgres://dev:dev@db`) or Prefect Server's shipped default (`test-password`).

## Why is this bad?
A credential in a file ends up in version control, build logs, container images and every clone
of the repository. Anyone who can read any of those can use it, and removing it from the current
version does not remove it from history. Prefect 1.x reads secrets from `prefect.context.secrets`,
from the backend's secret store or from the environment, so the value never needs to be in the
source.

## What to do
Revoke and rotate the credential first: it has been exposed. Then store the new value in a secret
store (a Prefect Secret, an environment variable set by the deployment, a cloud secret manager)
and read it at run time.
"""
fix_safety = "No automatic fix: the credential must be revoked and rotated by a person; PS101 only reports it."
implemented = true

[example]
bad = '''
# file: flows/etl.py
import prefect
GITHUB_TOKEN = "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"
'''
good = '''
# file: flows/etl.py
from prefect.client import Secret
GITHUB_TOKEN = Secret("GITHUB_TOKEN").get()
'''

# ---------------------------------------------------------------------------------------------
# Amazon Web Services
# Access key ids: a four-letter type prefix (AKIA long-term, ASIA temporary, ABIA/ACCA service)
# and 16 characters of the base32 alphabet (A-Z, 2-7). Secret keys: 40 base64 characters, only
# recognisable next to their name.

[[detectors]]
id = "aws-access-key-id"
description = "AWS access key id"
keywords = ["akia", "asia", "abia", "acca"]
regex = '''(?<![A-Za-z0-9/+])((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9/+=])'''
secret_group = 1
entropy = 3.0
token_format = true
[[detectors.examples]]
text = '''aws_access_key_id = AKIAL4SBGJMB35BNLW3L'''
expect = "match"
[[detectors.examples]]
text = '''export AWS_ACCESS_KEY_ID="ASIAQA25IL5QBYMUWRO6"'''
expect = "match"
[[detectors.examples]]
text = '''aws_access_key_id = AKIAIOSFODNN7EXAMPLE'''
expect = "clean"
[[detectors.examples]]
text = '''key = "AKIA0000111122223333"  # digits 0, 1, 8, 9 are not base32'''
expect = "clean"

[[detectors]]
id = "aws-secret-access-key"
description = "AWS secret access key next to its name"
keywords = ["secret_access_key", "secretaccesskey", "secret-access-key", "aws_secret", "awssecret"]
regex = '''(?i:aws_?secret_?access_?key|aws-secret-access-key|aws_?secret_?key|secret_?access_?key)["']?[ \t]*(?:=|:|=>)[ \t]*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])'''
secret_group = 1
entropy = 4.0
[[detectors.examples]]
text = '''aws_secret_access_key = KmsGDZvdbf5IgKyQzJRs7TI9Xf+mUxYkHrq+FmNG'''
expect = "match"
[[detectors.examples]]
text = '''"SecretAccessKey": "KmsGDZvdbf5IgKyQzJRs7TI9Xf+mUxYkHrq+FmNG",'''
expect = "match"
[[detectors.examples]]
text = '''aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'''
expect = "clean"
[[detectors.examples]]
text = '''aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# GitHub (https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/):
# a three-letter type prefix and "_", then 30 random base62 characters and a 6-character base62
# CRC32 of those 30 characters (checked by the github-crc32 validator).

[[detectors]]
id = "github-classic-token"
description = "GitHub personal access token (classic)"
keywords = ["ghp_"]
regex = '''(?<![A-Za-z0-9_])(ghp_[A-Za-z0-9]{36})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 3.0
validator = "github-crc32"
token_format = true
[[detectors.examples]]
text = '''token = "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"'''
expect = "match"
[[detectors.examples]]
text = '''# a token in a comment still counts: 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'''
expect = "match"
[[detectors.examples]]
text = '''token = "ghp_bBRsk29cztUX1kmObfEjdpyHGfY5PB0WWYcx"'''
expect = "clean"
[[detectors.examples]]
text = '''token = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"'''
expect = "clean"

[[detectors]]
id = "github-oauth-token"
description = "GitHub OAuth access token"
keywords = ["gho_"]
regex = '''(?<![A-Za-z0-9_])(gho_[A-Za-z0-9]{36})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 3.0
validator = "github-crc32"
token_format = true
[[detectors.examples]]
text = '''Authorization: token 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'''
expect = "match"
[[detectors.examples]]
text = '''Authorization: token gho_MnY0LcUwE4BoMMc8b6ZGZkWBvKQXfV2134u9'''
expect = "clean"

[[detectors]]
id = "github-user-to-server-token"
description = "GitHub App user-to-server token"
keywords = ["ghu_"]
regex = '''(?<![A-Za-z0-9_])(ghu_[A-Za-z0-9]{36})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 3.0
validator = "github-crc32"
token_format = true
[[detectors.examples]]
text = '''GH_TOKEN=ghu_zUrrrUaR46drUvLinbJC6RQuFlBnDo0465ka'''
expect = "match"
[[detectors.examples]]
text = '''GH_TOKEN=ghu_zUrrrUaR46drUvLinbJC6RQuFlBnDo0465kb'''
expect = "clean"

[[detectors]]
id = "github-server-to-server-token"
description = "GitHub App installation (server-to-server) token"
keywords = ["ghs_"]
regex = '''(?<![A-Za-z0-9_])(ghs_[A-Za-z0-9]{36})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 3.0
validator = "github-crc32"
token_format = true
[[detectors.examples]]
text = '''git clone https://x-access-token:ghs_mtQhA14VqnPa5lwOo0OpGcSDuJZKMv0sGC8f@github.com/acme/flows.git'''
expect = "match"
[[detectors.examples]]
text = '''git clone https://x-access-token:ghs_mtQhA14VqnPa5lwOo0OpGcSDuJZKMv0sGC8F@github.com/acme/flows.git'''
expect = "clean"

[[detectors]]
id = "github-refresh-token"
description = "GitHub App refresh token"
keywords = ["ghr_"]
regex = '''(?<![A-Za-z0-9_])(ghr_[A-Za-z0-9]{36,76})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 4.0
token_format = true
[[detectors.examples]]
text = '''refresh_token: ghr_BEyhiXUTdSZZqPy7tTKP6RUDLYLvqsKt3sVNrCtNuPBUKibc7XiiDvDlr3qBiwBNPBACZMzla6Mk'''
expect = "match"
[[detectors.examples]]
text = '''refresh_token: ghr_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'''
expect = "clean"

[[detectors]]
id = "github-fine-grained-token"
description = "GitHub fine-grained personal access token"
keywords = ["github_pat_"]
regex = '''(?<![A-Za-z0-9_])(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 4.0
token_format = true
[[detectors.examples]]
text = '''GITHUB_TOKEN: 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'''
expect = "match"
[[detectors.examples]]
text = '''GITHUB_TOKEN: github_pat_XpsaCoKaEF7UV2PUBKiCUb_tooShort'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# GitLab (https://docs.gitlab.com/ee/security/token_overview.html): glpat- personal, glrt- runner,
# glptt- pipeline trigger (40 hex), gldt- deploy tokens. Newer tokens carry a ".01.<crc>" suffix.

[[detectors]]
id = "gitlab-personal-access-token"
description = "GitLab personal, project or group access token"
keywords = ["glpat-"]
regex = '''(?<![A-Za-z0-9_-])(glpat-[A-Za-z0-9_-]{20,80}(?:\.[0-9a-z]{2}\.[0-9a-z]{9})?)(?![A-Za-z0-9_.-])'''
secret_group = 1
entropy = 3.0
token_format = true
[[detectors.examples]]
text = '''private_token = "glpat-blhnInXpYsPQQgd-1OWU"'''
expect = "match"
[[detectors.examples]]
text = '''private_token = "glpat-xxxxxxxxxxxxxxxxxxxx"'''
expect = "clean"

[[detectors]]
id = "gitlab-runner-token"
description = "GitLab runner authentication token"
keywords = ["glrt-"]
regex = '''(?<![A-Za-z0-9_-])(glrt-[A-Za-z0-9_-]{20,80}(?:\.[0-9a-z]{2}\.[0-9a-z]{9})?)(?![A-Za-z0-9_.-])'''
secret_group = 1
entropy = 3.0
token_format = true
[[detectors.examples]]
text = '''  token = "glrt-yTC_BbE88rijjE2FdKmp"'''
expect = "match"
[[detectors.examples]]
text = '''  token = "glrt-REPLACE_WITH_RUNNER_TOKEN"'''
expect = "clean"

[[detectors]]
id = "gitlab-pipeline-trigger-token"
description = "GitLab pipeline trigger token"
keywords = ["glptt-"]
regex = '''(?<![A-Za-z0-9_-])(glptt-[0-9a-f]{40})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 3.0
token_format = true
[[detectors.examples]]
text = '''curl -F token=glptt-b5e0f3e7c8e40712b596ba931fe97ea8c90cab1c -F ref=main'''
expect = "match"
[[detectors.examples]]
text = '''curl -F token=glptt-0000000000000000000000000000000000000000 -F ref=main'''
expect = "clean"

[[detectors]]
id = "gitlab-deploy-token"
description = "GitLab deploy token"
keywords = ["gldt-"]
regex = '''(?<![A-Za-z0-9_-])(gldt-[A-Za-z0-9_-]{20,80})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 3.0
token_format = true
[[detectors.examples]]
text = '''pip install --index-url https://deploy:gldt-2naW-mOIxEUPMuq8G-tU@gitlab.example.org/api/v4/projects/1/packages/pypi/simple pkg'''
expect = "match"
[[detectors.examples]]
text = '''DEPLOY_TOKEN=gldt-<your-deploy-token>'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# Slack (https://api.slack.com/authentication/token-types): xoxb- bot, xoxp-/xoxe- user,
# xapp- app-level tokens; incoming webhooks under hooks.slack.com/services/T.../B.../<24>.

[[detectors]]
id = "slack-bot-token"
description = "Slack bot token"
keywords = ["xoxb-"]
regex = '''(?<![A-Za-z0-9_-])(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 3.0
token_format = true
[[detectors.examples]]
text = '''SLACK_BOT_TOKEN=xoxb-293328798580-4439964366390-aLOS5OAvP7dxamzpvLJ0Zx6m'''
expect = "match"
[[detectors.examples]]
text = '''SLACK_BOT_TOKEN=xoxb-your-bot-token'''
expect = "clean"

[[detectors]]
id = "slack-user-token"
description = "Slack user token"
keywords = ["xoxp-", "xoxe-"]
regex = '''(?<![A-Za-z0-9_-])(xox[pe]-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 3.0
token_format = true
[[detectors.examples]]
text = '''client = WebClient(token="xoxp-018659201460-091104942417-5383262958894-5f514703dfc868ded27398bd65aebce2")'''
expect = "match"
[[detectors.examples]]
text = '''client = WebClient(token="xoxp-0000000000-0000000000-0000000000-00000000000000000000000000000000")'''
expect = "clean"

[[detectors]]
id = "slack-app-token"
description = "Slack app-level token"
keywords = ["xapp-"]
regex = '''(?<![A-Za-z0-9_-])(xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[a-f0-9]{64})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 3.0
token_format = true
[[detectors.examples]]
text = '''SLACK_APP_TOKEN: xapp-1-AOTHFWDEN92-6338734162208-14f91386e1b2e58846831ce2db809dfb27645b7a905ceba5cf4b8e3caefc2b85'''
expect = "match"
[[detectors.examples]]
text = '''SLACK_APP_TOKEN: xapp-1-...'''
expect = "clean"

[[detectors]]
id = "slack-webhook-url"
description = "Slack incoming webhook URL"
keywords = ["hooks.slack.com"]
regex = '''(https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{8,12}/[AB][A-Z0-9]{8,12}/[A-Za-z0-9]{23,34})(?![A-Za-z0-9])'''
secret_group = 1
entropy = 4.0
token_format = true
[[detectors.examples]]
text = '''SlackTask(webhook_secret="https://hooks.slack.com/services/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")'''
expect = "match"
[[detectors.examples]]
text = '''webhook = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# Stripe (https://stripe.com/docs/keys): sk_live_ secret and rk_live_ restricted keys, whsec_
# webhook signing secrets. Test-mode keys (sk_test_) grant no access to real money and are left out.

[[detectors]]
id = "stripe-secret-key"
description = "Stripe live secret key"
keywords = ["sk_live_"]
regex = '''(?<![A-Za-z0-9_])(sk_live_[A-Za-z0-9]{24,247})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 3.5
token_format = true
[[detectors.examples]]
text = '''stripe.api_key = "sk_live_ysK5tH7aOr2idTn80qkZc0w7"'''
expect = "match"
[[detectors.examples]]
text = '''STRIPE_KEY=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'''
expect = "match"
[[detectors.examples]]
text = '''stripe.api_key = "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX"'''
expect = "clean"

[[detectors]]
id = "stripe-restricted-key"
description = "Stripe live restricted key"
keywords = ["rk_live_"]
regex = '''(?<![A-Za-z0-9_])(rk_live_[A-Za-z0-9]{24,247})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 3.5
token_format = true
[[detectors.examples]]
text = '''STRIPE_RESTRICTED_KEY = "rk_live_7XOD07V15pmLrBtrTFNrk4xR"'''
expect = "match"
[[detectors.examples]]
text = '''STRIPE_RESTRICTED_KEY = "rk_live_abcdefghijklmnopqrstuvwx"'''
expect = "clean"

[[detectors]]
id = "stripe-webhook-secret"
description = "Stripe webhook signing secret"
keywords = ["whsec_"]
regex = '''(?<![A-Za-z0-9_])(whsec_[A-Za-z0-9+/=]{32,88})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 3.5
token_format = true
[[detectors.examples]]
text = '''endpoint_secret = 'whsec_aVYZ7R0KjLrYWxaH6kNcLkcmlrY6vy1P' '''
expect = "match"
[[detectors.examples]]
text = '''endpoint_secret = 'whsec_...' '''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# Google (https://cloud.google.com/docs/authentication/api-keys): API keys are "AIza" plus 35
# characters; OAuth client secrets start with "GOCSPX-"; service-account key files hold a PEM
# private key as a JSON string with escaped newlines.

[[detectors]]
id = "google-api-key"
description = "Google API key"
keywords = ["aiza"]
regex = '''(?<![A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 3.5
token_format = true
[[detectors.examples]]
text = '''GOOGLE_API_KEY = "AIzaAh3jOEEOWFVRRh1TlF9XCHro40KQ-i6Nh4K"'''
expect = "match"
[[detectors.examples]]
text = '''GOOGLE_API_KEY = "AIzaxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"'''
expect = "clean"

[[detectors]]
id = "google-oauth-client-secret"
description = "Google OAuth client secret"
keywords = ["gocspx-"]
regex = '''(?<![A-Za-z0-9_-])(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 3.5
token_format = true
[[detectors.examples]]
text = '''"client_secret": "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",'''
expect = "match"
[[detectors.examples]]
text = '''"client_secret": "GOCSPX-your_client_secret_here_",'''
expect = "clean"

[[detectors]]
id = "google-service-account-private-key"
description = "Private key inside a Google service-account JSON key file"
keywords = ["private_key"]
regex = '''"private_key"[ \t]*:[ \t]*"(-----BEGIN (?:RSA )?PRIVATE KEY-----\\n(?:[A-Za-z0-9+/=]+\\n)+-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"'''
secret_group = 1
entropy = 4.5
token_format = true
[[detectors.examples]]
text = '''{"type": "service_account", "private_key_id": "3f2a", "private_key": "-----BEGIN PRIVATE KEY-----\nEad9lArXTdvhTHLZ4GKSq+l7V2I7d/i9kBF0oP0CWZ5S2ijXiIum8SMnY0iKzwUWqJ9vRbsny12Us19g00cZ4qC+\nJm9QAJWYS0rXiqfjfu6Xw/W+20KJ+vlsu746SkQwKxYRqiTRIrAnAD4xXykhe/ONDW4wQAKQ\n-----END PRIVATE KEY-----\n", "client_email": "flows@acme-data.iam.gserviceaccount.com"}'''
expect = "match"
[[detectors.examples]]
text = '''{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\n<your key>\n-----END PRIVATE KEY-----\n"}'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# Microsoft Azure: storage account keys are 64 random bytes in base64 (88 characters ending in
# "=="), service bus / event hub shared access keys 32 bytes (44 characters ending in "="),
# Entra ID (Azure AD) client secrets have "Q~" after three characters and a digit.

[[detectors]]
id = "azure-storage-connection-string"
description = "Azure storage account key in a connection string"
keywords = ["accountkey="]
regex = '''(?i:AccountName)=[A-Za-z0-9]{3,24};(?i:AccountKey)=([A-Za-z0-9+/]{86}==)'''
secret_group = 1
entropy = 4.5
token_format = true
[[detectors.examples]]
text = '''AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acmeflows;AccountKey=Q0p0XbsK7fWbI63hiRpzt9KU/602rOD41Xokg1XPR7/K4nUUy9n1wFPLeoIoevzVoK2U3CH7FNdjIlq+9Ck5SZ==;EndpointSuffix=core.windows.net"'''
expect = "match"
[[detectors.examples]]
text = '''AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acmeflows;AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net"'''
expect = "clean"

[[detectors]]
id = "azure-storage-account-key"
description = "Azure storage account key under its name or given to AzureNamedKeyCredential"
keywords = ["account_key", "accountkey", "account-key", "storage_key", "storagekey", "storage-key", "azurenamedkeycredential"]
regex = '''(?:(?i:account[_-]?key|storage[_-]?(?:account[_-]?)?(?:access[_-]?)?key)["']?[ \t]*(?::=|=>|=|:)[ \t]*(?:[rRbBuU]{1,2})?["']?|AzureNamedKeyCredential\([^,()]{1,80},[ \t]*(?:credential[ \t]*=[ \t]*)?["'])([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])'''
secret_group = 1
entropy = 4.5
token_format = true
[detectors.allowlist]
# The Azurite storage emulator's account key, published in Microsoft's documentation.
regexes = ['''^Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==$''']
[[detectors.examples]]
text = '''AZURE_STORAGE_KEY=Q0p0XbsK7fWbI63hiRpzt9KU/602rOD41Xokg1XPR7/K4nUUy9n1wFPLeoIoevzVoK2U3CH7FNdjIlq+9Ck5SZ=='''
expect = "match"
[[detectors.examples]]
text = '''creds = {"ACCOUNT_NAME": "acmeflows", "ACCOUNT_KEY": "Q0p0XbsK7fWbI63hiRpzt9KU/602rOD41Xokg1XPR7/K4nUUy9n1wFPLeoIoevzVoK2U3CH7FNdjIlq+9Ck5SZ=="}'''
expect = "match"
[[detectors.examples]]
text = '''credential = AzureNamedKeyCredential("acmeflows", "Q0p0XbsK7fWbI63hiRpzt9KU/602rOD41Xokg1XPR7/K4nUUy9n1wFPLeoIoevzVoK2U3CH7FNdjIlq+9Ck5SZ==")'''
expect = "match"
[[detectors.examples]]
text = '''AZURE_STORAGE_ACCOUNT_KEY=${STORAGE_KEY}'''
expect = "clean"
[[detectors.examples]]
text = '''AZURE_STORAGE_KEY=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='''
expect = "clean"

[[detectors]]
id = "azure-shared-access-key"
description = "Azure Service Bus / Event Hubs shared access key in a connection string"
keywords = ["sharedaccesskey="]
regex = '''(?i:SharedAccessKeyName)=[^;"' \t]{1,256};(?i:SharedAccessKey)=([A-Za-z0-9+/]{43}=)'''
secret_group = 1
entropy = 4.0
token_format = true
[[detectors.examples]]
text = '''conn = "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=Lk3v9QpXr7TzW2mYb8NcFd4Hs6Ja1Ue0Go5IyKtRqPw="'''
expect = "match"
[[detectors.examples]]
text = '''conn = "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<key>"'''
expect = "clean"

[[detectors]]
id = "azure-ad-client-secret"
description = "Microsoft Entra ID (Azure AD) application client secret"
keywords = ["q~"]
regex = '''(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])'''
secret_group = 1
entropy = 3.5
token_format = true
[[detectors.examples]]
text = '''AZURE_CLIENT_SECRET=kwt8Q~ARHTk76h-.lls9PTVL.L1yOv5H2tL0sUZd'''
expect = "match"
[[detectors.examples]]
text = '''AZURE_CLIENT_SECRET=abc8Q~short'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# Twilio (https://www.twilio.com/docs/iam/api-keys): API key SIDs "SK" + 32 hex and 32-hex auth
# tokens; neither shape is distinctive alone, so both need "twilio" on the line.

[[detectors]]
id = "twilio-api-key"
description = "Twilio API key SID next to the word twilio"
keywords = ["twilio"]
regex = '''(?i:twilio)[^\r\n]{0,80}?(?<![A-Za-z0-9])(SK[0-9a-f]{32})(?![A-Za-z0-9])'''
secret_group = 1
entropy = 3.0
[[detectors.examples]]
text = '''TWILIO_API_KEY = "SKc156e8bed2a0294d8faf5bb5155cd5d8"'''
expect = "match"
[[detectors.examples]]
text = '''TWILIO_API_KEY = "SK00000000000000000000000000000000"'''
expect = "clean"

[[detectors]]
id = "twilio-auth-token"
description = "Twilio auth token"
keywords = ["twilio"]
regex = '''(?i:twilio)[A-Za-z0-9_.-]{0,20}(?i:auth_?token|_token|_secret)["']?[ \t]*(?:=|:|=>)[ \t]*["']?([0-9a-f]{32})(?![0-9A-Za-z])'''
secret_group = 1
entropy = 3.0
[[detectors.examples]]
text = '''TWILIO_AUTH_TOKEN=e8bb628a6827adc35d2ee5f47e813a6d'''
expect = "match"
[[detectors.examples]]
text = '''TWILIO_AUTH_TOKEN=your_auth_token'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# SendGrid (https://docs.sendgrid.com/ui/account-and-settings/api-keys): "SG." + 22 + "." + 43
# base64url characters. Mailgun: legacy "key-" + 32 hex keys, and newer private API keys of the
# shape 32hex-8hex-8hex next to the word mailgun.

[[detectors]]
id = "sendgrid-api-key"
description = "SendGrid API key"
keywords = ["sg."]
regex = '''(?<![A-Za-z0-9_.-])(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_.-])'''
secret_group = 1
entropy = 4.0
token_format = true
[[detectors.examples]]
text = '''SENDGRID_API_KEY='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' '''
expect = "match"
[[detectors.examples]]
text = '''SENDGRID_API_KEY='SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' '''
expect = "clean"

[[detectors]]
id = "mailgun-api-key"
description = "Mailgun API key (legacy key- format)"
keywords = ["key-"]
regex = '''(?<![A-Za-z0-9_-])(key-[0-9a-f]{32})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 3.0
token_format = true
[[detectors.examples]]
text = '''auth=("api", "key-38a0be18e6321f91ee7e102cff621a85")'''
expect = "match"
[[detectors.examples]]
text = '''auth=("api", "key-00000000000000000000000000000000")'''
expect = "clean"

[[detectors]]
id = "mailgun-private-key"
description = "Mailgun private API key next to the word mailgun"
keywords = ["mailgun"]
regex = '''(?i:mailgun)[^\r\n]{0,80}?(?<![A-Za-z0-9])([0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![A-Za-z0-9])'''
secret_group = 1
entropy = 3.0
[[detectors.examples]]
text = '''MAILGUN_API_KEY=4d7a1c9e0b3f58a2d6c4e8f1a7b2c9d0-2a6f9c1e-7b3d8e4f'''
expect = "match"
[[detectors.examples]]
text = '''MAILGUN_API_KEY=00000000000000000000000000000000-00000000-00000000'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# Package registries. npm tokens follow GitHub's format (https://github.blog/2021-09-23-announcing-npms-new-access-token-format/),
# including the CRC32 checksum. PyPI API tokens are macaroons: "pypi-" + base64url of a body
# that starts with the location "pypi.org" (or "test.pypi.org"). Docker Hub personal and
# organisation access tokens start with dckr_pat_ / dckr_oat_.

[[detectors]]
id = "npm-access-token"
description = "npm access token"
keywords = ["npm_"]
regex = '''(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 3.0
validator = "github-crc32"
token_format = true
[[detectors.examples]]
text = '''//registry.npmjs.org/:_authToken=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'''
expect = "match"
[[detectors.examples]]
text = '''//registry.npmjs.org/:_authToken=npm_lsbxFHz9GuXlmPvNRB0tR1lirRVzYk1WJIf5'''
expect = "clean"

[[detectors]]
id = "pypi-api-token"
description = "PyPI or TestPyPI API token"
keywords = ["pypi-ageichlwas5vcmc", "pypi-agendgvzdc5wexbplm9yzw"]
regex = '''(?<![A-Za-z0-9_-])(pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 4.0
token_format = true
[[detectors.examples]]
text = '''password = pypi-AgEIcHlwaS5vcmcD3dZ2Mow73MvDSro3V5w3nSSVEESOVEJjnn_PD460PV435gz0nnAQfXu8dmP'''
expect = "match"
[[detectors.examples]]
text = '''TWINE_PASSWORD=pypi-AgENdGVzdC5weXBpLm9yZwDYYp5JE0IzkPuuh2BNypoU4AFu9D6sF9jQefBC655Z5BQrEesDQZXmfdonEq'''
expect = "match"
[[detectors.examples]]
text = '''password = pypi-AgEIcHlwaS5vcmc...'''
expect = "clean"

[[detectors]]
id = "dockerhub-access-token"
description = "Docker Hub personal or organisation access token"
keywords = ["dckr_pat_", "dckr_oat_"]
regex = '''(?<![A-Za-z0-9_-])(dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 3.5
token_format = true
[[detectors.examples]]
text = '''echo dckr_pat_29rMWn795Q1Dn_gN7xFylzUrNbu | docker login -u acme --password-stdin'''
expect = "match"
[[detectors.examples]]
text = '''echo dckr_pat_XXXXXXXXXXXXXXXXXXXXXXXXXXX | docker login -u acme --password-stdin'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# Data platforms. Databricks personal access tokens are "dapi" + 32 hex (optionally "-<digit>").
# Snowflake connection URLs (snowflake-sqlalchemy) carry the password inline.

[[detectors]]
id = "databricks-token"
description = "Databricks personal access token"
keywords = ["dapi"]
regex = '''(?<![A-Za-z0-9_-])(dapi[0-9a-f]{32}(?:-[0-9])?)(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 3.0
token_format = true
[[detectors.examples]]
text = '''DatabricksRunNow(databricks_conn_secret={"host": "https://adb-1.azuredatabricks.net", "token": "dapi956d8e495d6dffc0d627cdb72d6abd3b"})'''
expect = "match"
[[detectors.examples]]
text = '''"token": "dapi00000000000000000000000000000000"'''
expect = "clean"

[[detectors]]
id = "snowflake-url-password"
description = "Snowflake connection URL with an inline password"
keywords = ["snowflake://"]
regex = '''snowflake://([^:@/ \t\r\n"'`]{1,128}):(?!\1@)([^ \t\r\n"'`]{1,200})@[A-Za-z0-9._-]+'''
secret_group = 2
entropy = 2.0

[[detectors.examples]]
text = '''engine = create_engine("snowflake://etl_user:N7f2-qLw9xBz@acme-xy12345/analytics/public")'''
expect = "match"
[[detectors.examples]]
text = '''engine = create_engine(f"snowflake://{user}:{password}@acme-xy12345/analytics/public")'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# Database and broker URLs with an inline password: user:password@ in the authority part.

[[detectors]]
id = "postgres-url-password"
description = "PostgreSQL URL with an inline password"
keywords = ["postgres", "pgsql"]
regex = '''(?:postgres(?:ql)?|pgsql)(?:\+[A-Za-z0-9]+)?://([^:@/ \t\r\n"'`]{1,128}):(?!\1@)([^ \t\r\n"'`]{1,200})@[A-Za-z0-9._\[\]:-]+'''
secret_group = 2
entropy = 2.0
[detectors.allowlist]
# `test-password` is Prefect Server's shipped default (its config.toml and docker-compose.yml):
# written out, it shows nothing Prefect's own source does not (PS105 leaves it alone too).
regexes = ['''^[0-9]{1,5}$''', '''^test-password$''']
stopwords = ["postgres"]
[[detectors.examples]]
text = '''DATABASE_URL=postgresql+psycopg2://etl:W9v!kQ27rTz@db.internal:5432/warehouse'''
expect = "match"
[[detectors.examples]]
text = '''DATABASE_URL=postgresql://etl:Qw7rT@9x:Lm2/Zp@db.internal:5432/etl'''
expect = "match"
[[detectors.examples]]
text = '''DATABASE_URL=postgresql://postgres:postgres@localhost:5432/dev'''
expect = "clean"
[[detectors.examples]]
text = '''PREFECT_SERVER__DATABASE__CONNECTION_URL: postgresql://prefect:test-password@postgres:5432/prefect_server'''
expect = "clean"
# A password that is the user name tells nothing the URL does not (a development default).
[[detectors.examples]]
text = '''uri = "postgresql://datamart:datamart@datamart:5432/datamart"'''
expect = "clean"
[[detectors.examples]]
text = '''uri = "postgresql://datamart:datamart2@datamart:5432/datamart"'''
expect = "match"
[[detectors.examples]]
text = '''DATABASE_URL=postgresql://etl:${DB_PASSWORD}@db.internal:5432/warehouse'''
expect = "clean"

[[detectors]]
id = "mysql-url-password"
description = "MySQL / MariaDB URL with an inline password"
keywords = ["mysql", "mariadb"]
regex = '''(?:mysql|mariadb)(?:\+[A-Za-z0-9]+)?://([^:@/ \t\r\n"'`]{1,128}):(?!\1@)([^ \t\r\n"'`]{1,200})@[A-Za-z0-9._\[\]:-]+'''
secret_group = 2
entropy = 2.0
[detectors.allowlist]
regexes = ['''^[0-9]{1,5}$''']
[[detectors.examples]]
text = '''sqlalchemy_url = "mysql+pymysql://app:h4Rd-2gu3ss@mysql.internal/app"'''
expect = "match"
[[detectors.examples]]
text = '''sqlalchemy_url = "mysql+pymysql://app:%(password)s@mysql.internal/app"'''
expect = "clean"

[[detectors]]
id = "mongodb-url-password"
description = "MongoDB URL (mongodb:// or mongodb+srv://) with an inline password"
keywords = ["mongodb"]
regex = '''mongodb(?:\+srv)?://([^:@/ \t\r\n"'`]{1,128}):(?!\1@)([^ \t\r\n"'`]{1,200})@[A-Za-z0-9._,\[\]:-]+'''
secret_group = 2
entropy = 2.0
[[detectors.examples]]
text = '''client = MongoClient("mongodb+srv://reporting:x8TqL2vN5mWz@cluster0.ab1cd.mongodb.net/?retryWrites=true")'''
expect = "match"
[[detectors.examples]]
text = '''client = MongoClient("mongodb+srv://reporting:<password>@cluster0.ab1cd.mongodb.net/")'''
expect = "clean"

[[detectors]]
id = "redis-url-password"
description = "Redis URL with an inline password"
keywords = ["redis"]
regex = '''rediss?://([^:@/ \t\r\n"'`]{0,128}):(?!\1@)([^ \t\r\n"'`]{1,200})@[A-Za-z0-9._\[\]:-]+'''
secret_group = 2
entropy = 2.0
[detectors.allowlist]
regexes = ['''^[0-9]{1,5}$''']
[[detectors.examples]]
text = '''CELERY_RESULT_BACKEND = "redis://:Zq7mK2pX9wLr@cache.internal:6379/0"'''
expect = "match"
[[detectors.examples]]
text = '''CELERY_RESULT_BACKEND = "redis://:$REDIS_PASSWORD@cache.internal:6379/0"'''
expect = "clean"

[[detectors]]
id = "amqp-url-password"
description = "AMQP (RabbitMQ) URL with an inline password"
keywords = ["amqp"]
regex = '''amqps?://([^:@/ \t\r\n"'`]{1,128}):(?!\1@)([^ \t\r\n"'`]{1,200})@[A-Za-z0-9._\[\]:-]+'''
secret_group = 2
entropy = 2.0
[detectors.allowlist]
regexes = ['''^[0-9]{1,5}$''']
stopwords = ["guest"]
[[detectors.examples]]
text = '''broker_url = "amqp://flows:Pw7rXk2Lq9@rabbit.internal:5672/prod"'''
expect = "match"
[[detectors.examples]]
text = '''broker_url = "amqp://guest:guest@localhost:5672//"'''
expect = "clean"

[[detectors]]
id = "service-url-password"
description = "SQL Server, Oracle, ClickHouse, Neo4j, SMTP, SFTP, LDAP or S3 URL with an inline password or secret key"
keywords = ["mssql", "oracle", "clickhouse", "neo4j", "bolt://", "bolt+", "smtp", "sftp", "ldap", "s3://", "s3a://", "s3n://"]
regex = '''(?:mssql|oracle|clickhouse|neo4j|bolt|smtps?|sftp|ldaps?|s3[an]?)(?:\+[A-Za-z0-9]+)?://([^:@/ \t\r\n"'`]{1,128}):(?!\1@)([^ \t\r\n"'`]{1,200})@[A-Za-z0-9._\[\]:-]+'''
secret_group = 2
entropy = 2.0
[detectors.allowlist]
regexes = ['''^[0-9]{1,5}$''']
[[detectors.examples]]
text = '''WAREHOUSE_URL=mssql+pyodbc://etl:Vq8rLm2Xz5@sql.internal/warehouse'''
expect = "match"
[[detectors.examples]]
text = '''EMAIL_URL=smtp://alerts:Kd7wPq3Ln9@mail.internal:587'''
expect = "match"
[[detectors.examples]]
text = '''EMAIL_URL=smtp://alerts:${SMTP_PASSWORD}@mail.internal:587'''
expect = "clean"
[[detectors.examples]]
text = '''NEO4J_URI="neo4j+s://neo4j:Xk29vQm3Lp8Tz@abcd1234.databases.neo4j.io"'''
expect = "match"
[[detectors.examples]]
text = '''NEO4J_BOLT_URL="bolt://neo4j:Xk29vQm3Lp8Tz@db.example.org:7687"'''
expect = "match"

[[detectors]]
id = "basic-auth-url"
description = "HTTP(S) or FTP URL with user:password credentials"
keywords = ["http://", "https://", "ftp://"]
regex = '''(?:https?|ftp)://([^:@/ \t\r\n"'`<>]{1,128}):(?!\1@)([^ \t\r\n"'`<>]{1,200})@(?:[A-Za-z0-9.-]+\.[A-Za-z]{2,}|localhost\b|[0-9]{1,3}(?:\.[0-9]{1,3}){3}|\[[0-9A-Fa-f:.]+\]|[A-Za-z][A-Za-z0-9-]*:[0-9]{2,5})'''
secret_group = 2
entropy = 2.5
[detectors.allowlist]
regexes = ['''^[0-9]{1,5}$''']
[[detectors.examples]]
text = '''PIP_EXTRA_INDEX_URL=https://ci-reader:Rk8w2LpQz5@pypi.acme-data.com/simple'''
expect = "match"
[[detectors.examples]]
text = '''--api http://admin:Copper-Kettle-1987@10.0.0.5:4200'''
expect = "match"
[[detectors.examples]]
text = '''url = "https://user:password@pypi.acme-data.com/simple"'''
expect = "clean"
[[detectors.examples]]
text = '''Format: https://bearer:secret-token:{secret}@app.getcensus.com/api/v1/syncs/{sync_id}/trigger'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# Private keys (RFC 7468 PEM labels, OpenSSH's own format, OpenPGP armor).

[[detectors]]
id = "private-key-pem"
description = "PEM private key block (PKCS#1, PKCS#8, EC, DSA)"
keywords = ["private key-----"]
regex = '''(-----BEGIN (RSA |DSA |EC |ENCRYPTED |)PRIVATE KEY-----\r?\n(?:[ \t]*[A-Za-z-]+:[^\r\n]*\r?\n)*(?:[ \t]*\r?\n)?(?:[ \t]*[A-Za-z0-9+/=]{1,128}\r?\n)+[ \t]*-----END \2PRIVATE KEY-----)'''
secret_group = 1
entropy = 4.5
token_format = true
[[detectors.examples]]
text = '''
-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIPq8wR3nLz5Kd2VbX7hT1mYc9QaJ4sE6uF0iGkN2pHrQ
-----END PRIVATE KEY-----
'''
expect = "match"
[[detectors.examples]]
text = '''
-----BEGIN RSA PRIVATE KEY-----
Ead9lArXTdvhTHLZ4GKSq+l7V2I7d/i9kBF0oP0CWZ5S2ijXiIum8SMnY0iKzwUWqJ9vRbsny12Us19g00cZ4qC+
Jm9QAJWYS0rXiqfjfu6Xw/W+20KJ+vlsu746SkQwKxYRqiTRIrAnAD4xXykhe/ONDW4wQAKQ
-----END RSA PRIVATE KEY-----
'''
expect = "match"
[[detectors.examples]]
text = '''
-----BEGIN PRIVATE KEY-----
...
-----END PRIVATE KEY-----
'''
expect = "clean"

[[detectors]]
id = "openssh-private-key"
description = "OpenSSH private key block"
keywords = ["begin openssh private key"]
regex = '''(-----BEGIN OPENSSH PRIVATE KEY-----\r?\n(?:[ \t]*[A-Za-z0-9+/=]{1,128}\r?\n)+[ \t]*-----END OPENSSH PRIVATE KEY-----)'''
secret_group = 1
entropy = 4.5
token_format = true
[detectors.allowlist]
stopwords = []
[[detectors.examples]]
text = '''
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAA/tcUF8lFu02tQ6Ej3CTzVQerkbaKxWWJGWMsLP+E/8vOhT87uhw1Km5qa65W3UHO
ac3dl2XAKJwqvnyJcm2xzFopyQmCDzwDkikpe1KCiFXYiuHAQHeWxUdE
-----END OPENSSH PRIVATE KEY-----
'''
expect = "match"
[[detectors.examples]]
text = '''
-----BEGIN OPENSSH PRIVATE KEY-----
-----END OPENSSH PRIVATE KEY-----
'''
expect = "clean"

[[detectors]]
id = "private-key-base64"
description = "Base64-encoded PEM private key (a kubeconfig's client-key-data, a Secret's data)"
keywords = ["ls0tls1crudjti"]
regex = '''(?<![A-Za-z0-9+/])((?:LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0t|LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t|LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t|LS0tLS1CRUdJTiBEU0EgUFJJVkFURSBLRVktLS0t|LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZLS0tLS0K|LS0tLS1CRUdJTiBFTkNSWVBURUQgUFJJVkFURSBLRVktLS0t)[A-Za-z0-9+/]{80,}={0,2})'''
secret_group = 1
entropy = 4.0
token_format = true
[[detectors.examples]]
text = '''    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpLMTNxRVpaTFFTemhOdHZSNGhXeWo2Ny9SdXIraGxqckh6S0RIdWJ4WVhxMXNUUmQxVHNQVmh5YVhIck95eFpCVU5mVzlnbUhtdFFNcU1KaW82MVl4U1dzNXVTckttRFUrenVhclRhUUVXazRmMzZGR0lzSmhKVlJwdGdzZGlYZgotLS0tLUVORCBSU0EgUFJJVkFURSBLRVktLS0tLQo='''
expect = "match"
[[detectors.examples]]
text = '''    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM1ekNDQWMrZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKY201bGRHVnpNQjRYRFRJd01ERXdNVEF3TURBd01Gb1hEVE13TURFd01UQXdNREF3TUZvd0ZURVRNQkVHQTFVRQo='''
expect = "clean"

[[detectors]]
id = "pgp-private-key-block"
description = "OpenPGP armored private key block"
keywords = ["begin pgp private key block"]
regex = '''(-----BEGIN PGP PRIVATE KEY BLOCK-----\r?\n(?:[^\r\n]*\r?\n){2,}?[ \t]*-----END PGP PRIVATE KEY BLOCK-----)'''
secret_group = 1
entropy = 4.5
token_format = true
[[detectors.examples]]
text = '''
-----BEGIN PGP PRIVATE KEY BLOCK-----

lQOYBGV2k8EBCADEad9lArXTdvhTHLZ4GKSq+l7V2I7d/i9kBF0oP0CWZ5S2ijXiIum8SMnY0iKzwUWqJ9vRbsny
12Us19g00cZ4qC+Jm9QAJWYS0rXiqfjfu6Xw/W+20KJ+vlsu746SkQwKxYRqiTRIrAnAD4xXykhe/ONDW4wQAKQ
=Xk2p
-----END PGP PRIVATE KEY BLOCK-----
'''
expect = "match"
[[detectors.examples]]
text = '''
-----BEGIN PGP PRIVATE KEY BLOCK-----
-----END PGP PRIVATE KEY BLOCK-----
'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# JSON Web Tokens (RFC 7519): base64url header "eyJ" ("{"...), payload, signature; the jwt
# validator decodes header and payload and requires an "alg" in the header.

[[detectors]]
id = "jwt"
description = "JSON Web Token"
keywords = ["eyj"]
regex = '''(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,}={0,2}\.eyJ[A-Za-z0-9_-]{10,}={0,2}\.[A-Za-z0-9_-]{16,}={0,2})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 4.0
validator = "jwt"
token_format = true
[[detectors.examples]]
text = '''headers = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1LUh5QzN0SiIsImlhdCI6MTcwMDAwMDAwMH0.tqVPozMOfPImr7s41XiJR_1lu1xz_1B4li0ZZ4-rBQl"}'''
expect = "match"
[[detectors.examples]]
text = '''headers = {"Authorization": "Bearer eyJub3QiOiJqd3QifQ.eyJzdWIiOiJ1LUh5QzN0SiIsImlhdCI6MTcwMDAwMDAwMH0.ORpSsU9DcykeBrhpvAz4-snXm_Ky8LC8HZCTEc0oVol"}'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# Prefect Cloud API keys: pnu_ (user) and the older pcu_ prefix, then 36 alphanumerics; pnb_ for
# service accounts (bots), pcs_ in Prefect Cloud 1.0 (seen in a public project's .env).

[[detectors]]
id = "prefect-cloud-api-key"
description = "Prefect Cloud user API key"
keywords = ["pnu_", "pcu_"]
regex = '''(?<![A-Za-z0-9_])((?:pnu|pcu)_[A-Za-z0-9]{36})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 3.5
token_format = true
[[detectors.examples]]
text = '''PREFECT_API_KEY=pnu_xCyI3ZvNwX4V810VUwuO25HMcyJZsByYuFJI'''
expect = "match"
[[detectors.examples]]
text = '''prefect auth login --key pcu_9Jyv1r965uQ4u6rRSIINweU9C0kIBCCORvsH'''
expect = "match"
[[detectors.examples]]
text = '''PREFECT_API_KEY=pnu_000000000000000000000000000000000000'''
expect = "clean"

[[detectors]]
id = "prefect-service-account-key"
description = "Prefect Cloud service account (bot) API key"
keywords = ["pnb_", "pcs_"]
regex = '''(?<![A-Za-z0-9_])((?:pnb|pcs)_[A-Za-z0-9]{36})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 3.5
token_format = true
[[detectors.examples]]
text = '''PREFECT_API_KEY: pnb_vt55i4ypqpvFDuFfj3orP0yr58dgyzGKZzrZ'''
expect = "match"
[[detectors.examples]]
text = '''PREFECT_API_KEY: pnb_abcdefghijklmnopqrstuvwxyz0123456789'''
expect = "clean"
[[detectors.examples]]
text = '''PREFECT_API_KEY=pcs_Qm7vT2xLp9Rw4NcY8HbZ3kJs6FdG1aVe5UqX'''
expect = "match"

# ---------------------------------------------------------------------------------------------
# Other services with distinctive published token formats.

[[detectors]]
id = "shopify-access-token"
description = "Shopify access token or shared secret"
keywords = ["shpat_", "shpca_", "shppa_", "shpss_"]
regex = '''(?<![A-Za-z0-9_])(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 3.0
token_format = true
[[detectors.examples]]
text = '''SHOPIFY_TOKEN=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'''
expect = "match"
[[detectors.examples]]
text = '''SHOPIFY_TOKEN=shpat_00000000000000000000000000000000'''
expect = "clean"

[[detectors]]
id = "hashicorp-vault-token"
description = "HashiCorp Vault service or batch token"
keywords = ["hvs.", "hvb."]
regex = '''(?<![A-Za-z0-9_.-])(hv[sb]\.[A-Za-z0-9_-]{90,200})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 4.0
token_format = true
[[detectors.examples]]
text = '''VAULT_TOKEN=hvs.xNXxW0bShyNOCereMmAaTpeeAhSysHh87xo5ff2wpSO64D-VQtpmyy9bJDAFrucEi7X58j2LdQqfl114tqmQUtj2JX'''
expect = "match"
[[detectors.examples]]
text = '''VAULT_TOKEN=hvs.CAESIExample'''
expect = "clean"

[[detectors]]
id = "terraform-cloud-token"
description = "Terraform Cloud / Enterprise API token"
keywords = [".atlasv1."]
regex = '''(?<![A-Za-z0-9_-])([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,70})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 4.0
token_format = true
[[detectors.examples]]
text = '''token = "JeDG3VKJhaLcsw.atlasv1.d32NdaX4w792qXaYsS2tiXiTOZVR8LJ5fVmKtuuymk0Xg1G_4wGZuUAfg0E_ruhcJo4"'''
expect = "match"
[[detectors.examples]]
text = '''token = "xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"'''
expect = "clean"

[[detectors]]
id = "digitalocean-token"
description = "DigitalOcean personal access, OAuth or refresh token"
keywords = ["dop_v1_", "doo_v1_", "dor_v1_"]
regex = '''(?<![A-Za-z0-9_])(do[por]_v1_[a-f0-9]{64})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 3.0
token_format = true
[[detectors.examples]]
text = '''DIGITALOCEAN_TOKEN=dop_v1_312db74cf49858b3fec86b8317783c067ff843d68f5d0eb5ad309aebaa2c8aba'''
expect = "match"
[[detectors.examples]]
text = '''DIGITALOCEAN_TOKEN=dop_v1_0000000000000000000000000000000000000000000000000000000000000000'''
expect = "clean"

[[detectors]]
id = "huggingface-token"
description = "Hugging Face user access token"
keywords = ["hf_"]
regex = '''(?<![A-Za-z0-9_])(hf_[A-Za-z]{34})(?![A-Za-z0-9_])'''
secret_group = 1
entropy = 4.0
token_format = true
[[detectors.examples]]
text = '''HF_TOKEN=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'''
expect = "match"
[[detectors.examples]]
text = '''HF_TOKEN=hf_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'''
expect = "clean"

[[detectors]]
id = "openai-api-key"
description = "OpenAI API key"
keywords = ["t3blbkfj"]
regex = '''(?<![A-Za-z0-9_-])(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 4.0
token_format = true
[[detectors.examples]]
text = '''OPENAI_API_KEY=sk-proj-wruSxCm9yRyKKIHSsjk_4PcVgiD3YUzROuic7NOAyrpyQ06fT3BlbkFJVpZ1YhhJcN_P-VLv0KL6xeqVcTapLeiFHTZ277BSoi-vTfjS'''
expect = "match"
[[detectors.examples]]
text = '''OPENAI_API_KEY=sk-proj-T3BlbkFJ'''
expect = "clean"

[[detectors]]
id = "anthropic-api-key"
description = "Anthropic API key"
keywords = ["sk-ant-"]
regex = '''(?<![A-Za-z0-9_-])(sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA)(?![A-Za-z0-9_-])'''
secret_group = 1
entropy = 4.0
token_format = true
[[detectors.examples]]
text = '''ANTHROPIC_API_KEY=sk-ant-api03-SNvLTtF_pWxA2xX8_v_mM2lYcB_YxRmd8cR0HKvYRtmOtn2waM4kgLDCJQHLodNDaZsLEhpgFtQJlrrRjy2-L6yrwNMnEAA'''
expect = "match"
[[detectors.examples]]
text = '''ANTHROPIC_API_KEY=sk-ant-api03-...'''
expect = "clean"

# ---------------------------------------------------------------------------------------------
# Generic: a secret-named key assigned a high-entropy literal. Listed last so that a specific
# detector wins when both match the same value. Quoted form: Python, TOML, JSON, YAML, shell.

[[detectors]]
id = "generic-secret-assignment"
description = "Secret-named variable or key assigned a high-entropy quoted literal"
keywords = ["password", "passwd", "pwd", "secret", "token", "api_key", "api-key", "apikey", "access_key", "access-key", "accesskey", "auth_key", "auth-key", "authkey", "private_key", "private-key", "privatekey", "credential"]
regex = '''(?<!:)(?:(?i:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?key|private[_-]?key|credentials?)|(?<!next|Next|NEXT|next_|NEXT_|page|Page|PAGE|page_|PAGE_|Forward|Backward|continuation|Continuation|continuation_|pagination|Pagination|pagination_|csrf|Csrf|CSRF|csrf_|CSRF_|xsrf|Xsrf|XSRF|xsrf_|Client|client_|Idempotency|idempotency_|Sync|sync_|Marker|Cursor|cursor_)(?i:token))(?:[_.-]?(?i:key|value|string|str|b64|base64))?[0-9]{0,3}["']?[ \t]*(?::=|=>|=|:)[ \t]*(?:[rRbBuU]{1,2})?(["'])(?![./~])(?=[^"'\r\n]*[0-9])(?=[^"'\r\n]*[A-Za-z])([^"'\\ \t\r\n]{8,200})\1'''
secret_group = 2
entropy = 3.3
[detectors.allowlist]
regexes = ['''^arn:''', '''^[A-Za-z][A-Za-z0-9+.-]*://''', '''^(?=(?:[A-Z0-9_]*?(?<![A-Z0-9])[A-Z]{3,}(?![A-Z0-9])){3})[A-Z][A-Z0-9]*(?:__?[A-Z0-9]+){2,}$''']
stopwords = ["password", "passwd", "example", "generated"]
[[detectors.examples]]
text = '''DB_PASSWORD = "!GS%NxtY08^Zpt1h"'''
expect = "match"
[[detectors.examples]]
text = '''API_TOKEN = "BASE64_ENCODED_API_TOKEN_V2"'''
expect = "clean"
[[detectors.examples]]
text = '''DB_PASSWORD = "WINTER_2024_PROD_DB"'''
expect = "match"
[[detectors.examples]]
text = '''[context.secrets]
API_TOKEN = "GswUxxBhKp5Khf1eT4Ti"'''
expect = "match"
[[detectors.examples]]
text = '''{"client_secret": "ek0g2m0Zs92LjbZrxi"}'''
expect = "match"
[[detectors.examples]]
text = '''password = "${DB_PASSWORD}"'''
expect = "clean"
[[detectors.examples]]
text = '''api_key = "your_api_key_here"'''
expect = "clean"
[[detectors.examples]]
text = '''password = "changeme123"'''
expect = "clean"
[[detectors.examples]]
text = '''token_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"'''
expect = "clean"
[[detectors.examples]]
text = '''secret_id = "123e4567-e89b-12d3-a456-426614174000"'''
expect = "clean"
[[detectors.examples]]
text = '''# password = "!GS%NxtY08^Zpt1h"'''
expect = "clean"
[[detectors.examples]]
text = '''token = "1234567890abcdef"'''
expect = "clean"
[[detectors.examples]]
text = '''    "NextToken": "E5SlJDSTZleUp6SWpvaU9UQTNORE0zTXpFeE5Ua3pJbjE5"'''
expect = "clean"
[[detectors.examples]]
text = '''"Password": "webdavgeneratedpassword1"'''
expect = "clean"
[[detectors.examples]]
text = '''"SessionToken": "Fw9kZm2Qx7Lr3Tb8Vn1Yc5Hs0Jp4Ke6"'''
expect = "match"
[[detectors.examples]]
text = '''    "AWS::SecretsManager::Secret": "ff2b807a577495b0",'''
expect = "clean"
[[detectors.examples]]
text = '''"SecretArn": "arn:aws:secretsmanager:us-west-2:111122223333:secret:db1a2b"'''
expect = "clean"
[[detectors.examples]]
text = '''PASSWORD_HASH = "k1zPZM6uVxMQ3oxqgoYlNuJPyRT"'''
expect = "clean"
[[detectors.examples]]
text = '''SECRET_KEY = "k1zPZM6uVxMQ3oxqgoYlNuJPyRT"'''
expect = "match"

[[detectors]]
id = "generic-secret-unquoted"
description = "Secret-named key assigned a high-entropy unquoted value"
keywords = ["password", "passwd", "secret", "token", "api_key", "api-key", "apikey", "access_key", "access-key", "accesskey", "auth_key", "auth-key", "authkey", "credential", "creds"]
regex = '''(?<!:)(?:(?i:password|passwd|secret|api[_-]?key|access[_-]?key|auth[_-]?key|credentials?|creds)|(?<!next|Next|NEXT|next_|NEXT_|page|Page|PAGE|page_|PAGE_|Forward|Backward|continuation|Continuation|continuation_|pagination|Pagination|pagination_|csrf|Csrf|CSRF|csrf_|CSRF_|xsrf|Xsrf|XSRF|xsrf_|Client|client_|Idempotency|idempotency_|Sync|sync_|Marker|Cursor|cursor_)(?i:token))(?:[_.-]?(?i:key|value|string|str|b64|base64))?[0-9]{0,3}(?:=|[ \t]*(?:::?|[?+!])?=[ \t]*|:[ \t]+)(?![./~$])(?![A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_])(?=[^ \t\r\n"']*[0-9])(?=[^ \t\r\n"']*[A-Za-z])([A-Za-z0-9+/=_.!@%^*~-][A-Za-z0-9+/=_.!@%^*~#-]{11,199})(?:[ \t]*(?:#[^\r\n]*)?\r?$|(?=[ \t]+(?:-|\\))|(?=;))'''
secret_group = 1
entropy = 3.5
[detectors.allowlist]
regexes = ['''^arn:''', '''^[A-Za-z][A-Za-z0-9+.-]*://''', '''^(?=(?:[A-Z0-9_]*?(?<![A-Z0-9])[A-Z]{3,}(?![A-Z0-9])){3})[A-Z][A-Z0-9]*(?:__?[A-Z0-9]+){2,}$''']
stopwords = ["password", "passwd", "example", "generated"]
[[detectors.examples]]
text = '''export SERVICE_TOKEN=Hq3Lr8Zt2WmXv5Kp9Ny1'''
expect = "match"
[[detectors.examples]]
text = '''API_TOKEN := Yk29fLq83mZpWb'''
expect = "match"
[[detectors.examples]]
text = '''prefect run -n etl --param db_password=Op1Qr2St3Uv4Wx5 --param level=2'''
expect = "match"
[[detectors.examples]]
text = '''API_TOKEN=Dq7Lm3Vx9Pw2Zk; export LEVEL=2'''
expect = "match"
[[detectors.examples]]
text = '''export PG_PASSWORD ?= Wq4Zt8Lm2Rx6Vb'''
expect = "match"
[[detectors.examples]]
text = '''DB_PASSWORD := $(shell cat /run/secrets/db)'''
expect = "clean"
[[detectors.examples]]
text = '''  db_password: Hq3Lr8Zt2WmXv5Kp9Ny1  # rotated 2023'''
expect = "match"
[[detectors.examples]]
text = '''SERVICE_TOKEN=$SERVICE_TOKEN_FROM_VAULT'''
expect = "clean"
[[detectors.examples]]
text = '''  PREFECT__CLOUD__API_KEY: BASE64_ENCODED_PREFECT__CLOUD__API_KEY'''
expect = "clean"
[[detectors.examples]]
text = '''  DB_PASSWORD: K7QX9_M2PL4_Z8RW1'''
expect = "match"
[[detectors.examples]]
# A `#` inside a word is part of the value in shell, dotenv and YAML; only one after a blank starts a comment.
text = '''SNOWFLAKE_PASSWORD=Lm3#kP9qRt7vWx2z'''
expect = "match"
[[detectors.examples]]
# Prefect's own default secret names, and Kubernetes Secret `data:` values (never quoted).
text = '''  PREFECT__CONTEXT__SECRETS__GCP_CREDENTIALS: bDNJK0ZGMlJXcnN1aFNKSzF3b1lPTUlERE5OaVIyczdseFZLUVFuUHU='''
expect = "match"
[[detectors.examples]]
text = '''SNOWFLAKE_CREDS=l3I+FF2RWrsuhSJK1woYOMIDNNiR2s7lxVKQQnPu'''
expect = "match"
[[detectors.examples]]
text = '''  credentials: default-profile'''
expect = "clean"
[[detectors.examples]]
text = '''  secret_key: settings.SECRET_KEY_V2'''
expect = "clean"
[[detectors.examples]]
text = '''  password: "{{ vault_db_password_2 }}"'''
expect = "clean"

[[detectors]]
id = "manifest-env-secret-value"
description = "Secret-named env var given a high-entropy literal in a manifest's env list (name:, then value:)"
keywords = ["password", "passwd", "secret", "token", "api_key", "apikey", "access_key", "accesskey", "auth_key", "authkey", "credential"]
regex = '''(?:^[ \t]*-?[ \t]*\{?|\{)[ \t]*"?name"?:[ \t]*["']?[A-Za-z0-9_]*?(?i:password|passwd|secret|token|api_?key|access_?key|auth_?key|credentials?)(?:_?(?i:key|value|string|str|b64|base64))?[0-9]{0,3}["']?(?:,?[ \t]*(?:#[^\r\n]*)?\r?\n[ \t]*|,[ \t]*)"?value"?:[ \t]*(["']?)(?![./~$])(?=[^ \t\r\n#"'}]*[0-9])(?=[^ \t\r\n#"'}]*[A-Za-z])([A-Za-z0-9+/=_.!@%^*~-]{12,200})\1(?=[ \t]*(?:[},#]|\r?$))'''
secret_group = 2
entropy = 3.5
lines_after = 1
[detectors.allowlist]
regexes = ['''^arn:''', '''^[A-Za-z][A-Za-z0-9+.-]*://''', '''^(?=(?:[A-Z0-9_]*?(?<![A-Z0-9])[A-Z]{3,}(?![A-Z0-9])){3})[A-Z][A-Z0-9]*(?:__?[A-Z0-9]+){2,}$''']
stopwords = ["password", "passwd", "example", "generated"]
[[detectors.examples]]
text = '''
          env:
            - name: SNOWFLAKE_PASSWORD
              value: Zx8Qw2Lm9Rt4Vb7Nc1KpYh3
'''
expect = "match"
[[detectors.examples]]
text = '''{"containerDefinitions": [{"name": "flow", "environment": [{"name": "DB_PASSWORD", "value": "Ty1LnkmQRfTWjZTsU7"}]}]}'''
expect = "match"
[[detectors.examples]]
text = '''
      "environment": [
        {
          "name": "WAREHOUSE_API_TOKEN",
          "value": "Hq3Lr8Zt2WmXv5Kp9Ny1"
        }
      ]
'''
expect = "match"
[[detectors.examples]]
text = '''
            - name: SNOWFLAKE_PASSWORD
              valueFrom:
                secretKeyRef: {name: warehouse, key: password}
'''
expect = "clean"
[[detectors.examples]]
text = '''
            - name: DB_SECRET_NAME
              value: warehouse-credentials-v2
'''
expect = "clean"
[[detectors.examples]]
text = '''
        { "name": "TOKEN_ENDPOINT",
          "value": "https-auth-example-com-oauth2-v1" }
'''
expect = "clean"
[[detectors.examples]]
text = '''
            - name: SECRET_MANAGER_PROJECT
              value: acme-prod-42
'''
expect = "clean"
[[detectors.examples]]
text = '''
            - name: SNOWFLAKE_PASSWORD   # rotated monthly
              value: Zx8Qw2Lm9Rt4Vb7Nc1KpYh3
'''
expect = "match"
[[detectors.examples]]
text = '''
          env:
            - {name: API_TOKEN, value: Hq3Lr8Zt2WmXv5Kp9Ny1}
'''
expect = "match"
[[detectors.examples]]
text = '''
            - name: API_TOKEN
              valueFrom:
                secretKeyRef: {name: api, key: token}
            - name: DB_PASSWORD
              value: Zx8Qw2Lm9Rt4Vb7Nc1KpYh3
'''
expect = "match"
[[detectors.examples]]
text = '''
            - name: API_TOKEN
              value: $(API_TOKEN_FROM_SECRET)
'''
expect = "clean"

"""#),
(#"rules/PS102-hardcoded-secret-argument.toml"#, #"""
id = "PS102"
name = "hardcoded-secret-argument"
severity = "error"
summary = "A literal is passed as a secret argument or assigned to a secret-named variable or key"
implemented = true
explanation = """
## What it does
Checks Python code for string literals (including implicitly concatenated and f-strings
without placeholders) passed to a keyword argument that takes a secret (`password=`,
`access_token=`, `api_key=`, `token=`, `secret=`, `credentials=`, `client_secret=`,
`connection_string=`, ...), assigned to a variable whose name says it holds a secret
(`DB_PASSWORD = "..."`), or stored under such a key in a dict literal. Empty strings,
`None`, names, attribute accesses, calls such as `os.environ["X"]` or
`PrefectSecret("X")`, and parameters that take a secret *name* (`access_token_secret=`,
`password_secret=`, `git_token_secret_name=`, ...) are not findings. Nor, in test code (a
`test`/`tests` folder, `test_*.py`, `*_test.py`, `conftest.py`), are stand-in values made
only of words such as test, dummy, fake, mock or example with the names of what they stand
for and digits (`"test-password"`, `"dummy"`, `"fake_token_1"`). Nor is a password passed
to a call beside a user name equal to it (`user="postgres", password="postgres"`), a
development default as PS101 takes `postgres://dev:dev@db`.

## Why is this bad?
The credential is committed with the flow code and copied into every clone, CI log and
pickled flow. Flows stored with pickle-based storage (S3, GCS, Azure, Docker) carry the
value inside the pickle, so it also reaches every storage location and every agent. The
secret cannot be rotated without a code change and a re-registration.

## How to fix
Read the value at run time: pass `PrefectSecret("NAME")` as the task argument inside the
flow (or `EnvVarSecret("NAME")` for a plain environment variable), and provide NAME to the
agents that run the flow (or set it in Prefect Cloud). Rotate the credential: it is in the
repository history.
"""
fix_safety = """
No automatic fix is offered yet. The planned fix is unsafe. It replaces the literal with a `PrefectSecret("NAME")` reference and
removes the value from the code, so the flow fails at run time (`Local Secret "NAME" was
not found.` on Server, a `KeyError` on Cloud) until NAME is provided to every agent that
runs it. The value is never written to another committed file.
"""
[example]
bad = '''
# file: flows/etl.py
from prefect import Flow, task

@task
def load(rows, password):
    ...

with Flow("etl") as flow:
    load([1, 2], password="example-password")
'''
good = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

@task
def load(rows, password):
    ...

with Flow("etl") as flow:
    load([1, 2], password=PrefectSecret("WAREHOUSE_PASSWORD"))
'''

"""#),
(#"rules/PS103-committed-local-secret.toml"#, #"""
id = "PS103"
name = "committed-local-secret"
severity = "error"
summary = "A local Prefect secret value is committed in a TOML file of the project"
implemented = true
explanation = """
## What it does
Checks every TOML file in the project for values under a `[context.secrets]` table, its
sub-tables (`[context.secrets.AWS_CREDENTIALS]`), inline tables, or dotted keys such as
`context.secrets.NAME = "..."`. This covers config.toml and backend.toml copies, files
used through `PREFECT__USER_CONFIG_PATH` or `PREFECT__BACKEND_CONFIG_PATH`, and any other
TOML file with that table. A value that is only an environment reference (`"$NAME"`,
`"${NAME}"`) is not a finding; a `${a.b}` config reference is not either. A value beside a
reference is one when the part written out looks like part of a secret, as PS104 judges it
(`"kW7pZ2qR${SUFFIX}"` is; `"postgresql://etl:${DB_PASSWORD}@db:5432/etl"`, whose password
Prefect takes from the environment when it loads the file, is not).

## Why is this bad?
Prefect reads `[context.secrets]` from the user config and from backend.toml (any key in
backend.toml is merged, not only `backend`) at `import prefect`, and these values win over
Cloud secrets. Committed, they are readable by everyone with access to the repository, and
`prefect config` prints them to the terminal. They also only work on machines that read
that file: Docker, Kubernetes, ECS and Vertex flow runs never see it, unless Docker storage
copies it into the flow's image (`files=`, at the path the image's PREFECT__USER_CONFIG_PATH
names) or a Docker agent mounts it there, which bakes the secret into the image or the agent's host.

## How to fix
Remove the value from the file. Keep local-only secrets in `~/.prefect/config.toml` on
the developer's machine (outside the repository), provide them to agents through their
environment, or store them in Prefect Cloud (`Client().set_secret` or the UI). Rotate
every value that was committed.
"""
fix_safety = """
No automatic fix is offered yet. The planned fix is unsafe. It removes the value from the TOML file (keeping an environment
reference where one can stand in), so local runs that relied on the committed value fail
with `Local Secret "NAME" was not found.` until the secret is provided elsewhere. The
value is never written to another committed file.
"""
[example]
bad = '''
# file: prefect/config.toml
# used through PREFECT__USER_CONFIG_PATH
[context.secrets]
WAREHOUSE_PASSWORD = "example-password"
SLACK_WEBHOOK_URL = "https://hooks.example.com/not-a-real-webhook"
'''
good = '''
# file: prefect/config.toml
# used through PREFECT__USER_CONFIG_PATH
# values come from the environment of whoever runs the flow
[context.secrets]
WAREHOUSE_PASSWORD = "$WAREHOUSE_PASSWORD"
SLACK_WEBHOOK_URL = "$SLACK_WEBHOOK_URL"
'''

"""#),
(#"rules/PS104-plaintext-secret-env.toml"#, #"""
id = "PS104"
name = "plaintext-secret-env"
severity = "error"
summary = "A Prefect secret is set as a literal environment value"
implemented = true
explanation = """
## What it does
Checks for `PREFECT__CONTEXT__SECRETS__NAME` variables (and nested `..._NAME__KEY` ones)
whose value is a literal, wherever they are set: `export`/`env` lines and command prefixes in
shell scripts (direnv's `.envrc` too), Makefiles and justfiles, Dockerfile `ENV`, dotenv files,
Kubernetes and docker-compose `env`/`environment` entries, a Kubernetes Secret's
`stringData` and a ConfigMap's `data` (containers take them with `envFrom`), the `literals`
of a kustomize `secretGenerator` or `configMapGenerator` and `kubectl create secret|configmap
--from-literal`, CI workflows' env (also a
Jenkinsfile's `environment` and `withEnv`), an Ansible play's or task's `environment`, a
Taskfile's `env`, the `env` of a pyproject.toml task (poethepoet, PDM, Hatch's `env-vars`,
Rye), agent `--env`/`-e` flags, the JSON of `PREFECT__CLOUD__AGENT__ENV_VARS`,
run config `env={...}` in Python, and the templates of those files (`*.j2`, `*.tmpl`, …).
References are not findings: `$VAR`, `${VAR}`, `${{ secrets.X }}` in CI workflows, template
tags (`{{ vault_password }}`), a Jenkinsfile's `credentials('id')` and interpolating
`"${…}"`, and Kubernetes `valueFrom.secretKeyRef` or ECS `secrets` entries. Empty values are not findings either, nor is
a whole `{name}` placeholder; outside Python, where no `str.format` fills it, a `{…}` within
a value is part of the value (`s3cr{et}Pass` is reported). A
dict or list value (`{"user": "svc", "password": "…"}`) is a finding when a string in it is
written out; a value beside a reference is one when the part written out looks like part
of a secret: six or more letters and digits, with a digit, in one piece
(`Zq81vLm4$HOME`; not `postgresql://etl:${PW}@db01:5432/etl`). In test code (a
`test`/`tests` folder, `test_*.py`, `*_test.py`, `conftest.py`), stand-in values made only
of words such as test, dummy, fake, mock or example, the names of what they stand for and
digits (`dummy-token`) are not findings, as for PS102.

A variable that a flow of the project reads with `EnvVarSecret("NAME")` is a secret whatever
its name: a value for it written out in any of those places (`WAREHOUSE_DSN=…` in a dotenv
file, a compose service's `environment`) is reported too, naming the flow that reads it,
when a piece of the value looks like part of a secret as above (EnvVarSecret also reads
plain settings such as `ENVIRONMENT=production`).

## Why is this bad?
The value is committed in plaintext. Agent `--env` values are also visible in the process
list, in `docker inspect`, in Kubernetes Job specs and in ECS task overrides; run config
`env` is stored in the backend in plaintext. And the literal is not passed through as is:
Prefect's env loading literal-evals values twice, so `007` stays a string but `123`
becomes an int (see PS403).

## How to fix
Set the variable from a reference that is resolved where the agent runs: a shell variable
filled from a secret store, a CI secret, or a Kubernetes Secret through `secretKeyRef`.
Rotate every value that was committed.
"""
fix_safety = """
No automatic fix is offered yet. The planned fix is unsafe. It replaces the literal with a reference to a variable of the same
name (`"$NAME"`, or a `secretKeyRef` in a manifest), so the secret is missing at run time
until that variable or Kubernetes Secret exists wherever the file is used. The value is
never written to another committed file.
"""
[example]
bad = '''
# file: agents/start-agent.sh
prefect agent docker start --label etl \
  --env PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD=example-password
'''
good = '''
# file: agents/start-agent.sh
# WAREHOUSE_PASSWORD is set by the service manager from a secret store
prefect agent docker start --label etl \
  --env PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
'''

"""#),
(#"rules/PS105-plaintext-prefect-credential.toml"#, #"""
id = "PS105"
name = "plaintext-prefect-credential"
severity = "error"
summary = "A Prefect API key, auth token or Server password is written as a literal"
implemented = true
explanation = """
## What it does
Checks for literal values of Prefect's own credentials: `cloud.api_key`,
`cloud.auth_token`, `cloud.agent.auth_token`, `server.database.password`, a
`server.database.connection_url` with a password and `server.hasura.admin_secret` in TOML
files; the matching `PREFECT__...` variables (and `PREFECT_SERVER__HASURA__ADMIN_SECRET`)
in scripts, Dockerfiles, dotenv files and manifests; `--key`/`-k` on `prefect agent ...
start|install` and `prefect auth login`; the output of `prefect agent kubernetes install`
and the supervisord.conf of `prefect agent local install`; a committed auth.toml; and
`Client(api_key=...)` in code. References (`$VAR`, `${{ secrets.X }}`, `secretKeyRef`)
are not findings, and a tenant id alone is an identifier, not a credential. Nor are
Prefect Server's shipped defaults (`test-password`, `hasura-secret-admin-secret`) written
out: they show nothing Prefect's own source does not. A `prefect auth login --key` in a
Dockerfile `RUN` is a finding whatever gives the key (`${PREFECT_API_KEY}` from a build
argument too): the login writes the key to `~/.prefect/auth.toml` in the image's layer, and
a build argument a `RUN` uses stays in the image's history.

## Why is this bad?
A Prefect Cloud API key gives full access to the tenant, including every Cloud secret.
`prefect agent kubernetes install` writes the key in plaintext twice
(`PREFECT__CLOUD__API_KEY` and `PREFECT__CLOUD__AGENT__AUTH_TOKEN`), `local install`
writes it unquoted into supervisord.conf, and `--key` is visible in the process list.
Prefect Server has no API authentication, so its database password is the only thing
protecting the flow metadata.

## How to fix
Pass the key from the environment (`PREFECT__CLOUD__API_KEY` set by the service manager,
or `--key "$PREFECT_API_KEY"`), and in generated manifests read it with `secretKeyRef`.
Rotate the key: it is in the repository history.
"""
fix_safety = """
No automatic fix is offered yet. The planned fix is unsafe. It replaces the literal with a reference (`"$PREFECT_API_KEY"`, or a
`secretKeyRef` in a manifest), so the agent cannot authenticate until that variable or
Kubernetes Secret exists where it runs. The value is never written to another committed
file.
"""
[example]
bad = '''
# file: agents/start-agent.sh
prefect agent local start --label etl --key Zk8vQ2mT9xLp4RwN7cHs
'''
good = '''
# file: agents/start-agent.sh
# PREFECT_API_KEY is set by the service manager from a secret store
prefect agent local start --label etl --key "$PREFECT_API_KEY"
'''

"""#),
(#"rules/PS106-secret-in-flow-metadata.toml"#, #"""
id = "PS106"
name = "secret-in-flow-metadata"
severity = "warning"
summary = "A credential is placed where Prefect uploads it or bakes it in plaintext"
implemented = true
explanation = """
## What it does
Checks for literal credentials (a value under a secret-named key such as `PASSWORD`,
`TOKEN`, `API_KEY`, `aws_secret_access_key`, or a value in a known credential format) in
places that Prefect serializes or bakes: run config `env` (`LocalRun`, `DockerRun`,
`KubernetesRun`, `ECSRun`, `VertexRun`, `UniversalRun`), `Parameter(..., default=...)`,
S3 and CodeCommit storage `client_options`, Webhook storage `build_request_kwargs` and
`get_flow_request_kwargs` values that are not `${NAME}` templates, Docker storage
`env_vars`, and local files given as `job_template_path` or `task_definition_path`.
A literal `PREFECT__CONTEXT__SECRETS__*` entry is reported by PS104 instead.

It also reports a run config `env` entry, a `Parameter` default or a Docker storage
`env_vars` entry that takes a credential from the environment of the machine that
registers the flow: `os.environ["API_KEY"]`, `os.environ.get(...)`, `os.getenv(...)`, or
a module constant or f-string that holds one, under a secret-named key or reading a
secret-named variable, and a run config `env` that copies the whole environment
(`dict(os.environ)`, `{**os.environ, ...}`, `os.environ.copy()`, `dotenv_values(...)`). The
code runs when `prefect register` imports the module, so the values are registered as if
they had been written there. The same holds for S3 and CodeCommit `client_options` taken
from the environment, and for a storage's secret-name argument given the credential itself
(`GitHub(access_token_secret=os.environ["GITHUB_ACCESS_TOKEN"])`), after which every run
also fails to find a secret named after the token. A secret's value read where the flow is
built (`Secret("AWS_KEY").get()`, also through a module variable) in any of these places is
reported the same way: registration stores the value it read.

Last, it reports a secret task given as a parameter of a flow run the flow creates
(`create_flow_run(parameters={"password": PrefectSecret("DB")})`, or a `StartFlowRun` task
called with `parameters=`), and a secret's value read with `Secret("DB").get()` given as
one (also to the API client's `Client().create_flow_run(parameters=…)` in a script): the
run or the script sends the secret's value to the backend, which stores it as a plaintext
parameter of the run and shows it in the UI. So does a flow `Parameter` named for a
credential without a default (`Parameter("password")`, also `default=None`): whoever
starts a run gives it the value, which the backend keeps as that run's parameter; one
that takes a secret's name (`password_secret`) is not reported.

## Why is this bad?
Run config `env` and labels, parameter defaults and storage settings are stored in the
backend as plaintext flow metadata; on Prefect Server, which has no authentication,
anyone who can reach the API can read them. A local job template or task definition is
read when the run config is created and uploaded with the flow. Docker storage
`env_vars` become `ENV` lines in the image, readable by everyone who can pull it.

## How to fix
Pass a secret name, not a value: `PrefectSecret("NAME")` in the flow, `${NAME}` templates
in Webhook kwargs (filled from the environment, then from `Secret(NAME).get()`),
`valueFrom.secretKeyRef` in Kubernetes job templates and `secrets` in ECS task
definitions. Rotate every value that was registered.
"""
fix_safety = """
No automatic fix is offered yet. The planned fix is unsafe. It moves the value out of the flow metadata (a Webhook `${NAME}`
template, or an env entry removed in favour of a `PrefectSecret("NAME")` reference), so
the flow needs NAME to be provided to its agents, and it must be re-registered for the
stored metadata to change.
"""
[example]
bad = '''
# file: flows/etl.py
from prefect import Flow
from prefect.run_configs import KubernetesRun

flow = Flow(
    "etl",
    run_config=KubernetesRun(
        image="example/etl:1.0",
        env={"WAREHOUSE_PASSWORD": "example-password"},
    ),
)
'''
good = '''
# file: flows/etl.py
from prefect import Flow
from prefect.run_configs import KubernetesRun

# the flow reads PrefectSecret("WAREHOUSE_PASSWORD"); the agent provides it
flow = Flow(
    "etl",
    run_config=KubernetesRun(image="example/etl:1.0"),
)
'''

"""#),
(#"rules/PS201-secret-missing-for-agent.toml"#, #"""
id = "PS201"
name = "secret-missing-for-agent"
severity = "error"
summary = "An agent that runs a flow does not provide a secret the flow needs"
implemented = true
explanation = """
## What it does
For each flow and each secret it needs (`PrefectSecret("X")`, `Secret("X").get()`,
`storage.secrets`, a `*_secret` parameter naming X, always-fetched names such as
`KUBERNETES_API_KEY`), finds the agents in the project that can run the flow: an agent
picks a run only if its labels include all of the run's labels, and an unlabelled run
only if it has no labels itself. Run labels are the run config labels plus storage
labels (`Local` storage, also the default of `prefect register`, adds the hostname); a
local agent always carries its hostname label unless started with `--no-hostname-label`.
It reports X for an agent when nothing that reaches its flow runs provides X (`--env`,
or `PREFECT__CLOUD__AGENT__ENV_VARS` when no `--env` is given; run config `env`; job
template or ECS task definition entries; the `env_vars` of the flow's `Docker` storage,
which are `ENV` lines of the image its runs start from; the `ENV` lines of a project
Dockerfile that a docker-compose service builds and tags with the run config's `image`;
a local agent's own env, with what the compose service, systemd unit, supervisord program
or Procfile line that runs its script (or the container that runs the image it is the
command of) gives it, what the wrapper scripts in between and an
image's `ENTRYPOINT` script (`exec "$@"`) export, and its config files; the project
config file a Docker agent's `--volume` mounts as its runs' `~/.prefect/config.toml`) and the backend gives no fallback: it is `server`, or it is `cloud` and a
Cloud inventory (`--cloud-secrets`) lacks X. On Cloud without an inventory nothing is
reported. Nor is a `Secret(X).get()` in the block of `if Secret(X).exists():`, which runs
only when X is there. A name computed at run time from a text around it
(`PrefectSecret(f"DB_PASSWORD_{stage}")`, also joined with `+` or filled in by
`str.format` or `%`) is reported when the run has no secret of that
form at all (`DB_PASSWORD_{…}`), whatever fills it in. A name given as a string
constant of a project module (`PrefectSecret(DB_SECRET)` after `from settings import
DB_SECRET`) is read in that module, and one given to a helper's parameter (`def
get_secret(name): return Secret(name).get()`, in the flow's module or imported) at each
call of the helper that names it (`get_secret("DB_DSN")`). Where something outside the project may set the run's env (an env file not in
the project, a secrets manager that starts the agent such as `doppler run --`, `op run --`,
`chamber exec … --`, `aws-vault exec`, `envconsul` or `summon`, a template the tool cannot read, a job template's `envFrom` of a Secret
the project does not define exactly once, a task definition's `environmentFiles`, a run
image named by code or built outside the project when a project Dockerfile no agent runs
from sets X), the message names it and the
finding is a warning; so is one for an `EnvVarSecret` without `raise_if_missing=True`, which
returns None where its variable is unset and lets the run go on. A Secret or ConfigMap another manifest defines, a kustomize
`secretGenerator` or `configMapGenerator` makes (from its `envs` files and `literals`), or
`kubectl create secret generic|configmap` makes in a script or CI step, is
read: a container whose `envFrom` names it gets its keys (with the entry's `prefix`); a job
template names a generated one only when the generator leaves the hash suffix off its name
(`disableNameSuffixHash`), as the agent reads the template without kustomize. Default
names read from context only are left to PS206. It also reports X when the flow run fails
under that agent whatever it provides: Prefect's config cannot be loaded, or the agent
refuses the run (each agent type takes only its own run config, such as `KubernetesRun`,
and `UniversalRun`, and a local agent no `Docker` storage; otherwise it raises `TypeError`
once it has picked the run), or a component is given a secret task where it takes a
secret's name (`GitHub(access_token_secret=PrefectSecret("X"))`: Prefect looks up a secret
named `<Task: X>`) or its value (`access_token_secret=Secret("X").get()`: Prefect looks up
a secret named after the value, and a storage keeps the value in the flow's metadata), or
a task is given a secret's name where it takes the value (a Databricks task's
`databricks_conn_secret="X"`: Prefect raises `ValueError`, as it wants the connection dict,
`PrefectSecret("X")`), or the run gets a `$` reference unexpanded as the value (`EnvVarSecret("X")`
with `env={"X": "$X"}` in the run config: nothing expands a run config's env, and
`EnvVarSecret` returns the variable as set; Kubernetes expands a `$(NAME)` there only from a
variable set before it in the flow container's env; an agent's
`--env PREFECT__CONTEXT__SECRETS__X=$DB_PW` that no shell expands, being single-quoted or an
exec-form argument of a Kubernetes container, an ECS task or a Dockerfile `CMD [...]`,
reaches the run as written, and Prefect's loading expands `$DB_PW` only from the run's own
env). PS203 also reports a flow that every agent picking it up refuses.

## Why is this bad?
On Server, `Secret.get` never asks the API: the run fails with `ValueError('Local Secret
"X" was not found.')`. On Cloud (agents force `use_local_secrets=false`) it fails with
`KeyError("The secret X was not found. ...")`; a name in `storage.secrets` fails before
the flow even loads. Either way it only shows up at run time.

## How to fix
Provide X to that agent (`--env PREFECT__CONTEXT__SECRETS__X="$X"` where a shell expands
it, `$(X)` in a Kubernetes container's args, a job template `secretKeyRef`), set it in
Prefect Cloud (`Client().set_secret` or the UI), or change the labels so that an agent which
provides X runs the flow.
"""
[example]
bad = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.run_configs import DockerRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret

@task
def load(password):
    ...

with Flow("etl", run_config=DockerRun(labels=["prod"]), storage=Module("flows.etl")) as flow:
    load(PrefectSecret("WAREHOUSE_PASSWORD"))

# file: agents/prod.sh
export PREFECT__BACKEND=server
prefect agent docker start --label prod
'''
good = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.run_configs import DockerRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret

@task
def load(password):
    ...

with Flow("etl", run_config=DockerRun(labels=["prod"]), storage=Module("flows.etl")) as flow:
    load(PrefectSecret("WAREHOUSE_PASSWORD"))

# file: agents/prod.sh
export PREFECT__BACKEND=server
prefect agent docker start --label prod \
  --env PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
'''

"""#),
(#"rules/PS202-secret-only-local.toml"#, #"""
id = "PS202"
name = "secret-only-local"
severity = "warning"
summary = "A secret is provided only where the flow's agents never see it"
implemented = true
explanation = """
## What it does
Reports a provision of secret X (a `[context.secrets]` entry in a project TOML file, or a
`PREFECT__CONTEXT__SECRETS__X` set in a shell script, Makefile or dotenv file used to run
flows by hand) when a flow that needs X is run by agents and none of those agents receives
X. A Docker, Kubernetes, ECS or Vertex agent's flow runs receive only its `--env` values
(or `PREFECT__CLOUD__AGENT__ENV_VARS`), the run config `env`, its job template or task
definition and the variables the agent forces. A local agent passes its own process
environment and config files on, so a provision made in the script that starts a local
agent is not a finding, unless the script starts it through `env -i` or `sudo` without
`-E`, which give it an empty environment, or over `ssh`, which runs it on another host in
that host's login environment. A project that uploads secrets whose names the tool cannot
read (`client.set_secret(name=n, value=v)` in a loop over a config's secrets) may have put
X in Cloud: agents with a Cloud backend are not reported then.

## Why is this bad?
`flow.run()` on a developer's machine reads `prefect.context.secrets`, which holds that
machine's config.toml and `PREFECT__CONTEXT__SECRETS__*` variables, so the flow works
locally. The same flow run by a Docker or Kubernetes agent starts in a fresh container
that never saw them, and fails with `Local Secret "X" was not found.` (Server) or a
`KeyError` (Cloud, unless X is set there). Moving from a local agent to a container agent
loses all of them at once.

## How to fix
Provide X where the agents run: an agent `--env` flag or `PREFECT__CLOUD__AGENT__ENV_VARS`,
a job template `secretKeyRef`, or a Prefect Cloud secret (`Client().set_secret` or the UI).
"""
[example]
bad = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.run_configs import KubernetesRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret

@task
def load(password):
    ...

with Flow("etl", run_config=KubernetesRun(labels=["k8s"]), storage=Module("flows.etl")) as flow:
    load(PrefectSecret("WAREHOUSE_PASSWORD"))

# file: scripts/run-local.sh
export PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
python -c "from flows.etl import flow; flow.run()"

# file: agents/k8s.sh
prefect agent kubernetes start --label k8s
'''
good = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.run_configs import KubernetesRun
from prefect.storage import Module
from prefect.tasks.secrets import PrefectSecret

@task
def load(password):
    ...

with Flow("etl", run_config=KubernetesRun(labels=["k8s"]), storage=Module("flows.etl")) as flow:
    load(PrefectSecret("WAREHOUSE_PASSWORD"))

# file: scripts/run-local.sh
export PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
python -c "from flows.etl import flow; flow.run()"

# file: agents/k8s.sh
prefect agent kubernetes start --label k8s \
  --env PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
'''

"""#),
(#"rules/PS203-flow-without-agent.toml"#, #"""
id = "PS203"
name = "flow-without-agent"
severity = "warning"
summary = "No agent defined in the project can run the flow: none picks up its runs, or every one that does fails them"
implemented = true
explanation = """
## What it does
When the project defines at least one agent, checks every flow against every agent's
labels. A run is picked only by an agent whose labels include all of the run's labels,
and a run without labels only by an agent without labels; comparison is exact and
case-sensitive. A flow's labels are its run config labels plus its storage labels:
`Local` storage (also what `prefect register` uses when no storage is set) adds the
registering machine's hostname. Agent labels come from `--label` flags, else from
`PREFECT__CLOUD__AGENT__LABELS`; a local agent also carries its hostname unless started
with `--no-hostname-label`. A hostname label is matched only by a local agent that keeps
its own. Labels set outside the project (`prefect run --label`, the UI) are not seen.
A `--label "$ENV"` takes the value the script sets before the command, or the one the
container's environment gives when an image's shell starts the agent (its `ENV`, or a
compose service's `environment`, which wins); in a compose file's `command`, the value of
the `.env` file beside it; else the default of `${ENV:-default}`.
Labels the tool cannot read (`--label "$ENV"` set nowhere, `PREFECT__CLOUD__AGENT__LABELS=$LABELS`,
`labels=[ENV]`) may be anything: a flow that such an agent may run, or whose own labels may
match an agent, is not reported (`inventory` lists the agents that may run it). A `$` that
no shell expands (`args: [prefect, agent, kubernetes, start, --label, $ENV]`, a single-quoted
`'$ENV'`) is part of the label as written: that agent's label is `$ENV`.

A run config or storage given only under `if __name__ == "__main__":` applies when the
file is run (`python flows/etl.py`, with the block's own `flow.register(…)`), not when
`prefect register` registers it: Prefect loads the file without running that block
(`runpy.run_path(…, run_name="<flow>")`). A flow that the project registers only with
`prefect register` then has no run config (no labels) and, without other storage, Local
storage with its hostname label; PS203 says so. When the block registers the flow too, its
runs have the labels of either registration, which are not judged. Likewise a module-level
`flow.register()` called before `flow.run_config = …` or `flow.storage = …` registers the
flow without them (default Local storage and `UniversalRun`), unless a `prefect register`
of the project registers it too (it runs the module with `flow.register` doing nothing).
A flow registered with `Client().register(flow)` gets its run config's labels alone: unlike
`flow.register()` and `prefect register`, the client adds no storage labels, so Local
storage adds no hostname label there.

A flow its own module runs whenever it is loaded (`flow.run()` in an unindented statement
at module level, not under `if __name__ == "__main__":`) and that nothing registers (no
`flow.register(…)`, no `prefect register` of the project that names its file, none whose
paths the tool cannot read, and no module that imports it to set its storage or run config,
whose registration registers it) runs in that process: no agent gets its runs, and it is not
reported (nor is PS206 for it; `inventory` says why it has no agent).

Matching ignores the run config type and the storage, so an agent can pick up runs it then
fails: every agent type raises `TypeError` on a run config other than its own and
`UniversalRun` (a `DockerRun` picked by a Kubernetes agent), a local agent on `Docker`
storage, and an ECS agent raises `ValueError` on `ECSRun(task_definition_arn=…)` with
`Docker` storage. A Kubernetes run also fails when its job template's env takes a key
(`valueFrom.secretKeyRef` or `configMapKeyRef`, not `optional`) that the project's one
Secret or ConfigMap of that name (a manifest, a kustomize generator, `kubectl create`) lacks: Kubernetes does not
start the pod (an agent's container that takes such a key never starts). When every agent that picks up a flow's runs fails them, the flow is
reported too, as an error (its runs are picked up and always fail), with each agent's
reason; PS201 then does not report the secrets such a flow needs. A flow given storages or run configs of several types (also one set under an
`if`, or through a module variable reassigned with another class) is not judged on them.

An agent whose command Prefect 1.4.1 refuses never starts and runs nothing: an unknown
agent type, `prefect agent start` without a type (Prefect 0.x), an option 1.x does not
have (such as 0.x's `--token`), an option missing its value, a flag given one, a value of
the wrong type (`--max-polls x`), an extra literal argument, `--help`, or an `--env` value
without `=` (the agent raises `ValueError` at start, see PS208). Nor does an agent in a
container that `docker run --env-file` starts with a file Docker refuses (a line
`export NAME=…` or `NAME = value`: a name with a blank), nor one a Compose service means
to start with `entrypoint: ["sh", "-c"]` and a string `command:`, which Compose splits
into words so that the shell runs the first word alone. A flow that only such an
agent would pick up is reported with the reason. What follows a word the tool cannot read
(`$ARGS`) is not judged.

## Why is this bad?
Matching happens on the backend (`get_runs_in_queue`): a run that no agent matches is
simply never picked up, and no error says why it never started; a run an agent cannot
deploy is marked Failed before the flow starts, with the agent's error as its state message. A
common case is an unlabelled flow with a default `prefect agent local start`, which
always has its hostname label and so never picks unlabelled runs.

## How to fix
Give the flow's run config exactly the labels of the agent meant to run it, or add the
missing labels to that agent. Then make sure the agent's type fits the run config (a
`KubernetesRun` needs a Kubernetes agent, `UniversalRun` suits any) and that a local agent
gets no flow with `Docker` storage.
"""
[example]
bad = '''
# file: flows/etl.py
from prefect import Flow
from prefect.run_configs import DockerRun
from prefect.storage import Module

flow = Flow("etl", run_config=DockerRun(labels=["etl"]), storage=Module("flows.etl"))

# file: agents/docker.sh
prefect agent docker start --label etl-prod
'''
good = '''
# file: flows/etl.py
from prefect import Flow
from prefect.run_configs import DockerRun
from prefect.storage import Module

flow = Flow("etl", run_config=DockerRun(labels=["etl"]), storage=Module("flows.etl"))

# file: agents/docker.sh
prefect agent docker start --label etl --label etl-prod
'''

"""#),
(#"rules/PS204-secret-name-mismatch.toml"#, #"""
id = "PS204"
name = "secret-name-mismatch"
severity = "warning"
summary = "A secret reference and a provision differ only by case or a small typo"
implemented = true
explanation = """
## What it does
Compares each secret name that a flow needs with the names provided to the agents that
run it (agent env, run config env, job templates, project TOML files, `set_secret` calls
and the Cloud inventory). When a reference has no exact match but a provision differs from
it only by letter case, by `-` against `_`, or by one or two edited characters (inserted,
deleted, replaced or swapped, with a character left in common: two edits turn any
two-letter name into any other), the reference is reported together with the near name. A
reference that has an exact match is not a finding, even if a similar name also exists.

## Why is this bad?
Secret names are exact, case-sensitive keys. `Secret.get` looks the name up in
`prefect.context.secrets`, and everything after `PREFECT__CONTEXT__SECRETS__` keeps its
case, so `Warehouse_Password` and `WAREHOUSE_PASSWORD` are two different secrets. The
run fails with `Local Secret "X" was not found.` (Server) or a `KeyError` (Cloud), while
the value sits under the other name.

## How to fix
Use one spelling everywhere: rename the provision or the reference so that they match
exactly, and remove the misspelled provision.
"""
[example]
bad = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

@task
def load(password):
    ...

with Flow("etl") as flow:
    load(PrefectSecret("WAREHOUSE_PASSWORD"))

# file: agents/local.sh
export PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASWORD="$WAREHOUSE_PASSWORD"
prefect agent local start --no-hostname-label
'''
good = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

@task
def load(password):
    ...

with Flow("etl") as flow:
    load(PrefectSecret("WAREHOUSE_PASSWORD"))

# file: agents/local.sh
export PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
prefect agent local start --no-hostname-label
'''

"""#),
(#"rules/PS205-unused-secret.toml"#, #"""
id = "PS205"
name = "unused-secret"
severity = "info"
summary = "A provided secret is not referenced by any flow or component in the project"
implemented = true
explanation = """
## What it does
Reports a secret provision in the project (a `[context.secrets]` entry, a
`PREFECT__CONTEXT__SECRETS__X` variable in a script, manifest, Dockerfile, dotenv file,
agent `--env` or run config `env`, or a `set_secret` call) whose name nothing references:
no `PrefectSecret`, `Secret(...)`, `storage.secrets` entry or `*_secret` parameter names
it, and it is not a default name (such as `AWS_CREDENTIALS` or `GITHUB_ACCESS_TOKEN`) read
by a component the project uses. Names in the Cloud inventory are not reported, since they
may serve other projects. When the project builds secret names at run time (a
`PrefectSecret()` named only in `run(name=...)`, or a name held in a variable), the rule
reports nothing; a name built from a text around it (`f"DB_PASSWORD_{stage}"`, `"DB_PASSWORD_" + stage`) uses
every secret it can be (`DB_PASSWORD_PROD`), and the rule reports a provided secret it
cannot be (`DB_PASSWORD`), naming the form the flow reads.

## Why is this bad?
Every provided secret is a live credential in the flow-run environment: agent `--env`
values are visible in process lists and Job specs, and a local agent hands its whole
environment to every flow it runs. An unused one only widens exposure. Often it is the
misspelled twin of a name that is used (see PS204), or left over after a rename.

## How to fix
Delete the provision, and revoke the credential if nothing else uses it. If a flow in
another repository needs it, suppress the finding with a comment that says so.
"""
[example]
bad = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

@task
def load(password):
    ...

with Flow("etl") as flow:
    load(PrefectSecret("WAREHOUSE_PASSWORD"))

# file: agents/local.sh
export PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
export PREFECT__CONTEXT__SECRETS__OLD_FTP_PASSWORD="$OLD_FTP_PASSWORD"
prefect agent local start --no-hostname-label
'''
good = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

@task
def load(password):
    ...

with Flow("etl") as flow:
    load(PrefectSecret("WAREHOUSE_PASSWORD"))

# file: agents/local.sh
export PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
prefect agent local start --no-hostname-label
'''

"""#),
(#"rules/PS206-default-secret-missing.toml"#, #"""
id = "PS206"
name = "default-secret-missing"
severity = "warning"
summary = "A component reads a default secret name that nothing provides where it is read"
implemented = true
explanation = """
## What it does
Finds components that read a secret under a default name without the flow naming it:
`GitHub`, `GitLab` and `Bitbucket` storage without `access_token_secret`
(`GITHUB_ACCESS_TOKEN`, `GITLAB_ACCESS_TOKEN`, `BITBUCKET_ACCESS_TOKEN`), `Azure` storage
(`AZURE_STORAGE_CONNECTION_STRING`), S3 and CodeCommit storage, `S3Result` and AWS tasks
(`AWS_CREDENTIALS`), GCS storage, `GCSResult` and GCP tasks (`GCP_CREDENTIALS`). These are
read from `prefect.context.secrets` (the storage tokens and the Azure connection string then from a plain env var of the
same name), never from Cloud. The finding is reported when no agent that runs the flow
provides the name in context or env, and the name is not listed in `storage.secrets`. A
Cloud secret of that name does not count. For `AWS_CREDENTIALS` and `GCP_CREDENTIALS` the
client libraries fall back to their own credentials, and without `GITHUB_ACCESS_TOKEN` or
`GITLAB_ACCESS_TOKEN` the storage fetches the flow anonymously, which a public repository
allows: these four are reported only when the project shows the value was meant to come
from Prefect (a `set_secret` call, the Cloud inventory, a provision for another agent, or a
flow that reads the name itself with `PrefectSecret`, `Secret(…).get()`, a task's `*_secret`
argument or another storage's `access_token_secret`). Where the run's image is named by code or built
outside the project and a project Dockerfile no agent runs from sets the name, the message
says the image may provide it. Where `storage.secrets` lists one other name of the same
service (`secrets=["TEAM_GITHUB_TOKEN"]`), the message says that the list loads that secret
under its own name, which the storage does not read, and which keyword would name it.

## Why is this bad?
Default names are looked up in context only, not with `Secret.get`, so a Cloud secret
named `GITHUB_ACCESS_TOKEN` is silently ignored and the storage works without a token:
the flow fails to load from a private repository, or the AWS client runs with whatever
identity the container happens to have.

## How to fix
With a Cloud backend, list the name in `storage.secrets` (`secrets=["GITHUB_ACCESS_TOKEN"]`),
which loads it with `Secret.get` into context before the flow loads, or name it explicitly
(`access_token_secret="GITHUB_ACCESS_TOKEN"`). With either backend, provide it in the
agent's env (`--env PREFECT__CONTEXT__SECRETS__GITHUB_ACCESS_TOKEN=…`); on a Server
backend that is the only way, as `Secret.get` finds nothing outside the context there.
"""
[example]
bad = '''
# file: flows/etl.py
from prefect import Flow
from prefect.storage import GitHub

flow = Flow("etl", storage=GitHub(repo="example-org/flows", path="flows/etl.py"))

# file: scripts/setup_cloud.py
import os
from prefect import Client

Client().set_secret("GITHUB_ACCESS_TOKEN", os.environ["GITHUB_ACCESS_TOKEN"])
'''
good = '''
# file: flows/etl.py
from prefect import Flow
from prefect.storage import GitHub

flow = Flow(
    "etl",
    storage=GitHub(
        repo="example-org/flows",
        path="flows/etl.py",
        access_token_secret="GITHUB_ACCESS_TOKEN",
    ),
)

# file: scripts/setup_cloud.py
import os
from prefect import Client

Client().set_secret("GITHUB_ACCESS_TOKEN", os.environ["GITHUB_ACCESS_TOKEN"])
'''

"""#),
(#"rules/PS207-agent-env-not-forwarded.toml"#, #"""
id = "PS207"
name = "agent-env-not-forwarded"
severity = "error"
summary = "A secret is set on the agent's own environment, which flow runs never receive"
implemented = true
explanation = """
## What it does
Checks the environment of the agent itself for secrets meant for flows: a
`PREFECT__CONTEXT__SECRETS__*` variable (or another credential-named variable) in the
container `env` of a Deployment or task definition that runs `prefect agent kubernetes`,
`ecs` or `vertex start`, in Server Helm chart values under `agent.env`, exported in the
script or unit that starts a Docker, Kubernetes, ECS or Vertex agent, or set in
`os.environ` by a Python module before it starts one (`DockerAgent(...).start()`; pass
`env_vars=` instead; or its command line, `os.system("prefect agent docker start …")`). Not findings: the
agent's own settings (`PREFECT__CLOUD__*`, `PREFECT__BACKEND`, `NAMESPACE`, ...),
`PREFECT__CLOUD__AGENT__ENV_VARS`, which is forwarded, variables that
`PREFECT__CLOUD__AGENT__ENV_VARS` refers to as `$NAME`, `AWS_CREDENTIALS` on an ECS agent
(its boto client reads it), and anything on a local agent, whose runs inherit its whole
environment.

## Why is this bad?
Only the local agent copies its process environment into flow runs. Docker, Kubernetes,
ECS and Vertex agents build the run's environment from their `--env` values (or
`PREFECT__CLOUD__AGENT__ENV_VARS`), the run config `env`, the job template or task
definition, and the variables they force. A secret on the agent container is therefore
never seen by the flow, which fails with `Local Secret "X" was not found.`; the Server
Helm chart puts `agent.env` on the agent container only.

## How to fix
Forward it: name it in `PREFECT__CLOUD__AGENT__ENV_VARS` (a JSON object whose `$NAME`
values are expanded with the agent's environment), pass `--env`, or better, put a
`valueFrom.secretKeyRef` entry in the job template so the value never appears in the Job
spec.
"""
[example]
bad = '''
# file: deploy/agent.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: prefect-agent
spec:
  template:
    spec:
      containers:
        - name: agent
          image: prefecthq/prefect:1.4.1-python3.8
          command: ["/bin/bash", "-c"]
          args: ["prefect agent kubernetes start --label k8s"]
          env:
            - name: PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD
              valueFrom:
                secretKeyRef: {name: warehouse, key: password}
'''
good = '''
# file: deploy/agent.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: prefect-agent
spec:
  template:
    spec:
      containers:
        - name: agent
          image: prefecthq/prefect:1.4.1-python3.8
          command: ["/bin/bash", "-c"]
          args: ["prefect agent kubernetes start --label k8s"]
          env:
            - name: WAREHOUSE_PASSWORD
              valueFrom:
                secretKeyRef: {name: warehouse, key: password}
            - name: PREFECT__CLOUD__AGENT__ENV_VARS
              value: '{"PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD": "$WAREHOUSE_PASSWORD"}'
'''

"""#),
(#"rules/PS208-malformed-agent-env.toml"#, #"""
id = "PS208"
name = "malformed-agent-env"
severity = "error"
summary = "An agent env setting cannot be parsed by Prefect"
implemented = true
explanation = """
## What it does
Checks `--env`/`-e` values of `prefect agent <type> start` and of `prefect agent local
install` / `kubernetes install`: a value without `=` is reported, and so is one with an
empty name (`-e =VALUE`). A value that is a shell reference as a whole (`-e "$PAIR"`) is
not checked. Also checks `PREFECT__CLOUD__AGENT__ENV_VARS` values: one is reported
unless Prefect reads it as a dict whose values are all strings (a JSON object, or a Python
dict literal), for example when it contains `true`, `false` or `null` or a number, or is
not an object at all; beside `$NAME` references, only a value that is JSON as written. In TOML,
`[cloud.agent] env_vars` must likewise be a table (or such a JSON string) of strings.
An `ENV_VARS` value that every agent reading it replaces with `--env` flags is not
checked: those agents never use it.

## Why is this bad?
The agent splits each `--env` value on the first `=` into a dict; with no `=` the agent
(or the install command) crashes before contacting the API with
`ValueError: dictionary update sequence element #0 has length 1; 2 is required`. Unlike
`docker run -e NAME`, `--env NAME` does not pass a variable through from the shell.
`PREFECT__CLOUD__AGENT__ENV_VARS` goes through Prefect's config loading: JSON with
`true`/`false`/`null` is not a Python literal, so it stays a string and job creation fails;
a non-string value such as `1` stays an int, which the local agent's `Popen` rejects.

## How to fix
Write every `--env` as `NAME=VALUE` (`--env NAME="$NAME"` to pass a shell variable), and
make `PREFECT__CLOUD__AGENT__ENV_VARS` a JSON object with string values only (`"true"`,
`"1"`).
"""
[example]
bad = '''
# file: agents/start-agent.sh
# WAREHOUSE_PASSWORD is set by the service manager
prefect agent docker start --label etl \
  --env PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD
'''
good = '''
# file: agents/start-agent.sh
# WAREHOUSE_PASSWORD is set by the service manager
prefect agent docker start --label etl \
  --env PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
'''

"""#),
(#"rules/PS209-malformed-agent-labels.toml"#, #"""
id = "PS209"
name = "malformed-agent-labels"
severity = "warning"
summary = "An agent label setting is not a list literal and is split into characters"
implemented = true
explanation = """
## What it does
Checks `PREFECT__CLOUD__AGENT__LABELS` wherever it is set (scripts, Dockerfiles, dotenv
files, manifests, Helm values) and `[cloud.agent] labels` in TOML. A value is reported
unless Prefect's loading turns it into a list: `"['dev', 'prod']"` and `'["dev"]'` are
fine; `dev`, `dev,prod` and `"dev prod"` are not. When the same agent is also started
with `--label`, the setting is ignored by Prefect and is not reported.

## Why is this bad?
The value goes through Prefect's config loading (`ast.literal_eval`); `dev` is not a
Python literal and stays the string `'dev'`. The agent then calls `list()` on it, so it
runs with labels `['d', 'e', 'v']` and never picks runs labelled `dev`. No error is
raised: flow runs stay unclaimed.

## How to fix
Write a Python or JSON list literal, quoted for the shell or YAML:
`PREFECT__CLOUD__AGENT__LABELS="['dev']"`, or pass `--label dev` on the command line.
"""
fix_safety = """
The fix is unsafe. It rewrites the value as a quoted list literal (`dev` becomes
`['dev']`, `dev,prod` becomes `['dev', 'prod']`), which changes the runs the agent picks
up: that is the intent, but runs labelled with the single letters it used to carry would
no longer match, and splitting on commas is a guess at what the author meant.
"""
[example]
bad = '''
# file: agents/start-agent.sh
export PREFECT__CLOUD__AGENT__LABELS=dev
prefect agent docker start
'''
good = '''
# file: agents/start-agent.sh
export PREFECT__CLOUD__AGENT__LABELS="['dev']"
prefect agent docker start
'''

"""#),
(#"rules/PS301-cloud-secret-api-on-server.toml"#, #"""
id = "PS301"
name = "cloud-secret-api-on-server"
severity = "error"
summary = "A Prefect Cloud secret API is used with a Prefect Server backend"
implemented = true
explanation = """
## What it does
Reports, in code whose backend is `server` (from the project's Prefect config,
backend.toml, `PREFECT__BACKEND` in the environment that runs it, or `--backend server`;
when none of those says, the backend every agent of the project runs with, when all agree),
calls of `Client().set_secret(...)` and `delete_secret`, and GraphQL documents passed to
`Client().graphql(...)` or stored in `.py` strings that use `set_secret`, `delete_secret`,
`secret_names` or `secret_value`. With a `cloud` backend, or when the backend is unknown,
nothing is reported.

## Why is this bad?
Prefect Server has no secret store: its GraphQL schema has none of these fields, so the
request fails validation (e.g. `Cannot query field "set_secret" on type "Mutation"`). The
client raises a `ClientError` whose text includes "The passed variables were:" followed
by the variables, so `set_secret` writes the secret value into the exception, the logs and
any traceback. `Secret.get` never queries the API on Server, so even a value stored this
way could never be read. The 1.4.1 client has no `delete_secret` method at all.

## How to fix
On Server, provide secrets in the flow-run environment: agent `--env
PREFECT__CONTEXT__SECRETS__NAME="$NAME"`, run config or job template entries that read a
Kubernetes Secret. Use `set_secret` only against Prefect Cloud. Rotate any value that
reached a log.
"""
[example]
bad = '''
# file: prefect/config.toml
backend = "server"

# file: scripts/setup_secrets.py
import os
from prefect import Client

Client().set_secret("WAREHOUSE_PASSWORD", os.environ["WAREHOUSE_PASSWORD"])
'''
good = '''
# file: prefect/config.toml
backend = "server"

# file: agents/docker.sh
prefect agent docker start --label etl \
  --env PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
'''

"""#),
(#"rules/PS302-local-secrets-flag-ineffective.toml"#, #"""
id = "PS302"
name = "local-secrets-flag-ineffective"
severity = "warning"
summary = "use_local_secrets is set where it has no effect or to a non-boolean value"
implemented = true
explanation = """
## What it does
Checks `[cloud] use_local_secrets` in TOML and `PREFECT__CLOUD__USE_LOCAL_SECRETS` in
scripts, Dockerfiles, dotenv files and manifests. It reports a value that Prefect does not
load as a real boolean (`0`, `1`, `"no"`, `"off"`; `true`/`false` in any case, quoted or
not, are fine); any setting for a `server` backend; and a setting in an agent `--env` flag,
`PREFECT__CLOUD__AGENT__ENV_VARS` or a run config `env`, where the agent overrides it
(except `false`, the value the agent forces anyway).

## Why is this bad?
`Secret.get` asks Prefect Cloud only when the backend is exactly `cloud` and
`use_local_secrets is False`, an identity test. `0` loads as the int 0 and `no` as a
string, so Cloud is never queried and the run fails with `Local Secret "X" was not
found.`. On Server the API is never asked for secrets whatever the flag says. And agents
of every type force `PREFECT__CLOUD__USE_LOCAL_SECRETS=false` into flow runs after the
agent and run config env, so setting it there changes nothing.

## How to fix
Write `false` (or `true`) as a boolean, set it only where it matters (a Cloud backend
outside an agent, e.g. `prefect run --execute`, which does not set it), and delete it
from Server configurations and agent or run config env.
"""
[example]
bad = '''
# file: .prefect/config.toml
backend = "cloud"

[cloud]
use_local_secrets = 0
'''
good = '''
# file: .prefect/config.toml
backend = "cloud"

[cloud]
use_local_secrets = false
'''

"""#),
(#"rules/PS303-cloud-credential-on-server.toml"#, #"""
id = "PS303"
name = "cloud-credential-on-server"
severity = "warning"
summary = "A Prefect Cloud API key or tenant is configured for a Prefect Server backend"
implemented = true
explanation = """
## What it does
Reports a Cloud credential in a place whose backend is `server`: `cloud.api_key`,
`cloud.auth_token`, `cloud.agent.auth_token` and `cloud.tenant_id` in TOML, the matching
`PREFECT__CLOUD__...` variables, `--key`/`-k` and `--tenant-id` on `prefect agent`
commands, and `prefect auth login` in scripts. It reports references (`"$PREFECT_API_KEY"`)
as well as literals; literals are also PS105. Empty values are not findings.

## Why is this bad?
Prefect Server has no API authentication: the client sends no `Authorization` header, and
its tenant lookup raises "Authentication is only supported for Prefect Cloud".
Agents on Server even export `PREFECT__CLOUD__API_KEY=""` to flow runs. The key does
nothing but travel to one more machine, process list or manifest, and it usually means a
Cloud key was copied into a Server deployment, or the backend is not the one intended.

## How to fix
Remove the key and tenant from Server configurations. If the deployment is meant to run
against Prefect Cloud, set the backend to `cloud` instead (see PS304).
"""
[example]
bad = '''
# file: agents/start-agent.sh
export PREFECT__BACKEND=server
prefect agent docker start --label etl --key "$PREFECT_API_KEY"
'''
good = '''
# file: agents/start-agent.sh
export PREFECT__BACKEND=server
prefect agent docker start --label etl
'''

"""#),
(#"rules/PS304-conflicting-backends.toml"#, #"""
id = "PS304"
name = "conflicting-backends"
severity = "error"
summary = "Two settings that apply to the same agent or flow runs disagree on the backend"
implemented = true
explanation = """
## What it does
Collects the backend settings that reach one process (an agent, or the flow runs it
starts) and reports when they disagree. Prefect resolves the backend in this order, last
wins: the package default (`cloud`), the user config.toml, backend.toml, then
`PREFECT__BACKEND`. Reported: two of these in the project, used by the same process, with
different values; `PREFECT__BACKEND=server` beside a `PREFECT__CLOUD__API` or `--api`
pointing at `https://api.prefect.io` (and a Server-style URL such as
`http://localhost:4200` with `cloud`); `prefect agent kubernetes install --backend server`
(or `-b server`) without `--api`; and a `PREFECT__BACKEND` in a run config `env` or agent
`--env` that differs from the agent's own backend.

## Why is this bad?
`cloud.api` is derived from the backend (`${${backend}.endpoint}`) unless it is set
explicitly, and `kubernetes install` writes `PREFECT__CLOUD__API=https://api.prefect.io`
even with `--backend server`, so the agent polls Prefect Cloud while its flow runs are
told the backend is Server. Agents force their own `PREFECT__BACKEND` into every flow run,
so a different value in run config env is silently replaced. Secret lookups follow the
backend: on `server` nothing is ever read from Cloud, on `cloud` missing secrets are looked
up there.

## How to fix
Decide on one backend per deployment and set it in one place. With `kubernetes install
--backend server`, also pass `--api` with the Server's API URL. Remove `PREFECT__BACKEND`
from run config and agent `--env` values.
"""
[example]
bad = '''
# file: agents/install-agent.sh
prefect agent kubernetes install --backend server --label k8s > k8s/agent.yaml
'''
good = '''
# file: agents/install-agent.sh
prefect agent kubernetes install --backend server \
  --api http://prefect-apollo.prefect.svc:4200 --label k8s > k8s/agent.yaml
'''

"""#),
(#"rules/PS305-invalid-backend-value.toml"#, #"""
id = "PS305"
name = "invalid-backend-value"
severity = "error"
summary = "A backend value is not exactly cloud or server"
implemented = true
explanation = """
## What it does
Checks every backend setting: `backend = "..."` in Prefect TOML files (config.toml,
backend.toml), `PREFECT__BACKEND` in scripts, Dockerfiles, dotenv files, manifests and
run config or agent env, `prefect backend VALUE`, and `--backend`/`-b` of
`prefect agent kubernetes install`. A value other than exactly `cloud` or `server` is
reported, including other spellings (`Server`, `CLOUD`) and other words (`local`).
References (`$BACKEND`) are not findings.

## Why is this bad?
Prefect compares the backend as an exact string and does not validate it when loading
config. With `Server` or `CLOUD`, `cloud.api` resolves to an empty string and
`cloud.graphql` to `/graphql`, so every API call fails, and `Secret.get` treats the
backend as not-Cloud. `prefect backend Server` prints "Server is not a valid backend API"
but exits 0 and leaves the old backend in place, so scripts carry on with the wrong one.

## How to fix
Write the value in lowercase: `cloud` or `server`.
"""
fix_safety = """
The fix lowercases the value and is offered only when the result is exactly `cloud` or
`server`. It is safe in config files and env values: the original value breaks every API
call, so no working behaviour is lost. For a `prefect backend Server` command it is
unsafe: Prefect rejects that command and keeps the previous backend, so the fixed command
may switch the machine to a different backend than the one scripts have been using.
"""
[example]
bad = '''
# file: .prefect/backend.toml
# ~/.prefect/backend.toml template kept in the repository
backend = "Server"
'''
good = '''
# file: .prefect/backend.toml
# ~/.prefect/backend.toml template kept in the repository
backend = "server"
'''

"""#),
(#"rules/PS401-secret-read-at-build-time.toml"#, #"""
id = "PS401"
name = "secret-read-at-build-time"
severity = "error"
summary = "A secret value is read while the flow is being built instead of when it runs"
implemented = true
explanation = """
## What it does
Finds `Secret(NAME).get()` (from `prefect.client` or `prefect.client.secrets`, under any
import alias) and `PrefectSecret(...).run()` / `VaultSecret(...).run()` /
`EnvVarSecret(...).run()` calls made while a flow is built, written in place or in a
plain function (not a task) that the flow's module calls, of its own or imported from
another project module (`get_password()` from `lib/creds.py`). Lexically inside a
`with Flow(...)` block it is an error (a warning for `EnvVarSecret`, which does not
raise); at module level, outside any function or class body, it is a warning (in a module
that builds no flow, the message says it matters where a flow's module imports it; a
script that builds no flow and calls the API client at its top level, such as
`client.create_flow_run(…)` or `Client().set_secret(…)`, is run by a person and not
reported, nor is code under `if __name__ == "__main__":`). Calls inside `@task` functions and
`Task.run` methods run during the flow run and are not findings (see PS402), nor are a
module-level helper's reads under `if prefect.context.get("flow_run_id"):` (only flow runs
have that id), nor are
`Secret(NAME).exists()` and `PrefectSecret("NAME")` used as a task in the flow, nor reads
written in a lambda (`task(lambda: Secret("X").get())`, a state handler), which run when
the lambda is called.

It also warns about components whose constructor reads a credential from the environment,
made at module level or in a flow block without that credential given: `DbtCloudRunJob()`
(`DBT_CLOUD_TOKEN`, or the variable `token_env_var_name` names), `AzureResult(container)`
(`AZURE_STORAGE_CONNECTION_STRING`) and `CubePreAggregationsBuildTask()`
(`CUBEJS_API_SECRET`, or `api_secret_env_var`'s). Not when the credential is given when the
task runs (`run_job(token=PrefectSecret("DBT_CLOUD_TOKEN"))`), nor when every flow of the
module has script storage (GitHub, GitLab, Bitbucket, CodeCommit, Git, Module), which loads
the module again in each flow run.

## Why is this bad?
Inside `with Flow(...)`, `prefect.context.flow` is set and `Secret.get` raises
`ValueError("Secrets should only be retrieved during a Flow run, not while building a
Flow.")`, so the flow file cannot even be loaded. At module level nothing raises, which is
worse: the value is read at registration (`prefect register`) from the registering
machine's local secrets, and with pickle-based storage the value, and anything computed
from it, is frozen into the pickled flow that every agent downloads. With script storage
the module is executed again when the agent's flow run loads the flow, this time with
the flow-run environment (Cloud on a Cloud backend), so the two reads can disagree.
`EnvVarSecret(...).run()` never raises: inside `with Flow(...)` it reads the registering
machine's environment variable, and the value (or None) becomes a constant of the flow.
`PrefectSecret(...).get()` (or `EnvVarSecret(...).get()`), wherever it stands, is an error:
these tasks have no `get` method, and Prefect raises `AttributeError`.

## How to fix
Make the secret a task in the flow: pass `PrefectSecret("NAME")` as an argument to the
task that needs it, so the value is fetched when the flow runs.
"""
[example]
bad = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.client import Secret

@task
def load(password):
    ...

with Flow("etl") as flow:
    load(Secret("WAREHOUSE_PASSWORD").get())
'''
good = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

@task
def load(password):
    ...

with Flow("etl") as flow:
    load(PrefectSecret("WAREHOUSE_PASSWORD"))
'''

"""#),
(#"rules/PS402-secret-loaded-inside-task.toml"#, #"""
id = "PS402"
name = "secret-loaded-inside-task"
severity = "info"
summary = "A task body loads a secret itself instead of receiving it as a parameter"
implemented = true
explanation = """
## What it does
Finds `Secret(NAME).get()`, `PrefectSecret(...).run()` and `EnvVarSecret(...).run()`
calls inside the body of a `@task` function or a `Task` subclass's `run` method. Secret
tasks used in the flow and passed into tasks as arguments are not findings, and neither
is the `run` method of a `SecretBase` subclass (a secret task itself).

## Why is this bad?
It works at run time, but the secret is hidden from the flow: it does not appear in the
flow graph, the task cannot be tested or reused with another credential without patching,
and the name is fixed inside the task (see PS405). Secret tasks also get special handling
that a plain task does not: they never checkpoint (`checkpoint=False`, `SecretResult`,
which cannot be written), and on restart they are re-run to fetch the value again. A task
that loads a secret and returns something derived from it may have that result persisted
in plaintext by its result storage.

## How to fix
Add a parameter to the task and pass `PrefectSecret("NAME")` to it in the flow.
"""
[example]
bad = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.client import Secret

@task
def load(rows):
    password = Secret("WAREHOUSE_PASSWORD").get()
    ...

with Flow("etl") as flow:
    load([1, 2])
'''
good = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

@task
def load(rows, password):
    ...

with Flow("etl") as flow:
    load([1, 2], password=PrefectSecret("WAREHOUSE_PASSWORD"))
'''

"""#),
(#"rules/PS403-lossy-secret-value.toml"#, #"""
id = "PS403"
name = "lossy-secret-value"
severity = "warning"
summary = "A secret value is changed by Prefect's env or config loading"
implemented = true
explanation = """
## What it does
Checks the literal values of `PREFECT__CONTEXT__SECRETS__*` variables (scripts,
Dockerfiles, dotenv files, manifests, agent `--env`, `PREFECT__CLOUD__AGENT__ENV_VARS`,
run config `env`, after shell quoting is removed) and of `[context.secrets]` entries in
TOML, and reports a value that Prefect's loading changes: `true`/`false` in any case
(bool), numbers including `0x10`, `1_000`, `1e3`, `+5` and `.5` (int or float), `None` and
`null` (None), Python list, tuple, set or dict literals that are not also JSON (`['a']`,
`{'a': 1}`; a JSON list or object is meant to come back as one), `1,2` (a tuple), `$NAME`/`${NAME}`
inside a longer value and a leading `~` (expanded from the flow-run environment), `${a.b}`
(a config reference, `""` when missing), and JSON containing `true`, `false` or `null`
(kept as a string in context). Values that stay strings (`007`, `0123`, `none`,
`yes`, `a=b`) and values that are one whole reference (`$NAME`) are not findings.
`AWS_CREDENTIALS` and `GCP_CREDENTIALS` are judged the other way round: Prefect's AWS and
GCP utilities (`get_boto_client`, `get_google_client`) read them from the context as dicts,
so a dict, Python or JSON, is what they must be, and a value that stays a string (such as
`{ACCESS_KEY: k}`, which is neither) is a finding.

It also follows values through readers that take a dotenv line otherwise than
python-dotenv, Compose and a shell: `docker run --env-file` reads each line's text after
`=` as written (the quotes, a comment and `${…}` stay in the value), and a Makefile's
`include` reads it as make syntax (quotes and the blanks before a comment stay; `#` ends
the value even inside quotes). Where a flow run of an agent they reach then gets another
secret than the file spells (a comment or trailing blanks after the value; any quotes for a
variable the flow reads with `EnvVarSecret`), the line is reported, naming the flow and the
agent.

## Why is this bad?
Env values are expanded and literal-evaluated twice, TOML values once, and `Secret.get`
then applies `json.loads`: so `007` stays a string but `123` becomes an int, even when
written as `"123"`, and a password such as `pa${ss}word` becomes `paword`. Code that reads
`prefect.context.secrets` directly (boto with `AWS_CREDENTIALS`, GCP clients) fails on a
JSON string with `AttributeError: 'str' object has no attribute 'get'`; Bitbucket storage
fails on a token that became an int.

## How to fix
Read values that must stay raw strings with `EnvVarSecret("NAME")` (plain `os.environ`,
no conversion), or convert at the point of use (`str(...)`). Quoting the value inside its
text (`'"123"'`) does not help: the literal evaluation takes the quotes off, and
`Secret.get`'s `json.loads` then makes it a number again. Avoid `$`, `~` and `${` in
values that go through Prefect's config. In a file `docker run --env-file` or a Makefile's
`include` reads, write values without quotes and put comments on lines of their own.
"""
[example]
bad = '''
# file: agents/start-agent.sh
prefect agent docker start --label etl \
  --env PREFECT__CONTEXT__SECRETS__ACCOUNT_ID=12345678 \
  --env 'PREFECT__CONTEXT__SECRETS__FTP_PASSWORD=example$password'
'''
good = '''
# file: agents/start-agent.sh
# flows read these with EnvVarSecret("ACCOUNT_ID") and EnvVarSecret("FTP_PASSWORD")
prefect agent docker start --label etl \
  --env ACCOUNT_ID="$ACCOUNT_ID" \
  --env FTP_PASSWORD="$FTP_PASSWORD"
'''

"""#),
(#"rules/PS404-unexpressible-secret-name.toml"#, #"""
id = "PS404"
name = "unexpressible-secret-name"
severity = "warning"
summary = "A secret name that a PREFECT__CONTEXT__SECRETS__ variable splits into nested keys, or that a shell cannot export"
implemented = true
explanation = """
## What it does
Checks secret names wherever they appear (`PrefectSecret`, `Secret`, `storage.secrets`,
`*_secret` parameters, `set_secret` calls, `[context.secrets]` keys, env variable names)
and reports a name that contains `__`, `-`, `.` or whitespace. Lowercase letters are
fine: the part after `PREFECT__CONTEXT__SECRETS__` keeps its case. Keys of a dict secret
written on purpose as `NAME__KEY` or as a TOML sub-table are not findings.

## Why is this bad?
Prefect splits the part after `PREFECT__CONTEXT__SECRETS__` on `__`, so
`PREFECT__CONTEXT__SECRETS__DB__PASSWORD` becomes the dict `DB = {"PASSWORD": ...}`, never
a secret named `DB__PASSWORD`. Names with `-`, `.` or a space pass through when Docker or
Kubernetes inject them, but a POSIX shell cannot `export` them, so they cannot be set in
an agent start script or a dotenv file that is sourced. Such a secret can live only in
Prefect Cloud or a TOML file, and can never be provided or overridden per agent through
the environment, which is what Server deployments rely on.

## How to fix
Rename the secret to letters, digits and single underscores (`WAREHOUSE_PASSWORD`), and
update every reference and provision.
"""
[example]
bad = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

@task
def load(password):
    ...

with Flow("etl") as flow:
    load(PrefectSecret("warehouse-password"))
'''
good = '''
# file: flows/etl.py
from prefect import Flow, task
from prefect.tasks.secrets import PrefectSecret

@task
def load(password):
    ...

with Flow("etl") as flow:
    load(PrefectSecret("WAREHOUSE_PASSWORD"))
'''

"""#),
(#"rules/PS405-hardcoded-secret-name.toml"#, #"""
id = "PS405"
name = "hardcoded-secret-name"
severity = "info"
summary = "A reusable component hard-codes the name of the secret it reads"
implemented = true
explanation = """
## What it does
Finds `Task` subclasses, `@task` functions and helper functions defined in modules that do
not build a flow themselves (no `with Flow(...)` or `Flow(...)` in the module), which read
a secret whose name is a string literal in the body: `Secret("NAME").get()`,
`PrefectSecret("NAME")`, `EnvVarSecret("NAME")`. A name that arrives as a parameter, even
one with a literal default (`password_secret="WAREHOUSE_PASSWORD"`), is not a finding.

## Why is this bad?
Every flow and deployment that uses the component must provide a secret under exactly
that name, so one component cannot serve two warehouses, two tenants or a test
credential, and renaming the secret means changing library code. Prefect's own task
library takes the name as a parameter with a default, such as
`kubernetes_api_key_secret="KUBERNETES_API_KEY"` or `webhook_secret="SLACK_WEBHOOK_URL"`.

## How to fix
Add a `*_secret` parameter (with the current name as its default if you like) and read
the secret under that name, or take the secret value itself as a run-time argument.
"""
[example]
bad = '''
# file: etl_lib/warehouse.py
from prefect import Task
from prefect.client import Secret

class WarehouseQuery(Task):
    def run(self, query):
        password = Secret("WAREHOUSE_PASSWORD").get()
        ...
'''
good = '''
# file: etl_lib/warehouse.py
from prefect import Task
from prefect.client import Secret

class WarehouseQuery(Task):
    def __init__(self, password_secret="WAREHOUSE_PASSWORD", **kwargs):
        self.password_secret = password_secret
        super().__init__(**kwargs)

    def run(self, query):
        password = Secret(self.password_secret).get()
        ...
'''

"""#),
(#"rules/PS406-reserved-secret-name.toml"#, #"""
id = "PS406"
name = "reserved-secret-name"
severity = "error"
summary = "A secret name or a key inside a dict secret equals a Prefect config method name"
implemented = true
explanation = """
## What it does
Checks secret names and the keys of dict secrets wherever they are provided or referenced:
`[context.secrets]` keys and sub-table keys in TOML, the parts after
`PREFECT__CONTEXT__SECRETS__` (`X__keys`), keys of a JSON or dict value, and names in
`PrefectSecret`/`Secret`/`set_secret`. A name is reported when it equals, with the same
case, a method of Prefect's `Config` class (Box 6.1): `clear`, `copy`, `from_json`,
`from_msgpack`, `from_toml`, `from_yaml`, `fromkeys`, `get`, `items`, `keys`,
`merge_update`, `pop`, `popitem`, `setdefault`, `to_dict`, `to_json`, `to_msgpack`,
`to_toml`, `to_yaml`, `update`, `values`, or a dunder or `_Box` name. `KEYS` is fine.

## Why is this bad?
After loading its configuration Prefect checks every key at every level against
`dir(Config)`, and `import prefect` fails with `ValueError('Invalid config key: "keys"')`.
Every flow, agent and CLI command on that machine or container breaks, not just the flow
that uses the secret. Keys inside a JSON value are checked too (unless the JSON stays a
string, see PS403). A reserved name that is only referenced can never be provided through
config or env, only through Prefect Cloud. The list depends on the python-box version.

## How to fix
Rename the secret or the key (`SFTP__ssh_keys` instead of `SFTP__keys`), and update the
code that reads it.
"""
[example]
bad = '''
# file: agents/start-agent.sh
prefect agent docker start --label etl \
  --env PREFECT__CONTEXT__SECRETS__SFTP__user="$SFTP_USER" \
  --env PREFECT__CONTEXT__SECRETS__SFTP__keys="$SFTP_KEYS"
'''
good = '''
# file: agents/start-agent.sh
prefect agent docker start --label etl \
  --env PREFECT__CONTEXT__SECRETS__SFTP__user="$SFTP_USER" \
  --env PREFECT__CONTEXT__SECRETS__SFTP__ssh_keys="$SFTP_KEYS"
'''

"""#),
(#"rules/PS407-secret-outside-context.toml"#, #"""
id = "PS407"
name = "secret-outside-context"
severity = "error"
summary = "A secret is written where Prefect never looks for secrets"
implemented = true
explanation = """
## What it does
Reports secrets written under a name Prefect does not map to `context.secrets`: a
top-level `[secrets]` table (or `[secrets.X]`, or a top-level dotted `secrets.X` key) in a
Prefect config TOML file, and environment variables whose prefix is spelled any other way
than exactly `PREFECT__CONTEXT__SECRETS__` or `PREFECT__context__secrets__`, such as
`PREFECT__Context__Secrets__X`, `PREFECT__CONTEXT__secrets__X` or
`PREFECT__context__SECRETS__X`, the singular `PREFECT__CONTEXT__SECRET__X` (and a
`[context.secret]` table), and any that does not start with exactly `PREFECT__`
(`prefect__CONTEXT__SECRETS__X`), in scripts, Dockerfiles, dotenv files, manifests, agent
`--env` and run config `env`.

## Why is this bad?
Prefect detects the secrets prefix case-insensitively but rewrites only the exact text
`CONTEXT__SECRETS`, and it does not lowercase secret names, so
`PREFECT__Context__Secrets__X` lands in a top-level `Context.Secrets.X` key that
`Secret.get` never reads. Variables not starting with exactly `PREFECT__` are ignored
altogether. The singular `CONTEXT__SECRET` sets `context.secret`, which nothing reads. A top-level `[secrets]` table becomes `config.secrets`, not part of the
context (some Prefect docstrings show this wrong form). In every case the flow fails with
`Local Secret "X" was not found.` although the value seems to be set.

## How to fix
Use `PREFECT__CONTEXT__SECRETS__NAME` for env variables and `[context.secrets]` in TOML.
"""
fix_safety = """
No automatic fix is offered yet. The planned fix renames the prefix to `PREFECT__CONTEXT__SECRETS__` and keeps the secret name's
case, or renames a `[secrets]` header to `[context.secrets]` when the file does not
already define `context.secrets`. It is safe when nothing else provides that name to the
same process: the secret then appears exactly where the author meant it. It is unsafe when
the name is also provided elsewhere, because the renamed variable starts to override that
value (env beats files), so a person must check which value should win.
"""
[example]
bad = '''
# file: agents/start-agent.sh
export PREFECT__Context__Secrets__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
prefect agent local start --label etl
'''
good = '''
# file: agents/start-agent.sh
export PREFECT__CONTEXT__SECRETS__WAREHOUSE_PASSWORD="$WAREHOUSE_PASSWORD"
prefect agent local start --label etl
'''

"""#),
(#"rules/PS408-secrets-table-replaced.toml"#, #"""
id = "PS408"
name = "secrets-table-replaced"
severity = "warning"
summary = "The whole secrets table is set at once, replacing every other secret"
implemented = true
explanation = """
## What it does
Reports the bare variable `PREFECT__CONTEXT__SECRETS` (with no name after it) set
anywhere an environment variable can be set, and flow-run contexts that contain a
`secrets` key: `prefect run --context` values, `create_flow_run(context=...)` and
`Client().create_flow_run(context=...)` calls, and StartFlowRun's `new_flow_context`
(given to the task or to its call). The secrets written there are hidden like any secret
value.
Individual `PREFECT__CONTEXT__SECRETS__NAME` variables are not findings.

## Why is this bad?
`PREFECT__CONTEXT__SECRETS='{...}'` sets the entire `context.secrets`, so every secret
from config.toml or backend.toml disappears; inside it `$VAR` is expanded but `${...}`
is not, and a value that is not a dict makes `Secret.get` fail with a `TypeError`. A
flow-run context with `secrets` is applied with a top-level update when the run starts,
so it replaces every secret from the environment and from `storage.secrets`; it is also
stored with the flow run in plaintext.

## How to fix
Set each secret in its own `PREFECT__CONTEXT__SECRETS__NAME` variable, and pass secrets
to runs through the agent's environment or Prefect Cloud, never through run context.
"""
[example]
bad = '''
# file: agents/start-agent.sh
# the host's ~/.prefect/config.toml holds the other secrets
export PREFECT__CONTEXT__SECRETS='{"SLACK_WEBHOOK_URL": "$SLACK_WEBHOOK_URL"}'
prefect agent local start --label etl
'''
good = '''
# file: agents/start-agent.sh
# the host's ~/.prefect/config.toml holds the other secrets
export PREFECT__CONTEXT__SECRETS__SLACK_WEBHOOK_URL="$SLACK_WEBHOOK_URL"
prefect agent local start --label etl
'''

"""#),
(#"rules/PS409-nested-secret-collision.toml"#, #"""
id = "PS409"
name = "nested-secret-collision"
severity = "error"
summary = "A secret is provided both as a single value and as a parent of nested keys"
implemented = true
explanation = """
## What it does
Reports a secret `X` that is provided as a value while `X__Y` (a nested key of `X`) is
provided as well, when both reach the same process: the same script, dotenv file,
Dockerfile or container env list, or an agent's `--env` values together with the run
config `env` of a flow that agent runs.

## Why is this bad?
Prefect turns `PREFECT__CONTEXT__SECRETS__X__Y` into a dict `X = {"Y": ...}`. When `X`
already holds a plain value, the result depends on the order of the environment: with
`X` first, `import prefect` fails with `TypeError: 'int' object does not support item
assignment` (or the same error for `str`) in every process that receives both; in the
other order, `X` keeps its value and `Y` is silently dropped. A value Prefect loads as a
dict (`{'user': 'etl'}`) takes nested keys set after it, but replaces those set before.
Within one shell's exports the order is the shell's own; an agent puts what it adds
(`--env`, run config and template env) after what it inherits.

## How to fix
Provide a dict secret one way only: either every key as `X__KEY` variables, or the whole
value as JSON in `PREFECT__CONTEXT__SECRETS__X`.
"""
[example]
bad = '''
# file: agents/start-agent.sh
prefect agent docker start --label etl \
  --env PREFECT__CONTEXT__SECRETS__SNOWFLAKE="$SNOWFLAKE_PASSWORD" \
  --env PREFECT__CONTEXT__SECRETS__SNOWFLAKE__ACCOUNT="$SNOWFLAKE_ACCOUNT"
'''
good = '''
# file: agents/start-agent.sh
prefect agent docker start --label etl \
  --env PREFECT__CONTEXT__SECRETS__SNOWFLAKE__PASSWORD="$SNOWFLAKE_PASSWORD" \
  --env PREFECT__CONTEXT__SECRETS__SNOWFLAKE__ACCOUNT="$SNOWFLAKE_ACCOUNT"
'''

"""#),
(#"rules/PS900-parse-error.toml"#, #"""
id = "PS900"
name = "parse-error"
severity = "error"
summary = "A TOML, YAML or Python file cannot be parsed"
implemented = true
explanation = """
## What it does
Reports a file that was classified as TOML (Prefect config.toml or backend.toml,
pyproject.toml, the tool's own config), YAML (Kubernetes manifests, docker-compose files,
CI workflows, Helm values) or Python, but that its parser rejects. The finding points at
the position of the first error with the parser's message (TOML 1.0; libyaml's error; for
Python, a tokenizer error such as an unterminated string or bracket). A YAML mapping that
holds a key twice is reported too: libyaml reads it, but YAML requires unique keys, so
kubectl's strict validation, docker compose and GitHub Actions refuse the file (the tool
reads it as PyYAML does, the last value winning, and checks it further). Binary and
oversized files are skipped, not reported.

## Why is this bad?
Prefect, or whatever reads the file, fails on it too: an invalid config.toml makes
`import prefect` raise
`TomlDecodeError` on every command, a broken flow file fails `prefect register` and every
flow run that loads it, and a broken job template or manifest fails when it is applied.
The linter also cannot see inside an unparsable file, so secrets in it go unchecked by the
other rules.

## How to fix
Fix the syntax error at the reported position. If the file is not meant to be parsed as
that format (a template with placeholders, say), exclude it in the configuration.
"""
[example]
bad = '''
# file: .prefect/config.toml
[context.secrets
WAREHOUSE_PASSWORD = "$WAREHOUSE_PASSWORD"
'''
good = '''
# file: .prefect/config.toml
[context.secrets]
WAREHOUSE_PASSWORD = "$WAREHOUSE_PASSWORD"
'''

"""#),
    ]
}
