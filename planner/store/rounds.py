"""A round taken: the best slate as the workspace's nominations stand, with its score and rule
check, as `solve --json` gives them, saved in the workspace under a name."""

from __future__ import annotations

from planner.domain.case import Case
from planner.rules.profile import Profile
from planner.store.workspace import Person, Round, Workspace


def take_round(ws: Workspace, case: Case, profile: Profile, name: str,
               by: Person | None = None) -> Round:
    from planner.report.render import SolveView
    from planner.rules.base import check
    from planner.rules.election import prepare
    from planner.solve.best import solve

    nominated = ws.case_with_nominations(case)
    el = prepare(nominated, profile)
    result = solve(el)
    outcomes = check(el, result.slate) if result.status == "solved" else ()
    view = SolveView(nominated, {"case": str(case.path), "round": name}, el.notes,
                     {"status": result.status, **result.solver}, "Round", el=el,
                     result=result, outcomes=outcomes)
    return ws.save_round(by, name, view.data())
