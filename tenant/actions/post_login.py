"""The post-login trigger: the operator's Actions for everyone, then the signed-in visitor's own deployed ones."""

from dataclasses import dataclass

from tenant.actions.engine import ActionDenied, ActionEngine, CustomClaims, RunResult
from tenant.actions.visitors import VisitorActions
from tenant.store.metadata import MetadataError
from tenant.store.users import Users

OPERATOR, VISITOR = 0, 1


@dataclass(frozen=True)
class Resume:
    """Where a login that an Action redirected goes on at /continue: which Action, of whose, with what so far."""

    stage: int
    index: int
    claims: CustomClaims

    def as_data(self) -> dict:
        """A JSON-ready form, kept in the pending login."""
        return {"stage": self.stage, "index": self.index, "claims": self.claims.as_data()}

    @classmethod
    def from_data(cls, data: dict) -> "Resume":
        """The form as_data made."""
        return cls(data["stage"], data["index"], CustomClaims(**data["claims"]))


class PostLogin:
    """Runs the trigger's Actions in order, persists what they change on the user, and stops at a redirect."""

    def __init__(self, operator: ActionEngine, visitors: VisitorActions | None, users: Users, issuer: str) -> None:
        self.operator = operator
        self.visitors = visitors
        self.users = users
        self.issuer = issuer

    def run(self, user_id: str, event: dict, state: str = "", resume: Resume | None = None) -> RunResult:
        """The Actions' combined result; ActionDenied when one refuses; a redirect in the result stops the run."""
        claims = resume.claims if resume else CustomClaims()
        first = resume.stage if resume else OPERATOR
        logs: list[str] = []
        for stage in (OPERATOR, VISITOR):
            if stage < first:
                continue
            plan = {"state": state, "issuer": self.issuer, "start": 0, "resume": False}
            if resume is not None and stage == resume.stage:
                plan.update(start=resume.index, resume=True)
            try:
                result = self.run_stage(stage, user_id, event, plan)
            except ActionDenied as denied:
                self.persist(user_id, event, *denied.metadata)
                raise
            self.persist(user_id, event, result.user_metadata, result.app_metadata)
            claims = claims.then(result.claims)
            logs.extend(result.logs)
            if result.redirect is not None:
                return RunResult(claims, {**result.redirect, "stage": stage}, logs=tuple(logs))
        return RunResult(claims, logs=tuple(logs))

    def close(self) -> None:
        """Stop both pools' idle child processes."""
        self.operator.close()
        if self.visitors is not None:
            self.visitors.close()

    def process_ids(self) -> list[int]:
        """Both pools' idle child processes."""
        return self.operator.process_ids() + (self.visitors.engine.process_ids() if self.visitors else [])

    def run_stage(self, stage: int, user_id: str, event: dict, plan: dict) -> RunResult:
        """One stage: the operator's Actions (with the tenant's secrets), or the user's own (with none)."""
        if stage == OPERATOR:
            return self.operator.run(event, plan)
        if self.visitors is None:
            return RunResult()
        return self.visitors.run_deployed(user_id, event, plan)

    def persist(self, user_id: str, event: dict, user_metadata: dict, app_metadata: dict) -> None:
        """Keep the metadata an Action set (a null value removes the name), and show it to the Actions after it."""
        if not user_metadata and not app_metadata:
            return
        try:
            profile = self.users.merge_metadata(user_id, user_metadata or None, app_metadata or None)
        except MetadataError as refused:
            raise ActionDenied(str(refused)) from None
        for name in ("user_metadata", "app_metadata"):
            event["user"] = {**event["user"], name: profile.get(name) or {}}
