#!/usr/bin/env bash
# Reads AWS credentials as the AWS CLI does, and checks them against a reference credentials file.
#   aws-cli-check.sh <reference credentials file> <reference profile> <token|no-token>
# The credentials file comes from AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials), the
# config file from AWS_CONFIG_FILE (default ~/.aws/config), the profile from AWS_PROFILE (default
# "default"); the variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN must
# agree with the file. Prints what it found (masked by the job) and exits 1 on the first mismatch.
set -u
reference="$1"; reference_profile="$2"; token_expected="$3"

credentials="${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}"
config="${AWS_CONFIG_FILE:-$HOME/.aws/config}"
profile="${AWS_PROFILE:-default}"
if [ "$profile" = "default" ]; then config_section="default"; else config_section="profile $profile"; fi

# value FILE SECTION KEY: the value of KEY in [SECTION], as botocore's INI reader takes it.
value() {
    awk -v section="[$2]" -v key="$3" '
        $0 == section { inside = 1; next }
        /^\[/ { inside = 0 }
        inside {
            k = $0; sub(/[ \t]*=.*/, "", k)
            if (k == key) { v = $0; sub(/^[^=]*=[ \t]*/, "", v); print v; exit }
        }' "$1"
}

fail() { echo "MISMATCH: $*" >&2; exit 1; }

[ -f "$credentials" ] || fail "no credentials file at $credentials"
case "$credentials" in "$SECRETS_DIR"/*) ;; *) fail "the credentials file is not in the job's private folder" ;; esac
[ "$(stat -c %a "$credentials")" = "600" ] || fail "the credentials file is not owner-only"

key_id=$(value "$credentials" "$profile" aws_access_key_id)
secret=$(value "$credentials" "$profile" aws_secret_access_key)
token=$(value "$credentials" "$profile" aws_session_token)
region=$(value "$config" "$config_section" region)

[ -n "$key_id" ] || fail "no aws_access_key_id in [$profile]"
[ "$key_id" = "$(value "$reference" "$reference_profile" aws_access_key_id)" ] || fail "aws_access_key_id differs from the reference"
[ "$secret" = "$(value "$reference" "$reference_profile" aws_secret_access_key)" ] || fail "aws_secret_access_key differs from the reference"
[ "$token" = "$(value "$reference" "$reference_profile" aws_session_token)" ] || fail "aws_session_token differs from the reference"
[ "${AWS_ACCESS_KEY_ID-}" = "$key_id" ] || fail "AWS_ACCESS_KEY_ID differs from the file"
[ "${AWS_SECRET_ACCESS_KEY-}" = "$secret" ] || fail "AWS_SECRET_ACCESS_KEY differs from the file"
if [ "$token_expected" = "token" ]; then
    [ -n "$token" ] && [ "${AWS_SESSION_TOKEN-}" = "$token" ] || fail "AWS_SESSION_TOKEN differs from the file"
else
    [ -z "${AWS_SESSION_TOKEN+set}" ] || fail "AWS_SESSION_TOKEN is set, but these keys have no session token"
fi
[ "${AWS_REGION-}" = "$region" ] || fail "AWS_REGION differs from the config file"

echo "profile=$profile region=$region"
echo "credentials=$credentials"
echo "secret=$secret"
