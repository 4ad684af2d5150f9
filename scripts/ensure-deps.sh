#!/usr/bin/env bash
# Makes sure the system libraries prefect-secrets links against are installed:
# libpcre2-dev (PCRE2 with JIT) and libyaml-dev. As root it installs what is missing with
# apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

missing=()
pkg-config --exists libpcre2-8 2>/dev/null || missing+=(libpcre2-dev)
pkg-config --exists yaml-0.1 2>/dev/null || missing+=(libyaml-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)

if ((${#missing[@]} == 0)); then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-deps: installing ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
else
  echo "ensure-deps: missing system packages: ${missing[*]}" >&2
  echo "ensure-deps: install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "ensure-deps: the Swift toolchain (6.0 or newer) is not on PATH; see https://www.swift.org/install/linux/" >&2
  exit 1
fi
