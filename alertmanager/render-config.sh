#!/bin/sh
# Entrypoint of the alertmanager container (docker-compose.yml) and helper for bare metal (deploy/).
# Fills the placeholders of alertmanager.yml from a secret file and the environment, writes the result
# to a private file and execs Alertmanager on it. The token is never printed.
#
#   TELEGRAM_ALERT_TOKEN_FILE  file holding the bot token (default /run/secrets/telegram_alert_token)
#   ALERT_TELEGRAM_CHAT_ID     chat that receives critical and warning alerts (an integer, e.g. -1001234567890)
#   ALERT_WEBHOOK_URL          URL that receives every alert as Alertmanager webhook JSON
#   ALERT_TELEGRAM_API_URL     Bot API base URL (default https://api.telegram.org; tests point it at a fake)
#   ALERTMANAGER_TEMPLATE      source config (default /etc/alertmanager/alertmanager.yml)
#   ALERTMANAGER_RENDERED      rendered config (default /tmp/alertmanager.rendered.yml)
#   ALERTMANAGER_BIN           Alertmanager binary (default /bin/alertmanager; Debian: /usr/bin/prometheus-alertmanager)
#   RENDER_ONLY=1              write the rendered file and exit (used by scripts/test-ops.sh)
# Any further arguments are passed to Alertmanager.
set -eu

token_file="${TELEGRAM_ALERT_TOKEN_FILE:-/run/secrets/telegram_alert_token}"
template="${ALERTMANAGER_TEMPLATE:-/etc/alertmanager/alertmanager.yml}"
rendered="${ALERTMANAGER_RENDERED:-/tmp/alertmanager.rendered.yml}"

fail() { echo "alertmanager config: $*" >&2; exit 64; }

[ -r "$token_file" ] || fail "telegram token file $token_file is missing or unreadable"
token="$(tr -d ' \r\n' < "$token_file")"
printf '%s' "$token" | grep -Eq '^[0-9]+:[A-Za-z0-9_-]+$' \
    || fail "telegram token in $token_file does not look like <digits>:<letters> (value not shown)"

chat_id="${ALERT_TELEGRAM_CHAT_ID:-}"
printf '%s' "$chat_id" | grep -Eq '^-?[0-9]+$' || fail "ALERT_TELEGRAM_CHAT_ID must be an integer chat id"

webhook="${ALERT_WEBHOOK_URL:-}"
printf '%s' "$webhook" | grep -Eq '^https?://[^ |]+$' || fail "ALERT_WEBHOOK_URL must be an http(s) URL"

api_url="${ALERT_TELEGRAM_API_URL:-https://api.telegram.org}"
printf '%s' "$api_url" | grep -Eq '^https?://[^ |]+$' || fail "ALERT_TELEGRAM_API_URL must be an http(s) URL"

umask 077
sed -e "s|__TELEGRAM_BOT_TOKEN__|$token|g" \
    -e "s|chat_id: -1000000000001|chat_id: $chat_id|g" \
    -e "s|http://alert-webhook:9095/gazette|$webhook|g" \
    -e "s|api_url: \"https://api.telegram.org\"|api_url: \"$api_url\"|g" \
    "$template" > "$rendered"

if [ "${RENDER_ONLY:-0}" = "1" ]; then
    exit 0
fi
exec "${ALERTMANAGER_BIN:-/bin/alertmanager}" --config.file="$rendered" "$@"
