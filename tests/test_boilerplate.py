"""Boilerplate and datelines learned from the corpus (helpers.boilerplate): generated
corpora of each shape (promo footer with a republished story, bylines, datelines, one
article, no outlet names), the corpus steps' place among the cleaning steps, and the
acceptance on ANT (slow)."""

from __future__ import annotations

import pandas as pd
import pytest

import helpers
from helpers import boilerplate as bp

PROMO = "حملوا أحدث نسخة من تطبيقنا على هاتفكم لتصلكم الإشعارات."
TOPICS = ["الطقس", "الاقتصاد", "الانتخابات", "الزراعة", "النفط", "التعليم", "الصحة", "الرياضة",
          "السياحة", "الطاقة", "المياه", "النقل"]


def story(i: int) -> str:
    topic = TOPICS[i % len(TOPICS)]
    return (f"قال مسؤول إن ملف {topic} شهد تطورات جديدة في الأسبوع رقم {i}.\n"
            f"وأضاف أن الحكومة ستعلن خطة {topic} الكاملة قريبا بعد مشاورات موسعة {i}.")


def frame(bodies, sources=None, titles=None) -> pd.DataFrame:
    n = len(bodies)
    data = {"title": titles if titles is not None else [f"عنوان {i}" for i in range(n)], "body": bodies}
    if sources is not None:
        data["source"] = sources
    return pd.DataFrame(data)


def test_promo_footer_found_and_removed_but_a_republished_story_kept():
    republished = "وكانت المحكمة قد أصدرت حكمها في القضية بعد جلسات طويلة."
    bodies = [story(i) + "\n" + PROMO for i in range(20)]
    # one story stored five times (categories), with its own short line each time
    bodies += [republished + "\n" + story(99)] * 5
    titles = [f"عنوان {i}" for i in range(20)] + ["الحكم في القضية"] * 5
    arts = frame(bodies, ["X"] * 25, titles)
    found = helpers.find_boilerplate(arts)
    assert found.lines["line"].tolist() == [PROMO]
    row = found.lines.iloc[0]
    assert (row["articles"], row["stories"], row["source"]) == (20, 20, "X")
    out = found.remove(arts)
    assert not out["body"].str.contains("تطبيقنا").any()
    assert out["body"].str.contains("أصدرت حكمها").sum() == 5
    assert out["body"].iloc[0] == story(0)
    assert arts["body"].iloc[0].endswith(PROMO)  # the input is not modified
    removed = found.removed(arts)
    assert removed.set_index("source").loc["X", "lines_removed"] == 20
    assert removed.set_index("source").loc["X", "chars_removed"] == 20 * (len(PROMO) + 1)


def test_bylines_and_read_also_per_outlet():
    bodies, sources = [], []
    for i in range(12):
        bodies.append(f"بقلم: سارة أحمد\n{story(i)}\nاقرأ أيضا:\nعنوان خبر آخر عن {TOPICS[i]}")
        sources.append("A")
        bodies.append(story(i + 50))
        sources.append("B")
    found = helpers.find_boilerplate(frame(bodies, sources))
    assert set(found.lines["line"]) == {"بقلم: سارة أحمد", "اقرأ أيضا:"}
    assert set(found.lines["source"]) == {"A"}
    out = found.remove(frame(bodies, sources))
    assert not out["body"].str.contains("بقلم").any()
    assert out.loc[out.index % 2 == 1, "body"].tolist() == [story(i + 50) for i in range(12)]
    # a line is boilerplate of its own outlet only: B's copy of A's byline stays
    other = frame(["بقلم: سارة أحمد\nخبر"], ["B"])
    assert found.remove(other)["body"].tolist() == ["بقلم: سارة أحمد\nخبر"]


def test_datelines_learned_as_a_shape_per_outlet():
    cities = ["القاهرة، مصر", "بيروت، لبنان", "واشنطن، الولايات المتحدة", "دبي"] + [f"مدينة{i}" for i in range(8)]
    bodies = [f"{c} (وكالة النبأ)-- {story(i)}" for i, c in enumerate(cities)]
    bodies += [f"كيم جونغ-أون يزور مصنع {TOPICS[i]} في الشمال" for i in range(3)]  # a hyphen is no dateline
    arts = frame(bodies, ["X"] * len(bodies))
    found = helpers.find_boilerplate(arts)
    assert found.datelines["shape"].tolist() == ["... (وكاله النبا) -"]
    assert found.datelines["articles"].tolist() == [12]
    out = found.remove(arts)["body"].tolist()
    assert out[:12] == [story(i) for i in range(12)]
    assert out[12:] == bodies[12:]
    # a new city in the learned shape is recognised
    assert found.remove(frame(["طرابلس (وكالة النبأ) - خبر جديد"], ["X"]))["body"].tolist() == ["خبر جديد"]


def test_one_article_and_no_outlet_names():
    one = frame([story(0) + "\n" + PROMO])
    found = helpers.find_boilerplate(one)
    assert found.lines.empty and found.datelines.empty
    assert found.remove(one)["body"].tolist() == one["body"].tolist()
    assert found.outlets["articles"].tolist() == [1]
    # no source column, or sources missing: one group
    many = frame([story(i) + "\n" + PROMO for i in range(6)])
    assert helpers.find_boilerplate(many).lines["line"].tolist() == [PROMO]
    mixed = frame([story(i) + "\n" + PROMO for i in range(6)], [None] * 6)
    assert helpers.find_boilerplate(mixed).lines["source"].tolist() == [bp.NO_SOURCE]


def test_empty_corpus_and_missing_bodies():
    empty = pd.DataFrame({"source": pd.Series(dtype="string"), "title": pd.Series(dtype="string"),
                          "body": pd.Series(dtype="string")})
    found = helpers.find_boilerplate(empty)
    assert found.lines.empty and found.remove(empty).empty
    arts = frame([None, "", story(1)], ["X", "X", None])
    assert helpers.find_boilerplate(arts).remove(arts)["body"].iloc[2] == story(1)


def test_without_boilerplate_is_one_call_and_can_be_off():
    arts = frame([story(i) + "\n" + PROMO for i in range(6)], ["X"] * 6)
    out, removed = helpers.without_boilerplate(arts)
    assert not out["body"].str.contains("تطبيقنا").any()
    assert removed["lines_removed"].tolist() == [6]
    same, none = helpers.without_boilerplate(arts, enabled=False)
    assert same is arts and none.empty and "lines_removed" in none
    only_dates, _ = helpers.without_boilerplate(arts, steps=["dateline"])
    assert only_dates["body"].tolist() == arts["body"].tolist()


def test_long_lines_are_content_never_boilerplate():
    long = " ".join(["كلمة"] * 40)
    arts = frame([f"{story(i)}\n{long}" for i in range(10)], ["X"] * 10)
    assert helpers.find_boilerplate(arts).lines.empty
    assert helpers.find_boilerplate(arts, max_words=50).lines["words"].tolist() == [40]


def test_corpus_steps_refused_by_normalize_and_run_by_clean_corpus():
    for step in helpers.CORPUS_STEPS:
        with pytest.raises(ValueError, match="corpus step"):
            helpers.normalize("نص", steps=[step])
    arts = frame([story(i) + "\n" + PROMO for i in range(6)], ["X"] * 6)
    cleaned = helpers.clean_corpus(arts, steps=["boilerplate"])
    assert not cleaned["body_clean"].str.contains("تطبيقنا").any()
    assert cleaned["body"].equals(arts["body"])
    found = helpers.find_boilerplate(arts)
    assert helpers.clean_corpus(arts, boilerplate=found)["body_clean"].equals(cleaned["body_clean"])
    assert helpers.clean_corpus(arts)["body_clean"].str.contains("تطبيقنا").all()
    with pytest.raises(ValueError, match="unknown corpus step"):
        found.remove(arts, steps=["html"])


APP_WORDS = {"تطبيق", "تحميل", "هاتفكم", "اشعارات", "نسخه", "المحمول", "استلام", "تسلم"}


@pytest.mark.slow
def test_ant_no_boilerplate_among_key_words(ant):
    articles, _ = ant
    before = helpers.cached_tokens(articles["body"])
    cleaned, removed = helpers.without_boilerplate(articles)
    after = helpers.cached_tokens(cleaned["body"])
    kw_before = helpers.outlet_keyness(before, articles["source"], min_count=10, top=10, drop_stopwords=True)
    kw_after = helpers.outlet_keyness(after, articles["source"], min_count=10, top=10, drop_stopwords=True)
    bbc_before = set(kw_before.loc[kw_before["source"] == "BBC", "term"])
    assert bbc_before & APP_WORDS  # the problem is there before
    bbc = set(kw_after.loc[kw_after["source"] == "BBC", "term"])
    cnn = set(kw_after.loc[kw_after["source"] == "CNN", "term"])
    assert not bbc & APP_WORDS, bbc
    # CNN's datelines go; what is left of "cnn" is the outlet naming itself in its stories
    # ("قال لـCNN", "موقع CNN بالعربية"), which the lines and datelines do not cover
    is_cnn = (articles["source"] == "CNN").to_numpy()
    mentions = [(t == "cnn").sum() for t in (before[is_cnn].explode(), after[is_cnn].explode())]
    assert mentions[1] < 0.35 * mentions[0], mentions
    assert cnn & {"السعوديه", "خاشقجي"}
    grams = helpers.ngrams(after[(articles["source"] == "BBC").to_numpy()], 4, min_count=3,
                           drop_stopword_only=True, top=10)
    assert not any(set(g.split()) & APP_WORDS for g in grams.iloc[:, 0]), grams
    assert removed.set_index("source").loc["BBC", "lines_removed"] > 800
