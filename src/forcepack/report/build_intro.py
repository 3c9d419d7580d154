"""Sections 1 to 3 and 8: purpose, recommendation and background, worded from the inputs."""

from __future__ import annotations

from forcepack.report import format as fmt
from forcepack.report import narrative
from forcepack.report.builders import Context, builder, para
from forcepack.report.model import Block


@builder("paper.purpose", "the purpose of the paper")
def purpose(ctx: Context) -> list[Block]:
    return [para(narrative.say("paper.purpose.text", board=ctx.inputs.details.to))]


@builder("paper.recommendation", "the recommendation")
def recommendation(ctx: Context) -> list[Block]:
    return [para(narrative.say("paper.recommendation.intro"))]


@builder("paper.background.meeting", "the Force Performance Meeting the paper reports")
def background_meeting(ctx: Context) -> list[Block]:
    return [
        para(
            narrative.say(
                "paper.background.meeting",
                meeting_date=fmt.long_date(ctx.meeting),
                month=fmt.month(ctx.month),
            )
        )
    ]


@builder("paper.background.priorities", "the Police and Crime Plan priorities")
def background_priorities(ctx: Context) -> list[Block]:
    priorities = fmt.join(list(ctx.inputs.details.priorities))
    return [para(narrative.say("paper.background.priorities", priorities=priorities))]


@builder("paper.recommendation.closing", "the closing recommendation")
def closing(ctx: Context) -> list[Block]:
    return [para(narrative.say("paper.recommendation.closing"))]
