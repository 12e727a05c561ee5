"""Fuzzing the import of sync packages (issue 9, item 7; SYNC_FORMAT §2–§3).

Valid packages (a chugoku forum's and a kinki forum's newest exports) are mutated — raw bytes,
zip structure, manifest JSON, record lines, whole entity files — and fed to the real path,
``sync.check_package`` then ``sync.import_checked``, at a secretariat that trusts both forums
and already holds records of both (so merges insert, update, leave unchanged and conflict).

For every mutated package exactly one of these must hold:

- it is rejected with ``UserError`` (``PackageRejected``) and the database is unchanged
  (``iterdump`` before/after) — and the contract did not say it must be accepted;
- it is accepted, the contract did not say it must be rejected, and independent checks agree
  it was valid: ``contract_problems`` (the §2 rules, re-implemented in
  ``package_mutations.py``) finds nothing, ``read_package`` re-reads it, every stored record of
  its ids has a canonical id and an owner the key is trusted for, the target's clock is at most
  24 h ahead, the target still exports, a fresh installation trusting the target accepts that
  export, and unknown data fields of records the target took are written back unchanged.

Anything else — above all an exception that is not ``UserError`` — fails the test, with the
mutation printed as JSON (``Mutation.from_json`` replays it; so does
``bench/fuzz_packages.py --replay``).

The installations are built once per module; the target and the observer are restored from
pristine copies after every acceptance, so examples are independent.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from package_mutations import CONTRACT_CASES, REJECT, Mutation, World, build_world, family

# No shrinking: every example is a whole import (tens of ms), and a mutation is already a small,
# replayable description; the first failing example is reported as found.
FUZZ = settings(
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("fuzz-world")
    with pytest.MonkeyPatch.context() as mp:
        # Module-scoped, so conftest's per-test isolation of the user folders is not in place yet.
        mp.setenv("JCIM_DESKTOP_DATA_DIR", str(root / "default-data"))
        mp.setenv("XDG_CONFIG_HOME", str(root / "config"))
        w = build_world(root / "installations")
        yield w
        w.close()


def judge(world: World, mutation: Mutation) -> None:
    verdict = world.judge(mutation)
    assert verdict.ok, verdict.report()


# --------------------------------------------------------------------------------------
# The judge itself: unmutated packages pass, and it notices what it must notice
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [0, 1])
def test_an_unmutated_base_package_is_accepted_and_passes_every_independent_check(world, base):
    verdict = world.judge(Mutation("manifest", "text", {"base": base, "how": "compact"}))
    assert verdict.kind == "accepted", verdict.report()


def test_the_world_holds_what_the_merges_need(world):
    a, b = world.bases
    assert {p.split("/")[1] for p in a.paths} >= {"events.jsonl", "needs.jsonl", "seeds.jsonl", "matchings.jsonl",
                                                   "pitch_presentations.jsonl", "trials.jsonl",
                                                   "support_activities.jsonl"}
    lines = [line for lines in a.files.values() for line in lines]
    assert any(b'"deleted":true' in line for line in lines)  # tombstones
    assert any(b'"contact":{' in line for line in lines)  # a need with a contact
    owners = Counter(world.stored_owner.values())
    assert owners["chugoku"] and owners["kinki"] and owners["secretariat"] and owners["municipal_support"]
    # The target already holds most of A's records: merges run, not only inserts.
    ids_a = {re.search(rb'"id":"([^"]+)"', line).group(1).decode() for line in lines}
    assert len(ids_a & set(world.stored_owner)) >= len(ids_a) - 3


def test_the_reference_checker_sees_the_rules_it_is_trusted_with(world):
    from package_mutations import contract_problems, craft

    def problems(m: Mutation) -> list[str]:
        return contract_problems(craft(world, m).data, world.trust, world.stored_owner, world.bindings)

    assert problems(Mutation("manifest", "text", {"base": 0, "how": "compact"})) == []
    for m in CONTRACT_CASES:
        if m.family in ("records", "manifest") and craft(world, m).expect == REJECT and m.case in (
            "vv_counter", "sequence", "id_form", "duplicate_key", "hlc_time", "duplicate_id", "owner", "installation",
        ):
            assert problems(m), m


# --------------------------------------------------------------------------------------
# The named cases: each rule of §2 the issue singles out, once
# --------------------------------------------------------------------------------------


def _case_id(m: Mutation) -> str:
    shown = [str(v) for k, v in m.params.items() if k not in ("which", "other", "key", "field", "seed", "base")
             and not isinstance(v, (dict, list)) and str(v).isascii()]
    tail = "-B" if m.params.get("base") == 1 else ""
    return "/".join([m.family, m.case, *shown])[:80] + tail


_IDS = [_case_id(m) for m in CONTRACT_CASES]
_IDS = [f"{i}#{n}" if _IDS.count(i) > 1 else i for n, i in enumerate(_IDS)]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("mutation", CONTRACT_CASES, ids=_IDS)
def test_contract_case(world, mutation):
    judge(world, mutation)


# --------------------------------------------------------------------------------------
# The fuzz: one test per family, a few dozen examples each
# --------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(
    ("name", "examples"),
    [("bytes", 40), ("zip", 40), ("manifest", 45), ("records", 55), ("entities", 20)],
    ids=["raw-bytes", "zip-structure", "manifest", "record-lines", "entity-files"],
)
def test_fuzz(world, name, examples):
    # Hypothesis runs inside the test so that each family gets its own number of examples.
    @settings(FUZZ, max_examples=examples)
    @given(mutation=family(name))
    def judged(mutation: Mutation) -> None:
        judge(world, mutation)

    judged()
