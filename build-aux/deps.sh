#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs, with apt-get, the Debian 12 packages that building (`deps.sh build`) or building and
# testing (`deps.sh test`) DRS Monitor needs. Installs only what is missing; safe to run again.
set -euo pipefail

build_pkgs=(
  meson ninja-build pkg-config gcc gettext python3
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libsecret-1-dev libsqlite3-dev libportal-gtk4-dev glib-networking desktop-file-utils appstream
  adwaita-icon-theme librsvg2-common fonts-cantarell fonts-noto-cjk locales
)
test_pkgs=(
  xvfb xauth dbus dbus-x11 gnome-keyring x11-utils imagemagick valgrind openssl curl
  clang libclang-rt-14-dev
  wrk
  prometheus prometheus-alertmanager python3-yaml
  flatpak flatpak-builder debootstrap ostree elfutils bubblewrap
)

pkgs=("${build_pkgs[@]}")
if [ "${1:-build}" = test ]; then
  pkgs+=("${test_pkgs[@]}")
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
fi

# The two languages the app speaks need their UTF-8 locales for gettext.
need_gen=0
for loc in en_US.UTF-8 zh_CN.UTF-8; do
  norm=$(echo "$loc" | tr 'A-Z' 'a-z' | sed 's/-//g')
  if ! locale -a 2>/dev/null | tr 'A-Z' 'a-z' | grep -qx "$norm"; then
    need_gen=1
    "${sudo_cmd[@]}" sed -i "s/^# *\(${loc} UTF-8\)/\1/" /etc/locale.gen
    grep -q "^${loc} UTF-8" /etc/locale.gen ||
      echo "${loc} UTF-8" | "${sudo_cmd[@]}" tee -a /etc/locale.gen >/dev/null
  fi
done
if [ $need_gen -eq 1 ]; then
  "${sudo_cmd[@]}" locale-gen >/dev/null
fi
