"""Well-formed bodies for the care and policy writes in the route-access test, so that ninja's
own validation (422) does not answer before scope does."""

from __future__ import annotations

from typing import Any

AT = "2026-11-01T10:00:00+08:00"
H = "POST /api/v1/households/{household_id}"
CARE_BODIES: dict[str, Any] = {
    f"{H}/care/schedules": {"member_id": 1, "reason": "独居"},
    f"{H}/care/visits": {"member_id": 1, "visited_at": AT},
    f"{H}/care/notes": {"member_id": 1, "held_on": "2026-11-01", "note": "谈心"},
    f"{H}/care/calls": {"worker_id": 1, "scheduled_at": AT},
    f"{H}/care/calls/{{call_id}}/done": {"done_at": AT},
    f"{H}/care/jobs": {"member_id": 1, "kind": "帮扶车间", "employer": "车间", "started_on": "2026-01-01"},
    f"{H}/care/children": {
        "child_id": 1,
        "kind": "留守儿童",
        "guardian_name": "张奶奶",
        "started_on": "2026-01-01",
    },
    f"{H}/care/children/{{child_id}}/aid": {"kind": "爱心助学", "amount": "500", "granted_on": "2026-09-01"},
    f"{H}/care/counselling": {"member_id": 1, "scheduled_at": AT, "counsellor": "王老师", "topic": "学业"},
    f"{H}/care/{{record}}/{{record_id}}/reveal": {"field": "guardian_phone", "reason": "路由权限测试"},
    f"{H}/ratings": {"year": 2026, "title": "五星家庭", "criteria": {"遵纪守法": True}},
    f"{H}/policies/{{policy_id}}/receipts": {"started_on": "2026-01-01"},
    f"{H}/policies/{{policy_id}}/receipts/end": {"ended_on": "2026-06-01"},
    "POST /api/v1/care/units/{unit_id}/volunteers": {"name": "志愿者", "joined_on": "2026-01-01"},
    "POST /api/v1/care/units/{unit_id}/activities": {
        "kind": "邻里认亲",
        "title": "认亲",
        "held_on": "2026-10-01",
    },
    "POST /api/v1/care/units/{unit_id}/building-ratings": {
        "building_id": 1,
        "year": 2026,
        "criteria": {"整洁": True},
    },
    "POST /api/v1/care/ratings/{rating_id}/decision": {"approve": True},
    "POST /api/v1/care/units/{unit_id}/schedules/export": {"overdue": True},
    "POST /api/v1/care/units/{unit_id}/children/export": {},
    "POST /api/v1/care/units/{unit_id}/volunteers/export": {},
    "POST /api/v1/care/units/{unit_id}/activities/export": {},
    "POST /api/v1/care/units/{unit_id}/ratings/export": {"year": 2026, "status": "approved"},
    "POST /api/v1/policies/missed/export": {"policy": "disability_subsidy"},
    "POST /api/v1/policies": {
        "code": "route_test",
        "name": "测试政策",
        "department": "民政",
        "measure_type": "社会帮扶",
        "eligibility": {"fact": "housing_safe", "op": "=", "value": False},
        "benefit": "测试",
        "how_to_apply": "测试",
    },
    "PATCH /api/v1/policies/{policy_id}": {"note": "路由测试"},
}
