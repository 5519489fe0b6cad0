"""Synthetic CloudTrail: an ordinary account's noise with an intrusion planted in it, written in the S3
delivery layout. ``generate_demo`` makes the bundled demo dataset, ``generate_bench`` a large benchmark;
``story_principals`` names what the intrusion leaves behind."""

from tools.synth.bench import generate_bench
from tools.synth.demo import DEMO_SEED, DEMO_START, demo_events, generate_demo
from tools.synth.story import StoryPrincipals, story_principals
from tools.synth.writer import Summary

__all__ = [
    "DEMO_SEED",
    "DEMO_START",
    "StoryPrincipals",
    "Summary",
    "demo_events",
    "generate_bench",
    "generate_demo",
    "story_principals",
]
