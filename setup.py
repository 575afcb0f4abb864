from setuptools import find_packages, setup

from aixdr_agent import __version__

setup(
    name="aixdr-agent",
    version=__version__,
    description="On-host AIX DR site-switch agent for replicated rootvg LPARs",
    packages=find_packages(include=["aixdr_agent", "aixdr_agent.*"]),
    python_requires=">=3.9",
    install_requires=["PyYAML", "psutil"],
    entry_points={"console_scripts": ["aixdr-agent = aixdr_agent.cli:main"]},
    package_data={"aixdr_agent": ["examples/*.yaml"]},
)
