#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that the built data files agree with each other and with the application id.

Usage: check-data.py APP_ID DESKTOP METAINFO SERVICE SCREENSHOT_DIR ICON...

- the desktop file: Icon= is the app id, DBusActivatable=true, StartupNotify=true, Exec= runs
  drs-monitor, and the file is named after the app id (D-Bus activation needs that);
- the metainfo: <id> and <launchable> name the app id and its desktop file, and every screenshot
  URL points at a PNG in data/screenshots/ whose real size is the one written down;
- the D-Bus service file names the app id and runs drs-monitor --gapplication-service;
- the icons are SVG files whose root is <svg> (the symbolic one 16×16).
"""

import configparser
import os
import struct
import sys
import xml.etree.ElementTree as ET

SCREENSHOT_URL = "https://raw.githubusercontent.com/drsmonitor/drs-monitor/main/data/screenshots/"

failures = []


def check(cond, message):
    if not cond:
        failures.append(message)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def main():
    app_id, desktop, metainfo, service, shots = sys.argv[1:6]
    icons = sys.argv[6:]

    check(os.path.basename(desktop) == app_id + ".desktop",
          f"the desktop file must be named {app_id}.desktop")
    entry = configparser.RawConfigParser(strict=False, interpolation=None)
    entry.optionxform = str
    entry.read(desktop, encoding="utf-8")
    d = entry["Desktop Entry"]
    check(d.get("Icon") == app_id, f"desktop Icon= is {d.get('Icon')}, not {app_id}")
    check(d.get("DBusActivatable") == "true", "desktop file: DBusActivatable=true missing")
    check(d.get("StartupNotify") == "true", "desktop file: StartupNotify=true missing")
    check(d.get("Exec", "").split()[0].endswith("drs-monitor"), "desktop Exec= must run drs-monitor")
    check(d.get("Keywords", "").endswith(";"), "desktop Keywords= must end with ;")

    root = ET.parse(metainfo).getroot()
    check(root.findtext("id") == app_id, f"metainfo <id> is {root.findtext('id')}, not {app_id}")
    launchable = root.find("launchable")
    check(launchable is not None and launchable.text == app_id + ".desktop",
          "metainfo <launchable> must name the desktop file")
    check(root.find("content_rating") is not None, "metainfo: no <content_rating>")
    check(root.find("releases/release") is not None, "metainfo: no release")
    check(root.find("translation[@type='gettext']") is not None, "metainfo: no <translation>")
    screenshots = root.findall("screenshots/screenshot")
    check(len(screenshots) >= 2, "metainfo: fewer than two screenshots")
    for shot in screenshots:
        check(shot.findtext("caption"), "metainfo: a screenshot without a caption")
        image = shot.find("image")
        url = image.text.strip()
        check(url.startswith(SCREENSHOT_URL), f"screenshot URL {url} is not under {SCREENSHOT_URL}")
        path = os.path.join(shots, url[len(SCREENSHOT_URL):])
        if not os.path.exists(path):
            check(False, f"screenshot {path} does not exist (build-aux/screenshots.sh makes it)")
            continue
        size = png_size(path)
        want = (int(image.get("width", 0)), int(image.get("height", 0)))
        check(size == want, f"{path} is {size}, the metainfo says {want}")

    svc = configparser.RawConfigParser(interpolation=None)
    svc.optionxform = str
    svc.read(service, encoding="utf-8")
    s = svc["D-BUS Service"]
    check(s.get("Name") == app_id, f"service Name= is {s.get('Name')}, not {app_id}")
    exec_ = s.get("Exec", "").split()
    check(len(exec_) == 2 and exec_[0].endswith("/drs-monitor") and
          exec_[1] == "--gapplication-service", f"service Exec= is {s.get('Exec')}")
    check(os.path.isabs(exec_[0]) if exec_ else False, "service Exec= needs an absolute path")

    for icon in icons:
        svg = ET.parse(icon).getroot()
        check(svg.tag == "{http://www.w3.org/2000/svg}svg", f"{icon} is not an SVG")
        if icon.endswith("-symbolic.svg"):
            check(svg.get("width") == "16" and svg.get("height") == "16", f"{icon} is not 16×16")

    for f in failures:
        print("FAIL:", f)
    if failures:
        sys.exit(1)
    print(f"ok: {app_id} desktop file, metainfo ({len(screenshots)} screenshots), "
          f"D-Bus service and {len(icons)} icons agree")


if __name__ == "__main__":
    main()
