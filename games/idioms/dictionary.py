"""The idiom dictionary the games check against: four-character idioms indexed by character, first character,
first sound, and by "slot" (the idiom with one position blank) for "does this character complete an idiom?".
"""
from __future__ import annotations

import threading
from collections import defaultdict
from typing import Iterable

from games.idioms.pinyin import toneless
from games.idioms.records import Idiom, han_count, record_problems, to_idiom

BLANK = "□"


class IdiomDictionary:
    def __init__(self, idioms: Iterable[Idiom], unplayable: Iterable[str] = ()):
        """unplayable: real four-character idioms whose records are unusable (garbled pinyin): never asked or
        played, but still counted when checking that a distractor completes no real idiom."""
        self.unplayable = frozenset(unplayable)
        self.words: dict[str, Idiom] = {}
        for idiom in idioms:
            self.words[idiom.word] = idiom  # later entries win (a children's list corrects upstream pinyin)
        self.by_first: dict[str, list[str]] = defaultdict(list)
        self.by_first_sound: dict[str, list[str]] = defaultdict(list)
        self.by_char: dict[str, set[str]] = defaultdict(set)
        self._slots: dict[str, set[str]] = defaultdict(set)
        for word, idiom in self.words.items():
            self.by_first[word[0]].append(word)
            self.by_first_sound[toneless(idiom.pinyin[0])].append(word)
            for position, char in enumerate(word):
                self.by_char[char].add(word)
                self._slots[slot(word, position)].add(char)
        for word in self.unplayable - self.words.keys():
            for position, char in enumerate(word):
                self._slots[slot(word, position)].add(char)

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def is_real(self, word: str) -> bool:
        """A real idiom, playable or not."""
        return word in self.words or word in self.unplayable

    def __len__(self) -> int:
        return len(self.words)

    def get(self, word: str) -> Idiom | None:
        return self.words.get(word)

    def completions(self, word: str, position: int) -> set[str]:
        """Every character that, put at `position` of `word`, makes a real idiom (the answer among them)."""
        return self._slots.get(slot(word, position), set())

    def starting_with(self, char: str) -> list[str]:
        return self.by_first.get(char, [])

    def starting_with_sound(self, sound: str) -> list[str]:
        """Idioms whose first syllable is `sound` (toneless, e.g. "jing")."""
        return self.by_first_sound.get(toneless(sound), [])

    def containing(self, char: str) -> set[str]:
        return self.by_char.get(char, set())

    def merged(self, idioms: Iterable[Idiom]) -> "IdiomDictionary":
        """A new dictionary with `idioms` added (and preferred where the same word exists)."""
        return IdiomDictionary([*self.words.values(), *idioms], self.unplayable)

    @classmethod
    def from_records(cls, records: list) -> "IdiomDictionary":
        """Keep the usable four-character records; the rest (long sayings, garbled pinyin) are left out."""
        usable, unplayable = [], []
        for record in records:
            if not record_problems(record, four_only=True):
                usable.append(to_idiom(record))
            elif isinstance(record, dict) and isinstance(record.get("word"), str) \
                    and len(record["word"].strip()) == 4 and han_count(record["word"]) == 4:
                unplayable.append(record["word"].strip())
        return cls(usable, unplayable)


def slot(word: str, position: int) -> str:
    return word[:position] + BLANK + word[position + 1:]


def idioms_from_package(package, field: str = "idioms") -> list[Idiom]:
    """The usable idioms of the JSON file a package's [content].<field> names."""
    records = package.source.read_json(package.manifest.content[field])
    return [to_idiom(r) for r in records if not record_problems(r, four_only=True)]


_cache: dict[tuple, IdiomDictionary] = {}
_merged_cache: dict[tuple, IdiomDictionary] = {}
_cache_lock = threading.Lock()


def load_dictionary(package) -> IdiomDictionary:
    """The dictionary of an idiom-dictionary package, loaded once per process per package version and file."""
    name = package.manifest.content["idioms"]
    key = (str(package.path), package.version, name, package.source.size(name))
    with _cache_lock:
        if key not in _cache:
            _cache[key] = IdiomDictionary.from_records(package.source.read_json(name))
        return _cache[key]


def dictionary_for(package, catalog) -> IdiomDictionary:
    """The full dictionary a game package names in [content].dictionary, plus the package's own idioms.

    Raises LookupError with a clear message when the dictionary package is not installed.
    """
    wanted = package.manifest.content.get("dictionary", "")
    dictionary_package = catalog.get(wanted) if catalog is not None else None
    if dictionary_package is None:
        raise LookupError(f"{package.id}: 需要成语词典 {wanted}，但它没有安装 / requires the idiom dictionary "
                          f"{wanted}, which is not installed")
    dictionary = load_dictionary(dictionary_package)
    if "idioms" not in package.manifest.content:
        return dictionary
    key = (id(dictionary), str(package.path), package.version, package.source.size(package.manifest.content["idioms"]))
    with _cache_lock:
        merged = _merged_cache.get(key)
    if merged is None:  # "play again" and the next child reuse it: merging rebuilds every index
        merged = dictionary.merged(idioms_from_package(package))
        with _cache_lock:
            _merged_cache[key] = merged
    return merged
