#!/usr/bin/env bash
# Builds the release archive of brl for this machine's Linux architecture:
#
#   dist/brl-VERSION-linux-ARCH.tar.gz         one folder brl-VERSION-linux-ARCH/ holding
#       bin/brl                                 release build, Swift runtime linked statically, stripped
#       share/man/man1/brl.1, brl-loss.1, …     man pages generated from the commands themselves
#       share/bash-completion/completions/brl   completions (brl --generate-completion-script …)
#       share/zsh/site-functions/_brl
#       share/fish/vendor_completions.d/brl.fish
#       README.md LICENSE THIRD_PARTY_NOTICES   the manual, brl's licence, the bundled code's licences
#   dist/brl-VERSION-linux-ARCH.tar.gz.sha256  its checksum, for `sha256sum -c`
#
# Usage: scripts/release.sh          (from anywhere; needs Swift 6.1+, git, zlib and sqlite3 headers)
#
# The binary needs only libc, libm, libstdc++, libgcc_s, libz and libsqlite3 at run time. The
# archive is reproducible in one checkout: sorted names, every mtime the commit's date, owner 0,
# `gzip -n`; two runs on one commit write the same bytes. The checkout's path is mapped to `.` in
# the binary, but builds of one commit in two folders still differ in a few KB of bin/brl.
# Progress goes to stderr, the archive's path to stdout. On failure nothing is left in dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

say() { printf 'release: %s\n' "$*" >&2; }
fail() { printf 'release: error: %s\n' "$*" >&2; exit 1; }

version=$(sed -n 's/^  static let string = "\(.*\)"$/\1/p' Sources/brl/Support/BRLVersion.swift)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "no version in Sources/brl/Support/BRLVersion.swift"
[[ $(uname -s) == Linux ]] || fail "release archives are built on Linux (this is $(uname -s))"
arch=$(uname -m)
name=brl-$version-linux-$arch

# Every timestamp in the archive (and the man pages' date) is the commit's, so rebuilding the
# same commit in the same checkout gives the same archive. SOURCE_DATE_EPOCH overrides it, as usual.
if [[ -z ${SOURCE_DATE_EPOCH:-} ]]; then
  SOURCE_DATE_EPOCH=$(git -c safe.directory='*' log -1 --format=%ct 2>/dev/null) ||
    fail "not a git checkout: set SOURCE_DATE_EPOCH"
fi
export SOURCE_DATE_EPOCH
date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
if [[ -n $(git -c safe.directory='*' status --porcelain --untracked-files=no 2>/dev/null) ]]; then
  say "warning: uncommitted changes; the binary will say so in --version (-dirty)"
fi

# --- Build -------------------------------------------------------------------------------------
# -file-prefix-map: the checkout's path (in #file strings of the dependencies) becomes `.`, so the
# binary does not depend on where the checkout is.
build_flags=(-c release --static-swift-stdlib -Xswiftc -file-prefix-map -Xswiftc "$root=.")
say "building brl $version (release, static Swift runtime); a clean build takes minutes"
start=$SECONDS
swift build "${build_flags[@]}" --product brl >&2
bin_dir=$(swift build "${build_flags[@]}" --show-bin-path)
say "built in $((SECONDS - start)) s"

staging=$(mktemp -d "${TMPDIR:-/tmp}/brl-release.XXXXXX")
trap 'rm -rf "$staging"' EXIT
top=$staging/$name
mkdir -p "$top/bin" "$top/share/man/man1" "$top/share/bash-completion/completions" \
  "$top/share/zsh/site-functions" "$top/share/fish/vendor_completions.d"

strip=$(command -v strip || command -v llvm-strip) || fail "no strip (binutils) on PATH"
"$strip" --strip-all -o "$top/bin/brl" "$bin_dir/brl"
chmod 755 "$top/bin/brl"
brl=$top/bin/brl

if ldd "$brl" | grep -E -i 'swift|foundation|dispatch|icu|BlocksRuntime' >&2; then
  fail "bin/brl links the Swift runtime dynamically (above)"
fi
"$brl" --version >&2

# --- Man pages: swift-argument-parser's generate-manual, run on the binary being shipped -------
# The generator is the tool behind the package's `generate-manual` plugin. The plugin would build
# the whole package a second time and run the tool on that build; here the tool is built once
# from the resolved swift-argument-parser checkout (a small package with no dependencies) and
# reads the help of bin/brl itself, so the pages and `brl help` cannot disagree.
checkouts=.build/checkouts
parser=$checkouts/swift-argument-parser
[[ -d $parser/Tools/generate-manual ]] ||
  fail "no $parser/Tools/generate-manual (swift-argument-parser's checkout)"
say "building generate-manual from $parser"
manual_flags=(--package-path "$parser" --scratch-path "$root/.build/generate-manual")
swift build "${manual_flags[@]}" --product generate-manual >&2
generator=$(swift build "${manual_flags[@]}" --show-bin-path)/generate-manual
# The generator drops every character that is not ASCII (δ, −, ² would vanish from the pages),
# so it reads the help through a wrapper that spells them @UXXXX@, and the pages get groff's
# \[uXXXX] for them afterwards.
ascii_brl=$staging/brl-ascii-help
cat > "$ascii_brl" << WRAPPER
#!/bin/sh
"$brl" "\$@" | perl -CS -pe 's/([^\\x00-\\x7F])/sprintf("\\@U%04X\\@", ord(\$1))/ge'
WRAPPER
chmod 755 "$ascii_brl"
pages=$staging/pages
mkdir "$pages"
"$generator" "$ascii_brl" --multi-page --date "$date" --output-directory "$pages" >&2
# The generator names a subcommand's page brl.verify.1; the usual name is brl-verify.1 (as
# git-commit.1), which `man brl-verify` finds. The implicit `help` command gets no page. An
# empty line is a paragraph break (.Pp) in mdoc.
for page in "$pages"/*.1; do
  file=${page##*/}
  [[ $file == brl.help.1 ]] && continue
  sed -E '/^\.(Dt|Xr) /{s/\./-/g;s/^-/./}; /^\.Xr brl-help 1/d; s/^$/.Pp/' "$page" |
    sed -E 's/@U([0-9A-F]{4,6})@/\\[u\1]/g' > "$top/share/man/man1/${file%.1}" || fail "$file"
  mv "$top/share/man/man1/${file%.1}" "$top/share/man/man1/$(tr . - <<< "${file%.1}").1"
done
[[ -f $top/share/man/man1/brl.1 && -f $top/share/man/man1/brl-verify.1 ]] ||
  fail "generate-manual wrote no brl.1 or brl.verify.1"

# --- Completions, documents, notices -----------------------------------------------------------
"$brl" --generate-completion-script bash > "$top/share/bash-completion/completions/brl"
"$brl" --generate-completion-script zsh > "$top/share/zsh/site-functions/_brl"
"$brl" --generate-completion-script fish > "$top/share/fish/vendor_completions.d/brl.fish"
cp README.md LICENSE "$top/"

# The licences of what bin/brl contains besides brl: the packages it links (from the checkouts
# SwiftPM resolved) and the Swift runtime linked statically, with ICU's data and code inside it.
license_of() {
  local file
  for file in "$1"/LICENSE "$1"/LICENSE.txt "$1"/LICENSE.md; do
    [[ -f $file ]] && { cat "$file"; return; }
  done
  fail "no LICENSE in $1"
}
toolchain_license=$(dirname "$(readlink -f "$(command -v swift)")")/../share/swift/LICENSE.txt
[[ -f $toolchain_license ]] || fail "no $toolchain_license in the Swift toolchain"
{
  cat <<EOF
brl $version is MIT-licensed (LICENSE). bin/brl also contains the code below, linked
statically, each under its own licence, reproduced in full after the list.

- swift-argument-parser (Apple Inc. and the Swift project authors): Apache License 2.0 with
  Runtime Library Exception. https://github.com/apple/swift-argument-parser
- GRDB.swift (Gwendal Roué): MIT License. https://github.com/groue/GRDB.swift
- ZIPFoundation (Thomas Zoechling): MIT License. https://github.com/weichsel/ZIPFoundation
- swift-numerics (Apple Inc. and the Swift Numerics project authors): Apache License 2.0 with
  Runtime Library Exception. https://github.com/apple/swift-numerics
- The Swift runtime: the standard library, Foundation (swift-foundation and
  swift-corelibs-foundation), Dispatch and swift-foundation-icu (Apple Inc. and the Swift
  project authors): Apache License 2.0 with Runtime Library Exception. https://swift.org
- ICU, inside swift-foundation-icu (Unicode, Inc. and others): Unicode License V3.
  https://github.com/unicode-org/icu

It links dynamically to the system's libc, libm, libstdc++, libgcc_s, zlib and SQLite, which
are not part of this archive.
EOF
  for package in swift-argument-parser GRDB.swift ZIPFoundation swift-numerics; do
    dir=$checkouts/$package
    [[ -d $dir ]] || fail "no checkout of $package in $checkouts"
    printf '\n\n==== %s ====\n\n' "$package"
    license_of "$dir"
  done
  printf '\n\n==== The Swift runtime (standard library, Foundation, Dispatch, swift-foundation-icu) ====\n\n'
  cat "$toolchain_license"
  printf '\n\n==== ICU ====\n\n'
  cat scripts/notices/unicode-license-v3.txt
} > "$top/THIRD_PARTY_NOTICES"

# --- Archive -----------------------------------------------------------------------------------
find "$top" -type d -exec chmod 755 {} +
find "$top" -type f ! -path "$top/bin/brl" -exec chmod 644 {} +
mkdir -p dist
archive=dist/$name.tar.gz
tar -C "$staging" --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  --format=gnu -cf - "$name" | gzip -n -9 > "$staging/$name.tar.gz"
(cd "$staging" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")

size=$(stat -c %s "$staging/$name.tar.gz")
((size <= 40 * 1024 * 1024)) || fail "the archive is $size bytes, over the 40 MB limit"
mv -f "$staging/$name.tar.gz" "$archive"
mv -f "$staging/$name.tar.gz.sha256" "$archive.sha256"
say "wrote $archive ($((size / 1024)) KiB) and $archive.sha256: $(cut -d' ' -f1 "$archive.sha256")"
echo "$archive"
