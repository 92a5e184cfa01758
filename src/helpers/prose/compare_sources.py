"""Notebook 05's prose (comparing the outlets): the note on the trends and "what we saw".

Sentences are built from the tables of :func:`helpers.outlet_keyness`,
:func:`helpers.key_term_trends`, :func:`helpers.shared_copy` and :func:`helpers.copy_matrix`;
every corpus value goes through :func:`helpers.display.bdi`, the list through
:func:`helpers.display.bullets`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..display import HTML, bdi, bullets, text_of

__all__ = ["trends_note", "what_we_saw_compare"]


def trends_note(trends: pd.DataFrame) -> HTML:
    """Say what :func:`helpers.key_term_trends` left out: sparse periods, outlets without dates.

    Args:
        trends: the frame of :func:`helpers.key_term_trends` (its ``attrs``).

    Returns:
        :class:`HTML` holding a ``<p class="hx-note">`` (outlet names escaped, isolated);
        empty when there are no trends and no outlet lacks dates (the table says why).

    >>> t = pd.DataFrame({"term": ["غزة"]}); t.attrs.update(dropped_periods=2, undated=["ب"])
    >>> print(trends_note(t).text)
    2 sparse period(s) left out. No article of ب carries a date, so its key words are not followed over time.
    """
    undated = trends.attrs.get("undated", [])
    parts = [f"{trends.attrs.get('dropped_periods', 0)} sparse period(s) left out."] if len(trends) else []
    if undated:
        names = ", ".join(bdi(g) for g in undated)
        parts.append(f"No article of {names} carries a date, so "
                     f"{'its' if len(undated) == 1 else 'their'} key words are not followed "
                     "over time.")
    if not parts:
        return HTML("", "")
    html = " ".join(parts)
    return HTML(f'<p class="hx-note">{html}</p>', text_of(html))


def what_we_saw_compare(
    articles: pd.DataFrame,
    keys: pd.DataFrame,
    shared: pd.DataFrame,
    matrix: pd.DataFrame,
    trends: pd.DataFrame | None = None,
    *,
    by: str = "source",
) -> HTML:
    """Write notebook 05's "what we saw" from its tables, as a short list.

    Args:
        articles: the articles frame.
        keys: :func:`helpers.outlet_keyness`.
        shared: :func:`helpers.shared_copy`.
        matrix: :func:`helpers.copy_matrix` with ``later=True`` (counts).
        trends: :func:`helpers.key_term_trends` (optional).
        by: the outlet column.

    Returns:
        :class:`HTML` holding a ``<ul>`` of sentences (corpus values escaped).
    """
    outlets = articles[by].dropna().astype(str).value_counts()
    items: list[str] = []
    if len(outlets) < 2:
        items.append(
            f"The corpus has {len(outlets)} source(s) and {len(articles):,} article(s): "
            "comparing outlets needs at least two sources, so there is nothing to compare "
            "here. Run the report on a corpus with several outlets "
            "(<code>make report CORPUS=...</code>).")
        return bullets(items)
    items.append(f"{len(outlets)} outlets compared, from {bdi(outlets.index[0])} "
                 f"({outlets.iloc[0]:,} articles) to {bdi(outlets.index[-1])} "
                 f"({outlets.iloc[-1]:,}).")
    if len(keys):
        firsts = keys[keys["rank"] == 1]
        parts = [f"{bdi(g)}: {bdi(t)} (×{2 ** lr:,.1f})" if np.isfinite(lr) else f"{bdi(g)}: {bdi(t)}"
                 for g, t, lr in firsts[[by, "term", "log_ratio"]].itertuples(index=False, name=None)]
        items.append("The strongest key word of each outlet (how many times more frequent "
                     "than in the others): " + "; ".join(parts) + ".")
        top = keys.loc[keys["g2"].idxmax()]
        items.append(f"The most significant difference of all is {bdi(top['term'])} at "
                     f"{bdi(top[by])} (G² {top['g2']:,.0f}).")
    else:
        items.append("No word is key for any outlet at this minimum count (the outlets are "
                     "too small to compare words).")
    # periods where both sides have text (the other outlets may have no dated article)
    compared = (trends[trends["per_million"].notna() & trends["per_million_reference"].notna()]
                if trends is not None and len(trends) else None)
    if compared is not None and len(compared):
        spread = compared.assign(ratio=compared["per_million"] / compared["per_million_reference"].where(
            compared["per_million_reference"] > 0))
        steady = spread.groupby([by, "term"])["ratio"].apply(
            lambda r: bool((r.dropna() > 1).all()) if r.notna().any() else False)
        periods = compared["period"].nunique()
        items.append(f"Over {periods} period(s), {int(steady.sum())} of the {len(steady)} key "
                     "words followed stay more frequent in their outlet than elsewhere in every "
                     "period: these are habits of the outlet rather than one story.")
    elif compared is not None:
        items.append("The other outlets have no dated text in the periods of the key words "
                     "followed, so how those words move elsewhere cannot be compared.")
    n_shared = int(shared["shared"].sum())
    if n_shared:
        most = shared["share"].idxmax()
        items.append(f"{n_shared:,} article(s) have a near-copy at another outlet; the outlet "
                     f"whose copy is most often shared is {bdi(most)} "
                     f"({shared.loc[most, 'share']:.1%} of its articles).")
        off = matrix.where(~np.eye(len(matrix), dtype=bool), 0)
        if off.to_numpy().sum():
            row, col = off.stack().idxmax()
            items.append(f"The largest flow: {int(off.loc[row, col]):,} article(s) of {bdi(row)} "
                         f"appeared after a near-copy at {bdi(col)}.")
    else:
        items.append("No article has a near-copy at another outlet at this similarity "
                     "threshold: the outlets do not republish each other's copy here.")
    return bullets(items)
