"""README.md text of each bundled package (中文 first, then English): what it is, sources, licences, known issues."""
from __future__ import annotations

REBUILD = "python scripts/build_content.py --shared ../shared"

XINHUA_ISSUES_ZH = """\
- 释义、出处是上游从网上抓取的，部分冒号和前引号丢失（例如「阿鼻梵语的译音，意译为无间”」）；原样保留。
- 上游约 2% 的拼音有误。本包已用儿童成语包里人工核对过的拼音替换了那 500 条（其中 {corrected} 条与上游不同），其余照旧。
- 上游有 {toneless_records} 条的拼音里有不带声调的音节：逐条核对后，{pinyin_fixed} 条改正（了 liǎo、昭著 zhù、池 chí、
  态 tài、整条缺声调或被截断的等），{pinyin_neutral} 条本是轻声（葫芦 hú lu、狐狸尾巴 hú li wěi ba 等），照旧；
  核对表见 `scripts/idiom_pinyin_review.toml`。
- 没有例句或出处时，上游写作「无」；本包原样保留。
- 拼音里的 IPA「ɡ」和全角空格（{lookalikes} 条）已换成普通 g 和空格。{with_comma} 条带逗号的长成语，拼音里的逗号大多紧贴音节
  （如 bīng，duō）；另有 {misaligned} 条上游词条缺字或音节数对不上（如「沧横流」应为「沧海横流」），原样保留。"""
XINHUA_ISSUES_EN = """\
- Glosses and sources were scraped from the web upstream; some colons and opening quotation marks are missing
  (e.g. 「阿鼻梵语的译音，意译为无间”」). Kept as they are.
- About 2% of the upstream pinyin is wrong. The 500 words of the children's package use their reviewed pinyin here
  too ({corrected} of them differ from upstream); the rest is upstream's.
- {toneless_records} upstream records had syllables without a tone mark. Each was reviewed: {pinyin_fixed} are
  corrected (了 liǎo, 昭著 zhù, 池 chí, 态 tài, records without any tone or cut off, ...), {pinyin_neutral} are right
  as they are (neutral tones: 葫芦 hú lu, 狐狸尾巴 hú li wěi ba, ...); the table is `scripts/idiom_pinyin_review.toml`.
- Where there is no example or source, upstream writes 「无」 ("none"); kept as it is.
- IPA 「ɡ」 and ideographic spaces in the pinyin ({lookalikes} records) are plain g and spaces here. The {with_comma}
  long idioms with a comma mostly have it glued to the syllables in their pinyin (bīng，duō); {misaligned} more
  upstream records
  lost a character or do not have one syllable per character (e.g. 「沧横流」 for 「沧海横流」); kept as they are."""

TILDE_ZH = """\
- 上游在例句里用「～」代替成语本身；本包一律换回成语原文（出处、释义中的少数「～」同样处理）。
  有 5 条上游把「韩」字误抓成了「～」（韩子卢、韩信、韩翃），对照原文改回「韩」。"""
TILDE_EN = """\
- Upstream writes the idiom as 「～」 inside examples; here every 「～」 is the idiom written out (the few in sources
  and glosses too). In 5 records the upstream scrape turned 「韩」 into 「～」 (韩子卢, 韩信, 韩翃); those are 「韩」 again."""

YI_BU_ZH = ("- 「一」「不」一律标本调（yī、bù），与词典的注音习惯、上游成语数据和已核对的小学古诗拼音的绝大多数一致；"
            "变调（yí/yì、bú）在朗读时按规则处理。")
YI_BU_EN = ("- 一 and 不 are always written in their citation tones (yī, bù), as dictionaries do and as the "
            "upstream idiom data and nearly all of the reviewed primary-school pinyin already were; the tone "
            "sandhi (yí/yì, bú) is applied when reading aloud.")

XINHUA_LINK = "[chinese-xinhua](https://github.com/pwxcoo/chinese-xinhua)"
MIT_XINHUA = XINHUA_LINK + "（MIT，© 2018 PWXCOO，`LICENSE-chinese-xinhua.txt`）"
MIT_XINHUA_EN = XINHUA_LINK + " (MIT, © 2018 PWXCOO, `LICENSE-chinese-xinhua.txt`)"


def _footer(stats: dict) -> str:
    return f"""
---
由 `scripts/build_content.py` 从共享数据生成，请勿手改 / Built by `scripts/build_content.py` from the shared data;
do not edit by hand: `{REBUILD}`. 封面用霞鹜文楷子集字体绘制（SIL OFL 1.1）/ Cover lettered in a subset of LXGW
WenKai (SIL OFL 1.1).
"""


def xinhua(stats: dict) -> str:
    return f"""# 新华成语词典 · Xinhua Idiom Dictionary

## 中文
完整的新华成语词典数据，共 {stats['idioms']:,} 条（四字成语 {stats['four_char']:,} 条），每条有 `word`（成语）、
`pinyin`（拼音）、`explanation`（释义）、`derivation`（出处）、`example`（例句）。只有数据，没有玩法：
成语接龙用它判断接得对不对，成语论箭用它排除「也能组成成语」的干扰字。

- 来源：{MIT_XINHUA}；上游说明文本收集自网络。
- 去掉了上游的 `abbreviation`（拼音首字母），需要时可由拼音算出。

已知问题：
{XINHUA_ISSUES_ZH.format(**stats)}
{TILDE_ZH}
{YI_BU_ZH}

## English
The full chinese-xinhua idiom dictionary: {stats['idioms']:,} idioms ({stats['four_char']:,} of four characters), each
with `word`, `pinyin`, `explanation`, `derivation` (source text) and `example`. Data only, no game: the idiom chain
checks moves against it and the lantern game uses it to reject distractors that would also make a real idiom.

- Source: {MIT_XINHUA_EN}; upstream says the text was gathered from the web.
- Upstream's `abbreviation` (pinyin initials) is dropped; derive it from `pinyin` when needed.

Known issues:
{XINHUA_ISSUES_EN.format(**stats)}
{TILDE_EN}
{YI_BU_EN}
{_footer(stats)}"""


def children(stats: dict) -> str:
    return f"""# 成语论箭 · Idiom Archery

## 中文
给 6–12 岁孩子的 {stats['children']} 个成语，供「成语论箭」射灯笼游戏使用：{stats['classic']} 个有故事的经典成语
（`classic = true`）和 {stats['children'] - stats['classic']} 个所有字都在最常用 2,500 字内的常用成语，按词频排序（`freq_rank` 1 最常见）。
字段：`word`、`pinyin`、`explanation`、`derivation`、`example`、`example_source`、`freq_rank`、`classic`。
需要 `org.yuedu.idioms.xinhua` 词典包来排除干扰字。

- 来源：{MIT_XINHUA}。选词和拼音核对由悦读项目完成；例句取自上游，「★」后的出处拆到 `example_source`，上游写「无」处为空字符串。
- 拼音用 pypinyin 重新标注，与上游不同处逐条核对过（{stats['corrected']} 条改正了上游的错误）。

已知问题：
- 释义和出处沿用上游文本，个别冒号、前引号缺失。
{TILDE_ZH}
{YI_BU_ZH}

## English
{stats['children']} idioms for children aged 6–12, for the lantern-archery game: {stats['classic']} classic story idioms
(`classic = true`) and {stats['children'] - stats['classic']} common ones whose characters are all among the 2,500
most common, most frequent first (`freq_rank` 1 is the most common). Fields: `word`, `pinyin`, `explanation`,
`derivation`, `example`, `example_source`, `freq_rank`, `classic`. Needs the `org.yuedu.idioms.xinhua` dictionary
to reject distractors.

- Source: {MIT_XINHUA_EN}. Selection and pinyin review by the Yuedu project; examples are upstream's,
  with the source after 「★」 moved to `example_source`, and upstream's 「无」 (none) written as an empty string.
- Pinyin re-derived with pypinyin and checked by hand where it differed from upstream
  ({stats['corrected']} upstream errors fixed).

Known issues:
- Glosses and sources are upstream's text; a few colons and opening quotation marks are missing.
{TILDE_EN}
{YI_BU_EN}
{_footer(stats)}"""


def chain(stats: dict) -> str:
    return f"""# 成语接龙 · Idiom Chain

## 中文
「成语接龙」：孩子和展台轮流说成语，下一个成语的第一个字要接上一个成语的最后一个字。
展台从完整的新华成语词典（`org.yuedu.idioms.xinhua`，{stats['idioms']:,} 条）里找接法，但优先出
`preferred.json` 里的 {stats['children']} 个儿童成语（与「成语论箭」同一批）。

- 来源：{MIT_XINHUA}。
- 已知问题见词典包的 README（释义缺标点、约 2% 拼音有误）。
{YI_BU_ZH}

## English
The idiom chain: the child and the kiosk take turns, and each idiom must start with the last character of the one
before. The kiosk searches the full dictionary (`org.yuedu.idioms.xinhua`, {stats['idioms']:,} idioms) but prefers
the {stats['children']} children's idioms listed in `preferred.json` (the same set as Idiom Archery).

- Source: {MIT_XINHUA_EN}.
- Known issues: see the dictionary package's README (missing punctuation in glosses, ~2% wrong upstream pinyin).
{YI_BU_EN}
{_footer(stats)}"""


def poems(stats: dict) -> str:
    by_collection_zh = "、".join(f"{name} {count} 首" for name, count in stats["collections"])
    by_collection_en = ", ".join(f"{name} {count}" for name, count in stats["collections"])
    return f"""# 朗诵亭 · Recitation Booth

## 中文
朗诵亭的 {stats['poems']} 首诗词：{by_collection_zh}。小学古诗按年级（`grade` 1–6）排列，
其余归入「拓展」（`grade` 为 null，按 `collection` 分组）。每首有 `id`、`title`、`author`、`dynasty`、`grade`、
`collection`、`paragraphs`（诗句）、`pinyin`（逐字拼音，与 `paragraphs` 对齐，标点下为空字符串 ""）、`text_check`。

- 诗文：[chinese-poetry](https://github.com/chinese-poetry/chinese-poetry)（MIT，`LICENSE-chinese-poetry.txt`），
  原文属公有领域，用 OpenCC 转为简体；{stats['manual']} 首小学古诗按课本用字手工录入。
- 年级表：来源：k12-chinese-poetry / 丢词大作战（[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)，
  `LICENSE-k12-chinese-poetry.txt`）。本包的 `grade` 字段同样以 CC BY 4.0 发布。

拼音：
{YI_BU_ZH}本包据此改了小学古诗里 {stats['sandhi_primary']} 处、其余诗里 {stats['sandhi_other']} 处标成变调的注音。
- 108 首小学古诗的拼音经过人工核对（多音字如「一行白鹭」háng、「朝辞」zhāo、「万重山」chóng、「一日还」huán），原样保留。
- 其余 {stats['poems'] - stats['primary']} 首是 pypinyin 自动标注，未经人工核对，会按上下文读错多音字
  （行 háng/xíng、朝 zhāo/cháo、重 chóng/zhòng、还 huán/hái、教 jiāo/jiào、看 kān/kàn 等）。
  本包只改正了确知的 {stats['phrase_fixes']} 处（见 `scripts/content_data.py` 的 `PHRASE_READINGS`），以及 pypinyin 查不到的「𫛸」(tí)。

已知问题：
- `text_check`：`ok` 已与来源核对；`check-wording` 需核对课本用字；`manual` 为手工录入，发布前需校对。

## English
The booth's {stats['poems']} poems: {by_collection_en}. The primary-school poems carry their grade (`grade` 1–6);
the rest are extension reading (拓展: `grade` is null, grouped by `collection`). Fields: `id`, `title`, `author`,
`dynasty`, `grade`, `collection`, `paragraphs` (lines), `pinyin` (one syllable per character, aligned with
`paragraphs`, "" under punctuation), `text_check`.

- Texts: [chinese-poetry](https://github.com/chinese-poetry/chinese-poetry) (MIT, `LICENSE-chinese-poetry.txt`),
  public domain, simplified with OpenCC; {stats['manual']} primary-school poems typed from the textbook wording.
- Grade lists: 「来源：k12-chinese-poetry / 丢词大作战」 ([CC BY 4.0](https://creativecommons.org/licenses/by/4.0/),
  `LICENSE-k12-chinese-poetry.txt`). The `grade` field here is shared under CC BY 4.0 as well.

Pinyin:
{YI_BU_EN} Applying this changed {stats['sandhi_primary']} syllables in the primary-school poems and
  {stats['sandhi_other']} elsewhere that were written with the sandhi tone.
- The 108 primary-school poems have reviewed pinyin (polyphones such as 一行白鹭 háng, 朝辞 zhāo, 万重山 chóng,
  一日还 huán), kept as it is.
- The other {stats['poems'] - stats['primary']} poems have automatic pinyin from pypinyin, not reviewed: it misreads
  polyphones by context (行 háng/xíng, 朝 zhāo/cháo, 重 chóng/zhòng, 还 huán/hái, 教 jiāo/jiào, 看 kān/kàn …).
  Only {stats['phrase_fixes']} certain misreadings are fixed (`PHRASE_READINGS` in `scripts/content_data.py`), plus
  「𫛸」 (tí), which pypinyin has no reading for.

Known issues:
- `text_check`: `ok` checked against the source; `check-wording` textbook wording to be checked; `manual` typed by
  hand, to be proofread before release.
{_footer(stats)}"""


READMES = {"xinhua": xinhua, "children": children, "chain": chain, "poems": poems}
