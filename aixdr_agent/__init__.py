"""aixdr-agent: reconfigure an AIX LPAR booted from a replicated rootvg at another site."""

__version__ = "0.1.0"
