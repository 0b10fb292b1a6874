#!/usr/bin/env bash
# Installs brl under PREFIX (default ~/.local): bin/brl, the man pages in share/man/man1, the
# bash, zsh and fish completions in share/, and README, LICENSE and THIRD_PARTY_NOTICES in
# share/doc/brl.
#
# Usage:
#   scripts/install.sh [PREFIX]                     build the archive (scripts/release.sh), install it
#   scripts/install.sh --archive FILE [PREFIX]      install a release archive (brl-…-linux-….tar.gz);
#                                                   checked against FILE.sha256 when that is beside it
#
# Building needs Swift; installing an archive needs only tar, gzip and sha256sum.
set -euo pipefail

say() { printf 'install: %s\n' "$*" >&2; }
fail() { printf 'install: error: %s\n' "$*" >&2; exit 2; }
usage() { sed -n '2,11s/^# \{0,1\}//p' "$0"; }

archive=""
prefix=""
while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --archive) (($# >= 2)) || fail "--archive needs a file"; archive=$2; shift 2 ;;
    --archive=*) archive=${1#--archive=}; shift ;;
    -*) fail "unknown option $1 (see --help)" ;;
    *) [[ -z $prefix ]] || fail "more than one PREFIX: $prefix, $1"; prefix=$1; shift ;;
  esac
done
prefix=${prefix:-$HOME/.local}
[[ $prefix == /* ]] || prefix=$PWD/$prefix

if [[ -z $archive ]]; then
  say "no --archive: building one with scripts/release.sh"
  archive=$("$(dirname "$0")/release.sh")
  archive=$(cd "$(dirname "$0")/.." && readlink -f "$archive")
fi
[[ -f $archive ]] || fail "$archive: no such file"
if [[ -f $archive.sha256 ]]; then
  expected=$(cut -d' ' -f1 "$archive.sha256")
  actual=$(sha256sum "$archive" | cut -d' ' -f1)
  [[ $expected == "$actual" ]] || fail "$archive: SHA-256 $actual, but $archive.sha256 says $expected"
  say "checksum matches $archive.sha256"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/brl-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work" || fail "$archive: not a readable .tar.gz"
tops=("$work"/*)
((${#tops[@]} == 1)) && [[ -x ${tops[0]}/bin/brl ]] ||
  fail "$archive: not a brl release archive (one folder holding bin/brl)"
src=${tops[0]}
"$src/bin/brl" --version > /dev/null || fail "$archive: its bin/brl does not run on this machine"

# Every file goes to a temporary name first and is then renamed, so an interrupted install
# leaves either the old file or the new one.
put() { # put MODE SOURCE DESTINATION
  mkdir -p "$(dirname "$3")"
  install -m "$1" "$2" "$3.tmp.$$"
  mv -f "$3.tmp.$$" "$3"
}
put 755 "$src/bin/brl" "$prefix/bin/brl"
for page in "$src"/share/man/man1/*.1; do
  put 644 "$page" "$prefix/share/man/man1/${page##*/}"
done
bash_completion=share/bash-completion/completions/brl
zsh_completion=share/zsh/site-functions/_brl
fish_completion=share/fish/vendor_completions.d/brl.fish
for file in "$bash_completion" "$zsh_completion" "$fish_completion"; do
  put 644 "$src/$file" "$prefix/$file"
done
for file in README.md LICENSE THIRD_PARTY_NOTICES; do
  put 644 "$src/$file" "$prefix/share/doc/brl/$file"
done

pages=$(cd "$src/share/man/man1" && echo *.1)
cat <<EOF
Installed $("$prefix/bin/brl" --version) in $prefix:
  $prefix/bin/brl
  $prefix/share/man/man1/   ($pages)
  $prefix/$bash_completion
  $prefix/$zsh_completion
  $prefix/$fish_completion
  $prefix/share/doc/brl/    (README.md, LICENSE, THIRD_PARTY_NOTICES)
EOF
case ":$PATH:" in
  *":$prefix/bin:"*) echo "$prefix/bin is on your PATH: run brl --help, man brl." ;;
  *)
    cat <<EOF

$prefix/bin is not on your PATH. Add it (and then open a new shell):
  bash: echo 'export PATH="$prefix/bin:\$PATH"' >> ~/.bashrc
  zsh:  echo 'export PATH="$prefix/bin:\$PATH"' >> ~/.zshrc
  fish: fish_add_path $prefix/bin
With $prefix/bin on PATH, man finds the pages as well (man brl, man brl-verify).
EOF
    ;;
esac
cat <<EOF

Completions:
  bash: found by itself under ~/.local (with the bash-completion package); else add to ~/.bashrc
        source $prefix/$bash_completion
  zsh:  add to ~/.zshrc, before compinit: fpath=($prefix/share/zsh/site-functions \$fpath)
  fish: found by itself under ~/.local and /usr/local; else copy it to ~/.config/fish/completions/
EOF
