"""lslpp: installed filesets and packages."""


def query_installed(runner, name):
    """`lslpp -Lcq NAME`: one colon-separated line per fileset or package of that name
    (the command's result; rc != 0 and 0504-132 when it is not installed)."""
    return runner.query(["lslpp", "-Lcq", name], check=False)
