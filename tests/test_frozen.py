from __future__ import annotations

import dataclasses
import functools
import pickle
from dataclasses import field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import frozen as frozen_module
from bot.frozen import frozen


@frozen
class Mine:
    name: str
    size: int = 0
    tags: tuple[str, ...] = ()
    note: str = field(default="", compare=False, repr=False)

    @functools.cached_property
    def shout(self) -> str:
        return self.name.upper()


@dataclasses.dataclass(frozen=True)
class Theirs:
    name: str
    size: int = 0
    tags: tuple[str, ...] = ()
    note: str = field(default="", compare=False, repr=False)


values = st.tuples(
    st.text(max_size=5), st.integers(-3, 3), st.lists(st.text(max_size=3)).map(tuple)
)


@given(values, values, st.text(max_size=3))
def test_equality_hash_and_repr_are_those_of_a_frozen_dataclass(a, b, note):
    mine_a, mine_b = Mine(*a, note=note), Mine(*b)
    theirs_a, theirs_b = Theirs(*a, note=note), Theirs(*b)
    assert (mine_a == mine_b) == (theirs_a == theirs_b)
    assert (mine_a != mine_b) == (theirs_a != theirs_b)
    assert hash(mine_a) == hash(theirs_a)
    assert repr(mine_a) == repr(theirs_a).replace("Theirs(", "Mine(", 1)
    assert mine_a != theirs_a and mine_a.__eq__(theirs_a) is NotImplemented


def test_nothing_can_be_assigned_or_deleted_once_made():
    thing = Mine("a", tags=("x",))
    for name in ("name", "size", "tags", "note", "other"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(thing, name, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        del thing.size
    assert thing == Mine("a", 0, ("x",))


def test_only_init_is_generated_and_the_rest_is_shared():
    assert Mine.__eq__ is frozen_module._eq and Mine.__repr__ is frozen_module._repr
    assert Mine.__setattr__ is frozen_module._setattr and Mine.__hash__ is frozen_module._hash
    assert dataclasses.is_dataclass(Mine)
    assert [f.default for f in dataclasses.fields(Mine)][1:] == [0, (), ""]


def test_cached_properties_replace_pickle_and_pydantic_still_work():
    from pydantic import TypeAdapter

    thing = Mine("ab", 2)
    assert thing.shout == "AB" and thing.shout == "AB"
    assert dataclasses.replace(thing, size=5) == Mine("ab", 5)
    assert pickle.loads(pickle.dumps(thing)) == thing
    assert TypeAdapter(Mine).validate_python({"name": "x", "tags": ["t"]}) == Mine("x", 0, ("t",))
