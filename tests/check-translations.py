#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The catalogs are complete (issue 8).

Usage: check-translations.py SOURCE_ROOT [LANG ...]

Fails when
  (a) a file under src/ or data/ with marked strings is missing from po/POTFILES.in (or
      POTFILES.in names a file that does not exist),
  (b) a string of a freshly extracted template (xgettext as meson's 'glib' preset runs it) is
      untranslated or fuzzy in po/LANG.po once merged with that template,
  (c) msgfmt --check --check-format complains about po/LANG.po.
"""

import os
import re
import subprocess
import sys
import tempfile

PACKAGE = 'drs-monitor'

# meson's i18n module, PRESET_ARGS['glib'] (mesonbuild/modules/i18n.py); its gettext helper adds
# -k_ and runs xgettext in the source root with -f POTFILES.
GLIB_PRESET = [
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

# A marker with a string literal (xgettext extracts nothing from `_ (variable)`); the gettext
# functions may take a domain (a name or NULL) before it.
C_MARKS = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_)\s*\(\s*"|'
                     r'(?<![A-Za-z0-9_])(?:ngettext|g_dngettext|g_dpgettext2?|g_dcgettext)\s*\('
                     r'\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*,\s*)?"')
UI_MARKS = re.compile(r'translatable\s*=\s*"yes"')
SCHEMA_MARKS = re.compile(r'<(summary|description)>')
DESKTOP_MARKS = re.compile(r'^(Name|GenericName|Comment|Keywords)=', re.M)
METAINFO_MARKS = re.compile(r'<(name|summary|p|li|caption)>')

failures = []


def fail(message):
    failures.append(message)
    print('not ok: ' + message)


def has_marks(path, text):
    name = os.path.basename(path)
    if name.endswith(('.c', '.h')):
        return C_MARKS.search(text) is not None
    if name.endswith(('.ui', '.ui.in')):
        return UI_MARKS.search(text) is not None
    if '.gschema.xml' in name:
        return SCHEMA_MARKS.search(text) is not None
    if '.desktop' in name:
        return DESKTOP_MARKS.search(text) is not None
    if '.metainfo.xml' in name or '.appdata.xml' in name:
        return METAINFO_MARKS.search(text) is not None
    return False


def read_potfiles(root):
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        return [line.strip() for line in f
                if line.strip() and not line.lstrip().startswith('#')]


def check_potfiles(root):
    listed = read_potfiles(root)
    for path in listed:
        if not os.path.isfile(os.path.join(root, path)):
            fail('POTFILES.in lists %s, which does not exist' % path)
    if listed != sorted(listed):
        fail('POTFILES.in is not sorted')
    for top in ('src', 'data'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for filename in sorted(filenames):
                full = os.path.join(dirpath, filename)
                rel = os.path.relpath(full, root)
                try:
                    with open(full, encoding='utf-8') as f:
                        text = f.read()
                except (UnicodeDecodeError, OSError):
                    continue
                if has_marks(rel, text) and rel not in listed:
                    fail('%s has strings marked for translation but is not in po/POTFILES.in'
                         % rel)


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)


def parse_po(path):
    """Entries of a PO file as dicts: msgctxt, msgid, msgid_plural, msgstr (list), flags."""
    entries = []
    entry = None
    key = None

    def flush():
        if entry is not None and 'msgid' in entry:
            entries.append(entry)

    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.rstrip('\n')
            if line.startswith('#~'):
                continue
            if not line.strip():
                flush()
                entry, key = None, None
                continue
            if entry is None:
                entry = {'flags': set(), 'msgstr': {}}
            if line.startswith('#,'):
                entry['flags'].update(flag.strip() for flag in line[2:].split(','))
                continue
            if line.startswith('#'):
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$', line)
            if m:
                if m.group(1) == 'msgctxt' and 'msgid' in entry:
                    flush()
                    entry = {'flags': set(), 'msgstr': {}}
                if m.group(1).startswith('msgstr'):
                    key = ('msgstr', int(m.group(2) or 0))
                    entry['msgstr'][key[1]] = m.group(3)
                else:
                    key = (m.group(1), None)
                    entry[m.group(1)] = m.group(3)
                continue
            m = re.match(r'"(.*)"$', line)
            if m and key is not None:
                if key[0] == 'msgstr':
                    entry['msgstr'][key[1]] += m.group(1)
                else:
                    entry[key[0]] += m.group(1)
    flush()
    return entries


def check_language(root, lang, pot):
    po = os.path.join(root, 'po', lang + '.po')
    with tempfile.TemporaryDirectory() as tmp:
        merged = os.path.join(tmp, lang + '.po')
        result = run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot])
        if result.returncode != 0:
            fail('msgmerge %s: %s' % (lang, result.stderr.strip()))
            return
        untranslated = 0
        fuzzy = 0
        total = 0
        for entry in parse_po(merged):
            if entry['msgid'] == '' and 'msgctxt' not in entry:
                continue  # the header
            total += 1
            what = entry['msgid'] if 'msgctxt' not in entry else \
                '%s|%s' % (entry['msgctxt'], entry['msgid'])
            if 'fuzzy' in entry['flags']:
                fuzzy += 1
                fail('%s: fuzzy: "%s"' % (lang, what))
            elif not entry['msgstr'] or any(v == '' for v in entry['msgstr'].values()):
                untranslated += 1
                fail('%s: untranslated: "%s"' % (lang, what))
        print('# %s: %d strings, %d translated, %d fuzzy, %d untranslated'
              % (lang, total, total - fuzzy - untranslated, fuzzy, untranslated))
        if total == 0:
            fail('the template is empty')

    result = run(['msgfmt', '--check', '--check-format', '-o', os.devnull, po])
    if result.returncode != 0 or result.stderr.strip():
        fail('msgfmt --check --check-format %s.po: %s' % (lang, result.stderr.strip()))


def extract_template(root, tmp):
    potfiles = os.path.join(tmp, 'POTFILES')
    with open(potfiles, 'w', encoding='utf-8') as f:
        for path in read_potfiles(root):
            if os.path.isfile(os.path.join(root, path)):
                f.write(path + '\n')
    pot = os.path.join(tmp, PACKAGE + '.pot')
    result = run(['xgettext', '--package-name=' + PACKAGE, '-p', tmp, '-f', potfiles,
                  '-D', root, '-k_', '-o', PACKAGE + '.pot'] + GLIB_PRESET)
    if result.returncode != 0 or not os.path.isfile(pot):
        fail('xgettext: %s' % result.stderr.strip())
        return None
    return pot


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])
    languages = sys.argv[2:]
    if not languages:
        with open(os.path.join(root, 'po', 'LINGUAS'), encoding='utf-8') as f:
            languages = [w for line in f if not line.startswith('#') for w in line.split()]

    check_potfiles(root)
    with tempfile.TemporaryDirectory() as tmp:
        pot = extract_template(root, tmp)
        if pot is not None:
            for lang in languages:
                check_language(root, lang, pot)

    if failures:
        print('%d problem(s) with the translations' % len(failures))
        return 1
    print('ok: POTFILES.in complete, %s fully translated, msgfmt --check clean'
          % ', '.join(languages))
    return 0


if __name__ == '__main__':
    sys.exit(main())
