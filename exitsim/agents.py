"""Mesa agents as views of the World's rows.

A :class:`State` or :class:`Organization` holds only its row index; its attributes read and
write that row of :class:`~exitsim.world.World`, so ``model.agents``, ``AgentSet.select``,
agent reporters and the dashboard work as Mesa users expect while the arrays stay the single
source of truth. Agents do not step themselves: the model's phases act on whole arrays.
"""

from __future__ import annotations

import mesa
import numpy as np

from .codes import GOVERNMENTS, ISSUE_AREAS, ORGANIZATION_STATUS, ROLES, VOTING_RULES


def _row_property(array_name: str, doc: str, cast=float):
    def getter(self):
        return cast(getattr(self.model.world, array_name)[self.index])

    def setter(self, value):
        getattr(self.model.world, array_name)[self.index] = value

    return property(getter, setter, doc=doc)


class State(mesa.Agent):
    """A state (MODEL.md §2): a view of row ``index`` of the World's state arrays."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    code = property(lambda self: self.model.world.state_code[self.index], doc="Short code.")
    name = property(lambda self: self.model.world.state_name[self.index], doc="Display name.")
    power = _row_property("power", "Material power P > 0.")
    growth = _row_property("growth", "Yearly growth rate g.")
    nativism = _row_property("nativism", "Domestic nativist pressure n in [0, 1].")
    democracy = _row_property("democracy", "Democracy in [0, 1].")

    @property
    def ideal_point(self) -> np.ndarray:
        """Policy ideal point x (a view: writing into it changes the World)."""
        return self.model.world.ideal_point[self.index]

    @property
    def government(self) -> str:
        return GOVERNMENTS[int(self.model.world.nativist_government[self.index])]

    @government.setter
    def government(self, value: str):
        self.model.world.nativist_government[self.index] = GOVERNMENTS.index(value) == 1

    @property
    def role(self) -> str:
        return ROLES[self.model.world.role[self.index]]

    @property
    def organizations(self) -> list[str]:
        """Codes of the organizations of which it is an active member."""
        world = self.model.world
        return [world.org_code[k] for k in world.organizations_of(self.index)]

    def __repr__(self) -> str:
        return f"State({self.code}, power={self.power:.4g}, role={self.role})"


class Organization(mesa.Agent):
    """An intergovernmental organization (MODEL.md §2): a view of its World row."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    code = property(lambda self: self.model.world.org_code[self.index], doc="Short code.")
    name = property(lambda self: self.model.world.org_name[self.index], doc="Display name.")
    quality = _row_property("quality", "Performance q in [0, 1].")
    institutionalization = _row_property("institutionalization", "1 minimal … 3 interventionist.", int)
    issue_area = property(lambda self: ISSUE_AREAS[self.model.world.issue_area[self.index]])
    voting = property(lambda self: VOTING_RULES[int(self.model.world.weighted_voting[self.index])])
    status = property(lambda self: ORGANIZATION_STATUS[self.model.world.org_status[self.index]])
    clause = property(lambda self: dict(self.model.world.clause[self.index]), doc="Withdrawal clause.")

    @property
    def members(self) -> list[str]:
        """Codes of its active members."""
        world = self.model.world
        return [world.state_code[i] for i in world.members_of(self.index)]

    @property
    def leader(self) -> str | None:
        """Code of the state that leads it this year, or None."""
        flows = self.model.flows
        who = int(flows.leader[self.index]) if flows is not None and self.index < len(flows.leader) else -1
        return self.model.world.state_code[who] if who >= 0 else None

    def __repr__(self) -> str:
        return f"Organization({self.code}, {self.issue_area}, members={len(self.members)})"
