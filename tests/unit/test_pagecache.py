"""The page cache's own rules: a version mismatch is a miss, and its size is bounded."""

from __future__ import annotations

from palabre.core.pagecache import PageCache


def test_a_fragment_is_served_only_for_the_version_it_was_made_from() -> None:
    cache = PageCache()
    cache.put("week", 3, "<p>three</p>")
    assert cache.get("week", 3) == "<p>three</p>"
    assert cache.get("week", 4) is None  # the workspace changed since
    cache.put("week", 4, "<p>four</p>")
    assert cache.get("week", 3) is None
    assert (len(cache), cache.size) == (1, len("<p>four</p>"))


def test_the_least_recently_used_fragments_go_first_when_the_cache_is_full() -> None:
    cache = PageCache(max_chars=400)
    for name in ("a", "b", "c"):
        cache.put(name, 1, name * 100)
    cache.get("a", 1)  # used again: kept
    cache.put("d", 1, "d" * 100)
    cache.put("e", 1, "e" * 100)
    assert [k for k in "abcde" if cache.get(k, 1)] == ["a", "c", "d", "e"]  # b was oldest
    assert cache.size <= 400


def test_a_page_bigger_than_a_quarter_of_the_cache_is_not_kept() -> None:
    cache = PageCache(max_chars=400)
    cache.put("huge", 1, "x" * 101)
    assert cache.get("huge", 1) is None and cache.size == 0
