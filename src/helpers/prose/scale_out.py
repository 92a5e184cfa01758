"""Notebook 06's prose (scaling out with Dask): "what we saw" from the merged counts.

Sentences are built from the tables of :class:`helpers.CorpusCounts`; every corpus value
goes through :func:`helpers.display.bdi`, the list through :func:`helpers.display.bullets`.
"""

from __future__ import annotations

from ..display import HTML, bdi, bullets
from ..streaming import CorpusCounts

__all__ = ["what_we_saw_scale"]


def what_we_saw_scale(counts: CorpusCounts, *, partitions: int, workers: int,
                      target: str | None = None, min_count: int = 5) -> HTML:
    """Write notebook 06's "what we saw" from the counts, as a short list.

    Args:
        counts: the merged :class:`helpers.CorpusCounts`.
        partitions: Dask partitions (shards) counted; workers: workers that counted them.
        target: the value the target side was selected by (for the keyness sentence).
        min_count: the minimum count used for collocations and key words.

    Returns:
        :class:`helpers.display.HTML` holding a ``<ul>`` of sentences.
    """
    items = [f"{counts.n_docs:,} article(s), {counts.n_tokens:,} tokens and {counts.n_types:,} "
             f"distinct words were counted in {partitions} partition(s) by {workers} Dask "
             "worker(s), and merged in corpus order, so every table is the one the in-memory "
             "helpers give."]
    freq = counts.frequencies(top=1)
    if len(freq):
        items.append(f"The most frequent word is {bdi(freq['term'][0])} "
                     f"({int(freq['count'][0]):,} times, in {int(freq['doc_freq'][0]):,} articles).")
    if counts.pair_tables:
        window = min(counts.pair_tables)
        col = counts.collocations("llr", window, min_count=min_count, top=1)
        items.append(f"The strongest collocation (LLR) is {bdi(col['w1'][0] + ' ' + col['w2'][0])}, "
                     f"seen {int(col['count'][0]):,} times." if len(col) else
                     f"No word pair occurs {min_count} times: the corpus is too small for "
                     "collocations.")
    if counts.sides is not None:
        key = counts.keyness(min_count=min_count)
        key = key[key["key_for"] == "target"].head(1)
        items.append(f"The top key word of {bdi(target)} against the rest is "
                     f"{bdi(key['term'].iloc[0])} (G² {key['g2'].iloc[0]:,.0f})." if len(key) else
                     f"No key word for {bdi(target)}: keyness needs words seen {min_count} "
                     "times and articles on both sides.")
    if counts.n_docs < 1000:
        items.append("This corpus is small: Dask only pays off on corpora of hundreds of "
                     "thousands of articles, or larger than memory; on this one it is mostly "
                     "start-up cost.")
    return bullets(items)
