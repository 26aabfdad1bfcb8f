"""Fix French typography in content YAML files in place: python tools/fix_typography.py FILE..."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from deployer.french import fix_typography  # noqa: E402

for name in sys.argv[1:]:
    path = Path(name)
    text = path.read_text(encoding="utf-8")
    fixed = "\n".join(
        line if line.lstrip().startswith("#") else fix_typography(line) for line in text.split("\n")
    )
    if fixed != text:
        path.write_text(fixed, encoding="utf-8")
        print(f"corrigé : {name}")
