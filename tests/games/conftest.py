"""Idiom packages built in tmp_path from the bundled ones in content/, for the games' tests."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from experiences.package import open_package
from tests.recording import RecordingReport

BUNDLED = Path(__file__).resolve().parents[2] / "content"
# Raw chinese-xinhua records, as upstream has them (their wrong pinyin not yet corrected): the test sample of
# ../shared/data (tests/data/shared-sample/README.md).
UPSTREAM_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "shared-sample" / "idioms" / "idiom.json"
DICTIONARY_ID = "org.yuedu.idioms.xinhua"


def write_package(root: Path, manifest: str, files: dict[str, object]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "experience.toml").write_text(manifest, encoding="utf-8")
    for name, data in files.items():
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        (root / name).write_text(text, encoding="utf-8")
    return root


def manifest(package_id: str, kind: str, content: str, requires: bool = True) -> str:
    text = f'''format = 1
id = "{package_id}"
version = "1.0.0"
kind = "{kind}"
engine = ">=0.1"
language = "zh-CN"
age_bands = ["6-8", "9-12"]

[title]
zh-CN = "测试"

[[credits]]
name = "chinese-xinhua (pwxcoo)"
role = "idiom data"
license = "MIT"
'''
    if requires:
        text += f'\n[[requires]]\nid = "{DICTIONARY_ID}"\nversion = ">=1.0"\n'
    return text + "\n[content]\n" + content


def full_dictionary_records() -> list[dict]:
    """The bundled chinese-xinhua dictionary (content/idioms-xinhua): every upstream record, as the kiosk has it."""
    return json.loads((BUNDLED / "idioms-xinhua" / "idioms.json").read_text(encoding="utf-8"))


def children_records() -> list[dict]:
    return json.loads((BUNDLED / "idioms-children" / "idioms.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def dictionary_records() -> list[dict]:
    return full_dictionary_records()


@pytest.fixture(scope="session")
def upstream_sample() -> list[dict]:
    return json.loads(UPSTREAM_SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def children() -> list[dict]:
    return children_records()


@pytest.fixture
def make_dictionary_package(tmp_path):
    def make(records: list[dict], name: str = "dict"):
        root = write_package(tmp_path / name, manifest(DICTIONARY_ID, "idiom-dictionary", 'idioms = "idioms.json"\n',
                                                       requires=False), {"idioms.json": records})
        return open_package(root)
    return make


@pytest.fixture
def make_lanterns_package(tmp_path):
    def make(records: list[dict], extra: str = "", requires: bool = True, name: str = "lanterns"):
        content = f'idioms = "idioms.json"\ndictionary = "{DICTIONARY_ID}"\n' + extra
        text = manifest("org.yuedu.idioms.children", "idiom-lanterns", content, requires)
        root = write_package(tmp_path / name, text, {"idioms.json": records})
        return open_package(root)
    return make


@pytest.fixture
def make_chain_package(tmp_path):
    def make(words: list, extra: str = "", requires: bool = True, name: str = "chain"):
        content = f'dictionary = "{DICTIONARY_ID}"\npreferred = "preferred.json"\n' + extra
        root = write_package(tmp_path / name, manifest("org.yuedu.idioms.chain", "idiom-chain", content, requires),
                             {"preferred.json": words})
        return open_package(root)
    return make


@pytest.fixture
def report() -> RecordingReport:
    return RecordingReport()


@pytest.fixture
def new_report():
    """More recording reports in one test."""
    return RecordingReport


@pytest.fixture(scope="session")
def kid_idioms(children):
    from games.idioms.records import to_idiom
    return [to_idiom(r) for r in children]


@pytest.fixture(scope="session")
def upstream_dictionary(installed):
    """The chinese-xinhua dictionary loaded as the games load it (cached: the experiences reuse this one)."""
    from games.idioms.dictionary import load_dictionary
    return load_dictionary(open_package(installed / "xinhua"))


@pytest.fixture(scope="session")
def full_dictionary(upstream_dictionary, kid_idioms):
    """The whole chinese-xinhua dictionary with the children's idioms merged in, as the games load it."""
    return upstream_dictionary.merged(kid_idioms)


@pytest.fixture(scope="session")
def real_words(dictionary_records, children) -> frozenset:
    """Every four-character word of the dictionary's records and the children's list, read without the games' code:
    the independent oracle."""
    return frozenset(r["word"] for r in dictionary_records if len(r["word"]) == 4) | {r["word"] for r in children}


@pytest.fixture(scope="session")
def installed(tmp_path_factory, dictionary_records, children):
    """A content folder with the full dictionary, a children's lanterns package and a chain package."""
    root = tmp_path_factory.mktemp("content")
    write_package(root / "xinhua", manifest(DICTIONARY_ID, "idiom-dictionary", 'idioms = "idioms.json"\n',
                                           requires=False), {"idioms.json": dictionary_records})
    write_package(root / "children", manifest("org.yuedu.idioms.children", "idiom-lanterns",
                                              f'idioms = "idioms.json"\ndictionary = "{DICTIONARY_ID}"\nrounds = 3\n'),
                  {"idioms.json": children})
    write_package(root / "chain", manifest("org.yuedu.idioms.chain", "idiom-chain",
                                           f'dictionary = "{DICTIONARY_ID}"\npreferred = "preferred.json"\n'
                                           'candidates = 5\nmax_turns = 6\n'),
                  {"preferred.json": [r["word"] for r in children]})
    return root


@pytest.fixture
def run_context(installed, data_dir):
    """make(age_band=..., seed=..., vr=...) -> (RunContext, ListSink, ManualClock) for one experience run."""
    from experiences.catalog import Catalog
    from experiences.config import KioskConfig
    from experiences.engagement import ListSink, Place, SessionReporter
    from experiences.runtime import ManualClock, RunContext

    catalog = Catalog.scan([installed])

    def make(package_id: str, age_band: str = "6-8", seed: int = 1, size=(1280, 720), services=None, vr=False):
        config = KioskConfig()
        sink, clock = ListSink(), ManualClock(1000.0)
        package = catalog.get(package_id)
        session = SessionReporter(sink, Place.from_config(config), age_band=age_band, wall_clock=lambda: 1.8e9)
        reporter = session.experience(package.id, package.kind, package.version, package.manifest.titles,
                                      monotonic=clock.now)
        ctx = RunContext(config=config, reporter=reporter, size=size, data_dir=data_dir / "run", headless=True,
                         clock=clock, catalog=catalog, services={"seed": seed, **(services or {})}, vr=vr)
        return package, ctx, sink, clock
    return make
