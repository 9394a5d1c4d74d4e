"""Pure transforms from the shared data to the bundled packages' records (idioms, poems, pinyin conventions).

Used by scripts/build_content.py; nothing here touches the disk but reading the reviewed table beside it.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

TILDE = "～"  # the upstream dictionary writes the headword as ～ inside its examples

# In five upstream records the scrape turned 韩 into ～ (韩子卢, 韩信, 韩翃): checked against the quoted texts.
TILDE_MEANS_HAN = {
    ("韩卢逐逡", "derivation"),
    ("韩信将兵，多多益善", "derivation"),
    ("犬兔俱毙", "derivation"),
    ("羞与哙伍", "explanation"),
    ("章台杨柳", "derivation"),
}
TEXT_FIELDS = ("explanation", "derivation", "example")

# 一 and 不 are written in their citation tones (本调) everywhere, as the upstream dictionary, the children's
# subset and almost all of the reviewed primary-school pinyin do; readers apply the sandhi when speaking.
CITATION_TONES = {"一": {"yí": "yī", "yì": "yī"}, "不": {"bú": "bù"}}

# Characters pypinyin had no reading for (outside its tables), so their syllable was left empty upstream.
MISSING_READINGS = {"𫛸": "tí"}  # 𫛸鴂 = 鶗鴂 tí jué, a cuckoo (柳梢青, 蔡伸)

_HAN_RANGES = (
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF), (0x2A700, 0x2EBEF),
    (0x2F800, 0x2FA1F), (0x30000, 0x323AF),
)


def is_han(char: str) -> bool:
    """A Chinese character (CJK unified or compatibility ideograph, any extension block)."""
    code = ord(char)
    return any(low <= code <= high for low, high in _HAN_RANGES)


def expand_tilde(text: str, word: str, field: str) -> str:
    if TILDE not in text:
        return text
    return text.replace(TILDE, "韩" if (word, field) in TILDE_MEANS_HAN else word)


def citation_tone(char: str, syllable: str) -> str:
    return CITATION_TONES.get(char, {}).get(syllable, syllable)


# Look-alike characters in the upstream pinyin: IPA ɡ (U+0261) for g, ideographic spaces between syllables.
PINYIN_LOOKALIKES = str.maketrans({"ɡ": "g", "\u3000": " "})


# Upstream dictionary readings known wrong, fixed by word (the children's subset is reviewed already); the cases
# are in tests/data/pinyin_cases.toml. 裳 is cháng (a skirt) in classical Chinese; shang only in 衣裳.
# idiom_pinyin_review.toml beside this script: the reviewed readings of every record whose upstream pinyin had
# syllables without a tone mark ([fixed]), and those whose neutral tones were reviewed as right ([neutral]).
PINYIN_REVIEW = tomllib.loads(
    (Path(__file__).resolve().parent / "idiom_pinyin_review.toml").read_text(encoding="utf-8"))
IDIOM_PINYIN = {
    "水佩风裳": "shuǐ pèi fēng cháng",
    "颠衣到裳": "diān yī dào cháng",
    **PINYIN_REVIEW["fixed"],
}


def normalise_idiom_pinyin(word: str, pinyin: str) -> str:
    """Plain g and spaces; the 一/不 convention when the syllables line up with the characters (else left alone)."""
    pinyin = pinyin.translate(PINYIN_LOOKALIKES)
    syllables = pinyin.split(" ")
    chars = [c for c in word if is_han(c)]
    if len(syllables) != len(chars):
        return pinyin
    return " ".join(citation_tone(c, s) for c, s in zip(chars, syllables))


def dictionary_records(upstream: list[dict], corrected_pinyin: dict[str, str]) -> list[dict]:
    """The full dictionary in upstream order: no abbreviation, ～ expanded, reviewed pinyin where we have it."""
    records = []
    for entry in upstream:
        word = entry["word"]
        record = {"word": word, "pinyin": IDIOM_PINYIN.get(word, corrected_pinyin.get(word, entry["pinyin"]))}
        for field in TEXT_FIELDS:
            record[field] = expand_tilde(entry[field], word, field)
        record["pinyin"] = normalise_idiom_pinyin(word, record["pinyin"])
        records.append(record)
    return records


def children_records(subset: list[dict]) -> list[dict]:
    """The 500 children's idioms, most frequent first, with their corrected pinyin and a `classic` flag."""
    records = []
    for entry in sorted(subset, key=lambda e: e["freq_rank"]):
        word = entry["word"]
        record = {
            "word": word,
            "pinyin": normalise_idiom_pinyin(word, entry["pinyin"]),
            "example_source": entry["example_source"],
            "freq_rank": entry["freq_rank"],
            "classic": entry["pick"] == "classic",
        }
        for field in TEXT_FIELDS:
            record[field] = expand_tilde(entry[field], word, field)
        records.append(record)
    return records


# Context errors of pypinyin in the automatic (not reviewed) poem pinyin, fixed by phrase: (phrase, index of the
# character in the phrase, reading). Each was checked against every occurrence of its character in those poems.
PHRASE_READINGS: tuple[tuple[str, int, str], ...] = (
    # 长 long / always, not 长大
    ("长薄", 0, "cháng"), ("长不达", 0, "cháng"), ("长在", 0, "cháng"), ("长愿", 0, "cháng"),
    ("长别离", 0, "cháng"), ("溪长", 1, "cháng"), ("长堪", 0, "cháng"), ("长簟", 0, "cháng"),
    ("长藿", 0, "cháng"), ("梦长", 1, "cháng"), ("山长", 1, "cháng"), ("字长", 1, "cháng"),
    # 重 again / layers (but 帆来重, 露重, 花影重 are heavy)
    ("重来", 0, "chóng"), ("百重", 1, "chóng"), ("几重", 1, "chóng"), ("千重", 1, "chóng"),
    ("重把", 0, "chóng"), ("重相见", 0, "chóng"), ("重帏", 0, "chóng"), ("重阳", 0, "chóng"),
    # 朝 morning
    ("明朝", 1, "zhāo"), ("朝朝", 0, "zhāo"), ("朝朝", 1, "zhāo"), ("朝槿", 0, "zhāo"),
    # 还 return
    ("无还期", 1, "huán"), ("相与还", 2, "huán"), ("北还", 1, "huán"), ("还掩", 0, "huán"),
    ("醉还", 1, "huán"), ("还寝", 0, "huán"), ("棹还", 1, "huán"),
    # 教 let, make
    ("莫教", 1, "jiāo"), ("悔教", 1, "jiāo"), ("教吹", 0, "jiāo"), ("教妾", 0, "jiāo"), ("谁教", 1, "jiāo"),
    # 行 rows; 月同行 goes along
    ("两行", 1, "háng"), ("几行", 1, "háng"), ("数行", 1, "háng"), ("月同行", 2, "xíng"),
    # 为 be, act as
    ("一为别", 1, "wéi"), ("若为容", 1, "wéi"), ("为客", 0, "wéi"), ("何为者", 1, "wéi"),
    ("少孤", 0, "shào"), ("更点", 0, "gēng"), ("征南将", 2, "jiàng"), ("多难", 1, "nàn"), ("时难年", 1, "nàn"),
    ("梦数", 1, "shuò"), ("数问", 0, "shuò"), ("历历数", 2, "shǔ"), ("数花朵", 0, "shǔ"), ("相如", 0, "xiàng"),
    ("中圣", 0, "zhòng"), ("颇好道", 1, "hào"), ("唯好静", 1, "hào"), ("荷笠", 0, "hè"), ("谁省", 1, "xǐng"),
    ("无人省", 2, "xǐng"), ("官舍", 1, "shè"), ("太华", 1, "huà"), ("自有分", 2, "fèn"), ("声咽", 1, "yè"),
    ("虬咽", 1, "yè"), ("兴来", 0, "xìng"), ("归兴", 1, "xìng"), ("夜泊", 1, "bó"), ("羁泊", 1, "bó"),
    ("长薄", 1, "bó"), ("薄宦", 0, "bó"), ("薄俗", 0, "bó"), ("曲和", 1, "hè"), ("探看", 1, "kān"),
)


def _fix_line(line: str, syllables: list[str], reviewed: bool) -> list[str]:
    fixed = list(syllables)
    for i, char in enumerate(line):
        if is_han(char) and not fixed[i]:
            fixed[i] = MISSING_READINGS.get(char, "")
        fixed[i] = citation_tone(char, fixed[i])
    if not reviewed:
        for phrase, index, reading in PHRASE_READINGS:
            start = line.find(phrase)
            while start >= 0:
                fixed[start + index] = reading
                start = line.find(phrase, start + 1)
    return fixed


def poem_records(recital: list[dict], primary: list[dict]) -> list[dict]:
    """The 300 recital poems in the booth's order; the primary-school poems keep their reviewed pinyin."""
    reviewed = {poem["id"]: poem for poem in primary}
    records = []
    for poem in recital:
        source = reviewed.get(poem["id"], poem)
        pinyin = [
            _fix_line(line, syllables, poem["id"] in reviewed)
            for line, syllables in zip(source["paragraphs"], source["pinyin"], strict=True)
        ]
        records.append({
            "id": poem["id"],
            "title": source["title"],
            "author": source["author"],
            "dynasty": source["dynasty"],
            "grade": source.get("grade"),
            "collection": poem["collection"],
            "paragraphs": source["paragraphs"],
            "pinyin": pinyin,
            "text_check": source["text_check"],
        })
    return records


def alignment_problems(poem: dict) -> list[str]:
    """Every place where a poem's pinyin does not line up with its characters (empty when all is well)."""
    problems = []
    if len(poem["paragraphs"]) != len(poem["pinyin"]):
        return [f"{poem['id']}: {len(poem['paragraphs'])} lines but {len(poem['pinyin'])} pinyin lines"]
    for number, (line, syllables) in enumerate(zip(poem["paragraphs"], poem["pinyin"]), start=1):
        if len(line) != len(syllables):
            problems.append(f"{poem['id']} line {number}: {len(line)} characters, {len(syllables)} syllables")
            continue
        for char, syllable in zip(line, syllables):
            if is_han(char) != bool(syllable):
                problems.append(f"{poem['id']} line {number}: {char!r} has syllable {syllable!r}")
    return problems
