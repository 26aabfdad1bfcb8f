"""Rules of the wording of the catalogue and the shortlist (benchmark.yaml › libelles):
every label the code looks up exists, and every text has exactly the placeholders it is given."""

from __future__ import annotations

from string import Formatter
from typing import TYPE_CHECKING

from deployer.schema.vendor_wording import REQUIRED_LABELS, VendorWording, WordingTexts
from deployer.schema.yaml_files import Problem

if TYPE_CHECKING:
    from deployer.schema.content import Content

FILE = "benchmark.yaml"
SECTION = "libelles"


def wording_problems(content: Content) -> list[Problem]:
    """Missing or unknown labels, and broken or unexpected placeholders."""
    wording = content.vendor_wording
    if wording is None:  # invalid or without a « libelles » section: the loader has said why
        if content.vendors and not (content.root / FILE).exists():
            return [Problem(FILE, "", "fichier introuvable : il porte les libellés du catalogue des prestataires "
                            "(section « libelles »)")]
        return []
    problems = [Problem(FILE, f"{SECTION} › {group}", message) for group, message in _label_problems(wording)]
    for group in ("raisons", "lacunes", "notes"):
        texts: WordingTexts = getattr(wording, group)
        for key in type(texts).model_fields:
            expected = texts.PLACEHOLDERS.get(key, ())
            problems += [Problem(FILE, f"{SECTION} › {group} › {key}", message)
                         for message in placeholder_problems(getattr(texts, key), expected)]
    return problems


def _label_problems(wording: VendorWording) -> list[tuple[str, str]]:
    problems = []
    for group, codes in REQUIRED_LABELS.items():
        labels: dict[str, str] = getattr(wording, group)
        problems += [(group, f"libellé manquant pour « {code} »") for code in codes if code not in labels]
        problems += [(group, f"code inconnu « {code} » ; codes permis : {', '.join(codes)}")
                     for code in labels if code not in codes]
    return problems


def placeholder_problems(text: str, expected: tuple[str, ...]) -> list[str]:
    """What is wrong with the « {name} » placeholders of one text, in French (empty when all is well)."""
    allowed = ", ".join(f"{{{name}}}" for name in expected) or "aucune"
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in Formatter().parse(text)
                  if name is not None]
    except ValueError:
        return ["accolade « { » ou « } » seule : écrivez « {{ » ou « }} » pour une accolade, "
                f"ou un mot à remplacer entre accolades ; mots permis : {allowed}"]
    problems = [f"« {{{name}}} » n'est pas un mot à remplacer ici ; mots permis : {allowed}"
                for name, spec, conversion in fields if name not in expected or spec or conversion]
    used = {name for name, _, _ in fields}
    problems += [f"« {{{name}}} » manquant : le texte doit le contenir" for name in expected if name not in used]
    return problems
