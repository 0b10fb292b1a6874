#!/usr/bin/env bash
# Prints the table of bad inputs in docs/bad-input.md: runs brl on every case of fixtures/cli-bad/cases.tsv
# and shows the exit status and the message. Usage: scripts/bad-inputs.sh [path/to/brl]
set -u
cd "$(dirname "$0")/.."
brl=${1:-.build/release/brl}
echo "| input | exit | what brl says |"
echo "| --- | --- | --- |"
while IFS=$'\t' read -r description arguments _; do
  [[ -z "$description" || "$description" == \#* ]] && continue
  # shellcheck disable=SC2086
  message=$("$brl" $arguments 2>&1 >/dev/null | head -n 1)
  status=$?
  "$brl" $arguments >/dev/null 2>&1
  status=$?
  message=${message//|/\\|}
  if [[ "$message" == *'`'* ]]; then
    printf '| %s | %s | `` %s `` |\n' "$description" "$status" "$message"
  else
    printf '| %s | %s | `%s` |\n' "$description" "$status" "$message"
  fi
done < fixtures/cli-bad/cases.tsv
