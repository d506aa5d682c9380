# Moves every literal setting description in package.json into package.nls.json as config.<name>
# (and enum descriptions as config.<name>.<value>), replacing it with %key%. Run from the repo root
# when nobody else is editing package.json; then translate any key the script reports as new.
import json, re
pkg_text = open('package.json').read()
pkg = json.loads(pkg_text)
nls = json.load(open('package.nls.json'))
zh = json.load(open('package.nls.zh-cn.json'))
changed, untranslated = [], []
for name, prop in pkg['contributes']['configuration']['properties'].items():
    base = 'config.' + name[len('infill.'):]
    pairs = []
    for field in ('markdownDescription', 'description'):
        if isinstance(prop.get(field), str) and not prop[field].startswith('%'):
            pairs.append((prop[field], base))
    for field in ('enumDescriptions', 'markdownEnumDescriptions'):
        for value, text in zip(prop.get('enum', []), prop.get(field, [])):
            if not text.startswith('%'):
                pairs.append((text, f'{base}.{value}'))
    for text, key in pairs:
        literal = json.dumps(text, ensure_ascii=False)
        if pkg_text.count(literal) != 1:
            print('skipped (not unique):', key); continue
        if nls.get(key) != text and key in zh:
            untranslated.append(key)  # English changed since the translation was written
        nls[key] = text
        if key not in zh:
            untranslated.append(key)
        pkg_text = pkg_text.replace(literal, json.dumps('%' + key + '%'))
        changed.append(key)
json.loads(pkg_text)
open('package.json', 'w').write(pkg_text)
open('package.nls.json', 'w').write(json.dumps(nls, ensure_ascii=False, indent=2) + '\n')
print('moved', len(changed), 'descriptions; translate or re-check in package.nls.zh-cn.json:', untranslated)
