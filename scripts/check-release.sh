#!/usr/bin/env bash
# Builds the release archive (scripts/release.sh) and checks it as a user gets it: the checksum,
# the exact file list, owners; bin/brl linking no Swift, Foundation, Dispatch or ICU library;
# `brl verify` on every oracle fixture with an empty environment from a folder outside the
# checkout; the same `brl loss --json` numbers as the source build (.build/debug/brl, built if
# missing); `brl --version` naming this commit; every man page rendered by `man -l` without a
# warning; the completion scripts' syntax; and scripts/install.sh into an empty folder.
# The last step of .ci/run. Exit 1 when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
say() { printf 'check-release: %s\n' "$*" >&2; }
fail() { printf 'check-release: FAILED: %s\n' "$*" >&2; exit 1; }
start=$SECONDS

# man -l renders the pages (man-db, with groff); a fresh machine may not have it.
if ! command -v man > /dev/null; then
  [[ $(id -u) == 0 ]] && command -v apt-get > /dev/null || fail "man (man-db) is not installed"
  say "installing man-db"
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq man-db >&2
fi
# A minimized Ubuntu image (the swift:…-jammy containers) diverts man to a stub that only says
# so; the real one is man.REAL.
man() { if [[ -x /usr/bin/man.REAL ]]; then /usr/bin/man.REAL "$@"; else command man "$@"; fi; }

archive=$(scripts/release.sh)
build_seconds=$((SECONDS - start))
version=$(sed -n 's/^  static let string = "\(.*\)"$/\1/p' Sources/brl/Support/BRLVersion.swift)
name=$(basename "$archive" .tar.gz)
[[ $name == "brl-$version-linux-$(uname -m)" ]] || fail "archive name $name"

(cd dist && sha256sum --quiet -c "$name.tar.gz.sha256") || fail "checksum of $archive"
size=$(stat -c %s "$archive")
((size <= 40 * 1024 * 1024)) || fail "$archive is $size bytes, over 40 MB"

# --- The file list, owners and modes ---------------------------------------------------------
pages=$(cd Sources/brl/Commands && ls *Command.swift | sed 's/Command\.swift$//' |
  tr '[:upper:]' '[:lower:]' | sed "s|^|$name/share/man/man1/brl-|; s|\$|.1|")
expected=$(
  printf '%s\n' "$name/" "$name/LICENSE" "$name/README.md" "$name/THIRD_PARTY_NOTICES" \
    "$name/bin/" "$name/bin/brl" "$name/share/" "$name/share/bash-completion/" \
    "$name/share/bash-completion/completions/" "$name/share/bash-completion/completions/brl" \
    "$name/share/fish/" "$name/share/fish/vendor_completions.d/" \
    "$name/share/fish/vendor_completions.d/brl.fish" "$name/share/man/" "$name/share/man/man1/" \
    "$name/share/man/man1/brl.1" "$name/share/zsh/" "$name/share/zsh/site-functions/" \
    "$name/share/zsh/site-functions/_brl"
  echo "$pages"
)
actual=$(tar -tzf "$archive")
diff <(sort <<< "$expected") <(sort <<< "$actual") >&2 || fail "the archive's files (diff: expected, actual)"
[[ $(tar -tvzf "$archive" | awk '{print $2}' | sort -u) == 0/0 ]] || fail "owners other than 0/0"

work=$(mktemp -d "${TMPDIR:-/tmp}/brl-check-release.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work"
top=$work/$name
brl=$top/bin/brl

# --- No toolchain library ----------------------------------------------------------------------
libraries=$(ldd "$brl")
printf '%s\n' "$libraries" >&2
! grep -E -i 'swift|foundation|dispatch|icu|BlocksRuntime' <<< "$libraries" ||
  fail "bin/brl links a toolchain library"
! grep -q 'not found' <<< "$libraries" || fail "bin/brl misses a library"

# --- Runs with an empty environment from outside the checkout ----------------------------------
cd "$work"
status=0
env -i PATH=/usr/bin:/bin "$brl" verify "$root"/fixtures/oracle/*.npz > verify.txt || status=$?
((status == 0)) || { cat verify.txt >&2; fail "brl verify on fixtures/oracle: exit $status"; }
say "$(grep -c . verify.txt) lines of brl verify on $(ls "$root"/fixtures/oracle/*.npz | wc -l) fixtures, exit 0"

commit=$(git -C "$root" -c safe.directory='*' rev-parse --short=7 HEAD)
shown=$(env -i PATH=/usr/bin:/bin "$brl" --version)
[[ $shown == "brl $version ($commit)" ]] || fail "--version says '$shown', not 'brl $version ($commit)'"
say "$shown"

# --- The same numbers as the source build ------------------------------------------------------
source_brl=$root/.build/debug/brl
if [[ ! -x $source_brl ]]; then
  say "building the source build to compare with"
  (cd "$root" && swift build --product brl >&2)
fi
compared=0
for fixture in "$root"/fixtures/oracle/*.npz; do
  kind=$(basename "$fixture" | cut -d_ -f1)
  for method in naive bucketed exact; do
    run() { "$1" loss "$fixture" --loss "$kind" --method "$method" --json |
      sed -E 's/"(load_)?seconds":[^,}]*//g'; }
    [[ $(run "$brl") == "$(run "$source_brl")" ]] ||
      fail "brl loss $fixture --loss $kind --method $method: the archive and the source build differ"
    compared=$((compared + 1))
  done
done
say "brl loss --json: the same numbers as the source build in $compared runs"

# --- Man pages and completions -----------------------------------------------------------------
for page in "$top"/share/man/man1/*.1; do
  text=$(MANWIDTH=80 man --warnings -l "$page" 2> warnings.txt | col -b)
  [[ ! -s warnings.txt ]] || { cat warnings.txt >&2; fail "man -l ${page##*/} warns"; }
  grep -q '^NAME' <<< "$text" && grep -q '^SYNOPSIS' <<< "$text" ||
    fail "man -l ${page##*/} renders no NAME and SYNOPSIS"
done
grep -q 'brl verify' <<< "$(MANWIDTH=80 man -l "$top/share/man/man1/brl-verify.1" | col -b)" ||
  fail "brl-verify.1 does not name brl verify"
say "$(ls "$top"/share/man/man1 | wc -l) man pages render"
bash -n "$top/share/bash-completion/completions/brl" || fail "bash completion syntax"
if command -v zsh > /dev/null; then zsh -n "$top/share/zsh/site-functions/_brl" || fail "zsh completion"; fi
if command -v fish > /dev/null; then fish -n "$top/share/fish/vendor_completions.d/brl.fish" || fail "fish completion"; fi

# --- scripts/install.sh into an empty folder ---------------------------------------------------
"$root/scripts/install.sh" --archive "$root/$archive" "$work/prefix" > install.txt
[[ $(env -i PATH=/usr/bin:/bin "$work/prefix/bin/brl" --version) == "$shown" ]] ||
  fail "the installed brl"
MANPATH=$work/prefix/share/man man -w brl-verify > /dev/null || fail "man brl-verify after install"
[[ -f $work/prefix/share/bash-completion/completions/brl ]] || fail "installed completions"

say "all release checks passed in $((SECONDS - start)) s (release.sh $build_seconds s)"
