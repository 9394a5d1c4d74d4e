"""The Activities and Agents resources: GET an activity's canonical definition, GET a Person for an agent."""
from __future__ import annotations

import json

from flask import current_app, request
from sqlalchemy import select

from server.models import Activity
from server.xapi.errors import XAPIError, bad_request
from server.xapi.protocol import json_response, parse_json
from server.xapi.routes import xapi_bp
from server.xapi.validate import StatementValidator

@xapi_bp.get("/activities")
def get_activity():
    unknown = set(request.args) - {"activityId"}
    if unknown:
        raise bad_request(f"unknown parameters {sorted(unknown)}; allowed: ['activityId']")
    if "activityId" not in request.args:
        raise bad_request("the activityId parameter is required")
    activity_id = StatementValidator().iri(request.args["activityId"], "activityId")
    with current_app.extensions["yuedu"].engine.connect() as conn:
        full = conn.execute(select(Activity.full).where(Activity.activity_id == activity_id)).scalar()
    activity = {"objectType": "Activity", "id": activity_id}
    if full is not None:
        activity["definition"] = json.loads(full)
    return json_response(activity)


@xapi_bp.get("/agents")
def get_agent():
    unknown = set(request.args) - {"agent"}
    if unknown:
        raise bad_request(f"unknown parameters {sorted(unknown)}; allowed: ['agent']")
    if "agent" not in request.args:
        raise bad_request("the agent parameter is required")
    agent = parse_json(request.args["agent"].encode("utf-8"), "the agent parameter")
    if not isinstance(agent, dict):
        raise bad_request("agent: must be a JSON object")
    if agent.get("objectType") == "Group":
        raise XAPIError(400, "agent: the Agents resource describes a person, not a Group")
    StatementValidator("2.0").agent(agent, "agent")
    person: dict = {"objectType": "Person", "name": [agent["name"]] if "name" in agent else []}
    for key in ("mbox", "mbox_sha1sum", "openid", "account"):
        if key in agent:
            person[key] = [agent[key]]
    return json_response(person)
