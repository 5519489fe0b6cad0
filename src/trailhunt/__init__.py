"""trailhunt: detection-as-code threat hunting for AWS CloudTrail."""

__version__ = "0.1.0"
